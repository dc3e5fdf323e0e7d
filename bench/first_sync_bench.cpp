// A fresh device's first sync of 100k records: time and peak memory (bench/README.md).
// Goal: peak RSS at most 150 MB.
//
// The parent makes the data set (sync_bench_common.h; 100,000 records by default, all in the
// scope of the district's coordinator), ingests it into an in-process central store (SQLite)
// with SyncService::IngestStore, and serves it over HTTP on 127.0.0.1. The device is a child
// process (this program again, with --child) that opens an empty store and runs
// SyncClient::Sync as the coordinator, as `mentorlog-cli sync` would, and exits. The child
// reports the time of Sync itself and its peak RSS, VmHWM of /proc/self/status (the device's
// memory only: the server lives in the parent); the parent measures the wall time from spawn
// to exit and also shows wait4()'s ru_maxrss, which on Linux is inflated by the parent's own
// RSS (see Spawn). Then the parent checks the child's store: every record, and the state hash of
// the server. A baseline child that opens the store and exits without syncing shows what the
// process costs by itself.
//
// Usage: first_sync_bench [--records N]
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "mentorlog/sync/client.h"
#include "mentorlog/sync/device.h"
#include "sync_bench_common.h"

extern char** environ;

namespace mentorlog::bench {
namespace {

struct ChildArgs {
  std::string store;
  std::string server;
  std::string token;
  std::string device;
  uint32_t rows = sync::kDefaultBatchRows;
  uint32_t bytes = sync::kDefaultBatchBytes;
  bool fixed = false;  // --fixed: batches keep their size (else they grow on a quick link)
  bool noop = false;
};

// This process's peak resident set (VmHWM of /proc/self/status), in bytes; -1 if unknown.
int64_t HighWaterMark() {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return -1;
  char line[256];
  long long kb = -1;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, "VmHWM: %lld kB", &kb) == 1) break;
  }
  std::fclose(f);
  return kb < 0 ? -1 : kb * 1024;
}

// The device: open the store, sync, print "sync_seconds pulled batches peak_rss_bytes", exit.
int ChildMain(const ChildArgs& a) {
  auto store = OpenDevice(a.store, a.device);
  if (!store.ok()) {
    std::fprintf(stderr, "child: %s\n", store.status().ToString().c_str());
    return 1;
  }
  if (a.noop) {
    std::printf("0 0 0 %lld\n", static_cast<long long>(HighWaterMark()));
    return 0;
  }
  sync::ClientOptions options;
  options.server_url = a.server;
  options.token = a.token;
  options.batch_rows = a.rows;
  options.batch_bytes = a.bytes;
  options.batch_growth = a.fixed ? sync::BatchGrowth::kFixed : sync::BatchGrowth::kAdaptive;
  const auto t0 = std::chrono::steady_clock::now();
  auto report = sync::SyncClient((*store)->ledger(), options).Sync();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!report.ok()) {
    std::fprintf(stderr, "child: sync: %s\n", report.status().ToString().c_str());
    return 1;
  }
  std::printf("%.3f %lld %d %lld\n", seconds, static_cast<long long>(report->pulled), report->pull_batches,
              static_cast<long long>(HighWaterMark()));
  return 0;
}

struct ChildResult {
  double wall_s = 0;
  double sync_s = 0;
  int64_t pulled = 0;
  int batches = 0;
  int64_t peak_rss = 0;  // bytes: the child's own VmHWM
  int64_t max_rss = 0;   // bytes: wait4's ru_maxrss (see Spawn)
  double user_s = 0, sys_s = 0;
};

ChildResult Spawn(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  std::string self = "/proc/self/exe";
  argv.push_back(self.data());
  std::vector<std::string> copy = args;
  for (std::string& s : copy) argv.push_back(s.data());
  argv.push_back(nullptr);

  int out[2];
  if (pipe(out) != 0) Must(Status::IoError("pipe"), "child");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  const auto t0 = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, argv.data(), environ) != 0) {
    Must(Status::IoError("posix_spawn"), "child");
  }
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  std::string output;
  char buf[256];
  for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) output.append(buf, static_cast<size_t>(n));
  close(out[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  ChildResult r;
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) Must(Status::Internal("the device process failed"), "child");
  long long pulled = 0, peak = 0;
  if (std::sscanf(output.c_str(), "%lf %lld %d %lld", &r.sync_s, &pulled, &r.batches, &peak) != 4) {
    Must(Status::Internal("the device process printed «" + output + "»"), "child");
  }
  r.pulled = pulled;
  r.peak_rss = peak;
  // Linux carries the high-water mark of the address space a process leaves at exec() into
  // its ru_maxrss, and a spawned child leaves a copy of (or, with vfork, the very) parent's:
  // ru_maxrss is at least this parent's RSS at spawn time. The child's own VmHWM is not.
  r.max_rss = int64_t{usage.ru_maxrss} * 1024;
  r.user_s = static_cast<double>(usage.ru_utime.tv_sec) + static_cast<double>(usage.ru_utime.tv_usec) / 1e6;
  r.sys_s = static_cast<double>(usage.ru_stime.tv_sec) + static_cast<double>(usage.ru_stime.tv_usec) / 1e6;
  return r;
}

}  // namespace
}  // namespace mentorlog::bench

int main(int argc, char** argv) {
  using namespace mentorlog;
  using namespace mentorlog::bench;
  int64_t records = 100'000;
  ChildArgs child;
  bool is_child = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : std::string(); };
    if (a == "--records") {
      records = std::atoll(next().c_str());
    } else if (a == "--child") {
      is_child = true;
    } else if (a == "--store") {
      child.store = next();
    } else if (a == "--server") {
      child.server = next();
    } else if (a == "--token") {
      child.token = next();
    } else if (a == "--device") {
      child.device = next();
    } else if (a == "--fixed") {
      child.fixed = true;
    } else if (a == "--rows") {
      child.rows = static_cast<uint32_t>(std::atol(next().c_str()));
    } else if (a == "--bytes") {
      child.bytes = static_cast<uint32_t>(std::atol(next().c_str()));
    } else if (a == "--noop") {
      child.noop = true;
    } else {
      std::fprintf(stderr, "usage: %s [--records N]\n", argv[0]);
      return 2;
    }
  }
  if (is_child) return ChildMain(child);

  std::printf("first_sync_bench: %s\n", MachineLine().c_str());
  TempDir dir("mentorlog-first-sync");
  CentralOptions co;
  co.sqlite_path = dir.path() / "central.db";
  auto central = Must(Central::Open(co), "central store");
  DistrictOwner owner;
  {
    DayClock clock;
    auto seed = Must(OpenDevice(dir.path() / "seed.sqlite", "bench-seed", &clock), "seed store");
    auto t0 = std::chrono::steady_clock::now();
    DatasetOptions options;
    options.records = records;
    const DatasetSummary summary = Must(BuildDataset(*seed, options), "data set");
    owner = Must(FindDistrictOwner(*seed), "district");
    const double made = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    t0 = std::chrono::steady_clock::now();
    Must(central->service().IngestStore(*seed).status(), "ingest");
    std::printf("data set: %s records (%s changes) made in %.1f s, ingested in %.1f s\n",
                Thousands(summary.records).c_str(), Thousands(summary.changes).c_str(), made,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  Must(central->StartHttp(), "HTTP server");
  auto account = Must(
      central->AddAccount("coordinator", sync::Role::kCoordinator, owner.coordinator_id, owner.district), "account");
  const std::string server_hash = Must(central->service().StateHash(account), "server hash");

  struct Setting {
    std::string name;
    uint32_t rows, bytes;
    bool fixed, noop;
  };
  const std::vector<Setting> settings = {
      {"baseline: open the store, no sync", sync::kDefaultBatchRows, sync::kDefaultBatchBytes, true, true},
      {"from 500 rows / 512 KiB, growing (default)", sync::kDefaultBatchRows, sync::kDefaultBatchBytes, false, false},
      {"fixed 500 rows / 512 KiB", sync::kDefaultBatchRows, sync::kDefaultBatchBytes, true, false},
      {"fixed 2000 rows / 4 MiB", 2000, 4u << 20, true, false},
  };
  std::printf(
      "\n| device process | records pulled | batches | Sync s | process wall s | user+sys s | peak RSS (VmHWM) | "
      "ru_maxrss | store file |\n|---|---|---|---|---|---|---|---|---|\n");
  int n = 0;
  for (const Setting& s : settings) {
    const std::string device = "first-sync-device-" + std::to_string(n++);
    const std::filesystem::path store = dir.path() / (device + ".sqlite");
    const std::string token = Must(central->IssueToken(account, device), "token");
    std::vector<std::string> args = {
        "--child", "--store", store.string(),         "--server", central->url(),         "--token", token, "--device",
        device,    "--rows",  std::to_string(s.rows), "--bytes",  std::to_string(s.bytes)};
    if (s.fixed) args.push_back("--fixed");
    if (s.noop) args.push_back("--noop");
    const ChildResult r = Spawn(args);
    int64_t file = 0;
    for (const char* suffix : {"", "-wal"}) {
      std::error_code ec;
      const auto size = std::filesystem::file_size(store.string() + suffix, ec);
      if (!ec) file += static_cast<int64_t>(size);
    }
    std::printf("| %s | %s | %d | %.2f | %.2f | %.2f | %.1f MB | %.1f MB | %s |\n", s.name.c_str(),
                Thousands(r.pulled).c_str(), r.batches, r.sync_s, r.wall_s, r.user_s + r.sys_s,
                static_cast<double>(r.peak_rss) / 1e6, static_cast<double>(r.max_rss) / 1e6, Bytes(file).c_str());
    std::fflush(stdout);
    if (!s.noop) {
      auto opened = Must(OpenDevice(store, device), "device store");
      const int64_t held = Must(CountLiveRecords(*opened), "count");
      const std::string hash = Must(sync::DeviceStateHash(*opened), "device hash");
      if (held != records || hash != server_hash) {
        std::printf("  CHECK FAILED: the device holds %lld records; its state hash %s the server's\n",
                    static_cast<long long>(held), hash == server_hash ? "equals" : "differs from");
      }
    }
  }
  std::printf(
      "\npeak RSS goal: <= 150 MB (VmHWM; ru_maxrss includes this parent's %.1f MB, see Spawn).\n"
      "load average after the run: %.2f\n",
      static_cast<double>(PeakRssBytes()) / 1e6, LoadAverage());
  return 0;
}
