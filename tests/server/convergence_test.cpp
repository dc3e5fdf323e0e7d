// The convergence harness (convergence.h) in CI: a few dozen short seeds per backend, one
// case per backend; a failing seed's message names it, says what failed and gives the
// command that repeats it. Many more seeds: scripts/converge.
#include <gtest/gtest.h>

#include "server/convergence.h"
#include "server/pg_env.h"

namespace mentorlog::server::converge {
namespace {

// Seeds 1..kConvergeCiSeeds, with at most 4 devices and 2 rounds each, for CI time.
constexpr int kConvergeCiSeeds = 24;

class ConvergenceTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ConvergenceTest, SeededRunsConvergeLoseNothingAndShowEveryConflict) {
  ConvergeOptions options;
  options.rounds = 2;
  options.max_devices = 4;
  if (GetParam() == "Postgres") {
    auto base = TestPgConnstr();
    if (!base) {
      if (AllowNoPg()) GTEST_SKIP() << NoPgMessage();
      FAIL() << NoPgMessage();
    }
    options.backend = ConvergeBackend::kPostgres;
    options.pg_connstr = *base;
  }
  int failed = 0;
  for (int seed = 1; seed <= kConvergeCiSeeds; ++seed) {
    options.seed = static_cast<uint64_t>(seed);
    auto report = RunConvergence(options);
    ASSERT_TRUE(report.ok()) << report.status().message();
    if (!report->ok()) ++failed;
    EXPECT_FALSE(report->lost()) << report->Summary();
    EXPECT_FALSE(report->diverged()) << report->Summary();
    EXPECT_FALSE(report->spurious()) << report->Summary();
    EXPECT_GT(report->writes_checked, 0) << report->Summary();
  }
  EXPECT_EQ(failed, 0) << "of " << kConvergeCiSeeds << " seeds";
}

INSTANTIATE_TEST_SUITE_P(Backends, ConvergenceTest, ::testing::Values("Sqlite", "Postgres"),
                         [](const ::testing::TestParamInfo<std::string>& param) { return param.param; });

}  // namespace
}  // namespace mentorlog::server::converge
