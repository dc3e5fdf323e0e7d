// Include this instead of <rapidjson/...> directly. Every rapidjson user in the program must
// see the same RAPIDJSON_ASSERT, or rapidjson's inline functions get conflicting definitions.
// Ours throws: JSON is input, and a failed internal check must become an error, not an abort.
// cereal/archives/json.hpp honours an existing definition.
#pragma once

#include <stdexcept>

#ifndef RAPIDJSON_ASSERT
#define RAPIDJSON_ASSERT(x) \
  if (!(x)) throw std::runtime_error("rapidjson: " #x)
#endif
#ifndef RAPIDJSON_ASSERT_THROWS
#define RAPIDJSON_ASSERT_THROWS
#endif
// The same parse/write flags as cereal's JSON archive (NaN and infinities round-trip).
#ifndef RAPIDJSON_WRITE_DEFAULT_FLAGS
#define RAPIDJSON_WRITE_DEFAULT_FLAGS kWriteNanAndInfFlag
#endif
#ifndef RAPIDJSON_PARSE_DEFAULT_FLAGS
#define RAPIDJSON_PARSE_DEFAULT_FLAGS kParseFullPrecisionFlag | kParseNanAndInfFlag
#endif
#include <rapidjson/document.h>
