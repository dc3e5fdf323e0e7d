// A change: what one write did to one record, as kept in the outbox and sent by sync.
//
// The outbox is keyed by (device_id, op_seq): op_seq counts this device's writes from 1 with
// no gaps, so the server can tell a replay from a new write.
//
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mentorlog/domain/enums.h"
#include "mentorlog/domain/hlc.h"
#include "mentorlog/domain/types.h"

namespace mentorlog::core {

enum class ChangeOp { kUpsert, kDelete };

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
