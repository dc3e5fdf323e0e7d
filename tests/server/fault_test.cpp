// Fault tests with real processes on 127.0.0.1: mentorlog-server on each storage backend,
// mentorlog-cli devices, and the fault proxy between them. "Converged" means the devices and
// the server print the same state hash for the same account; "nothing lost" means every change
// a device committed is on the server after the final sync.
//
// The merge cases (concurrent edits, status vs note, replays, clocks, reassignment, permission
// rejection, delete vs edit) run in service_test.cpp against both backends through the same
// service; here are the cases that need processes and a bad network.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "fault_proxy.h"
#include "mentorlog/sync/client.h"
#include "server/server_process.h"
#include "server/sync_fixture.h"

namespace mentorlog::server::testing {
namespace {

using namespace std::chrono_literals;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

constexpr std::string_view kPassword = "correct horse battery";

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A mentorlog-cli process on one device's data folder.
class CliRun {
 public:
  CliRun(const std::filesystem::path& data, std::vector<std::string> args, std::string stdin_text = "")
      : out_(data / ("cli-" + std::to_string(++counter_) + ".out")), err_(out_.string() + ".err") {
    std::vector<std::string> argv = {MENTORLOG_CLI_PATH, "--data", data.string(), "--lang", "en"};
    argv.insert(argv.end(), args.begin(), args.end());
    int in_pipe[2];
    if (pipe(in_pipe) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in_pipe[0], 0);
      close(in_pipe[1]);
      const int o = open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int e = open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(o, 1);
      dup2(e, 2);
      std::vector<char*> cargv;
      for (auto& a : argv) cargv.push_back(a.data());
      cargv.push_back(nullptr);
      execv(cargv[0], cargv.data());
      _exit(127);
    }
    close(in_pipe[0]);
    if (!stdin_text.empty()) (void)!write(in_pipe[1], stdin_text.data(), stdin_text.size());
    close(in_pipe[1]);
  }
  ~CliRun() {
    if (pid_ > 0 && exit_code_ < 0) Kill();
  }
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

class FaultTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    district_ = MiniDistrict::Create(*service_, *storage_, dir_.path(), clock_);
    // The server process owns the storage from here on: close ours first.
    service_.reset();
    storage_.reset();
    for (const char* login : {"mentor1", "mentor2", "coordinator"}) {
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

  int Cli(const std::filesystem::path& data, std::vector<std::string> args, std::string* out = nullptr) {
    CliRun run(data, std::move(args));
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

  // Opens a device's store in process (the CLI is not running) for checks.
  std::unique_ptr<core::Store> OpenDeviceStore(const std::filesystem::path& data) {
    core::StoreOptions o;
    o.path = data / "mentorlog.db";
    o.language = "en";
    return Must(core::Store::Open(o), "open device store");
  }

  void ExpectConsistent(const std::filesystem::path& data, const std::string& when) {
    auto store = OpenDeviceStore(data);
    EXPECT_EQ(Must(store->IntegrityCheck()), "ok") << when;
    auto problems = Must(store->ConsistencyProblems());
    EXPECT_TRUE(problems.empty()) << when << ": " << (problems.empty() ? "" : problems.front());
  }

  int64_t Pending(const std::filesystem::path& data) { return Must(OpenDeviceStore(data)->PendingCount()); }

  MiniDistrict district_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<mentorlog::testing::FaultProxy> proxy_;
};

TEST_P(FaultTest, ACutAfterTheServerCommittedMakesNoDuplicates) {
  auto a = NewDevice("a", "mentor1");
  ASSERT_EQ(Cli(a, {"sync"}), 0);
  ASSERT_EQ(Cli(a, {"workload", "--seed", "3", "--ops", "40"}), 0);
  const int64_t pending = Pending(a);
  ASSERT_GT(pending, 0);
  proxy_->Set({.swallow_response = true, .cut_limit = 1});
  std::string out;
  ASSERT_EQ(Cli(a, {"sync"}, &out), 0) << "the client retries the batch whose answer was lost";
  EXPECT_EQ(proxy_->cuts(), 1);
  EXPECT_EQ(Pending(a), 0);
  EXPECT_NE(out.find("rejected 0"), std::string::npos) << out;
  auto b = NewDevice("b", "mentor1");
  ASSERT_EQ(Cli(b, {"sync"}), 0);
  EXPECT_EQ(DeviceHash(a), ServerHash("mentor1"));
  EXPECT_EQ(DeviceHash(b), ServerHash("mentor1")) << "the resent batch was not applied twice";
}

TEST_P(FaultTest, APullCutMidwayResumesFromItsCursor) {
  auto a = NewDevice("a", "mentor1");
  ASSERT_EQ(Cli(a, {"sync"}), 0);
  ASSERT_EQ(Cli(a, {"workload", "--seed", "4", "--ops", "800"}), 0);
  ASSERT_EQ(Cli(a, {"sync"}), 0);

  auto b = NewDevice("b", "mentor1");
  // Three connections of the fresh device die mid-answer, 8 KB in (the rubric template's batch
  // alone is 14 KB packed, so at least that batch is cut): each retry must resume from the
  // cursor saved with the batches before it.
  proxy_->Set({.cut_response_after_bytes = 8'000, .cut_limit = 3});
  std::string out;
  EXPECT_EQ(Cli(b, {"sync", "--batch-rows", "10", "--attempts", "30"}, &out), 0) << out;
  proxy_->Set({});
  EXPECT_EQ(proxy_->cuts(), 3);
  ExpectConsistent(b, "after cut pulls");
  EXPECT_EQ(DeviceHash(b), ServerHash("mentor1"));
}

TEST_P(FaultTest, KillingTheClientFiftyTimesLosesNothing) {
  auto a = NewDevice("a", "mentor1");
  auto b = NewDevice("b", "mentor1");
  ASSERT_EQ(Cli(a, {"sync"}), 0);
  proxy_->Set({.bytes_per_second = 40'000});  // slow enough that a sync is killed mid-way
  std::mt19937 rng(42);
  for (int i = 0; i < 50; ++i) {
    // Even rounds: the writer is killed while pushing. Odd rounds: the reader while pulling.
    const bool push = i % 2 == 0;
    if (push) {
      ASSERT_EQ(Cli(a, {"workload", "--seed", std::to_string(100 + i), "--ops", "30"}), 0);
    }
    CliRun run(push ? a : b, {"sync", "--quiet", "--batch-rows", "10"});
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 400));
    run.Kill();
    ExpectConsistent(push ? a : b, "kill " + std::to_string(i));
    if (HasFailure()) return;
  }
  proxy_->Set({});
  ASSERT_EQ(Cli(a, {"sync"}), 0);
  ASSERT_EQ(Cli(b, {"sync"}), 0);
  EXPECT_EQ(Pending(a), 0) << "every committed change reached the server";
  EXPECT_EQ(DeviceHash(a), ServerHash("mentor1"));
  EXPECT_EQ(DeviceHash(b), ServerHash("mentor1")) << "no cursor got ahead of its data";
}

TEST_P(FaultTest, KillingTheServerDuringAPushLosesNothing) {
  auto a = NewDevice("a", "mentor1");
  ASSERT_EQ(Cli(a, {"sync"}), 0);
  ASSERT_EQ(Cli(a, {"workload", "--seed", "7", "--ops", "400"}), 0);
  proxy_->Set({.bytes_per_second = 30'000});
  CliRun run(a, {"sync", "--batch-rows", "20", "--attempts", "20"});
  std::this_thread::sleep_for(1500ms);
  server_->Kill();
  std::this_thread::sleep_for(500ms);
  Must(server_->Start(), "restart");
  proxy_->Set({});
  const int code = run.Wait();
  if (code != 0) {
    ASSERT_EQ(Cli(a, {"sync"}), 0) << "a second sync finishes what the first could not";
  }
  EXPECT_EQ(Pending(a), 0);
  ExpectConsistent(a, "after the server crash");
  auto b = NewDevice("b", "mentor1");
  ASSERT_EQ(Cli(b, {"sync"}), 0);
  EXPECT_EQ(DeviceHash(a), ServerHash("mentor1"));
  EXPECT_EQ(DeviceHash(b), ServerHash("mentor1"));
}

TEST_P(FaultTest, AClientOfThePreviousProtocolIsAskedToUpdate) {
  auto a = NewDevice("a", "mentor1");
  ASSERT_EQ(Cli(a, {"workload", "--seed", "1", "--ops", "0"}), 0);
  auto store = OpenDeviceStore(a);
  auto token = Must(platform::ReadSecretFile(a / "token"), "token");
  sync::ClientOptions o;
  o.server_url = Url();
  o.token = token;
  o.protocol_version = sync::kProtocolVersion - 1;
  o.max_attempts = 2;
  sync::SyncClient client(*store, o);
  auto r = client.Sync();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(r.status().message().find("pdate"), std::string::npos) << r.status().message();
  EXPECT_TRUE(Must(store->ConsistencyProblems()).empty());
}

TEST_P(FaultTest, TenThousandOfflineRecordsCrossAFieldLink) {
  if (kSanitized) GTEST_SKIP() << "minutes at 50 kbps; runs in the normal build";
  auto a = NewDevice("a", "mentor1");
  ASSERT_EQ(Cli(a, {"sync"}), 0);
  // 10,000 records made offline, in one go.
  ASSERT_EQ(Cli(a, {"workload", "--seed", "9", "--ops", "10000"}), 0);
  ASSERT_GE(Pending(a), 10'000);
  proxy_->Set({.latency_ms = 500, .bytes_per_second = 6'250, .loss = 0.05, .seed = 9});
  const auto start = std::chrono::steady_clock::now();
  std::string out;
  ASSERT_EQ(Cli(a, {"sync", "--quiet"}, &out), 0) << out;
  const auto took = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start);
  std::cerr << "[ field link ] 10k records: " << took.count() << " s, " << proxy_->bytes_client_to_server()
            << " bytes up, " << proxy_->bytes_server_to_client() << " bytes down\n";
  proxy_->Set({});
  EXPECT_EQ(Pending(a), 0);
  auto b = NewDevice("b", "mentor1");
  ASSERT_EQ(Cli(b, {"sync"}), 0);
  EXPECT_EQ(DeviceHash(a), ServerHash("mentor1"));
  EXPECT_EQ(DeviceHash(b), ServerHash("mentor1"));
}

TEST_P(FaultTest, AFirstSyncKilledHalfWayResumesWithoutStartingOver) {
  if (kSanitized) GTEST_SKIP() << "100k records; runs in the normal build";
  // 100k records in the coordinator's district, pushed by a device of the district office.
  auto office = NewDevice("office", "coordinator");
  ASSERT_EQ(Cli(office, {"sync"}), 0);
  {
    auto store = OpenDeviceStore(office);
    Must(store->InTransaction([&]() -> Status {
      const core::Date day = store->Today().AddDays(-3);
      for (int i = 0; i < 100'000; ++i) {
        core::Visit v;
        v.school_id = i % 2 ? district_.school1 : district_.school2;
        v.date = day;
        v.visitor_ids = {district_.mentor1};
        v.purposes = {core::VisitPurpose::kMonitoring};
        v.summary = "Выезд № " + std::to_string(i) + ": обсудили план работы на четверть.";
        RETURN_IF_ERROR(store->Save(std::move(v)).status());
      }
      return Status::Ok();
    }));
  }
  ASSERT_EQ(Cli(office, {"sync", "--quiet", "--batch-rows", "2000", "--batch-bytes", "4000000"}), 0);

  auto fresh = NewDevice("fresh", "coordinator");
  CliRun first(fresh, {"sync", "--quiet"});
  // Kill it once about half the records have landed (the store is readable meanwhile: WAL).
  int64_t landed = 0;
  for (int i = 0; i < 6000 && first.Running(); ++i) {
    std::this_thread::sleep_for(50ms);
    auto store = OpenDeviceStore(fresh);
    landed = Must(store->Count(core::RecordKind::kVisit));
    if (landed >= 50'000) break;
  }
  ASSERT_TRUE(first.Running()) << "the first sync ended before half way; landed " << landed;
  first.Kill();
  ExpectConsistent(fresh, "after the kill");
  const int64_t before = Must(OpenDeviceStore(fresh)->Count(core::RecordKind::kVisit));
  ASSERT_GE(before, 40'000);

  const int64_t down_before = proxy_->bytes_server_to_client();
  std::string out;
  ASSERT_EQ(Cli(fresh, {"sync", "--quiet"}, &out), 0) << out;
  const int64_t second_bytes = proxy_->bytes_server_to_client() - down_before;
  EXPECT_EQ(Must(OpenDeviceStore(fresh)->Count(core::RecordKind::kVisit)), 100'000);
  // "pulled N": what the second sync changed here; the first half is not sent again.
  const size_t at = out.find("pulled ");
  ASSERT_NE(at, std::string::npos) << out;
  const int64_t pulled = std::stoll(out.substr(at + 7));
  EXPECT_LE(pulled, 100'000 - before + 2'000) << out;
  EXPECT_LT(second_bytes, down_before) << "the second sync moved less than the first";
  EXPECT_EQ(DeviceHash(fresh), ServerHash("coordinator"));
}

INSTANTIATE_TEST_SUITE_P(Backends, FaultTest, ::testing::Values("Sqlite", "Postgres"), BackendName);

}  // namespace
}  // namespace mentorlog::server::testing
