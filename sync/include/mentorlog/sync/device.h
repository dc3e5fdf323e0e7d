// The device's half of sync, without the network: what goes into a push, and how each
// answer of the server lands in the store, each in one transaction (docs/sync.md).
//
// - A push answer acknowledges op seqs and stores rejections in one transaction; a lost
//   answer means the batch is sent again, and the server answers it the same way.
// - A pull answer's records, conflicts, cursor and scope are stored in one transaction:
//   the cursor is never ahead of the data, and a cut connection loses one batch at most.
//
// Thread safety: as the store's faces (each call takes the store's lock).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/store/store.h"
#include "mentorlog/sync/protocol.h"

namespace mentorlog::sync {

// Keys of SyncLedger::GetSyncValue / SetSyncValue used by sync.
inline constexpr std::string_view kCursorKey = "pull_cursor";
inline constexpr std::string_view kScopeKey = "scope";  // 16-byte ids, concatenated
inline constexpr std::string_view kLastSuccessKey = "last_success_millis";
// The last sync's failure, in English and in Russian (kLastErrorRuKey); "" after a success.
inline constexpr std::string_view kLastErrorKey = "last_error";
inline constexpr std::string_view kLastErrorRuKey = "last_error_ru";
inline constexpr std::string_view kServerKey = "server_url";
inline constexpr std::string_view kLoginKey = "login";

// The next changes to push: unacknowledged outbox entries in op seq order, at most
// `max_rows`, and no more than `max_bytes` of encoded changes (at least one).
Result<std::vector<Change>> NextPushBatch(const core::SyncLedger& ledger, size_t max_rows, size_t max_bytes);

// Stores the server's answer to a push of `sent` (op seq order) in one transaction: marks
// the outbox acknowledged up to answer.acked_op_seq, but never beyond the last change of
// `sent` (a larger answer is legal after an answer to a bigger batch was lost: the rest is
// acknowledged when it is sent again), and stores each rejection with the change it refused.
// Internal, with nothing written, when a rejection names a change that is not in `sent`, not
// the same record, or not acknowledged by the answer: a broken server (the message, in the
// store's language, says so).
Status ApplyPushResponse(core::SyncLedger& ledger, const std::vector<Change>& sent, const PushResponse& answer,
                         int64_t now_millis);

// Stores one pull answer. Returns the number of records that changed here (the store's change
// feed lists them: Records::ChangesSince).
Result<size_t> ApplyPullResponse(core::SyncLedger& ledger, const PullResponse& answer, int64_t now_millis);

// The school that decides who sees a record (nullopt: district-wide), following parents
// through `load` (observation score -> observation, event -> recommendation, deficit ->
// teacher). The server and the device use the same rule.
using StateLoader = std::function<Result<std::optional<RecordState>>(const Uuid&)>;
Result<std::optional<Uuid>> SchoolOf(const RecordState& state, const StateLoader& load);

// Kinds only a coordinator writes (assignments, rubric templates, network agreements, monitoring
// rounds and their results, a school's status changes). The
// district-wide records (SchoolOf nullopt: network events, the district's roadmap) are theirs
// too. The central store refuses the others' changes of them; the app does not offer them.
bool CoordinatorOnlyKind(core::RecordKind kind);
// Whether only a coordinator writes this record: a CoordinatorOnlyKind, or district-wide
// (SchoolOf nullopt). The app asks it before saving; the central store refuses the same.
Result<bool> CoordinatorOnly(const RecordState& state, const StateLoader& load);

// The ids in scope as stored by the last pull (empty before the first).
Result<std::vector<Uuid>> StoredScope(const core::SyncLedger& ledger);

// SHA-256 (hex) of the canonical bytes of every live record this device sees: records of the
// schools in its stored scope and district-wide records. Equal on devices and the server
// (SyncService::StateHash) when they hold the same data.
Result<std::string> DeviceStateHash(const core::Store& store);

// The hash of (id, canonical bytes) pairs: sorted by id, then SHA-256 over each id and the
// SHA-256 of its bytes. Shared by DeviceStateHash and the server.
class StateHasher {
 public:
  void Add(const Uuid& id, std::string_view canonical_bytes);
  std::string FinishHex();
  size_t count() const { return entries_.size(); }

 private:
  std::vector<std::pair<Uuid, std::array<unsigned char, 32>>> entries_;
};

}  // namespace mentorlog::sync
