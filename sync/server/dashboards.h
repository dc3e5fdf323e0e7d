// The central store's dashboards (issue 5; GET /v1/dashboard/..., docs/http-api.md): for each
// caller's scope, a core::Dashboard kept in memory and brought up to date with the records
// written since its last use (RecordsInRange after its seq; a record that moved out of the
// scope leaves it), so a request after a sync of k records costs O(k + the schools they
// touch + the district view), not a scan of the region. The first use of a scope reads it
// school by school (StorageTx::ScanLive): seconds for a district, tens of seconds for a
// region of millions of records, so `serve` builds the coordinators' scopes at start
// (WarmUp) rather than at their first request. The least recently used scopes are dropped
// beyond `max_cached`. A dashboard holds no language: one serves ru and en callers.
//
// Thread safety: every method may be called from many threads at once; requests for one
// scope take turns (one waits for a build in progress), different scopes run in parallel.
#pragma once

#include <atomic>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/domain/dashboard.h"
#include "mentorlog/platform/env.h"
#include "service.h"
#include "storage.h"

namespace mentorlog::server {

class Dashboards {
 public:
  // REQUIRES: storage and service outlive this object.
  Dashboards(Storage& storage, SyncService& service, core::DashboardConfig config, const mentorlog::Clock& clock,
             size_t max_cached = 8);
  ~Dashboards();

  // The district view of what `account` sees, as JSON (core/dashboard_json.h).
  // Errors: PermissionDenied for an account that sees no records (admin); the storage's.
  Result<std::string> DistrictJson(const Account& account, Language language);
  // One school's progress as JSON. NotFound when the school is not in the account's scope
  // (whether or not it exists: the answer does not tell other districts' schools apart).
  Result<std::string> SchoolJson(const Account& account, const Uuid& school_id, Language language);

  // Brings the account's dashboard up to date and calls fn with it (under its scope's lock).
  Status With(const Account& account, const std::function<Status(const core::Dashboard&)>& fn);

  // Builds the dashboard of every enabled coordinator's scope not yet held (at most
  // `max_cached`, the widest scopes first), so their first request does not wait for it.
  // Returns when done, or Cancelled soon after `cancel` becomes true.
  Status WarmUp(const std::atomic<bool>& cancel);

  // How many times a scope was read whole (built), for tests and benchmarks.
  int64_t builds() const { return builds_.load(); }

 private:
  struct Entry;
  std::shared_ptr<Entry> EntryFor(const AccountScope& scope);
  // Brings entry's dashboard up to date (building it the first time). REQUIRES: entry->mu held.
  Status Update(Entry& entry, const std::atomic<bool>* cancel);

  Storage& storage_;
  SyncService& service_;
  const core::DashboardConfig config_;
  const mentorlog::Clock& clock_;
  const size_t max_cached_;
  std::mutex mu_;
  std::list<std::shared_ptr<Entry>> entries_;  // most recently used first
  std::atomic<int64_t> builds_{0};
};

}  // namespace mentorlog::server
