// SyncLedger: sync's face of the local store (store.h): the outbox, the clocks, merged states
// landing from the server, the conflicts and rejections the server reported, and sync's own
// small state (the pull cursor ...).
//
// It shares the Store's one connection with Records, so a pull applies its states and saves
// its cursor in one InTransaction.
//
// Thread safety: shares the Store's one lock with its other faces; every call takes it.
// Valid as long as the Store that handed it out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/change.h"
#include "mentorlog/domain/hlc.h"
#include "mentorlog/domain/record_state.h"
#include "mentorlog/domain/records.h"

namespace mentorlog::core {

class StoreImpl;

// The clock stamps of one record: one per field (in RecordTraits order) plus the tombstone's.
struct RecordClocks {
  RecordKind kind = RecordKind::kSchool;
  Uuid record_id;
  std::vector<std::pair<std::string, FieldClock>> fields;  // (field name, clock)
  std::optional<FieldClock> deleted;
};

// One outbox entry as stored.
struct OutboxEntry {
  Change change;
  bool acked = false;
};

// A conflict the server reported (change.h), as this device keeps it: shown to the user until
// dismissed; never applied by itself.
struct ConflictEntry : Conflict {
  bool dismissed = false;
};

// A change of this device that the server refused, with its reason.
struct RejectedEntry {
  uint64_t op_seq = 0;
  RecordKind kind = RecordKind::kSchool;
  Uuid record_id;
  std::string code;  // "permission", "validation", ...
  std::string reason_en;
  std::string reason_ru;
  int64_t rejected_millis = 0;
  Change change;  // what was refused, so nothing is lost
};

class SyncLedger final {
 public:
  SyncLedger(const SyncLedger&) = delete;
  SyncLedger& operator=(const SyncLedger&) = delete;

  // The device id that keys this store's outbox (Store::device_id).
  const std::string& device_id() const;

  // The clocks of a record. NotFound when it has none or is of another kind.
  Result<RecordClocks> ClocksOf(RecordKind kind, const Uuid& id) const;
  // Outbox entries not yet acknowledged, in op_seq order, at most `limit`.
  Result<std::vector<OutboxEntry>> PendingChanges(size_t limit) const;
  Result<int64_t> PendingCount() const;
  // Marks this device's outbox entries up to `op_seq` acknowledged by the server.
  Status MarkAcked(uint64_t op_seq);

  // The record as sync sees it (any kind, live or tombstoned); nullopt when unknown.
  // Each field's base is left empty.
  Result<std::optional<RecordState>> StateOf(const Uuid& id) const;
  // Fields of `id` with an unacknowledged local write, and whether a local delete of it is
  // unacknowledged.
  Result<std::pair<std::set<std::string>, bool>> PendingFieldsOf(const Uuid& id) const;
  // Writes a merged state as it is: the row (inserted with defaults for fields the state
  // lacks), its field clocks and its tombstone. Writes no outbox entry: this is how pulled
  // data lands. The HLC observes every clock, so later local writes follow them.
  // Call inside InTransaction, with the cursor that goes with it.
  // Errors: Corruption when the state's kind or fields do not fit what is stored, IoError.
  Status ApplyState(const RecordState& state);

  // The conflicts reported by the server (newest first) and rejected changes.
  Status AddConflict(const ConflictEntry& conflict);  // the same id twice is stored once
  Result<std::vector<ConflictEntry>> Conflicts(bool include_dismissed = false) const;
  // NotFound when there is no conflict `id`.
  Status DismissConflict(const Uuid& id);
  Status AddRejected(const RejectedEntry& rejected);  // the same op seq twice is stored once
  Result<std::vector<RejectedEntry>> Rejected() const;

  // Sync's own small state (pull cursor, last success, last error, scope...), as bytes. The
  // app's settings are not here: DeviceState::Settings().
  Result<std::optional<std::string>> GetSyncValue(std::string_view key) const;
  Status SetSyncValue(std::string_view key, std::string_view value);

  // Runs `fn` in one transaction on the store's one connection (Records::InTransaction: the
  // same transaction, whichever face opens it).
  Status InTransaction(const std::function<Status()>& fn);

 private:
  friend class Store;
  explicit SyncLedger(StoreImpl& impl) : impl_(impl) {}
  StoreImpl& impl_;
};

}  // namespace mentorlog::core
