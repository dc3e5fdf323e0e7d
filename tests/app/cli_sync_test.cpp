// mentorlog-cli's sync commands as a user runs them, without a server: a fresh store, a device
// that is not signed in, a server that is not there, and Ctrl-C during a sync that hangs.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "mentorlog/platform/env.h"
#include "mentorlog/store/store.h"
#include "run_command.h"

extern char** environ;

namespace {

using CliRun = mentorlog::testing_support::CommandRun;

// A TCP port on 127.0.0.1 that accepts connections (the kernel completes the handshake) but
// never answers: a server that hangs.
class SilentPort {
 public:
  SilentPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 8) != 0) return;
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~SilentPort() { ::close(fd_); }
  SilentPort(const SilentPort&) = delete;
  SilentPort& operator=(const SilentPort&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A port nobody listens on.
int ClosedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return 1;
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

class CliSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("mentorlog-cli-sync-test-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path DataDir() const { return dir_ / "data"; }

  CliRun Cli(const std::string& args, const std::string& stdin_text = "", const std::string& lang = "en") {
    std::string cmd =
        std::string(MENTORLOG_CLI_PATH) + " --lang " + lang + " --data '" + DataDir().string() + "' " + args;
    const auto in = dir_ / "stdin.txt";
    std::ofstream(in, std::ios::binary) << stdin_text;
    cmd += " < '" + in.string() + "'";
    return mentorlog::testing_support::RunCommand(cmd);
  }

  // What `login` leaves behind, without a server: the server address in the store and a token
  // file. REQUIRES: the store exists (run `init` first) and no CLI is running.
  void PretendSignedIn(const std::string& server_url) {
    mentorlog::core::StoreOptions options;
    options.path = DataDir() / "mentorlog.db";
    auto store = mentorlog::core::Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->ledger().SetSyncValue("server_url", server_url).ok());
    ASSERT_TRUE((*store)->ledger().SetSyncValue("login", "petrov").ok());
    ASSERT_TRUE(mentorlog::platform::WriteSecretFile(DataDir() / "token", std::string(64, 'a')).ok());
  }

  std::filesystem::path dir_;
};

TEST_F(CliSyncTest, EverySyncCommandHasHelp) {
  for (const char* cmd : {"login", "logout", "sync", "status", "conflicts", "rejected", "state-hash", "workload"}) {
    const CliRun r = Cli(std::string(cmd) + " --help");
    EXPECT_EQ(r.exit_code, 0) << cmd << ": " << r.out;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << cmd << ": " << r.out;
  }
}

TEST_F(CliSyncTest, StatusOfAFreshStore) {
  CliRun r = Cli("status");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("Pending changes: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Last successful sync: never"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Last error: —"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Server: not set"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Signed in: not signed in"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Rejected changes: 0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Open conflicts: 0"), std::string::npos) << r.out;
  r = Cli("status", "", "ru");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("Последняя успешная синхронизация: ещё не было"), std::string::npos) << r.out;
}

TEST_F(CliSyncTest, ConflictsAndRejectedOfAFreshStore) {
  CliRun r = Cli("conflicts");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("No conflicts."), std::string::npos) << r.out;
  r = Cli("conflicts --all", "", "ru");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("Конфликтов нет."), std::string::npos) << r.out;
  r = Cli("rejected");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("No rejected changes."), std::string::npos) << r.out;
}

TEST_F(CliSyncTest, StateHashIsSixtyFourHexDigitsAndStable) {
  const CliRun a = Cli("state-hash");
  ASSERT_EQ(a.exit_code, 0) << a.out;
  ASSERT_EQ(a.out.size(), 65u) << a.out;
  EXPECT_EQ(a.out.find_first_not_of("0123456789abcdef"), 64u) << a.out;
  EXPECT_EQ(Cli("state-hash").out, a.out);
}

TEST_F(CliSyncTest, SyncWhenNotSignedInSaysHowToSignIn) {
  CliRun r = Cli("sync");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("Not signed in"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("mentorlog-cli login"), std::string::npos) << r.out;
  r = Cli("sync", "", "ru");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("Вход не выполнен"), std::string::npos) << r.out;
  r = Cli("logout");
  EXPECT_EQ(r.exit_code, 0) << r.out;
}

TEST_F(CliSyncTest, LoginNeedsThePasswordOnStandardInput) {
  CliRun r = Cli("login --server http://127.0.0.1:1 --user petrov");
  EXPECT_EQ(r.exit_code, 1) << r.out;  // --password-stdin is required
  r = Cli("login --server http://127.0.0.1:1 --user petrov --password-stdin", "");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("No password"), std::string::npos) << r.out;
  r = Cli("login --server ftp://example.org --user petrov --password-stdin", "secret\n");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_FALSE(std::filesystem::exists(DataDir() / "token"));
}

TEST_F(CliSyncTest, SyncAgainstAClosedPortKeepsEverythingAndSaysNoConnection) {
  ASSERT_EQ(Cli("init").exit_code, 0);
  PretendSignedIn("http://127.0.0.1:" + std::to_string(ClosedPort()));
  const CliRun hash_before = Cli("state-hash");
  const CliRun status_before = Cli("status");
  ASSERT_NE(status_before.out.find("Signed in: petrov"), std::string::npos) << status_before.out;

  const CliRun r = Cli("sync --attempts 2");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("No connection to the server"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("retry 1"), std::string::npos) << r.out;  // one progress line per retry

  EXPECT_EQ(Cli("state-hash").out, hash_before.out);
  const CliRun status_after = Cli("status");
  const auto pending = [](const std::string& status) { return status.substr(0, status.find('\n')); };
  EXPECT_EQ(pending(status_after.out), pending(status_before.out));
  EXPECT_NE(status_after.out.find("Last error: No connection to the server"), std::string::npos) << status_after.out;
  EXPECT_NE(status_after.out.find("Last successful sync: never"), std::string::npos) << status_after.out;
}

TEST_F(CliSyncTest, CtrlCStopsASyncThatHangs) {
  ASSERT_EQ(Cli("init").exit_code, 0);
  SilentPort silent;
  ASSERT_GT(silent.port(), 0);
  PretendSignedIn("http://127.0.0.1:" + std::to_string(silent.port()));

  const std::string out_path = (dir_ / "sync.out").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  const std::string data = DataDir().string();
  std::vector<std::string> args = {MENTORLOG_CLI_PATH, "--lang", "en", "--data", data, "sync"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, MENTORLOG_CLI_PATH, &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);

  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // the request is in flight
  const auto sent = std::chrono::steady_clock::now();
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  const auto took = std::chrono::steady_clock::now() - sent;

  std::ifstream in(out_path);
  const std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_TRUE(WIFEXITED(status)) << "killed by a signal; output: " << out;
  EXPECT_EQ(WEXITSTATUS(status), 2) << out;
  EXPECT_NE(out.find("stopped; nothing is lost, run sync again"), std::string::npos) << out;
  EXPECT_LT(took, std::chrono::seconds(10));
  // A stop is not an error: the status keeps no error line for it.
  EXPECT_NE(Cli("status").out.find("Last error: —"), std::string::npos);
}

TEST_F(CliSyncTest, WorkloadCountsItsOperations) {
  CliRun r = Cli("workload --seed 3 --ops 20");  // no schools: nothing to do
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("created 0, edited 0, deleted 0, skipped 20"), std::string::npos) << r.out;
  ASSERT_EQ(Cli("demo").exit_code, 0);
  r = Cli("workload --seed 3 --ops 40");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.find("created 0,"), std::string::npos) << r.out;
}

}  // namespace
