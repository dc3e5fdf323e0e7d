// AppController: between the screens and the store. The UI hands it each frame's Actions
// (Apply) and reads the latest AppView (View). The work is done by three owners, each on its
// own queue, each publishing an immutable slice of the view (app/controller/src):
//   - Screens (the worker): saves, drafts, settings and the sections built from the store;
//     one rebuild after a burst of actions;
//   - SyncRunner: sign-in, sign-out and sync::SyncClient, with its progress; the automatic sync;
//   - Dashboards: one core::Dashboard following the store's change feed, as the server's
//     dashboards follow its seq; nobody waits for it.
// The ViewBoard assembles the AppView from the latest slice of each.
//
// Threads: with ControllerOptions::threads each owner has a thread of its own (the desktop).
// Without, nothing runs until Step, which the frame loop calls once a frame (the browser has
// no threads to spare): it runs what each owner had queued, and a sync runs inside it.
//
// Thread safety: Apply, View, TakeOpenedForm and WaitIdle may be called from any thread (Apply
// and View are meant for the UI thread: Apply only queues, View only copies a pointer); Step
// from the UI thread. A published AppView is immutable and may be read while the next is built.
// Destruction cancels a running sync, skips sync jobs not started yet, runs the worker's queued
// tasks (a queued save or draft is not lost) and joins every thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "mentorlog/base/language.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/store/store.h"
#include "mentorlog/ui/action.h"
#include "mentorlog/ui/i18n.h"
#include "mentorlog/ui/state.h"
#include "mentorlog/ui/view.h"

namespace mentorlog::app {

struct ControllerOptions {
  std::filesystem::path data_dir;          // where the sign-in token is kept (session.h)
  std::filesystem::path assets_dir;        // translations: assets_dir/i18n/<language>/*.tsv
  Language language = Language::kRussian;  // of the UI
  // True when `language` was asked for (--lang): it then wins over the one saved in Settings.
  bool language_forced = false;
  // The translations of `language` when the caller has them loaded already; null: loaded here.
  std::shared_ptr<const ui::Translations> translations;
  std::string server_url;                   // the default server for the first sign-in; empty: none
  const mentorlog::Clock* clock = nullptr;  // null: platform::DefaultClock()
  // With "sync by itself when online" on: a sync this long after the last try, and one soon
  // after each save. Offline, a try fails fast and the next comes one period later.
  std::chrono::milliseconds auto_sync_every{std::chrono::minutes(5)};
  // A thread for each owner (the desktop). False: nothing runs but in Step (the browser).
  bool threads = true;
  // Tests only: called on the worker before each task (to hold the worker up).
  std::function<void()> before_worker_task;
};

// A form the controller opened (from a draft), for the UI to put into its UiState.
struct OpenedForm {
  ui::Form form;
  std::string draft_key;
};

class Screens;
class SyncRunner;
class Dashboards;
class UiTexts;
class ViewBoard;

class AppController {
 public:
  // Keeps a reference to `store` (which must outlive the controller), loads the translations
  // and queues the first AppView (View() is an empty AppView until it is built).
  AppController(core::Store& store, ControllerOptions options);
  ~AppController();
  AppController(const AppController&) = delete;
  AppController& operator=(const AppController&) = delete;

  // Queues the work for `actions` and returns (no store access, no waiting).
  void Apply(const ui::Actions& actions);

  // The latest published snapshot; never null.
  std::shared_ptr<const ui::AppView> View() const;

  // The form an OpenDraft or OpenRecord produced, once (then nullopt until the next one).
  std::optional<OpenedForm> TakeOpenedForm();

  // Without ControllerOptions::threads: runs what each owner had queued when called (the
  // automatic sync when due, the actions and the rebuild, a dashboards' refresh, a sync job),
  // and returns whether anything ran. With threads: does nothing.
  bool Step();

  // Blocks until every task queued before the call has run and its view is published, and no
  // sync job is left. For tests and shutdown paths; not for the UI thread. REQUIRES: not called
  // on the controller's own threads. Without threads it runs them (Step until none is left).
  void WaitIdle();
  // WaitIdle, and then until the dashboards are computed and published with everything
  // saved so far. For tests; not for the UI thread.
  void WaitDashboard();

 private:
  template <class A>
  void Route(const A& action);

  core::Store& store_;
  const ControllerOptions options_;
  const mentorlog::Clock& clock_;
  std::unique_ptr<UiTexts> texts_;
  std::unique_ptr<ViewBoard> board_;
  // Declared so: made after what they use; destroyed first (the destructor stops them in turn).
  std::unique_ptr<SyncRunner> sync_;
  std::unique_ptr<Dashboards> dashboards_;
  std::unique_ptr<Screens> screens_;
};

}  // namespace mentorlog::app
