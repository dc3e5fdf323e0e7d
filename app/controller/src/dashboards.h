// Dashboards: the controller's owner of the figures. It keeps one core::Dashboard
// (domain/dashboard.h) on its own queue and follows the store's change feed
// (Records::ChangesSince) into it, as the server's dashboards follow the server's seq: every
// record at the first refresh, then whatever was written since (a save, a sync, another
// program), whenever it is asked (Queue). Each refresh publishes the dashboards' slice
// (view_board.h): plain, formatted copies. Until the first is done the slice's view is null;
// while a newer one is computed the last stays, with `computing` set. Nobody waits for it.
//
// Thread safety: Queue, MakeReport, AsOf and Stop may be called from any thread; the rest runs
// on the queue.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "mentorlog/app/controller.h"
#include "mentorlog/app/dashboard_view.h"
#include "mentorlog/domain/dashboard.h"
#include "notice.h"
#include "task_queue.h"
#include "ui_texts.h"
#include "view_board.h"

namespace mentorlog::app {

class Dashboards {
 public:
  // `config`: the dashboards' settings when the caller read them (null: read at the first
  // refresh, which says why when it cannot). `tell` shows a report's notice (Screens::Tell).
  Dashboards(core::Store& store, const ControllerOptions& options, const mentorlog::Clock& clock, UiTexts& texts,
             ViewBoard& board, std::function<void(Notice)> tell, std::optional<core::DashboardConfig> config,
             int no_contact_days);

  // Queues a refresh: what the change feed has after the last one read. A queued refresh
  // absorbs the next. Nothing after Stop.
  void Queue();
  // Queues a report of the dashboards' figures (ui/action.h), made from the Dashboard kept
  // here, brought up to date first; its notice goes through `tell`.
  void MakeReport(const ui::MakeReport& request);
  // Queues the closing of a monitoring round (core's rounds.h CloseRound) from the Dashboard kept
  // here, brought up to date first; then a refresh. Its notice goes through `tell`.
  void CloseRound(const Uuid& round_id);
  // The day of the last refresh; nullopt before the first.
  std::optional<core::Date> AsOf() const;
  // A running refresh stops early, queued ones are dropped, nothing more is queued; joins.
  void Stop();

  TaskQueue& queue() { return queue_; }

 private:
  void Refresh();
  // Reads the change feed up to its end into the Dashboard (the first time: builds it).
  Status CatchUp();
  void PublishComputing();

  core::Store& store_;
  const ControllerOptions& options_;
  const mentorlog::Clock& clock_;
  UiTexts& texts_;
  ViewBoard& board_;
  const std::function<void(Notice)> tell_;
  const int no_contact_days_;

  // Touched only on the queue.
  std::optional<core::DashboardConfig> config_;
  std::optional<core::Dashboard> dashboard_;
  uint64_t cursor_ = 0;                   // the store's change feed, read up to here into dashboard_
  std::optional<Language> rubrics_lang_;  // of rubrics_ (the figures hold both languages)
  RubricWords rubrics_;
  std::shared_ptr<const ui::DashboardView> published_;

  mutable std::mutex mu_;
  bool queued_ = false;              // GUARDED_BY(mu_)
  std::optional<core::Date> as_of_;  // GUARDED_BY(mu_)
  std::atomic<bool> stop_{false};    // a long feed stops early

  TaskQueue queue_;  // last: joined before the rest goes
};

}  // namespace mentorlog::app
