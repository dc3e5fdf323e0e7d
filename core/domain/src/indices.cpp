// The ИОР and the social well-being index (indices.h); definitions in docs/metrics.md.
//
// [SECTION] Config
// [SECTION] Scaling and quartiles
// [SECTION] ИОР
// [SECTION] Social well-being index
#include "mentorlog/domain/indices.h"

#include <algorithm>
#include <cmath>

#include "mentorlog/domain/enums.h"
#include "toml_config.h"

namespace mentorlog::core {

namespace {

// -----------------------------------------------------------------------------------------
// [SECTION] Config
// -----------------------------------------------------------------------------------------

using toml_config::Bad;

Result<double> Weight(std::string_view source, const toml::table& t) {
  const double w = t["weight"].value_or(1.0);
  if (!(w > 0) || !std::isfinite(w)) return Bad(source, t, "weight must be a number above 0");
  return w;
}

Result<ResultIndicator> ParseResultIndicator(std::string_view source, const toml::table& t) {
  ResultIndicator r;
  r.code = t["code"].value_or(std::string());
  if (r.code.empty()) return Bad(source, t, "an indicator needs a code");
  const std::string assessment = t["assessment"].value_or(std::string());
  auto a = EnumFromText<Assessment>(assessment);
  if (!a)
    return Bad(source, t,
               "assessment \"" + assessment + "\" is none of " + EnumChoices<Assessment>(Language::kEnglish));
  r.assessment = *a;
  r.subject = FoldCase(t["subject"].value_or(std::string()));
  r.grade = t["grade"].value_or(int64_t{0});
  if (r.grade < 0 || r.grade > 11) return Bad(source, t, "grade must be 0 (every grade) or 1..11");
  const std::string measure = t["measure"].value_or(std::string());
  if (measure == "mean_score") {
    r.measure = ResultMeasure::kMeanScore;
  } else if (measure == "share_below_min") {
    r.measure = ResultMeasure::kShareBelowMin;
  } else if (measure == "share_top") {
    r.measure = ResultMeasure::kShareTop;
  } else {
    return Bad(source, t, "measure \"" + measure + "\" is none of mean_score, share_below_min, share_top");
  }
  const std::optional<bool> higher = t["higher_is_better"].value<bool>();
  if (!higher) return Bad(source, t, "higher_is_better (true or false) is missing for " + r.code);
  r.higher_is_better = *higher;
  ASSIGN_OR_RETURN(r.weight, Weight(source, t));
  return r;
}

Result<WellbeingIndicator> ParseWellbeingIndicator(std::string_view source, const toml::table& t) {
  WellbeingIndicator w;
  w.indicator = t["indicator"].value_or(std::string());
  const auto known = KnownContextIndicators();
  if (std::none_of(known.begin(), known.end(), [&](const auto& k) { return k.code == w.indicator; })) {
    std::string choices;
    for (const auto& k : known) choices += (choices.empty() ? "" : ", ") + std::string(k.code);
    return Bad(source, t, "indicator \"" + w.indicator + "\" is none of " + choices);
  }
  const std::optional<bool> higher = t["higher_is_better"].value<bool>();
  if (!higher) return Bad(source, t, "higher_is_better (true or false) is missing for " + w.indicator);
  w.higher_is_better = *higher;
  ASSIGN_OR_RETURN(w.weight, Weight(source, t));
  return w;
}

}  // namespace

Result<IndexConfig> ParseIndexConfig(std::string_view text, std::string_view source) {
  ASSIGN_OR_RETURN(toml::table root, toml_config::Parse(text, source));
  IndexConfig config;
  config.years = static_cast<int>(root["result_index"]["years"].value_or(int64_t{3}));
  if (config.years < 1 || config.years > 10) {
    return Status::InvalidInput(std::string(source) + ": result_index.years must be 1..10");
  }
  if (const toml::array* list = root["result_index"]["indicator"].as_array()) {
    for (const toml::node& n : *list) {
      const toml::table* t = n.as_table();
      if (t == nullptr) return Bad(source, n, "each [[result_index.indicator]] must be a table");
      ASSIGN_OR_RETURN(ResultIndicator r, ParseResultIndicator(source, *t));
      config.results.push_back(std::move(r));
    }
  }
  if (const toml::array* list = root["wellbeing"]["indicator"].as_array()) {
    for (const toml::node& n : *list) {
      const toml::table* t = n.as_table();
      if (t == nullptr) return Bad(source, n, "each [[wellbeing.indicator]] must be a table");
      ASSIGN_OR_RETURN(WellbeingIndicator w, ParseWellbeingIndicator(source, *t));
      config.wellbeing.push_back(std::move(w));
    }
  }
  if (config.results.empty()) {
    return Status::InvalidInput(std::string(source) + ": no [[result_index.indicator]]: the ИОР needs at least one");
  }
  if (config.wellbeing.empty()) {
    return Status::InvalidInput(std::string(source) +
                                ": no [[wellbeing.indicator]]: the well-being index needs at least one");
  }
  return config;
}

Result<IndexConfig> LoadIndexConfig(const std::filesystem::path& path) {
  ASSIGN_OR_RETURN(const std::string text, toml_config::Read(path, "index configuration"));
  return ParseIndexConfig(text, path.string());
}

std::string_view QuartileLabel(Quartile q, Language language) {
  const bool ru = language == Language::kRussian;
  switch (q) {
    case Quartile::kHigh:
      return ru ? "высокий" : "high";
    case Quartile::kAboveAverage:
      return ru ? "выше среднего" : "above average";
    case Quartile::kBelowAverage:
      return ru ? "ниже среднего" : "below average";
    case Quartile::kLow:
      break;
  }
  return ru ? "низкий" : "low";
}

namespace {

// -----------------------------------------------------------------------------------------
// [SECTION] Scaling and quartiles
// -----------------------------------------------------------------------------------------

// Schools of a computation, by id, and the position of each.
class SchoolSet {
 public:
  template <class Rows>
  explicit SchoolSet(const Rows& rows) {
    ids_.reserve(rows.size());
    for (const auto& r : rows) ids_.push_back(r.school_id);
    std::sort(ids_.begin(), ids_.end());
    ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
  }
  size_t size() const { return ids_.size(); }
  const Uuid& id(size_t i) const { return ids_[i]; }
  size_t IndexOf(const Uuid& id) const {
    return static_cast<size_t>(std::lower_bound(ids_.begin(), ids_.end(), id) - ids_.begin());
  }

 private:
  std::vector<Uuid> ids_;
};

// One indicator's value per school: a weighted sum and its weight (0: no data).
struct Column {
  std::vector<double> sum;
  std::vector<double> weight;
  explicit Column(size_t n) : sum(n, 0), weight(n, 0) {}
};

// Min-max over the schools that have a value; 0.5 for all when they are all equal (one school
// included). Lower-is-better indicators are turned round, so 1 is always the favourable end.
std::vector<double> Scaled(const Column& c, bool higher_is_better) {
  double lo = INFINITY;
  double hi = -INFINITY;
  for (size_t s = 0; s < c.sum.size(); ++s) {
    if (c.weight[s] <= 0) continue;
    const double v = c.sum[s] / c.weight[s];
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  std::vector<double> out(c.sum.size(), NAN);
  for (size_t s = 0; s < c.sum.size(); ++s) {
    if (c.weight[s] <= 0) continue;
    const double v = c.sum[s] / c.weight[s];
    const double x = hi > lo ? (v - lo) / (hi - lo) : 0.5;
    out[s] = higher_is_better ? x : 1 - x;
  }
  return out;
}

// The weighted mean of the scaled indicators each school has (NAN: none), and how many.
// `specs[i]` (a ResultIndicator or a WellbeingIndicator) gives column i's direction and weight.
template <class Spec>
void Combine(const std::vector<Column>& columns, const std::vector<Spec>& specs, std::vector<double>& value,
             std::vector<int>& count) {
  const size_t n = value.size();
  std::vector<double> total(n, 0);
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::vector<double> scaled = Scaled(columns[i], specs[i].higher_is_better);
    for (size_t s = 0; s < n; ++s) {
      if (std::isnan(scaled[s])) continue;
      value[s] += specs[i].weight * scaled[s];
      total[s] += specs[i].weight;
      ++count[s];
    }
  }
  for (size_t s = 0; s < n; ++s) value[s] = count[s] > 0 ? value[s] / total[s] : NAN;
}

// Quartile by rank: p = (schools strictly below + (equal ones - 1) / 2) / (n - 1), the school's
// place from 0 (lowest) to 1 (highest), equal values sharing it; quartile = min(3, floor(4p)).
// One school, or all equal: p = 0.5, above average.
std::vector<Quartile> Quartiles(const std::vector<double>& values) {
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  const size_t n = values.size();
  std::vector<Quartile> out(n, Quartile::kAboveAverage);
  if (n < 2) return out;
  for (size_t s = 0; s < n; ++s) {
    const auto [lo, hi] = std::equal_range(sorted.begin(), sorted.end(), values[s]);
    const double below = static_cast<double>(lo - sorted.begin());
    const double equal = static_cast<double>(hi - lo);
    const double p = (below + (equal - 1) / 2) / static_cast<double>(n - 1);
    out[s] = static_cast<Quartile>(std::min(3, static_cast<int>(std::floor(4 * p))));
  }
  return out;
}

double MeasureOf(const AssessmentResult& r, ResultMeasure m) {
  switch (m) {
    case ResultMeasure::kShareBelowMin:
      return r.share_below_min;
    case ResultMeasure::kShareTop:
      return r.share_top;
    case ResultMeasure::kMeanScore:
      break;
  }
  return r.mean_score;
}

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] ИОР
// -----------------------------------------------------------------------------------------

std::vector<ResultIndex> ComputeResultIndex(const std::vector<AssessmentResult>& results, int64_t year,
                                            const IndexConfig& config) {
  const int64_t first_year = year - config.years + 1;
  const SchoolSet schools(results);
  const size_t n = schools.size();
  std::vector<Column> columns(config.results.size(), Column(n));
  for (const AssessmentResult& r : results) {
    if (r.year < first_year || r.year > year || r.participants <= 0) continue;
    const size_t s = schools.IndexOf(r.school_id);
    std::string subject;  // folded once per row, only when an indicator names a subject
    for (size_t i = 0; i < config.results.size(); ++i) {
      const ResultIndicator& ind = config.results[i];
      if (ind.assessment != r.assessment || (ind.grade != 0 && ind.grade != r.grade)) continue;
      if (!ind.subject.empty()) {
        if (subject.empty()) subject = FoldCase(r.subject);
        if (subject != ind.subject) continue;
      }
      const double w = static_cast<double>(r.participants);
      columns[i].sum[s] += w * MeasureOf(r, ind.measure);
      columns[i].weight[s] += w;
    }
  }
  std::vector<double> raw(n, 0);
  std::vector<int> count(n, 0);
  Combine(columns, config.results, raw, count);

  // Rescaled 0..1 across the schools that have a value, then ranked.
  Column combined(n);
  for (size_t s = 0; s < n; ++s) {
    if (std::isnan(raw[s])) continue;
    combined.sum[s] = raw[s];
    combined.weight[s] = 1;
  }
  const std::vector<double> value = Scaled(combined, true);
  std::vector<ResultIndex> out;
  std::vector<double> ranked;
  for (size_t s = 0; s < n; ++s) {
    if (std::isnan(value[s])) continue;
    out.push_back({schools.id(s), value[s], Quartile::kLow, count[s]});
    ranked.push_back(value[s]);
  }
  const std::vector<Quartile> q = Quartiles(ranked);
  for (size_t k = 0; k < out.size(); ++k) out[k].quartile = q[k];
  return out;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Social well-being index
// -----------------------------------------------------------------------------------------

std::vector<WellbeingIndex> ComputeWellbeingIndex(const std::vector<ContextIndicator>& indicators, int64_t year,
                                                  const IndexConfig& config) {
  const SchoolSet schools(indicators);
  const size_t n = schools.size();
  // Each indicator's value in its latest year up to `year`, per school.
  std::vector<Column> columns(config.wellbeing.size(), Column(n));
  std::vector<std::vector<int64_t>> latest(config.wellbeing.size(), std::vector<int64_t>(n, INT64_MIN));
  for (const ContextIndicator& c : indicators) {
    if (c.year > year) continue;
    const size_t s = schools.IndexOf(c.school_id);
    for (size_t i = 0; i < config.wellbeing.size(); ++i) {
      if (config.wellbeing[i].indicator != c.indicator || c.year < latest[i][s]) continue;
      latest[i][s] = c.year;
      columns[i].sum[s] = c.value;
      columns[i].weight[s] = 1;
    }
  }
  std::vector<double> value(n, 0);
  std::vector<int> count(n, 0);
  Combine(columns, config.wellbeing, value, count);
  std::vector<WellbeingIndex> out;
  for (size_t s = 0; s < n; ++s) {
    if (!std::isnan(value[s])) out.push_back({schools.id(s), value[s], count[s]});
  }
  return out;
}

}  // namespace mentorlog::core
