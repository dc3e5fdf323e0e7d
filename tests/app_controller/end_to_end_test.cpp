// The "done when", through the app's controller and real processes: a mentor signs in,
// records a visit with a lesson observation and a recommendation while the server is down
// (offline), syncs when it is back; the server's state hash changes to the device's, and a
// second device (mentorlog-cli) receives the visit.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "mentorlog/app/controller.h"
#include "mentorlog/app/form_apply.h"
#include "mentorlog/core/rubric.h"
#include "mentorlog/sync/device.h"
#include "server/server_process.h"
#include "test_fixtures.h"

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

TEST(AppEndToEndTest, AVisitWithAnObservationRecordedOfflineReachesTheServerAndASecondDevice) {
  core::testing::TempDir dir;
  const std::vector<std::string> central = {"--db", (dir.path() / "central.db").string(), "--argon2-memlimit-mb", "1"};
  std::vector<std::string> demo_args = central;
  demo_args.push_back("demo");
  const server::CommandRun demo = Must(server::RunServerCommand(demo_args), "demo");
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  const std::string password = Password(demo.out, "demo.mentor1");
  ASSERT_FALSE(password.empty()) << demo.out;
  server::ServerProcessOptions so;
  so.global_args = central;
  server::ServerProcess server(so);
  ASSERT_TRUE(server.Start().ok()) << server.LogTail();

  const fs::path device = dir.path() / "device";
  fs::create_directories(device);
  core::StoreOptions o;
  o.path = device / "mentorlog.db";
  o.language = "ru";
  auto store = Must(core::Store::Open(o), "open the device store");
  ASSERT_TRUE(core::InstallBundledRubrics(*store, MENTORLOG_ASSETS_DIR).ok());
  ControllerOptions co;
  co.data_dir = device;
  co.assets_dir = MENTORLOG_ASSETS_DIR;
  co.language = "ru";

  const std::string before = ServerHash(central, "demo.mentor1");
  std::string visit_id;
  {
    AppController app(*store, co);
    app.Apply({ui::SignIn{server.url(), "demo.mentor1", password}});  // and a first sync
    app.WaitIdle();
    auto view = app.View();
    ASSERT_TRUE(view->sync.signed_in) << view->sync.last_error << view->notice;
    ASSERT_FALSE(view->today.schools.empty());
    const std::string school = view->today.schools.front().id;
    EXPECT_EQ(Must(sync::DeviceStateHash(*store), "device hash"), before);  // the first sync caught up

    // No signal at the school: the server is down while the mentor records.
    ASSERT_TRUE(server.Stop().ok());
    app.Apply({ui::PrepareForm{school}});
    app.WaitIdle();
    view = app.View();
    ASSERT_FALSE(view->form.teachers.empty());
    ASSERT_FALSE(view->form.rubric.criteria.empty());

    ui::VisitForm visit;
    visit.id = NewFormId(platform::DefaultClock().NowMillis());
    visit.school_id = school;
    visit.date = view->form.today;
    visit.purposes = {"lesson_observations"};
    visit.summary = "Выезд без связи: посетили урок, обсудили план";
    ui::NewRecommendation rec;
    rec.text = "Провести открытый урок для коллег";
    rec.owner_name = "Заместитель директора";
    rec.due_on = store->Today().AddDays(14).ToString();
    visit.recommendations = {rec};
    app.Apply({ui::SaveForm{visit, ui::DraftKey(visit)}});
    app.WaitIdle();
    ASSERT_FALSE(app.View()->notice_is_error) << app.View()->notice;
    EXPECT_EQ(app.View()->saved_form_id, visit.id);
    visit_id = visit.id;

    ui::ObservationForm obs;
    obs.id = NewFormId(platform::DefaultClock().NowMillis());
    obs.visit_id = visit.id;
    obs.school_id = school;
    obs.teacher_id = view->form.teachers.front().code;
    obs.subject = view->form.subjects.empty() ? "Математика" : view->form.subjects.front().code;
    obs.grade = "5";
    obs.class_label = "5А";
    obs.date = visit.date;
    obs.topic = "Дроби";
    obs.rubric_code = view->form.rubric.code;
    obs.rubric_version = view->form.rubric.version;
    for (const ui::CriterionView& c : view->form.rubric.criteria) obs.scores.push_back({c.code, 2, "видно на уроке"});
    obs.scores.front().level = -1;  // not observed
    obs.strengths = "Чёткая цель урока";
    obs.next_steps = "Обратная связь «светофор»";
    obs.discussion_held = true;
    app.Apply({ui::SaveForm{obs, ui::DraftKey(obs)}});
    app.WaitIdle();
    ASSERT_FALSE(app.View()->notice_is_error) << app.View()->notice;
    // visit, recommendation, observation and its scores wait in the outbox
    EXPECT_GE(Must(store->PendingCount(), "pending"), 3 + static_cast<int64_t>(obs.scores.size()));

    // Back in coverage.
    ASSERT_TRUE(server.Start().ok()) << server.LogTail();
    app.Apply({ui::StartSync{}});
    app.WaitIdle();
    view = app.View();
    EXPECT_TRUE(view->sync.last_error.empty()) << view->sync.last_error;
    EXPECT_EQ(view->sync.pending, 0);
  }
  const std::string after = ServerHash(central, "demo.mentor1");
  EXPECT_NE(after, before);
  EXPECT_EQ(after, Must(sync::DeviceStateHash(*store), "device hash"));

  // A second device of the same mentor receives the visit.
  const fs::path second = dir.path() / "second";
  {
    std::ofstream f(dir.path() / "password");
    f << password << "\n";
  }
  std::string out;
  ASSERT_EQ(Cli(second,
                "login --server " + server.url() + " --user demo.mentor1 --password-stdin < '" +
                    (dir.path() / "password").string() + "'",
                &out),
            0)
      << out;
  out.clear();
  ASSERT_EQ(Cli(second, "sync --quiet", &out), 0) << out;
  out.clear();
  ASSERT_EQ(Cli(second, "list visits", &out), 0) << out;
  EXPECT_NE(out.find(visit_id), std::string::npos) << out;
  out.clear();
  ASSERT_EQ(Cli(second, "state-hash", &out), 0) << out;
  EXPECT_NE(out.find(after), std::string::npos) << out;
}

}  // namespace
}  // namespace mentorlog::app
