// AppController (controller.h): makes the owners, routes each action to the one that handles
// it, and runs them in step mode.
#include "mentorlog/app/controller.h"

#include <utility>
#include <variant>

#include "dashboards.h"
#include "screens.h"
#include "sync_runner.h"
#include "ui_texts.h"
#include "view_board.h"

namespace mentorlog::app {

AppController::AppController(core::Store& store, ControllerOptions options)
    : store_(store),
      options_(std::move(options)),
      clock_(options_.clock ? *options_.clock : platform::DefaultClock()),
      texts_(std::make_unique<UiTexts>(options_.assets_dir / "i18n", options_.language, options_.translations)),
      board_(std::make_unique<ViewBoard>()) {
  // The dashboards' settings; the Today cards need its no-contact threshold. When the file
  // cannot be read, the dashboards try again at their first refresh and say why.
  std::optional<core::DashboardConfig> config;
  int no_contact_days = core::kDefaultNoContactDays;
  if (auto loaded = core::LoadDashboardConfig(options_.assets_dir); loaded.ok()) {
    no_contact_days = loaded->no_contact_days;
    config = std::move(loaded).value();
  }
  auto tell = [this](Notice notice) { screens_->Tell(std::move(notice)); };
  sync_ = std::make_unique<SyncRunner>(store_, options_, clock_, *texts_, *board_, tell);
  dashboards_ = std::make_unique<Dashboards>(store_, options_, clock_, *texts_, *board_, tell, std::move(config),
                                             no_contact_days);
  screens_ =
      std::make_unique<Screens>(store_, options_, clock_, *texts_, *board_, *dashboards_, *sync_, no_contact_days);
  screens_->Start();
}

AppController::~AppController() {
  sync_->Stop();        // a running sync stops at its cancel flag; it may still tell the screens
  dashboards_->Stop();  // likewise
  screens_.reset();     // runs what is queued (saves, drafts), then joins
}

template <class A>
void AppController::Route(const A& action) {
  if constexpr (requires { sync_->Take(action); }) {
    sync_->Take(action);
  } else {
    screens_->Take(action);
  }
}

void AppController::Apply(const ui::Actions& actions) {
  for (const ui::Action& action : actions) {
    std::visit([this](const auto& a) { Route(a); }, action);
  }
}

std::shared_ptr<const ui::AppView> AppController::View() const { return board_->View(); }

std::optional<OpenedForm> AppController::TakeOpenedForm() { return screens_->TakeOpenedForm(); }

bool AppController::Step() {
  if (options_.threads) return false;
  sync_->Step();
  size_t ran = screens_->queue().RunPending();  // the frame's actions, and the rebuild
  ran += dashboards_->queue().RunPending();
  ran += sync_->queue().RunPending();  // a sync runs here to its end
  return ran > 0;
}

void AppController::WaitIdle() {
  if (!options_.threads) {
    // Until nothing is left of what Step would run but the dashboards (WaitDashboard waits
    // for those, as on their thread).
    while (screens_->queue().RunPending() + sync_->queue().RunPending() > 0) {
    }
    return;
  }
  sync_->queue().WaitIdle();
  screens_->queue().WaitIdle();
}

void AppController::WaitDashboard() {
  WaitIdle();
  dashboards_->queue().WaitIdle();
  WaitIdle();  // what the dashboards told the screens
}

}  // namespace mentorlog::app
