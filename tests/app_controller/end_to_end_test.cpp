// The "done when", with real mentorlog-server and mentorlog-cli processes: a mentor signs
// in, records a visit with a lesson observation and a recommendation while the server is down
// (offline), syncs when it is back; the server's state hash changes to the device's, and a
// second device (mentorlog-cli) receives the visit. Once through the controller's actions, once
// through the screens themselves (clicks and typing in the headless UI harness, as in tests/ui).
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "fault_proxy.h"
#include "mentorlog/app/controller.h"
#include "mentorlog/app/form_apply.h"
#include "mentorlog/domain/rubric.h"
#include "mentorlog/store/bundled_rubrics.h"
#include "mentorlog/sync/client.h"
#include "mentorlog/sync/device.h"
#include "mentorlog/ui/screens.h"
#include "server/server_process.h"
#include "test_fixtures.h"
#include "ui/ui_harness.h"
#include "workload.h"

namespace mentorlog::app {
namespace {

namespace fs = std::filesystem;
using core::testing::Must;

std::string Password(const std::string& demo_out, const std::string& login) {
  const std::string key = "login " + login + " password ";
  const size_t at = demo_out.find(key);
  if (at == std::string::npos) return "";
  std::istringstream words(demo_out.substr(at + key.size()));
  std::string password;
  words >> password;
  return password;
}

std::string ServerHash(const std::vector<std::string>& global, const std::string& login) {
  std::vector<std::string> args = global;
  args.insert(args.end(), {"state-hash", "--as", login});
  auto run = server::RunServerCommand(args);
  if (!run.ok() || run->exit_code != 0) {
    ADD_FAILURE() << (run.ok() ? run->err : run.status().ToString());
    return "";
  }
  std::string hash = run->out;
  while (!hash.empty() && (hash.back() == '\n' || hash.back() == '\r')) hash.pop_back();
  return hash;
}

int Cli(const fs::path& data, const std::string& args, std::string* out) {
  const std::string command =
      std::string(MENTORLOG_CLI_PATH) + " --lang en --data '" + data.string() + "' " + args + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0) out->append(buf, n);
  const int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class AppEndToEndTest : public ::testing::Test {
 protected:
  // The demo district in a central store, made once for the suite (`mentorlog-server demo` is
  // seconds under the sanitizers); each test copies it.
  static void SetUpTestSuite() {
    suite_dir_ = new core::testing::TempDir;
    const std::vector<std::string> demo_args = {"--db", (suite_dir_->path() / "central.db").string(),
                                                "--argon2-memlimit-mb", "1", "demo"};
    const server::CommandRun demo = Must(server::RunServerCommand(demo_args), "demo");
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
    suite_password_ = Password(demo.out, "demo.mentor1");
    ASSERT_FALSE(suite_password_.empty()) << demo.out;
    coordinator_password_ = Password(demo.out, "demo.coordinator");
    ASSERT_FALSE(coordinator_password_.empty()) << demo.out;
    tutor_password_ = Password(demo.out, "demo.tutor");
    ASSERT_FALSE(tutor_password_.empty()) << demo.out;
  }
  static void TearDownTestSuite() {
    delete suite_dir_;
    suite_dir_ = nullptr;
  }

  // A copy of the central store, its server on 127.0.0.1, and an empty device store.
  void SetUp() override {
    ASSERT_FALSE(suite_password_.empty()) << "the demo central store was not made";
    for (const char* file : {"central.db", "central.db-wal"}) {  // the server that made it has exited
      if (fs::exists(suite_dir_->path() / file)) fs::copy_file(suite_dir_->path() / file, dir_.path() / file);
    }
    central_ = {"--db", (dir_.path() / "central.db").string(), "--argon2-memlimit-mb", "1"};
    password_ = suite_password_;
    server::ServerProcessOptions so;
    so.global_args = central_;
    server_ = std::make_unique<server::ServerProcess>(so);
    ASSERT_TRUE(server_->Start().ok()) << server_->LogTail();

    device_ = dir_.path() / "device";
    fs::create_directories(device_);
    core::StoreOptions o;
    o.path = device_ / "mentorlog.db";
    store_ = Must(core::Store::Open(o), "open the device store");
    ASSERT_TRUE(core::InstallBundledRubrics(*store_, MENTORLOG_ASSETS_DIR).ok());
    co_.data_dir = device_;
    co_.assets_dir = MENTORLOG_ASSETS_DIR;
    co_.language = Language::kRussian;
  }

  // Draws the screens each frame as mentorlog's frame loop does (app/gui/main.cpp): the owners'
  // work in Step when they have no threads, the opened form, the actions back to the controller;
  // `view` is kept the latest.
  static void DrawAsTheApp(ui::testing::UiHarness& ui, AppController& app, ui::UiState& state,
                           std::shared_ptr<const ui::AppView>& view, const ui::Translations& t) {
    ui.SetDraw([&app, &state, &view, &t, actions = ui::Actions()]() mutable {
      app.Step();
      view = app.View();
      if (auto opened = app.TakeOpenedForm()) {
        ui::OpenNewForm(state, std::move(opened->form), actions);
        state.draft_key = opened->draft_key;
      }
      ui::DrawApp(*view, state, t, actions);
      app.Apply(actions);
      actions.clear();
    });
  }
  // The controller's work done and drawn.
  static void Settle(AppController& app, ui::testing::UiHarness& ui) {
    for (int i = 0; i < 3; ++i) {
      app.WaitIdle();
      ui.Frames(2);
    }
  }

  // Signs in on the first-run screen as a user does: this test's server, `login`, `password`.
  void SignInOnFirstRun(ui::testing::UiHarness& ui, ui::UiState& state, AppController& app,
                        const std::shared_ptr<const ui::AppView>& view, const std::string& login,
                        const std::string& password) {
    state.screen = ui::Screen::kFirstRun;
    Settle(app, ui);
    ASSERT_TRUE(ui.Type("first.server", server_->url()));
    ASSERT_TRUE(ui.Type("first.login", login));
    ASSERT_TRUE(ui.Type("first.password", password));
    ASSERT_TRUE(ui.Click("first.sign_in"));
    Settle(app, ui);
    ASSERT_TRUE(view->sync->signed_in) << view->sync->last_error;
  }
  // The server back, and "Sync now" on the sync bar: everything sent.
  void SyncNowOnTheBar(ui::testing::UiHarness& ui, AppController& app, const std::shared_ptr<const ui::AppView>& view) {
    ASSERT_TRUE(server_->Start().ok()) << server_->LogTail();
    ASSERT_TRUE(ui.Click("sync.now"));
    Settle(app, ui);
    EXPECT_TRUE(view->sync->last_error.empty()) << view->sync->last_error;
    EXPECT_EQ(view->sync->pending, 0);
  }

  // A mentorlog-cli device at `data`, signed in as `login` and synced.
  void CliDeviceSignedIn(const fs::path& data, const std::string& login, const std::string& password) {
    const fs::path secret = dir_.path() / (login + ".password");
    {
      std::ofstream f(secret);
      f << password << "\n";
    }
    std::string out;
    ASSERT_EQ(
        Cli(data,
            "login --server " + server_->url() + " --user " + login + " --password-stdin < '" + secret.string() + "'",
            &out),
        0)
        << out;
    out.clear();
    ASSERT_EQ(Cli(data, "sync --quiet", &out), 0) << out;
  }

  // A second device of the same mentor (mentorlog-cli) signs in, syncs, lists the visit and
  // has the server's state hash.
  void RecordOfflineThroughTheScreens(bool threads);

  void ExpectASecondDeviceReceives(const std::string& visit_id, const std::string& hash) {
    const fs::path second = dir_.path() / "second";
    CliDeviceSignedIn(second, "demo.mentor1", password_);
    std::string out;
    ASSERT_EQ(Cli(second, "list visits", &out), 0) << out;
    EXPECT_NE(out.find(visit_id), std::string::npos) << out;
    out.clear();
    ASSERT_EQ(Cli(second, "state-hash", &out), 0) << out;
    EXPECT_NE(out.find(hash), std::string::npos) << out;
  }

  static inline core::testing::TempDir* suite_dir_ = nullptr;
  static inline std::string suite_password_;
  static inline std::string coordinator_password_;
  static inline std::string tutor_password_;
  core::testing::TempDir dir_;
  std::vector<std::string> central_;
  std::string password_;
  std::unique_ptr<server::ServerProcess> server_;
  fs::path device_;
  std::unique_ptr<core::Store> store_;
  ControllerOptions co_;
};

TEST_F(AppEndToEndTest, AVisitWithAnObservationRecordedOfflineReachesTheServerAndASecondDevice) {
  const std::vector<std::string>& central = central_;
  const std::string& password = password_;
  server::ServerProcess& server = *server_;
  std::unique_ptr<core::Store>& store = store_;
  const ControllerOptions& co = co_;
  const std::string before = ServerHash(central, "demo.mentor1");
  std::string visit_id;
  {
    AppController app(*store, co);
    app.Apply({ui::SignIn{server.url(), "demo.mentor1", password}});  // and a first sync
    app.WaitIdle();
    auto view = app.View();
    ASSERT_TRUE(view->sync->signed_in) << view->sync->last_error << view->notice;
    ASSERT_FALSE(view->today->schools.empty());
    const std::string school = view->today->schools.front().id;
    EXPECT_EQ(Must(sync::DeviceStateHash(*store), "device hash"), before);  // the first sync caught up
    // The dashboards follow the sync in the background: built on an empty store at start, then
    // fed what the first sync pulled, they show the mentor's scope.
    app.WaitDashboard();
    view = app.View();
    ASSERT_TRUE(view->dashboard);
    EXPECT_TRUE(view->dashboard->error.empty()) << view->dashboard->error;
    for (const ui::SchoolCard& card : view->today->schools)
      EXPECT_TRUE(view->dashboard->FindSchool(card.id)) << card.name;
    EXPECT_EQ(view->dashboard->district.schools, static_cast<int>(view->dashboard->schools.size()));

    // No signal at the school: the server is down while the mentor records.
    ASSERT_TRUE(server.Stop().ok());
    app.Apply({ui::PrepareForm{school}});
    app.WaitIdle();
    view = app.View();
    ASSERT_FALSE(view->form->teachers.empty());
    ASSERT_FALSE(view->form->rubric.criteria.empty());

    ui::VisitForm visit;
    visit.id = NewFormId(platform::DefaultClock().NowMillis());
    visit.school_id = school;
    visit.date = view->form->today;
    visit.purposes = {"lesson_observations"};
    visit.summary = "Выезд без связи: посетили урок, обсудили план";
    ui::NewRecommendation rec;
    rec.text = "Провести открытый урок для коллег";
    rec.owner_name = "Заместитель директора";
    rec.due_on = store->records().Today().AddDays(14).ToString();
    visit.recommendations = {rec};
    app.Apply({ui::SaveForm{visit, ui::DraftKey(visit)}});
    app.WaitIdle();
    ASSERT_FALSE(app.View()->notice_is_error) << app.View()->notice;
    EXPECT_EQ(app.View()->saved_form_id, visit.id);
    visit_id = visit.id;
    app.WaitDashboard();  // offline: the save alone refreshes the school's figures
    ASSERT_TRUE(app.View()->dashboard);
    const ui::SchoolDashboardView* figures = app.View()->dashboard->FindSchool(school);
    ASSERT_NE(figures, nullptr);
    EXPECT_EQ(figures->last_contact.rfind("сегодня", 0), 0u) << figures->last_contact;

    ui::ObservationForm obs;
    obs.id = NewFormId(platform::DefaultClock().NowMillis());
    obs.visit_id = visit.id;
    obs.school_id = school;
    obs.teacher_id = view->form->teachers.front().code;
    obs.subject = view->form->subjects.empty() ? "Математика" : view->form->subjects.front().code;
    obs.grade = "5";
    obs.class_label = "5А";
    obs.date = visit.date;
    obs.topic = "Дроби";
    obs.rubric_code = view->form->rubric.code;
    obs.rubric_version = view->form->rubric.version;
    for (const ui::CriterionView& c : view->form->rubric.criteria) obs.scores.push_back({c.code, 2, "видно на уроке"});
    obs.scores.front().level = -1;  // not observed
    obs.strengths = "Чёткая цель урока";
    obs.next_steps = "Обратная связь «светофор»";
    obs.discussion_held = true;
    app.Apply({ui::SaveForm{obs, ui::DraftKey(obs)}});
    app.WaitIdle();
    ASSERT_FALSE(app.View()->notice_is_error) << app.View()->notice;
    // visit, recommendation, observation and its scores wait in the outbox
    EXPECT_GE(Must(store->ledger().PendingCount(), "pending"), 3 + static_cast<int64_t>(obs.scores.size()));

    // Back in coverage.
    ASSERT_TRUE(server.Start().ok()) << server.LogTail();
    app.Apply({ui::StartSync{}});
    app.WaitIdle();
    view = app.View();
    EXPECT_TRUE(view->sync->last_error.empty()) << view->sync->last_error;
    EXPECT_EQ(view->sync->pending, 0);
  }
  const std::string after = ServerHash(central, "demo.mentor1");
  EXPECT_NE(after, before);
  EXPECT_EQ(after, Must(sync::DeviceStateHash(*store), "device hash"));

  ExpectASecondDeviceReceives(visit_id, after);
}

// The screens driven as a user would, with the controller's threads (the desktop) or without
// them, its work run by Step in the frame loop (the browser build).
void AppEndToEndTest::RecordOfflineThroughTheScreens(bool threads) {
  co_.threads = threads;
  const std::string before = ServerHash(central_, "demo.mentor1");
  const ui::Translations t =
      Must(ui::Translations::Load(fs::path(MENTORLOG_ASSETS_DIR) / "i18n", "en"), "translations");
  ui::testing::UiHarness ui;
  ui::UiState state;
  std::string visit_id;
  {
    AppController app(*store_, co_);
    std::shared_ptr<const ui::AppView> view = app.View();
    // What mentorlog's frame loop does around the screens (app/gui/main.cpp).
    DrawAsTheApp(ui, app, state, view, t);
    auto settle = [&] { Settle(app, ui); };
    state.screen = ui::Screen::kFirstRun;
    settle();

    // First run: the server and the demo mentor's account; Today follows the sign-in.
    ASSERT_TRUE(ui.Type("first.server", server_->url()));
    ASSERT_TRUE(ui.Type("first.login", "demo.mentor1"));
    ASSERT_TRUE(ui.Type("first.password", password_));
    ASSERT_TRUE(ui.Click("first.sign_in"));
    settle();
    ASSERT_TRUE(view->sync->signed_in) << view->sync->last_error;
    ASSERT_EQ(state.screen, ui::Screen::kToday);
    ASSERT_FALSE(view->today->schools.empty());
    const std::string school = view->today->schools.front().id;

    // No signal at the school from here on.
    ASSERT_TRUE(server_->Stop().ok());
    ASSERT_TRUE(ui.Click("today.start_visit/" + school));
    settle();
    ASSERT_EQ(state.screen, ui::Screen::kVisit);
    ASSERT_TRUE(ui.Click("visit.purpose/lesson_observations"));
    ASSERT_TRUE(ui.Type("visit.summary", "Выезд без связи: посетили урок, обсудили план"));
    ASSERT_TRUE(ui.Click("visit.rec_add"));
    ASSERT_TRUE(ui.Type("visit.rec0.text", "Провести открытый урок для коллег"));
    ASSERT_TRUE(ui.Type("visit.rec0.owner_name", "Заместитель директора"));
    ASSERT_TRUE(ui.Type("visit.rec0.due", store_->records().Today().AddDays(14).ToString()));
    ASSERT_TRUE(state.form.has_value());
    visit_id = std::visit([](const auto& f) { return f.id; }, *state.form);

    // A lesson observation from inside the visit, with the rubric; Ctrl+S saves it.
    ASSERT_TRUE(ui.Click("visit.start_observation"));
    settle();
    ASSERT_EQ(state.screen, ui::Screen::kObservation);
    ASSERT_FALSE(view->form->teachers.empty());
    ASSERT_FALSE(view->form->rubric.criteria.empty());
    ASSERT_TRUE(ui.Click("observation.teacher"));
    ASSERT_TRUE(ui.Click("observation.teacher/" + view->form->teachers.front().code));
    if (!view->form->subjects.empty()) {
      ASSERT_TRUE(ui.Click("observation.subject"));
      ASSERT_TRUE(ui.Click("observation.subject/" + view->form->subjects.front().code));
    }
    ASSERT_TRUE(ui.Type("observation.grade", "5"));
    ASSERT_TRUE(ui.Type("observation.class", "5А"));
    ASSERT_TRUE(ui.Type("observation.topic", "Дроби"));
    const auto criteria = view->form->rubric.criteria;
    ASSERT_TRUE(ui.Click("observation.level/" + criteria.front().code + "/none"));  // not observed
    for (size_t i = 1; i < criteria.size(); ++i) {
      ASSERT_TRUE(ui.Click("observation.level/" + criteria[i].code + "/2")) << criteria[i].code;
    }
    ASSERT_TRUE(ui.Type("observation.next_steps", "Обратная связь «светофор»"));
    ASSERT_TRUE(ui.Click("observation.discussion_held"));
    ui.Key('S', /*ctrl=*/true);
    settle();
    ASSERT_FALSE(view->notice_is_error) << view->notice;
    ASSERT_EQ(state.screen, ui::Screen::kVisit);  // saved; the visit is back

    ASSERT_TRUE(ui.Click("visit.save"));
    settle();
    ASSERT_FALSE(view->notice_is_error) << view->notice;
    EXPECT_EQ(state.screen, ui::Screen::kToday);
    // visit, recommendation, observation and its scores wait in the outbox
    EXPECT_GE(view->sync->pending, 3 + static_cast<int64_t>(criteria.size()));

    // Back in coverage: "Sync now" in the sync bar.
    ASSERT_NO_FATAL_FAILURE(SyncNowOnTheBar(ui, app, view));
  }
  const auto visit = Must(store_->records().Get<core::Visit>(Must(core::Uuid::Parse(visit_id), "id")), "the visit");
  EXPECT_EQ(visit.summary, "Выезд без связи: посетили урок, обсудили план");
  const auto observations = Must(store_->records().ListBy<core::Observation>("visit_id", visit.id), "observations");
  ASSERT_EQ(observations.size(), 1u);
  EXPECT_EQ(observations[0].topic, "Дроби");

  const std::string after = ServerHash(central_, "demo.mentor1");
  EXPECT_NE(after, before);
  EXPECT_EQ(after, Must(sync::DeviceStateHash(*store_), "device hash"));
  ExpectASecondDeviceReceives(visit_id, after);
}

TEST_F(AppEndToEndTest, ThroughTheScreensAVisitWithAnObservationRecordedOfflineReachesTheServer) {
  RecordOfflineThroughTheScreens(/*threads=*/true);
}

TEST_F(AppEndToEndTest, ThroughTheScreensWithoutThreadsTheSameVisitReachesTheServer) {
  RecordOfflineThroughTheScreens(/*threads=*/false);
}

// Issue 15: a programme instrument (a school's roadmap item) entered offline through the real
// screens' generic record form reaches the central store, and the coordinator's device gets it.
TEST_F(AppEndToEndTest, ThroughTheScreensARoadmapItemEnteredOfflineReachesTheCoordinator) {
  const ui::Translations t =
      Must(ui::Translations::Load(fs::path(MENTORLOG_ASSETS_DIR) / "i18n", "en"), "translations");
  ui::testing::UiHarness ui;
  ui::UiState state;
  const std::string title = "Педсовет «Итоги ВПР и план работы» (без связи)";
  const std::string ends_on = store_->records().Today().AddDays(20).ToString();
  {
    AppController app(*store_, co_);
    std::shared_ptr<const ui::AppView> view = app.View();
    DrawAsTheApp(ui, app, state, view, t);
    auto settle = [&] { Settle(app, ui); };
    ASSERT_NO_FATAL_FAILURE(SignInOnFirstRun(ui, state, app, view, "demo.mentor1", password_));
    ASSERT_FALSE(view->today->schools.empty());
    const std::string school = view->today->schools.front().id;

    ASSERT_TRUE(server_->Stop().ok());  // no signal at the school
    ASSERT_TRUE(ui.Click("today.open_school/" + school));
    settle();
    ASSERT_EQ(state.screen, ui::Screen::kSchool);
    ASSERT_TRUE(ui.Click("school.add/roadmap_item"));
    settle();
    ASSERT_EQ(state.screen, ui::Screen::kRecord);
    ASSERT_TRUE(ui.Type("record.title", title));
    // The end date starts as today's: select it all and type over it.
    ASSERT_TRUE(ui.Click("record.ends_on"));
    ui.Key('A', /*ctrl=*/true);
    ui.Text(ends_on);
    ASSERT_TRUE(ui.Type("record.responsible", "Директор школы"));
    ASSERT_TRUE(ui.Click("record.save"));
    settle();
    ASSERT_FALSE(view->notice_is_error) << view->notice << " "
                                        << (view->form_errors.empty() ? ""
                                                                      : view->form_errors.front().field + ": " +
                                                                            view->form_errors.front().text);
    EXPECT_EQ(state.screen, ui::Screen::kSchool);
    EXPECT_GE(view->sync->pending, 1);

    ASSERT_NO_FATAL_FAILURE(SyncNowOnTheBar(ui, app, view));
  }
  const auto items = Must(store_->records().List<core::RoadmapItem>(), "roadmap");
  const auto mine = std::find_if(items.begin(), items.end(), [&](const auto& r) { return r.title == title; });
  ASSERT_NE(mine, items.end());
  EXPECT_EQ(mine->level, core::RoadmapLevel::kSchool);
  EXPECT_EQ(mine->ends_on.ToString(), ends_on);
  EXPECT_EQ(ServerHash(central_, "demo.mentor1"), Must(sync::DeviceStateHash(*store_), "device hash"));

  // The coordinator's device (mentorlog-cli) receives it.
  const fs::path office = dir_.path() / "office";
  CliDeviceSignedIn(office, "demo.coordinator", coordinator_password_);
  std::string out;
  ASSERT_EQ(Cli(office, "show " + mine->id.ToString(), &out), 0) << out;
  EXPECT_NE(out.find(title), std::string::npos) << out;
}

// Issue 15: the tutor's instruments (a teacher's deficit, and a route item tied to it) entered
// offline through the real screens, from the teacher's page, reach the central store, and the
// coordinator's device gets both.
TEST_F(AppEndToEndTest, ThroughTheScreensATutorsDeficitAndRouteItemReachTheCoordinator) {
  const ui::Translations t =
      Must(ui::Translations::Load(fs::path(MENTORLOG_ASSETS_DIR) / "i18n", "en"), "translations");
  ui::testing::UiHarness ui;
  ui::UiState state;
  const std::string area = "Формирующее оценивание на уроках (без связи)";
  const std::string route_title = "Посетить три урока наставника и разобрать их";
  const std::string due_on = store_->records().Today().AddDays(45).ToString();
  std::string teacher;
  {
    AppController app(*store_, co_);
    std::shared_ptr<const ui::AppView> view = app.View();
    DrawAsTheApp(ui, app, state, view, t);
    auto settle = [&] { Settle(app, ui); };
    auto saved = [&] {
      return view->notice_is_error ? view->notice + " " +
                                         (view->form_errors.empty()
                                              ? std::string()
                                              : view->form_errors.front().field + ": " + view->form_errors.front().text)
                                   : std::string();
    };
    ASSERT_NO_FATAL_FAILURE(SignInOnFirstRun(ui, state, app, view, "demo.tutor", tutor_password_));
    ASSERT_FALSE(view->today->schools.empty()) << "the tutor's schools";
    const std::string school = view->today->schools.front().id;

    ASSERT_TRUE(server_->Stop().ok());  // no signal at the school
    ASSERT_TRUE(ui.Click("today.open_school/" + school));
    settle();
    ASSERT_FALSE(view->school->teachers.empty());
    teacher = view->school->teachers.front().id;
    ASSERT_TRUE(ui.Click("school.teacher/" + teacher));
    settle();
    ASSERT_EQ(state.screen, ui::Screen::kTeacher);

    // The deficit: the teacher is already chosen; found today, at a lesson.
    ASSERT_TRUE(ui.Click("teacher.add/deficit"));
    settle();
    ASSERT_EQ(state.screen, ui::Screen::kRecord);
    ASSERT_TRUE(ui.Type("record.area", area));
    ASSERT_TRUE(ui.Click("record.save"));
    settle();
    ASSERT_EQ(saved(), "");
    ASSERT_EQ(state.screen, ui::Screen::kTeacher);
    ASSERT_EQ(view->teacher->deficits.empty(), false);

    // A route item for it: a seminar due in six weeks.
    ASSERT_TRUE(ui.Click("teacher.add/route_item"));
    settle();
    ASSERT_EQ(state.screen, ui::Screen::kRecord);
    ASSERT_TRUE(ui.Type("record.title", route_title));
    ASSERT_TRUE(ui.Type("record.due_on", due_on));
    ASSERT_TRUE(ui.Click("record.save"));
    settle();
    ASSERT_EQ(saved(), "");
    ASSERT_EQ(state.screen, ui::Screen::kTeacher);
    EXPECT_GE(view->sync->pending, 2);

    ASSERT_NO_FATAL_FAILURE(SyncNowOnTheBar(ui, app, view));
  }
  const core::Uuid teacher_id = Must(core::Uuid::Parse(teacher), "teacher");
  const auto deficits = Must(store_->records().ListBy<core::Deficit>("teacher_id", teacher_id), "deficits");
  const auto deficit = std::find_if(deficits.begin(), deficits.end(), [&](const auto& d) { return d.area == area; });
  ASSERT_NE(deficit, deficits.end());
  const auto route = Must(store_->records().ListBy<core::RouteItem>("teacher_id", teacher_id), "route");
  const auto item = std::find_if(route.begin(), route.end(), [&](const auto& r) { return r.title == route_title; });
  ASSERT_NE(item, route.end());
  EXPECT_EQ(item->due_on.ToString(), due_on);
  EXPECT_EQ(ServerHash(central_, "demo.tutor"), Must(sync::DeviceStateHash(*store_), "device hash"));

  const fs::path office = dir_.path() / "office";
  CliDeviceSignedIn(office, "demo.coordinator", coordinator_password_);
  for (const auto& [id, text] : {std::pair{deficit->id, area}, std::pair{item->id, route_title}}) {
    std::string out;
    ASSERT_EQ(Cli(office, "show " + id.ToString(), &out), 0) << out;
    EXPECT_NE(out.find(text), std::string::npos) << out;
  }
}

// Issue 15: the coordinator's instrument (a network event of the district office, with a whole
// school's teachers as its participants, picked with "all") entered offline through the real
// screens, from the district's programme screen, reaches a mentor's device.
TEST_F(AppEndToEndTest, ThroughTheScreensACoordinatorsNetworkEventReachesAMentor) {
  const ui::Translations t =
      Must(ui::Translations::Load(fs::path(MENTORLOG_ASSETS_DIR) / "i18n", "en"), "translations");
  ui::testing::UiHarness ui;
  ui::UiState state;
  const std::string title = "Районный методический день «Функциональная грамотность» (без связи)";
  size_t picked = 0;
  {
    AppController app(*store_, co_);
    std::shared_ptr<const ui::AppView> view = app.View();
    DrawAsTheApp(ui, app, state, view, t);
    auto settle = [&] { Settle(app, ui); };
    ASSERT_NO_FATAL_FAILURE(SignInOnFirstRun(ui, state, app, view, "demo.coordinator", coordinator_password_));

    ASSERT_TRUE(server_->Stop().ok());  // the office's link is down
    ASSERT_TRUE(ui.Click("nav.district"));
    settle();
    ASSERT_TRUE(ui.Click("district.programme"));
    settle();
    ASSERT_EQ(state.screen, ui::Screen::kProgramme);
    ASSERT_TRUE(ui.Click("programme.add/network_event"));
    settle();
    ASSERT_EQ(state.screen, ui::Screen::kRecord);
    ASSERT_TRUE(ui.Type("record.title", title));
    ASSERT_FALSE(view->record_options->teachers.empty());
    const std::string school = view->record_options->teachers.front().group;
    ASSERT_TRUE(ui.Click("record.participants.all/" + school));
    for (const auto& c : view->record_options->teachers) picked += c.group == school;
    ASSERT_TRUE(ui.Click("record.save"));
    settle();
    ASSERT_FALSE(view->notice_is_error) << view->notice;
    ASSERT_EQ(state.screen, ui::Screen::kProgramme);
    ASSERT_GE(view->sync->pending, static_cast<int64_t>(1 + picked));

    ASSERT_NO_FATAL_FAILURE(SyncNowOnTheBar(ui, app, view));
  }
  const auto events = Must(store_->records().List<core::NetworkEvent>(), "events");
  const auto event = std::find_if(events.begin(), events.end(), [&](const auto& e) { return e.title == title; });
  ASSERT_NE(event, events.end());
  EXPECT_FALSE(event->organiser_school_id.has_value()) << "the district office's";
  EXPECT_EQ(Must(store_->records().ListBy<core::EventParticipant>("event_id", event->id), "participants").size(),
            picked);
  EXPECT_EQ(ServerHash(central_, "demo.coordinator"), Must(sync::DeviceStateHash(*store_), "device hash"));

  // Network events are the district's: every mentor's device gets them.
  const fs::path field = dir_.path() / "field";
  CliDeviceSignedIn(field, "demo.mentor1", password_);
  std::string out;
  ASSERT_EQ(Cli(field, "show " + event->id.ToString(), &out), 0) << out;
  EXPECT_NE(out.find(title), std::string::npos) << out;
}

TEST_F(AppEndToEndTest, ASyncShowsProgressCanBeCancelledAndResumesWhereItStopped) {
  // The app talks to the server through a proxy that can slow the link down.
  auto proxy =
      Must(mentorlog::testing::FaultProxy::Start("127.0.0.1", static_cast<uint16_t>(server_->port())), "proxy");
  const std::string url = "http://127.0.0.1:" + std::to_string(proxy->port());
  const ui::Translations ru =
      Must(ui::Translations::Load(fs::path(MENTORLOG_ASSETS_DIR) / "i18n", "ru"), "translations");
  AppController app(*store_, co_);
  app.Apply({ui::SignIn{url, "demo.mentor1", password_}});
  app.WaitIdle();
  ASSERT_TRUE(app.View()->sync->signed_in) << app.View()->sync->last_error;

  // Several days of work offline: more than one batch to send.
  core::WorkloadOptions work;
  work.seed = 7;
  work.ops = 1500;
  auto me = Must(store_->ledger().GetSyncValue(sync::kPersonIdKey), "person");
  ASSERT_TRUE(me.has_value());
  work.as_person = Must(core::Uuid::Parse(*me), "person id");
  Must(core::RunWorkload(store_->records(), work), "workload");
  const int64_t pending = Must(store_->ledger().PendingCount(), "pending");
  ASSERT_GT(pending, static_cast<int64_t>(sync::kDefaultBatchRows));

  // On a slow link: the progress shows, and View() answers at once while the sync runs.
  mentorlog::testing::FaultSettings slow;
  slow.bytes_per_second = 8 * 1024;
  proxy->Set(slow);
  app.Apply({ui::StartSync{}});
  bool progressed = false;
  for (int i = 0; i < 3000 && !progressed; ++i) {
    const auto v = app.View();
    progressed = v->sync_run.running && v->sync_run.progress > 0 && !v->sync_run.progress_text.empty();
    if (!progressed) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(progressed) << "no progress within 60 s";

  // Cancelled half-way: what was sent stays sent, the rest waits.
  app.Apply({ui::CancelSync{}});
  app.WaitIdle();
  auto view = app.View();
  EXPECT_FALSE(view->sync_run.running);
  EXPECT_EQ(view->notice, ru("view.notice.sync_cancelled"));
  const int64_t left = Must(store_->ledger().PendingCount(), "pending");
  EXPECT_LT(left, pending);
  EXPECT_GT(left, 0);
  EXPECT_EQ(view->sync->pending, left);

  // Resumed on a good link: only the rest goes, and the server has all of it.
  proxy->Set({});
  const int64_t sent_before = proxy->bytes_client_to_server();
  app.Apply({ui::StartSync{}});
  app.WaitIdle();
  view = app.View();
  EXPECT_TRUE(view->sync->last_error.empty()) << view->sync->last_error;
  EXPECT_EQ(view->sync->pending, 0);
  EXPECT_GT(proxy->bytes_client_to_server(), sent_before);
  EXPECT_EQ(ServerHash(central_, "demo.mentor1"), Must(sync::DeviceStateHash(*store_), "device hash"));
}

TEST_F(AppEndToEndTest, WithAutoSyncOnASavedVisitReachesTheServerWithoutAsking) {
  ControllerOptions co = co_;
  co.auto_sync_every = std::chrono::milliseconds(300);
  AppController app(*store_, co);
  app.Apply({ui::SignIn{server_->url(), "demo.mentor1", password_}});
  app.WaitIdle();
  ASSERT_TRUE(app.View()->sync->signed_in) << app.View()->sync->last_error;
  const std::string school = app.View()->today->schools.front().id;
  app.Apply({ui::PrepareForm{school}});
  app.WaitIdle();

  auto visit_with = [&](const std::string& summary) {
    ui::VisitForm visit;
    visit.id = NewFormId(platform::DefaultClock().NowMillis());
    visit.school_id = school;
    visit.date = app.View()->form->today;
    visit.purposes = {"monitoring"};
    visit.summary = summary;
    return visit;
  };
  auto wait_for_no_pending = [&] {
    for (int i = 0; i < 300; ++i) {
      app.WaitIdle();
      if (Must(store_->ledger().PendingCount(), "pending") == 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  };

  // Off (the default): a save stays on the device until "Sync now".
  app.Apply({ui::SaveForm{visit_with("Без автосинхронизации"), ""}});
  app.WaitIdle();
  std::this_thread::sleep_for(std::chrono::milliseconds(900));  // three periods
  app.WaitIdle();
  EXPECT_GT(Must(store_->ledger().PendingCount(), "pending"), 0);

  // On: what is waiting goes at once, and so does the next save.
  ui::SettingsView settings = *app.View()->settings;
  settings.auto_sync = true;
  app.Apply({ui::ChangeSettings{settings}});
  EXPECT_TRUE(wait_for_no_pending()) << app.View()->sync->last_error;
  app.Apply({ui::SaveForm{visit_with("С автосинхронизацией"), ""}});
  EXPECT_TRUE(wait_for_no_pending()) << app.View()->sync->last_error;
  EXPECT_EQ(ServerHash(central_, "demo.mentor1"), Must(sync::DeviceStateHash(*store_), "device hash"));

  // Offline with auto sync on: tries fail quietly in the background and nothing is lost.
  ASSERT_TRUE(server_->Stop().ok());
  app.Apply({ui::SaveForm{visit_with("Без связи"), ""}});
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  app.WaitIdle();
  EXPECT_GT(Must(store_->ledger().PendingCount(), "pending"), 0);
  ASSERT_TRUE(server_->Start().ok()) << server_->LogTail();
  EXPECT_TRUE(wait_for_no_pending()) << app.View()->sync->last_error;  // back in coverage: it goes
}

}  // namespace
}  // namespace mentorlog::app
