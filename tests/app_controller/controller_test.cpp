// Tests of mentorlog_app on a real SQLite store holding the demo district: the view builders
// (Today, Sync), forms to records in one transaction, drafts across a restart, and that the
// controller's Apply only queues.
//
// [SECTION] Fixture
// [SECTION] Today
// [SECTION] Saving forms
// [SECTION] Drafts through the controller
// [SECTION] The programme's instruments (the generic record form)
// [SECTION] Sync view
// [SECTION] Apply never waits
// [SECTION] Dashboards
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "mentorlog/app/controller.h"
#include "mentorlog/app/form_apply.h"
#include "mentorlog/app/view_builder.h"
#include "mentorlog/domain/dashboard.h"
#include "mentorlog/domain/demo.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/store/store.h"
#include "mentorlog/ui/i18n.h"
#include "mentorlog/ui/record_spec.h"
#include "mentorlog/ui/state.h"
#include "test_fixtures.h"

namespace mentorlog::app {
namespace {

using core::Date;
using core::Uuid;
using core::testing::Must;

// -----------------------------------------------------------------------------------------
// [SECTION] Fixture
// -----------------------------------------------------------------------------------------

// 2026-11-20T10:00:00Z.
constexpr int64_t kNovember20 = 1'795'168'800'000;

// Every test runs twice: with the controller's threads (the desktop) and with none, the
// owners' work run by Step and WaitIdle on the test's thread (the browser's frame loop).
class AppControllerTest : public ::testing::TestWithParam<bool> {
 protected:
  // The demo district is made once per suite (seconds under ASan) and copied for each test.
  static void SetUpTestSuite() {
    demo_dir_ = new core::testing::TempDir();
    mentorlog::FakeClock clock{kNovember20};
    core::StoreOptions options;
    options.path = demo_dir_->path() / "mentorlog.db";
    options.clock = &clock;
    auto store = Must(core::Store::Open(options), "Store::Open");
    core::DemoOptions demo;
    demo.assets_dir = MENTORLOG_ASSETS_DIR;
    Must(core::CreateDemoDistrict(store->records(), demo), "CreateDemoDistrict");
  }  // closed: the WAL is folded into the file
  static void TearDownTestSuite() {
    delete demo_dir_;
    demo_dir_ = nullptr;
  }

  void SetUp() override {
    std::filesystem::copy_file(demo_dir_->path() / "mentorlog.db", dir_.path() / "mentorlog.db");
    OpenStore();
    ru_ = Must(ui::Translations::Load(std::filesystem::path(MENTORLOG_ASSETS_DIR) / "i18n", "ru"), "ru");
    en_ = Must(ui::Translations::Load(std::filesystem::path(MENTORLOG_ASSETS_DIR) / "i18n", "en"), "en");
  }

  void OpenStore() {
    core::StoreOptions options;
    options.path = dir_.path() / "mentorlog.db";
    options.clock = &clock_;
    store_ = Must(core::Store::Open(options), "Store::Open");
  }

  ControllerOptions Options() const {
    ControllerOptions options;
    options.data_dir = dir_.path();
    options.assets_dir = MENTORLOG_ASSETS_DIR;
    options.language = Language::kRussian;
    options.clock = &clock_;
    options.threads = GetParam();
    return options;
  }

  BuildContext Context(std::optional<Uuid> person, const ui::Translations& tr) const {
    return BuildContext{person, tr.language(), &tr, &clock_};
  }

  template <class R>
  std::vector<R> All() {
    return Must(store_->records().List<R>(), "List");
  }

  // A demo mentor with at least one assignment.
  core::Person Mentor() {
    for (const auto& p : All<core::Person>()) {
      if (std::find(p.roles.begin(), p.roles.end(), core::Role::kMentor) == p.roles.end()) continue;
      if (!Must(store_->records().ListBy<core::Assignment>("assignee_id", p.id), "ListBy").empty()) return p;
    }
    ADD_FAILURE() << "the demo has no mentor with assignments";
    return {};
  }

  // An open recommendation of the demo (and the school it is for).
  core::Recommendation OpenRecommendation() {
    for (const auto& r : All<core::Recommendation>()) {
      if (r.status == core::RecommendationStatus::kOpen && r.created_on < store_->records().Today()) return r;
    }
    ADD_FAILURE() << "the demo has no open recommendation";
    return {};
  }

  ui::VisitForm VisitFormFor(const Uuid& school) {
    ui::VisitForm f;
    f.id = NewFormId(clock_.NowMillis());
    f.school_id = school.ToString();
    f.date = "2026-11-20";
    f.purposes = {"follow_up", "monitoring"};
    f.met_with = "директор";
    f.summary = "Проверили выполнение рекомендаций.";
    return f;
  }

  static core::testing::TempDir* demo_dir_;
  core::testing::TempDir dir_;
  mentorlog::FakeClock clock_{kNovember20};
  std::unique_ptr<core::Store> store_;
  ui::Translations ru_;
  ui::Translations en_;
};

core::testing::TempDir* AppControllerTest::demo_dir_ = nullptr;

bool IsOpen(const core::Recommendation& r) {
  return r.status == core::RecommendationStatus::kOpen || r.status == core::RecommendationStatus::kInProgress;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Today
// -----------------------------------------------------------------------------------------

TEST_P(AppControllerTest, TodayOfAMentorListsExactlyTheirSchoolsWithContactsAndOverdue) {
  const core::Person mentor = Mentor();
  const Date today = store_->records().Today();
  std::set<std::string> expected;
  for (const auto& a : All<core::Assignment>()) {
    if (a.assignee_id != mentor.id) continue;
    if (a.starts_on <= today && (!a.ends_on || *a.ends_on >= today)) expected.insert(a.school_id.ToString());
  }
  ASSERT_FALSE(expected.empty());

  // By hand: the newest contact of each school, and its open and overdue recommendations.
  std::map<std::string, Date> last;
  auto seen = [&](const Uuid& school, Date d) {
    auto [it, inserted] = last.emplace(school.ToString(), d);
    if (!inserted && d > it->second) it->second = d;
  };
  for (const auto& v : All<core::Visit>()) seen(v.school_id, v.date);
  for (const auto& o : All<core::Observation>()) seen(o.school_id, o.date);
  for (const auto& c : All<core::Consultation>()) seen(c.school_id, c.date);
  std::map<std::string, int> open, overdue;
  for (const auto& r : All<core::Recommendation>()) {
    if (!IsOpen(r)) continue;
    ++open[r.school_id.ToString()];
    if (r.due_on < today) ++overdue[r.school_id.ToString()];
  }

  const ui::TodayView view = Must(BuildTodayView(*store_, Context(mentor.id, ru_)), "BuildTodayView");
  EXPECT_EQ(view.user_name, mentor.full_name);
  std::set<std::string> got;
  int total_overdue = 0;
  for (const ui::SchoolCard& card : view.schools) {
    got.insert(card.id);
    const int days = last.count(card.id) ? today.days() - last[card.id].days() : -1;
    EXPECT_EQ(card.days_since_contact, days) << card.name;
    EXPECT_EQ(card.open_recommendations, open[card.id]) << card.name;
    EXPECT_EQ(card.overdue_recommendations, overdue[card.id]) << card.name;
    EXPECT_LE(card.next_roadmap.size(), 3u);
    total_overdue += card.overdue_recommendations;
  }
  EXPECT_EQ(got, expected);
  EXPECT_GT(total_overdue + static_cast<int>(view.schools.size()), 0);
}

TEST_P(AppControllerTest, TodayWithoutAPersonListsEverySchool) {
  const ui::TodayView view = Must(BuildTodayView(*store_, Context(std::nullopt, en_)), "BuildTodayView");
  EXPECT_EQ(view.schools.size(), All<core::School>().size());
}

// "Without contact" is one rule (core::WithoutContact) with the district's threshold: the Today
// cards follow BuildContext::no_contact_days, and the controller takes it from dashboard.toml.
TEST_P(AppControllerTest, TodaySaysWithoutContactByTheDistrictsThreshold) {
  BuildContext ctx = Context(std::nullopt, en_);
  for (int threshold : {1, 5, 30, 400}) {
    ctx.no_contact_days = threshold;
    const ui::TodayView view = Must(BuildTodayView(*store_, ctx), "BuildTodayView");
    int without = 0;
    for (const ui::SchoolCard& card : view.schools) {
      const bool expected = card.days_since_contact < 0 || card.days_since_contact > threshold;
      EXPECT_EQ(card.without_contact, expected) << card.name << ", threshold " << threshold;
      without += card.without_contact;
    }
    if (threshold == 1) {
      EXPECT_GT(without, 0) << "the demo has schools not contacted yesterday or today";
    }
  }

  // The threshold of the district's own dashboard.toml reaches the cards the app shows.
  core::testing::TempDir assets;
  std::filesystem::copy(MENTORLOG_ASSETS_DIR, assets.path(), std::filesystem::copy_options::recursive);
  const std::filesystem::path toml = assets.path() / "dashboard.toml";
  std::string text;
  {
    std::ifstream in(toml, std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const size_t at = text.find("no_contact_days = 30");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, std::string("no_contact_days = 30").size(), "no_contact_days = 1");
  std::ofstream(toml, std::ios::binary | std::ios::trunc) << text;
  ControllerOptions options = Options();
  options.assets_dir = assets.path();
  AppController app(*store_, options);
  app.WaitIdle();
  const auto shown = app.View();
  ASSERT_FALSE(shown->today->schools.empty());
  int without = 0;
  for (const ui::SchoolCard& card : shown->today->schools) {
    EXPECT_EQ(card.without_contact, card.days_since_contact < 0 || card.days_since_contact > 1) << card.name;
    without += card.without_contact;
  }
  EXPECT_GT(without, 0);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Saving forms
// -----------------------------------------------------------------------------------------

TEST_P(AppControllerTest, SavingAVisitChecksOffARecommendationInOneTransaction) {
  const core::Recommendation rec = OpenRecommendation();
  const core::Person mentor = Mentor();
  ui::VisitForm form = VisitFormFor(rec.school_id);
  form.checks = {{rec.id.ToString(), "done", "Открытые уроки проведены"}};
  form.recommendations = {{"Провести педсовет по итогам ВПР", "", "", "Директор", "2026-12-20"}, {}};
  const int64_t pending = Must(store_->ledger().PendingCount(), "PendingCount");

  const Uuid visit_id = Must(SaveForm(store_->records(), ui::Form(form), mentor.id, ru_, en_), "SaveForm");

  EXPECT_EQ(visit_id.ToString(), form.id);  // the draft's id is the record's
  const core::Visit visit = Must(store_->records().Get<core::Visit>(visit_id), "visit");
  EXPECT_EQ(visit.visitor_ids, std::vector<Uuid>{mentor.id});
  EXPECT_EQ(visit.summary, form.summary);
  const core::Recommendation checked = Must(store_->records().Get<core::Recommendation>(rec.id), "rec");
  EXPECT_EQ(checked.status, core::RecommendationStatus::kDone);
  EXPECT_EQ(checked.verified_visit_id, visit_id);
  EXPECT_EQ(checked.closed_on, store_->records().Today());
  EXPECT_EQ(checked.evidence, "Открытые уроки проведены");
  int made = 0;
  for (const auto& r : All<core::Recommendation>()) {
    if (r.source_id != visit_id) continue;
    ++made;
    EXPECT_EQ(r.source_kind, core::SourceKind::kVisit);
    EXPECT_EQ(r.created_on, visit.date);
    EXPECT_EQ(r.text, "Провести педсовет по итогам ВПР");
  }
  EXPECT_EQ(made, 1);  // the blank row is skipped
  // The visit, the new recommendation, the status change and its event, the evidence.
  EXPECT_EQ(Must(store_->ledger().PendingCount(), "PendingCount"), pending + 5);

  const ui::SchoolView school =
      Must(BuildSchoolView(store_->records(), Context(mentor.id, ru_), rec.school_id.ToString()), "BuildSchoolView");
  for (const auto& row : school.open_recommendations) EXPECT_NE(row.id, rec.id.ToString());
  ASSERT_FALSE(school.timeline.empty());
  EXPECT_EQ(school.timeline.front().date, "20.11.2026");
}

// Issue 13: a rule across records that cannot hold under offline editing (the due date after
// the lesson it came from, whose date another device moved) is shown beside the record, in the
// UI's language, and blocks no edit of another field.
TEST_P(AppControllerTest, ARuleAcrossRecordsBrokenElsewhereIsShownBesideTheRecordAndBlocksNothing) {
  const core::Person mentor = Mentor();
  std::optional<core::Recommendation> rec;
  for (const auto& r : All<core::Recommendation>()) {
    if (IsOpen(r) && r.source_kind == core::SourceKind::kVisit && r.due_on < store_->records().Today()) rec = r;
  }
  ASSERT_TRUE(rec.has_value()) << "the demo has an overdue recommendation from a visit";
  auto warned = [](const std::vector<ui::RecommendationRow>& rows) {
    std::vector<std::string> out;
    for (const auto& row : rows) {
      if (!row.warning.empty()) out.push_back(row.id + ": " + row.warning);
    }
    return out;
  };
  EXPECT_EQ(warned(Must(BuildRecommendationsView(store_->records(), Context(mentor.id, ru_), {}), "view").rows),
            std::vector<std::string>{})
      << "the demo breaks no rule";

  // Another device moved the visit to today, after the recommendation's due date.
  core::Visit visit = Must(store_->records().Get<core::Visit>(rec->source_id), "visit");
  visit.date = store_->records().Today();
  Must(store_->records().Save(visit), "moving the visit");

  const ui::RecommendationsView en =
      Must(BuildRecommendationsView(store_->records(), Context(mentor.id, en_), {}), "view");
  const std::string expected_en =
      "The due date " + rec->due_on.ToString() + " must be after the visit (" + visit.date.ToString() + ").";
  EXPECT_EQ(warned(en.rows), std::vector<std::string>{rec->id.ToString() + ": " + expected_en});
  const ui::SchoolView school =
      Must(BuildSchoolView(store_->records(), Context(mentor.id, ru_), rec->school_id.ToString()), "BuildSchoolView");
  const std::vector<std::string> ru = warned(school.open_recommendations);
  ASSERT_EQ(ru.size(), 1u);
  EXPECT_NE(ru[0].find("должен быть позже даты, когда рекомендация дана"), std::string::npos) << ru[0];

  // The evidence of the recommendation is still written; the warning stays until the due date is moved.
  core::Recommendation edited = *rec;
  edited.evidence = "План урока с целями";
  Must(store_->records().Save(edited), "an edit of another field");
  EXPECT_EQ(warned(Must(BuildRecommendationsView(store_->records(), Context(mentor.id, en_), {}), "view").rows).size(),
            1u);
  edited.due_on = visit.date.AddDays(7);
  Must(store_->records().Save(edited), "moving the due date");
  EXPECT_EQ(warned(Must(BuildRecommendationsView(store_->records(), Context(mentor.id, en_), {}), "view").rows),
            std::vector<std::string>{});
}

TEST_P(AppControllerTest, AValidationErrorWritesNothing) {
  const core::Recommendation rec = OpenRecommendation();
  const core::Person mentor = Mentor();
  ui::VisitForm form = VisitFormFor(rec.school_id);
  form.purposes.clear();  // the core refuses a visit without a purpose
  form.checks = {{rec.id.ToString(), "done", ""}};
  form.recommendations = {{"Текст", "", "", "Директор", "2026-12-20"}};
  const int64_t pending = Must(store_->ledger().PendingCount(), "PendingCount");
  const size_t recs = All<core::Recommendation>().size();

  std::vector<FormFieldError> field_errors;
  auto saved = SaveForm(store_->records(), ui::Form(form), mentor.id, ru_, en_, &field_errors);
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.status().code(), StatusCode::kInvalidInput);
  ASSERT_EQ(field_errors.size(), 1u);  // the purposes, under their field
  EXPECT_EQ(field_errors[0].field, "purposes");
  EXPECT_EQ(field_errors[0].text.ru, "Укажите цель выезда.");
  EXPECT_EQ(Must(store_->ledger().PendingCount(), "PendingCount"), pending);
  EXPECT_EQ(All<core::Recommendation>().size(), recs);
  EXPECT_EQ(Must(store_->records().Get<core::Recommendation>(rec.id), "rec").status, core::RecommendationStatus::kOpen);

  // A later step failing (a bad due date after a valid visit) undoes the visit too.
  form.purposes = {"follow_up"};
  form.recommendations = {{"Текст", "", "", "Директор", "20.13.2026"}};
  saved = SaveForm(store_->records(), ui::Form(form), mentor.id, ru_, en_);
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.status().message(Language::kRussian), "«20.13.2026» — не дата: напишите 2026-11-20 или 20.11.2026.");
  EXPECT_EQ(Must(store_->ledger().PendingCount(), "PendingCount"), pending);
  EXPECT_EQ(store_->records().Get<core::Visit>(Must(Uuid::Parse(form.id), "id")).status().code(),
            StatusCode::kNotFound);
}

TEST_P(AppControllerTest, ASavedRecordComesBackAsItsForm) {
  const core::Person mentor = Mentor();
  const core::Recommendation rec = OpenRecommendation();
  ui::VisitForm form = VisitFormFor(rec.school_id);
  Must(SaveForm(store_->records(), ui::Form(form), mentor.id, ru_, en_), "SaveForm");
  const ui::Form back = Must(FormForRecord(store_->records(), form.id), "FormForRecord");
  ASSERT_TRUE(std::holds_alternative<ui::VisitForm>(back));
  EXPECT_EQ(ui::EncodeForm(back), ui::EncodeForm(ui::Form(form)));
}

TEST_P(AppControllerTest, ASavedVisitIsCorrectedInPlaceAndAnUnfinishedCorrectionComesBack) {
  const core::Person mentor = Mentor();
  Must(store_->ledger().SetSyncValue("person_id", mentor.id.ToString()), "person");
  ui::VisitForm form = VisitFormFor(OpenRecommendation().school_id);
  Must(SaveForm(store_->records(), ui::Form(form), mentor.id, ru_, en_), "SaveForm");
  const int64_t visits = Must(store_->records().Count(core::RecordKind::kVisit), "count");

  AppController controller(*store_, Options());
  controller.Apply({ui::OpenRecord{form.id}});
  controller.WaitIdle();
  std::optional<OpenedForm> opened = controller.TakeOpenedForm();
  ASSERT_TRUE(opened.has_value());
  auto* visit = std::get_if<ui::VisitForm>(&opened->form);
  ASSERT_NE(visit, nullptr);
  EXPECT_EQ(visit->summary, form.summary);

  // Half-way through the correction the app is closed: the draft is what comes back.
  visit->summary = "Исправлено: проверили два пункта, не три";
  controller.Apply({ui::SaveDraft{opened->draft_key, opened->form}});
  controller.Apply({ui::OpenRecord{form.id}});
  controller.WaitIdle();
  opened = controller.TakeOpenedForm();
  ASSERT_TRUE(opened.has_value());
  visit = std::get_if<ui::VisitForm>(&opened->form);
  ASSERT_NE(visit, nullptr);
  EXPECT_EQ(visit->summary, "Исправлено: проверили два пункта, не три");

  controller.Apply({ui::SaveForm{opened->form, opened->draft_key}});
  controller.WaitIdle();
  EXPECT_FALSE(controller.View()->notice_is_error) << controller.View()->notice;
  const core::Visit saved = Must(store_->records().Get<core::Visit>(Must(Uuid::Parse(form.id), "id")), "the visit");
  EXPECT_EQ(saved.summary, "Исправлено: проверили два пункта, не три");
  EXPECT_EQ(Must(store_->records().Count(core::RecordKind::kVisit), "count"), visits);  // in place, not a copy
  EXPECT_FALSE(Must(store_->device().Draft(opened->draft_key), "Draft").has_value());

  controller.Apply({ui::OpenRecord{"not-a-record"}});
  controller.WaitIdle();
  EXPECT_TRUE(controller.View()->notice_is_error);
  EXPECT_FALSE(controller.TakeOpenedForm().has_value());
}

// -----------------------------------------------------------------------------------------
// [SECTION] Drafts through the controller
// -----------------------------------------------------------------------------------------

TEST_P(AppControllerTest, ADraftSurvivesARestartAndOpensAsTheSameForm) {
  const core::Recommendation rec = OpenRecommendation();
  ui::VisitForm form = VisitFormFor(rec.school_id);
  form.summary = "Черновик: ещё не закончено";
  form.checks = {{rec.id.ToString(), "in_progress", "начали"}};
  const std::string key = ui::DraftKey(ui::Form(form));
  {
    AppController controller(*store_, Options());
    controller.Apply({ui::SaveDraft{key, ui::Form(form)}});
    controller.WaitIdle();
    const auto view = controller.View();
    ASSERT_EQ(view->today->drafts.size(), 1u);
    EXPECT_EQ(view->today->drafts[0].key, key);
    EXPECT_EQ(view->today->drafts[0].updated, "сегодня 10:00");
  }
  store_.reset();  // the app is killed
  OpenStore();
  AppController controller(*store_, Options());
  controller.Apply({ui::OpenDraft{key}});
  controller.WaitIdle();
  std::optional<OpenedForm> opened = controller.TakeOpenedForm();
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(opened->draft_key, key);
  EXPECT_EQ(ui::EncodeForm(opened->form), ui::EncodeForm(ui::Form(form)));
  EXPECT_FALSE(controller.TakeOpenedForm().has_value());  // handed over once

  // Saving the form deletes its draft.
  Must(store_->ledger().SetSyncValue("person_id", Mentor().id.ToString()), "person");
  controller.Apply({ui::SaveForm{opened->form, key}});
  controller.WaitIdle();
  EXPECT_FALSE(controller.View()->notice_is_error) << controller.View()->notice;
  EXPECT_EQ(controller.View()->notice, "Выезд сохранён.");
  EXPECT_FALSE(Must(store_->device().Draft(key), "Draft").has_value());
  EXPECT_TRUE(controller.View()->today->drafts.empty());
}

// The report buttons: files in <data>/reports, made from the store alone; the notice names the
// file. "Save and make the feedback sheet" saves first and makes nothing when the save fails.
TEST_P(AppControllerTest, ReportsAreWrittenIntoTheDataFolderAndTheNoticeNamesThem) {
  AppController controller(*store_, Options());
  auto file_of = [&](const std::string& notice) {
    const std::string prefix = "Сохранено: ";
    EXPECT_EQ(notice.rfind(prefix, 0), 0u) << notice;
    return std::filesystem::path(notice.substr(std::min(notice.size(), prefix.size())));
  };
  auto head = [](const std::filesystem::path& path, size_t n) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes(n, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(n));
    return bytes.substr(0, static_cast<size_t>(in.gcount()));
  };

  const core::Observation observation = All<core::Observation>().front();
  controller.Apply({ui::MakeReport{ui::ReportKind::kFeedbackPdf, observation.id.ToString(), std::nullopt, ""}});
  controller.WaitIdle();
  ASSERT_FALSE(controller.View()->notice_is_error) << controller.View()->notice;
  const std::filesystem::path pdf = file_of(controller.View()->notice);
  EXPECT_EQ(pdf.parent_path(), dir_.path() / "reports");
  EXPECT_EQ(head(pdf, 5), "%PDF-");

  controller.Apply({ui::MakeReport{ui::ReportKind::kDistrictXlsx, "", std::nullopt, ""}});
  controller.WaitDashboard();  // made on the dashboard thread, from its figures
  ASSERT_FALSE(controller.View()->notice_is_error) << controller.View()->notice;
  EXPECT_EQ(head(file_of(controller.View()->notice), 2), "PK");  // a zip: the workbook

  const core::School school = All<core::School>().front();
  for (ui::ReportKind kind : {ui::ReportKind::kSchoolPdf, ui::ReportKind::kSchoolXlsx}) {
    controller.Apply({ui::MakeReport{kind, school.id.ToString(), std::nullopt, ""}});
    controller.WaitDashboard();
    ASSERT_FALSE(controller.View()->notice_is_error) << controller.View()->notice;
    EXPECT_EQ(head(file_of(controller.View()->notice), 2), kind == ui::ReportKind::kSchoolPdf ? "%P" : "PK");
  }

  // Edited and saved in one tap: the sheet shows the new next steps.
  Must(store_->ledger().SetSyncValue("person_id", Mentor().id.ToString()), "person");
  ui::Form form = Must(FormForRecord(store_->records(), observation.id.ToString()), "form");
  std::get<ui::ObservationForm>(form).next_steps = "Провести открытый урок до конца четверти";
  std::filesystem::remove(pdf);
  controller.Apply({ui::MakeReport{ui::ReportKind::kFeedbackPdf, observation.id.ToString(), form, ""}});
  controller.WaitIdle();
  ASSERT_FALSE(controller.View()->notice_is_error) << controller.View()->notice;
  EXPECT_EQ(Must(store_->records().Get<core::Observation>(observation.id), "saved").next_steps,
            "Провести открытый урок до конца четверти");
  EXPECT_TRUE(std::filesystem::exists(file_of(controller.View()->notice)));

  // A form the store refuses: its message, and no sheet.
  std::get<ui::ObservationForm>(form).teacher_id.clear();
  std::filesystem::remove_all(dir_.path() / "reports");
  controller.Apply({ui::MakeReport{ui::ReportKind::kFeedbackPdf, observation.id.ToString(), form, ""}});
  controller.WaitIdle();
  EXPECT_TRUE(controller.View()->notice_is_error);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "reports"));

  // An unknown observation: a clear message.
  controller.Apply({ui::MakeReport{ui::ReportKind::kFeedbackPdf, Uuid::MakeV7(1).ToString(), std::nullopt, ""}});
  controller.WaitIdle();
  EXPECT_TRUE(controller.View()->notice_is_error);
  EXPECT_FALSE(controller.View()->notice.empty());
}

TEST_P(AppControllerTest, ADraftSurvivesTheAppBeingKilled) {
  const core::Recommendation rec = OpenRecommendation();
  ui::VisitForm form = VisitFormFor(rec.school_id);
  form.summary = "Набрано до того, как приложение убили";
  const std::string key = ui::DraftKey(ui::Form(form));
  store_.reset();  // the app process opens its own

  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  std::fflush(nullptr);
  const pid_t pid = fork();
  ASSERT_NE(pid, -1) << "fork failed";
  if (pid == 0) {  // the app: a draft is saved as the user types, then the process is killed
    close(ready[0]);
    OpenStore();
    AppController app(*store_, Options());
    app.Apply({ui::SaveDraft{key, ui::Form(form)}});
    app.WaitIdle();
    if (write(ready[1], "k", 1) != 1) _exit(3);
    for (;;) pause();
  }
  close(ready[1]);
  char c = 0;
  const ssize_t n = read(ready[0], &c, 1);
  close(ready[0]);
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_EQ(n, 1) << "the app process ended before its draft was saved";
  ASSERT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL);

  OpenStore();  // the app is started again
  ASSERT_EQ(Must(store_->IntegrityCheck(), "integrity"), "ok");
  AppController app(*store_, Options());
  app.WaitIdle();
  ASSERT_EQ(app.View()->today->drafts.size(), 1u);
  app.Apply({ui::OpenDraft{key}});
  app.WaitIdle();
  const std::optional<OpenedForm> opened = app.TakeOpenedForm();
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(ui::EncodeForm(opened->form), ui::EncodeForm(ui::Form(form)));
}

TEST_P(AppControllerTest, PrepareFormOffersTheSchoolsOpenRecommendationsAndToday) {
  const core::Recommendation rec = OpenRecommendation();
  AppController controller(*store_, Options());
  controller.Apply({ui::PrepareForm{rec.school_id.ToString()}});
  controller.WaitIdle();
  const auto view = controller.View();
  EXPECT_EQ(view->form->school_id, rec.school_id.ToString());
  EXPECT_EQ(view->form->today, store_->records().Today().ToString());
  const auto& open = view->form->open_recommendations;
  EXPECT_TRUE(
      std::any_of(open.begin(), open.end(), [&](const ui::RecommendationRow& r) { return r.id == rec.id.ToString(); }));
  EXPECT_FALSE(view->form->rubric.criteria.empty());  // the bundled lesson observation rubric
}

TEST_P(AppControllerTest, AFailedSaveKeepsTheDraftAndSaysWhy) {
  const core::Recommendation rec = OpenRecommendation();
  ui::VisitForm form = VisitFormFor(rec.school_id);
  form.purposes.clear();
  const std::string key = ui::DraftKey(ui::Form(form));
  Must(store_->ledger().SetSyncValue("person_id", Mentor().id.ToString()), "person");
  AppController controller(*store_, Options());
  controller.Apply({ui::SaveDraft{key, ui::Form(form)}, ui::SaveForm{ui::Form(form), key}});
  controller.WaitIdle();
  EXPECT_TRUE(controller.View()->notice_is_error);
  ASSERT_EQ(controller.View()->form_errors.size(), 1u);
  EXPECT_EQ(controller.View()->form_errors[0].field, "purposes");
  EXPECT_EQ(controller.View()->form_errors[0].text, "Укажите цель выезда.");
  EXPECT_TRUE(Must(store_->device().Draft(key), "Draft").has_value());
  EXPECT_EQ(controller.View()->saved_form_seq, 0u);  // the form stays open

  form.purposes = {"monitoring"};
  controller.Apply({ui::SaveForm{ui::Form(form), key}});
  controller.WaitIdle();
  EXPECT_FALSE(controller.View()->notice_is_error) << controller.View()->notice;
  EXPECT_EQ(controller.View()->saved_form_id, form.id);  // now it closes
  EXPECT_EQ(controller.View()->saved_form_seq, 1u);
  EXPECT_FALSE(Must(store_->device().Draft(key), "Draft").has_value());
}

// Issue 14: a refusal is kept in both languages and shown in the language of the moment, so
// switching the language in Settings re-renders the error standing on screen.
TEST_P(AppControllerTest, AFormErrorAndANoticeFollowALanguageChosenAfterThem) {
  const core::Recommendation rec = OpenRecommendation();
  ui::VisitForm form = VisitFormFor(rec.school_id);
  form.purposes.clear();  // the core refuses it
  const std::string key = ui::DraftKey(ui::Form(form));
  Must(store_->ledger().SetSyncValue("person_id", Mentor().id.ToString()), "person");
  AppController controller(*store_, Options());  // Russian UI
  controller.Apply({ui::SaveForm{ui::Form(form), key}});
  controller.WaitIdle();
  EXPECT_TRUE(controller.View()->notice_is_error);
  ASSERT_EQ(controller.View()->form_errors.size(), 1u);
  EXPECT_EQ(controller.View()->form_errors[0].text, "Укажите цель выезда.");

  const auto switch_to = [&](const char* language) {
    ui::SettingsView settings = *controller.View()->settings;
    settings.language = language;
    controller.Apply({ui::ChangeSettings{settings}});
    controller.WaitIdle();
    ASSERT_EQ(controller.View()->texts->lang(), language);
  };
  switch_to("en");
  EXPECT_TRUE(controller.View()->notice_is_error);
  ASSERT_EQ(controller.View()->form_errors.size(), 1u);
  EXPECT_EQ(controller.View()->form_errors[0].text, "Choose the purpose of the visit.");
  EXPECT_EQ(controller.View()->notice.find("Не сохранено"), std::string::npos) << controller.View()->notice;

  // A date the form cannot read: the UI's own words, in both languages.
  switch_to("ru");
  form.purposes = {"monitoring"};
  form.recommendations = {{"Текст", "", "", "Директор", "20.13.2026"}};
  controller.Apply({ui::SaveForm{ui::Form(form), key}});
  controller.WaitIdle();
  EXPECT_EQ(controller.View()->notice, ru_.Format("view.error.date", {"20.13.2026"}));
  switch_to("en");
  EXPECT_EQ(controller.View()->notice, en_.Format("view.error.date", {"20.13.2026"}));

  // A notice of the UI's words follows too.
  form.recommendations.clear();
  controller.Apply({ui::SaveForm{ui::Form(form), key}});
  controller.WaitIdle();
  EXPECT_FALSE(controller.View()->notice_is_error) << controller.View()->notice;
  EXPECT_EQ(controller.View()->notice, en_("view.notice.visit_saved"));
  switch_to("ru");
  EXPECT_EQ(controller.View()->notice, ru_("view.notice.visit_saved"));
}

// -----------------------------------------------------------------------------------------
// [SECTION] The programme's instruments (the generic record form)
// -----------------------------------------------------------------------------------------

// The demo's people and places the instruments' tests use: a mentor with their first assigned
// school, three teachers of it, another school, a tutor.
struct RecordFormsScene {
  core::Person mentor;
  Uuid school;
  Uuid other_school;
  std::vector<Uuid> teachers;
  core::Person tutor;
};

class RecordFormsTest : public AppControllerTest {
 protected:
  RecordFormsScene Scene() {
    RecordFormsScene scene;
    scene.mentor = Mentor();
    for (const auto& a : Must(store_->records().ListBy<core::Assignment>("assignee_id", scene.mentor.id), "ListBy")) {
      if (a.kind == core::AssignmentKind::kMentorSchool) scene.school = a.school_id;
    }
    for (const auto& s : All<core::School>()) {
      if (s.id != scene.school) scene.other_school = s.id;
    }
    for (const auto& p : Must(store_->records().ListBy<core::Person>("school_id", scene.school), "staff")) {
      if (std::find(p.roles.begin(), p.roles.end(), core::Role::kTeacher) != p.roles.end()) {
        scene.teachers.push_back(p.id);
      }
    }
    for (const auto& p : All<core::Person>()) {
      if (std::find(p.roles.begin(), p.roles.end(), core::Role::kTutor) != p.roles.end()) scene.tutor = p;
    }
    EXPECT_GE(scene.teachers.size(), 3u) << "the demo school has too few teachers";
    EXPECT_FALSE(scene.tutor.id.IsNil()) << "the demo has no tutor";
    return scene;
  }

  static ui::RecordForm Form(std::string kind, std::map<std::string, std::string> values) {
    ui::RecordForm f = ui::NewRecordForm(kind, std::move(values));
    f.id = NewFormId(kNovember20 + static_cast<int64_t>(++made_));
    return f;
  }

  // Saves through the controller; the notice says it saved.
  void Save(AppController& controller, const ui::RecordForm& form) {
    controller.Apply({ui::SaveForm{ui::Form(form), ui::DraftKey(ui::Form(form))}});
    controller.WaitIdle();
    EXPECT_FALSE(controller.View()->notice_is_error) << form.kind << ": " << controller.View()->notice;
    EXPECT_EQ(controller.View()->saved_form_id, form.id);
    EXPECT_TRUE(controller.View()->form_errors.empty());
  }

  // Opens a saved record as its form, as a click on its row does.
  ui::RecordForm Open(AppController& controller, const std::string& id) {
    controller.Apply({ui::OpenRecord{id}});
    controller.WaitIdle();
    std::optional<OpenedForm> opened = controller.TakeOpenedForm();
    if (!opened) {
      ADD_FAILURE() << "nothing opened for " << id << ": " << controller.View()->notice;
      return {};
    }
    const auto* form = std::get_if<ui::RecordForm>(&opened->form);
    if (form == nullptr) {
      ADD_FAILURE() << "not a record form";
      return {};
    }
    return *form;
  }

  static bool Lists(const std::vector<ui::RecordRow>& rows, const std::string& id) {
    return std::any_of(rows.begin(), rows.end(), [&](const ui::RecordRow& r) { return r.id == id; });
  }
  static const ui::RecordRow* Row(const std::vector<ui::RecordRow>& rows, const std::string& id) {
    for (const ui::RecordRow& r : rows) {
      if (r.id == id) return &r;
    }
    return nullptr;
  }

  Uuid IdOf(const ui::RecordForm& f) { return Must(Uuid::Parse(f.id), "id"); }

  static inline int made_ = 0;
};

TEST_P(RecordFormsTest, AnAgreementWithAnInstitutionIsAddedListedAndItsStatusChanged) {
  const RecordFormsScene scene = Scene();
  AppController controller(*store_, Options());
  // A partner school chosen first, then the partner switched to an institution: the hidden
  // school is saved empty (otherwise the core would refuse it).
  const ui::RecordForm form = Form("network_agreement", {{"number", "СВ-77"},
                                                         {"signed_on", "2026-11-01"},
                                                         {"supported_school_id", scene.school.ToString()},
                                                         {"leader_school_id", scene.other_school.ToString()},
                                                         {"partner_kind", "institution"},
                                                         {"partner_name", "МБУК «Межпоселенческая библиотека»"},
                                                         {"status", "draft"},
                                                         {"milestones", "Договор\nПлан совместных мероприятий"}});
  Save(controller, form);
  const core::NetworkAgreement saved = Must(store_->records().Get<core::NetworkAgreement>(IdOf(form)), "agreement");
  EXPECT_EQ(saved.partner_kind, core::PartnerKind::kInstitution);
  EXPECT_FALSE(saved.leader_school_id.has_value());
  EXPECT_EQ(saved.status, core::AgreementStatus::kDraft);
  EXPECT_EQ(saved.model, core::NetworkModel::kHorizontal);  // the form's initial value
  EXPECT_EQ(saved.milestones, "Договор\nПлан совместных мероприятий");

  controller.Apply({ui::OpenSchool{scene.school.ToString()}});
  controller.WaitIdle();
  const ui::RecordRow* row = Row(controller.View()->school->agreements, form.id);
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->status, "проект") << row->status;
  EXPECT_NE(row->title.find("Межпоселенческая библиотека"), std::string::npos) << row->title;

  ui::RecordForm edit = Open(controller, form.id);
  EXPECT_EQ(edit.Get("number"), "СВ-77");
  EXPECT_EQ(edit.Get("partner_kind"), "institution");
  EXPECT_EQ(edit.school_id, scene.school.ToString());
  edit.values["status"] = "active";
  Save(controller, edit);
  EXPECT_EQ(Must(store_->records().Get<core::NetworkAgreement>(IdOf(form)), "agreement").status,
            core::AgreementStatus::kActive);
  EXPECT_EQ(Must(store_->records().Count(core::RecordKind::kNetworkAgreement), "count"),
            static_cast<int64_t>(All<core::NetworkAgreement>().size()));
}

TEST_P(RecordFormsTest, AnAgreementIsListedOnTheSupportedSchoolsPageAndOnItsPartnersNamingTheOtherSide) {
  const RecordFormsScene scene = Scene();
  AppController controller(*store_, Options());
  const ui::RecordForm form = Form("network_agreement", {{"number", "СВ-78"},
                                                         {"signed_on", "2026-11-02"},
                                                         {"supported_school_id", scene.school.ToString()},
                                                         {"partner_kind", "school"},
                                                         {"leader_school_id", scene.other_school.ToString()},
                                                         {"status", "active"}});
  Save(controller, form);
  auto name_of = [&](const Uuid& id) { return Must(store_->records().Get<core::School>(id), "school").short_name; };
  controller.Apply({ui::OpenSchool{scene.school.ToString()}});
  controller.WaitIdle();
  const auto supported_view = controller.View();  // kept: the rows below point into it
  const ui::RecordRow* supported = Row(supported_view->school->agreements, form.id);
  ASSERT_NE(supported, nullptr);
  controller.Apply({ui::OpenSchool{scene.other_school.ToString()}});
  controller.WaitIdle();
  const auto partner_view = controller.View();
  const ui::RecordRow* partner = Row(partner_view->school->agreements, form.id);
  ASSERT_NE(partner, nullptr) << "the partner school's page lists it too";
  const std::string supported_name = name_of(scene.school);
  const std::string partner_name = name_of(scene.other_school);
  ASSERT_FALSE(supported_name.empty());
  EXPECT_NE(partner->title.find(supported_name), std::string::npos) << partner->title;
  if (supported_name.find(partner_name) == std::string::npos) {
    EXPECT_EQ(partner->title.find(partner_name), std::string::npos) << "the other side, not itself: " << partner->title;
  }
  EXPECT_NE(supported->title.find(partner_name), std::string::npos) << supported->title;
}

TEST_P(RecordFormsTest, APlannedVisitLeavesTodaysDueListOnceTheVisitIsRecorded) {
  const RecordFormsScene scene = Scene();
  Must(store_->ledger().SetSyncValue("person_id", scene.mentor.id.ToString()), "person");
  AppController controller(*store_, Options());
  const ui::RecordForm plan = Form("plan_item", {{"person_id", scene.mentor.id.ToString()},
                                                 {"school_id", scene.school.ToString()},
                                                 {"activity", "visit"},
                                                 {"planned_on", "2026-11-24"}});
  // The mentor's plan at this school is this item alone (the demo plans visits there too).
  for (const auto& p : Must(store_->records().ListBy<core::PlanItem>("person_id", scene.mentor.id), "plan")) {
    if (p.school_id == scene.school) Must(store_->records().Delete(core::RecordKind::kPlanItem, p.id), "delete");
  }
  Save(controller, plan);
  ASSERT_TRUE(Lists(controller.View()->today->due, plan.id));

  // The visit of the same month, by the same mentor, at the same school: the plan is done
  // without anybody marking it (rules.h PlanMatch), as the district's plan_items_done counts it.
  controller.Apply({ui::SaveForm{ui::Form(VisitFormFor(scene.school)), ""}});
  controller.WaitIdle();
  ASSERT_FALSE(controller.View()->notice_is_error) << controller.View()->notice;
  EXPECT_FALSE(Lists(controller.View()->today->due, plan.id));
}

TEST_P(RecordFormsTest, TheWorkPlanShowsEachItemAgainstWhatWasDone) {
  const RecordFormsScene scene = Scene();
  Must(store_->ledger().SetSyncValue("person_id", scene.mentor.id.ToString()), "person");
  AppController controller(*store_, Options());
  const std::string school = scene.other_school.ToString();
  auto plan_of = [&](const std::string& person, const std::string& day) {
    controller.Apply({ui::OpenPlan{person, day}});
    controller.WaitIdle();
    EXPECT_FALSE(controller.View()->notice_is_error) << controller.View()->notice;
    return *controller.View()->plan;
  };
  auto school_row = [&](const ui::PlanView& plan) {
    for (const ui::PlanSchoolRow& r : plan.schools) {
      if (r.school_id == school) return r;
    }
    return ui::PlanSchoolRow{};
  };
  const ui::PlanView before = plan_of("", "");
  EXPECT_EQ(before.person_id, scene.mentor.id.ToString()) << "mine by default";
  EXPECT_EQ(before.half, "2-е полугодие 2026 (июль – декабрь)");
  const ui::PlanSchoolRow base = school_row(before);

  // Two visits planned for November; today is the 20th.
  const ui::RecordForm early = Form("plan_item", {{"person_id", scene.mentor.id.ToString()},
                                                  {"school_id", school},
                                                  {"activity", "visit"},
                                                  {"planned_on", "2026-11-05"}});
  const ui::RecordForm late = Form("plan_item", {{"person_id", scene.mentor.id.ToString()},
                                                 {"school_id", school},
                                                 {"activity", "visit"},
                                                 {"planned_on", "2026-11-25"}});
  Save(controller, early);
  Save(controller, late);
  ui::PlanView plan = plan_of("", "");
  ui::PlanSchoolRow row = school_row(plan);
  EXPECT_EQ(row.planned, base.planned + 2);
  EXPECT_EQ(row.done, base.done);
  EXPECT_EQ(plan.planned, before.planned + 2);
  EXPECT_EQ(plan.overdue, before.overdue + 1) << "the visit of the 5th was not made";
  ASSERT_NE(Row(row.items, early.id), nullptr);
  EXPECT_TRUE(Row(row.items, early.id)->overdue);
  EXPECT_EQ(Row(row.items, early.id)->status, "") << "overdue says it";
  EXPECT_EQ(Row(row.items, late.id)->status, "запланировано");

  // One visit made: it fulfils one of the two items, the earlier planned, not both.
  ui::VisitForm visit = VisitFormFor(scene.other_school);
  controller.Apply({ui::SaveForm{ui::Form(visit), ""}});
  controller.WaitIdle();
  ASSERT_FALSE(controller.View()->notice_is_error) << controller.View()->notice;
  plan = plan_of("", "");
  row = school_row(plan);
  EXPECT_EQ(row.done, base.done + 1);
  EXPECT_EQ(plan.done, before.done + 1);
  EXPECT_EQ(Row(row.items, early.id)->status, "выполнено 20.11.2026");
  EXPECT_FALSE(Row(row.items, early.id)->overdue);
  EXPECT_EQ(Row(row.items, late.id)->status, "запланировано");
  EXPECT_NE(row.recorded.find("визитов: "), std::string::npos) << row.recorded;

  // The first half-year does not hold them; the tutor's plan is the tutor's.
  const ui::PlanView spring = plan_of("", "2026-03-01");
  EXPECT_EQ(spring.half, "1-е полугодие 2026 (январь – июнь)");
  EXPECT_EQ(spring.half_start, "2026-01-01");
  for (const auto& r : spring.schools) EXPECT_FALSE(Lists(r.items, early.id));
  const ui::PlanView tutor = plan_of(scene.tutor.id.ToString(), "");
  EXPECT_EQ(tutor.person_name, scene.tutor.full_name);
  for (const auto& r : tutor.schools) EXPECT_FALSE(Lists(r.items, early.id));
  EXPECT_TRUE(std::any_of(tutor.people.begin(), tutor.people.end(), [&](const ui::Choice& c) {
    return c.code == scene.mentor.id.ToString();
  })) << "the mentors and tutors to choose from";
}

TEST_P(RecordFormsTest, TheDistrictsRoadmapAndItsNetworkEventsAreListedForTheCoordinator) {
  const RecordFormsScene scene = Scene();
  AppController controller(*store_, Options());
  const ui::RecordForm district = Form("roadmap_item", {{"title", "Августовское совещание педагогов района"},
                                                        {"level", "district"},
                                                        {"starts_on", "2026-08-25"},
                                                        {"ends_on", "2026-08-25"},
                                                        {"status", "done"},
                                                        {"done_on", "2026-08-25"}});
  const ui::RecordForm school = Form("roadmap_item", {{"title", "Педсовет по итогам ВПР"},
                                                      {"level", "school"},
                                                      {"school_id", scene.school.ToString()},
                                                      {"starts_on", "2026-11-25"},
                                                      {"ends_on", "2026-11-30"}});
  ui::RecordForm event = Form("network_event", {{"title", "Районный методический день"}, {"held_on", "2026-11-19"}});
  event.participants = {scene.teachers[0].ToString(), scene.teachers[1].ToString()};
  for (const ui::RecordForm* f : {&district, &school, static_cast<const ui::RecordForm*>(&event)}) Save(controller, *f);

  controller.Apply({ui::OpenProgramme{}});
  controller.WaitIdle();
  const auto view = controller.View();
  EXPECT_TRUE(Lists(view->programme->roadmap, district.id));
  EXPECT_FALSE(Lists(view->programme->roadmap, school.id)) << "a school's item is on the school's page";
  ASSERT_FALSE(view->programme->roadmap.empty());
  EXPECT_NE(view->programme->roadmap.front().status, Row(view->programme->roadmap, district.id)->status)
      << "what is still to do comes before what is done";
  const ui::RecordRow* row = Row(view->programme->events, event.id);
  ASSERT_NE(row, nullptr) << "an event the district office organised, listed nowhere else";
  EXPECT_NE(row->detail.find("2"), std::string::npos) << row->detail;
  // Newest first.
  for (size_t i = 1; i < view->programme->events.size(); ++i) {
    const auto& a = view->programme->events[i - 1].date;
    const auto& b = view->programme->events[i].date;
    auto iso = [](const std::string& d) { return d.substr(6, 4) + d.substr(3, 2) + d.substr(0, 2); };
    EXPECT_GE(iso(a), iso(b));
  }
}

// The programme's cycle through the screens (issue 16): a coordinator adds a monitoring round
// and a school's status change with the generic form, then closes the round from the programme
// screen; the school shows its status as of today and its history, the round's schools' figures
// are frozen, and the district view shows the round's column.
TEST_P(RecordFormsTest, ACoordinatorKeepsTheRoundsAndTheStatusHistoryAndClosesARound) {
  const RecordFormsScene scene = Scene();
  AppController controller(*store_, Options());
  const ui::RecordForm round =
      Form("monitoring_round",
           {{"name", "Осенняя диагностика 2026"}, {"starts_on", "2026-09-01"}, {"ends_on", "2026-09-30"}});
  Save(controller, round);
  const ui::RecordForm change = Form("status_change", {{"school_id", scene.school.ToString()},
                                                       {"changed_on", "2026-11-01"},
                                                       {"statuses", "adverse_conditions"},
                                                       {"reason", "Приказ № 12 от 01.11.2026"}});
  Save(controller, change);

  controller.Apply({ui::OpenSchool{scene.school.ToString()}, ui::OpenProgramme{}});
  controller.WaitIdle();
  auto view = controller.View();
  ASSERT_EQ(view->school->status_history.size(), 1u);
  EXPECT_EQ(view->school->status_history[0].title, "ШНСУ");
  EXPECT_EQ(view->school->statuses, std::vector<std::string>{"ШНСУ"}) << "the status in force today";
  ASSERT_EQ(view->programme->open_rounds.size(), 1u);
  EXPECT_EQ(view->programme->open_rounds[0].code, round.id);
  EXPECT_EQ(Row(view->programme->rounds, round.id)->status, "идёт");
  const ui::RecordRow* due = Row(view->today->due, round.id);
  ASSERT_NE(due, nullptr) << "ended on 30.09 and not closed: due on the coordinator's Today";
  EXPECT_TRUE(due->overdue);
  EXPECT_EQ(due->status, "закончился: закройте на экране этапов мониторинга");

  controller.Apply({ui::CloseRound{round.id}});
  controller.WaitDashboard();
  view = controller.View();
  ASSERT_FALSE(view->notice_is_error) << view->notice;
  const size_t schools = All<core::School>().size();
  EXPECT_EQ(view->notice, "Этап «Осенняя диагностика 2026» закрыт: показатели школ (" + std::to_string(schools) +
                              ") на 2026-09-30 сохранены в нынешнем виде.");
  EXPECT_EQ(Must(store_->records().ListBy<core::RoundResult>("round_id", *Uuid::Parse(round.id)), "results").size(),
            schools);
  EXPECT_TRUE(view->programme->open_rounds.empty());
  EXPECT_EQ(Row(view->today->due, round.id), nullptr) << "closed: no longer due";
  EXPECT_EQ(Row(view->programme->rounds, round.id)->status, "закрыт 20.11.2026");
  ASSERT_NE(view->dashboard, nullptr);
  const ui::RoundColumn* column = nullptr;  // the demo's own rounds are there too
  for (const ui::RoundColumn& c : view->dashboard->district.rounds) {
    if (c.name == "Осенняя диагностика 2026" && c.period == "01.09.2026 – 30.09.2026") column = &c;
  }
  ASSERT_NE(column, nullptr);
  EXPECT_EQ(column->values.at(0), std::to_string(schools));
  EXPECT_EQ(view->dashboard->district.round_rows.size(), column->values.size());
  const ui::SchoolDashboardView* school = view->dashboard->FindSchool(scene.school.ToString());
  ASSERT_NE(school, nullptr);
  const ui::LabelledValue* mine = nullptr;
  for (const ui::LabelledValue& r : school->rounds) {
    if (r.label == "Осенняя диагностика 2026 (30.09.2026)") mine = &r;
  }
  ASSERT_NE(mine, nullptr);
  std::string before;  // its own statuses: those on 30.09, before the change of 01.11
  for (core::SchoolStatus st : Must(store_->records().Get<core::School>(scene.school), "school").statuses) {
    before += (before.empty() ? "" : ", ") + std::string(core::EnumLabel(st, Language::kRussian));
  }
  if (before.empty()) before = "обычная школа";
  EXPECT_EQ(mine->value.rfind(before + " · ИОР ", 0), 0u) << mine->value;

  controller.Apply({ui::CloseRound{round.id}});  // a second tap
  controller.WaitDashboard();
  EXPECT_TRUE(controller.View()->notice_is_error);
  EXPECT_NE(controller.View()->notice.find("уже закрыт"), std::string::npos) << controller.View()->notice;
}

TEST_P(RecordFormsTest, AMentorIsNotOfferedWhatOnlyACoordinatorWritesAndItIsRefusedBeforeTheOutbox) {
  const RecordFormsScene scene = Scene();
  Must(store_->ledger().SetSyncValue("person_id", scene.mentor.id.ToString()), "person");
  Must(store_->ledger().SetSyncValue("role", "mentor"), "role");
  AppController controller(*store_, Options());
  controller.Apply(
      {ui::OpenSchool{scene.school.ToString()}, ui::OpenTeacher{scene.teachers[0].ToString()}, ui::OpenProgramme{}});
  controller.WaitIdle();
  EXPECT_FALSE(controller.View()->school->may_coordinate);
  EXPECT_FALSE(controller.View()->teacher->may_coordinate);
  EXPECT_FALSE(controller.View()->programme->may_coordinate);

  const int64_t events = Must(store_->records().Count(core::RecordKind::kNetworkEvent), "count");
  const ui::RecordForm event = Form("network_event", {{"title", "Семинар наставника"}, {"held_on", "2026-11-19"}});
  controller.Apply({ui::SaveForm{ui::Form(event), ui::DraftKey(ui::Form(event))}});
  controller.WaitIdle();
  EXPECT_TRUE(controller.View()->notice_is_error);
  EXPECT_NE(controller.View()->notice.find("координатор"), std::string::npos) << controller.View()->notice;
  EXPECT_EQ(Must(store_->records().Count(core::RecordKind::kNetworkEvent), "count"), events) << "nothing saved";
  // A school's roadmap item is the mentor's to write.
  Save(controller, Form("roadmap_item", {{"title", "Педсовет"},
                                         {"level", "school"},
                                         {"school_id", scene.school.ToString()},
                                         {"starts_on", "2026-11-25"},
                                         {"ends_on", "2026-11-30"}}));

  // The coordinator is offered all of it.
  Must(store_->ledger().SetSyncValue("role", "coordinator"), "role");
  controller.Apply({ui::OpenSchool{scene.school.ToString()}});
  controller.WaitIdle();
  EXPECT_TRUE(controller.View()->school->may_coordinate);
  Save(controller, event);
}

TEST_P(RecordFormsTest, AnObservationMissingItsTeacherGradeAndDateIsRefusedForEachAtOnceInWords) {
  const RecordFormsScene scene = Scene();
  Must(store_->ledger().SetSyncValue("person_id", scene.mentor.id.ToString()), "person");
  AppController controller(*store_, Options());
  ui::ObservationForm o;
  o.id = NewFormId(kNovember20 + 777);
  o.school_id = scene.school.ToString();
  o.subject = "Математика";
  const auto rubrics = All<core::RubricTemplate>();
  ASSERT_FALSE(rubrics.empty());
  o.rubric_code = rubrics.front().code;
  o.rubric_version = rubrics.front().version;
  const int64_t before = Must(store_->records().Count(core::RecordKind::kObservation), "count");
  controller.Apply({ui::SaveForm{ui::Form(o), ""}});
  controller.WaitIdle();
  const auto view = controller.View();
  EXPECT_TRUE(view->notice_is_error);
  EXPECT_EQ(view->form_errors_id, o.id);
  std::map<std::string, std::string> errors;
  for (const auto& e : view->form_errors) errors[e.field] = e.text;
  EXPECT_EQ(errors["teacher_id"], "Выберите учителя.");
  EXPECT_EQ(errors["grade"], "Укажите класс: число от 1 до 11.");
  EXPECT_EQ(errors["date"], "Укажите дату.");
  for (const auto& [field, text] : errors) {
    EXPECT_EQ(text.find("0195"), std::string::npos) << field << ": no id in a message: " << text;
  }
  EXPECT_EQ(Must(store_->records().Count(core::RecordKind::kObservation), "count"), before) << "nothing written";

  // Fixed, it saves.
  o.teacher_id = scene.teachers[0].ToString();
  o.grade = "5";
  o.date = "2026-11-19";
  controller.Apply({ui::SaveForm{ui::Form(o), ""}});
  controller.WaitIdle();
  EXPECT_FALSE(controller.View()->notice_is_error) << controller.View()->notice;
  EXPECT_TRUE(controller.View()->form_errors.empty());
}

TEST_P(RecordFormsTest, RoadmapRouteAndPlanItemsAreDueOnTodayUntilDone) {
  const RecordFormsScene scene = Scene();
  Must(store_->ledger().SetSyncValue("person_id", scene.mentor.id.ToString()), "person");
  AppController controller(*store_, Options());
  const ui::RecordForm roadmap = Form("roadmap_item", {{"title", "Семинар «Формирующее оценивание»"},
                                                       {"school_id", scene.school.ToString()},
                                                       {"starts_on", "2026-11-25"},
                                                       {"ends_on", "2026-11-30"}});
  const ui::RecordForm route = Form("route_item", {{"teacher_id", scene.teachers[0].ToString()},
                                                   {"activity", "seminar"},
                                                   {"title", "Посетить три урока коллег"},
                                                   {"starts_on", "2026-11-01"},
                                                   {"due_on", "2026-11-18"}});  // overdue already
  const ui::RecordForm plan = Form("plan_item", {{"person_id", scene.mentor.id.ToString()},
                                                 {"school_id", scene.school.ToString()},
                                                 {"planned_on", "2026-12-01"}});
  const ui::RecordForm later = Form("route_item", {{"teacher_id", scene.teachers[0].ToString()},
                                                   {"title", "Курсы в марте"},
                                                   {"starts_on", "2026-11-01"},
                                                   {"due_on", "2027-03-01"}});  // not within 14 days
  for (const auto* f : {&roadmap, &route, &plan, &later}) Save(controller, *f);

  const auto& due = controller.View()->today->due;
  ASSERT_TRUE(Lists(due, roadmap.id));
  ASSERT_TRUE(Lists(due, route.id));
  ASSERT_TRUE(Lists(due, plan.id));
  EXPECT_FALSE(Lists(due, later.id));
  // Soonest first (the demo district has due items of its own around these).
  auto at = [&](const std::string& id) {
    return std::find_if(due.begin(), due.end(), [&](const auto& row) { return row.id == id; }) - due.begin();
  };
  EXPECT_LT(at(route.id), at(roadmap.id));
  EXPECT_LT(at(roadmap.id), at(plan.id));
  EXPECT_TRUE(due[static_cast<size_t>(at(route.id))].overdue);
  EXPECT_EQ(controller.View()->today->person_id, scene.mentor.id.ToString());

  controller.Apply({ui::OpenSchool{scene.school.ToString()}, ui::OpenTeacher{scene.teachers[0].ToString()}});
  controller.WaitIdle();
  EXPECT_TRUE(Lists(controller.View()->school->roadmap, roadmap.id));
  EXPECT_TRUE(Lists(controller.View()->teacher->route, route.id));

  // Done: each leaves the due list.
  ui::RecordForm r = Open(controller, roadmap.id);
  r.values["status"] = "done";
  r.values["done_on"] = "2026-11-20";
  r.values["evidence"] = "Протокол № 5";
  Save(controller, r);
  ui::RecordForm i = Open(controller, route.id);
  i.values["status"] = "done";
  i.values["done_on"] = "2026-11-19";
  Save(controller, i);
  ui::RecordForm p = Open(controller, plan.id);
  p.values["done_on"] = "2026-11-20";
  Save(controller, p);
  EXPECT_TRUE(controller.View()->today->due.empty() ||
              (!Lists(controller.View()->today->due, roadmap.id) && !Lists(controller.View()->today->due, route.id) &&
               !Lists(controller.View()->today->due, plan.id)));
  EXPECT_EQ(Must(store_->records().Get<core::RoadmapItem>(IdOf(roadmap)), "roadmap").evidence, "Протокол № 5");
  EXPECT_EQ(Must(store_->records().Get<core::RouteItem>(IdOf(route)), "route").status, core::RouteItemStatus::kDone);
}

TEST_P(RecordFormsTest, ADeficitATrainingAndATutorAreAddedOnTheTeachersPageAndEdited) {
  const RecordFormsScene scene = Scene();
  AppController controller(*store_, Options());
  const std::string teacher = scene.teachers[1].ToString();
  const ui::RecordForm deficit = Form("deficit", {{"teacher_id", teacher},
                                                  {"area", "Формирующее оценивание"},
                                                  {"found_on", "2026-11-10"},
                                                  {"found_by", "diagnostics"},
                                                  {"remedy", "course"}});
  const ui::RecordForm training = Form("training", {{"teacher_id", teacher},
                                                    {"title", "Формирующее оценивание на уроке"},
                                                    {"provider", "ГАУ ДПО «Институт развития образования»"},
                                                    {"hours", "36"},
                                                    {"starts_on", "2026-11-02"},
                                                    {"ends_on", "2026-11-15"}});
  const ui::RecordForm tutor = Form("assignment", {{"kind", "tutor_teacher"},
                                                   {"assignee_id", scene.tutor.id.ToString()},
                                                   {"school_id", scene.school.ToString()},
                                                   {"teacher_id", teacher},
                                                   {"starts_on", "2026-11-20"}});
  for (const auto* f : {&deficit, &training, &tutor}) Save(controller, *f);
  controller.Apply({ui::OpenTeacher{teacher}, ui::OpenSchool{scene.school.ToString()}});
  controller.WaitIdle();
  const ui::RecordRow* row = Row(controller.View()->teacher->deficits, deficit.id);
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->status, "не устранён");
  EXPECT_TRUE(Lists(controller.View()->teacher->trainings, training.id));
  EXPECT_EQ(controller.View()->teacher->school_id, scene.school.ToString());
  EXPECT_TRUE(Lists(controller.View()->school->assignments, tutor.id));

  // The route item offers the teacher's deficits once its form is prepared for their school.
  controller.Apply({ui::PrepareForm{scene.school.ToString()}});
  controller.WaitIdle();
  const auto& deficits = controller.View()->record_options->deficits;
  EXPECT_TRUE(std::any_of(deficits.begin(), deficits.end(),
                          [&](const ui::GroupedChoice& c) { return c.code == deficit.id && c.group == teacher; }));
  EXPECT_EQ(controller.View()->record_options->vocabularies.at("deficit.found_by").size(),
            core::EnumEntries<core::DeficitSource>().size());

  ui::RecordForm closing = Open(controller, deficit.id);
  EXPECT_EQ(closing.school_id, scene.school.ToString());  // the teacher's school: its options
  closing.values["closed_on"] = "2026-11-19";
  closing.values["closed_by"] = "курсы, 36 ч";
  Save(controller, closing);
  ui::RecordForm hours = Open(controller, training.id);
  hours.values["hours"] = "72";
  Save(controller, hours);
  ui::RecordForm ending = Open(controller, tutor.id);
  ending.values["ends_on"] = "2026-11-20";
  Save(controller, ending);
  const core::Deficit closed = Must(store_->records().Get<core::Deficit>(IdOf(deficit)), "deficit");
  EXPECT_EQ(closed.closed_on, Must(Date::FromYmd(2026, 11, 19), "date"));
  EXPECT_EQ(closed.closed_by, "курсы, 36 ч");
  EXPECT_EQ(Must(store_->records().Get<core::Training>(IdOf(training)), "training").hours, 72);
  EXPECT_EQ(Must(store_->records().Get<core::Assignment>(IdOf(tutor)), "assignment").ends_on,
            Must(Date::FromYmd(2026, 11, 20), "date"));
  row = Row(controller.View()->teacher->deficits, deficit.id);
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->status, "устранён 19.11.2026");
}

// "Record a deficit seen in this lesson": the form comes prefilled from the observation (the
// screens' side is RecordFormScreensTest); saved, the deficit keeps the observation it came from.
TEST_P(RecordFormsTest, ADeficitFromAnObservationKeepsTheObservation) {
  const core::Observation o = All<core::Observation>().front();
  AppController controller(*store_, Options());
  const ui::RecordForm form = Form("deficit", {{"teacher_id", o.teacher_id.ToString()},
                                               {"observation_id", o.id.ToString()},
                                               {"found_by", "observation"},
                                               {"found_on", o.date.ToString()},
                                               {"area", "Постановка учебной задачи"}});
  Save(controller, form);
  const core::Deficit d = Must(store_->records().Get<core::Deficit>(IdOf(form)), "deficit");
  EXPECT_EQ(d.observation_id, o.id);
  EXPECT_EQ(d.found_by, core::DeficitSource::kObservation);
  EXPECT_EQ(d.found_on, o.date);
  EXPECT_EQ(d.remedy, core::DeficitRemedy::kTutorSessions);  // the form's initial value
  controller.Apply({ui::OpenTeacher{o.teacher_id.ToString()}});
  controller.WaitIdle();
  EXPECT_TRUE(Lists(controller.View()->teacher->deficits, form.id));
}

TEST_P(RecordFormsTest, AnEventsChecklistAddsAndRemovesParticipantRecordsInOneSave) {
  const RecordFormsScene scene = Scene();
  AppController controller(*store_, Options());
  ui::RecordForm event = Form("network_event", {{"title", "Методический день «Читательская грамотность»"},
                                                {"kind", "methodological_day"},
                                                {"organiser_school_id", scene.school.ToString()},
                                                {"held_on", "2026-11-18"}});
  const std::string a = scene.teachers[0].ToString(), b = scene.teachers[1].ToString(),
                    c = scene.teachers[2].ToString();
  event.participants = {a, b};
  Save(controller, event);
  auto participants = [&] {
    std::map<std::string, Uuid> by_teacher;
    for (const auto& p : Must(store_->records().ListBy<core::EventParticipant>("event_id", IdOf(event)), "ListBy")) {
      EXPECT_TRUE(by_teacher.emplace(p.teacher_id.ToString(), p.id).second) << "a teacher listed twice";
    }
    return by_teacher;
  };
  const auto first = participants();
  ASSERT_EQ(first.size(), 2u);
  EXPECT_TRUE(first.count(a) && first.count(b));

  controller.Apply({ui::OpenSchool{scene.school.ToString()}});
  controller.WaitIdle();
  const ui::RecordRow* row = Row(controller.View()->school->events, event.id);
  ASSERT_NE(row, nullptr);
  EXPECT_NE(row->detail.find("2"), std::string::npos) << row->detail;

  ui::RecordForm edit = Open(controller, event.id);
  std::sort(edit.participants.begin(), edit.participants.end());
  std::vector<std::string> expected{a, b};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(edit.participants, expected);
  edit.participants = {b, c};
  const int64_t pending = Must(store_->ledger().PendingCount(), "PendingCount");
  Save(controller, edit);
  const auto second = participants();
  ASSERT_EQ(second.size(), 2u);
  EXPECT_FALSE(second.count(a));
  ASSERT_TRUE(second.count(b) && second.count(c));
  EXPECT_EQ(second.at(b), first.at(b));  // kept, not written again
  // One delete and one add: the event itself did not change.
  EXPECT_EQ(Must(store_->ledger().PendingCount(), "PendingCount"), pending + 2);
}

TEST_P(RecordFormsTest, ARefusedFieldIsShownUnderItInTheUiLanguageAndNothingIsSaved) {
  const RecordFormsScene scene = Scene();
  AppController controller(*store_, Options());  // Russian UI
  const int64_t before = Must(store_->records().Count(core::RecordKind::kRouteItem), "count");
  ui::RecordForm form = Form("route_item", {{"teacher_id", scene.teachers[0].ToString()},
                                            {"title", ""},
                                            {"starts_on", "2026-11-10"},
                                            {"due_on", "31.02.2026"}});
  const std::string key = ui::DraftKey(ui::Form(form));
  controller.Apply({ui::SaveForm{ui::Form(form), key}});
  controller.WaitIdle();
  auto view = controller.View();
  EXPECT_TRUE(view->notice_is_error);
  EXPECT_EQ(view->notice, ru_("view.error.fields"));
  EXPECT_EQ(view->form_errors_id, form.id);
  ASSERT_EQ(view->form_errors.size(), 1u);  // the value that cannot be read first
  EXPECT_EQ(view->form_errors[0].field, "due_on");
  EXPECT_EQ(view->form_errors[0].text, ru_.Format("view.error.date", {"31.02.2026"}));
  EXPECT_EQ(view->saved_form_seq, 0u);

  // Readable now; the core refuses an empty title and a due date before the start.
  form.values["due_on"] = "2026-11-01";
  controller.Apply({ui::SaveForm{ui::Form(form), key}});
  controller.WaitIdle();
  view = controller.View();
  std::map<std::string, std::string> errors;
  for (const auto& e : view->form_errors) errors[e.field] = e.text;
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors["title"].find("содержание пункта маршрута"), std::string::npos) << errors["title"];
  EXPECT_NE(errors["due_on"].find("Срок пункта раньше его начала"), std::string::npos) << errors["due_on"];
  EXPECT_EQ(Must(store_->records().Count(core::RecordKind::kRouteItem), "count"), before);

  // The marks follow a language chosen after them.
  ui::SettingsView settings = *view->settings;
  settings.language = "en";
  controller.Apply({ui::ChangeSettings{settings}});
  controller.WaitIdle();
  for (const auto& e : controller.View()->form_errors) {
    EXPECT_EQ(e.text.find("Срок"), std::string::npos) << e.text;
  }

  form.values["title"] = "Курсы ПК";
  form.values["due_on"] = "2026-12-01";
  Save(controller, form);
  EXPECT_EQ(Must(store_->records().Count(core::RecordKind::kRouteItem), "count"), before + 1);
}

TEST_P(RecordFormsTest, AGenericFormsDraftSurvivesARestartAndIsListedByWhatItIsFor) {
  const RecordFormsScene scene = Scene();
  ui::RecordForm form = Form("training", {{"teacher_id", scene.teachers[0].ToString()},
                                          {"title", "Наставничество в школе"},
                                          {"hours", "3б"}});  // as typed, not checked until saved
  form.school_id = scene.school.ToString();
  const std::string key = ui::DraftKey(ui::Form(form));
  EXPECT_EQ(key, "training:" + form.id);
  const std::string scene_teacher_name =
      Must(store_->records().Get<core::Person>(scene.teachers[0]), "teacher").full_name;
  {
    AppController controller(*store_, Options());
    controller.Apply({ui::SaveDraft{key, ui::Form(form)}});
    controller.WaitIdle();
    ASSERT_EQ(controller.View()->today->drafts.size(), 1u);
    const std::string& title = controller.View()->today->drafts[0].title;
    EXPECT_EQ(title, ru_.Format("view.draft.record", {ru_("record.kind.training"), scene_teacher_name}));
  }
  store_.reset();  // the app is killed
  OpenStore();
  AppController controller(*store_, Options());
  controller.Apply({ui::OpenDraft{key}});
  controller.WaitIdle();
  const std::optional<OpenedForm> opened = controller.TakeOpenedForm();
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(opened->draft_key, key);
  EXPECT_EQ(ui::EncodeForm(opened->form), ui::EncodeForm(ui::Form(form)));
}

INSTANTIATE_TEST_SUITE_P(Controller, RecordFormsTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& threads) {
                           return threads.param ? "Threads" : "Steps";
                         });

// -----------------------------------------------------------------------------------------
// [SECTION] Sync view
// -----------------------------------------------------------------------------------------

TEST_P(AppControllerTest, SyncViewShowsARejectedChangeWithItsReasonInTheUiLanguage) {
  const core::Visit visit = All<core::Visit>().front();
  core::RejectedEntry rejected;
  rejected.op_seq = 7;
  rejected.kind = core::RecordKind::kVisit;
  rejected.record_id = visit.id;
  rejected.code = "permission";
  rejected.reason_en = "You may not edit visits of this school.";
  rejected.reason_ru = "Вам нельзя изменять выезды этой школы.";
  rejected.rejected_millis = kNovember20 - 3'600'000;
  Must(store_->ledger().AddRejected(rejected), "AddRejected");

  const ui::SyncView en = Must(BuildSyncView(*store_, Context(std::nullopt, en_), false), "BuildSyncView");
  ASSERT_EQ(en.rejected.size(), 1u);
  EXPECT_EQ(en.rejected[0].reason, rejected.reason_en);
  EXPECT_EQ(en.rejected[0].when, "today 09:00");
  EXPECT_NE(en.rejected[0].what.find(ShowDate(visit.date)), std::string::npos) << en.rejected[0].what;

  AppController controller(*store_, Options());  // Russian UI
  controller.WaitIdle();
  const auto view = controller.View();
  ASSERT_EQ(view->sync->rejected.size(), 1u);
  EXPECT_EQ(view->sync->rejected[0].reason, rejected.reason_ru);
  EXPECT_EQ(view->sync->rejected[0].when, "сегодня 09:00");
  EXPECT_FALSE(view->sync->signed_in);
  EXPECT_EQ(view->sync->pending, Must(store_->ledger().PendingCount(), "PendingCount"));
}

TEST_P(AppControllerTest, StartSyncWithoutASignInSaysSoAndStops) {
  AppController controller(*store_, Options());
  controller.Apply({ui::StartSync{}});
  controller.WaitIdle();
  controller.WaitIdle();  // the sync thread posts its result to the worker
  EXPECT_TRUE(controller.View()->notice_is_error);
  EXPECT_EQ(controller.View()->notice, ru_("view.sync.not_signed_in"));
  EXPECT_FALSE(controller.View()->sync_run.running);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Apply never waits
// -----------------------------------------------------------------------------------------

TEST_P(AppControllerTest, TheLanguageChosenInSettingsShowsAtOnceAndAtTheNextStart) {
  {
    AppController app(*store_, Options());
    app.WaitIdle();
    ASSERT_TRUE(app.View()->texts);
    EXPECT_EQ(app.View()->texts->lang(), "ru");
    ui::SettingsView settings = *app.View()->settings;
    settings.language = "en";
    app.Apply({ui::ChangeSettings{settings}});
    app.WaitIdle();
    EXPECT_EQ(app.View()->texts->lang(), "en");  // the screens draw with these from the next frame
    EXPECT_EQ(app.View()->settings->language, "en");
    EXPECT_STREQ((*app.View()->texts)("nav.today"), en_("nav.today"));
  }
  {
    AppController app(*store_, Options());  // the locale says Russian; Settings said English
    app.WaitIdle();
    EXPECT_EQ(app.View()->texts->lang(), "en");
    EXPECT_EQ(app.View()->settings->language, "en");
  }
  {
    ControllerOptions forced = Options();  // mentorlog --lang ru
    forced.language_forced = true;
    AppController app(*store_, forced);
    app.WaitIdle();
    EXPECT_EQ(app.View()->texts->lang(), "ru");
  }
}

TEST_P(AppControllerTest, FirstRunUntilSignedInOrOfflineIsChosenAndNotAfter) {
  {
    AppController app(*store_, Options());  // the demo district (mentorlog-cli demo) is in use
    app.WaitIdle();
    EXPECT_FALSE(app.View()->first_run);
  }
  core::testing::TempDir fresh;
  core::StoreOptions options;
  options.path = fresh.path() / "mentorlog.db";
  options.clock = &clock_;
  auto empty = Must(core::Store::Open(options), "a new device");
  ControllerOptions co = Options();
  co.data_dir = fresh.path();
  {
    AppController app(*empty, co);
    app.WaitIdle();
    EXPECT_TRUE(app.View()->first_run);
    app.Apply({ui::WorkOffline{}});
    app.WaitIdle();
    EXPECT_FALSE(app.View()->first_run);
  }
  AppController again(*empty, co);  // the next start
  again.WaitIdle();
  EXPECT_FALSE(again.View()->first_run);
}

TEST_P(AppControllerTest, AConflictIsResolvedWithAMergedTextAndLeavesTheList) {
  const core::Visit visit = All<core::Visit>().front();
  core::ConflictEntry conflict;
  conflict.id = Uuid::MakeV7(clock_.NowMillis());
  conflict.kind = core::RecordKind::kVisit;
  conflict.record_id = visit.id;
  conflict.field = "summary";
  conflict.kept = visit.summary;
  conflict.lost = std::string("Итоги с планшета тьютора");
  conflict.reason = core::ConflictReason::kConcurrentEdit;
  conflict.noticed_millis = clock_.NowMillis();
  Must(store_->ledger().AddConflict(conflict), "AddConflict");
  const int64_t pending = Must(store_->ledger().PendingCount(), "pending");

  AppController app(*store_, Options());
  app.WaitIdle();
  ASSERT_EQ(app.View()->sync->conflicts.size(), 1u);
  const ui::ConflictRow row = app.View()->sync->conflicts[0];
  EXPECT_EQ(row.kept, visit.summary);
  EXPECT_EQ(row.lost, "Итоги с планшета тьютора");

  const std::string merged = visit.summary + "\n" + row.lost;  // what the merge editor starts with
  app.Apply({ui::ResolveConflict{row.id, merged}});
  app.WaitIdle();
  EXPECT_FALSE(app.View()->notice_is_error) << app.View()->notice;
  EXPECT_TRUE(app.View()->sync->conflicts.empty());
  EXPECT_EQ(Must(store_->records().Get<core::Visit>(visit.id), "visit").summary, merged);
  EXPECT_EQ(Must(store_->ledger().PendingCount(), "pending"), pending + 1);  // the merge goes to the server

  app.Apply({ui::ResolveConflict{row.id, "again"}});  // a second tap: already resolved, nothing changes
  app.WaitIdle();
  EXPECT_EQ(Must(store_->records().Get<core::Visit>(visit.id), "visit").summary, merged);
  EXPECT_EQ(Must(store_->ledger().PendingCount(), "pending"), pending + 1);

  app.Apply({ui::ResolveConflict{Uuid::MakeV7(1).ToString(), "x"}});  // no such conflict: says so
  app.WaitIdle();
  EXPECT_TRUE(app.View()->notice_is_error);
}

TEST_P(AppControllerTest, ApplyReturnsWhileTheWorkerIsBusy) {
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<bool> armed{false};
  ControllerOptions options = Options();
  options.before_worker_task = [&] {
    if (armed.load()) gate.wait();
  };
  AppController controller(*store_, options);
  controller.WaitIdle();
  const uint64_t version = controller.View()->version;
  armed.store(true);

  const core::Recommendation rec = OpenRecommendation();
  ui::VisitForm form = VisitFormFor(rec.school_id);
  for (int i = 0; i < 100; ++i) {
    form.summary = "версия " + std::to_string(i);
    controller.Apply({ui::SaveDraft{ui::DraftKey(ui::Form(form)), ui::Form(form)}, ui::OpenSchool{form.school_id}});
  }
  // Every Apply came back while the worker was held up, and the view is still readable.
  EXPECT_EQ(controller.View()->version, version);

  release.set_value();
  controller.WaitIdle();
  const auto view = controller.View();
  EXPECT_GT(view->version, version);
  EXPECT_EQ(view->school->id, form.school_id);
  ASSERT_EQ(view->today->drafts.size(), 1u);
  const auto draft = Must(store_->device().Draft(view->today->drafts[0].key), "Draft");
  ASSERT_TRUE(draft.has_value());
  EXPECT_EQ(ui::EncodeForm(*ui::DecodeForm(draft->payload)), ui::EncodeForm(ui::Form(form)));  // the last one
}

// -----------------------------------------------------------------------------------------
// [SECTION] Dashboards
// -----------------------------------------------------------------------------------------

// Polls View() as the UI thread does each frame until `done` holds (or a minute passes), and
// keeps the longest a View() call took: the UI thread never waits for the dashboards.
class ViewPoller {
 public:
  explicit ViewPoller(AppController& controller) : controller_(controller) {}
  template <class F>
  std::shared_ptr<const ui::AppView> Until(F&& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      controller_.Step();  // the frame loop's call: runs the owners' work when they have no threads
      const auto start = std::chrono::steady_clock::now();
      std::shared_ptr<const ui::AppView> view = controller_.View();
      longest_ = std::max(longest_, std::chrono::steady_clock::now() - start);
      if (done(*view)) return view;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return nullptr;
  }
  std::chrono::steady_clock::duration longest() const { return longest_; }

 private:
  AppController& controller_;
  std::chrono::steady_clock::duration longest_{};
};

const ui::RankedSchoolRow* RankedRow(const ui::AppView& view, const std::string& school_id) {
  if (!view.dashboard) return nullptr;
  for (const ui::RankedSchoolRow& r : view.dashboard->district.ranking) {
    if (r.school_id == school_id) return &r;
  }
  return nullptr;
}

TEST_P(AppControllerTest, ASavedVisitReachesThePublishedDistrictViewWithoutTheUiThreadWaiting) {
  Must(store_->ledger().SetSyncValue("person_id", Mentor().id.ToString()), "person");  // the visitor
  AppController controller(*store_, Options());
  ViewPoller poll(controller);
  const auto first = poll.Until([](const ui::AppView& v) { return v.dashboard && !v.dashboard_computing; });
  ASSERT_TRUE(first) << "no dashboard was published";
  ASSERT_TRUE(first->dashboard->error.empty()) << first->dashboard->error;
  ASSERT_FALSE(first->dashboard->district.ranking.empty());
  ASSERT_EQ(first->dashboard->schools.size(), first->dashboard->district.ranking.size());
  // A school not contacted today.
  std::string school;
  for (const ui::RankedSchoolRow& r : first->dashboard->district.ranking) {
    if (r.days_since_contact != 0) {
      school = r.school_id;
      break;
    }
  }
  ASSERT_FALSE(school.empty());
  const ui::SchoolDashboardView* before = first->dashboard->FindSchool(school);
  ASSERT_NE(before, nullptr);
  ASSERT_EQ(before->contacts.size(), 12u);
  const float november_before = before->contacts.back();

  ui::VisitForm form = VisitFormFor(Must(Uuid::Parse(school), "Uuid"));
  const auto apply_start = std::chrono::steady_clock::now();
  controller.Apply({ui::SaveForm{ui::Form(form), ""}});
  EXPECT_LT(std::chrono::steady_clock::now() - apply_start, std::chrono::milliseconds(100));  // only queued

  const auto after = poll.Until([&](const ui::AppView& v) {
    const ui::RankedSchoolRow* row = RankedRow(v, school);
    return v.notice_is_error || (row != nullptr && row->days_since_contact == 0);
  });
  ASSERT_TRUE(after) << "the district view never showed the new contact";
  ASSERT_FALSE(after->notice_is_error) << after->notice;
  const ui::RankedSchoolRow* row = RankedRow(*after, school);
  EXPECT_EQ(row->contact, ru_("view.dash.today"));
  for (const ui::RankedSchoolRow& r : after->dashboard->district.no_contact) EXPECT_NE(r.school_id, school);
  const ui::SchoolDashboardView* figures = after->dashboard->FindSchool(school);
  ASSERT_NE(figures, nullptr);
  EXPECT_EQ(figures->contacts.back(), november_before + 1);  // this month's bar
  // Every View() call returned at once (a pointer copied under a mutex), while the figures were
  // computed on another thread; the bound leaves room for a loaded CI machine preempting us.
  EXPECT_LT(poll.longest(), std::chrono::milliseconds(250));
}

TEST_P(AppControllerTest, AWriteByAnotherProgramReachesTheDashboardsAtTheNextAction) {
  AppController controller(*store_, Options());
  ViewPoller poll(controller);
  const auto first = poll.Until([](const ui::AppView& v) { return v.dashboard && !v.dashboard_computing; });
  ASSERT_TRUE(first) << "no dashboard was published";
  std::string school;
  for (const ui::RankedSchoolRow& r : first->dashboard->district.ranking) {
    if (r.days_since_contact != 0) school = r.school_id;
  }
  ASSERT_FALSE(school.empty());

  // Written beside the controller, as mentorlog-cli or an import would: the controller never
  // heard of it, but the store's change feed lists it.
  core::Visit visit;
  visit.school_id = Must(Uuid::Parse(school), "Uuid");
  visit.date = store_->records().Today();
  visit.visitor_ids = {Mentor().id};
  visit.purposes = {core::VisitPurpose::kMonitoring};
  visit.summary = "Внесено из командной строки.";
  (void)Must(store_->records().Save(visit), "visit");
  controller.Apply({ui::OpenSchool{school}});
  const auto after = poll.Until([&](const ui::AppView& v) {
    const ui::RankedSchoolRow* row = RankedRow(v, school);
    return row != nullptr && row->days_since_contact == 0;
  });
  EXPECT_TRUE(after) << "the district view never showed the visit written beside the app";
}

TEST_P(AppControllerTest, TheDashboardsSpeakTheLanguageChosenInSettings) {
  AppController controller(*store_, Options());
  ViewPoller poll(controller);
  ASSERT_TRUE(poll.Until([](const ui::AppView& v) { return v.dashboard && !v.dashboard_computing; }));
  ui::SettingsView settings;
  settings.language = "en";
  controller.Apply({ui::ChangeSettings{settings}});
  const auto english = poll.Until([&](const ui::AppView& v) {
    return v.dashboard && !v.dashboard_computing && !v.dashboard->schools.empty() &&
           !v.dashboard->schools.front().contact_months.empty() &&
           v.dashboard->schools.front().contact_months.back().rfind("Nov", 0) == 0;
  });
  ASSERT_TRUE(english) << "the month labels stayed Russian";
  EXPECT_EQ(english->dashboard->district.indicators.size(), std::size(core::kAllProgrammeIndicators));
}

// Without threads the controller does nothing until the frame loop calls Step, and then does it
// on the caller's thread: what the browser build needs.
class AppControllerStepsTest : public AppControllerTest {};

TEST_P(AppControllerStepsTest, WithoutThreadsTheWorkRunsInStepOnTheCallersThread) {
  std::vector<std::thread::id> ran_on;
  ControllerOptions options = Options();
  options.before_worker_task = [&] { ran_on.push_back(std::this_thread::get_id()); };
  AppController controller(*store_, options);
  EXPECT_EQ(controller.View()->version, 0u);  // nothing ran: not even the first view
  EXPECT_TRUE(ran_on.empty());
  while (controller.Step()) {
  }
  const uint64_t version = controller.View()->version;
  EXPECT_GT(version, 0u);

  const core::Recommendation rec = OpenRecommendation();
  ui::VisitForm form = VisitFormFor(rec.school_id);
  const std::string key = ui::DraftKey(ui::Form(form));
  controller.Apply({ui::SaveDraft{key, ui::Form(form)}});
  EXPECT_FALSE(Must(store_->device().Draft(key), "Draft").has_value());  // queued, not run
  EXPECT_EQ(controller.View()->version, version);
  EXPECT_TRUE(controller.Step());
  EXPECT_TRUE(Must(store_->device().Draft(key), "Draft").has_value());
  EXPECT_GT(controller.View()->version, version);
  ASSERT_EQ(controller.View()->today->drafts.size(), 1u);
  ASSERT_FALSE(ran_on.empty());
  for (const std::thread::id id : ran_on) EXPECT_EQ(id, std::this_thread::get_id());

  // The dashboards are computed in steps too, and a later step publishes them.
  ViewPoller poll(controller);
  const auto view = poll.Until([](const ui::AppView& v) { return v.dashboard && !v.dashboard_computing; });
  ASSERT_TRUE(view) << "no dashboard was published by the steps";
  EXPECT_TRUE(view->dashboard->error.empty()) << view->dashboard->error;
  EXPECT_FALSE(controller.Step());  // nothing is left
}

INSTANTIATE_TEST_SUITE_P(Controller, AppControllerTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& threads) {
                           return threads.param ? "Threads" : "Steps";
                         });
INSTANTIATE_TEST_SUITE_P(Controller, AppControllerStepsTest, ::testing::Values(false),
                         [](const ::testing::TestParamInfo<bool>&) { return "Steps"; });

}  // namespace
}  // namespace mentorlog::app
