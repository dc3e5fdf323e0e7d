// libFuzzer target: records read from JSON written by people and scripts
// (core/include/mentorlog/domain/record_json.h: ApplyJson for every record type, ScoresFromJson).
//
// Input: a selector byte, then the JSON. selector % core::kRecordKindCount (15) picks the record type (RecordKind
// order); bit 4 is ApplyJson's allow_id. Invariants: applying a JSON that applied once to the
// result again gives the same record (only the keys present are applied, each the same way);
// every field of the result survives its codec (field_codec.h) both ways: as a FieldValue
// (Encode, Decode) and as text (ToText, FromText); ScoresFromJson's scores all have a criterion.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <variant>

#include "fuzz_support.h"
#include "mentorlog/domain/field_codec.h"
#include "mentorlog/domain/record_json.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/domain/serialize.h"

namespace {

namespace core = mentorlog::core;
using mentorlog::fuzz::FuzzCheck;
using mentorlog::fuzz::FuzzSplit;

// std::monostate first, so that every record type follows a comma; it is never picked.
#define MENTORLOG_FUZZ_TYPE(R) , core::R
using RecordJsonTypesAndNone = std::tuple<std::monostate MENTORLOG_RECORD_TYPES(MENTORLOG_FUZZ_TYPE)>;
#undef MENTORLOG_FUZZ_TYPE

// Equal as stored values; a NaN equals a NaN (the codec keeps it, == does not say so).
bool RecordJsonSameValue(const core::FieldValue& a, const core::FieldValue& b) {
  if (std::holds_alternative<double>(a) && std::holds_alternative<double>(b) && std::isnan(std::get<double>(a)) &&
      std::isnan(std::get<double>(b))) {
    return true;
  }
  return a == b;
}

template <class R>
void RecordJsonCheckFields(const R& record) {
  core::ForEachFieldDef<R>([&](const auto& def) {
    using T = std::remove_cvref_t<decltype(record.*(def.member))>;
    const T& value = record.*(def.member);
    const core::FieldValue stored = core::FieldCodec<T>::Encode(value);
    T decoded{};
    FuzzCheck(core::FieldCodec<T>::Decode(stored, decoded).ok(), "a field's codec refuses its own FieldValue");
    FuzzCheck(RecordJsonSameValue(core::FieldCodec<T>::Encode(decoded), stored),
              "a field's FieldValue does not come back the same");
    const std::string text = core::FieldCodec<T>::ToText(value);
    T parsed{};
    FuzzCheck(core::FieldCodec<T>::FromText(text, parsed).ok(), "a field's codec refuses its own text");
    FuzzCheck(core::FieldCodec<T>::ToText(parsed) == text, "a field's text does not come back the same");
  });
}

template <class R>
void RecordJsonApply(std::string_view json, bool allow_id) {
  R record;
  if (!core::ApplyJson(json, record, allow_id).ok()) return;
  R again = record;
  FuzzCheck(core::ApplyJson(json, again, allow_id).ok(), "ApplyJson fails the second time");
  FuzzCheck(core::EncodeBinary(again) == core::EncodeBinary(record), "ApplyJson twice differs from once");
  RecordJsonCheckFields(record);
}

template <size_t... I>
void RecordJsonDispatch(size_t index, std::string_view json, bool allow_id, std::index_sequence<I...>) {
  ((index == I ? RecordJsonApply<std::tuple_element_t<I + 1, RecordJsonTypesAndNone>>(json, allow_id) : void()), ...);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto [selector, json] = FuzzSplit(data, size);
  constexpr size_t kTypes = std::tuple_size_v<RecordJsonTypesAndNone> - 1;
  RecordJsonDispatch(selector % kTypes, json, (selector & 16) != 0, std::make_index_sequence<kTypes>{});
  if (auto scores = core::ScoresFromJson(json); scores.ok()) {
    for (const auto& score : *scores) FuzzCheck(!score.criterion_code.empty(), "a score without a criterion");
  }
  return 0;
}
