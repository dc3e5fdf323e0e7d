// The central store's rules, independent of HTTP: scope, push (merge, idempotence,
// rejections, clock clamping), pull (cursor, back-fill of newly visible schools), state hash.
// The HTTP layer (http_server.h) only authenticates, decodes and encodes.
//
// Scope (docs/http-api.md): a mentor sees the schools of their current mentor assignments; a
// tutor the schools of their current tutor assignments (a teacher's school, or a school and
// subject); a coordinator every school of their district; an admin no records. Everyone who
// sees records also sees district-wide ones (people without a school, rubric templates,
// district roadmap items). Scope comes from the account, never from the request.
//
// Thread safety: every method may be called from many threads at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mentorlog/core/hlc.h"
#include "mentorlog/core/store.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/sync/protocol.h"
#include "storage.h"

namespace mentorlog::server {

// Who is asking: the account behind a valid token, and the device it signed in from.
struct Session {
  Account account;
  std::string device_id;
  std::string token_hash;
};

struct ServiceOptions {
  const platform::Clock* clock = nullptr;  // null: the system clock
  // Stamps more than this ahead of the server's clock are clamped to it (and logged).
  int64_t max_clock_skew_millis = 5 * 60 * 1000;
  // Called with a line for the log (the server passes spdlog); may be empty.
  std::function<void(const std::string&)> log_warning;
};

class SyncService {
 public:
  SyncService(Storage& storage, ServiceOptions options);

  // The schools the account sees now (sorted), and whether it sees records at all.
  Result<std::vector<Uuid>> ScopeOf(const Account& account);
  bool SeesRecords(const Account& account) const { return account.role != Role::kAdmin; }

  // Applies a device's batch. Changes at or below the device's recorded op seq are skipped
  // (a replay); a change after a gap stops the batch (the answer's op seq says where to
  // resume). Each applied or refused change advances the op seq in the same transaction.
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
  // Returns the number of changes applied.
  Result<size_t> IngestStore(core::Store& store);

  // Copies every live and deleted record of the central store into `store` (empty) so an
  // import can match natural keys against what the server holds.
  Status ExportToStore(core::Store& store);

  uint64_t clamped_total() const { return clamped_total_.load(); }

 private:
  Result<sync::PushResponse> PushAs(const Account* account, const std::string& device_id,
                                    const std::vector<sync::Change>& changes);

  Storage& storage_;
  ServiceOptions options_;
  const platform::Clock& clock_;
  std::mutex hlc_mu_;
  core::HybridLogicalClock hlc_;
  std::atomic<uint64_t> clamped_total_{0};
};

}  // namespace mentorlog::server
