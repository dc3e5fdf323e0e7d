// Serialisation of every record type and of Change with cereal: portable binary (the outbox
// and the wire) and JSON (export and debugging).
//
// Decoders take untrusted bytes. They never allocate from a length prefix that the remaining
// input cannot hold, never crash, and report a Corruption status that says what was wrong.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/change.h"
#include "mentorlog/domain/records.h"

namespace mentorlog::core {

// Inputs larger than this are refused before decoding.
inline constexpr size_t kMaxDecodeBytes = 64u << 20;

template <class R>
std::string EncodeBinary(const R& value);
template <class R>
Result<R> DecodeBinary(std::string_view bytes);

template <class R>
std::string EncodeJson(const R& value);
template <class R>
Result<R> DecodeJson(std::string_view json);

}  // namespace mentorlog::core
