// Push plus pull of 50k demo-shaped records, MentorLog against PouchDB replicating to
// express-pouchdb with the same record contents, in the same run (bench/README.md).
// Goal: at least 10× faster, at most ⅓ of the bytes on the wire.
//
// MentorLog's side, once per batch setting:
//   - a central store (SQLite) and its HTTP server in this process on 127.0.0.1, behind a
//     FaultProxy that only forwards: its byte counters are the bytes on the wire, both ways,
//     HTTP headers included (the PouchDB harness counts socket bytes the same way);
//   - device A (a copy of the data set's store: every record in its outbox) pushes it all
//     with SyncClient::Push, signed in as the district's coordinator;
//   - a fresh device B, the same coordinator on another device, pulls it all (SyncClient::Pull);
//   - checks: every change acknowledged and none rejected, B holds every record, and B's state
//     hash equals the server's.
// PouchDB's side: bench/pouchdb/run.sh on the JSONL twin of the same records (one doc per
// record), with PouchDB's default batch size and with --batch-size 1000.
//
// Usage: sync_vs_pouchdb [--records N] [--pouchdb PATH/run.sh] [--no-pouchdb] [--keep-jsonl FILE] [--as-is]
//   --as-is: do not register the district's schools before the push (see RunMentorLog).
#include <stdio.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "fault_proxy.h"
#include "mentorlog/sync/client.h"
#include "mentorlog/sync/device.h"
#include "sync_bench_common.h"

namespace mentorlog::bench {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// User + system CPU time of this process (client and server threads together), in seconds.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Row {
  std::string name;
  int64_t records = 0;
  double push_s = 0, pull_s = 0;
  int64_t push_up = 0, push_down = 0, pull_up = 0, pull_down = 0;
  int push_requests = 0, pull_requests = 0;
  std::vector<double> push_batch_ms, pull_batch_ms;  // MentorLog only: each batch's round trip and commit
  double push_cpu_s = -1, pull_cpu_s = -1;           // MentorLog only: CPU of client and server together
  double total_s() const { return push_s + pull_s; }
  int64_t total_bytes() const { return push_up + push_down + pull_up + pull_down; }
};

struct Setting {
  std::string name;
  uint32_t rows;
  uint32_t bytes;
  mentorlog::sync::BatchGrowth growth;
};

// One MentorLog run: a fresh central store, A pushes, B pulls.
Row RunMentorLog(const Setting& setting, const TempDir& dir, const std::filesystem::path& seed_store,
                 const DistrictOwner& owner, const DatasetSummary& dataset, int run, bool reject_new_schools) {
  const std::string tag = std::to_string(run);
  CentralOptions co;
  co.sqlite_path = dir.path() / ("central-" + tag + ".db");
  auto central = Must(Central::Open(co), "central store");
  Must(central->StartHttp(), "HTTP server");
  auto proxy = Must(testing::FaultProxy::Start("127.0.0.1", static_cast<uint16_t>(central->port())), "proxy");
  const std::string url = "http://127.0.0.1:" + std::to_string(proxy->port());

  const std::filesystem::path a_path = dir.path() / ("device-a-" + tag + ".sqlite");
  std::filesystem::copy_file(seed_store, a_path);
  DayClock clock;
  auto a = Must(OpenDevice(a_path, "bench-device-a", &clock), "device A");
  auto b = Must(OpenDevice(dir.path() / ("device-b-" + tag + ".sqlite"), "bench-device-b-" + tag, &clock), "device B");

  auto coordinator =
      Must(central->AddAccount("coordinator", sync::Role::kCoordinator, owner.coordinator_id, owner.district),
           "coordinator account");
  if (!reject_new_schools) {
    // SyncService::Push computes the coordinator's scope once per batch, so the records of a
    // school created earlier in the same batch are refused ("permission"). Registering the
    // district's schools in the server's school index first is what an earlier batch would
    // have done; it puts no record in the store. (bench/README.md; --as-is shows the refusals.)
    Must(central->storage().Write([&](server::StorageTx& tx) -> Status {
      for (const core::Uuid& school : owner.schools) RETURN_IF_ERROR(tx.PutSchoolIndex(school, owner.district, false));
      return Status::Ok();
    }),
         "school index");
  }
  sync::ClientOptions base;
  base.server_url = url;
  base.batch_rows = setting.rows;
  base.batch_bytes = setting.bytes;
  base.batch_growth = setting.growth;
  base.clock = &clock;

  Row row;
  row.name = "MentorLog, " + setting.name;
  row.records = dataset.records;

  // Each batch's time, from the previous progress report (or the start) to its own.
  auto time_batches = [](std::vector<double>& out, Clock::time_point& last, sync::SyncProgress::Phase phase) {
    return [&out, &last, phase](const sync::SyncProgress& p) {
      if (p.phase != phase) return;  // the final kDone report
      const auto now = Clock::now();
      out.push_back(std::chrono::duration<double, std::milli>(now - last).count());
      last = now;
    };
  };
  Clock::time_point last;

  sync::ClientOptions oa = base;
  oa.on_progress = time_batches(row.push_batch_ms, last, sync::SyncProgress::Phase::kPush);
  oa.token = Must(central->IssueToken(coordinator, a->device_id()), "token A");
  int64_t up0 = proxy->bytes_client_to_server(), down0 = proxy->bytes_server_to_client();
  double cpu0 = CpuSeconds();
  auto t0 = Clock::now();
  last = t0;
  sync::SyncReport pushed = Must(sync::SyncClient(a->ledger(), oa).Push(), "push");
  row.push_s = SecondsSince(t0);
  row.push_cpu_s = CpuSeconds() - cpu0;
  row.push_up = proxy->bytes_client_to_server() - up0;
  row.push_down = proxy->bytes_server_to_client() - down0;
  row.push_requests = pushed.push_batches;
  if (pushed.acked != dataset.changes || pushed.rejected != 0) {
    std::fprintf(stderr, "push: %lld of %lld changes acknowledged, %lld rejected; the figures below are not valid\n",
                 static_cast<long long>(pushed.acked), static_cast<long long>(dataset.changes),
                 static_cast<long long>(pushed.rejected));
    auto rejected = Must(a->ledger().Rejected(), "rejected list");
    for (size_t i = 0; i < rejected.size() && i < 3; ++i) {
      std::fprintf(stderr, "  rejected op %llu (%s): %s\n", static_cast<unsigned long long>(rejected[i].op_seq),
                   rejected[i].code.c_str(), rejected[i].reason_en.c_str());
    }
  }

  sync::ClientOptions ob = base;
  ob.token = Must(central->IssueToken(coordinator, b->device_id()), "token B");
  ob.on_progress = time_batches(row.pull_batch_ms, last, sync::SyncProgress::Phase::kPull);
  up0 = proxy->bytes_client_to_server();
  down0 = proxy->bytes_server_to_client();
  cpu0 = CpuSeconds();
  t0 = Clock::now();
  last = t0;
  sync::SyncReport pulled = Must(sync::SyncClient(b->ledger(), ob).Pull(), "pull");
  row.pull_s = SecondsSince(t0);
  row.pull_cpu_s = CpuSeconds() - cpu0;
  row.pull_up = proxy->bytes_client_to_server() - up0;
  row.pull_down = proxy->bytes_server_to_client() - down0;
  row.pull_requests = pulled.pull_batches;

  const int64_t held = Must(CountLiveRecords(*b), "count B");
  const std::string b_hash = Must(sync::DeviceStateHash(*b), "B's state hash");
  const std::string server_hash = Must(central->service().StateHash(coordinator), "server's state hash");
  if (held != dataset.records || pulled.pulled != dataset.records || b_hash != server_hash) {
    std::fprintf(stderr,
                 "pull: B holds %lld records (pulled %lld) of %lld; state hash %s the server's; the figures below "
                 "are not valid\n",
                 static_cast<long long>(held), static_cast<long long>(pulled.pulled),
                 static_cast<long long>(dataset.records), b_hash == server_hash ? "equals" : "DIFFERS FROM");
  }
  return row;
}

// Looks for `"key": number` in a one-line JSON object.
std::optional<double> JsonNumber(const std::string& json, const std::string& key) {
  const std::string needle = "\"" + key + "\":";
  size_t at = json.find(needle);
  if (at == std::string::npos) return std::nullopt;
  at += needle.size();
  char* end = nullptr;
  const double v = std::strtod(json.c_str() + at, &end);
  if (end == json.c_str() + at) return std::nullopt;
  return v;
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::optional<Row> RunPouchDb(const std::string& run_sh, const std::filesystem::path& jsonl,
                              std::optional<int> batch_size) {
  std::string command = Quote(run_sh) + " " + Quote(jsonl.string());
  if (batch_size) command += " --batch-size " + std::to_string(*batch_size);
  std::fprintf(stderr, "running %s\n", command.c_str());
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string output;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, pipe) != nullptr) output += buf;
  const int rc = pclose(pipe);
  const size_t brace = output.rfind('{');
  if (rc != 0 || brace == std::string::npos) {
    std::fprintf(stderr, "run.sh failed (status %d): %s\n", rc, output.c_str());
    return std::nullopt;
  }
  const std::string json = output.substr(brace);
  Row row;
  const int size = batch_size.value_or(static_cast<int>(JsonNumber(json, "batch_size").value_or(100)));
  row.name = "PouchDB, batch_size " + std::to_string(size) + (batch_size ? "" : " (default)");
  row.records = static_cast<int64_t>(JsonNumber(json, "docs").value_or(0));
  row.push_s = JsonNumber(json, "push_ms").value_or(0) / 1000;
  row.pull_s = JsonNumber(json, "pull_ms").value_or(0) / 1000;
  row.push_up = static_cast<int64_t>(JsonNumber(json, "push_bytes_up").value_or(0));
  row.push_down = static_cast<int64_t>(JsonNumber(json, "push_bytes_down").value_or(0));
  row.pull_up = static_cast<int64_t>(JsonNumber(json, "pull_bytes_up").value_or(0));
  row.pull_down = static_cast<int64_t>(JsonNumber(json, "pull_bytes_down").value_or(0));
  row.push_requests = static_cast<int>(JsonNumber(json, "push_requests").value_or(0));
  row.pull_requests = static_cast<int>(JsonNumber(json, "pull_requests").value_or(0));
  std::fprintf(stderr, "%s\n", json.c_str());
  return row;
}

// "first 10: 123 ms, last 10: 456 ms" (mean time of a batch at each end of the run).
std::string Ends(const std::vector<double>& ms) {
  if (ms.empty()) return "none";
  const size_t k = std::min<size_t>(10, ms.size());
  double first = 0, last = 0;
  for (size_t i = 0; i < k; ++i) {
    first += ms[i];
    last += ms[ms.size() - 1 - i];
  }
  char buf[128];
  std::snprintf(buf, sizeof buf, "first %zu: %.0f ms, last %zu: %.0f ms", k, first / static_cast<double>(k), k,
                last / static_cast<double>(k));
  return buf;
}

void PrintRows(const std::vector<Row>& rows) {
  std::printf(
      "\n| Run | records | push s | pull s | push+pull s | records/s | push up | push down | pull up | "
      "pull down | total bytes | bytes/record | requests (push+pull) |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const Row& r : rows) {
    std::printf("| %s | %s | %.2f | %.2f | %.2f | %s | %s | %s | %s | %s | %s | %.0f | %d + %d |\n", r.name.c_str(),
                Thousands(r.records).c_str(), r.push_s, r.pull_s, r.total_s(),
                Thousands(static_cast<int64_t>(static_cast<double>(r.records) / r.total_s())).c_str(),
                Bytes(r.push_up).c_str(), Bytes(r.push_down).c_str(), Bytes(r.pull_up).c_str(),
                Bytes(r.pull_down).c_str(), Bytes(r.total_bytes()).c_str(),
                static_cast<double>(r.total_bytes()) / static_cast<double>(r.records), r.push_requests,
                r.pull_requests);
  }
}

}  // namespace
}  // namespace mentorlog::bench

int main(int argc, char** argv) {
  using namespace mentorlog::bench;
  int64_t records = 50'000;
  std::string run_sh = MENTORLOG_SOURCE_DIR "/bench/pouchdb/run.sh";
  bool pouchdb = true;
  std::string keep_jsonl;
  bool as_is = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--records" && i + 1 < argc) {
      records = std::atoll(argv[++i]);
    } else if (a == "--pouchdb" && i + 1 < argc) {
      run_sh = argv[++i];
    } else if (a == "--no-pouchdb") {
      pouchdb = false;
    } else if (a == "--as-is") {
      as_is = true;
    } else if (a == "--keep-jsonl" && i + 1 < argc) {
      keep_jsonl = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: %s [--records N] [--pouchdb PATH/run.sh] [--no-pouchdb] [--keep-jsonl FILE] [--as-is]\n",
                   argv[0]);
      return 2;
    }
  }
  std::printf("sync_vs_pouchdb: %s\n", MachineLine().c_str());

  TempDir dir("mentorlog-sync-vs-pouchdb");
  const std::filesystem::path seed = dir.path() / "dataset.sqlite";
  DatasetSummary dataset;
  DistrictOwner owner;
  {
    DayClock clock;
    auto store = Must(OpenDevice(seed, "bench-device-a", &clock), "data set store");
    const auto t0 = std::chrono::steady_clock::now();
    DatasetOptions options;
    options.records = records;
    dataset = Must(BuildDataset(*store, options), "data set");
    owner = Must(FindDistrictOwner(*store), "district");
    const std::filesystem::path jsonl =
        keep_jsonl.empty() ? dir.path() / "dataset.jsonl" : std::filesystem::path(keep_jsonl);
    const int64_t lines = Must(WriteJsonl(*store, jsonl), "JSONL");
    std::printf(
        "data set: %s live records (%s from the demo district), %s outbox changes, %s JSONL lines (%s), "
        "made in %.1f s\n",
        Thousands(dataset.records).c_str(), Thousands(dataset.demo_records).c_str(), Thousands(dataset.changes).c_str(),
        Thousands(lines).c_str(), Bytes(static_cast<int64_t>(std::filesystem::file_size(jsonl))).c_str(),
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    std::printf("  by kind:");
    for (const auto& [kind, n] : dataset.by_kind) std::printf(" %s %s;", kind.c_str(), Thousands(n).c_str());
    std::printf("\n");
  }  // closing the store checkpoints its WAL into the one file that is copied

  std::vector<Row> rows;
  const std::vector<Setting> settings = {
      {"from 500 rows / 512 KiB, growing (default)", mentorlog::sync::kDefaultBatchRows,
       mentorlog::sync::kDefaultBatchBytes, mentorlog::sync::BatchGrowth::kAdaptive},
      {"fixed 500 rows / 512 KiB", mentorlog::sync::kDefaultBatchRows, mentorlog::sync::kDefaultBatchBytes,
       mentorlog::sync::BatchGrowth::kFixed},
      {"fixed 2000 rows / 4 MiB", 2000, 4u << 20, mentorlog::sync::BatchGrowth::kFixed},
  };
  int run = 0;
  for (const Setting& s : settings) {
    std::fprintf(stderr, "MentorLog: %s\n", s.name.c_str());
    rows.push_back(RunMentorLog(s, dir, seed, owner, dataset, run++, as_is));
    std::fprintf(stderr, "  push %.2f s, pull %.2f s\n", rows.back().push_s, rows.back().pull_s);
  }
  const size_t ours = rows.size();
  if (pouchdb) {
    const std::filesystem::path jsonl =
        keep_jsonl.empty() ? dir.path() / "dataset.jsonl" : std::filesystem::path(keep_jsonl);
    for (std::optional<int> batch : {std::optional<int>(), std::optional<int>(1000)}) {
      if (auto row = RunPouchDb(run_sh, jsonl, batch)) rows.push_back(*row);
    }
  }
  PrintRows(rows);
  std::printf(
      "\nMentorLog's CPU time (client and server threads of this process) and batches, mean time per batch "
      "at the start and at the end of each phase:\n");
  for (size_t i = 0; i < ours; ++i) {
    std::printf("  %s: push %.1f s CPU, %s; pull %.1f s CPU, %s\n", rows[i].name.c_str(), rows[i].push_cpu_s,
                Ends(rows[i].push_batch_ms).c_str(), rows[i].pull_cpu_s, Ends(rows[i].pull_batch_ms).c_str());
  }

  if (rows.size() > ours) {
    std::printf("\nPouchDB / MentorLog time (goal >= 10x) and MentorLog / PouchDB bytes (goal <= 0.33):\n\n");
    std::printf("| MentorLog run | against | time ratio | bytes ratio |\n|---|---|---|---|\n");
    for (size_t i = 0; i < ours; ++i) {
      for (size_t j = ours; j < rows.size(); ++j) {
        std::printf("| %s | %s | %.1fx | %.3f |\n", rows[i].name.c_str(), rows[j].name.c_str(),
                    rows[j].total_s() / rows[i].total_s(),
                    static_cast<double>(rows[i].total_bytes()) / static_cast<double>(rows[j].total_bytes()));
      }
    }
  }
  std::printf("\nload average after the run: %.2f\n", LoadAverage());
  return 0;
}
