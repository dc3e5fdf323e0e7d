// What rapidjson would accept but the program must not feed it, found by one lexical scan
// before any rapidjson parser (cereal's JSON archive, record JSON, rubric files) sees the text.
//
// Debian's rapidjson is 1.1.0. Its parser recurses once per nesting level (a million '[' overflow
// the stack), and its full-precision number path computes with __builtin_clzll(0) on a zero
// spelled with a far exponent ("0e70", "0.000…0" with 23 zeros), then shifts by negative
// amounts: undefined behaviour, found by tests/fuzz (finding 3 of its README) and fixed upstream
// after 1.1.0. Such numbers are refused with a message saying how to write them.
//
// Thread safety: pure function.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mentorlog::core {

struct JsonLimits {
  int max_depth = 32;            // arrays and objects nested in each other
  size_t max_number_chars = 64;  // the longest number the program writes is ~25 characters
  bool object_root = false;      // the first non-space character must be '{'
};

// The first problem, in English with its byte offset, or nothing: an empty text (with
// object_root), a root that is not an object (with object_root), a NUL byte anywhere (rapidjson
// would stop there and ignore the rest), nesting deeper than max_depth, a number longer than
// max_number_chars, a zero rapidjson 1.1.0 cannot read (see above). Brackets and digits inside
// strings do not count.
std::optional<std::string> JsonInputProblem(std::string_view json, const JsonLimits& limits);

}  // namespace mentorlog::core
