// Fault tests with real processes on 127.0.0.1: mentorlog-server on each storage backend,
// mentorlog-cli devices, and the fault proxy between them. "Converged" means the devices and
// the server print the same state hash for the same account; "nothing lost" means every change
// a device committed is on the server after the final sync.
//
// The merge cases (concurrent edits, status vs note, replays, clocks, reassignment, permission
// rejection, delete vs edit) run with processes in merge_process_test.cpp (and in process in
// service_test.cpp); here are the cases that need a bad network.
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <thread>

#include "mentorlog/sync/client.h"
#include "server/process_fixture.h"

namespace mentorlog::server::testing {
namespace {

using namespace std::chrono_literals;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

// The server, the proxy and the devices: process_fixture.h.
class FaultTest : public ProcessTest {};

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
  sync::SyncClient client(store->ledger(), o);
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
    Must(store->records().InTransaction([&]() -> Status {
      const core::Date day = store->records().Today().AddDays(-3);
      for (int i = 0; i < 100'000; ++i) {
        core::Visit v;
        v.school_id = i % 2 ? district_.school1 : district_.school2;
        v.date = day;
        v.visitor_ids = {district_.mentor1};
        v.purposes = {core::VisitPurpose::kMonitoring};
        v.summary = "Выезд № " + std::to_string(i) + ": обсудили план работы на четверть.";
        RETURN_IF_ERROR(store->records().Save(std::move(v)).status());
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
    landed = Must(store->records().Count(core::RecordKind::kVisit));
    if (landed >= 50'000) break;
  }
  ASSERT_TRUE(first.Running()) << "the first sync ended before half way; landed " << landed;
  first.Kill();
  ExpectConsistent(fresh, "after the kill");
  const int64_t before = Must(OpenDeviceStore(fresh)->records().Count(core::RecordKind::kVisit));
  ASSERT_GE(before, 40'000);

  const int64_t down_before = proxy_->bytes_server_to_client();
  std::string out;
  ASSERT_EQ(Cli(fresh, {"sync", "--quiet"}, &out), 0) << out;
  const int64_t second_bytes = proxy_->bytes_server_to_client() - down_before;
  EXPECT_EQ(Must(OpenDeviceStore(fresh)->records().Count(core::RecordKind::kVisit)), 100'000);
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
