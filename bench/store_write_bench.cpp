// What one repository write costs against the cheapest possible SQLite insert of the same row.
//
// Both start from a copy of the same store holding the demo district (made once, at start),
// and write N visits of one of its schools by one of its mentors:
// BM_RawInsert:      one prepared sqlite3 INSERT per row into the store's own `visits` table,
//                    in ONE transaction, WAL and synchronous=FULL like the store.
// BM_RepositorySave: Store::Save per visit inside one Store::InTransaction: validation, the
//                    row, its field clocks and its outbox entry.
//
// Both make a UUIDv7 per row and encode the fields with the same FieldCodec, so the rows
// hold the same bytes. Copying and opening the store happen with the timer paused. Results are items (rows) per second
// of wall time; main() prints repository / raw for each N at the end. Figures: bench/README.md.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "mentorlog/domain/demo.h"
#include "mentorlog/domain/field_codec.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/store/store.h"

namespace mentorlog::core {
namespace {

class BenchDir {
 public:
  BenchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mentorlog-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp " + pattern);
    path_ = pattern;
  }
  ~BenchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  BenchDir(const BenchDir&) = delete;
  BenchDir& operator=(const BenchDir&) = delete;
  std::filesystem::path File() const { return path_ / "mentorlog.db"; }

 private:
  std::filesystem::path path_;
};

// The demo district in a store file, made once; each iteration writes into a copy of it.
class DemoStore {
 public:
  static const DemoStore& Get() {
    static const DemoStore demo;
    return demo;
  }
  // A fresh copy of the demo store in `dir`.
  void CopyTo(const BenchDir& dir) const { std::filesystem::copy_file(dir_.File(), dir.File()); }
  const Uuid& school_id() const { return school_id_; }
  const Uuid& mentor_id() const { return mentor_id_; }

 private:
  DemoStore() {
    StoreOptions options;
    options.path = dir_.File();
    options.device_id = "bench-device";
    auto store = Store::Open(options);
    if (!store.ok()) throw std::runtime_error(store.status().ToString());
    auto summary = CreateDemoDistrict((*store)->records(), DemoOptions{});
    if (!summary.ok()) throw std::runtime_error(summary.status().ToString());
    auto visits = (*store)->records().List<Visit>();
    if (!visits.ok() || visits->empty()) throw std::runtime_error("the demo district has no visits");
    school_id_ = visits->back().school_id;
    mentor_id_ = visits->back().visitor_ids.front();
  }  // closing the store checkpoints the WAL into the one file that is copied

  BenchDir dir_;
  Uuid school_id_;
  Uuid mentor_id_;
};

// The N visits both benchmarks write (nil ids: each writer makes its own UUIDv7).
std::vector<Visit> MakeVisits(int64_t n, const Uuid& school_id, const Uuid& mentor_id) {
  std::vector<Visit> out;
  out.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    Visit v;
    v.school_id = school_id;
    v.date = Date::FromDays(static_cast<int32_t>(19'000 + i % 1'500));
    v.visitor_ids = {mentor_id};
    v.purposes = {VisitPurpose::kDiagnostics, VisitPurpose::kLessonObservations};
    v.met_with = "директор, заместитель по УВР";
    v.summary = "Посетили три урока в 7-х классах, обсудили программу перехода в эффективный режим. Запись " +
                std::to_string(i);
    v.strengths = "Сплочённый коллектив, открытость к методической помощи";
    v.problems = "Низкая мотивация обучающихся; нет системы внутренней оценки качества";
    out.push_back(std::move(v));
  }
  return out;
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

void Exec(sqlite3* db, const char* sql) { Check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql); }

void BindValue(sqlite3_stmt* st, int index, const FieldValue& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) {
    sqlite3_bind_int64(st, index, *i);
  } else if (const auto* d = std::get_if<double>(&v)) {
    sqlite3_bind_double(st, index, *d);
  } else if (const auto* s = std::get_if<std::string>(&v)) {
    sqlite3_bind_text(st, index, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
  } else {
    sqlite3_bind_null(st, index);
  }
}

void BM_RawInsert(benchmark::State& state) {
  const int64_t n = state.range(0);
  const DemoStore& demo = DemoStore::Get();
  const std::vector<Visit> visits = MakeVisits(n, demo.school_id(), demo.mentor_id());
  for (auto _ : state) {
    state.PauseTiming();
    auto dir = std::make_unique<BenchDir>();
    demo.CopyTo(*dir);
    sqlite3* db = nullptr;
    Check(sqlite3_open_v2(dir->File().c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), db, "open");
    Exec(db, "PRAGMA journal_mode=WAL");
    Exec(db, "PRAGMA synchronous=FULL");
    sqlite3_stmt* insert = nullptr;
    Check(sqlite3_prepare_v2(db,
                             "INSERT INTO visits (id, school_id, date, visitor_ids, purposes, met_with, summary, "
                             "strengths, problems) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             -1, &insert, nullptr),
          db, "prepare");
    state.ResumeTiming();

    Exec(db, "BEGIN IMMEDIATE");
    for (const Visit& v : visits) {
      const std::string id = Uuid::MakeV7(platform::DefaultClock().NowMillis()).ToString();
      sqlite3_bind_text(insert, 1, id.data(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
      int index = 2;
      ForEachFieldDef<Visit>([&](const auto& def) {
        using T = std::remove_cvref_t<decltype(v.*(def.member))>;
        BindValue(insert, index++, FieldCodec<T>::Encode(v.*(def.member)));
      });
      Check(sqlite3_step(insert), db, "insert");
      sqlite3_reset(insert);
    }
    Exec(db, "COMMIT");

    state.PauseTiming();
    sqlite3_finalize(insert);
    sqlite3_close(db);
    dir.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_RepositorySave(benchmark::State& state) {
  const int64_t n = state.range(0);
  const DemoStore& demo = DemoStore::Get();
  const std::vector<Visit> visits = MakeVisits(n, demo.school_id(), demo.mentor_id());
  for (auto _ : state) {
    state.PauseTiming();
    auto dir = std::make_unique<BenchDir>();
    demo.CopyTo(*dir);
    StoreOptions options;
    options.path = dir->File();
    options.device_id = "bench-device";
    auto opened = Store::Open(options);
    if (!opened.ok()) throw std::runtime_error(opened.status().ToString());
    std::unique_ptr<Store> store = std::move(opened).value();
    state.ResumeTiming();

    const Status s = store->records().InTransaction([&]() -> Status {
      for (const Visit& v : visits) RETURN_IF_ERROR(store->records().Save(v).status());
      return Status::Ok();
    });
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }

    state.PauseTiming();
    store.reset();
    dir.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * n);
}

BENCHMARK(BM_RawInsert)->Arg(1'000)->Arg(10'000)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RepositorySave)->Arg(1'000)->Arg(10'000)->UseRealTime()->Unit(benchmark::kMillisecond);

// Prints the usual table, and keeps items_per_second of every run to compare at the end.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  // Colour only on a terminal, so the table can be pasted into bench/README.md.
  RatioReporter() : ConsoleReporter(isatty(STDOUT_FILENO) ? OO_Color : OO_None) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      const auto it = run.counters.find("items_per_second");
      if (it == run.counters.end()) continue;
      if (run.run_type == Run::RT_Iteration) {
        rates_[run.run_name.function_name][run.run_name.args].push_back(it->second.value);
      } else if (run.aggregate_name == "median") {  // with --benchmark_report_aggregates_only
        medians_[run.run_name.function_name][run.run_name.args] = it->second.value;
      }
    }
  }

  // repository / raw for each N both ran with (the median over repetitions).
  void PrintRatios() {
    for (const auto& [name, by_args] : rates_) {
      for (const auto& [args, values] : by_args) medians_[name].emplace(args, Median(values));
    }
    const auto& raw = medians_["BM_RawInsert"];
    const auto& repo = medians_["BM_RepositorySave"];
    std::printf("\nrepository / raw, items per second (goal >= 25%%):\n");
    for (const auto& [args, r] : raw) {
      const auto it = repo.find(args);
      if (it == repo.end()) continue;
      const double s = it->second;
      std::printf("  N=%-7s raw %10.0f/s  repository %10.0f/s  ratio %5.1f%%\n", args.c_str(), r, s, 100.0 * s / r);
    }
  }

 private:
  static double Median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
  }
  std::map<std::string, std::map<std::string, std::vector<double>>> rates_;
  std::map<std::string, std::map<std::string, double>> medians_;
};

}  // namespace
}  // namespace mentorlog::core

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  mentorlog::core::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  benchmark::Shutdown();
  return 0;
}
