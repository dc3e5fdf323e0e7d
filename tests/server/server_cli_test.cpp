// The mentorlog-server program, run as a real process (server_process.h): its commands,
// their messages and exit codes, and `serve` started, stopped, killed and restarted.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "mentorlog/sync/protocol.h"
#include "server_process.h"

#include "server/httplib_for_tests.h"

namespace mentorlog::server {
namespace {

namespace fs = std::filesystem;

CommandRun Exec(const std::vector<std::string>& args, const std::string& stdin_text = "") {
  auto run = RunServerCommand(args, stdin_text);
  if (!run.ok()) {
    ADD_FAILURE() << run.status().ToString();
    return CommandRun{};
  }
  return *run;
}

// One demo store for the suite (the demo district takes seconds), and a folder per test.
class ServerCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char pattern[] = "/tmp/mentorlog-server-cli-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    suite_dir_ = new fs::path(pattern);
    demo_passwords_ = new std::map<std::string, std::string>();
    demo_out_ = new std::string();
    const CommandRun run = Exec(Args({"demo"}));
    ASSERT_EQ(run.exit_code, 0) << run.err;
    *demo_out_ = run.out;
    // "DEMO ACCOUNT (for trying MentorLog only): login LOGIN password PASSWORD  (...)"
    const std::string prefix = "DEMO ACCOUNT (for trying MentorLog only): login ";
    std::istringstream lines(run.out);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind(prefix, 0) != 0) continue;
      std::istringstream words(line.substr(prefix.size()));
      std::string login, word, password;
      if (words >> login >> word >> password && word == "password") (*demo_passwords_)[login] = password;
    }
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(*suite_dir_, ec);
    delete suite_dir_;
    delete demo_passwords_;
    delete demo_out_;
  }

  // `args` after the options every run shares: the suite's store, quick password hashes.
  static std::vector<std::string> Args(std::vector<std::string> args) {
    std::vector<std::string> out{"--db", (*suite_dir_ / "central.db").string(), "--argon2-memlimit-mb", "1"};
    out.insert(out.end(), args.begin(), args.end());
    return out;
  }

  static fs::path* suite_dir_;
  static std::map<std::string, std::string>* demo_passwords_;
  static std::string* demo_out_;
};

fs::path* ServerCliTest::suite_dir_ = nullptr;
std::map<std::string, std::string>* ServerCliTest::demo_passwords_ = nullptr;
std::string* ServerCliTest::demo_out_ = nullptr;

TEST_F(ServerCliTest, EveryCommandHasHelp) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--help"}, "--config"},
      {{"serve", "--help"}, "--listen"},
      {{"user", "add", "--help"}, "--password-stdin"},
      {{"user", "passwd", "--help"}, "--password-stdin"},
      {{"user", "disable", "--help"}, "LOGIN"},
      {{"user", "list", "--help"}, "List"},
      {{"import", "--help"}, "--skip-bad"},
      {{"demo", "--help"}, "--seed"},
      {{"state-hash", "--help"}, "--as"},
  };
  for (const auto& [args, mentions] : cases) {
    const CommandRun run = Exec(args);
    EXPECT_EQ(run.exit_code, 0) << args.front();
    EXPECT_NE(run.out.find(mentions), std::string::npos) << args.front() << ":\n" << run.out;
  }
  EXPECT_EQ(Exec({"no-such-command"}).exit_code, 1);
  EXPECT_EQ(Exec({}).exit_code, 1);
}

TEST_F(ServerCliTest, DemoMakesOneAccountPerRole) {
  ASSERT_EQ(demo_passwords_->size(), 5u) << *demo_out_;
  for (const char* login : {"demo.coordinator", "demo.mentor1", "demo.mentor2", "demo.tutor", "demo.admin"}) {
    ASSERT_TRUE(demo_passwords_->count(login)) << login << "\n" << *demo_out_;
    EXPECT_GE(demo_passwords_->at(login).size(), 12u);
  }
  const CommandRun list = Exec(Args({"user", "list"}));
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("demo.mentor1  mentor"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("  demo\n"), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find("argon2"), std::string::npos);
}

TEST_F(ServerCliTest, DemoRefusesAStoreThatHasData) {
  const CommandRun again = Exec(Args({"demo"}));
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already holds"), std::string::npos) << again.err;
  EXPECT_EQ(again.out.find("DEMO ACCOUNT"), std::string::npos);
}

TEST_F(ServerCliTest, StateHashOfAnAccount) {
  const CommandRun run = Exec(Args({"state-hash", "--as", "demo.mentor1"}));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.size(), 65u) << run.out;
  EXPECT_EQ(run.out.find_first_not_of("0123456789abcdef"), 64u) << run.out;
  // The same store, the same hash; another mentor sees other schools.
  EXPECT_EQ(Exec(Args({"state-hash", "--as", "demo.mentor1"})).out, run.out);
  EXPECT_NE(Exec(Args({"state-hash", "--as", "demo.coordinator"})).out, run.out);
  EXPECT_EQ(Exec(Args({"state-hash", "--as", "nobody"})).exit_code, 1);
  EXPECT_EQ(Exec(Args({"state-hash", "--as", "demo.admin"})).exit_code, 1);
}

TEST_F(ServerCliTest, UserCommands) {
  CommandRun run = Exec(Args({"user", "add", "cli.admin", "--role", "admin", "--password-stdin"}), "long enough\n");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("cli.admin"), std::string::npos);
  run = Exec(Args({"user", "add", "cli.admin", "--role", "admin", "--password-stdin"}), "long enough\n");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("taken"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("занят"), std::string::npos) << "both languages: " << run.err;

  EXPECT_EQ(Exec(Args({"user", "add", "cli.other", "--role", "admin"}), "long enough\n").exit_code, 1)
      << "the password never comes from the command line";
  run = Exec(Args({"user", "add", "cli.boss", "--role", "boss", "--password-stdin"}), "long enough\n");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("unknown role"), std::string::npos) << run.err;
  EXPECT_EQ(Exec(Args({"user", "add", "cli.m", "--role", "mentor", "--password-stdin"}), "long enough\n").exit_code, 1);
  EXPECT_EQ(Exec(Args({"user", "add", "cli.m", "--role", "mentor", "--person", "not-an-id", "--password-stdin"}),
                 "long enough\n")
                .exit_code,
            1);
  EXPECT_EQ(Exec(Args({"user", "add", "cli.short", "--role", "admin", "--password-stdin"}), "short\n").exit_code, 1);

  EXPECT_EQ(Exec(Args({"user", "passwd", "cli.admin", "--password-stdin"}), "short\n").exit_code, 1);
  EXPECT_EQ(Exec(Args({"user", "passwd", "cli.admin", "--password-stdin"}), "a new password\r\n").exit_code, 0);
  EXPECT_EQ(Exec(Args({"user", "passwd", "nobody", "--password-stdin"}), "a new password\n").exit_code, 1);
  EXPECT_EQ(Exec(Args({"user", "disable", "cli.admin"})).exit_code, 0);
  EXPECT_EQ(Exec(Args({"user", "disable", "nobody"})).exit_code, 1);
  run = Exec(Args({"user", "list"}));
  EXPECT_NE(run.out.find("cli.admin  admin  -  -  disabled"), std::string::npos) << run.out;
}

TEST_F(ServerCliTest, SettingsErrorsAreTheUsersMistake) {
  const fs::path config = *suite_dir_ / "bad.toml";
  std::ofstream(config) << "threads = 4\nthreds = 5\n";
  CommandRun run = Exec({"--config", config.string(), "user", "list"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("bad.toml, line 2: unknown key «threds»"), std::string::npos) << run.err;
  EXPECT_EQ(Exec({"--config", (*suite_dir_ / "missing.toml").string(), "user", "list"}).exit_code, 1);
  EXPECT_EQ(Exec({"--db", "a.db", "--pg", "host=x", "user", "list"}).exit_code, 1);
  run = Exec(Args({"serve"}));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("--listen"), std::string::npos) << run.err;
  EXPECT_EQ(Exec(Args({"serve", "--listen", "localhost"})).exit_code, 1);
  EXPECT_EQ(Exec(Args({"--log-level", "loud", "user", "list"})).exit_code, 1);
  EXPECT_EQ(Exec({"--db", "/nonexistent-folder/x.db", "user", "list"}).exit_code, 1);
}

TEST_F(ServerCliTest, ServeRefusesToStartWithADashboardConfigurationItCannotRead) {
  const fs::path assets = *suite_dir_ / "assets";
  fs::copy(MENTORLOG_ASSETS_DIR, assets, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  std::ofstream(assets / "dashboard.toml", std::ios::trunc) << "[targets]\nhappiness = 0.5\n";
  ::setenv("MENTORLOG_ASSETS", assets.c_str(), 1);
  // A server that started anyway would not exit: it is stopped after 20 s and the test fails.
  auto started = RunServerCommand(Args({"serve", "--listen", "127.0.0.1:0"}), "", std::chrono::seconds(20));
  ::unsetenv("MENTORLOG_ASSETS");
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  const CommandRun& run = *started;
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.err.find("dashboard.toml:2: targets.happiness is not a programme indicator"), std::string::npos)
      << run.err;
  EXPECT_EQ(run.out.find("listening"), std::string::npos) << "it never listened";
}

TEST_F(ServerCliTest, ImportGoesIntoTheCentralStore) {
  const fs::path db = *suite_dir_ / "import.db";
  const fs::path csv = *suite_dir_ / "schools.csv";
  std::ofstream(csv) << "код ОО;наименование;муниципалитет;район;тип поселения;расстояние;обучающихся;педагогов\n"
                        "T-1;Школа №1;Тестовый;Тестовый район;село;12,5;120;14\n"
                        "T-2;Школа №2;Тестовый;Тестовый район;город;0;800;60\n";
  CommandRun run = Exec({"--db", db.string(), "import", "schools", csv.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("Imported: 2 new, 0 updated, 0 unchanged"), std::string::npos) << run.out;
  // Again: matched against the central store's schools, so nothing changes.
  run = Exec({"--db", db.string(), "import", "schools", csv.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("Imported: 0 new, 0 updated, 2 unchanged"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("took 0 change(s)"), std::string::npos) << run.out;
  // A changed row updates the stored school.
  std::ofstream(csv) << "code,name,municipality,district,settlement,distance_km,pupils,teachers\n"
                        "T-1,Школа №1,Тестовый,Тестовый район,rural,12.5,130,14\n";
  run = Exec({"--db", db.string(), "import", "schools", csv.string()});
  EXPECT_NE(run.out.find("Imported: 0 new, 1 updated, 0 unchanged"), std::string::npos) << run.out << run.err;

  std::ofstream(csv) << "code,name\nT-3,Школа №3\n";  // required columns missing
  run = Exec({"--db", db.string(), "import", "schools", csv.string()});
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_EQ(Exec({"--db", db.string(), "import", "planets", csv.string()}).exit_code, 1);
  EXPECT_EQ(Exec({"--db", db.string(), "import", "schools", (*suite_dir_ / "missing.csv").string()}).exit_code, 1);
}

TEST_F(ServerCliTest, ServeStopsOnSigtermAndSurvivesAKill) {
  ServerProcessOptions o;
  o.global_args = Args({});
  o.serve_args = {"--threads", "2"};
  ServerProcess server(o);
  ASSERT_TRUE(server.Start().ok()) << server.LogTail();
  EXPECT_NE(server.Log().find("listening on 127.0.0.1:" + std::to_string(server.port())), std::string::npos);

  auto sign_in = [&]() {
    httplib::Client c(server.url());
    httplib::Headers h{{std::string(sync::kProtocolHeader), std::to_string(sync::kProtocolVersion)}};
    const std::string body =
        sync::Compress(sync::Encode(sync::LoginRequest{"demo.mentor1", demo_passwords_->at("demo.mentor1"), "cli"}));
    auto r = c.Post("/v1/login", h, body, std::string(sync::kContentType));
    return r ? r->status : 0;
  };
  EXPECT_EQ(sign_in(), 200);

  auto stopped = server.Stop();
  ASSERT_TRUE(stopped.ok()) << stopped.status().ToString();
  EXPECT_EQ(*stopped, 0) << server.LogTail();
  EXPECT_NE(server.Log().find("stopped"), std::string::npos);

  ASSERT_TRUE(server.Start().ok()) << server.LogTail();  // the same port again
  EXPECT_EQ(sign_in(), 200);
  server.Kill();
  EXPECT_FALSE(server.running());
  ASSERT_TRUE(server.Start().ok()) << server.LogTail();
  EXPECT_EQ(sign_in(), 200) << "the store survived the kill";

  server.Signal(SIGINT);  // Ctrl-C stops it gracefully too
  for (int i = 0; i < 3000 && server.running(); ++i) usleep(10'000);
  EXPECT_FALSE(server.running());
}

// A shell command's exit code and everything it printed (stdout and stderr).
std::pair<int, std::string> Shell(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// A self-signed certificate for 127.0.0.1 (cert.pem, key.pem in `dir`), made with openssl.
void MakeCertificate(const fs::path& dir) {
  const auto [rc, out] = Shell(
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext "
      "subjectAltName=IP:127.0.0.1 -keyout '" +
      (dir / "key.pem").string() + "' -out '" + (dir / "cert.pem").string() + "'");
  ASSERT_EQ(rc, 0) << out;
}

TEST_F(ServerCliTest, ServeOverTlsAndTheClientVerifiesTheCertificate) {
  const fs::path dir = *suite_dir_ / "tls";
  fs::create_directories(dir / "other");
  MakeCertificate(dir);
  MakeCertificate(dir / "other");  // a certificate the server does not use
  ServerProcessOptions o;
  o.global_args = Args({});
  o.serve_args = {"--tls-cert", (dir / "cert.pem").string(), "--tls-key", (dir / "key.pem").string()};
  ServerProcess server(o);
  ASSERT_TRUE(server.Start().ok()) << server.LogTail();
  ASSERT_EQ(server.url().rfind("https://", 0), 0u);
  {
    std::ofstream f(dir / "password");
    f << demo_passwords_->at("demo.mentor1") << "\n";
  }
  auto login = [&](const std::string& device, const std::string& extra) {
    return Shell(std::string(MENTORLOG_CLI_PATH) + " --lang en --data '" + (dir / device).string() +
                 "' login --server " + server.url() + " --user demo.mentor1 --password-stdin " + extra + " < '" +
                 (dir / "password").string() + "'");
  };

  // With the server's certificate as the CA: signed in, and a sync over TLS works.
  auto [ok_rc, ok_out] = login("trusting", "--ca-file '" + (dir / "cert.pem").string() + "'");
  EXPECT_EQ(ok_rc, 0) << ok_out;
  EXPECT_NE(ok_out.find("Signed in"), std::string::npos) << ok_out;
  auto [sync_rc, sync_out] =
      Shell(std::string(MENTORLOG_CLI_PATH) + " --lang en --data '" + (dir / "trusting").string() + "' sync --quiet");
  EXPECT_EQ(sync_rc, 0) << sync_out;

  // The system's CAs do not know a self-signed certificate, nor does another CA: refused, and
  // the message says it is about the certificate.
  for (const std::string& extra : {std::string(), "--ca-file '" + (dir / "other" / "cert.pem").string() + "'"}) {
    auto [rc, out] = login(extra.empty() ? "system-cas" : "other-ca", extra);
    EXPECT_NE(rc, 0) << out;
    EXPECT_NE(out.find("certificate"), std::string::npos) << out;
    EXPECT_EQ(out.find("Signed in"), std::string::npos) << out;
  }

  // Plain HTTP to the TLS port gets no answer a client could take for a sign-in.
  const std::string plain = "http://127.0.0.1:" + std::to_string(server.port());
  auto [http_rc, http_out] =
      Shell(std::string(MENTORLOG_CLI_PATH) + " --lang en --data '" + (dir / "plain").string() + "' login --server " +
            plain + " --user demo.mentor1 --password-stdin < '" + (dir / "password").string() + "'");
  EXPECT_NE(http_rc, 0) << http_out;
  ASSERT_TRUE(server.Stop().ok());
}

}  // namespace
}  // namespace mentorlog::server
