// Shared by the suites that run real processes on 127.0.0.1 (fault_test.cpp,
// merge_process_test.cpp): a mentorlog-server process on the test's storage backend with the
// MiniDistrict and four signed-up accounts (mentor1, mentor2, coordinator, tutor), the fault proxy in
// front of it, and mentorlog-cli device processes, each on its own data folder.
//
// Thread safety: one fixture per test; a CliRun belongs to the thread that made it.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fault_proxy.h"
#include "server/server_process.h"
#include "server/sync_fixture.h"

namespace mentorlog::server::testing {

inline constexpr std::string_view kPassword = "correct horse battery";

inline std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A mentorlog-cli process on one device's data folder. `env`: extra "NAME=value" entries on
// top of this process's environment (e.g. MENTORLOG_CLOCK_OFFSET_MS).
class CliRun {
 public:
  CliRun(const std::filesystem::path& data, std::vector<std::string> args, std::string stdin_text = "",
         std::vector<std::string> env = {})
      : out_(data / ("cli-" + std::to_string(++counter_) + ".out")), err_(out_.string() + ".err") {
    std::vector<std::string> argv = {MENTORLOG_CLI_PATH, "--data", data.string(), "--lang", "en"};
    argv.insert(argv.end(), args.begin(), args.end());
    const std::string program = argv.front();
    pid_ = server::SpawnWithFiles(std::move(argv), std::move(env), "", stdin_text, out_, err_);
    if (pid_ < 0) throw std::runtime_error("could not start " + program);
  }
  ~CliRun() {
    if (pid_ > 0 && exit_code_ < 0) Kill();
  }
  CliRun(const CliRun&) = delete;
  CliRun& operator=(const CliRun&) = delete;

  void Kill() {
    ::kill(pid_, SIGKILL);
    Wait();
  }
  int Wait() {
    if (exit_code_ >= 0) return exit_code_;
    int status = 0;
    waitpid(pid_, &status, 0);
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_code_;
  }
  bool Running() {
    if (exit_code_ >= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return false;
    }
    return true;
  }
  std::string out() const { return ReadFile(out_); }
  std::string err() const { return ReadFile(err_); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path out_, err_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

// A mentorlog-server process on the backend under test, the MiniDistrict in its storage,
// and the fault proxy in front of it (no faults until a test sets some).
class ProcessTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    district_ = MiniDistrict::Create(*service_, *storage_, dir_.path(), clock_);
    // The server process owns the storage from here on: close ours first.
    service_.reset();
    storage_.reset();
    for (const char* login : {"mentor1", "mentor2", "coordinator", "tutor"}) {
      std::vector<std::string> args = ServerStorageArgs();
      args.insert(args.end(), {"user", "passwd", login, "--password-stdin"});
      auto run = Must(RunServerCommand(args, std::string(kPassword) + "\n"), "user passwd");
      ASSERT_EQ(run.exit_code, 0) << run.err;
    }
    ServerProcessOptions o;
    o.global_args = ServerStorageArgs();
    o.serve_args = {"--threads", "4"};
    o.log_path = dir_.path() / "server.log";
    server_ = std::make_unique<ServerProcess>(o);
    Must(server_->Start(), "server start");
    proxy_ = Must(mentorlog::testing::FaultProxy::Start("127.0.0.1", static_cast<uint16_t>(server_->port())), "proxy");
  }
  void TearDown() override {
    if (HasFailure() && server_) std::cerr << "server log:\n" << server_->LogTail(60) << "\n";
    proxy_.reset();
    server_.reset();
    BackendTest::TearDown();
  }

  std::string Url() const { return "http://127.0.0.1:" + std::to_string(proxy_->port()); }

  // A device's data folder, signed in as `login` (directly, not through the proxy's faults).
  std::filesystem::path NewDevice(const std::string& name, const std::string& login) {
    const auto data = dir_.path() / name;
    std::filesystem::create_directories(data);
    CliRun run(data, {"login", "--server", Url(), "--user", login, "--password-stdin"}, std::string(kPassword) + "\n");
    EXPECT_EQ(run.Wait(), 0) << run.err();
    return data;
  }

  // Runs mentorlog-cli to the end; returns its exit code (and prints what it said when not 0).
  int Cli(const std::filesystem::path& data, std::vector<std::string> args, std::string* out = nullptr,
          std::vector<std::string> env = {}, std::string stdin_text = "") {
    CliRun run(data, std::move(args), std::move(stdin_text), std::move(env));
    const int code = run.Wait();
    if (out) *out = run.out();
    if (code != 0) std::cerr << "mentorlog-cli said:\n" << run.out() << run.err();
    return code;
  }

  std::string DeviceHash(const std::filesystem::path& data) {
    std::string out;
    EXPECT_EQ(Cli(data, {"state-hash"}, &out), 0);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
  }
  std::string ServerHash(const std::string& login) {
    std::vector<std::string> args = ServerStorageArgs();
    args.insert(args.end(), {"state-hash", "--as", login});
    auto run = Must(RunServerCommand(args), "state-hash");
    EXPECT_EQ(run.exit_code, 0) << run.err;
    std::string out = run.out;
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
  }

  // Opens a device's store in process (the CLI is not running) for checks and for writes.
  std::unique_ptr<core::Store> OpenDeviceStore(const std::filesystem::path& data) {
    core::StoreOptions o;
    o.path = data / "mentorlog.db";
    return Must(core::Store::Open(o), "open device store");
  }

  void ExpectConsistent(const std::filesystem::path& data, const std::string& when) {
    auto store = OpenDeviceStore(data);
    EXPECT_EQ(Must(store->IntegrityCheck()), "ok") << when;
    auto problems = Must(store->ConsistencyProblems());
    EXPECT_TRUE(problems.empty()) << when << ": " << (problems.empty() ? "" : problems.front());
  }

  int64_t Pending(const std::filesystem::path& data) { return Must(OpenDeviceStore(data)->ledger().PendingCount()); }

  MiniDistrict district_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<mentorlog::testing::FaultProxy> proxy_;
};

}  // namespace mentorlog::server::testing
