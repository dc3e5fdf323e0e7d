// The programme's indices of a set of schools (a district, a region), computed the same way on
// a device and on the server from plain inputs: the index of educational results (ИОР) and its
// quartiles, and the social well-being index. The definitions, edge cases included, are in
// docs/metrics.md; the weights are configuration (assets/indices.toml), not code.
//
//   ASSIGN_OR_RETURN(IndexConfig config, LoadIndexConfig(assets_dir / "indices.toml"));
//   std::vector<ResultIndex> ior = ComputeResultIndex(results, 2026, config);
//
// Both functions are pure: O(n log n) in the schools, O(rows) in the inputs.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/domain/types.h"

namespace mentorlog::core {

// Which measure of an assessment result an indicator reads.
enum class ResultMeasure { kMeanScore, kShareBelowMin, kShareTop };

// One result indicator of the ИОР: a measure of the results of one assessment (and subject and
// grade, or all of them), averaged over `IndexConfig::years` years, weighted by participants.
struct ResultIndicator {
  std::string code;  // for messages and reports
  Assessment assessment = Assessment::kVpr;
  std::string subject;  // "" = every subject
  int64_t grade = 0;    // 0 = every grade
  ResultMeasure measure = ResultMeasure::kMeanScore;
  bool higher_is_better = true;
  double weight = 1;  // > 0
};

// One context indicator of the social well-being index (a code of KnownContextIndicators()).
struct WellbeingIndicator {
  std::string indicator;
  bool higher_is_better = false;  // a share of low-income families: lower is better
  double weight = 1;              // > 0
};

struct IndexConfig {
  int years = 3;  // the ИОР's window: the year asked for and the years before it
  std::vector<ResultIndicator> results;
  std::vector<WellbeingIndicator> wellbeing;
};

// Reads the TOML file (assets/indices.toml shows the format). Errors: NotFound when the file is
// missing; InvalidInput naming the file, the line and the key for anything malformed (an unknown
// assessment, measure or indicator, a weight <= 0, no indicator at all).
Result<IndexConfig> LoadIndexConfig(const std::filesystem::path& path);
Result<IndexConfig> ParseIndexConfig(std::string_view toml, std::string_view source);

enum class Quartile { kLow, kBelowAverage, kAboveAverage, kHigh };
std::string_view QuartileLabel(Quartile q, Language language);  // "высокий" / "high", ...

struct ResultIndex {
  Uuid school_id;
  double value = 0;  // 0..1 across the set: 1 the best of it
  Quartile quartile = Quartile::kLow;
  int indicators = 0;  // how many of the config's indicators the school had data for
};

// The ИОР of every school of `results` that has data for at least one indicator in the window
// ending at `year`, ordered by school id. Schools without any are left out (not ranked).
std::vector<ResultIndex> ComputeResultIndex(const std::vector<AssessmentResult>& results, int64_t year,
                                            const IndexConfig& config);

struct WellbeingIndex {
  Uuid school_id;
  double value = 0;  // 0..1 across the set: 1 the most favourable conditions of it
  int indicators = 0;
};

// The social well-being index of every school with at least one configured indicator in a year
// up to `year` (each indicator's latest such year), ordered by school id.
std::vector<WellbeingIndex> ComputeWellbeingIndex(const std::vector<ContextIndicator>& indicators, int64_t year,
                                                  const IndexConfig& config);

}  // namespace mentorlog::core
