// SyncRunner (sync_runner.h).
#include "sync_runner.h"

#include <string>
#include <utility>

#include "mentorlog/app/session.h"
#include "mentorlog/sync/client.h"
#include "mentorlog/sync/device.h"

namespace mentorlog::app {

SyncRunner::SyncRunner(core::Store& store, const ControllerOptions& options, const mentorlog::Clock& clock,
                       UiTexts& texts, ViewBoard& board, std::function<void(Notice)> tell)
    : store_(store),
      options_(options),
      clock_(clock),
      texts_(texts),
      board_(board),
      tell_(std::move(tell)),
      next_due_(std::chrono::steady_clock::now() + options.auto_sync_every),
      queue_(options.threads, nullptr) {
  if (options_.threads) timer_ = std::thread([this] { RunTimer(); });
}

SyncRunner::~SyncRunner() { Stop(); }

void SyncRunner::Stop() {
  {
    std::lock_guard lock(timer_mu_);
    timer_stop_ = true;
  }
  timer_cv_.notify_all();
  if (timer_.joinable()) timer_.join();
  cancel_.store(true);
  queue_.Drop();
  queue_.Join();  // its running job stops at the cancel flag
}

void SyncRunner::Take(const ui::StartSync& a) {
  if (queued_.exchange(true)) return;  // one is queued or running already
  queue_.Post([this, automatic = a.automatic] { RunSync(automatic); });
}

void SyncRunner::Take(const ui::CancelSync&) {
  if (queued_.load()) cancel_.store(true);  // no sync: nothing to cancel
}

void SyncRunner::Take(const ui::SignIn& a) {
  queue_.Post([this, a] { RunSignIn(a); });
}

void SyncRunner::Take(const ui::SignOut&) {
  queue_.Post([this] { RunSignOut(); });
}

void SyncRunner::SetAuto(bool on) { auto_.store(on); }

void SyncRunner::Kick() {
  if (!auto_.load()) return;
  {
    std::lock_guard lock(timer_mu_);
    kicked_ = true;
  }
  timer_cv_.notify_all();
}

bool SyncRunner::AutoDue() { return auto_.load() && HasToken(options_.data_dir); }

void SyncRunner::RunTimer() {
  std::unique_lock lock(timer_mu_);
  while (true) {
    timer_cv_.wait_for(lock, options_.auto_sync_every, [&] { return timer_stop_ || kicked_; });
    if (timer_stop_) return;
    kicked_ = false;
    lock.unlock();
    if (AutoDue()) Take(ui::StartSync{.automatic = true});  // a sync queued or running absorbs it
    lock.lock();
  }
}

void SyncRunner::Step() {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(timer_mu_);
    if (!kicked_ && now < next_due_) return;
    kicked_ = false;
    next_due_ = now + options_.auto_sync_every;
  }
  if (AutoDue()) Take(ui::StartSync{.automatic = true});
}

void SyncRunner::RunSync(bool automatic) {
  const auto tr = texts_.Current();
  board_.PublishSync(ui::SyncRun{true, 0, (*tr)("view.sync.starting")});
  auto options = SignedInOptions(store_.ledger(), options_.data_dir, texts_.Words("view.sync.not_signed_in"));
  Status result;
  if (!options.ok()) {
    result = options.status();
  } else {
    options->cancel = &cancel_;
    // Offline, an automatic try fails at once and the next comes one period later; retrying
    // with backoff would hold the sync (and a "Sync now") for half a minute.
    if (automatic) options->max_attempts = 1;
    options->clock = &clock_;
    options->on_progress = [this, tr, language = texts_.language()](const sync::SyncProgress& p) {
      ui::SyncRun slice{true, 0, {}};
      if (p.phase == sync::SyncProgress::Phase::kPush) {
        const int64_t total = p.records_pushed + p.pending;
        slice.progress = total > 0 ? 0.5f * static_cast<float>(p.records_pushed) / static_cast<float>(total) : 0.5f;
        slice.progress_text = tr->Format(
            "view.sync.pushing",
            {std::to_string(p.batches), std::to_string(p.records_pushed), std::to_string(p.bytes_up / 1024)});
      } else if (p.phase == sync::SyncProgress::Phase::kPull) {
        slice.progress = 0.5f + 0.5f * (1.0f - 1.0f / static_cast<float>(p.batches + 1));
        slice.progress_text = tr->Format(
            "view.sync.pulling",
            {std::to_string(p.batches), std::to_string(p.records_pulled), std::to_string(p.bytes_down / 1024)});
      } else {
        slice.progress = 1.0f;
      }
      if (!p.last_error.en.empty()) slice.progress_text += " — " + p.last_error.In(language);
      board_.PublishSync(std::move(slice));
    };
    sync::SyncClient client(store_.ledger(), std::move(options).value());
    result = client.Sync().status();
  }
  board_.PublishSync(ui::SyncRun{});
  queued_.store(false);
  cancel_.store(false);
  if (result.ok()) {
    tell_(Notice::Words("view.notice.synced"));
  } else if (result.code() == StatusCode::kCancelled) {
    tell_(Notice::Words("view.notice.sync_cancelled"));
  } else {
    tell_(Notice::Error(result));
  }
}

void SyncRunner::RunSignIn(const ui::SignIn& sign_in) {
  sync::ClientOptions options;
  options.server_url = sign_in.server.empty() ? options_.server_url : sign_in.server;
  options.max_attempts = 4;  // someone is waiting
  options.clock = &clock_;
  auto who = SignIn(store_.ledger(), options_.data_dir, options, sign_in.login, sign_in.password);
  tell_(who.ok() ? Notice::Words("view.notice.signed_in", {who->display_name}) : Notice::Error(who.status()));
  // A first sync right away: the person's schools come with it.
  if (who.ok() && !queued_.exchange(true)) RunSync(/*automatic=*/false);
}

void SyncRunner::RunSignOut() {
  auto report = SignOut(store_.ledger(), options_.data_dir, /*max_attempts=*/2);
  Status cleared = store_.ledger().InTransaction([&]() -> Status {
    RETURN_IF_ERROR(store_.ledger().SetSyncValue(sync::kPersonIdKey, ""));
    return store_.ledger().SetSyncValue(sync::kDisplayNameKey, "");
  });
  const Status status = report.ok() ? cleared : report.status();
  tell_(status.ok() ? Notice::Words("view.notice.signed_out") : Notice::Error(status));
}

}  // namespace mentorlog::app
