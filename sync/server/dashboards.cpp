// The central store's dashboards (dashboards.h).
#include "dashboards.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "accounts.h"
#include "mentorlog/domain/dashboard_json.h"

namespace mentorlog::server {

struct Dashboards::Entry {
  AccountScope scope;
  std::mutex mu;  // guards what follows
  std::optional<core::Dashboard> dashboard;
  uint64_t seq = 0;  // every record up to this seq is in `dashboard`
};

Dashboards::Dashboards(Storage& storage, SyncService& service, core::DashboardConfig config,
                       const mentorlog::Clock& clock, size_t max_cached)
    : storage_(storage),
      service_(service),
      config_(std::move(config)),
      clock_(clock),
      max_cached_(std::max<size_t>(1, max_cached)) {}

Dashboards::~Dashboards() = default;

std::shared_ptr<Dashboards::Entry> Dashboards::EntryFor(const AccountScope& scope) {
  std::lock_guard lock(mu_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if ((*it)->scope == scope) {
      entries_.splice(entries_.begin(), entries_, it);
      return entries_.front();
    }
  }
  auto entry = std::make_shared<Entry>();
  entry->scope = scope;
  entries_.push_front(entry);
  while (entries_.size() > max_cached_) entries_.pop_back();  // a request using it keeps it alive
  return entry;
}

Status Dashboards::Update(Entry& entry, const std::atomic<bool>* cancel) {
  const bool build = !entry.dashboard.has_value();
  Status read = storage_.Read([&](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(const uint64_t seq, tx.MaxSeq());
    if (build) {
      entry.dashboard.emplace(config_);  // a retried read starts over
      // ScanLive reads a list of schools school by school. Reading and feeding on one thread:
      // feeding on a second one made the build slower (1.9 s -> 3.2 s for 500k records), the
      // threads contending in malloc (bench/README.md).
      ScopeFilter filter;
      filter.schools = entry.scope.schools;
      filter.district = entry.scope.district;
      filter.include_district_wide = true;
      int64_t skipped = 0;
      RETURN_IF_ERROR(tx.ScanLive(filter, [&](const StoredRecord& r) -> Status {
        if (cancel != nullptr && cancel->load()) return Status::Cancelled("the server is stopping");
        skipped += entry.dashboard->Apply(r.state).ok() ? 0 : 1;  // unreadable: left out, as a device does
        return Status::Ok();
      }));
      if (skipped > 0) {
        spdlog::warn("dashboards: {} stored record(s) could not be read and are left out of the figures", skipped);
      }
    } else {
      // Everything written since, wherever it is now: a record of the scope is applied, one
      // that moved out of it is removed. Applying a record twice (a retried read) gives the
      // same dashboard.
      ScopeFilter everything;
      everything.all_schools = true;
      everything.include_district_wide = true;
      constexpr size_t kPage = 10'000;
      uint64_t after = entry.seq;
      while (after < seq) {
        ASSIGN_OR_RETURN(std::vector<StoredRecord> page, tx.RecordsInRange(everything, after, seq, kPage));
        for (const StoredRecord& r : page) {
          const std::vector<Uuid>& schools = entry.scope.schools;
          const bool in_scope =
              r.school_id ? std::binary_search(schools.begin(), schools.end(), *r.school_id)
                          : r.district && (*r.district == entry.scope.district || *r.district == kSharedDistrict);
          if (in_scope) {
            if (!entry.dashboard->Apply(r.state).ok()) {
              spdlog::warn("dashboards: record {} could not be read and is left out of the figures",
                           r.state.id.ToString());
            }
          } else {
            entry.dashboard->Remove(r.state.id);
          }
        }
        if (page.size() < kPage) break;
        after = page.back().seq;
      }
    }
    entry.seq = seq;
    return Status::Ok();
  });
  if (!read.ok() && build) entry.dashboard.reset();  // half a scope is no dashboard: build again next time
  if (!read.ok()) return read;
  if (build) ++builds_;
  entry.dashboard->Refresh(core::Date::FromUnixMillis(clock_.NowMillis(), clock_.UtcOffsetMinutes()));
  return Status::Ok();
}

Status Dashboards::With(const Account& account, const std::function<Status(const core::Dashboard&)>& fn) {
  if (!service_.SeesRecords(account)) {
    return Status::PermissionDenied(Bilingual(
        "An administrator's account manages accounts and has no dashboards. Sign in as a coordinator, mentor or tutor.",
        "У учётной записи администратора нет показателей: она управляет учётными записями. Войдите как координатор, "
        "наставник или тьютор."));
  }
  ASSIGN_OR_RETURN(AccountScope scope, service_.ScopeOf(account));
  std::shared_ptr<Entry> entry = EntryFor(scope);
  std::lock_guard lock(entry->mu);
  RETURN_IF_ERROR(Update(*entry, nullptr));
  return fn(*entry->dashboard);
}

Status Dashboards::WarmUp(const std::atomic<bool>& cancel) {
  std::vector<Account> accounts;
  RETURN_IF_ERROR(storage_.Read([&](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(accounts, tx.ListAccounts());
    return Status::Ok();
  }));
  std::vector<AccountScope> scopes;
  for (const Account& a : accounts) {
    if (a.role != Role::kCoordinator || a.disabled) continue;
    ASSIGN_OR_RETURN(AccountScope scope, service_.ScopeOf(a));
    if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end()) scopes.push_back(std::move(scope));
  }
  std::stable_sort(scopes.begin(), scopes.end(),
                   [](const auto& a, const auto& b) { return a.schools.size() > b.schools.size(); });
  if (scopes.size() > max_cached_) scopes.resize(max_cached_);
  for (const AccountScope& scope : scopes) {
    if (cancel.load()) return Status::Cancelled("the server is stopping");
    std::shared_ptr<Entry> entry = EntryFor(scope);
    std::lock_guard lock(entry->mu);
    if (entry->dashboard) continue;  // a request built it meanwhile
    const auto started = std::chrono::steady_clock::now();
    RETURN_IF_ERROR(Update(*entry, &cancel));
    spdlog::info("dashboards: {} school(s), {} record(s) ready in {:.1f} s", scope.schools.size(),
                 entry->dashboard->records(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  return Status::Ok();
}

Result<std::string> Dashboards::DistrictJson(const Account& account, Language language) {
  std::string out;
  RETURN_IF_ERROR(With(account, [&](const core::Dashboard& d) {
    out = core::DistrictViewJson(d.district(), language);
    return Status::Ok();
  }));
  return out;
}

Result<std::string> Dashboards::SchoolJson(const Account& account, const Uuid& school_id, Language language) {
  std::string out;
  RETURN_IF_ERROR(With(account, [&](const core::Dashboard& d) -> Status {
    const core::SchoolProgress* p = d.Find(school_id);
    if (p == nullptr) {
      return Status::NotFound(Bilingual("No school " + school_id.ToString() + " among the schools you work with.",
                                        "Среди ваших школ нет школы " + school_id.ToString() + "."));
    }
    out = core::SchoolProgressJson(*p, language);
    return Status::Ok();
  }));
  return out;
}

}  // namespace mentorlog::server
