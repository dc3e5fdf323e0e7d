// The central store's rules, independent of HTTP: scope, push (merge, idempotence,
// rejections, clock clamping), pull (cursor, back-fill of newly visible schools), state hash.
// The HTTP layer (http_server.h) only authenticates, decodes and encodes.
//
// Scope (docs/http-api.md): a mentor sees the schools of their current mentor assignments; a
// tutor the schools of their current tutor assignments (a teacher's school, or a school and
// subject); a coordinator every school of their district; an admin no records. Everyone who
// sees records also sees the district-wide ones of their own district (people without a
// school, rubric templates, district roadmap items) and the shared bundled rubric templates.
// A coordinator's district is their account's; a mentor's or tutor's is their person record's.
// Scope comes from the account, never from the request.
//
// Who may change what (Push): a change is checked for its shape first (known kind and fields,
// each field once), then for permission before anything about the record is told: a record
// the writer cannot see is refused as "not your school" whether or not its id exists. The
// writer must be allowed to write the record where it is now and where the change puts it
// (its school, or for a district-wide record its district): a change can never move a record
// out of the writer's scope. Schools are added, deleted and moved between districts by a
// coordinator of their district only; assignments, rubric templates and network agreements
// are a coordinator's; district-wide records are written by a coordinator of their district;
// shared records by nobody. A device id belongs to the account that first signed in with it.
//
// Thread safety: every method may be called from many threads at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "mentorlog/domain/hlc.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/store/store.h"
#include "mentorlog/sync/protocol.h"
#include "storage.h"

namespace mentorlog::server {

// Who is asking: the account behind a valid token, and the device it signed in from.
struct Session {
  Account account;
  std::string device_id;
  std::string token_hash;
};

// What an account sees: schools (sorted) and the district of its district-wide records.
struct AccountScope {
  std::vector<Uuid> schools;
  std::string district;  // "" when it has none (an admin; a mentor whose record has none)
  bool operator==(const AccountScope&) const = default;
};

struct ServiceOptions {
  const mentorlog::Clock* clock = nullptr;  // null: the system clock
  // Stamps more than this ahead of the server's clock are clamped to it (and logged).
  int64_t max_clock_skew_millis = 5 * 60 * 1000;
  // Called with a line for the log (the server passes spdlog); may be empty.
  std::function<void(const std::string&)> log_warning;
};

class SyncService {
 public:
  SyncService(Storage& storage, ServiceOptions options);

  // What the account sees now, and whether it sees records at all.
  Result<AccountScope> ScopeOf(const Account& account);
  bool SeesRecords(const Account& account) const { return account.role != Role::kAdmin; }

  // Applies a device's batch. Changes at or below the device's recorded op seq are skipped
  // (a replay); a change after a gap stops the batch (the answer's op seq says where to
  // resume). Each applied or refused change advances the op seq in the same transaction.
  // PermissionDenied (nothing applied) when the device id belongs to another account.
  Result<sync::PushResponse> Push(const Session& session, const sync::PushRequest& request);

  // The next batch of what the account sees after `request.cursor`.
  Result<sync::PullResponse> Pull(const Session& session, const sync::PullRequest& request);

  // SHA-256 over every live record the account sees (as mentorlog-cli state-hash computes it).
  Result<std::string> StateHash(const Account& account);

  // Installs the rubric templates shipped in `assets_dir`/rubrics that the central store lacks
  // (their ids are the same on every device: core::RubricTemplateId). Returns how many.
  Result<size_t> InstallBundledRubrics(const std::filesystem::path& assets_dir);

  // Feeds a local store's unacknowledged changes (a demo district, an import) into the central
  // store as if a device with full rights had pushed them, then acknowledges them in `store`.
  // Records without a school are put in `district`; when it is empty, in the one district of
  // the schools ingested and of the central store (InvalidInput when there are several or
  // none and a new record without a school needs one: the message asks for --district).
  // Returns the number of changes applied.
  Result<size_t> IngestStore(core::Store& store, std::string district = std::string());

  // Applies changes written on the central store itself (CentralWriter: an import, the demo),
  // as a device `device_id` with full rights would push them, in batches of 1,000, each batch
  // one transaction. Records without a school go to `district` (as IngestStore). Returns the
  // changes the central store refused (empty: it took them all).
  Result<std::vector<sync::Rejection>> IngestChanges(const std::string& device_id,
                                                     const std::vector<core::Change>& changes,
                                                     const std::string& district);

  // The district for records without a school when none is given: the one district among
  // `districts` and those of the central store; "" when there are several or none.
  Result<std::string> OnlyDistrict(std::set<std::string> districts);

  uint64_t clamped_total() const { return clamped_total_.load(); }

 private:
  Result<sync::PushResponse> PushAs(const Account* account, const std::string& device_id,
                                    const std::vector<sync::Change>& changes, const std::string& ingest_district);

  Storage& storage_;
  ServiceOptions options_;
  const mentorlog::Clock& clock_;
  std::mutex hlc_mu_;
  core::HybridLogicalClock hlc_;
  std::atomic<uint64_t> clamped_total_{0};
};

}  // namespace mentorlog::server
