// AppController (controller.h).
//
// [SECTION] TaskThread
// [SECTION] Construction, Apply, View
// [SECTION] Worker: actions
// [SECTION] Worker: rebuilding views
// [SECTION] Sync thread
// [SECTION] Dashboard thread
#include "mentorlog/app/controller.h"

#include <algorithm>
#include <cstdio>
#include <future>
#include <map>
#include <type_traits>
#include <utility>
#include <variant>

#include "mentorlog/app/dashboard_view.h"
#include "mentorlog/app/form_apply.h"
#include "mentorlog/app/session.h"
#include "mentorlog/app/view_builder.h"
#include "mentorlog/domain/dashboard.h"
#include "mentorlog/domain/field_codec.h"
#include "mentorlog/sync/client.h"
#include "mentorlog/sync/device.h"
#include "reports.h"

namespace mentorlog::app {

namespace {

std::string_view KindCode(const ui::Form& form) {
  return form.index() == 0 ? "visit" : form.index() == 1 ? "observation" : "consultation";
}

}  // namespace

// What the dashboard thread keeps between refreshes (RunDashboard).
struct AppController::DashboardState {
  std::optional<core::DashboardConfig> config;
  std::optional<core::Dashboard> dashboard;
  uint64_t cursor = 0;     // the store's change feed, read up to here into `dashboard`
  bool announced = false;  // this refresh published "Updating…" already
  std::string lang;        // of `rubrics` (the figures hold both languages)
  RubricWords rubrics;
};

// -----------------------------------------------------------------------------------------
// [SECTION] TaskThread
// -----------------------------------------------------------------------------------------

AppController::TaskThread::TaskThread(std::function<void()> on_idle, std::function<void()> before_task)
    : on_idle_(std::move(on_idle)), before_task_(std::move(before_task)), thread_([this] { Run(); }) {}

AppController::TaskThread::~TaskThread() { Join(); }

void AppController::TaskThread::Join() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AppController::TaskThread::Post(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void AppController::TaskThread::Drop() {
  std::lock_guard lock(mu_);
  queue_.clear();
}

void AppController::TaskThread::WaitIdle() {
  std::unique_lock lock(mu_);
  idle_cv_.wait(lock, [&] { return queue_.empty() && !busy_; });
}

void AppController::TaskThread::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) break;  // stop_, and everything queued has run
    std::function<void()> task = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    if (before_task_) before_task_();
    task();
    lock.lock();
    if (queue_.empty() && on_idle_) {
      lock.unlock();
      on_idle_();
      lock.lock();
    }
    busy_ = false;
    if (queue_.empty()) idle_cv_.notify_all();
  }
  busy_ = false;
  idle_cv_.notify_all();
}

// -----------------------------------------------------------------------------------------
// [SECTION] Construction, Apply, View
// -----------------------------------------------------------------------------------------

AppController::AppController(core::Store& store, ControllerOptions options)
    : store_(store),
      options_(std::move(options)),
      clock_(options_.clock ? *options_.clock : platform::DefaultClock()),
      lang_(options_.language),
      tr_(std::make_shared<ui::Translations>()),
      view_(std::make_shared<ui::AppView>()) {
  settings_.language = options_.language;
  settings_.server = options_.server_url;
  sync_thread_ = std::make_unique<TaskThread>(nullptr, nullptr);
  dash_ = std::make_unique<DashboardState>();
  dashboard_thread_ = std::make_unique<TaskThread>(nullptr, nullptr);
  worker_ = std::make_unique<TaskThread>([this] { RebuildAndPublish(); }, options_.before_worker_task);
  // Loaded here unless given, before either thread can need a text (a few small files).
  Status error;
  if (options_.translations && options_.translations->lang() == options_.language) {
    tr_ = options_.translations;
  } else {
    auto tr = ui::Translations::Load(options_.assets_dir / "i18n", options_.language);
    if (tr.ok()) tr_ = std::make_shared<ui::Translations>(std::move(tr).value());
    error = tr.status();
  }
  // The dashboards' settings; the Today cards need its no-contact threshold. When the file
  // cannot be read, the dashboard thread tries again and says why.
  if (auto config = core::LoadDashboardConfig(options_.assets_dir); config.ok()) {
    no_contact_days_ = config->no_contact_days;
    dash_->config = std::move(config).value();
  }
  worker_->Post([this, error] {
    if (!error.ok()) Notice(error);
    auto saved = store_.device().Settings();
    if (saved.ok()) {
      // The language chosen in Settings, unless --lang asked for one.
      if (!options_.language_forced && saved->language) UseLanguage(std::string(LanguageCode(*saved->language)));
      settings_.text_scale = saved->text_scale;
      settings_.auto_sync = saved->auto_sync;
    } else {
      Notice(saved.status());
    }
    auto_sync_.store(settings_.auto_sync);
    if (settings_.auto_sync) KickAutoSync();  // at start: what came in while the app was closed
    MarkDirty(kAll);                          // the first view; then the dashboards (RebuildAndPublish)
  });
  auto_sync_thread_ = std::thread([this] { RunAutoSync(); });
}

void AppController::KickAutoSync() {
  {
    std::lock_guard lock(auto_mu_);
    auto_kick_ = true;
  }
  auto_cv_.notify_all();
}

void AppController::RunAutoSync() {
  std::unique_lock lock(auto_mu_);
  while (true) {
    auto_cv_.wait_for(lock, options_.auto_sync_every, [&] { return auto_stop_ || auto_kick_; });
    if (auto_stop_) return;
    auto_kick_ = false;
    if (!auto_sync_.load() || !HasToken(options_.data_dir)) continue;
    lock.unlock();
    Apply({ui::StartSync{.automatic = true}});  // a sync already queued or running absorbs it
    lock.lock();
  }
}

AppController::~AppController() {
  {
    std::lock_guard lock(auto_mu_);
    auto_stop_ = true;
  }
  auto_cv_.notify_all();
  if (auto_sync_thread_.joinable()) auto_sync_thread_.join();
  cancel_sync_.store(true);
  sync_thread_->Drop();
  sync_thread_.reset();  // its running job stops at the cancel flag; it may still post to the worker
  {
    std::lock_guard lock(dash_mu_);
    dash_stop_.store(true);  // no refresh is queued from here on; a running one stops early
  }
  dashboard_thread_->Drop();
  dashboard_thread_.reset();  // it may still post to the worker
  worker_.reset();            // runs what is queued (saves, drafts), then joins
}

std::shared_ptr<const ui::AppView> AppController::View() const {
  std::lock_guard lock(view_mu_);
  return view_;
}

std::optional<OpenedForm> AppController::TakeOpenedForm() {
  std::lock_guard lock(view_mu_);
  std::optional<OpenedForm> out = std::move(opened_);
  opened_.reset();
  return out;
}

void AppController::WaitIdle() {
  sync_thread_->WaitIdle();
  worker_->WaitIdle();
}

void AppController::WaitDashboard() {
  WaitIdle();
  dashboard_thread_->WaitIdle();
  worker_->WaitIdle();  // what the dashboard thread handed to it
}

void AppController::Apply(const ui::Actions& actions) {
  for (const ui::Action& action : actions) {
    if (std::holds_alternative<ui::CancelSync>(action)) {
      if (sync_queued_.load()) cancel_sync_.store(true);  // no sync: nothing to cancel
      continue;
    }
    if (const auto* start = std::get_if<ui::StartSync>(&action)) {
      if (sync_queued_.exchange(true)) continue;  // one is queued or running already
      sync_thread_->Post([this, automatic = start->automatic] { RunSync(automatic); });
      continue;
    }
    if (const auto* sign_in = std::get_if<ui::SignIn>(&action)) {
      sync_thread_->Post([this, s = *sign_in] { RunSignIn(s); });
      continue;
    }
    if (std::holds_alternative<ui::SignOut>(action)) {
      sync_thread_->Post([this] { RunSignOut(); });
      continue;
    }
    worker_->Post([this, action] { Handle(action); });
  }
}

std::string AppController::Lang() const {
  std::lock_guard lock(settings_mu_);
  return lang_;
}

std::shared_ptr<const ui::Translations> AppController::Tr() const {
  std::lock_guard lock(settings_mu_);
  return tr_;
}

Language AppController::UiLanguage() const { return LanguageFromCode(Lang()).value_or(Language::kRussian); }

std::shared_ptr<const ui::Translations> AppController::TrIn(Language language) {
  const std::string_view code = LanguageCode(language);
  std::lock_guard lock(settings_mu_);
  if (lang_ == code) return tr_;
  if (tr_other_ && tr_other_->lang() == code) return tr_other_;
  auto loaded = ui::Translations::Load(options_.assets_dir / "i18n", code);
  if (!loaded.ok()) return nullptr;
  tr_other_ = std::make_shared<ui::Translations>(std::move(loaded).value());
  return tr_other_;
}

LocalText AppController::Words(std::string_view key, std::initializer_list<std::string_view> args) {
  LocalText out;
  for (const Language language : {Language::kRussian, Language::kEnglish}) {
    const auto tr = TrIn(language);
    std::string& text = language == Language::kRussian ? out.ru : out.en;
    text = tr ? tr->Format(key, args) : ui::Translations().Format(key, args);
  }
  return out;
}

void AppController::UseLanguage(const std::string& code) {
  const std::optional<Language> language = LanguageFromCode(code);
  if (!language || *language == UiLanguage()) return;
  auto loaded = TrIn(*language);
  if (!loaded) {
    Notice(ui::Translations::Load(options_.assets_dir / "i18n", LanguageCode(*language)).status());
    return;
  }
  std::lock_guard lock(settings_mu_);
  lang_ = std::string(LanguageCode(*language));
  tr_other_ = std::exchange(tr_, std::move(loaded));
}

void AppController::Publish(ui::AppView view) {
  view.texts = Tr();
  std::lock_guard lock(view_mu_);
  view.sync.running = sync_running_;
  view.sync.progress = sync_progress_;
  view.sync.progress_text = sync_progress_text_;
  view.dashboard = dashboard_;
  view.dashboard_computing = dashboard_computing_;
  view.version = ++version_;
  view_ = std::make_shared<const ui::AppView>(std::move(view));
}

// -----------------------------------------------------------------------------------------
// [SECTION] Worker: actions
// -----------------------------------------------------------------------------------------

void AppController::Notice(const Status& error) {
  notice_ = NoticeText{{}, {}, error.local_message()};
  notice_is_error_ = true;
}

void AppController::Notice(std::string key, std::vector<std::string> args, bool is_error) {
  notice_ = NoticeText{std::move(key), std::move(args), {}};
  notice_is_error_ = is_error;
}

std::optional<core::Uuid> AppController::PersonId() const {
  auto value = store_.ledger().GetSyncValue(sync::kPersonIdKey);
  if (!value.ok() || !*value || (*value)->empty()) return std::nullopt;
  auto id = core::Uuid::Parse(**value);
  if (!id.ok()) return std::nullopt;
  return *id;
}

void AppController::Handle(const ui::Action& action) {
  const auto tr = Tr();
  std::visit(
      [&](const auto& a) {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, ui::OpenSchool>) {
          school_id_ = a.school_id;
          MarkDirty(kSchool);
        } else if constexpr (std::is_same_v<A, ui::OpenTeacher>) {
          teacher_id_ = a.teacher_id;
          MarkDirty(kTeacher);
        } else if constexpr (std::is_same_v<A, ui::PrepareForm>) {
          form_school_id_ = a.school_id;
          MarkDirty(kForm);
        } else if constexpr (std::is_same_v<A, ui::SaveForm>) {
          const auto ru = TrIn(Language::kRussian);
          const auto en = TrIn(Language::kEnglish);
          auto saved = SaveForm(store_.records(), a.form, PersonId(), ru ? *ru : ui::Translations(),
                                en ? *en : ui::Translations());
          if (!saved.ok()) {
            Notice(saved.status());
          } else {
            std::string key = a.draft_key.empty() ? ui::DraftKey(a.form) : a.draft_key;
            Status deleted = store_.device().DeleteDraft(key);
            const char* what = a.form.index() == 0   ? "view.notice.visit_saved"
                               : a.form.index() == 1 ? "view.notice.observation_saved"
                                                     : "view.notice.consultation_saved";
            if (deleted.ok()) {
              Notice(what, {});
            } else {
              Notice(deleted);
            }
            saved_form_id_ = std::visit([](const auto& f) { return f.id; }, a.form);
            ++saved_form_seq_;
            if (auto_sync_.load()) KickAutoSync();
          }
          MarkDirty(kAll);
        } else if constexpr (std::is_same_v<A, ui::SaveDraft>) {
          BuildContext ctx{PersonId(), Lang(), tr.get(), &clock_, no_contact_days_};
          core::DraftEntry draft;
          draft.key = a.key.empty() ? ui::DraftKey(a.form) : a.key;
          draft.kind = std::string(KindCode(a.form));
          draft.title = DraftTitle(store_.records(), ctx, a.form);
          draft.payload = ui::EncodeForm(a.form);
          Status s = store_.device().SaveDraft(draft);
          if (!s.ok()) Notice(s);
          MarkDirty(kToday);
        } else if constexpr (std::is_same_v<A, ui::DiscardDraft>) {
          Status s = store_.device().DeleteDraft(a.key);
          if (!s.ok()) Notice(s);
          MarkDirty(kToday);
        } else if constexpr (std::is_same_v<A, ui::OpenDraft>) {
          auto draft = store_.device().Draft(a.key);
          std::optional<ui::Form> form;
          if (draft.ok() && *draft) form = ui::DecodeForm((*draft)->payload);
          if (!draft.ok()) {
            Notice(draft.status());
          } else if (!form) {
            Notice("view.notice.draft_unreadable", {}, /*is_error=*/true);
          } else {
            std::lock_guard lock(view_mu_);
            opened_ = OpenedForm{std::move(*form), a.key};
          }
          MarkDirty(kToday);
        } else if constexpr (std::is_same_v<A, ui::OpenRecord>) {
          auto form = FormForRecord(store_.records(), a.record_id);
          if (!form.ok()) {
            Notice(form.status());
          } else {
            // An unfinished edit of this record wins over the saved record: nothing typed is lost.
            const std::string key = ui::DraftKey(*form);
            auto draft = store_.device().Draft(key);
            std::optional<ui::Form> edited;
            if (draft.ok() && *draft) edited = ui::DecodeForm((*draft)->payload);
            std::lock_guard lock(view_mu_);
            opened_ = OpenedForm{edited ? std::move(*edited) : std::move(form).value(), key};
          }
        } else if constexpr (std::is_same_v<A, ui::FilterRecommendations>) {
          filter_ = a.filter;
          MarkDirty(kRecommendations);
        } else if constexpr (std::is_same_v<A, ui::ResolveConflict>) {
          std::optional<core::Uuid> resolved;  // the record whose field was set
          Status s = [&]() -> Status {
            ASSIGN_OR_RETURN(core::Uuid id, core::Uuid::Parse(a.conflict_id));
            ASSIGN_OR_RETURN(auto conflicts, store_.ledger().Conflicts());
            for (const auto& c : conflicts) {
              if (c.id != id) continue;
              return store_.records().InTransaction([&]() -> Status {
                RETURN_IF_ERROR(core::VisitKind(c.kind, [&]<class R>() -> Status {
                  ASSIGN_OR_RETURN(R record, store_.records().Get<R>(c.record_id));
                  Status set = Status::InvalidInput(c.field);
                  core::ForEachFieldDef<R>([&](const auto& def) {
                    if (def.name != c.field) return;
                    using T = std::remove_cvref_t<decltype(record.*(def.member))>;
                    set = core::FieldCodec<T>::FromText(a.value, record.*(def.member));
                  });
                  RETURN_IF_ERROR(set);
                  resolved = c.record_id;
                  return store_.records().Save(std::move(record)).status();
                }));
                return store_.ledger().DismissConflict(id);
              });
            }
            return store_.ledger().DismissConflict(id);  // NotFound, with the store's message
          }();
          if (!s.ok()) Notice(s);
          MarkDirty(kAll);
        } else if constexpr (std::is_same_v<A, ui::DismissConflict>) {
          auto id = core::Uuid::Parse(a.conflict_id);
          Status s = id.ok() ? store_.ledger().DismissConflict(*id) : id.status();
          if (!s.ok()) Notice(s);
          MarkDirty(kSync);
        } else if constexpr (std::is_same_v<A, ui::WorkOffline>) {
          Status s = store_.records().InTransaction([&]() -> Status {
            ASSIGN_OR_RETURN(core::DeviceSettings settings, store_.device().Settings());
            settings.work_offline = true;
            return store_.device().SaveSettings(settings);
          });
          if (!s.ok()) Notice(s);
          MarkDirty(kAll);
        } else if constexpr (std::is_same_v<A, ui::ChangeSettings>) {
          settings_ = a.settings;
          auto_sync_.store(a.settings.auto_sync);
          if (a.settings.auto_sync) KickAutoSync();
          Status s = store_.records().InTransaction([&]() -> Status {
            ASSIGN_OR_RETURN(core::DeviceSettings settings, store_.device().Settings());
            settings.language = LanguageFromCode(a.settings.language);
            settings.text_scale = a.settings.text_scale;
            settings.auto_sync = a.settings.auto_sync;
            return store_.device().SaveSettings(settings);
          });
          if (!s.ok()) Notice(s);
          const std::string before = Lang();
          UseLanguage(a.settings.language);
          if (Lang() != before) QueueDashboard();  // the figures again, in its words
          MarkDirty(kAll);
        } else if constexpr (std::is_same_v<A, ui::MakeReport>) {
          if (a.save_first) {
            Handle(ui::SaveForm{*a.save_first, a.draft_key});
            if (notice_is_error_) return;  // the save's own message says what to fix
          }
          if (UsesDashboard(a.kind)) {  // the dashboard thread holds the figures: no feed here
            dashboard_thread_->Post([this, a] { MakeReportFromDashboard(a); });
            return;
          }
          auto path = WriteReport(store_.records(), a, options_.data_dir / "reports", options_.assets_dir, Lang());
          if (path.ok()) {
            Notice("view.notice.report_saved", {path->string()});
          } else {
            Notice(path.status());
          }
          MarkDirty(kToday);
        } else {
          // StartSync, CancelSync, SignIn and SignOut never reach the worker (Apply routes them).
        }
      },
      action);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Worker: rebuilding views
// -----------------------------------------------------------------------------------------

void AppController::RebuildAndPublish() {
  const unsigned dirty = dirty_.exchange(0);
  // A new day: "days since the last contact" and the half-year move (Refresh recomputes all).
  const core::Date today = store_.records().Today();
  bool new_day = false;
  {
    std::lock_guard lock(dash_mu_);
    new_day = dash_as_of_ && *dash_as_of_ != today;
  }
  const auto tr = Tr();
  const BuildContext ctx{PersonId(), Lang(), tr.get(), &clock_, no_contact_days_};
  ui::AppView& v = last_built_;
  auto keep = [&](auto result, auto& into) {
    if (result.ok()) {
      into = std::move(result).value();
    } else {
      Notice(result.status());
    }
  };
  bool dashboards_asked = false;
  auto publish = [&] {
    if (notice_.key.empty()) {
      v.notice = notice_.text.In(UiLanguage());
    } else {
      const std::vector<std::string_view> args(notice_.args.begin(), notice_.args.end());
      v.notice = tr->Format(notice_.key, args);
    }
    v.notice_is_error = notice_is_error_;
    v.saved_form_id = saved_form_id_;
    v.saved_form_seq = saved_form_seq_;
    Publish(v);
    if (dashboards_asked) return;
    dashboards_asked = true;
    // Whatever wrote to the store since (a save here, a sync, another program): the dashboards
    // read it from the store's change feed. Asked after the first publish, so a start shows
    // Today before the dashboard thread reads the whole store.
    auto last_change = store_.records().LastChange();
    const bool store_changed = last_change.ok() && *last_change != dash_seen_change_;
    if (store_changed) dash_seen_change_ = *last_change;
    if (new_day || store_changed) QueueDashboard();
  };
  if (dirty & kToday) keep(BuildTodayView(store_, ctx), v.today);
  if ((dirty & kSchool) && !school_id_.empty()) keep(BuildSchoolView(store_.records(), ctx, school_id_), v.school);
  if ((dirty & kTeacher) && !teacher_id_.empty()) keep(BuildTeacherView(store_.records(), ctx, teacher_id_), v.teacher);
  if ((dirty & kForm) && !form_school_id_.empty())
    keep(BuildFormOptions(store_.records(), ctx, form_school_id_), v.form);
  if (dirty & kSync) {
    const bool signed_in = HasToken(options_.data_dir);
    keep(BuildSyncView(store_, ctx, signed_in), v.sync);
    // First run: never signed in to a server here, "work offline" not chosen, and no school
    // in the store yet (one made by mentorlog-cli import or demo is already in use).
    auto server = store_.ledger().GetSyncValue(sync::kServerKey);
    auto device = store_.device().Settings();
    auto schools = store_.records().Count(core::RecordKind::kSchool);
    v.first_run = !signed_in && server.ok() && (!*server || (*server)->empty()) && device.ok() &&
                  !device->work_offline && schools.ok() && *schools == 0;
  }
  if (dirty & kSettings) {
    v.settings = settings_;
    v.settings.language = Lang();
    auto server = store_.ledger().GetSyncValue(sync::kServerKey);
    if (server.ok() && *server && !(*server)->empty()) v.settings.server = **server;
    v.settings.signed_in = HasToken(options_.data_dir);
  }
  // The recommendations list reads every recommendation in the store (half a second at 19k):
  // what is ready is shown first, so Today does not wait for it after a start or a sync.
  if (dirty & kRecommendations) {
    if (dirty & ~kRecommendations) publish();
    keep(BuildRecommendationsView(store_.records(), ctx, filter_), v.recommendations);
  }
  publish();
}

// -----------------------------------------------------------------------------------------
// [SECTION] Sync thread
// -----------------------------------------------------------------------------------------

void AppController::RunSync(bool automatic) {
  const auto tr = Tr();
  {
    std::lock_guard lock(view_mu_);
    sync_running_ = true;
    sync_progress_ = 0;
    sync_progress_text_ = (*tr)("view.sync.starting");
  }
  auto options = SignedInOptions(store_.ledger(), options_.data_dir, Words("view.sync.not_signed_in"));
  Status result;
  if (!options.ok()) {
    result = options.status();
  } else {
    options->cancel = &cancel_sync_;
    // Offline, an automatic try fails at once and the next comes one period later; retrying
    // with backoff would hold the sync thread (and a "Sync now") for half a minute.
    if (automatic) options->max_attempts = 1;
    options->clock = &clock_;
    options->on_progress = [this, tr, language = UiLanguage()](const sync::SyncProgress& p) {
      std::string text;
      float progress = 0;
      if (p.phase == sync::SyncProgress::Phase::kPush) {
        const int64_t total = p.records_pushed + p.pending;
        progress = total > 0 ? 0.5f * static_cast<float>(p.records_pushed) / static_cast<float>(total) : 0.5f;
        text = tr->Format("view.sync.pushing", {std::to_string(p.batches), std::to_string(p.records_pushed),
                                                std::to_string(p.bytes_up / 1024)});
      } else if (p.phase == sync::SyncProgress::Phase::kPull) {
        progress = 0.5f + 0.5f * (1.0f - 1.0f / static_cast<float>(p.batches + 1));
        text = tr->Format("view.sync.pulling", {std::to_string(p.batches), std::to_string(p.records_pulled),
                                                std::to_string(p.bytes_down / 1024)});
      } else {
        progress = 1.0f;
      }
      if (!p.last_error.en.empty()) text += " — " + p.last_error.In(language);
      std::shared_ptr<const ui::AppView> current;
      {
        std::lock_guard lock(view_mu_);
        sync_progress_ = progress;
        sync_progress_text_ = text;
        current = view_;
      }
      ui::AppView next = *current;
      next.sync.pending = p.pending;
      Publish(std::move(next));
    };
    sync::SyncClient client(store_.ledger(), std::move(options).value());
    auto report = client.Sync();
    result = report.status();
  }
  {
    std::lock_guard lock(view_mu_);
    sync_running_ = false;
    sync_progress_ = 0;
    sync_progress_text_.clear();
  }
  sync_queued_.store(false);
  cancel_sync_.store(false);
  worker_->Post([this, result] {
    if (result.ok()) {
      Notice("view.notice.synced", {});
    } else if (result.code() == StatusCode::kCancelled) {
      Notice("view.notice.sync_cancelled", {});
    } else {
      Notice(result);
    }
    MarkDirty(kAll);
  });
}

void AppController::RunSignIn(const ui::SignIn& sign_in) {
  sync::ClientOptions options;
  options.server_url = sign_in.server.empty() ? options_.server_url : sign_in.server;
  options.max_attempts = 4;  // someone is waiting
  options.clock = &clock_;
  auto who = SignIn(store_.ledger(), options_.data_dir, options, sign_in.login, sign_in.password);
  worker_->Post([this, status = who.status(), name = who.ok() ? who->display_name : std::string()] {
    if (status.ok()) {
      Notice("view.notice.signed_in", {name});
    } else {
      Notice(status);
    }
    MarkDirty(kAll);
  });
  if (who.ok()) {
    // A first sync right away: the person's schools come with it.
    if (!sync_queued_.exchange(true)) RunSync();
  }
}

void AppController::RunSignOut() {
  auto report = SignOut(store_.ledger(), options_.data_dir, /*max_attempts=*/2);
  Status cleared = store_.ledger().InTransaction([&]() -> Status {
    RETURN_IF_ERROR(store_.ledger().SetSyncValue(sync::kPersonIdKey, ""));
    return store_.ledger().SetSyncValue(sync::kDisplayNameKey, "");
  });
  worker_->Post([this, status = report.ok() ? cleared : report.status()] {
    if (status.ok()) {
      Notice("view.notice.signed_out", {});
    } else {
      Notice(status);
    }
    MarkDirty(kAll);
  });
}

}  // namespace mentorlog::app

namespace mentorlog::app {

// -----------------------------------------------------------------------------------------
// [SECTION] Dashboard thread
// -----------------------------------------------------------------------------------------

void AppController::QueueDashboard() {
  std::lock_guard lock(dash_mu_);
  if (dash_stop_.load() || dash_queued_) return;  // a queued refresh reads every change up to its run
  dash_queued_ = true;
  dashboard_thread_->Post([this] { RunDashboard(); });
}

Status AppController::CatchUpDashboard() {
  DashboardState& d = *dash_;
  if (!d.config) {
    ASSIGN_OR_RETURN(core::DashboardConfig config, core::LoadDashboardConfig(options_.assets_dir));
    d.config = std::move(config);
  }
  const bool first = !d.dashboard;
  if (first) {
    // Every live record, table by table: 2.5 times faster than the feed's record-by-record
    // reads on a big store (bench/README.md). The feed then goes on from the number it had
    // before the scan (a record written meanwhile comes again: Apply is idempotent). A record
    // whose value cannot be read is skipped (Apply says so), as the store would refuse it anyway.
    ASSIGN_OR_RETURN(const uint64_t start, store_.records().LastChange());
    core::Dashboard fresh(*d.config);
    RETURN_IF_ERROR(store_.records().ForEachLiveState([&](const core::RecordState& state) -> Status {
      if (dash_stop_.load()) return Status::Cancelled("the app is closing");
      (void)fresh.Apply(state);
      return Status::Ok();
    }));
    d.dashboard = std::move(fresh);
    d.cursor = start;
  }
  // Page by page: the store's lock is free between pages, so the worker's views do not wait for
  // a long feed (a first sync's thousands of records).
  constexpr size_t kPage = 500;
  bool rubric_changed = first;
  while (!dash_stop_.load()) {
    size_t fed = 0;
    ASSIGN_OR_RETURN(d.cursor, store_.records().ChangesSince(d.cursor, kPage, [&](const core::RecordState& state) {
      (void)d.dashboard->Apply(state);  // a tombstone removes the record
      rubric_changed = rubric_changed || state.kind == core::RecordKind::kRubricTemplate;
      ++fed;
      return Status::Ok();
    }));
    if (fed < kPage) break;
    // A long feed (a first sync's thousands): "Updating…" now (the worker
    // publishes when it is idle). A few changed records take milliseconds: the next view says it.
    if (!d.announced) {
      d.announced = true;
      worker_->Post([] {});
    }
  }
  // A pulled template's words, or the words of a language just chosen (the figures hold every
  // text in both languages: no feed again).
  const std::string lang = Lang();
  if (rubric_changed || d.lang != lang) {
    d.rubrics = LoadRubricWords(store_.records(), lang);
    d.lang = lang;
  }
  return Status::Ok();
}

void AppController::MakeReportFromDashboard(const ui::MakeReport& request) {
  // What was saved before the tap is in the feed already (the save ran on the worker first).
  Status caught_up = CatchUpDashboard();
  if (dash_stop_.load()) return;
  DashboardState& d = *dash_;
  if (d.dashboard) d.dashboard->Refresh(store_.records().Today());
  auto path = caught_up.ok() ? WriteReport(store_.records(), request, options_.data_dir / "reports",
                                           options_.assets_dir, Lang(), d.dashboard ? &*d.dashboard : nullptr)
                             : Result<std::filesystem::path>(caught_up);
  worker_->Post([this, path = std::move(path)] {
    if (path.ok()) {
      Notice("view.notice.report_saved", {path->string()});
    } else {
      Notice(path.status());
    }
    MarkDirty(kToday);
  });
}

void AppController::RunDashboard() {
  {
    std::lock_guard lock(dash_mu_);
    dash_queued_ = false;
  }
  {
    std::lock_guard lock(view_mu_);
    dashboard_computing_ = true;
  }
  dash_->announced = !dash_->dashboard;
  if (dash_->announced) worker_->Post([] {});  // the first feed: "Updating…" now
  const Status error = CatchUpDashboard();
  DashboardState& d = *dash_;
  const std::string lang = Lang();
  const auto tr = Tr();
  if (dash_stop_.load()) return;
  std::shared_ptr<const ui::DashboardView> published;
  const core::Date today = store_.records().Today();
  if (d.dashboard) {
    d.dashboard->Refresh(today);
    const BuildContext ctx{std::nullopt, lang, tr.get(), &clock_, no_contact_days_};
    ui::DashboardView view = BuildDashboardView(*d.dashboard, *d.config, d.rubrics, ctx);
    if (!error.ok()) view.error = error.message(LanguageFromCode(lang).value_or(Language::kRussian));
    published = std::make_shared<const ui::DashboardView>(std::move(view));
  } else {
    ui::DashboardView view;
    view.error = error.message(LanguageFromCode(lang).value_or(Language::kRussian));
    published = std::make_shared<const ui::DashboardView>(std::move(view));
  }
  {
    std::lock_guard lock(view_mu_);
    dashboard_ = std::move(published);
    std::lock_guard dash_lock(dash_mu_);
    dashboard_computing_ = dash_queued_;  // another refresh is coming
    dash_as_of_ = today;
  }
  worker_->Post([] {});
}

}  // namespace mentorlog::app
