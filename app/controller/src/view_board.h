// ViewBoard: where the controller's owners publish their slices of the view, and the AppView
// the UI reads each frame, assembled from the latest of each.
//
//   - the screens' slice (Screens): every section built from the store, the notice and the
//     UI's words;
//   - the sync's slice (SyncRunner): whether a sync runs, how far it is, what is left to send;
//   - the dashboards' slice (Dashboards): the figures last computed and whether newer ones are
//     being computed.
//
// A publish assembles the next AppView on the publisher's thread, outside the lock the UI
// takes, so View() is a pointer copy. Assembling copies a pointer per section (ui::Section),
// never a section's rows: a sync's progress report does not copy a list of 19,000 rows.
//
// Thread safety: every method may be called from any thread. A published AppView is
// immutable.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "mentorlog/ui/view.h"

namespace mentorlog::app {

struct DashboardSlice {
  std::shared_ptr<const ui::DashboardView> view;  // null until the first computation is done
  bool computing = false;                         // a newer one is being computed
};

class ViewBoard {
 public:
  ViewBoard();

  // `screens`: the sections the screens' owner built (its sync, dashboard and version fields
  // are ignored: they come from the other slices).
  void PublishScreens(ui::AppView screens);
  void PublishSync(ui::SyncRun sync);
  void PublishDashboard(DashboardSlice dashboard);
  // Marks the dashboards as being computed, shown with the next slice published (no view is
  // assembled for it alone).
  void MarkDashboardComputing();

  // The latest AppView; never null.
  std::shared_ptr<const ui::AppView> View() const;

 private:
  // Lays the sync and dashboard slices over `view` and publishes it. REQUIRES: publish_mu_ held.
  void Assemble(ui::AppView view);

  std::mutex publish_mu_;  // one publisher at a time: none overwrites another's slice
  ui::SyncRun sync_;       // GUARDED_BY(publish_mu_)
  DashboardSlice dash_;    // GUARDED_BY(publish_mu_)
  uint64_t version_ = 0;   // GUARDED_BY(publish_mu_)

  mutable std::mutex view_mu_;               // held only to swap or copy the pointer
  std::shared_ptr<const ui::AppView> view_;  // GUARDED_BY(view_mu_)
};

}  // namespace mentorlog::app
