// Per-school progress and the district view: the figures of DOMAIN.md's "What is computed",
// the same code on a device (the user's scope, offline) and on the server (a district, a
// region). Every figure is defined in docs/metrics.md; thresholds, risk rules and targets are
// configuration (assets/dashboard.toml, assets/indices.toml), not code.
//
// A Dashboard is fed records as states, the form both the device's store and the server's
// storage produce, and keeps them by school. Refresh() recomputes only the schools whose
// records changed since the last refresh, then the district view from the per-school figures:
// after a sync of k records it costs O(records of the <= k schools they touch + schools), not
// O(store).
//
//   ASSIGN_OR_RETURN(DashboardConfig config, LoadDashboardConfig(DefaultAssetsDir()));
//   Dashboard dashboard(std::move(config));
//   RETURN_IF_ERROR(store.ForEachLiveState([&](const RecordState& s) { return dashboard.Apply(s); }));
//   dashboard.Refresh(store.Today());
//   const DistrictView& district = dashboard.district();
//
// The figures do not depend on a language: every text in them is a LocalText (both languages),
// so one Dashboard serves Russian and English callers alike.
//
// Thread safety: a Dashboard is a value owned by one thread at a time; the app builds and
// refreshes one on a worker thread and publishes copies of the results.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/indices.h"
#include "mentorlog/domain/record_state.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/domain/rubric.h"
#include "mentorlog/domain/rules.h"
#include "mentorlog/domain/types.h"

namespace mentorlog::core {

// -----------------------------------------------------------------------------------------
// Configuration
// -----------------------------------------------------------------------------------------

// What a risk rule reads. Each rule compares one figure of the school with a threshold.
enum class RiskSource {
  kContext,         // `what` = a context indicator code, its latest year up to the results year
  kResults,         // `what` = mean_score | share_below_min | share_top, the results year's
                    // participant-weighted value (optionally of one assessment)
  kRubric,          // `what` = a rubric domain code, or "" for every criterion: the latest term's mean level
  kOpenDeficits,    // open professional deficits of the school's teachers
  kOverdue,         // overdue recommendations
  kResultQuartile,  // the ИОР quartile of the results year: 0 low .. 3 high
};

struct RiskRule {
  RiskSource source = RiskSource::kContext;
  std::string what;
  std::optional<Assessment> assessment;  // kResults only
  std::optional<double> above;           // holds when value > above
  std::optional<double> below;           // holds when value < below
};

// One risk direction (the federal "500+" list by default): flagged when any rule holds.
// A direction with no rule is listed and never flagged (no record says it).
struct RiskDirection {
  std::string code;
  LocalText title;
  std::vector<RiskRule> rules;
};

// The programme indicators of the district view.
enum class ProgrammeIndicator {
  kSupportedInPartnership,   // supported schools with a live network agreement
  kSchoolsInNetwork,         // all schools party to a live network agreement
  kTeachersInNetworkEvents,  // teachers at a network event in the 12 months
  kTeachersTrained,          // teachers with a course completed in the 12 months
  kSupportedBetterResults,   // supported schools whose results beat last year's
  kLowResultsShare,          // low-results schools among all schools (lower is better)
  kDeficitsClosed,           // deficits open in the 12 months that were closed
  kRoutesOnTrack,            // teachers with a route (ИОМ) none of whose items is overdue
  kRoadmapOnTime,            // roadmap items due in the 12 months done by their end date
  kPlanItemsDone,            // work plan items planned in the 12 months that were done
};
// In enum order (DistrictView::indicators[i] is the i-th). Every definition, with its period
// and edge cases: docs/metrics.md.
inline constexpr ProgrammeIndicator kAllProgrammeIndicators[] = {
    ProgrammeIndicator::kSupportedInPartnership,  ProgrammeIndicator::kSchoolsInNetwork,
    ProgrammeIndicator::kTeachersInNetworkEvents, ProgrammeIndicator::kTeachersTrained,
    ProgrammeIndicator::kSupportedBetterResults,  ProgrammeIndicator::kLowResultsShare,
    ProgrammeIndicator::kDeficitsClosed,          ProgrammeIndicator::kRoutesOnTrack,
    ProgrammeIndicator::kRoadmapOnTime,           ProgrammeIndicator::kPlanItemsDone,
};
std::string_view ProgrammeIndicatorCode(ProgrammeIndicator indicator);  // "supported_in_partnership", ...
std::string_view ProgrammeIndicatorLabel(ProgrammeIndicator indicator, Language language);

struct Target {
  double value = 0;      // a share, 0..1
  bool at_most = false;  // true: the share must not exceed value (low-results share)
  friend bool operator==(const Target&, const Target&) = default;
};

struct DashboardConfig {
  IndexConfig indices;
  int no_contact_days = kDefaultNoContactDays;  // "no contact in N days" (rules.h WithoutContact)
  std::vector<RiskDirection> risks;
  std::map<ProgrammeIndicator, Target> targets;  // an indicator without a target shows none
  // A district's own targets (district name as in the schools' `district` field), over
  // `targets` when every school of the set is in that district: a target one district states
  // (Кромы's 7.1 % low-results schools, 002) is never assumed for another.
  std::map<std::string, std::map<ProgrammeIndicator, Target>> targets_by_district;
};

// Reads `assets_dir`/indices.toml and `assets_dir`/dashboard.toml. Errors name the file, the
// line and the key (InvalidInput), or the missing file (NotFound).
Result<DashboardConfig> LoadDashboardConfig(const std::filesystem::path& assets_dir);
// The dashboard.toml part alone, into `config` (indices untouched).
Status ParseDashboardConfig(std::string_view toml, std::string_view source, DashboardConfig& config);

// -----------------------------------------------------------------------------------------
// Calendar
// -----------------------------------------------------------------------------------------

// A term of a school year. The school year starts on 1 September (2026 = 2026/27); terms are
// Sep-Oct (1), Nov-Dec (2), Jan-Mar (3), Apr-Aug (4).
struct Term {
  int school_year = 0;
  int term = 1;
  friend auto operator<=>(const Term&, const Term&) = default;
};
Term TermOf(Date date);
int SchoolYearOf(Date date);
std::string TermLabel(Term term, Language language);  // "2026/27, 1 четв." / "2026/27 T1"
// The assessment year whose results are "this year's" on `date`: the calendar year from July
// (when ОГЭ/ЕГЭ results are in), the year before until June.
int ResultsYearOf(Date date);
// The last day of the half-year before the one `date` is in (monitoring is twice a year).
Date PreviousHalfYearEnd(Date date);

// -----------------------------------------------------------------------------------------
// Per-school progress
// -----------------------------------------------------------------------------------------

struct MonthContacts {
  int year = 0;
  int month = 1;  // 1..12
  int visits = 0;
  int observations = 0;
  int consultations = 0;
  int total() const { return visits + observations + consultations; }
  friend bool operator==(const MonthContacts&, const MonthContacts&) = default;
};

// A rubric figure's first and latest value: per criterion, per domain or for a teacher.
struct RubricChange {
  std::string code;  // criterion or domain code ("" = every criterion)
  Term first_term;
  double first_mean = 0;
  Term latest_term;
  double latest_mean = 0;
  int scores = 0;  // levels counted over all terms ("not observed" never counts)
  friend bool operator==(const RubricChange&, const RubricChange&) = default;
};

struct TermMeans {
  Term term;
  int observations = 0;
  double mean = 0;                                           // every level of the term
  std::vector<std::pair<std::string, double>> by_criterion;  // sorted by code
  std::vector<std::pair<std::string, double>> by_domain;     // sorted by code
  friend bool operator==(const TermMeans&, const TermMeans&) = default;
};

struct TeacherProgress {
  Uuid teacher_id;
  std::string name;  // "" when the person is not in the set
  int observations = 0;
  Date first_date;
  double first_mean = 0;  // the mean level of the first observation with a level
  Date latest_date;
  double latest_mean = 0;
  std::vector<RubricChange> criteria;  // per criterion: first vs latest observation with it
  int open_deficits = 0;
  friend bool operator==(const TeacherProgress&, const TeacherProgress&) = default;
};

struct RecommendationFigures {
  int open = 0;     // open or in progress
  int overdue = 0;  // of those, due before as_of
  int done = 0;
  int dropped = 0;
  std::optional<double> completion_rate;       // done / (done + open); none when both are 0
  std::optional<double> median_days_to_close;  // over done ones with a closed_on
  friend bool operator==(const RecommendationFigures&, const RecommendationFigures&) = default;
};

struct ResultLine {
  int64_t year = 0;
  Assessment assessment = Assessment::kVpr;
  std::string subject;  // folded to lower case
  int64_t participants = 0;
  double mean_score = 0;       // participant-weighted over grades
  double share_below_min = 0;  // participant-weighted
  double share_top = 0;        // participant-weighted
  friend bool operator==(const ResultLine&, const ResultLine&) = default;
};

struct IndexPoint {
  int64_t year = 0;
  double value = 0;
  Quartile quartile = Quartile::kLow;
  friend bool operator==(const IndexPoint&, const IndexPoint&) = default;
};

struct RiskFlag {
  std::string code;
  LocalText title;
  std::string evidence;  // which rule held, with the figure: "teacher_vacancies = 3 > 0"
  friend bool operator==(const RiskFlag&, const RiskFlag&) = default;
};

struct Milestones {
  TransitionProgramme transition_programme = TransitionProgramme::kNone;
  std::optional<Date> transition_programme_adopted_on;
  std::optional<Uuid> network_agreement_id;  // a live agreement of the school (either side)
  std::string network_agreement_number;
  std::optional<Date> network_agreement_signed_on;
  bool management_team_trained = false;
  friend bool operator==(const Milestones&, const Milestones&) = default;
};

// What the district view needs from a school at one date. A closed monitoring round keeps its
// schools' facts (rounds.h), so every field here is also a figure of RoundResult::figures.
struct SchoolFacts {
  bool supported = false;       // a low-results or adverse-conditions school on the date (rounds.h StatusesOn)
  bool low_results = false;     // a low-results school on the date
  bool in_partnership = false;  // supported and party to a live agreement
  bool in_network = false;      // party to a live agreement
  int teachers = 0;
  int teachers_in_network_events = 0;  // teachers (people of the school) at a network event
  int teachers_trained = 0;            // teachers with a course completed
  int deficits = 0;                    // deficits of its teachers open at some time in the period
  int deficits_closed = 0;             // of them, closed by the date
  int teachers_with_route = 0;
  int routes_on_track = 0;             // of them, with no item overdue
  int roadmap_due = 0;                 // the school's roadmap items due in the period (not cancelled)
  int roadmap_on_time = 0;             // of them, done by their end date
  int plan_due = 0;                    // work plan items at the school planned in the period
  int plan_done = 0;                   // of them, done
  std::optional<bool> better_results;  // none without results in both years
  friend bool operator==(const SchoolFacts&, const SchoolFacts&) = default;
};

// A closed monitoring round as one school's figures were frozen in it (a RoundResult read back).
struct SchoolRound {
  Uuid round_id;
  std::string name;
  RoundKind kind = RoundKind::kEntry;
  Date ends_on;
  std::vector<SchoolStatus> statuses;
  SchoolFacts facts;
  std::optional<double> result_index;  // the ИОР of the round's results year
  std::optional<Quartile> result_quartile;
  std::vector<std::string> risks;  // the risk directions flagged (codes)
  friend bool operator==(const SchoolRound&, const SchoolRound&) = default;
};

// One step of a school's status history (a StatusChange).
struct StatusStep {
  Date on;
  std::vector<SchoolStatus> statuses;
  std::string reason;
  std::optional<Uuid> round_id;
  friend bool operator==(const StatusStep&, const StatusStep&) = default;
};

struct PersonActivity {
  Uuid person_id;
  int visits = 0;
  int observations = 0;
  int consultations = 0;
  int open_recommendations = 0;  // open ones of the school they are responsible for
  friend bool operator==(const PersonActivity&, const PersonActivity&) = default;
};

struct SchoolProgress {
  Uuid school_id;
  std::string name;
  std::string district;
  bool supported = false;  // low-results or adverse-conditions
  bool low_results = false;

  std::vector<MonthContacts> contacts_by_month;  // the 12 months up to as_of, oldest first
  std::optional<Date> last_contact;
  std::optional<int> days_since_contact;
  int teachers = 0;  // School::teachers, or the teachers in the set when that is 0
  int teachers_observed_this_year = 0;
  std::optional<double> share_teachers_observed;

  std::vector<TermMeans> rubric_by_term;          // oldest first
  std::vector<RubricChange> criteria;             // first vs latest term, per criterion
  std::vector<RubricChange> domains;              // first vs latest term, per domain
  std::vector<TeacherProgress> teacher_progress;  // by name

  RecommendationFigures recommendations;
  std::vector<ResultLine> results;       // by year, assessment, subject
  std::vector<IndexPoint> result_index;  // by year
  std::optional<double> wellbeing;
  std::vector<RiskFlag> risks;  // in the config's order
  Milestones milestones;

  SchoolFacts now;                         // at as_of
  SchoolFacts previous;                    // at the end of the previous half-year
  std::vector<StatusStep> status_history;  // oldest first
  std::vector<SchoolRound> rounds;         // the closed rounds it was in, by end date
  std::vector<PersonActivity> activity;    // contacts in the current half-year, by person id
  std::vector<Uuid> assigned;              // mentors and tutors assigned at as_of
  friend bool operator==(const SchoolProgress&, const SchoolProgress&) = default;
};

// -----------------------------------------------------------------------------------------
// District view
// -----------------------------------------------------------------------------------------

struct IndicatorValue {
  ProgrammeIndicator indicator = ProgrammeIndicator::kSupportedInPartnership;
  int64_t numerator = 0;
  int64_t denominator = 0;
  std::optional<double> value;     // numerator / denominator; none when the denominator is 0
  std::optional<double> previous;  // the same at the end of the previous half-year
  std::optional<Target> target;
  std::optional<bool> met;  // none without a value or a target
  friend bool operator==(const IndicatorValue&, const IndicatorValue&) = default;
};

struct RankedSchool {
  Uuid school_id;
  std::string name;
  std::optional<IndexPoint> result_index;  // the results year's
  std::optional<int> days_since_contact;
  int overdue = 0;
  int risks = 0;
  std::vector<LocalText> why;  // lagging reasons, in both languages (shown in the caller's)
  friend bool operator==(const RankedSchool&, const RankedSchool&) = default;
};

struct Workload {
  Uuid person_id;
  std::string name;
  bool mentor = false;
  bool tutor = false;
  int schools = 0;  // assigned at as_of
  int visits = 0;   // in the current half-year up to as_of
  int observations = 0;
  int consultations = 0;
  int open_recommendations = 0;  // they are responsible for
  friend bool operator==(const Workload&, const Workload&) = default;
};

// A monitoring round in the district view. A closed round's figures are those frozen when it
// was closed (its RoundResults and district figures), so rounds compare exactly side by side.
struct RoundView {
  Uuid round_id;
  std::string name;
  RoundKind kind = RoundKind::kEntry;
  Date starts_on;
  Date ends_on;
  std::optional<Date> closed_on;
  int schools = 0;                         // closed: with a result; open: covered now
  int supported = 0;                       // closed rounds only
  int low_results = 0;                     // closed rounds only
  std::vector<IndicatorValue> indicators;  // closed rounds only, kAllProgrammeIndicators order (no previous)
  friend bool operator==(const RoundView&, const RoundView&) = default;
};

struct DistrictView {
  Date as_of;
  Date previous_as_of;
  int64_t results_year = 0;
  int schools = 0;
  int supported = 0;
  std::vector<IndicatorValue> indicators;  // kAllProgrammeIndicators order
  std::vector<RankedSchool> ranking;       // lagging first: lowest ИОР, then most risks, then name
  std::vector<RankedSchool> no_contact;    // no contact in no_contact_days (or never), longest first
  std::vector<Workload> workload;          // mentors and tutors, by name
  std::vector<RoundView> rounds;           // by end date, then name
  friend bool operator==(const DistrictView&, const DistrictView&) = default;
};

// -----------------------------------------------------------------------------------------
// The dashboard
// -----------------------------------------------------------------------------------------

class Dashboard {
 public:
  explicit Dashboard(DashboardConfig config);
  ~Dashboard();
  Dashboard(Dashboard&&) noexcept;
  Dashboard& operator=(Dashboard&&) noexcept;

  // Takes a record as it now is: a live state replaces the record, a tombstone removes it.
  // Marks the schools it touches (before and after) for the next Refresh.
  // Errors: Corruption when a value cannot be read as its field's type (the record is skipped).
  Status Apply(const RecordState& state);
  template <class R>
  void Put(const R& record);  // the same for a typed record (tests, imports)
  void Remove(const Uuid& id);

  // Recomputes the touched schools and the district view as of `as_of`. A new `as_of` (or the
  // first call) recomputes every school.
  void Refresh(Date as_of);

  const DistrictView& district() const;
  // Every school of the set, by name. nullptr from Find when the school is unknown.
  const std::vector<const SchoolProgress*>& schools() const;
  const SchoolProgress* Find(const Uuid& school_id) const;
  // How many schools the last Refresh recomputed (for tests and benchmarks).
  int last_recomputed() const;
  int64_t records() const;  // records held

  // The figures a round freezes (rounds.h CloseRound): one RoundResult (no id) for each school of
  // the set the round covers, as of the round's end date, and the district's own figures. Call
  // after Refresh (the indices are the last Refresh's).
  struct Freeze {
    std::vector<RoundResult> results;
    std::string district_figures;
  };
  Freeze FreezeRound(const MonitoringRound& round) const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace mentorlog::core
