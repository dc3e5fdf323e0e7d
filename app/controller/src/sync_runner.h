// SyncRunner: the controller's owner of the link to the server: sign-in, sign-out and
// sync::SyncClient, one job at a time on its own queue, and the automatic sync ("sync by
// itself when online": one every ControllerOptions::auto_sync_every, and one soon after a
// save). A running sync publishes its progress as the sync's slice (view_board.h); when a job
// ends, its notice goes to the screens (`tell`), which rebuild everything.
//
// Threaded, the automatic sync has a timer thread; in step mode Step asks for it when due.
//
// Thread safety: every public method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "mentorlog/app/controller.h"
#include "notice.h"
#include "task_queue.h"
#include "ui_texts.h"
#include "view_board.h"

namespace mentorlog::app {

class SyncRunner {
 public:
  SyncRunner(core::Store& store, const ControllerOptions& options, const mentorlog::Clock& clock, UiTexts& texts,
             ViewBoard& board, std::function<void(Notice)> tell);
  ~SyncRunner();  // Stop

  // One overload per action: each queues its job (or, CancelSync, sets the cancel flag).
  void Take(const ui::StartSync& a);  // a sync queued or running already absorbs it
  void Take(const ui::CancelSync& a);
  void Take(const ui::SignIn& a);
  void Take(const ui::SignOut& a);

  // The "sync by itself" setting, as the screens last saw it.
  void SetAuto(bool on);
  // A sync soon, when the setting is on (after a save; at start).
  void Kick();
  // Step mode: asks for the automatic sync when it is due.
  void Step();
  // Cancels a running sync, drops the jobs not started, stops the timer; joins.
  void Stop();

  TaskQueue& queue() { return queue_; }

 private:
  void RunSync(bool automatic);
  void RunSignIn(const ui::SignIn& sign_in);
  void RunSignOut();
  void RunTimer();  // threaded: the automatic sync's timer thread
  bool AutoDue();   // whether the setting is on and someone is signed in

  core::Store& store_;
  const ControllerOptions& options_;
  const mentorlog::Clock& clock_;
  UiTexts& texts_;
  ViewBoard& board_;
  const std::function<void(Notice)> tell_;

  std::atomic<bool> cancel_{false};
  std::atomic<bool> queued_{false};  // a sync is queued or running
  std::atomic<bool> auto_{false};

  std::mutex timer_mu_;
  std::condition_variable timer_cv_;
  bool timer_stop_ = false;                         // GUARDED_BY(timer_mu_)
  bool kicked_ = false;                             // GUARDED_BY(timer_mu_)
  std::chrono::steady_clock::time_point next_due_;  // GUARDED_BY(timer_mu_): step mode
  std::thread timer_;

  TaskQueue queue_;  // last: joined before the rest goes
};

}  // namespace mentorlog::app
