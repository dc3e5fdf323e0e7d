// The central store's dashboards (dashboards.h).
#include "dashboards.h"

#include <algorithm>

#include "accounts.h"
#include "mentorlog/core/dashboard_json.h"

namespace mentorlog::server {

struct Dashboards::Entry {
  std::vector<Uuid> scope;
  std::string lang;
  std::mutex mu;  // guards what follows
  std::optional<core::Dashboard> dashboard;
  uint64_t seq = 0;  // every record up to this seq is in `dashboard`
};

Dashboards::Dashboards(Storage& storage, SyncService& service, core::DashboardConfig config,
                       const platform::Clock& clock, size_t max_cached)
    : storage_(storage),
      service_(service),
      config_(std::move(config)),
      clock_(clock),
      max_cached_(std::max<size_t>(1, max_cached)) {}

Dashboards::~Dashboards() = default;

std::shared_ptr<Dashboards::Entry> Dashboards::EntryFor(const std::vector<Uuid>& scope, std::string_view lang) {
  std::lock_guard lock(mu_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if ((*it)->scope == scope && (*it)->lang == lang) {
      entries_.splice(entries_.begin(), entries_, it);
      return entries_.front();
    }
  }
  auto entry = std::make_shared<Entry>();
  entry->scope = scope;
  entry->lang = std::string(lang);
  entries_.push_front(entry);
  while (entries_.size() > max_cached_) entries_.pop_back();  // a request using it keeps it alive
  return entry;
}

Status Dashboards::With(const Account& account, std::string_view lang,
                        const std::function<Status(const core::Dashboard&)>& fn) {
  if (!service_.SeesRecords(account)) {
    return Status::PermissionDenied(Bilingual(
        "An administrator's account manages accounts and has no dashboards. Sign in as a coordinator, mentor or tutor.",
        "У учётной записи администратора нет показателей: она управляет учётными записями. Войдите как координатор, "
        "наставник или тьютор."));
  }
  ASSIGN_OR_RETURN(std::vector<Uuid> scope, service_.ScopeOf(account));
  const core::Date today = core::Date::FromUnixMillis(clock_.NowMillis(), clock_.UtcOffsetMinutes());
  std::shared_ptr<Entry> entry = EntryFor(scope, lang);
  std::lock_guard lock(entry->mu);
  const bool build = !entry->dashboard.has_value();
  RETURN_IF_ERROR(storage_.Read([&](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(const uint64_t seq, tx.MaxSeq());
    if (build) {
      entry->dashboard.emplace(config_, entry->lang);  // a retried read starts over
      // School by school, off the (school_id, seq) index (StorageTx::ScanSchool).
      auto apply = [&](const StoredRecord& r) { return entry->dashboard->Apply(r.state); };
      for (const Uuid& school : scope) RETURN_IF_ERROR(tx.ScanSchool(school, apply));
      RETURN_IF_ERROR(tx.ScanSchool(std::nullopt, apply));
    } else {
      // Everything written since, wherever it is now: a record of the scope is applied, one
      // that moved out of it is removed. Applying a record twice (a retried read) gives the
      // same dashboard.
      ScopeFilter everything;
      everything.all_schools = true;
      everything.include_district_wide = true;
      constexpr size_t kPage = 10'000;
      uint64_t after = entry->seq;
      while (after < seq) {
        ASSIGN_OR_RETURN(std::vector<StoredRecord> page, tx.RecordsInRange(everything, after, seq, kPage));
        for (const StoredRecord& r : page) {
          const bool in_scope =
              !r.school_id || std::binary_search(entry->scope.begin(), entry->scope.end(), *r.school_id);
          if (in_scope) {
            RETURN_IF_ERROR(entry->dashboard->Apply(r.state));
          } else {
            entry->dashboard->Remove(r.state.id);
          }
        }
        if (page.size() < kPage) break;
        after = page.back().seq;
      }
    }
    entry->seq = seq;
    return Status::Ok();
  }));
  entry->dashboard->Refresh(today);
  return fn(*entry->dashboard);
}

Result<std::string> Dashboards::DistrictJson(const Account& account, std::string_view lang) {
  std::string out;
  RETURN_IF_ERROR(With(account, lang, [&](const core::Dashboard& d) {
    out = core::DistrictViewJson(d.district(), lang);
    return Status::Ok();
  }));
  return out;
}

Result<std::string> Dashboards::SchoolJson(const Account& account, const Uuid& school_id, std::string_view lang) {
  std::string out;
  RETURN_IF_ERROR(With(account, lang, [&](const core::Dashboard& d) -> Status {
    const core::SchoolProgress* p = d.Find(school_id);
    if (p == nullptr) {
      return Status::NotFound(Bilingual("No school " + school_id.ToString() + " among the schools you work with.",
                                        "Среди ваших школ нет школы " + school_id.ToString() + "."));
    }
    out = core::SchoolProgressJson(*p, lang);
    return Status::Ok();
  }));
  return out;
}

}  // namespace mentorlog::server
