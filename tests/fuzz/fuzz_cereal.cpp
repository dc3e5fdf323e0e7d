// libFuzzer target: the cereal decoders of core/include/mentorlog/domain/serialize.h (the outbox
// and the wire's Change and RecordState, every record type; portable binary and JSON).
//
// Input: a selector byte, then the bytes to decode. selector & 1: 0 binary, 1 JSON;
// (selector >> 1) % (2 + core::kRecordKindCount) picks the type (Change, RecordState, then the records in RecordKind
// order). Invariant: a decoded value encodes to bytes that decode again, to a value that
// encodes to the same bytes (bytes are compared, so a NaN compares equal to itself).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>

#include "fuzz_support.h"
#include "mentorlog/domain/change.h"
#include "mentorlog/domain/record_state.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/domain/serialize.h"

namespace {

namespace core = mentorlog::core;
using mentorlog::fuzz::FuzzCheck;
using mentorlog::fuzz::FuzzSplit;

#define MENTORLOG_FUZZ_TYPE(R) , core::R
using CerealTypes = std::tuple<core::Change, core::RecordState MENTORLOG_RECORD_TYPES(MENTORLOG_FUZZ_TYPE)>;
#undef MENTORLOG_FUZZ_TYPE

template <class T>
void CerealRoundTrip(std::string_view bytes, bool json) {
  if (json) {
    auto first = core::DecodeJson<T>(bytes);
    if (!first.ok()) return;
    const std::string encoded = core::EncodeJson(*first);
    auto second = core::DecodeJson<T>(encoded);
    FuzzCheck(second.ok(), "DecodeJson refused what EncodeJson wrote");
    FuzzCheck(core::EncodeJson(*second) == encoded, "EncodeJson(DecodeJson(EncodeJson(v))) differs");
  } else {
    auto first = core::DecodeBinary<T>(bytes);
    if (!first.ok()) return;
    const std::string encoded = core::EncodeBinary(*first);
    auto second = core::DecodeBinary<T>(encoded);
    FuzzCheck(second.ok(), "DecodeBinary refused what EncodeBinary wrote");
    FuzzCheck(core::EncodeBinary(*second) == encoded, "EncodeBinary(DecodeBinary(EncodeBinary(v))) differs");
  }
}

template <size_t... I>
void CerealDispatch(size_t index, std::string_view bytes, bool json, std::index_sequence<I...>) {
  ((index == I ? CerealRoundTrip<std::tuple_element_t<I, CerealTypes>>(bytes, json) : void()), ...);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto [selector, rest] = FuzzSplit(data, size);
  constexpr size_t kTypes = std::tuple_size_v<CerealTypes>;
  CerealDispatch((selector >> 1) % kTypes, rest, (selector & 1) != 0, std::make_index_sequence<kTypes>{});
  return 0;
}
