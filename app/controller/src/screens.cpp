// Screens (screens.h): the rebuild, the notice, and what the actions share.
#include "screens.h"

#include <utility>

#include "dashboards.h"
#include "mentorlog/app/session.h"
#include "mentorlog/sync/client.h"
#include "mentorlog/sync/device.h"
#include "sync_runner.h"

namespace mentorlog::app {

Screens::Screens(core::Store& store, const ControllerOptions& options, const mentorlog::Clock& clock, UiTexts& texts,
                 ViewBoard& board, Dashboards& dashboards, SyncRunner& sync, int no_contact_days)
    : store_(store),
      options_(options),
      clock_(clock),
      texts_(texts),
      board_(board),
      dashboards_(dashboards),
      sync_(sync),
      no_contact_days_(no_contact_days),
      queue_(
          options.threads, [this] { RebuildAndPublish(); }, options.before_worker_task) {
  settings_.language = std::string(LanguageCode(options.language));
  settings_.server = options.server_url;
}

void Screens::Start() {
  queue_.Post([this] { LoadSettings(); });
}

void Screens::Tell(Notice notice) {
  queue_.Post([this, notice = std::move(notice)] {
    Show(notice);
    MarkDirty(kAll);
  });
}

std::optional<OpenedForm> Screens::TakeOpenedForm() {
  std::lock_guard lock(opened_mu_);
  return std::exchange(opened_, std::nullopt);
}

void Screens::Open(OpenedForm form) {
  std::lock_guard lock(opened_mu_);
  opened_ = std::move(form);
}

bool Screens::ShowIfError(const Status& error) {
  if (error.ok()) return true;
  Show(Notice::Error(error));
  return false;
}

std::optional<core::Uuid> Screens::PersonId() const {
  auto value = store_.ledger().GetSyncValue(sync::kPersonIdKey);
  if (!value.ok() || !*value || (*value)->empty()) return std::nullopt;
  auto id = core::Uuid::Parse(**value);
  if (!id.ok()) return std::nullopt;
  return *id;
}

BuildContext Screens::Context() const {
  BuildContext ctx{PersonId(), texts_.language(), texts_.Current().get(), &clock_, no_contact_days_};
  auto role = store_.ledger().GetSyncValue(sync::kRoleKey);
  ctx.may_coordinate = !role.ok() || !*role || (*role)->empty() || **role == sync::RoleCode(sync::Role::kCoordinator) ||
                       **role == sync::RoleCode(sync::Role::kAdmin);
  return ctx;
}

void Screens::RebuildAndPublish() {
  const unsigned dirty = std::exchange(dirty_, 0u);
  // A new day: "days since the last contact" and the half-year move (a refresh recomputes all).
  const std::optional<core::Date> as_of = dashboards_.AsOf();
  const bool new_day = as_of && *as_of != store_.records().Today();
  const auto tr = texts_.Current();
  const Language language = texts_.language();
  BuildContext ctx = Context();
  ctx.tr = tr.get();  // the same words for every section of this rebuild
  ui::AppView& v = last_built_;
  auto keep = [&](auto result, auto& into) {
    if (result.ok()) {
      into = std::move(result).value();
    } else {
      Show(Notice::Error(result.status()));
    }
  };
  bool dashboards_asked = false;
  auto publish = [&] {
    v.notice = notice_.Render(*tr, language);
    v.notice_is_error = notice_.is_error;
    v.saved_form_id = saved_form_id_;
    v.saved_form_seq = saved_form_seq_;
    v.form_errors_id = form_errors_id_;
    v.form_errors.clear();
    for (const FormFieldError& e : form_errors_) v.form_errors.push_back({e.field, e.text.In(language)});
    v.texts = tr;
    board_.PublishScreens(v);
    if (dashboards_asked) return;
    dashboards_asked = true;
    // Whatever wrote to the store since (a save here, a sync, another program): the dashboards
    // read it from the store's change feed. Asked after the first publish, so a start shows
    // Today before the dashboards read the whole store.
    auto last_change = store_.records().LastChange();
    const bool store_changed = last_change.ok() && *last_change != seen_change_;
    if (store_changed) seen_change_ = *last_change;
    if (new_day || store_changed) dashboards_.Queue();
  };
  if (dirty & kToday) keep(BuildTodayView(store_, ctx), v.today);
  if ((dirty & kSchool) && !school_id_.empty()) keep(BuildSchoolView(store_.records(), ctx, school_id_), v.school);
  if ((dirty & kTeacher) && !teacher_id_.empty()) keep(BuildTeacherView(store_.records(), ctx, teacher_id_), v.teacher);
  if ((dirty & kPlan) && plan_) {
    std::optional<core::Date> day;
    if (!plan_->day.empty()) {
      auto parsed = core::Date::Parse(plan_->day);
      if (parsed.ok()) day = *parsed;
    }
    keep(BuildPlanView(store_.records(), ctx, plan_->person_id, day), v.plan);
  }
  if ((dirty & kProgramme) && programme_open_) keep(BuildProgrammeView(store_.records(), ctx), v.programme);
  if ((dirty & kForm) && !form_school_id_.empty())
    keep(BuildFormOptions(store_.records(), ctx, form_school_id_), v.form);
  if (dirty & kForm) keep(BuildRecordOptions(store_.records(), ctx, form_school_id_), v.record_options);
  if (dirty & kSync) {
    const bool signed_in = HasToken(options_.data_dir);
    keep(BuildSyncView(store_, ctx, signed_in), v.sync);
    // First run: never signed in to a server here, "work offline" not chosen, and no school
    // in the store yet (one made by mentorlog-cli import or demo is already in use).
    auto server = store_.ledger().GetSyncValue(sync::kServerKey);
    auto schools = store_.records().Count(core::RecordKind::kSchool);
    v.first_run = !signed_in && server.ok() && (!*server || (*server)->empty()) && !work_offline_ && schools.ok() &&
                  *schools == 0;
  }
  if (dirty & kSettings) {
    ui::SettingsView settings = settings_;
    settings.language = std::string(LanguageCode(language));
    auto server = store_.ledger().GetSyncValue(sync::kServerKey);
    if (server.ok() && *server && !(*server)->empty()) settings.server = **server;
    settings.signed_in = HasToken(options_.data_dir);
    v.settings = std::move(settings);
  }
  // The recommendations list reads every recommendation in the store (half a second at 19k):
  // what is ready is shown first, so Today does not wait for it after a start or a sync.
  if (dirty & kRecommendations) {
    if (dirty & ~kRecommendations) publish();
    keep(BuildRecommendationsView(store_.records(), ctx, filter_), v.recommendations);
  }
  publish();
}

}  // namespace mentorlog::app
