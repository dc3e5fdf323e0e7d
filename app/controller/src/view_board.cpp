// ViewBoard (view_board.h).
#include "view_board.h"

#include <utility>

namespace mentorlog::app {

ViewBoard::ViewBoard() : view_(std::make_shared<const ui::AppView>()) {}

std::shared_ptr<const ui::AppView> ViewBoard::View() const {
  std::lock_guard lock(view_mu_);
  return view_;
}

void ViewBoard::PublishScreens(ui::AppView screens) {
  std::lock_guard lock(publish_mu_);
  Assemble(std::move(screens));
}

void ViewBoard::PublishSync(ui::SyncRun sync) {
  std::lock_guard lock(publish_mu_);
  sync_ = std::move(sync);
  Assemble(*View());
}

void ViewBoard::PublishDashboard(DashboardSlice dashboard) {
  std::lock_guard lock(publish_mu_);
  dash_ = std::move(dashboard);
  Assemble(*View());
}

void ViewBoard::MarkDashboardComputing() {
  std::lock_guard lock(publish_mu_);
  dash_.computing = true;
}

void ViewBoard::Assemble(ui::AppView view) {
  view.sync_run = sync_;
  view.dashboard = dash_.view;
  view.dashboard_computing = dash_.computing;
  view.version = ++version_;
  auto next = std::make_shared<const ui::AppView>(std::move(view));
  std::lock_guard lock(view_mu_);
  view_ = std::move(next);
}

}  // namespace mentorlog::app
