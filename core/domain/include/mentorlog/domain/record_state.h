// A record as sync sees it: its kind, its id, and each field's value with the clock that
// wrote it. Typed records (records.h) and states convert both ways through the field table.
//
// The device's store, the server's storage and the merge rule (sync/merge.h) all speak
// RecordState, so one merge function serves both ends.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/change.h"
#include "mentorlog/domain/field_codec.h"
#include "mentorlog/domain/hlc.h"
#include "mentorlog/domain/records.h"

namespace mentorlog::core {

struct FieldState {
  std::string field;
  FieldValue value;
  FieldClock clock;  // who wrote this value, when
  // The clock of the value the writer replaced (what it had seen); a zero stamp when the
  // writer saw none. The server compares it with its own current clock to tell a concurrent
  // edit from a sequential one.
  FieldClock base;

  friend bool operator==(const FieldState&, const FieldState&) = default;
};

struct RecordState {
  RecordKind kind = RecordKind::kSchool;
  Uuid id;
  std::vector<FieldState> fields;     // complete states list every field in RecordTraits order
  std::optional<FieldClock> deleted;  // the tombstone's clock; set = deleted

  const FieldState* Find(std::string_view name) const {
    for (const auto& f : fields) {
      if (f.field == name) return &f;
    }
    return nullptr;
  }
  FieldState* Find(std::string_view name) {
    for (auto& f : fields) {
      if (f.field == name) return &f;
    }
    return nullptr;
  }

  friend bool operator==(const RecordState&, const RecordState&) = default;
};

// What one change says, as a (partial) state: each field stamped (change stamp, device).
RecordState StateFromChange(const Change& change);

// The field names of a kind, in table order.
std::vector<std::string_view> FieldNamesOf(RecordKind kind);

// Whether `name` is a field of `kind`.
bool IsFieldOf(RecordKind kind, std::string_view name);

// The values of every field of `state` in table order; a missing field takes the value of a
// default-constructed record. Corruption when a value cannot be read as its field's type.
Result<std::vector<FieldValue>> CompleteValues(const RecordState& state);

// A typed record from a state (missing fields keep their defaults).
// Corruption when a value cannot be read as its field's type, naming the field.
template <class R>
Result<R> RecordFromState(const RecordState& state) {
  R record;
  record.id = state.id;
  Status status;
  size_t i = 0;  // complete states list the fields in table order: look there first
  ForEachFieldDef<R>([&](const auto& def) {
    if (!status.ok()) return;
    const FieldState* f =
        i < state.fields.size() && state.fields[i].field == def.name ? &state.fields[i] : state.Find(def.name);
    ++i;
    if (f == nullptr) return;
    using T = std::remove_cvref_t<decltype(record.*(def.member))>;
    status = FieldCodec<T>::Decode(f->value, record.*(def.member)).WithContext(std::string(def.name));
  });
  if (!status.ok()) return Status::Corruption(status.message());
  return record;
}

// The live state of a typed record: every field in table order, values only (clocks and
// bases left empty). For code that feeds typed records where states are expected.
template <class R>
RecordState StateFromRecord(const R& record) {
  RecordState state;
  state.kind = RecordTraits<R>::kKind;
  state.id = record.id;
  state.fields.reserve(FieldCount<R>());
  ForEachFieldDef<R>([&](const auto& def) {
    using T = std::remove_cvref_t<decltype(record.*(def.member))>;
    state.fields.push_back({std::string(def.name), FieldCodec<T>::Encode(record.*(def.member)), {}, {}});
  });
  return state;
}

// The canonical bytes of a live record for state hashes: kind code, id, then each field's
// name and value in table order. Equal records give equal bytes on every platform.
std::string CanonicalBytes(RecordKind kind, const Uuid& id, const std::vector<FieldValue>& values);

}  // namespace mentorlog::core
