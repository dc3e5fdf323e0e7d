// The merge rule, one function for the device and the server (docs/sync.md).
//
// - Each field: the value with the greater clock (HLC stamp, then device id) wins.
// - A recommendation's status only moves forward: the greater (reopen_count, rank) wins,
//   rank open < in progress < done = dropped; between equal ones the clock decides.
//   reopen_count takes the greater number.
// - Delete wins: once a record has a tombstone it stays deleted everywhere; a later or
//   concurrent edit of it is not applied, and the server records each lost value as an
//   "edit_after_delete" conflict. Of two tombstones the greater clock is kept.
// - History entries (recommendation events) are append-only: they are created, never edited.
// - On the server, an incoming value that replaces a value its writer had not seen (its base
//   clock is not the current clock) and differs from it is a concurrent edit: the losing
//   value is returned as a conflict so it can be stored and shown, never dropped silently.
//   Two writes of one device are never concurrent (a device pushes them in order), even when
//   the server clamped the first one's stamp.
// - On the device, pulled states are the server's word for every field that has no
//   unacknowledged local write (`pending`); pending fields merge by the rule above and are
//   pushed again, and the server's answer settles them.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mentorlog/domain/record_state.h"

namespace mentorlog::sync {

struct MergeConflict {
  std::string field;
  core::FieldState kept;
  core::FieldState lost;
  core::ConflictReason reason = core::ConflictReason::kConcurrentEdit;
};

struct MergeResult {
  core::RecordState next;  // the state to store
  bool changed = false;    // next differs from current
  std::vector<MergeConflict> conflicts;
};

// The server's merge of one incoming (partial) state into the stored one (nullopt = new).
MergeResult MergeOnServer(const std::optional<core::RecordState>& current, const core::RecordState& incoming);

// The device's merge of a pulled (complete) state. `pending` names the fields with an
// unacknowledged local write; `pending_delete` says a local delete is not yet acknowledged.
MergeResult MergeOnDevice(const std::optional<core::RecordState>& current, const core::RecordState& incoming,
                          const std::set<std::string>& pending, bool pending_delete);

}  // namespace mentorlog::sync
