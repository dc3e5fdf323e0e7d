// The ИОР and the social well-being index against values worked out by hand (docs/metrics.md),
// and the configuration file's errors.
#include "mentorlog/domain/indices.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>

#include "test_fixtures.h"

namespace mentorlog::core {
namespace {

using testing::Must;

// Fixed ids that sort in the order of `n`.
Uuid Id(int n) {
  char text[40];
  std::snprintf(text, sizeof text, "0195c000-0000-7000-8000-%012d", n);
  return Must(Uuid::Parse(text), "id");
}
// The schools A..F of the fixtures.
Uuid School(char letter) { return Id(letter - 'A' + 1); }

constexpr char kConfig[] = R"toml(
[result_index]
years = 2

[[result_index.indicator]]
code = "oge_below"
assessment = "oge"
measure = "share_below_min"
higher_is_better = false
weight = 2

[[result_index.indicator]]
code = "vpr_math_5"
assessment = "ВПР"
subject = "Математика"
grade = 5
measure = "mean_score"
higher_is_better = true

[[wellbeing.indicator]]
indicator = "low_income_share"
higher_is_better = false

[[wellbeing.indicator]]
indicator = "internet_quality"
higher_is_better = true
)toml";

AssessmentResult Result(char school, int64_t year, Assessment a, std::string subject, int64_t grade,
                        int64_t participants, double mean, double below) {
  AssessmentResult r;
  r.school_id = School(school);
  r.year = year;
  r.assessment = a;
  r.subject = std::move(subject);
  r.grade = grade;
  r.participants = participants;
  r.mean_score = mean;
  r.share_below_min = below;
  return r;
}

ContextIndicator Context(char school, int64_t year, std::string indicator, double value) {
  ContextIndicator c;
  c.school_id = School(school);
  c.year = year;
  c.indicator = std::move(indicator);
  c.value = value;
  return c;
}

std::map<char, ResultIndex> ByLetter(const std::vector<ResultIndex>& rows) {
  std::map<char, ResultIndex> out;
  for (const auto& r : rows) {
    for (char c = 'A'; c <= 'F'; ++c) {
      if (r.school_id == School(c)) out[c] = r;
    }
  }
  return out;
}

TEST(IndicesTest, ResultIndexMatchesTheHandWorkedExample) {
  const IndexConfig config = Must(ParseIndexConfig(kConfig, "test.toml"), "config");
  const Assessment oge = Assessment::kOge;
  const Assessment vpr = Assessment::kVpr;
  const std::vector<AssessmentResult> results = {
      // OGE share below the minimum, 2025-2026, weighted by participants:
      Result('A', 2026, oge, "математика", 9, 10, 0, 0.10),  // A: (10*.10 + 30*.30) / 40 = .25
      Result('A', 2025, oge, "русский язык", 9, 30, 0, 0.30),
      Result('B', 2026, oge, "математика", 9, 20, 0, 0.05),  // B: .05
      Result('C', 2026, oge, "математика", 9, 10, 0, 0.45),  // C: .45
      Result('D', 2024, oge, "математика", 9, 10, 0, 0.00),  // D: outside the window
      Result('D', 2026, oge, "математика", 9, 0, 0, 0.90),   // D: no participants, no value
      Result('E', 2026, oge, "математика", 9, 10, 0, 0.25),  // E: .25
      Result('F', 2023, oge, "математика", 9, 10, 0, 0.50),  // F: nothing in the window at all
      // VPR mathematics, grade 5, mean score:
      Result('A', 2026, vpr, "математика", 5, 20, 12, 0),   // A: 12 (subject in another case)
      Result('B', 2026, vpr, "Математика", 5, 10, 18, 0),   // B: 18
      Result('B', 2026, vpr, "Математика", 6, 10, 5, 0),    // grade 6: not this indicator
      Result('D', 2026, vpr, "Математика", 5, 10, 15, 0),   // D: 15
      Result('D', 2026, vpr, "русский язык", 5, 10, 1, 0),  // another subject
  };
  // OGE scaled (lower is better): A .5, B 1, C 0, E .5. VPR scaled: A 0, B 1, D .5.
  // Weighted means (2:1): A 1/3, B 1, C 0, D .5, E .5; already spanning 0..1.
  const auto ior = ByLetter(ComputeResultIndex(results, 2026, config));
  ASSERT_EQ(ior.size(), 5u);  // F is not ranked
  EXPECT_NEAR(ior.at('A').value, 1.0 / 3, 1e-12);
  EXPECT_NEAR(ior.at('B').value, 1.0, 1e-12);
  EXPECT_NEAR(ior.at('C').value, 0.0, 1e-12);
  EXPECT_NEAR(ior.at('D').value, 0.5, 1e-12);
  EXPECT_NEAR(ior.at('E').value, 0.5, 1e-12);
  EXPECT_EQ(ior.at('A').indicators, 2);
  EXPECT_EQ(ior.at('C').indicators, 1);
  // Places p = (below + (equal - 1) / 2) / (n - 1): C 0, A .25, D and E .625, B 1.
  EXPECT_EQ(ior.at('C').quartile, Quartile::kLow);
  EXPECT_EQ(ior.at('A').quartile, Quartile::kBelowAverage);
  EXPECT_EQ(ior.at('D').quartile, Quartile::kAboveAverage);  // a tie shares its quartile
  EXPECT_EQ(ior.at('E').quartile, Quartile::kAboveAverage);
  EXPECT_EQ(ior.at('B').quartile, Quartile::kHigh);
}

TEST(IndicesTest, OneSchoolOrAllEqualIsTheMiddleAndNoDataIsNoIndex) {
  const IndexConfig config = Must(ParseIndexConfig(kConfig, "test.toml"), "config");
  const auto one = ComputeResultIndex({Result('A', 2026, Assessment::kOge, "x", 9, 5, 0, 0.3)}, 2026, config);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_DOUBLE_EQ(one[0].value, 0.5);
  EXPECT_EQ(one[0].quartile, Quartile::kAboveAverage);

  const auto equal = ComputeResultIndex(
      {Result('A', 2026, Assessment::kOge, "x", 9, 5, 0, 0.3), Result('B', 2026, Assessment::kOge, "x", 9, 7, 0, 0.3)},
      2026, config);
  ASSERT_EQ(equal.size(), 2u);
  for (const auto& r : equal) {
    EXPECT_DOUBLE_EQ(r.value, 0.5);
    EXPECT_EQ(r.quartile, Quartile::kAboveAverage);
  }
  EXPECT_TRUE(ComputeResultIndex({}, 2026, config).empty());
  EXPECT_TRUE(ComputeResultIndex({Result('A', 2026, Assessment::kEge, "x", 11, 5, 70, 0.1)}, 2026, config).empty());
}

TEST(IndicesTest, EightDistinctSchoolsFallTwoToAQuartile) {
  const IndexConfig config = Must(ParseIndexConfig(kConfig, "test.toml"), "config");
  std::vector<AssessmentResult> results;
  for (int i = 0; i < 8; ++i) {
    AssessmentResult r = Result('A', 2026, Assessment::kOge, "x", 9, 10, 0, 0.05 * i);
    r.school_id = Id(100 + i);
    results.push_back(r);
  }
  const auto ior = ComputeResultIndex(results, 2026, config);
  ASSERT_EQ(ior.size(), 8u);
  std::map<Quartile, int> per;
  for (const auto& r : ior) ++per[r.quartile];
  for (Quartile q : {Quartile::kLow, Quartile::kBelowAverage, Quartile::kAboveAverage, Quartile::kHigh}) {
    EXPECT_EQ(per[q], 2) << QuartileLabel(q, Language::kEnglish);
  }
  // The school with the smallest share below the minimum is the best.
  EXPECT_EQ(ior.front().school_id, Id(100));
  EXPECT_DOUBLE_EQ(ior.front().value, 1.0);
  EXPECT_EQ(ior.front().quartile, Quartile::kHigh);
}

TEST(IndicesTest, WellbeingIndexMatchesTheHandWorkedExample) {
  const IndexConfig config = Must(ParseIndexConfig(kConfig, "test.toml"), "config");
  const std::vector<ContextIndicator> rows = {
      Context('A', 2025, "low_income_share", 0.40), Context('A', 2026, "low_income_share", 0.20),  // A: .20
      Context('A', 2024, "internet_quality", 1.0),                                                 // A: 1
      Context('B', 2026, "low_income_share", 0.60), Context('B', 2026, "internet_quality", 0.0),
      Context('C', 2027, "low_income_share", 0.90),  // after the year asked for
      Context('C', 2026, "low_income_share", 0.40),  // C: .40, no internet figure
      Context('C', 2026, "pupils_per_bus", 3.0),     // not configured
  };
  // low income scaled and turned round: A 1, B 0, C .5; internet: A 1, B 0.
  std::map<Uuid, WellbeingIndex> by;
  for (const auto& w : ComputeWellbeingIndex(rows, 2026, config)) by[w.school_id] = w;
  ASSERT_EQ(by.size(), 3u);
  EXPECT_DOUBLE_EQ(by.at(School('A')).value, 1.0);
  EXPECT_DOUBLE_EQ(by.at(School('B')).value, 0.0);
  EXPECT_DOUBLE_EQ(by.at(School('C')).value, 0.5);
  EXPECT_EQ(by.at(School('C')).indicators, 1);
}

TEST(IndicesTest, TheBundledConfigurationLoads) {
  const IndexConfig config =
      Must(LoadIndexConfig(std::filesystem::path(MENTORLOG_ASSETS_DIR) / "indices.toml"), "assets/indices.toml");
  EXPECT_EQ(config.years, 3);
  EXPECT_FALSE(config.results.empty());
  EXPECT_EQ(config.wellbeing.size(), KnownContextIndicators().size());
}

TEST(IndicesTest, AMalformedConfigurationSaysWhereAndWhat) {
  auto error = [](const std::string& text) {
    auto c = ParseIndexConfig(text, "indices.toml");
    EXPECT_FALSE(c.ok());
    return c.ok() ? std::string() : c.status().message();
  };
  const std::string wellbeing =
      "\n[[wellbeing.indicator]]\nindicator = \"low_income_share\"\nhigher_is_better = false\n";
  EXPECT_NE(error("[result_index\nyears = 3").find("indices.toml:1"), std::string::npos);
  EXPECT_NE(error("[[result_index.indicator]]\ncode = \"x\"\nassessment = \"gia\"\nmeasure = \"mean_score\"\n"
                  "higher_is_better = true\n" +
                  wellbeing)
                .find("assessment \"gia\""),
            std::string::npos);
  EXPECT_NE(error("[[result_index.indicator]]\ncode = \"x\"\nassessment = \"oge\"\nmeasure = \"mean_score\"\n"
                  "higher_is_better = true\nweight = 0\n" +
                  wellbeing)
                .find("indices.toml:1: weight"),
            std::string::npos);
  EXPECT_NE(error("[[result_index.indicator]]\ncode = \"x\"\nassessment = \"oge\"\nmeasure = \"mean\"\n"
                  "higher_is_better = true\n" +
                  wellbeing)
                .find("measure \"mean\""),
            std::string::npos);
  EXPECT_NE(
      error("[[result_index.indicator]]\ncode = \"x\"\nassessment = \"oge\"\nmeasure = \"mean_score\"\n" + wellbeing)
          .find("higher_is_better"),
      std::string::npos);
  EXPECT_NE(error("[[result_index.indicator]]\ncode = \"x\"\nassessment = \"oge\"\nmeasure = \"mean_score\"\n"
                  "higher_is_better = true\n[[wellbeing.indicator]]\nindicator = \"wealth\"\nhigher_is_better = true\n")
                .find("indicator \"wealth\""),
            std::string::npos);
  EXPECT_NE(error(wellbeing).find("no [[result_index.indicator]]"), std::string::npos);
  EXPECT_EQ(LoadIndexConfig("/nonexistent/indices.toml").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace mentorlog::core
