// Per-school progress and the district view (dashboard.h); definitions in docs/metrics.md.
//
// [SECTION] Config (dashboard.toml)
// [SECTION] Calendar
// [SECTION] Records by school (Impl's tables, Apply)
// [SECTION] One school's figures
// [SECTION] Indices and risks
// [SECTION] District view
#include "mentorlog/domain/dashboard.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <span>
#include <sstream>
#include <unordered_map>

#include "mentorlog/domain/enums.h"
#include "mentorlog/domain/rounds.h"
#include "mentorlog/domain/rules.h"
#include "toml_config.h"

namespace mentorlog::core {

// -----------------------------------------------------------------------------------------
// [SECTION] Config (dashboard.toml)
// -----------------------------------------------------------------------------------------

namespace {

using toml_config::Bad;

Result<RiskRule> ParseRiskRule(std::string_view source, const toml::table& t) {
  RiskRule rule;
  const std::string from = t["from"].value_or(std::string());
  if (from == "context") {
    rule.source = RiskSource::kContext;
    rule.what = t["indicator"].value_or(std::string());
    const auto known = KnownContextIndicators();
    if (std::none_of(known.begin(), known.end(), [&](const auto& k) { return k.code == rule.what; })) {
      return Bad(source, t, "indicator \"" + rule.what + "\" is not a known context indicator (docs/import.md)");
    }
  } else if (from == "results") {
    rule.source = RiskSource::kResults;
    rule.what = t["measure"].value_or(std::string());
    if (rule.what != "mean_score" && rule.what != "share_below_min" && rule.what != "share_top") {
      return Bad(source, t, "measure \"" + rule.what + "\" is none of mean_score, share_below_min, share_top");
    }
    if (auto a = t["assessment"].value<std::string>()) {
      rule.assessment = EnumFromText<Assessment>(*a);
      if (!rule.assessment)
        return Bad(source, t, "assessment \"" + *a + "\" is none of " + EnumChoices<Assessment>(Language::kEnglish));
    }
  } else if (from == "rubric") {
    rule.source = RiskSource::kRubric;
    rule.what = t["domain"].value_or(std::string());
  } else if (from == "open_deficits") {
    rule.source = RiskSource::kOpenDeficits;
  } else if (from == "overdue_recommendations") {
    rule.source = RiskSource::kOverdue;
  } else if (from == "result_quartile") {
    rule.source = RiskSource::kResultQuartile;
  } else {
    return Bad(source, t,
               "from = \"" + from +
                   "\" is none of context, results, rubric, open_deficits, overdue_recommendations, result_quartile");
  }
  rule.above = t["above"].value<double>();
  rule.below = t["below"].value<double>();
  if (!rule.above && !rule.below) return Bad(source, t, "a rule needs `above` or `below`");
  return rule;
}

std::optional<ProgrammeIndicator> IndicatorFromCode(std::string_view code) {
  for (ProgrammeIndicator i : kAllProgrammeIndicators) {
    if (ProgrammeIndicatorCode(i) == code) return i;
  }
  return std::nullopt;
}

}  // namespace

Status ParseDashboardConfig(std::string_view text, std::string_view source, DashboardConfig& config) {
  ASSIGN_OR_RETURN(toml::table root, toml_config::Parse(text, source));
  const int64_t days = root["no_contact_days"].value_or(int64_t{kDefaultNoContactDays});
  if (days < 1 || days > 3650) return Status::InvalidInput(std::string(source) + ": no_contact_days must be 1..3650");
  config.no_contact_days = static_cast<int>(days);

  config.risks.clear();
  if (const toml::array* list = root["risk"].as_array()) {
    for (const toml::node& n : *list) {
      const toml::table* t = n.as_table();
      if (t == nullptr) return Bad(source, n, "each [[risk]] must be a table");
      RiskDirection d;
      d.code = (*t)["code"].value_or(std::string());
      d.title.ru = (*t)["ru"].value_or(std::string());
      d.title.en = (*t)["en"].value_or(std::string());
      if (d.code.empty() || d.title.ru.empty() || d.title.en.empty()) {
        return Bad(source, *t, "a risk needs code, ru and en");
      }
      if (const toml::array* rules = (*t)["when"].as_array()) {
        for (const toml::node& r : *rules) {
          const toml::table* rt = r.as_table();
          if (rt == nullptr) return Bad(source, r, "each [[risk.when]] must be a table");
          ASSIGN_OR_RETURN(RiskRule rule, ParseRiskRule(source, *rt));
          d.rules.push_back(std::move(rule));
        }
      }
      config.risks.push_back(std::move(d));
    }
  }

  auto read_targets = [&](const toml::table& table, const std::string& where,
                          std::map<ProgrammeIndicator, Target>& into) -> Status {
    for (const auto& [key, node] : table) {
      auto indicator = IndicatorFromCode(key.str());
      if (!indicator) return Bad(source, node, where + "." + std::string(key.str()) + " is not a programme indicator");
      const std::optional<double> v = node.value<double>();
      if (!v || !(*v >= 0 && *v <= 1)) return Bad(source, node, "a target is a share from 0 to 1");
      into[*indicator] = Target{*v, *indicator == ProgrammeIndicator::kLowResultsShare};
    }
    return Status::Ok();
  };
  config.targets.clear();
  if (const toml::table* targets = root["targets"].as_table()) {
    RETURN_IF_ERROR(read_targets(*targets, "targets", config.targets));
  }
  config.targets_by_district.clear();
  if (const toml::node_view by = root["targets_by_district"]; by) {
    const toml::table* districts = by.as_table();
    if (districts == nullptr) return Bad(source, *by.node(), "targets_by_district holds a table per district");
    for (const auto& [name, node] : *districts) {
      const toml::table* table = node.as_table();
      if (table == nullptr) {
        return Bad(source, node, "targets_by_district.\"" + std::string(name.str()) + "\" is a table of targets");
      }
      RETURN_IF_ERROR(read_targets(*table, "targets_by_district.\"" + std::string(name.str()) + "\"",
                                   config.targets_by_district[std::string(name.str())]));
    }
  }
  if (root["low_results_share_by_district"]) {
    return Bad(source, *root["low_results_share_by_district"].node(),
               "low_results_share_by_district is now [targets_by_district.\"<district>\"] low_results_share = ...");
  }
  return Status::Ok();
}

Result<DashboardConfig> LoadDashboardConfig(const std::filesystem::path& assets_dir) {
  DashboardConfig config;
  ASSIGN_OR_RETURN(config.indices, LoadIndexConfig(assets_dir / "indices.toml"));
  const std::filesystem::path path = assets_dir / "dashboard.toml";
  ASSIGN_OR_RETURN(const std::string text, toml_config::Read(path, "dashboard configuration"));
  RETURN_IF_ERROR(ParseDashboardConfig(text, path.string(), config));
  return config;
}

std::string_view ProgrammeIndicatorCode(ProgrammeIndicator indicator) {
  switch (indicator) {
    case ProgrammeIndicator::kSupportedInPartnership:
      return "supported_in_partnership";
    case ProgrammeIndicator::kSchoolsInNetwork:
      return "schools_in_network";
    case ProgrammeIndicator::kTeachersInNetworkEvents:
      return "teachers_in_network_events";
    case ProgrammeIndicator::kTeachersTrained:
      return "teachers_trained";
    case ProgrammeIndicator::kSupportedBetterResults:
      return "supported_better_results";
    case ProgrammeIndicator::kDeficitsClosed:
      return "deficits_closed";
    case ProgrammeIndicator::kRoutesOnTrack:
      return "routes_on_track";
    case ProgrammeIndicator::kRoadmapOnTime:
      return "roadmap_on_time";
    case ProgrammeIndicator::kPlanItemsDone:
      return "plan_items_done";
    case ProgrammeIndicator::kLowResultsShare:
      break;
  }
  return "low_results_share";
}

std::string_view ProgrammeIndicatorLabel(ProgrammeIndicator indicator, Language language) {
  const bool ru = language == Language::kRussian;
  switch (indicator) {
    case ProgrammeIndicator::kSupportedInPartnership:
      return ru ? "ШНОР/ШНСУ в сетевом партнёрстве" : "Supported schools in a network partnership";
    case ProgrammeIndicator::kSchoolsInNetwork:
      return ru ? "Школы в сетевом взаимодействии" : "Schools in network interaction";
    case ProgrammeIndicator::kTeachersInNetworkEvents:
      return ru ? "Педагоги, охваченные сетевыми мероприятиями" : "Teachers covered by network events";
    case ProgrammeIndicator::kTeachersTrained:
      return ru ? "Педагоги, прошедшие обучение" : "Teachers trained";
    case ProgrammeIndicator::kSupportedBetterResults:
      return ru ? "ШНОР/ШНСУ с результатами лучше прошлого года"
                : "Supported schools with better results than last year";
    case ProgrammeIndicator::kDeficitsClosed:
      return ru ? "Профессиональные дефициты закрыты" : "Professional deficits closed";
    case ProgrammeIndicator::kRoutesOnTrack:
      return ru ? "Индивидуальные маршруты без просрочек" : "Individual routes on track";
    case ProgrammeIndicator::kRoadmapOnTime:
      return ru ? "Мероприятия дорожной карты выполнены в срок" : "Roadmap items done on time";
    case ProgrammeIndicator::kPlanItemsDone:
      return ru ? "Пункты планов работы выполнены" : "Work plan items done";
    case ProgrammeIndicator::kLowResultsShare:
      break;
  }
  return ru ? "Доля ШНОР среди всех школ" : "Share of low-results schools";
}

// -----------------------------------------------------------------------------------------
// [SECTION] Calendar
// -----------------------------------------------------------------------------------------

int SchoolYearOf(Date date) {
  const Date::YearMonthDay c = date.ymd();
  return c.month >= 9 ? c.year : c.year - 1;
}

Term TermOf(Date date) {
  const Date::YearMonthDay c = date.ymd();
  const int m = c.month;
  const int term = m >= 9 ? (m <= 10 ? 1 : 2) : (m <= 3 ? 3 : 4);
  return Term{m >= 9 ? c.year : c.year - 1, term};
}

std::string TermLabel(Term term, Language language) {
  const std::string years = std::to_string(term.school_year) + "/" + std::to_string((term.school_year + 1) % 100 / 10) +
                            std::to_string((term.school_year + 1) % 10);
  if (language == Language::kRussian) return years + ", " + std::to_string(term.term) + " четв.";
  return years + " T" + std::to_string(term.term);
}

int ResultsYearOf(Date date) { return date.month() >= 7 ? date.year() : date.year() - 1; }

Date PreviousHalfYearEnd(Date date) {
  const int month = date.month() >= 7 ? 7 : 1;
  return Date::FromYmd(date.year(), month, 1).value().AddDays(-1);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Records by school (Impl's tables, Apply)
// -----------------------------------------------------------------------------------------

namespace {

struct UuidHash {
  size_t operator()(const Uuid& id) const {
    size_t h = 0;
    for (size_t i = 8; i < 16; ++i) h = (h << 8) | id.bytes()[i];  // the random half of a UUIDv7
    return h;
  }
};

// Everything recorded about one school.
struct SchoolRecords {
  std::optional<School> school;
  std::map<Uuid, Visit> visits;
  std::map<Uuid, Observation> observations;
  std::map<Uuid, Consultation> consultations;
  std::map<Uuid, Recommendation> recommendations;
  std::map<Uuid, AssessmentResult> results;
  std::map<Uuid, ContextIndicator> context;
  std::map<Uuid, Assignment> assignments;
  std::map<Uuid, PlanItem> plan_items;
  std::map<Uuid, RoadmapItem> roadmap;  // the school's own items (district-level ones: Impl::roadmap_)
  std::map<Uuid, StatusChange> status_changes;
  std::map<Uuid, RoundResult> round_results;
  std::set<Uuid> teachers;  // people of the school with the teacher role
};

// The school's statuses on `d` (rounds.h StatusesOn).
std::vector<SchoolStatus> StatusesAt(const SchoolRecords& s, Date d) {
  std::vector<const StatusChange*> changes;
  changes.reserve(s.status_changes.size());
  for (const auto& [id, c] : s.status_changes) changes.push_back(&c);
  return StatusesOn(s.school ? s.school->statuses : std::vector<SchoolStatus>{}, changes, d);
}

// A SchoolFacts as figures of a round (rounds.h), and back: one table of names, so a fact added
// here is frozen and read back without more code.
struct FactField {
  std::string_view name;
  int SchoolFacts::*count = nullptr;
  bool SchoolFacts::*flag = nullptr;
};
constexpr FactField kFactFields[] = {
    {"supported", nullptr, &SchoolFacts::supported},
    {"low_results", nullptr, &SchoolFacts::low_results},
    {"in_partnership", nullptr, &SchoolFacts::in_partnership},
    {"in_network", nullptr, &SchoolFacts::in_network},
    {"teachers", &SchoolFacts::teachers, nullptr},
    {"teachers_in_network_events", &SchoolFacts::teachers_in_network_events, nullptr},
    {"teachers_trained", &SchoolFacts::teachers_trained, nullptr},
    {"deficits", &SchoolFacts::deficits, nullptr},
    {"deficits_closed", &SchoolFacts::deficits_closed, nullptr},
    {"teachers_with_route", &SchoolFacts::teachers_with_route, nullptr},
    {"routes_on_track", &SchoolFacts::routes_on_track, nullptr},
    {"roadmap_due", &SchoolFacts::roadmap_due, nullptr},
    {"roadmap_on_time", &SchoolFacts::roadmap_on_time, nullptr},
    {"plan_due", &SchoolFacts::plan_due, nullptr},
    {"plan_done", &SchoolFacts::plan_done, nullptr},
};

void AddFacts(const SchoolFacts& f, RoundFigures& out) {
  for (const FactField& field : kFactFields) {
    out[std::string(field.name)] = field.count ? f.*(field.count) : (f.*(field.flag) ? 1 : 0);
  }
  if (f.better_results) out["better_results"] = *f.better_results ? 1 : 0;
}

SchoolFacts FactsFrom(const RoundFigures& figures) {
  SchoolFacts f;
  for (const FactField& field : kFactFields) {
    auto v = figures.find(field.name);
    if (v == figures.end()) continue;
    if (field.count) {
      f.*(field.count) = static_cast<int>(std::clamp(v->second, 0.0, 1e9));
    } else {
      f.*(field.flag) = v->second != 0;
    }
  }
  if (auto v = figures.find("better_results"); v != figures.end()) f.better_results = v->second != 0;
  return f;
}

// What the risk rules read besides the public figures.
struct RiskInputs {
  std::map<std::string, double> context;  // latest value up to the results year
  int open_deficits = 0;
};

// An agreement in force on `d` (docs/metrics.md): signed by then and not yet ended. A draft is
// never in force; an ended one was until its end date, and without one it counts as never.
bool Live(const NetworkAgreement& a, Date d) {
  if (a.status == AgreementStatus::kDraft) return false;
  if (a.status == AgreementStatus::kEnded && !a.ends_on) return false;
  return a.signed_on <= d && (!a.ends_on || *a.ends_on >= d);
}

// The indicators' period: the 12 months up to and including `d`.
bool InPeriod(Date date, Date d) { return date > d.AddDays(-365) && date <= d; }

// A roadmap item due in the period (not cancelled), and one done by its end date (a done item
// with no done date, stored before there was one, is done but not known to be on time).
bool RoadmapDue(const RoadmapItem& r, Date d) {
  return r.status != RoadmapStatus::kCancelled && InPeriod(r.ends_on, d);
}
bool RoadmapDoneOnTime(const RoadmapItem& r, Date d) {
  return r.status == RoadmapStatus::kDone && r.done_on && *r.done_on <= r.ends_on && *r.done_on <= d;
}

// How many of the school's plan items planned in the period are done by `d` (rules.h PlanMatch:
// a record fulfils one item at most).
template <class SchoolRecordsT>
int PlanItemsDone(const SchoolRecordsT& s, const std::vector<const PlanItem*>& items, Date d) {
  PlanMatch match(d);
  for (const auto& [id, v] : s.visits) match.Add(v);
  for (const auto& [id, o] : s.observations) match.Add(o);
  for (const auto& [id, c] : s.consultations) match.Add(c);
  int done = 0;
  for (const PlanMatch::Outcome& o : match.Match(items)) done += o.done;
  return done;
}

// The district's own figures on a date: its roadmap items (those of no school).
struct DistrictFacts {
  int roadmap_due = 0;
  int roadmap_on_time = 0;
};

struct Count {
  int64_t num = 0;
  int64_t den = 0;
};

// One programme indicator over the schools' facts on one date (docs/metrics.md).
Count CountIndicator(ProgrammeIndicator which, const std::vector<const SchoolFacts*>& facts,
                     const DistrictFacts& district) {
  Count c;
  for (const SchoolFacts* fp : facts) {
    const SchoolFacts& f = *fp;
    switch (which) {
      case ProgrammeIndicator::kSupportedInPartnership:
        c.num += f.supported && f.in_partnership;
        c.den += f.supported;
        break;
      case ProgrammeIndicator::kSchoolsInNetwork:
        c.num += f.in_network;
        ++c.den;
        break;
      case ProgrammeIndicator::kTeachersInNetworkEvents:
        c.num += f.teachers_in_network_events;
        c.den += f.teachers;
        break;
      case ProgrammeIndicator::kTeachersTrained:
        c.num += f.teachers_trained;
        c.den += f.teachers;
        break;
      case ProgrammeIndicator::kSupportedBetterResults:
        c.num += f.supported && f.better_results.value_or(false);
        c.den += f.supported && f.better_results.has_value();
        break;
      case ProgrammeIndicator::kLowResultsShare:
        c.num += f.low_results;
        ++c.den;
        break;
      case ProgrammeIndicator::kDeficitsClosed:
        c.num += f.deficits_closed;
        c.den += f.deficits;
        break;
      case ProgrammeIndicator::kRoutesOnTrack:
        c.num += f.routes_on_track;
        c.den += f.teachers_with_route;
        break;
      case ProgrammeIndicator::kRoadmapOnTime:
        c.num += f.roadmap_on_time;
        c.den += f.roadmap_due;
        break;
      case ProgrammeIndicator::kPlanItemsDone:
        c.num += f.plan_done;
        c.den += f.plan_due;
        break;
    }
  }
  if (which == ProgrammeIndicator::kRoadmapOnTime) {  // the district's own items too
    c.num += district.roadmap_on_time;
    c.den += district.roadmap_due;
  }
  return c;
}

double Median(std::vector<int>& v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

// A running mean.
struct Mean {
  double sum = 0;
  int n = 0;
  void Add(double v) {
    sum += v;
    ++n;
  }
  double value() const { return n > 0 ? sum / n : 0; }
};

}  // namespace

class Dashboard::Impl {
 public:
  explicit Impl(DashboardConfig config) : config_(std::move(config)) {}

  DashboardConfig config_;

  // ---- the records ----
  std::unordered_map<Uuid, SchoolRecords, UuidHash> schools_;
  std::unordered_map<Uuid, Person, UuidHash> people_;
  std::set<Uuid> staff_;  // the mentors and tutors among people_ (the workload's rows)
  // Scores by observation, their criteria interned.
  struct Score {
    Uuid id;
    int criterion = 0;  // into criterion_codes_
    int level = -1;     // -1: not observed
  };
  std::unordered_map<Uuid, std::vector<Score>, UuidHash> scores_;
  std::vector<std::string> criterion_codes_;
  std::unordered_map<std::string, int> criterion_ids_;
  std::vector<int> criterion_order_;              // ids sorted by code
  std::vector<std::string> domain_codes_ = {""};  // 0: a criterion of no known domain
  std::unordered_map<std::string, int> domain_ids_ = {{"", 0}};
  std::vector<int> domain_order_ = {0};
  // Interns a code; keeps `order` sorted by code.
  static int Intern(const std::string& code, std::vector<std::string>& codes, std::unordered_map<std::string, int>& ids,
                    std::vector<int>& order) {
    auto [it, fresh] = ids.try_emplace(code, static_cast<int>(codes.size()));
    if (fresh) {
      codes.push_back(code);
      order.push_back(it->second);
      std::sort(order.begin(), order.end(), [&](int a, int b) { return codes[a] < codes[b]; });
    }
    return it->second;
  }
  std::unordered_map<Uuid, std::map<Uuid, Deficit>, UuidHash> deficits_;    // by teacher
  std::unordered_map<Uuid, std::map<Uuid, Training>, UuidHash> trainings_;  // by teacher
  std::unordered_map<Uuid, std::map<Uuid, RouteItem>, UuidHash> routes_;    // by teacher
  std::unordered_map<Uuid, std::map<Uuid, Uuid>, UuidHash> attended_;       // teacher -> participant id -> event
  // event -> its participants, each with its number of participant records (a teacher listed
  // twice stays until both records go)
  std::unordered_map<Uuid, std::map<Uuid, int>, UuidHash> event_teachers_;
  std::map<Uuid, NetworkEvent> events_;
  std::map<Uuid, RoadmapItem> district_roadmap_;  // items with no school
  std::map<Uuid, NetworkAgreement> agreements_;
  std::map<Uuid, MonitoringRound> rounds_;
  std::unordered_map<Uuid, std::set<Uuid>, UuidHash> agreements_of_;  // school -> its agreements (either side)
  std::map<std::pair<std::string, int64_t>, std::vector<int>>
      domains_;  // rubric -> domain id by criterion id  // rubric -> criterion -> domain
  // Where each record sits: its kind and its owner (school, observation or teacher; nil for none).
  std::unordered_map<Uuid, std::pair<RecordKind, Uuid>, UuidHash> where_;

  // ---- what changed since the last Refresh ----
  std::set<Uuid> dirty_;
  bool all_dirty_ = true;
  bool indices_dirty_ = true;

  // ---- the figures ----
  std::unordered_map<Uuid, SchoolProgress, UuidHash> progress_;
  std::unordered_map<Uuid, RiskInputs, UuidHash> risk_inputs_;
  std::unordered_map<Uuid, std::vector<IndexPoint>, UuidHash> result_index_;
  std::unordered_map<Uuid, double, UuidHash> wellbeing_;
  int64_t wellbeing_year_ = INT64_MIN;
  std::vector<const SchoolProgress*> ordered_;
  DistrictView district_;
  std::optional<Date> as_of_;
  int last_recomputed_ = 0;

  void Touch(const std::optional<Uuid>& school) {
    if (school && !school->IsNil()) dirty_.insert(*school);
  }
  std::optional<Uuid> SchoolOfObservation(const Uuid& observation_id) const {
    auto w = where_.find(observation_id);
    if (w == where_.end()) return std::nullopt;
    return w->second.second;
  }
  std::optional<Uuid> SchoolOfPerson(const Uuid& person_id) const {
    auto p = people_.find(person_id);
    if (p == people_.end()) return std::nullopt;
    return p->second.school_id;
  }

  void Remove(const Uuid& id);
  void Insert(const School& r);
  void Insert(const Person& r);
  void Insert(const Assignment& r) { InSchool(r, &SchoolRecords::assignments); }
  void Insert(const Visit& r) { InSchool(r, &SchoolRecords::visits); }
  void Insert(const Observation& r);
  // Calls fn(id, agreement) for each agreement the school is party to.
  template <class F>
  void ForEachAgreementOf(const Uuid& school, F&& fn) const {
    auto ids = agreements_of_.find(school);
    if (ids == agreements_of_.end()) return;
    for (const Uuid& id : ids->second) fn(id, agreements_.at(id));
  }
  void Insert(const ObservationScore& r);
  void Insert(const Consultation& r) { InSchool(r, &SchoolRecords::consultations); }
  void Insert(const Recommendation& r) { InSchool(r, &SchoolRecords::recommendations); }
  void Insert(const RecommendationEvent&) {}  // the history: no figure reads it yet
  void Insert(const Deficit& r);
  void Insert(const RoadmapItem& r);
  void Insert(const NetworkAgreement& r);
  void Insert(const AssessmentResult& r) {
    InSchool(r, &SchoolRecords::results);
    indices_dirty_ = true;
  }
  void Insert(const ContextIndicator& r) {
    InSchool(r, &SchoolRecords::context);
    indices_dirty_ = true;
  }
  void Insert(const RubricTemplate& r);
  void Insert(const RouteItem& r) { ByTeacher(r, routes_); }
  void Insert(const Training& r) { ByTeacher(r, trainings_); }
  void Insert(const NetworkEvent& r);
  void Insert(const EventParticipant& r);
  void Insert(const PlanItem& r) { InSchool(r, &SchoolRecords::plan_items); }
  void Insert(const MonitoringRound& r);
  // The schools holding results of the round: their pages show its name and whether it closed.
  void TouchRoundSchools(const Uuid& round) {
    for (const auto& [sid, s] : schools_) {
      for (const auto& [rid, result] : s.round_results) {
        if (result.round_id == round) {
          Touch(sid);
          break;
        }
      }
    }
  }
  void Insert(const RoundResult& r) { InSchool(r, &SchoolRecords::round_results); }
  void Insert(const StatusChange& r) { InSchool(r, &SchoolRecords::status_changes); }

  // A record kept by the teacher it is about; a change touches the teacher's school.
  template <class R>
  void ByTeacher(const R& r, std::unordered_map<Uuid, std::map<Uuid, R>, UuidHash>& table) {
    Remove(r.id);
    table[r.teacher_id][r.id] = r;
    where_[r.id] = {RecordTraits<R>::kKind, r.teacher_id};
    Touch(SchoolOfPerson(r.teacher_id));
  }
  template <class R>
  void ByTeacherErase(std::unordered_map<Uuid, std::map<Uuid, R>, UuidHash>& table, const Uuid& teacher,
                      const Uuid& id) {
    auto t = table.find(teacher);
    if (t != table.end()) t->second.erase(id);
    Touch(SchoolOfPerson(teacher));
  }

  template <class R>
  void InSchool(const R& r, std::map<Uuid, R> SchoolRecords::*table) {
    Remove(r.id);
    (schools_[r.school_id].*table)[r.id] = r;
    where_[r.id] = {RecordTraits<R>::kKind, r.school_id};
    Touch(r.school_id);
  }

  SchoolProgress Compute(const Uuid& id, const SchoolRecords& s, Date as_of, RiskInputs& inputs) const;
  SchoolFacts FactsAt(const SchoolRecords& s, const Uuid& id, Date d, int teachers) const;
  void ComputeIndices(Date as_of);
  void Finish(SchoolProgress& p, const RiskInputs& inputs, Date as_of) const;
  void BuildDistrict(Date as_of);
  DistrictFacts DistrictFactsAt(Date d) const {
    DistrictFacts f;
    for (const auto& [rid, item] : district_roadmap_) {
      f.roadmap_due += RoadmapDue(item, d);
      f.roadmap_on_time += RoadmapDue(item, d) && RoadmapDoneOnTime(item, d);
    }
    return f;
  }
  std::string NameOf(const Uuid& person) const {
    auto p = people_.find(person);
    return p == people_.end() ? std::string() : p->second.full_name;
  }
};

void Dashboard::Impl::Remove(const Uuid& id) {
  auto w = where_.find(id);
  if (w == where_.end()) return;
  // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
  const RecordKind kind = w->second.first;
  const Uuid owner = w->second.second;
  where_.erase(w);
  auto in_school = [&](auto SchoolRecords::*table) {
    auto s = schools_.find(owner);
    if (s != schools_.end()) (s->second.*table).erase(id);
    Touch(owner);
  };
  switch (kind) {
    case RecordKind::kSchool: {
      auto s = schools_.find(id);
      if (s != schools_.end()) s->second.school.reset();
      Touch(id);
      all_dirty_ = true;  // partners and the district's counts
      break;
    }
    case RecordKind::kPerson: {
      auto p = people_.find(id);
      if (p != people_.end()) {
        Touch(p->second.school_id);
        if (p->second.school_id) {
          auto s = schools_.find(*p->second.school_id);
          if (s != schools_.end()) s->second.teachers.erase(id);
        }
        people_.erase(p);
        staff_.erase(id);
      }
      break;
    }
    case RecordKind::kAssignment:
      in_school(&SchoolRecords::assignments);
      break;
    case RecordKind::kVisit:
      in_school(&SchoolRecords::visits);
      break;
    case RecordKind::kObservation:
      in_school(&SchoolRecords::observations);
      break;
    case RecordKind::kConsultation:
      in_school(&SchoolRecords::consultations);
      break;
    case RecordKind::kRecommendation:
      in_school(&SchoolRecords::recommendations);
      break;
    case RecordKind::kAssessmentResult:
      in_school(&SchoolRecords::results);
      indices_dirty_ = true;
      break;
    case RecordKind::kContextIndicator:
      in_school(&SchoolRecords::context);
      indices_dirty_ = true;
      break;
    case RecordKind::kObservationScore: {
      auto s = scores_.find(owner);
      if (s != scores_.end()) std::erase_if(s->second, [&](const Score& x) { return x.id == id; });
      Touch(SchoolOfObservation(owner));
      break;
    }
    case RecordKind::kDeficit: {
      auto d = deficits_.find(owner);
      if (d != deficits_.end()) d->second.erase(id);
      Touch(SchoolOfPerson(owner));
      break;
    }
    case RecordKind::kNetworkAgreement: {
      auto a = agreements_.find(id);
      if (a != agreements_.end()) {
        Touch(a->second.supported_school_id);
        Touch(a->second.leader_school_id);
        agreements_of_[a->second.supported_school_id].erase(id);
        if (a->second.leader_school_id) agreements_of_[*a->second.leader_school_id].erase(id);
        agreements_.erase(a);
      }
      break;
    }
    case RecordKind::kRubricTemplate:
      all_dirty_ = true;  // domains are kept: observations still name the template
      break;
    case RecordKind::kPlanItem:
      in_school(&SchoolRecords::plan_items);
      break;
    case RecordKind::kRoadmapItem:
      if (owner.IsNil()) {
        district_roadmap_.erase(id);
      } else {
        in_school(&SchoolRecords::roadmap);
      }
      break;
    case RecordKind::kTraining:
      ByTeacherErase(trainings_, owner, id);
      break;
    case RecordKind::kRouteItem:
      ByTeacherErase(routes_, owner, id);
      break;
    case RecordKind::kEventParticipant: {
      auto a = attended_.find(owner);
      if (a != attended_.end()) {
        auto e = a->second.find(id);
        if (e != a->second.end()) {
          auto& teachers = event_teachers_[e->second];
          if (auto t = teachers.find(owner); t != teachers.end() && --t->second == 0) teachers.erase(t);
          a->second.erase(e);
        }
      }
      Touch(SchoolOfPerson(owner));
      break;
    }
    case RecordKind::kNetworkEvent: {
      events_.erase(id);
      for (const auto& [teacher, records] : event_teachers_[id]) Touch(SchoolOfPerson(teacher));
      break;
    }
    case RecordKind::kRecommendationEvent:
      break;
    case RecordKind::kStatusChange:
      in_school(&SchoolRecords::status_changes);
      break;
    case RecordKind::kRoundResult:
      in_school(&SchoolRecords::round_results);
      break;
    case RecordKind::kMonitoringRound:
      rounds_.erase(id);
      TouchRoundSchools(id);
      break;
  }
}

void Dashboard::Impl::Insert(const MonitoringRound& r) {
  Remove(r.id);
  rounds_[r.id] = r;
  where_[r.id] = {RecordKind::kMonitoringRound, Uuid()};
  TouchRoundSchools(r.id);
}

void Dashboard::Impl::Insert(const School& r) {
  Remove(r.id);
  schools_[r.id].school = r;
  where_[r.id] = {RecordKind::kSchool, r.id};
  all_dirty_ = true;  // a new school changes every school's place in the indices
  indices_dirty_ = true;
}

void Dashboard::Impl::Insert(const Person& r) {
  Remove(r.id);
  people_[r.id] = r;
  auto has = [&](Role role) { return std::find(r.roles.begin(), r.roles.end(), role) != r.roles.end(); };
  if (has(Role::kMentor) || has(Role::kTutor)) staff_.insert(r.id);
  where_[r.id] = {RecordKind::kPerson, Uuid()};
  if (r.school_id && std::find(r.roles.begin(), r.roles.end(), Role::kTeacher) != r.roles.end()) {
    schools_[*r.school_id].teachers.insert(r.id);
  }
  Touch(r.school_id);
}

void Dashboard::Impl::Insert(const Observation& r) { InSchool(r, &SchoolRecords::observations); }

void Dashboard::Impl::Insert(const ObservationScore& r) {
  Remove(r.id);
  scores_[r.observation_id].push_back({r.id,
                                       Intern(r.criterion_code, criterion_codes_, criterion_ids_, criterion_order_),
                                       r.level ? static_cast<int>(*r.level) : -1});
  where_[r.id] = {RecordKind::kObservationScore, r.observation_id};
  Touch(SchoolOfObservation(r.observation_id));
}

void Dashboard::Impl::Insert(const Deficit& r) {
  Remove(r.id);
  deficits_[r.teacher_id][r.id] = r;
  where_[r.id] = {RecordKind::kDeficit, r.teacher_id};
  Touch(SchoolOfPerson(r.teacher_id));
}

void Dashboard::Impl::Insert(const NetworkAgreement& r) {
  Remove(r.id);
  agreements_[r.id] = r;
  agreements_of_[r.supported_school_id].insert(r.id);
  if (r.leader_school_id) agreements_of_[*r.leader_school_id].insert(r.id);
  where_[r.id] = {RecordKind::kNetworkAgreement, Uuid()};
  Touch(r.supported_school_id);
  Touch(r.leader_school_id);
}

void Dashboard::Impl::Insert(const RoadmapItem& r) {
  Remove(r.id);
  if (r.school_id) {
    schools_[*r.school_id].roadmap[r.id] = r;
    where_[r.id] = {RecordKind::kRoadmapItem, *r.school_id};
    Touch(r.school_id);
  } else {
    district_roadmap_[r.id] = r;
    where_[r.id] = {RecordKind::kRoadmapItem, Uuid()};
  }
}

void Dashboard::Impl::Insert(const NetworkEvent& r) {
  Remove(r.id);
  events_[r.id] = r;
  where_[r.id] = {RecordKind::kNetworkEvent, Uuid()};
  for (const auto& [teacher, records] : event_teachers_[r.id]) Touch(SchoolOfPerson(teacher));
}

void Dashboard::Impl::Insert(const EventParticipant& r) {
  Remove(r.id);
  attended_[r.teacher_id][r.id] = r.event_id;
  ++event_teachers_[r.event_id][r.teacher_id];
  where_[r.id] = {RecordKind::kEventParticipant, r.teacher_id};
  Touch(SchoolOfPerson(r.teacher_id));
}

void Dashboard::Impl::Insert(const RubricTemplate& r) {
  Remove(r.id);
  where_[r.id] = {RecordKind::kRubricTemplate, Uuid()};
  auto rubric = ParseRubric(r.body_json, r.code);
  if (!rubric.ok()) return;  // validation refused it on the way in; nothing to read
  std::vector<int>& domain_of = domains_[{r.code, r.version}];
  for (const RubricCriterion& c : rubric->criteria) {
    const size_t criterion = static_cast<size_t>(Intern(c.code, criterion_codes_, criterion_ids_, criterion_order_));
    if (domain_of.size() <= criterion) domain_of.resize(criterion + 1, 0);
    domain_of[criterion] = Intern(c.domain, domain_codes_, domain_ids_, domain_order_);
  }
  all_dirty_ = true;
}

// -----------------------------------------------------------------------------------------
// [SECTION] One school's figures
// -----------------------------------------------------------------------------------------

SchoolFacts Dashboard::Impl::FactsAt(const SchoolRecords& s, const Uuid& id, Date d, int teachers) const {
  SchoolFacts f;
  f.teachers = teachers;
  const std::vector<SchoolStatus> statuses = StatusesAt(s, d);
  f.low_results = std::find(statuses.begin(), statuses.end(), SchoolStatus::kLowResults) != statuses.end();
  f.supported =
      f.low_results || std::find(statuses.begin(), statuses.end(), SchoolStatus::kAdverseConditions) != statuses.end();
  const bool supported = f.supported;
  ForEachAgreementOf(id, [&](const Uuid&, const NetworkAgreement& a) {
    if (!Live(a, d)) return;
    f.in_network = true;
    if (a.supported_school_id == id && supported) f.in_partnership = true;
  });
  // Teachers: the school's teachers recorded as people (the denominator is its headcount).
  for (const Uuid& t : s.teachers) {
    if (auto a = attended_.find(t); a != attended_.end()) {
      for (const auto& [pid, event_id] : a->second) {
        auto e = events_.find(event_id);
        if (e != events_.end() && InPeriod(e->second.held_on, d)) {
          ++f.teachers_in_network_events;
          break;
        }
      }
    }
    if (auto tr = trainings_.find(t); tr != trainings_.end()) {
      for (const auto& [tid, training] : tr->second) {
        if (InPeriod(training.ends_on, d)) {
          ++f.teachers_trained;
          break;
        }
      }
    }
    if (auto ds = deficits_.find(t); ds != deficits_.end()) {
      for (const auto& [did, def] : ds->second) {
        if (def.found_on > d || (def.closed_on && *def.closed_on <= d.AddDays(-365))) continue;
        ++f.deficits;  // open at some time in the period
        if (def.closed_on && *def.closed_on <= d) ++f.deficits_closed;
      }
    }
    if (auto rs = routes_.find(t); rs != routes_.end()) {
      bool has_route = false;
      bool overdue = false;
      for (const auto& [rid, item] : rs->second) {
        if (item.status == RouteItemStatus::kDropped || item.starts_on > d) continue;
        has_route = true;
        overdue = overdue || (item.due_on < d && !(item.done_on && *item.done_on <= d));
      }
      f.teachers_with_route += has_route;
      f.routes_on_track += has_route && !overdue;
    }
  }
  for (const auto& [rid, item] : s.roadmap) {
    f.roadmap_due += RoadmapDue(item, d);
    f.roadmap_on_time += RoadmapDue(item, d) && RoadmapDoneOnTime(item, d);
  }
  std::vector<const PlanItem*> planned;
  for (const auto& [pid, item] : s.plan_items) {
    if (InPeriod(item.planned_on, d)) planned.push_back(&item);
  }
  f.plan_due += static_cast<int>(planned.size());
  if (!planned.empty()) f.plan_done += PlanItemsDone(s, planned, d);
  // Results: the participant-weighted share below the minimum, this results year vs the last.
  const int64_t year = ResultsYearOf(d);
  double sum[2] = {0, 0};
  double weight[2] = {0, 0};
  for (const auto& [rid, r] : s.results) {
    if (r.participants <= 0 || (r.year != year && r.year != year - 1)) continue;
    const int k = r.year == year ? 0 : 1;
    sum[k] += static_cast<double>(r.participants) * r.share_below_min;
    weight[k] += static_cast<double>(r.participants);
  }
  if (weight[0] > 0 && weight[1] > 0) f.better_results = sum[0] / weight[0] < sum[1] / weight[1];
  return f;
}

SchoolProgress Dashboard::Impl::Compute(const Uuid& id, const SchoolRecords& s, Date as_of, RiskInputs& inputs) const {
  SchoolProgress p;
  p.school_id = id;
  if (s.school) {
    p.name = s.school->short_name.empty() ? s.school->name : s.school->short_name;
    p.district = s.school->district;
    p.teachers = static_cast<int>(s.school->teachers);
  }
  if (p.teachers <= 0) p.teachers = static_cast<int>(s.teachers.size());

  // Contacts by month: the 12 months up to as_of's.
  const int last_month = as_of.year() * 12 + as_of.month() - 1;
  p.contacts_by_month.resize(12);
  for (int i = 0; i < 12; ++i) {
    const int m = last_month - 11 + i;
    p.contacts_by_month[i].year = m / 12;
    p.contacts_by_month[i].month = m % 12 + 1;
  }
  const Date half_start = PreviousHalfYearEnd(as_of).AddDays(1);
  std::map<Uuid, PersonActivity> activity;
  auto contact = [&](Date d, int MonthContacts::*counter, std::span<const Uuid> people,
                     int PersonActivity::*per_person) {
    if (d > as_of) return;
    if (!p.last_contact || d > *p.last_contact) p.last_contact = d;
    const Date::YearMonthDay c = d.ymd();
    const int m = c.year * 12 + c.month - 1;
    if (m > last_month - 12) ++(p.contacts_by_month[m - (last_month - 11)].*counter);
    if (d >= half_start) {
      for (const Uuid& who : people) {
        activity[who].person_id = who;
        ++(activity[who].*per_person);
      }
    }
  };
  for (const auto& [vid, v] : s.visits) contact(v.date, &MonthContacts::visits, v.visitor_ids, &PersonActivity::visits);
  for (const auto& [oid, o] : s.observations) {
    contact(o.date, &MonthContacts::observations, std::span(&o.observer_id, 1), &PersonActivity::observations);
  }
  for (const auto& [cid, c] : s.consultations) {
    contact(c.date, &MonthContacts::consultations, std::span(&c.consultant_id, 1), &PersonActivity::consultations);
  }
  p.days_since_contact = DaysSinceContact(p.last_contact, as_of);

  // Teachers observed this school year; rubric means by term; per teacher. Criteria and
  // domains are interned (criterion_codes_, domain_codes_): the means are vectors, not maps.
  const Date year_start = Date::FromYmd(SchoolYearOf(as_of), 9, 1).value();
  const size_t criteria_n = criterion_codes_.size();
  const size_t domains_n = domain_codes_.size();
  std::set<Uuid> observed;
  struct TermAcc {
    int observations = 0;
    Mean all;
    std::vector<Mean> criteria;
    std::vector<Mean> domains;
  };
  std::map<Term, TermAcc> terms;
  struct Seen {
    Date date;
    Uuid id;
    double mean;
    bool scored;
    size_t levels_begin, levels_end;  // in `levels`
  };
  std::vector<std::pair<int, double>> levels;  // (criterion, level) of every scored criterion
  std::map<Uuid, std::vector<Seen>> by_teacher;
  static const std::vector<int> kNoDomains;
  for (const auto& [oid, o] : s.observations) {
    if (o.date > as_of) continue;
    if (o.date >= year_start) observed.insert(o.teacher_id);
    auto d = domains_.find({o.rubric_code, o.rubric_version});
    const std::vector<int>& domain_of = d == domains_.end() ? kNoDomains : d->second;
    TermAcc& acc = terms[TermOf(o.date)];
    if (acc.criteria.empty()) {
      acc.criteria.resize(criteria_n);
      acc.domains.resize(domains_n);
    }
    ++acc.observations;
    Seen seen{o.date, oid, 0, false, levels.size(), levels.size()};
    Mean own;
    if (auto sc = scores_.find(oid); sc != scores_.end()) {
      for (const Score& score : sc->second) {
        if (score.level < 0) continue;  // not observed
        const double level = score.level;
        acc.all.Add(level);
        acc.criteria[score.criterion].Add(level);
        const size_t c = static_cast<size_t>(score.criterion);
        acc.domains[c < domain_of.size() ? domain_of[c] : 0].Add(level);
        own.Add(level);
        levels.emplace_back(score.criterion, level);
      }
    }
    seen.levels_end = levels.size();
    seen.scored = own.n > 0;
    seen.mean = own.value();
    by_teacher[o.teacher_id].push_back(seen);
  }
  p.teachers_observed_this_year = static_cast<int>(observed.size());
  if (p.teachers > 0) {
    p.share_teachers_observed = std::min(1.0, static_cast<double>(observed.size()) / p.teachers);
  }
  // First and latest mean of each criterion or domain (by interned index).
  std::vector<RubricChange> criteria(criteria_n);
  std::vector<RubricChange> domain_changes(domains_n);
  auto track = [](RubricChange& c, Term term, const Mean& m) {
    if (m.n == 0) return;
    if (c.scores == 0) {
      c.first_term = term;
      c.first_mean = m.value();
    }
    c.latest_term = term;
    c.latest_mean = m.value();
    c.scores += m.n;
  };
  for (const auto& [term, acc] : terms) {  // oldest first
    TermMeans tm;
    tm.term = term;
    tm.observations = acc.observations;
    tm.mean = acc.all.value();
    for (int c : criterion_order_) {
      if (acc.criteria[c].n == 0) continue;
      tm.by_criterion.emplace_back(criterion_codes_[c], acc.criteria[c].value());
      track(criteria[c], term, acc.criteria[c]);
    }
    for (int c : domain_order_) {
      if (acc.domains[c].n == 0) continue;
      tm.by_domain.emplace_back(domain_codes_[c], acc.domains[c].value());
      track(domain_changes[c], term, acc.domains[c]);
    }
    p.rubric_by_term.push_back(std::move(tm));
  }
  auto emit = [](std::vector<RubricChange>& from, const std::vector<int>& order, const std::vector<std::string>& codes,
                 std::vector<RubricChange>& to) {
    for (int c : order) {
      if (from[c].scores == 0) continue;
      from[c].code = codes[c];
      to.push_back(std::move(from[c]));
    }
  };
  emit(criteria, criterion_order_, criterion_codes_, p.criteria);
  emit(domain_changes, domain_order_, domain_codes_, p.domains);

  for (auto& [teacher, seen] : by_teacher) {
    std::sort(seen.begin(), seen.end(),
              [](const Seen& a, const Seen& b) { return a.date != b.date ? a.date < b.date : a.id < b.id; });
    TeacherProgress t;
    t.teacher_id = teacher;
    t.name = NameOf(teacher);
    t.observations = static_cast<int>(seen.size());
    bool first = true;
    std::vector<RubricChange> per_criterion(criteria_n);
    for (const Seen& o : seen) {
      if (o.scored) {
        if (first) {
          t.first_date = o.date;
          t.first_mean = o.mean;
          first = false;
        }
        t.latest_date = o.date;
        t.latest_mean = o.mean;
      }
      const Term term = TermOf(o.date);
      for (size_t i = o.levels_begin; i < o.levels_end; ++i) {
        Mean m;
        m.Add(levels[i].second);
        track(per_criterion[levels[i].first], term, m);
      }
    }
    emit(per_criterion, criterion_order_, criterion_codes_, t.criteria);
    if (auto ds = deficits_.find(teacher); ds != deficits_.end()) {
      for (const auto& [did, def] : ds->second) t.open_deficits += def.closed_on ? 0 : 1;
    }
    p.teacher_progress.push_back(std::move(t));
  }
  std::sort(p.teacher_progress.begin(), p.teacher_progress.end(), [](const auto& a, const auto& b) {
    return a.name != b.name ? a.name < b.name : a.teacher_id < b.teacher_id;
  });

  // Recommendations.
  std::vector<int> days_to_close;
  for (const auto& [rid, r] : s.recommendations) {
    switch (r.status) {
      case RecommendationStatus::kOpen:
      case RecommendationStatus::kInProgress:
        ++p.recommendations.open;
        if (IsOverdue(r, as_of)) ++p.recommendations.overdue;
        if (r.responsible_id) {
          activity[*r.responsible_id].person_id = *r.responsible_id;
          ++activity[*r.responsible_id].open_recommendations;
        }
        break;
      case RecommendationStatus::kDone:
        ++p.recommendations.done;
        if (r.closed_on) days_to_close.push_back(r.closed_on->days() - r.created_on.days());
        break;
      case RecommendationStatus::kDropped:
        ++p.recommendations.dropped;
        break;
    }
  }
  const RecommendationFigures& rf = p.recommendations;
  if (rf.done + rf.open > 0) p.recommendations.completion_rate = static_cast<double>(rf.done) / (rf.done + rf.open);
  if (!days_to_close.empty()) p.recommendations.median_days_to_close = Median(days_to_close);

  // Results by year, assessment and subject.
  struct ResultAcc {
    int64_t participants = 0;
    double mean = 0;
    double below = 0;
    double top = 0;
  };
  std::map<std::tuple<int64_t, Assessment, std::string>, ResultAcc> results;
  for (const auto& [rid, r] : s.results) {
    if (r.participants <= 0) continue;
    ResultAcc& acc = results[{r.year, r.assessment, FoldCase(r.subject)}];
    acc.participants += r.participants;
    acc.mean += static_cast<double>(r.participants) * r.mean_score;
    acc.below += static_cast<double>(r.participants) * r.share_below_min;
    acc.top += static_cast<double>(r.participants) * r.share_top;
  }
  for (const auto& [key, acc] : results) {
    const double w = static_cast<double>(acc.participants);
    p.results.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), acc.participants, acc.mean / w,
                         acc.below / w, acc.top / w});
  }

  // Milestones.
  if (s.school) {
    p.milestones.transition_programme = s.school->transition_programme;
    p.milestones.transition_programme_adopted_on = s.school->transition_programme_adopted_on;
    p.milestones.management_team_trained = s.school->management_team_trained;
  }
  ForEachAgreementOf(id, [&](const Uuid& aid, const NetworkAgreement& a) {
    if (!Live(a, as_of)) return;
    if (p.milestones.network_agreement_signed_on && *p.milestones.network_agreement_signed_on > a.signed_on) return;
    p.milestones.network_agreement_id = aid;
    p.milestones.network_agreement_number = a.number;
    p.milestones.network_agreement_signed_on = a.signed_on;
  });

  // Facts for the district view, now and at the end of the previous half-year.
  p.now = FactsAt(s, id, as_of, p.teachers);
  p.previous = FactsAt(s, id, PreviousHalfYearEnd(as_of), p.teachers);
  p.low_results = p.now.low_results;
  p.supported = p.now.supported;
  for (const auto& [cid, c] : s.status_changes)
    p.status_history.push_back({c.changed_on, c.statuses, c.reason, c.round_id});
  std::stable_sort(p.status_history.begin(), p.status_history.end(),
                   [](const StatusStep& a, const StatusStep& b) { return a.on < b.on; });
  // Two coordinators closing one round at once on two devices both freeze it: the result with the
  // lowest id counts, the same on every device (round_results is ordered by id).
  std::set<Uuid> rounds_seen;
  for (const auto& [rid, result] : s.round_results) {
    auto round = rounds_.find(result.round_id);
    if (round == rounds_.end() || !round->second.closed_on) continue;  // the round is not (yet) on this device
    if (!rounds_seen.insert(result.round_id).second) continue;
    SchoolRound r;
    r.round_id = result.round_id;
    r.name = round->second.name;
    r.kind = round->second.kind;
    r.ends_on = round->second.ends_on;
    r.statuses = result.statuses;
    r.risks = result.risks;
    if (auto figures = ParseRoundFigures(result.figures); figures.ok()) {
      r.facts = FactsFrom(*figures);
      if (auto v = figures->find("result_index"); v != figures->end()) r.result_index = v->second;
      if (auto q = figures->find("result_quartile"); q != figures->end() && q->second >= 0 && q->second <= 3) {
        r.result_quartile = static_cast<Quartile>(static_cast<int>(q->second));
      }
    }
    p.rounds.push_back(std::move(r));
  }
  std::sort(p.rounds.begin(), p.rounds.end(), [](const SchoolRound& a, const SchoolRound& b) {
    return a.ends_on != b.ends_on ? a.ends_on < b.ends_on : a.name < b.name;
  });
  for (auto& [who, a] : activity) p.activity.push_back(a);
  std::set<Uuid> assigned;
  for (const auto& [aid, a] : s.assignments) {
    if (a.starts_on <= as_of && (!a.ends_on || *a.ends_on >= as_of)) assigned.insert(a.assignee_id);
  }
  p.assigned.assign(assigned.begin(), assigned.end());

  // What the risk rules read.
  const int64_t results_year = ResultsYearOf(as_of);
  std::map<std::string, int64_t> context_year;
  for (const auto& [cid, c] : s.context) {
    if (c.year > results_year) continue;
    auto [it, fresh] = context_year.try_emplace(c.indicator, c.year);
    if (fresh || c.year >= it->second) {
      it->second = c.year;
      inputs.context[c.indicator] = c.value;
    }
  }
  inputs.open_deficits = 0;
  for (const Uuid& t : s.teachers) {
    if (auto ds = deficits_.find(t); ds != deficits_.end()) {
      for (const auto& [did, def] : ds->second) inputs.open_deficits += def.closed_on ? 0 : 1;
    }
  }
  return p;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Indices and risks
// -----------------------------------------------------------------------------------------

void Dashboard::Impl::ComputeIndices(Date as_of) {
  const int64_t year = ResultsYearOf(as_of);
  if (!indices_dirty_ && wellbeing_year_ == year) return;
  std::vector<AssessmentResult> results;
  std::vector<ContextIndicator> context;
  std::set<int64_t> years;
  for (const auto& [sid, s] : schools_) {
    if (!s.school) continue;  // records of a school not in the set do not rank
    for (const auto& [rid, r] : s.results) {
      results.push_back(r);
      years.insert(r.year);
    }
    for (const auto& [cid, c] : s.context) context.push_back(c);
  }
  result_index_.clear();
  for (int64_t y : years) {
    for (const ResultIndex& r : ComputeResultIndex(results, y, config_.indices)) {
      result_index_[r.school_id].push_back({y, r.value, r.quartile});
    }
  }
  wellbeing_.clear();
  for (const WellbeingIndex& w : ComputeWellbeingIndex(context, year, config_.indices))
    wellbeing_[w.school_id] = w.value;
  wellbeing_year_ = year;
  indices_dirty_ = false;
}

namespace {

std::string Number(double v) {
  std::ostringstream out;
  out << std::round(v * 1000) / 1000;
  return out.str();
}

}  // namespace

void Dashboard::Impl::Finish(SchoolProgress& p, const RiskInputs& inputs, Date as_of) const {
  const int64_t results_year = ResultsYearOf(as_of);
  auto ri = result_index_.find(p.school_id);
  p.result_index = ri == result_index_.end() ? std::vector<IndexPoint>{} : ri->second;
  auto wb = wellbeing_.find(p.school_id);
  p.wellbeing = wb == wellbeing_.end() ? std::nullopt : std::optional<double>(wb->second);

  p.risks.clear();
  for (const RiskDirection& d : config_.risks) {
    for (const RiskRule& rule : d.rules) {
      std::optional<double> value;
      std::string name = rule.what;
      switch (rule.source) {
        case RiskSource::kContext:
          if (auto c = inputs.context.find(rule.what); c != inputs.context.end()) value = c->second;
          break;
        case RiskSource::kResults: {
          double sum = 0;
          double weight = 0;
          for (const ResultLine& r : p.results) {
            if (r.year != results_year || (rule.assessment && *rule.assessment != r.assessment)) continue;
            const double v = rule.what == "mean_score"        ? r.mean_score
                             : rule.what == "share_below_min" ? r.share_below_min
                                                              : r.share_top;
            sum += static_cast<double>(r.participants) * v;
            weight += static_cast<double>(r.participants);
          }
          if (weight > 0) value = sum / weight;
          if (rule.assessment) name = std::string(EnumCode(*rule.assessment)) + " " + name;
          break;
        }
        case RiskSource::kRubric:
          if (!p.rubric_by_term.empty()) {
            const TermMeans& latest = p.rubric_by_term.back();
            if (rule.what.empty()) {
              value = latest.mean;
            } else {
              for (const auto& [code, m] : latest.by_domain) {
                if (code == rule.what) value = m;
              }
            }
          }
          name = rule.what.empty() ? "rubric_mean" : "rubric " + rule.what;
          break;
        case RiskSource::kOpenDeficits:
          value = inputs.open_deficits;
          name = "open_deficits";
          break;
        case RiskSource::kOverdue:
          value = p.recommendations.overdue;
          name = "overdue_recommendations";
          break;
        case RiskSource::kResultQuartile:
          for (const IndexPoint& ip : p.result_index) {
            if (ip.year == results_year) value = static_cast<double>(static_cast<int>(ip.quartile));
          }
          name = "result_quartile";
          break;
      }
      if (!value) continue;
      std::string evidence;
      if (rule.above && *value > *rule.above) evidence = name + " = " + Number(*value) + " > " + Number(*rule.above);
      if (rule.below && *value < *rule.below) evidence = name + " = " + Number(*value) + " < " + Number(*rule.below);
      if (evidence.empty()) continue;
      p.risks.push_back({d.code, d.title, std::move(evidence)});
      break;  // one flag per direction: the first rule that holds
    }
  }
}

// -----------------------------------------------------------------------------------------
// [SECTION] District view
// -----------------------------------------------------------------------------------------

void Dashboard::Impl::BuildDistrict(Date as_of) {
  DistrictView v;
  v.as_of = as_of;
  v.previous_as_of = PreviousHalfYearEnd(as_of);
  v.results_year = ResultsYearOf(as_of);
  ordered_.clear();
  for (const auto& [id, p] : progress_) ordered_.push_back(&p);
  std::sort(ordered_.begin(), ordered_.end(), [](const SchoolProgress* a, const SchoolProgress* b) {
    return a->name != b->name ? a->name < b->name : a->school_id < b->school_id;
  });
  v.schools = static_cast<int>(ordered_.size());

  auto facts_of = [&](const SchoolFacts SchoolProgress::*when) {
    std::vector<const SchoolFacts*> out;
    out.reserve(ordered_.size());
    for (const SchoolProgress* p : ordered_) out.push_back(&(p->*when));
    return out;
  };
  const std::vector<const SchoolFacts*> now_facts = facts_of(&SchoolProgress::now);
  const std::vector<const SchoolFacts*> before_facts = facts_of(&SchoolProgress::previous);
  const DistrictFacts district_now = DistrictFactsAt(as_of);
  const DistrictFacts district_before = DistrictFactsAt(v.previous_as_of);
  std::set<std::string> districts;
  for (const SchoolProgress* p : ordered_) {
    v.supported += p->supported;
    districts.insert(p->district);
  }
  const std::map<ProgrammeIndicator, Target>* district_targets = nullptr;
  if (districts.size() == 1) {
    if (auto d = config_.targets_by_district.find(*districts.begin()); d != config_.targets_by_district.end()) {
      district_targets = &d->second;
    }
  }
  auto value_of = [&](ProgrammeIndicator which, const std::vector<const SchoolFacts*>& facts,
                      const DistrictFacts& district) {
    IndicatorValue iv;
    iv.indicator = which;
    const Count now = CountIndicator(which, facts, district);
    iv.numerator = now.num;
    iv.denominator = now.den;
    if (now.den > 0) iv.value = static_cast<double>(now.num) / static_cast<double>(now.den);
    if (auto t = config_.targets.find(which); t != config_.targets.end()) iv.target = t->second;
    if (district_targets) {
      if (auto t = district_targets->find(which); t != district_targets->end()) iv.target = t->second;
    }
    if (iv.value && iv.target)
      iv.met = iv.target->at_most ? *iv.value <= iv.target->value : *iv.value >= iv.target->value;
    return iv;
  };
  for (ProgrammeIndicator which : kAllProgrammeIndicators) {
    IndicatorValue iv = value_of(which, now_facts, district_now);
    const Count before = CountIndicator(which, before_facts, district_before);
    if (before.den > 0) iv.previous = static_cast<double>(before.num) / static_cast<double>(before.den);
    v.indicators.push_back(iv);
  }

  // Monitoring rounds: a closed one with its frozen figures, an open one with the schools it covers.
  std::map<Uuid, std::vector<SchoolFacts>> frozen;  // round -> its schools' facts
  for (const SchoolProgress* p : ordered_) {
    for (const SchoolRound& r : p->rounds) frozen[r.round_id].push_back(r.facts);
  }
  for (const auto& [rid, round] : rounds_) {
    RoundView rv;
    rv.round_id = rid;
    rv.name = round.name;
    rv.kind = round.kind;
    rv.starts_on = round.starts_on;
    rv.ends_on = round.ends_on;
    rv.closed_on = round.closed_on;
    if (round.closed_on) {
      std::vector<const SchoolFacts*> facts;
      for (const SchoolFacts& f : frozen[rid]) {
        facts.push_back(&f);
        rv.supported += f.supported;
        rv.low_results += f.low_results;
      }
      rv.schools = static_cast<int>(facts.size());
      DistrictFacts district;
      if (auto figures = ParseRoundFigures(round.district_figures); figures.ok()) {
        district.roadmap_due = static_cast<int>((*figures)["roadmap_due"]);
        district.roadmap_on_time = static_cast<int>((*figures)["roadmap_on_time"]);
      }
      for (ProgrammeIndicator which : kAllProgrammeIndicators)
        rv.indicators.push_back(value_of(which, facts, district));
    } else {
      for (const SchoolProgress* p : ordered_) rv.schools += RoundCovers(round, p->school_id);
    }
    v.rounds.push_back(std::move(rv));
  }
  std::sort(v.rounds.begin(), v.rounds.end(), [](const RoundView& a, const RoundView& b) {
    return a.ends_on != b.ends_on ? a.ends_on < b.ends_on : a.name < b.name;
  });

  // Ranking and "no contact".
  for (const SchoolProgress* p : ordered_) {
    RankedSchool r;
    r.school_id = p->school_id;
    r.name = p->name;
    for (const IndexPoint& ip : p->result_index) {
      if (ip.year == v.results_year) r.result_index = ip;
    }
    r.days_since_contact = p->days_since_contact;
    r.overdue = p->recommendations.overdue;
    r.risks = static_cast<int>(p->risks.size());
    if (r.result_index && r.result_index->quartile == Quartile::kLow) {
      r.why.push_back({"ИОР: " + std::string(QuartileLabel(Quartile::kLow, Language::kRussian)),
                       "Result index: " + std::string(QuartileLabel(Quartile::kLow, Language::kEnglish))});
    }
    if (p->now.better_results == false)
      r.why.push_back({"результаты хуже прошлого года", "results worse than last year"});
    if (!r.days_since_contact) {
      r.why.push_back({"не было контактов", "never contacted"});
    } else if (*r.days_since_contact > config_.no_contact_days) {
      const std::string days = std::to_string(*r.days_since_contact);
      r.why.push_back({"нет контакта " + days + " дн.", "no contact for " + days + " days"});
    }
    if (r.overdue > 0) {
      const std::string n = std::to_string(r.overdue);
      r.why.push_back({"просрочено рекомендаций: " + n, "overdue recommendations: " + n});
    }
    for (const RiskFlag& f : p->risks) r.why.push_back(f.title);
    if (WithoutContact(r.days_since_contact, config_.no_contact_days)) v.no_contact.push_back(r);
    v.ranking.push_back(std::move(r));
  }
  std::stable_sort(v.ranking.begin(), v.ranking.end(), [](const RankedSchool& a, const RankedSchool& b) {
    if (a.result_index.has_value() != b.result_index.has_value()) return a.result_index.has_value();
    if (a.result_index && a.result_index->value != b.result_index->value) {
      return a.result_index->value < b.result_index->value;
    }
    return a.risks > b.risks;  // then by name (ordered_ is by name)
  });
  std::stable_sort(v.no_contact.begin(), v.no_contact.end(), [](const RankedSchool& a, const RankedSchool& b) {
    return a.days_since_contact.value_or(INT32_MAX) > b.days_since_contact.value_or(INT32_MAX);
  });

  // Workload of every mentor and tutor.
  std::map<Uuid, Workload> load;
  for (const Uuid& id : staff_) {
    const Person& person = people_.at(id);
    const bool mentor = std::find(person.roles.begin(), person.roles.end(), Role::kMentor) != person.roles.end();
    const bool tutor = std::find(person.roles.begin(), person.roles.end(), Role::kTutor) != person.roles.end();
    Workload& w = load[id];
    w.person_id = id;
    w.name = person.full_name;
    w.mentor = mentor;
    w.tutor = tutor;
  }
  for (const SchoolProgress* p : ordered_) {
    for (const Uuid& who : p->assigned) {
      if (auto w = load.find(who); w != load.end()) ++w->second.schools;
    }
    for (const PersonActivity& a : p->activity) {
      auto w = load.find(a.person_id);
      if (w == load.end()) continue;
      w->second.visits += a.visits;
      w->second.observations += a.observations;
      w->second.consultations += a.consultations;
      w->second.open_recommendations += a.open_recommendations;
    }
  }
  for (auto& [id, w] : load) v.workload.push_back(std::move(w));
  std::sort(v.workload.begin(), v.workload.end(), [](const Workload& a, const Workload& b) {
    return a.name != b.name ? a.name < b.name : a.person_id < b.person_id;
  });
  district_ = std::move(v);
}

// -----------------------------------------------------------------------------------------
// Dashboard
// -----------------------------------------------------------------------------------------

Dashboard::Dashboard(DashboardConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Dashboard::~Dashboard() = default;
Dashboard::Dashboard(Dashboard&&) noexcept = default;
Dashboard& Dashboard::operator=(Dashboard&&) noexcept = default;

Status Dashboard::Apply(const RecordState& state) {
  if (state.deleted) {
    impl_->Remove(state.id);
    return Status::Ok();
  }
  return VisitKind(state.kind, [&]<class R>() -> Status {
    ASSIGN_OR_RETURN(R record, RecordFromState<R>(state));
    impl_->Insert(record);
    return Status::Ok();
  });
}

template <class R>
void Dashboard::Put(const R& record) {
  impl_->Insert(record);
}
#define MENTORLOG_DASHBOARD_PUT(R) template void Dashboard::Put(const R&);
MENTORLOG_RECORD_TYPES(MENTORLOG_DASHBOARD_PUT)
#undef MENTORLOG_DASHBOARD_PUT

void Dashboard::Remove(const Uuid& id) { impl_->Remove(id); }

void Dashboard::Refresh(Date as_of) {
  Impl& d = *impl_;
  if (!d.as_of_ || *d.as_of_ != as_of) d.all_dirty_ = true;
  d.as_of_ = as_of;
  const bool indices_changed = d.indices_dirty_ || d.wellbeing_year_ != ResultsYearOf(as_of);
  d.ComputeIndices(as_of);
  d.last_recomputed_ = 0;
  auto recompute = [&](const Uuid& id) {
    auto s = d.schools_.find(id);
    if (s == d.schools_.end() || !s->second.school) {  // deleted, or its records came first
      d.progress_.erase(id);
      d.risk_inputs_.erase(id);
      return;
    }
    RiskInputs inputs;
    d.progress_[id] = d.Compute(id, s->second, as_of, inputs);
    d.risk_inputs_[id] = std::move(inputs);
    d.Finish(d.progress_[id], d.risk_inputs_[id], as_of);
    ++d.last_recomputed_;
  };
  if (d.all_dirty_) {
    d.progress_.clear();
    d.risk_inputs_.clear();
    for (const auto& [id, s] : d.schools_) recompute(id);
  } else {
    for (const Uuid& id : d.dirty_) recompute(id);
    if (indices_changed) {  // every school's place may have moved: indices and risks again
      for (auto& [id, p] : d.progress_) d.Finish(p, d.risk_inputs_[id], as_of);
    }
  }
  d.dirty_.clear();
  d.all_dirty_ = false;
  d.BuildDistrict(as_of);
}

const DistrictView& Dashboard::district() const { return impl_->district_; }
const std::vector<const SchoolProgress*>& Dashboard::schools() const { return impl_->ordered_; }
const SchoolProgress* Dashboard::Find(const Uuid& school_id) const {
  auto p = impl_->progress_.find(school_id);
  return p == impl_->progress_.end() ? nullptr : &p->second;
}
int Dashboard::last_recomputed() const { return impl_->last_recomputed_; }

Dashboard::Freeze Dashboard::FreezeRound(const MonitoringRound& round) const {
  const Impl& d = *impl_;
  const Date on = round.ends_on;
  const int64_t results_year = ResultsYearOf(on);
  Freeze out;
  for (const SchoolProgress* listed : d.ordered_) {
    if (!RoundCovers(round, listed->school_id)) continue;
    const SchoolRecords& s = d.schools_.at(listed->school_id);
    RiskInputs inputs;
    SchoolProgress p = d.Compute(listed->school_id, s, on, inputs);
    d.Finish(p, inputs, on);
    RoundResult r;
    r.round_id = round.id;
    r.school_id = listed->school_id;
    r.statuses = StatusesAt(s, on);
    RoundFigures figures;
    AddFacts(p.now, figures);
    for (const IndexPoint& ip : p.result_index) {
      if (ip.year != results_year) continue;
      figures["result_index"] = ip.value;
      figures["result_quartile"] = static_cast<int>(ip.quartile);
      figures["results_year"] = static_cast<double>(ip.year);
    }
    figures["overdue_recommendations"] = p.recommendations.overdue;
    figures["open_recommendations"] = p.recommendations.open;
    r.figures = FormatRoundFigures(figures);
    for (const RiskFlag& flag : p.risks) r.risks.push_back(flag.code);
    out.results.push_back(std::move(r));
  }
  const DistrictFacts district = d.DistrictFactsAt(on);
  out.district_figures =
      FormatRoundFigures({{"roadmap_due", district.roadmap_due}, {"roadmap_on_time", district.roadmap_on_time}});
  return out;
}
int64_t Dashboard::records() const { return static_cast<int64_t>(impl_->where_.size()); }

}  // namespace mentorlog::core
