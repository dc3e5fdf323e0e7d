// The rate of applying pulled batches against raw SQLite inserts of the same rows
// (bench/README.md). Goal: applying runs at least 25 % as fast as the raw inserts.
//
// Made once at start: the data set (sync_bench_common.h, 20,000 records by default) ingested
// into an in-process central store, then pulled from it by the district's coordinator in
// PullResponses of 500 complete record states, exactly as the server answers a device.
// Then, into a copy of an empty device store (WAL, synchronous=FULL, the store's own schema):
//   BM_ApplyPull: sync::ApplyPullResponse of each batch: for every state the device's
//     current state and pending fields, the merge, the row, its clocks; the cursor and the
//     scope; one transaction per batch.
//   BM_RawInsert: the peer baseline: one prepared sqlite3 INSERT per record into its kind's
//     own table, with the values the states hold (converted before the clock starts), one
//     transaction per 500 rows, the same pragmas.
// Copying and opening the store happen with the timer paused. Figures are rows per second
// of wall time; main() prints apply / raw for each size at the end.
//
// Usage: apply_bench [--records N] [Google Benchmark flags]
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "mentorlog/domain/record_state.h"
#include "mentorlog/sync/device.h"
#include "sync_bench_common.h"

namespace mentorlog::bench {
namespace {

constexpr uint32_t kBatchRows = 500;
int64_t g_records = 20'000;

// The pulled batches and an empty device store to copy, made once.
class Fixture {
 public:
  static const Fixture& Get() {
    static const Fixture fixture;
    return fixture;
  }
  const std::vector<sync::PullResponse>& batches() const { return batches_; }
  void CopyEmptyStoreTo(const std::filesystem::path& to) const { std::filesystem::copy_file(empty_, to); }

 private:
  Fixture() {
    DayClock clock;
    auto seed = Must(OpenDevice(dir_.path() / "seed.sqlite", "bench-seed", &clock), "seed store");
    DatasetOptions options;
    options.records = g_records;
    const DatasetSummary summary = Must(BuildDataset(*seed, options), "data set");
    const DistrictOwner owner = Must(FindDistrictOwner(*seed), "district");
    CentralOptions co;
    co.sqlite_path = dir_.path() / "central.db";
    auto central = Must(Central::Open(co), "central store");
    Must(central->service().IngestStore(*seed).status(), "ingest");
    auto account = Must(
        central->AddAccount("coordinator", sync::Role::kCoordinator, owner.coordinator_id, owner.district), "account");
    server::Session session{account, "bench-device", ""};
    sync::PullRequest request{"bench-device", "", kBatchRows, sync::kMaxBatchBytes};
    int64_t rows = 0;
    while (true) {
      sync::PullResponse answer = Must(central->service().Pull(session, request), "pull");
      rows += static_cast<int64_t>(answer.records.size());
      request.cursor = answer.next_cursor;
      const bool more = answer.more;
      batches_.push_back(std::move(answer));
      if (!more) break;
    }
    if (rows != summary.records) {
      std::fprintf(stderr, "pulled %lld states of %lld records\n", static_cast<long long>(rows),
                   static_cast<long long>(summary.records));
      std::exit(3);
    }
    empty_ = dir_.path() / "empty.sqlite";
    Must(OpenDevice(empty_, "bench-device").status(), "empty store");  // closed again: WAL checkpointed
    std::fprintf(stderr, "%s records in %zu pulled batches of up to %u states\n", Thousands(rows).c_str(),
                 batches_.size(), kBatchRows);
  }

  TempDir dir_{"mentorlog-apply-bench"};
  std::vector<sync::PullResponse> batches_;
  std::filesystem::path empty_;
};

int64_t RowsIn(const std::vector<sync::PullResponse>& batches, size_t count) {
  int64_t rows = 0;
  for (size_t i = 0; i < count && i < batches.size(); ++i) rows += static_cast<int64_t>(batches[i].records.size());
  return rows;
}

// How many batches a benchmark argument (a number of rows) covers.
size_t BatchesFor(const std::vector<sync::PullResponse>& batches, int64_t rows) {
  size_t n = 0;
  int64_t covered = 0;
  while (n < batches.size() && covered < rows) covered += static_cast<int64_t>(batches[n++].records.size());
  return n;
}

void BM_ApplyPull(benchmark::State& state) {
  const Fixture& f = Fixture::Get();
  const size_t count = BatchesFor(f.batches(), state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    auto dir = std::make_unique<TempDir>("mentorlog-apply");
    f.CopyEmptyStoreTo(dir->path() / "device.sqlite");
    auto store = Must(OpenDevice(dir->path() / "device.sqlite", "bench-device"), "device store");
    state.ResumeTiming();

    for (size_t i = 0; i < count; ++i) {
      auto applied = sync::ApplyPullResponse(store->ledger(), f.batches()[i], 0);
      if (!applied.ok()) {
        state.SkipWithError(applied.status().ToString().c_str());
        return;
      }
    }

    state.PauseTiming();
    store.reset();
    dir.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * RowsIn(f.batches(), count));
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

void Exec(sqlite3* db, const char* sql) { Check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql); }

void BindValue(sqlite3_stmt* st, int index, const core::FieldValue& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) {
    sqlite3_bind_int64(st, index, *i);
  } else if (const auto* d = std::get_if<double>(&v)) {
    sqlite3_bind_double(st, index, *d);
  } else if (const auto* s = std::get_if<std::string>(&v)) {
    sqlite3_bind_text(st, index, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
  } else {
    sqlite3_bind_null(st, index);
  }
}

// One row for the raw inserts: its kind, its id as the store writes it, its column values.
struct RawRow {
  core::RecordKind kind;
  std::string id;
  std::vector<core::FieldValue> values;
};

std::vector<std::vector<RawRow>> RawBatches(const std::vector<sync::PullResponse>& batches, size_t count) {
  std::vector<std::vector<RawRow>> out;
  for (size_t i = 0; i < count; ++i) {
    std::vector<RawRow> rows;
    for (const core::RecordState& s : batches[i].records) {
      rows.push_back(RawRow{s.kind, s.id.ToString(), Must(core::CompleteValues(s), "values")});
    }
    out.push_back(std::move(rows));
  }
  return out;
}

std::string InsertSql(core::RecordKind kind) {
  std::string columns = "id";
  std::string marks = "?";
  for (std::string_view name : core::FieldNamesOf(kind)) {
    columns += ", " + std::string(name);
    marks += ", ?";
  }
  return "INSERT INTO " + std::string(core::KindTable(kind)) + " (" + columns + ") VALUES (" + marks + ")";
}

void BM_RawInsert(benchmark::State& state) {
  const Fixture& f = Fixture::Get();
  const size_t count = BatchesFor(f.batches(), state.range(0));
  const std::vector<std::vector<RawRow>> batches = RawBatches(f.batches(), count);
  for (auto _ : state) {
    state.PauseTiming();
    auto dir = std::make_unique<TempDir>("mentorlog-raw");
    f.CopyEmptyStoreTo(dir->path() / "device.sqlite");
    sqlite3* db = nullptr;
    Check(sqlite3_open_v2((dir->path() / "device.sqlite").c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), db, "open");
    Exec(db, "PRAGMA journal_mode=WAL");
    Exec(db, "PRAGMA synchronous=FULL");
    std::map<core::RecordKind, sqlite3_stmt*> inserts;
    for (core::RecordKind kind : core::kAllRecordKinds) {
      sqlite3_stmt* st = nullptr;
      Check(sqlite3_prepare_v2(db, InsertSql(kind).c_str(), -1, &st, nullptr), db, "prepare");
      inserts[kind] = st;
    }
    state.ResumeTiming();

    for (const std::vector<RawRow>& batch : batches) {
      Exec(db, "BEGIN IMMEDIATE");
      for (const RawRow& row : batch) {
        sqlite3_stmt* st = inserts[row.kind];
        sqlite3_bind_text(st, 1, row.id.data(), static_cast<int>(row.id.size()), SQLITE_STATIC);
        int index = 2;
        for (const core::FieldValue& v : row.values) BindValue(st, index++, v);
        Check(sqlite3_step(st), db, "insert");
        sqlite3_reset(st);
      }
      Exec(db, "COMMIT");
    }

    state.PauseTiming();
    for (auto& [kind, st] : inserts) sqlite3_finalize(st);
    sqlite3_close(db);
    dir.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * RowsIn(f.batches(), count));
}

BENCHMARK(BM_RawInsert)->Arg(5'000)->Arg(20'000)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ApplyPull)->Arg(5'000)->Arg(20'000)->UseRealTime()->Unit(benchmark::kMillisecond);

// Prints the usual table, and keeps items_per_second of every run to compare at the end.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  RatioReporter() : ConsoleReporter(isatty(STDOUT_FILENO) ? OO_Color : OO_None) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      const auto it = run.counters.find("items_per_second");
      if (it == run.counters.end()) continue;
      // Rows per second of CPU time too: the same rate scaled by wall time over CPU time.
      const double cpu = run.GetAdjustedCPUTime();
      const double cpu_rate = cpu > 0 ? it->second.value * run.GetAdjustedRealTime() / cpu : 0;
      if (run.run_type == Run::RT_Iteration) {
        rates_[run.run_name.function_name][run.run_name.args].push_back(it->second.value);
        cpu_rates_[run.run_name.function_name][run.run_name.args].push_back(cpu_rate);
      } else if (run.aggregate_name == "median") {
        medians_[run.run_name.function_name][run.run_name.args] = it->second.value;
        cpu_medians_[run.run_name.function_name][run.run_name.args] = cpu_rate;
      }
    }
  }

  void PrintRatios() {
    for (const auto& [name, by_args] : rates_) {
      for (const auto& [args, values] : by_args) medians_[name].emplace(args, Median(values));
    }
    for (const auto& [name, by_args] : cpu_rates_) {
      for (const auto& [args, values] : by_args) cpu_medians_[name].emplace(args, Median(values));
    }
    std::printf("\napply / raw, rows per second of wall time (the goal: >= 25%%), and of CPU time:\n\n");
    std::printf(
        "| rows | raw, rows/s | apply, rows/s | apply / raw | raw, rows/CPU s | apply, rows/CPU s | "
        "apply / raw (CPU) |\n|---|---|---|---|---|---|---|\n");
    const auto& raw = medians_["BM_RawInsert"];
    const auto& apply = medians_["BM_ApplyPull"];
    for (const auto& [args, r] : raw) {
      const auto it = apply.find(args);
      if (it == apply.end()) continue;
      const double rc = cpu_medians_["BM_RawInsert"][args];
      const double ac = cpu_medians_["BM_ApplyPull"][args];
      std::printf("| %s | %.0f | %.0f | %.1f%% | %.0f | %.0f | %.1f%% |\n", args.c_str(), r, it->second,
                  100.0 * it->second / r, rc, ac, rc > 0 ? 100.0 * ac / rc : 0.0);
    }
    std::printf("\nload average after the run: %.2f\n", LoadAverage());
  }

 private:
  std::map<std::string, std::map<std::string, std::vector<double>>> rates_, cpu_rates_;
  std::map<std::string, std::map<std::string, double>> medians_, cpu_medians_;
};

}  // namespace
}  // namespace mentorlog::bench

int main(int argc, char** argv) {
  // Our own flag first; Google Benchmark rejects what it does not know.
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--records") == 0 && i + 1 < argc) {
      mentorlog::bench::g_records = std::atoll(argv[++i]);
    } else {
      args.push_back(argv[i]);
    }
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;
  std::printf("apply_bench: %s\n", mentorlog::bench::MachineLine().c_str());
  mentorlog::bench::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  benchmark::Shutdown();
  return 0;
}
