// A change: what one write did to one record, as kept in the outbox and sent by sync.
//
// The outbox is keyed by (device_id, op_seq): op_seq counts this device's writes from 1 with
// no gaps, so the server can tell a replay from a new write.
//
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/domain/enums.h"
#include "mentorlog/domain/hlc.h"
#include "mentorlog/domain/types.h"

namespace mentorlog::core {

enum class ChangeOp { kUpsert, kDelete };

// Why a value lost at the server: another device's concurrent edit won, or the record had been
// deleted when the edit arrived. Kept by the server, sent to devices, shown to the user.
enum class ConflictReason { kConcurrentEdit, kEditAfterDelete };

// "concurrent_edit" or "edit_after_delete": how the wire and both stores write it.
inline std::string_view ConflictReasonCode(ConflictReason reason) {
  return reason == ConflictReason::kConcurrentEdit ? "concurrent_edit" : "edit_after_delete";
}
inline std::optional<ConflictReason> ConflictReasonFromCode(std::string_view code) {
  if (code == "concurrent_edit") return ConflictReason::kConcurrentEdit;
  if (code == "edit_after_delete") return ConflictReason::kEditAfterDelete;
  return std::nullopt;
}
// What a person reads: "edited on two devices", "изменено на двух устройствах".
inline std::string_view ConflictReasonLabel(ConflictReason reason, Language language) {
  const bool ru = language == Language::kRussian;
  if (reason == ConflictReason::kConcurrentEdit) return ru ? "изменено на двух устройствах" : "edited on two devices";
  return ru ? "изменено после удаления" : "edited after it was deleted";
}

// A value that lost a concurrent edit (or an edit of a deleted record), as the server recorded
// it: what the server keeps, what a pull sends (sync/protocol.h), what the device keeps
// (store/sync_ledger.h's ConflictEntry). Shown to the user; never applied by itself.
struct Conflict {
  Uuid id;  // the server's id of this conflict
  RecordKind kind = RecordKind::kSchool;
  Uuid record_id;
  std::string field;
  FieldValue kept;
  FieldClock kept_clock;
  FieldValue lost;
  FieldClock lost_clock;
  ConflictReason reason = ConflictReason::kConcurrentEdit;
  int64_t noticed_millis = 0;
};

// One field's new value and the clock it was written at.
struct FieldChange {
  std::string field;
  FieldValue value;
  HlcStamp stamp;
  // The clock of the value this write replaced, as the writer saw it (zero stamp: none). The
  // server tells a concurrent edit from a sequential one by it (sync/merge.h).
  FieldClock base;

  friend bool operator==(const FieldChange&, const FieldChange&) = default;
};

struct Change {
  std::string device_id;
  uint64_t op_seq = 0;
  RecordKind kind = RecordKind::kSchool;
  Uuid record_id;
  ChangeOp op = ChangeOp::kUpsert;
  std::vector<FieldChange> fields;  // empty for kDelete; the tombstone's stamp is `stamp`
  HlcStamp stamp;                   // the write's own stamp (= every field's stamp here)

  friend bool operator==(const Change&, const Change&) = default;
};

}  // namespace mentorlog::core
