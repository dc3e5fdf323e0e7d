// AppController: between the screens and the store. The UI thread hands it each frame's
// Actions (Apply) and reads the latest AppView snapshot (View); the work happens on two
// threads the controller owns:
//   - the worker runs saves, drafts and view rebuilds, one task at a time, in the order the
//     actions came; after the last queued task it rebuilds what changed and publishes a new
//     AppView (one rebuild for a burst of actions);
//   - the sync thread runs sign-in, sign-out and sync::SyncClient, and publishes the sync's
//     progress as it goes; CancelSync sets the client's cancel flag;
//   - the dashboard thread keeps one core::Dashboard (domain/dashboard.h) and follows the
//     store's change feed (Store::ChangesSince) into it, as the server's dashboards follow the
//     server's seq: every record once the controller starts, then whatever was written since
//     (a save, a sync, another program), whenever the worker sees the feed moved; it publishes
//     plain copies (AppView::dashboard) through the worker. Until the first one is
//     done AppView::dashboard is null; while a newer one is computed the last stays, with
//     AppView::dashboard_computing set. Neither the UI thread nor the worker waits for it.
//
// Thread safety: Apply, View and WaitIdle may be called from any thread (Apply and View are
// meant for the UI thread: Apply only queues, View only copies a pointer under a mutex).
// A published AppView is immutable and may be read while the next one is built.
// Destruction cancels a running sync, skips sync jobs not started yet, runs the worker's
// queued tasks (a queued save or draft is not lost) and joins both threads.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "mentorlog/base/language.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/store/store.h"
#include "mentorlog/ui/action.h"
#include "mentorlog/ui/i18n.h"
#include "mentorlog/ui/state.h"
#include "mentorlog/ui/view.h"

namespace mentorlog::app {

struct ControllerOptions {
  std::filesystem::path data_dir;    // where the sign-in token is kept (session.h)
  std::filesystem::path assets_dir;  // translations: assets_dir/i18n/<language>/*.tsv
  std::string language = "ru";       // of the UI: "ru" or "en"
  // True when `language` was asked for (--lang): it then wins over the one saved in Settings.
  bool language_forced = false;
  // The translations of `language` when the caller has them loaded already; null: loaded here.
  std::shared_ptr<const ui::Translations> translations;
  std::string server_url;                   // the default server for the first sign-in; empty: none
  const mentorlog::Clock* clock = nullptr;  // null: platform::DefaultClock()
  // With "sync by itself when online" on: a sync this long after the last try, and one soon
  // after each save. Offline, a try fails fast and the next comes one period later.
  std::chrono::milliseconds auto_sync_every{std::chrono::minutes(5)};
  // Tests only: called on the worker before each task (to hold the worker up).
  std::function<void()> before_worker_task;
};

// A form the controller opened (from a draft), for the UI to put into its UiState.
struct OpenedForm {
  ui::Form form;
  std::string draft_key;
};

class AppController {
 public:
  // Keeps a reference to `store` (which must outlive the controller), loads the translations
  // and publishes a first AppView (built on the worker; View() is an empty AppView until then).
  AppController(core::Store& store, ControllerOptions options);
  ~AppController();
  AppController(const AppController&) = delete;
  AppController& operator=(const AppController&) = delete;

  // Queues the work for `actions` and returns (no store access, no waiting).
  void Apply(const ui::Actions& actions);

  // The latest published snapshot; never null.
  std::shared_ptr<const ui::AppView> View() const;

  // The form an OpenDraft produced, once (then nullopt until the next one).
  std::optional<OpenedForm> TakeOpenedForm();

  // Blocks until every task queued on the worker before the call has run and its view is
  // published, and the sync thread has no job. For tests and shutdown paths; not for the UI
  // thread. REQUIRES: not called on the controller's own threads.
  void WaitIdle();
  // WaitIdle, and then until the dashboards are computed and published with everything
  // saved so far. For tests; not for the UI thread.
  void WaitDashboard();

 private:
  enum Section : unsigned {
    kToday = 1,
    kSchool = 2,
    kTeacher = 4,
    kRecommendations = 8,
    kForm = 16,
    kSync = 32,
    kSettings = 64,
    kAll = 127,
  };

  // A queue of tasks run in order by one thread.
  class TaskThread {
   public:
    // `on_idle` runs on the thread whenever the queue is empty after a task.
    TaskThread(std::function<void()> on_idle, std::function<void()> before_task);
    ~TaskThread();  // runs the queued tasks (unless Drop was called), then joins
    void Post(std::function<void()> task);
    void Drop();  // forget queued tasks not started yet
    void WaitIdle();
    void Join();

   private:
    void Run();
    std::function<void()> on_idle_;
    std::function<void()> before_task_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::condition_variable idle_cv_;
    std::deque<std::function<void()>> queue_;  // GUARDED_BY(mu_)
    bool busy_ = false;                        // GUARDED_BY(mu_)
    bool stop_ = false;                        // GUARDED_BY(mu_)
    std::thread thread_;
  };

  // ---- Worker-only (touched by tasks on the worker thread) ----
  void Handle(const ui::Action& action);
  void RebuildAndPublish();
  // The notice after an action: an error's message (kept in both languages), or the UI's
  // words under `key` with `args`. Either is rendered in the language of each rebuild, so a
  // language change in Settings shows the notice standing in the new language.
  void Notice(const Status& error);
  void Notice(std::string key, std::vector<std::string> args, bool is_error = false);
  std::optional<core::Uuid> PersonId() const;

  // ---- Sync thread ----
  void RunSync(bool automatic = false);
  void RunSignIn(const ui::SignIn& sign_in);
  void RunSignOut();

  void Publish(ui::AppView view);  // any thread
  std::string Lang() const;        // "ru" or "en": the UI's language now
  Language UiLanguage() const;
  // Switches the texts to "ru" or "en" (worker only); other values are ignored.
  void UseLanguage(const std::string& language);
  std::shared_ptr<const ui::Translations> Tr() const;  // in the UI's language now
  // The UI's words under `key` in both languages (any thread: loads the other language's words
  // at the first call; a key without them shows as itself).
  LocalText Words(std::string_view key, std::initializer_list<std::string_view> args = {});
  // The translations of `language`, loaded when not yet (any thread); null when they cannot be.
  std::shared_ptr<const ui::Translations> TrIn(Language language);
  void MarkDirty(unsigned sections) { dirty_.fetch_or(sections); }

  core::Store& store_;
  const ControllerOptions options_;
  const mentorlog::Clock& clock_;
  int no_contact_days_ = core::kDefaultNoContactDays;  // assets/dashboard.toml, read at start

  mutable std::mutex settings_mu_;
  std::string lang_;                                  // GUARDED_BY(settings_mu_)
  std::shared_ptr<const ui::Translations> tr_;        // GUARDED_BY(settings_mu_)
  std::shared_ptr<const ui::Translations> tr_other_;  // GUARDED_BY(settings_mu_): the other language's, once loaded

  // Worker-owned.
  std::string school_id_;
  std::string teacher_id_;
  std::string form_school_id_;
  ui::RecommendationFilter filter_;
  ui::SettingsView settings_;
  struct NoticeText {
    std::string key;  // the UI's words; empty: `text`
    std::vector<std::string> args;
    LocalText text;  // an error's message in both languages
  };
  NoticeText notice_;
  bool notice_is_error_ = false;
  std::string saved_form_id_;  // the record the last successful SaveForm wrote
  uint64_t saved_form_seq_ = 0;
  ui::AppView last_built_;  // the sections as last built, reused for those not rebuilt
  std::atomic<unsigned> dirty_{kAll};

  mutable std::mutex view_mu_;
  std::shared_ptr<const ui::AppView> view_;  // GUARDED_BY(view_mu_)
  uint64_t version_ = 0;                     // GUARDED_BY(view_mu_)
  bool sync_running_ = false;                // GUARDED_BY(view_mu_)
  float sync_progress_ = 0;                  // GUARDED_BY(view_mu_)
  std::string sync_progress_text_;           // GUARDED_BY(view_mu_)
  std::optional<OpenedForm> opened_;         // GUARDED_BY(view_mu_)

  std::shared_ptr<const ui::DashboardView> dashboard_;  // GUARDED_BY(view_mu_)
  bool dashboard_computing_ = false;                    // GUARDED_BY(view_mu_)

  std::atomic<bool> cancel_sync_{false};
  std::atomic<bool> sync_queued_{false};

  // Auto sync: a thread that asks for a sync every options_.auto_sync_every, or when kicked
  // (after a save), while settings say so and someone is signed in.
  void RunAutoSync();
  void KickAutoSync();
  std::atomic<bool> auto_sync_{false};  // the setting, as the worker last saw it
  std::mutex auto_mu_;
  std::condition_variable auto_cv_;
  bool auto_stop_ = false;  // GUARDED_BY(auto_mu_)
  bool auto_kick_ = false;  // GUARDED_BY(auto_mu_)
  std::thread auto_sync_thread_;

  // ---- Dashboard thread ----
  // Queues a refresh of the dashboards: what the store's change feed has after the last one
  // read (any thread); a queued refresh absorbs the next.
  void QueueDashboard();
  void RunDashboard();
  // Reads the change feed up to its end into the Dashboard (the first time: builds it).
  Status CatchUpDashboard();
  // A report of the dashboards' figures, from the Dashboard this thread keeps (brought up to
  // date first); the notice goes back through the worker.
  void MakeReportFromDashboard(const ui::MakeReport& request);
  struct DashboardState;                  // the core::Dashboard and what goes with it
  std::unique_ptr<DashboardState> dash_;  // the dashboard thread's only
  // Worker-owned: Store::LastChange when it last queued a refresh (none yet: the first is due).
  uint64_t dash_seen_change_ = UINT64_MAX;
  std::mutex dash_mu_;
  bool dash_queued_ = false;              // GUARDED_BY(dash_mu_)
  std::optional<core::Date> dash_as_of_;  // GUARDED_BY(dash_mu_): the day of the last refresh
  std::atomic<bool> dash_stop_{false};    // the destructor: a long feed stops early

  // Declared last: constructed after everything they use, destroyed (joined) first.
  std::unique_ptr<TaskThread> sync_thread_;
  std::unique_ptr<TaskThread> dashboard_thread_;
  std::unique_ptr<TaskThread> worker_;
};

}  // namespace mentorlog::app
