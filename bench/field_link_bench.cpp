// A day's work (30 records) synced over the emulated field link: time, and bytes on the wire
// against the compressed payload (bench/README.md). Goal: at most 20 s, at most 1.3×.
//
// The field link is a FaultProxy between the device and the server: 50 kbps each way
// (6,250 bytes/s), 500 ms each way (a 1 s round trip), 5 % of 1,460-byte segments lost (each
// loss delays its segment by a retransmission timeout), a fixed seed per run.
//
// Each run, from scratch: a central store (SQLite, in process, HTTP on 127.0.0.1) holding the
// demo district; the coordinator's account with a token for a fresh device; the device pulls
// the district over the proxy with no shaping; it writes a mentor's day's work (WriteDayOfWork: 1 visit,
// 2 lesson observations with 10 scores each, 1 consultation, 4 recommendations, 2 comments =
// 30 records, 30 outbox changes); then the shaping is switched on and SyncClient::Sync runs:
// the push and the pull that follows it. Measured: the wall time of Sync, the bytes the proxy
// forwarded each way (HTTP headers included), split at the end of the push, against the
// payload = the zstd frame (level 3, as the client sends it) of the encoded PushRequest of
// those 30 changes.
//
// Usage: field_link_bench [--runs N]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <tuple>
#include <vector>

#include "fault_proxy.h"
#include "mentorlog/sync/client.h"
#include "mentorlog/sync/device.h"
#include "sync_bench_common.h"

namespace mentorlog::bench {
namespace {

struct RunResult {
  uint64_t seed = 0;
  int64_t records = 0;
  int64_t payload = 0;      // compressed PushRequest
  int64_t payload_raw = 0;  // the same, uncompressed
  double seconds = 0;
  int64_t push_up = 0, push_down = 0, pull_up = 0, pull_down = 0;
  int64_t pulled = 0;  // records the pull brought back
  int retries = 0;
  int64_t wire() const { return push_up + push_down + pull_up + pull_down; }
};

// Who writes the day's work, where, and the account whose device syncs it.
struct Mentor {
  core::Uuid person;
  std::string name;
  core::Uuid school;  // one of the mentor's schools
  DistrictOwner owner;
};

// The first mentor (by name) with a mentor-school assignment, and the district's coordinator.
Mentor FindMentor(const core::Store& store) {
  auto people = Must(store.records().List<core::Person>(), "people");
  auto assignments = Must(store.records().List<core::Assignment>(), "assignments");
  std::sort(people.begin(), people.end(), [](const auto& a, const auto& b) { return a.full_name < b.full_name; });
  std::sort(assignments.begin(), assignments.end(), [](const auto& a, const auto& b) {
    return std::tie(a.starts_on, a.subject) < std::tie(b.starts_on, b.subject);
  });
  for (const auto& p : people) {
    for (const auto& a : assignments) {
      if (a.kind == core::AssignmentKind::kMentorSchool && a.assignee_id == p.id && !a.ends_on) {
        return Mentor{p.id, p.full_name, a.school_id, Must(FindDistrictOwner(store), "district")};
      }
    }
  }
  Must(Status::NotFound("no mentor with a school in the demo district"), "mentor");
  return {};
}

RunResult RunOnce(const TempDir& dir, const std::filesystem::path& seed_store, const Mentor& mentor, uint64_t seed,
                  const DayOfWork& day) {
  const std::string tag = std::to_string(seed);
  // The district, ingested into a fresh central store from a copy of the seed (ingesting
  // acknowledges the copy's outbox).
  const std::filesystem::path copy = dir.path() / ("seed-" + tag + ".sqlite");
  std::filesystem::copy_file(seed_store, copy);
  CentralOptions co;
  co.sqlite_path = dir.path() / ("central-" + tag + ".db");
  auto central = Must(Central::Open(co), "central store");
  {
    DayClock clock;
    auto seeded = Must(OpenDevice(copy, "bench-seed", &clock), "seed copy");
    Must(central->service().IngestStore(*seeded).status(), "ingest");
  }
  Must(central->StartHttp(), "HTTP server");
  auto proxy = Must(testing::FaultProxy::Start("127.0.0.1", static_cast<uint16_t>(central->port())), "proxy");
  // The device is the coordinator's, which holds the whole district. A mentor's own device
  // cannot be used: the demo's mentors are directors of a school they do not mentor, so their
  // own Person record is outside their scope and never reaches their device, and every visit
  // they write there fails validation ("The person ... is not in this store"; bench/README.md).
  auto account = Must(
      central->AddAccount("coordinator", sync::Role::kCoordinator, mentor.owner.coordinator_id, mentor.owner.district),
      "account");

  DayClock clock;
  const std::string device_id = "field-device-" + tag;
  auto device = Must(OpenDevice(dir.path() / ("device-" + tag + ".sqlite"), device_id, &clock), "device");
  sync::ClientOptions options;
  options.server_url = "http://127.0.0.1:" + std::to_string(proxy->port());
  options.token = Must(central->IssueToken(account, device_id), "token");
  options.clock = &clock;
  options.jitter_seed = seed;
  Must(sync::SyncClient(device->ledger(), options).Sync().status(), "first pull");

  RunResult r;
  r.seed = seed;
  r.records = Must(WriteDayOfWork(*device, day, mentor.person, mentor.school, seed), "day's work");
  sync::PushRequest request;
  request.device_id = device_id;
  request.changes =
      Must(sync::NextPushBatch(device->ledger(), sync::kDefaultBatchRows, sync::kDefaultBatchBytes), "batch");
  const std::string encoded = sync::Encode(request);
  r.payload_raw = static_cast<int64_t>(encoded.size());
  r.payload = static_cast<int64_t>(sync::Compress(encoded).size());

  testing::FaultSettings field;
  field.latency_ms = 500;
  field.bytes_per_second = 6250;
  field.loss = 0.05;
  field.seed = seed;
  proxy->Set(field);

  const int64_t up0 = proxy->bytes_client_to_server();
  const int64_t down0 = proxy->bytes_server_to_client();
  int64_t up_pushed = up0, down_pushed = down0;
  options.on_progress = [&](const sync::SyncProgress& p) {
    if (p.phase == sync::SyncProgress::Phase::kPush) {
      up_pushed = proxy->bytes_client_to_server();
      down_pushed = proxy->bytes_server_to_client();
    }
  };
  const auto t0 = std::chrono::steady_clock::now();
  const sync::SyncReport report = Must(sync::SyncClient(device->ledger(), options).Sync(), "field sync");
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.push_up = up_pushed - up0;
  r.push_down = down_pushed - down0;
  r.pull_up = proxy->bytes_client_to_server() - up_pushed;
  r.pull_down = proxy->bytes_server_to_client() - down_pushed;
  r.pulled = report.pulled;
  r.retries = report.retries;
  if (report.acked != static_cast<int64_t>(request.changes.size()) || report.rejected != 0) {
    std::fprintf(stderr, "run %llu: %lld of %zu changes acknowledged, %lld rejected: not valid\n",
                 static_cast<unsigned long long>(seed), static_cast<long long>(report.acked), request.changes.size(),
                 static_cast<long long>(report.rejected));
  }
  return r;
}

}  // namespace
}  // namespace mentorlog::bench

int main(int argc, char** argv) {
  using namespace mentorlog::bench;
  int runs = 5;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) {
      runs = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: %s [--runs N]\n", argv[0]);
      return 2;
    }
  }
  std::printf("field_link_bench: %s\n", MachineLine().c_str());
  std::printf("field link: 6,250 bytes/s each way (50 kbps), 500 ms each way (1 s RTT), 5 %% segment loss\n");

  TempDir dir("mentorlog-field-link");
  const std::filesystem::path seed = dir.path() / "seed.sqlite";
  Mentor mentor;
  {
    DayClock clock;
    auto store = Must(OpenDevice(seed, "bench-seed", &clock), "seed store");
    DatasetOptions demo_only;
    demo_only.records = 0;  // the demo district and nothing more
    Must(BuildDataset(*store, demo_only).status(), "demo district");
    mentor = FindMentor(*store);
  }
  std::printf(
      "device: the district's coordinator's (the whole demo district synced); the day's work: %s (mentor) "
      "at one of their schools\n\n",
      mentor.name.c_str());

  const DayOfWork day;
  std::vector<RunResult> results;
  std::printf(
      "| seed | records | payload (zstd) | payload raw | Sync s | push up | push down | pull up | pull down | "
      "wire total | wire / payload | pulled back | retries |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (int i = 1; i <= runs; ++i) {
    const RunResult r = RunOnce(dir, seed, mentor, static_cast<uint64_t>(i), day);
    results.push_back(r);
    std::printf(
        "| %llu | %lld | %lld B | %lld B | %.2f | %lld B | %lld B | %lld B | %lld B | %lld B | %.2fx | %lld | %d |\n",
        static_cast<unsigned long long>(r.seed), static_cast<long long>(r.records), static_cast<long long>(r.payload),
        static_cast<long long>(r.payload_raw), r.seconds, static_cast<long long>(r.push_up),
        static_cast<long long>(r.push_down), static_cast<long long>(r.pull_up), static_cast<long long>(r.pull_down),
        static_cast<long long>(r.wire()), static_cast<double>(r.wire()) / static_cast<double>(r.payload),
        static_cast<long long>(r.pulled), r.retries);
    std::fflush(stdout);
  }
  std::vector<double> seconds, ratios, push_ratios;
  for (const RunResult& r : results) {
    seconds.push_back(r.seconds);
    ratios.push_back(static_cast<double>(r.wire()) / static_cast<double>(r.payload));
    push_ratios.push_back(static_cast<double>(r.push_up + r.push_down) / static_cast<double>(r.payload));
  }
  std::printf("\nSync time: median %.2f s, max %.2f s (goal <= 20 s)\n", Median(seconds),
              *std::max_element(seconds.begin(), seconds.end()));
  std::printf("wire / payload, push and pull: median %.2fx, max %.2fx (goal <= 1.3x)\n", Median(ratios),
              *std::max_element(ratios.begin(), ratios.end()));
  std::printf("wire / payload, the push alone: median %.2fx, max %.2fx\n", Median(push_ratios),
              *std::max_element(push_ratios.begin(), push_ratios.end()));
  std::printf("load average after the run: %.2f\n", LoadAverage());
  return 0;
}
