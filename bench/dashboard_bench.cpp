// The dashboards of issue 5 (figures in bench/README.md):
//   - BM_Refresh: every per-school dashboard plus the district view, from records held in
//     memory (a district of 50 schools and 200k records: goal <= 50 ms; the growth over sizes;
//     a region of 3,000 schools and 5M records);
//   - BM_Feed: handing the records to a new Dashboard (what a start or the server pays once);
//   - BM_RefreshAfterK: k new records (visits to k random schools), then Refresh: the time
//     depends on k, not on the records held.
// The records come from bench/district_data.h; they are made once per size, outside the timing.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <stdexcept>

#include "district_data.h"
#include "mentorlog/domain/dashboard.h"

namespace mentorlog::bench {
namespace {

using core::Dashboard;
using core::Date;

core::RubricTemplate Rubric() {
  auto rubrics = core::LoadBundledRubrics(MENTORLOG_ASSETS_DIR);
  if (!rubrics.ok() || rubrics->empty()) throw std::runtime_error("no bundled rubric");
  return rubrics->front();
}

core::DashboardConfig Config() {
  auto config = core::LoadDashboardConfig(MENTORLOG_ASSETS_DIR);
  if (!config.ok()) throw std::runtime_error(config.status().ToString());
  return *config;
}

// One fed dashboard at a time (a region's takes gigabytes).
struct Fed {
  int schools = 0;
  int64_t records = 0;
  std::unique_ptr<Dashboard> dashboard;
  std::vector<core::Uuid> school_ids;
};

Fed& FedFor(int schools, int64_t records) {
  static Fed fed;
  if (fed.dashboard && fed.schools == schools && fed.records == records) return fed;
  fed.dashboard.reset();
  fed.school_ids.clear();
  fed.dashboard = std::make_unique<Dashboard>(Config());
  DistrictShape shape{.schools = schools, .records = records};
  MakeDistrict(shape, Rubric(), [&](const auto& r) {
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(r)>, core::School>) fed.school_ids.push_back(r.id);
    fed.dashboard->Put(r);
  });
  fed.dashboard->Refresh(shape.today);
  fed.schools = schools;
  fed.records = records;
  return fed;
}

void BM_Refresh(benchmark::State& state) {
  Fed& fed = FedFor(static_cast<int>(state.range(0)), state.range(1));
  const Date today = DistrictShape{}.today;
  int flip = 0;
  for (auto _ : state) {
    fed.dashboard->Refresh(today.AddDays(++flip % 2));  // a new day: every school again
    benchmark::DoNotOptimize(fed.dashboard->district());
  }
  state.counters["records"] = static_cast<double>(fed.dashboard->records());
  state.counters["recomputed"] = fed.dashboard->last_recomputed();
  fed.dashboard->Refresh(today);
}

void BM_Feed(benchmark::State& state) {
  const DistrictShape shape{.schools = static_cast<int>(state.range(0)), .records = state.range(1)};
  const core::RubricTemplate rubric = Rubric();
  const core::DashboardConfig config = Config();
  int64_t fed = 0;
  for (auto _ : state) {
    Dashboard d(config);
    MakeDistrict(shape, rubric, [&](const auto& r) { d.Put(r); });
    fed = d.records();
    benchmark::DoNotOptimize(fed);
  }
  state.counters["records"] = static_cast<double>(fed);
}

// Put k new visits, each to a random school, then Refresh as of the same day.
void BM_RefreshAfterK(benchmark::State& state) {
  Fed& fed = FedFor(static_cast<int>(state.range(0)), state.range(1));
  const int64_t k = state.range(2);
  const Date today = DistrictShape{}.today;
  std::mt19937_64 rng(7);
  uint64_t next = 0;
  for (auto _ : state) {
    for (int64_t i = 0; i < k; ++i) {
      core::Visit v;
      std::array<uint8_t, 16> b{};
      b[0] = 0x7f;
      const uint64_t n = ++next;
      for (int j = 0; j < 8; ++j) b[8 + j] = static_cast<uint8_t>(n >> (56 - 8 * j));
      v.id = core::Uuid(b);
      v.school_id = fed.school_ids[rng() % fed.school_ids.size()];
      v.date = today;
      fed.dashboard->Put(v);
    }
    fed.dashboard->Refresh(today);
    benchmark::DoNotOptimize(fed.dashboard->district());
  }
  state.counters["records"] = static_cast<double>(fed.dashboard->records());
  state.counters["recomputed"] = fed.dashboard->last_recomputed();
}

BENCHMARK(BM_Refresh)
    ->ArgNames({"schools", "records"})
    ->Args({50, 25'000})
    ->Args({50, 50'000})
    ->Args({50, 100'000})
    ->Args({50, 200'000})
    ->Args({50, 400'000})
    ->Args({50, 800'000})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RefreshAfterK)
    ->ArgNames({"schools", "records", "k"})
    ->Args({50, 200'000, 1})
    ->Args({50, 200'000, 10})
    ->Args({50, 200'000, 100})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Feed)->ArgNames({"schools", "records"})->Args({50, 200'000})->Unit(benchmark::kMillisecond);
// The region: 3,000 schools, 5M records (about 3 GB of records in memory).
BENCHMARK(BM_Refresh)->ArgNames({"schools", "records"})->Args({3000, 5'000'000})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RefreshAfterK)
    ->ArgNames({"schools", "records", "k"})
    ->Args({3000, 5'000'000, 1})
    ->Args({3000, 5'000'000, 10})
    ->Args({3000, 5'000'000, 100})
    ->Args({3000, 5'000'000, 1000})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Feed)->ArgNames({"schools", "records"})->Args({3000, 5'000'000})->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace mentorlog::bench

BENCHMARK_MAIN();
