// The ИОР and its quartiles, and the social well-being index, for N schools (issue 5: the ИОР of
// 40,000 schools in at most 1 s). Each school has three years of results of the bundled
// configuration's assessments (ОГЭ and ЕГЭ in two subjects, ВПР in four subject-grades: 24 rows
// a school) and the nine context indicators of two years (18 rows). The inputs are made once,
// outside the timing; the bundled assets/indices.toml gives the weights. Figures: bench/README.md.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "mentorlog/domain/indices.h"

namespace mentorlog::core {
namespace {

struct Inputs {
  std::vector<AssessmentResult> results;
  std::vector<ContextIndicator> context;
};

const Inputs& InputsFor(int schools) {
  static std::map<int, Inputs> made;
  auto it = made.find(schools);
  if (it != made.end()) return it->second;
  Inputs in;
  std::mt19937_64 rng(static_cast<uint64_t>(schools));
  std::uniform_real_distribution<double> share(0.0, 0.5);
  std::uniform_real_distribution<double> score(8.0, 20.0);
  std::uniform_int_distribution<int> pupils(5, 60);
  for (int s = 0; s < schools; ++s) {
    const Uuid id = Uuid::MakeV7(1'700'000'000'000 + s);
    for (int64_t year = 2024; year <= 2026; ++year) {
      auto add = [&](Assessment a, const char* subject, int64_t grade) {
        AssessmentResult r;
        r.school_id = id;
        r.year = year;
        r.assessment = a;
        r.subject = subject;
        r.grade = grade;
        r.participants = pupils(rng);
        r.mean_score = score(rng);
        r.share_below_min = share(rng);
        r.share_top = share(rng);
        in.results.push_back(r);
      };
      for (const char* subject : {"математика", "русский язык"}) {
        add(Assessment::kOge, subject, 9);
        add(Assessment::kEge, subject, 11);
        add(Assessment::kVpr, subject, 5);
        add(Assessment::kVpr, subject, 7);
      }
    }
    for (int64_t year = 2025; year <= 2026; ++year) {
      for (const auto& info : KnownContextIndicators()) {
        ContextIndicator c;
        c.school_id = id;
        c.year = year;
        c.indicator = std::string(info.code);
        c.value = info.is_share ? share(rng) : static_cast<double>(pupils(rng) % 4);
        in.context.push_back(c);
      }
    }
  }
  return made.emplace(schools, std::move(in)).first->second;
}

const IndexConfig& Config() {
  static const IndexConfig config = [] {
    auto c = LoadIndexConfig(std::filesystem::path(MENTORLOG_ASSETS_DIR) / "indices.toml");
    if (!c.ok()) throw std::runtime_error(c.status().ToString());
    return *c;
  }();
  return config;
}

void BM_ResultIndex(benchmark::State& state) {
  const Inputs& in = InputsFor(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto ior = ComputeResultIndex(in.results, 2026, Config());
    benchmark::DoNotOptimize(ior.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["rows"] = static_cast<double>(in.results.size());
}

void BM_WellbeingIndex(benchmark::State& state) {
  const Inputs& in = InputsFor(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto wb = ComputeWellbeingIndex(in.context, 2026, Config());
    benchmark::DoNotOptimize(wb.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["rows"] = static_cast<double>(in.context.size());
}

BENCHMARK(BM_ResultIndex)->Arg(50)->Arg(3000)->Arg(40000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WellbeingIndex)->Arg(50)->Arg(3000)->Arg(40000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace mentorlog::core

BENCHMARK_MAIN();
