// Dashboards (dashboards.h).
#include "dashboards.h"

#include <utility>

#include "mentorlog/domain/rounds.h"
#include "reports.h"

namespace mentorlog::app {

Dashboards::Dashboards(core::Store& store, const ControllerOptions& options, const mentorlog::Clock& clock,
                       UiTexts& texts, ViewBoard& board, std::function<void(Notice)> tell,
                       std::optional<core::DashboardConfig> config, int no_contact_days)
    : store_(store),
      options_(options),
      clock_(clock),
      texts_(texts),
      board_(board),
      tell_(std::move(tell)),
      no_contact_days_(no_contact_days),
      config_(std::move(config)),
      queue_(options.threads, nullptr) {}

void Dashboards::Queue() {
  std::lock_guard lock(mu_);
  if (stop_.load() || queued_) return;  // a queued refresh reads every change up to its run
  queued_ = true;
  queue_.Post([this] { Refresh(); });
}

void Dashboards::MakeReport(const ui::MakeReport& request) {
  if (stop_.load()) return;
  queue_.Post([this, request] {
    // What was saved before the tap is in the feed already (the save ran on the worker first).
    Status caught_up = CatchUp();
    if (stop_.load()) return;
    if (dashboard_) dashboard_->Refresh(store_.records().Today());
    auto path = caught_up.ok()
                    ? WriteReport(store_.records(), request, options_.data_dir / "reports", options_.assets_dir,
                                  texts_.language(), dashboard_ ? &*dashboard_ : nullptr)
                    : Result<std::filesystem::path>(caught_up);
    tell_(path.ok() ? Notice::Words("view.notice.report_saved", {path->string()}) : Notice::Error(path.status()));
  });
}

void Dashboards::CloseRound(const Uuid& round_id) {
  if (stop_.load()) return;
  queue_.Post([this, round_id] {
    Status caught_up = CatchUp();
    if (stop_.load()) return;
    if (!caught_up.ok() || !dashboard_) {
      tell_(Notice::Error(caught_up.ok() ? Status::Unavailable(LocalText{"Показатели ещё считаются; повторите.",
                                                                         "The figures are still being computed; "
                                                                         "try again."})
                                         : caught_up));
      return;
    }
    dashboard_->Refresh(store_.records().Today());
    auto closed = core::CloseRound(store_.records(), *dashboard_, round_id);
    if (!closed.ok()) {
      tell_(Notice::Error(closed.status()));
      return;
    }
    tell_(Notice::Words("view.notice.round_closed",
                        {closed->round.name, std::to_string(closed->schools), closed->round.ends_on.ToString()}));
    Refresh();  // the district view shows the round closed, with its figures
  });
}

std::optional<core::Date> Dashboards::AsOf() const {
  std::lock_guard lock(mu_);
  return as_of_;
}

void Dashboards::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_.store(true);  // nothing is queued from here on; a running refresh stops early
  }
  queue_.Drop();
  queue_.Join();
}

void Dashboards::PublishComputing() { board_.PublishDashboard(DashboardSlice{published_, /*computing=*/true}); }

namespace {
constexpr size_t kScanPage = 2000;  // records read under the store's lock at a time
}  // namespace

Status Dashboards::CatchUp() {
  if (!config_) {
    ASSIGN_OR_RETURN(core::DashboardConfig config, core::LoadDashboardConfig(options_.assets_dir));
    config_ = std::move(config);
  }
  const bool first = !dashboard_;
  if (first) {
    // Every live record, table by table: 2.5 times faster than the feed's record-by-record
    // reads on a big store (bench/README.md); page by page, so the screens' views are built
    // between the pages instead of waiting for the whole scan. The feed then goes on from the number it had
    // before the scan (a record written meanwhile comes again: Apply is idempotent). A record
    // whose value cannot be read is skipped (Apply says so), as the store would refuse it anyway.
    ASSIGN_OR_RETURN(const uint64_t start, store_.records().LastChange());
    core::Dashboard fresh(*config_);
    RETURN_IF_ERROR(store_.records().ScanLiveStates(kScanPage, [&](const core::RecordState& state) -> Status {
      if (stop_.load()) return Status::Cancelled("the app is closing");
      (void)fresh.Apply(state);
      return Status::Ok();
    }));
    dashboard_ = std::move(fresh);
    cursor_ = start;
  }
  // Page by page: the store's lock is free between pages, so the screens' views do not wait
  // for a long feed (a first sync's thousands of records).
  constexpr size_t kPage = 500;
  bool rubric_changed = first;
  bool announced = false;
  while (!stop_.load()) {
    size_t fed = 0;
    ASSIGN_OR_RETURN(cursor_, store_.records().ChangesSince(cursor_, kPage, [&](const core::RecordState& state) {
      (void)dashboard_->Apply(state);  // a tombstone removes the record
      rubric_changed = rubric_changed || state.kind == core::RecordKind::kRubricTemplate;
      ++fed;
      return Status::Ok();
    }));
    if (fed < kPage) break;
    // A long feed (a first sync's thousands): "Updating…" now. A few changed records take
    // milliseconds: the next view says it.
    if (!announced) {
      announced = true;
      PublishComputing();
    }
  }
  // A pulled template's words, or the words of a language just chosen (the figures hold every
  // text in both languages: no feed again).
  const Language language = texts_.language();
  if (rubric_changed || rubrics_lang_ != language) {
    rubrics_ = LoadRubricWords(store_.records(), language);
    rubrics_lang_ = language;
  }
  return Status::Ok();
}

void Dashboards::Refresh() {
  {
    std::lock_guard lock(mu_);
    queued_ = false;
  }
  if (dashboard_) {
    board_.MarkDashboardComputing();  // shown with the next view; a few records take milliseconds
  } else {
    PublishComputing();  // the first feed: "Updating…" now
  }
  const Status error = CatchUp();
  if (stop_.load()) return;
  const Language language = texts_.language();
  const auto tr = texts_.Current();
  const core::Date today = store_.records().Today();
  ui::DashboardView view;
  if (dashboard_) {
    dashboard_->Refresh(today);
    const BuildContext ctx{std::nullopt, language, tr.get(), &clock_, no_contact_days_};
    view = BuildDashboardView(*dashboard_, *config_, rubrics_, ctx);
  }
  if (!error.ok()) view.error = error.message(language);
  published_ = std::make_shared<const ui::DashboardView>(std::move(view));
  bool again = false;
  {
    std::lock_guard lock(mu_);
    again = queued_;  // another refresh is coming
    as_of_ = today;
  }
  board_.PublishDashboard(DashboardSlice{published_, again});
}

}  // namespace mentorlog::app
