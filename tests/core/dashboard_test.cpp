// Per-school progress and the district view against values worked out by hand (docs/metrics.md
// shows the same fixture's arithmetic), the configuration's errors, the calendar, and the
// incremental refresh: a dashboard fed only the changed records equals one built from scratch.
#include "mentorlog/domain/dashboard.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>

#include "mentorlog/domain/demo.h"
#include "test_fixtures.h"
#include "workload.h"

namespace mentorlog::core {
namespace dashboard_testing {

using testing::Must;

Uuid Nth(int n) {
  char text[40];
  std::snprintf(text, sizeof text, "0195d000-0000-7000-8000-%012d", n);
  return Must(Uuid::Parse(text), "id");
}
Date On(const char* ymd) { return Must(Date::Parse(ymd), ymd); }
std::vector<std::string> Words(const std::vector<LocalText>& texts, Language language) {
  std::vector<std::string> out;
  for (const LocalText& t : texts) out.push_back(t.In(language));
  return out;
}

// The fixture's ids.
const Uuid kA = Nth(1), kB = Nth(2), kC = Nth(3);
const Uuid kT1 = Nth(11), kT2 = Nth(12), kMentor = Nth(13);
const Uuid kO1 = Nth(21), kO2 = Nth(22), kO3 = Nth(23);

constexpr char kDashboardToml[] = R"toml(
no_contact_days = 30
[targets]
supported_in_partnership = 1.0
schools_in_network = 0.5
low_results_share = 0.071
[targets_by_district."Д"]
low_results_share = 0.2

[[risk]]
code = "teacher_shortage"
ru = "Дефицит кадров"
en = "Teacher shortage"
[[risk.when]]
from = "context"
indicator = "teacher_vacancies"
above = 0

[[risk]]
code = "learning_failure"
ru = "Риск неуспешности"
en = "Risk of failing"
[[risk.when]]
from = "results"
measure = "share_below_min"
above = 0.25
[[risk.when]]
from = "result_quartile"
below = 1

[[risk]]
code = "teacher_competence"
ru = "Компетентность"
en = "Competence"
[[risk.when]]
from = "rubric"
domain = "aims"
below = 2.6

[[risk]]
code = "school_climate"
ru = "Климат"
en = "Climate"
)toml";

constexpr char kIndicesToml[] = R"toml(
[result_index]
years = 1
[[result_index.indicator]]
code = "vpr_below"
assessment = "vpr"
measure = "share_below_min"
higher_is_better = false
[[wellbeing.indicator]]
indicator = "low_income_share"
higher_is_better = false
)toml";

DashboardConfig TestConfig() {
  DashboardConfig config;
  config.indices = Must(ParseIndexConfig(kIndicesToml, "indices.toml"), "indices");
  Must(ParseDashboardConfig(kDashboardToml, "dashboard.toml", config), "dashboard");
  return config;
}

template <class R>
R WithId(R r, const Uuid& id) {
  r.id = id;
  return r;
}

// Three schools: A (low-results, 4 teachers, worked with), B (a leader, 10 teachers), C
// (adverse conditions, 2 teachers, never visited). As of 2026-11-20.
void Fill(Dashboard& d) {
  int next = 100;
  auto id = [&] { return Nth(next++); };
  School a;
  a.id = kA;
  a.name = "Школа А";
  a.district = "Д";
  a.teachers = 4;
  a.statuses = {SchoolStatus::kLowResults};
  a.transition_programme = TransitionProgramme::kAdopted;
  a.transition_programme_adopted_on = On("2026-02-01");
  School b = a;
  b.id = kB;
  b.name = "Школа Б";
  b.teachers = 10;
  b.statuses = {SchoolStatus::kLeader};
  b.transition_programme = TransitionProgramme::kNone;
  b.transition_programme_adopted_on.reset();
  School c = b;
  c.id = kC;
  c.name = "Школа В";
  c.teachers = 2;
  c.statuses = {SchoolStatus::kAdverseConditions};
  for (const School& s : {a, b, c}) d.Put(s);

  Person t1;
  t1.id = kT1;
  t1.full_name = "Иванова И. И.";
  t1.roles = {Role::kTeacher};
  t1.school_id = kA;
  Person t2 = t1;
  t2.id = kT2;
  t2.full_name = "Петрова П. П.";
  Person m;
  m.id = kMentor;
  m.full_name = "Наставник Н. Н.";
  m.roles = {Role::kMentor};
  for (const Person& p : {t1, t2, m}) d.Put(p);

  Assignment as;
  as.id = id();
  as.assignee_id = kMentor;
  as.school_id = kA;
  as.starts_on = On("2026-09-01");
  d.Put(as);

  for (const char* date : {"2026-11-10", "2026-10-05", "2025-11-25", "2026-12-01"}) {
    Visit v;
    v.id = id();
    v.school_id = kA;
    v.date = On(date);
    v.visitor_ids = {kMentor};
    d.Put(v);
  }
  for (const RubricTemplate& t : Must(LoadBundledRubrics(DefaultAssetsDir()), "rubrics")) d.Put(t);
  auto observe = [&](const Uuid& oid, const Uuid& teacher, const char* date, ObservationKind kind,
                     std::vector<std::pair<std::string, std::optional<int64_t>>> levels) {
    Observation o;
    o.id = oid;
    o.school_id = kA;
    o.teacher_id = teacher;
    o.observer_id = kMentor;
    o.kind = kind;
    o.date = On(date);
    o.rubric_code = "lesson_observation";
    o.rubric_version = 1;
    d.Put(o);
    for (const auto& [criterion, level] : levels) {
      ObservationScore s;
      s.id = id();
      s.observation_id = oid;
      s.criterion_code = criterion;
      s.level = level;
      d.Put(s);
    }
  };
  // aims_clear is in domain "aims", feedback in "assessment".
  observe(kO1, kT1, "2026-09-15", ObservationKind::kObservation,
          {{"aims_clear", 1}, {"feedback", 2}, {"time_use", std::nullopt}});
  observe(kO2, kT1, "2026-11-12", ObservationKind::kObservation, {{"aims_clear", 3}, {"feedback", 2}});
  observe(kO3, kT2, "2026-11-15", ObservationKind::kPeerVisit, {{"aims_clear", 2}});

  Consultation cons;
  cons.id = id();
  cons.school_id = kA;
  cons.date = On("2026-11-18");
  cons.consultant_id = kMentor;
  d.Put(cons);

  auto recommend = [&](const char* created, const char* due, RecommendationStatus status,
                       std::optional<const char*> closed, std::optional<Uuid> responsible) {
    Recommendation r;
    r.id = id();
    r.school_id = kA;
    r.created_on = On(created);
    r.due_on = On(due);
    r.status = status;
    if (closed) r.closed_on = On(*closed);
    r.responsible_id = responsible;
    d.Put(r);
  };
  recommend("2026-10-01", "2026-11-01", RecommendationStatus::kOpen, std::nullopt, kMentor);
  recommend("2026-10-01", "2026-12-31", RecommendationStatus::kInProgress, std::nullopt, std::nullopt);
  recommend("2026-09-01", "2026-10-01", RecommendationStatus::kDone, "2026-09-11", std::nullopt);
  recommend("2026-10-01", "2026-11-01", RecommendationStatus::kDone, "2026-10-21", std::nullopt);
  recommend("2026-10-01", "2026-11-01", RecommendationStatus::kDropped, "2026-10-02", std::nullopt);
  recommend("2026-11-01", "2026-11-30", RecommendationStatus::kDone, "2026-11-04", std::nullopt);

  auto result = [&](const Uuid& school, int64_t year, const char* subject, int64_t grade, int64_t participants,
                    double mean, double below) {
    AssessmentResult r;
    r.id = id();
    r.school_id = school;
    r.year = year;
    r.assessment = Assessment::kVpr;
    r.subject = subject;
    r.grade = grade;
    r.participants = participants;
    r.mean_score = mean;
    r.share_below_min = below;
    d.Put(r);
  };
  result(kA, 2026, "Математика", 5, 10, 3.5, 0.1);
  result(kA, 2026, "математика", 6, 30, 3.1, 0.3);
  result(kA, 2025, "математика", 5, 20, 3.0, 0.4);
  result(kB, 2026, "математика", 5, 50, 4.2, 0.05);
  result(kB, 2025, "математика", 5, 40, 4.0, 0.1);
  result(kC, 2026, "математика", 5, 10, 2.5, 0.5);

  auto context = [&](const Uuid& school, int64_t year, const char* indicator, double value) {
    ContextIndicator row;
    row.id = id();
    row.school_id = school;
    row.year = year;
    row.indicator = indicator;
    row.value = value;
    d.Put(row);
  };
  context(kA, 2026, "low_income_share", 0.4);
  context(kA, 2027, "low_income_share", 0.9);  // after the results year: not read
  context(kB, 2026, "low_income_share", 0.1);
  context(kA, 2024, "teacher_vacancies", 0);
  context(kA, 2025, "teacher_vacancies", 2);
  context(kB, 2027, "teacher_vacancies", 5);

  Deficit trained;
  trained.id = id();
  trained.teacher_id = kT1;
  trained.remedy = DeficitRemedy::kCourse;
  trained.found_on = On("2026-09-15");
  trained.closed_on = On("2026-10-01");
  Deficit coached = trained;
  coached.id = id();
  coached.teacher_id = kT2;
  coached.remedy = DeficitRemedy::kTutorSessions;
  Deficit open = coached;
  open.id = id();
  open.closed_on.reset();
  for (const Deficit& x : {trained, coached, open}) d.Put(x);

  // T1 completed a course in October; T2 was at a network event in October.
  Training course;
  course.id = id();
  course.teacher_id = kT1;
  course.title = "Формирующее оценивание";
  course.provider = "ИРО";
  course.hours = 36;
  course.starts_on = On("2026-09-20");
  course.ends_on = On("2026-10-01");
  d.Put(course);
  NetworkEvent seminar;
  seminar.id = id();
  seminar.title = "Семинар «Смысловое чтение»";
  seminar.held_on = On("2026-10-05");
  d.Put(seminar);
  EventParticipant at_seminar;
  at_seminar.id = id();
  at_seminar.event_id = seminar.id;
  at_seminar.teacher_id = kT2;
  d.Put(at_seminar);

  NetworkAgreement n1;
  n1.id = id();
  n1.number = "№ 12";
  n1.signed_on = On("2026-09-01");
  n1.supported_school_id = kA;
  n1.leader_school_id = kB;
  NetworkAgreement n2 = n1;
  n2.id = id();
  n2.number = "№ 3";
  n2.signed_on = On("2025-01-01");
  n2.ends_on = On("2026-03-01");
  n2.supported_school_id = kC;
  for (const NetworkAgreement& n : {n1, n2}) d.Put(n);
}

class DashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Fill(dashboard_);
    dashboard_.Refresh(On("2026-11-20"));
  }
  const SchoolProgress& Of(const Uuid& id) {
    const SchoolProgress* p = dashboard_.Find(id);
    if (p == nullptr) throw std::runtime_error("no such school");
    return *p;
  }
  Dashboard dashboard_{TestConfig()};
};

TEST_F(DashboardTest, ContactsByMonthCountTheTwelveMonthsUpToTodayAndNothingAfter) {
  const SchoolProgress& a = Of(kA);
  ASSERT_EQ(a.contacts_by_month.size(), 12u);
  EXPECT_EQ(a.contacts_by_month.front().year, 2025);
  EXPECT_EQ(a.contacts_by_month.front().month, 12);  // 2025-11-25 falls outside
  const MonthContacts& nov = a.contacts_by_month.back();
  EXPECT_EQ(nov.year, 2026);
  EXPECT_EQ(nov.month, 11);
  EXPECT_EQ(nov.visits, 1);  // 2026-12-01 is in the future
  EXPECT_EQ(nov.observations, 2);
  EXPECT_EQ(nov.consultations, 1);
  EXPECT_EQ(a.contacts_by_month[10].visits, 1);       // October
  EXPECT_EQ(a.contacts_by_month[9].observations, 1);  // September
  int total = 0;
  for (const MonthContacts& m : a.contacts_by_month) total += m.total();
  EXPECT_EQ(total, 6);
  EXPECT_EQ(a.last_contact, On("2026-11-18"));
  EXPECT_EQ(a.days_since_contact, 2);
  EXPECT_FALSE(Of(kC).last_contact.has_value());
  EXPECT_FALSE(Of(kC).days_since_contact.has_value());
}

TEST_F(DashboardTest, TeachersObservedThisSchoolYearAgainstTheSchoolsTeachers) {
  EXPECT_EQ(Of(kA).teachers, 4);
  EXPECT_EQ(Of(kA).teachers_observed_this_year, 2);
  EXPECT_DOUBLE_EQ(Of(kA).share_teachers_observed.value(), 0.5);
  EXPECT_DOUBLE_EQ(Of(kB).share_teachers_observed.value(), 0.0);
}

TEST_F(DashboardTest, RubricMeansByTermFirstVersusLatestAndPerTeacher) {
  const SchoolProgress& a = Of(kA);
  ASSERT_EQ(a.rubric_by_term.size(), 2u);
  EXPECT_EQ(a.rubric_by_term[0].term, (Term{2026, 1}));
  EXPECT_EQ(a.rubric_by_term[0].observations, 1);
  EXPECT_DOUBLE_EQ(a.rubric_by_term[0].mean, 1.5);  // "not observed" does not count
  EXPECT_EQ(a.rubric_by_term[1].term, (Term{2026, 2}));
  EXPECT_EQ(a.rubric_by_term[1].observations, 2);
  EXPECT_DOUBLE_EQ(a.rubric_by_term[1].mean, 7.0 / 3);

  ASSERT_EQ(a.criteria.size(), 2u);
  EXPECT_EQ(a.criteria[0].code, "aims_clear");
  EXPECT_DOUBLE_EQ(a.criteria[0].first_mean, 1);
  EXPECT_DOUBLE_EQ(a.criteria[0].latest_mean, 2.5);
  EXPECT_EQ(a.criteria[0].scores, 3);
  EXPECT_EQ(a.criteria[1].code, "feedback");
  EXPECT_DOUBLE_EQ(a.criteria[1].first_mean, 2);
  EXPECT_DOUBLE_EQ(a.criteria[1].latest_mean, 2);

  ASSERT_EQ(a.domains.size(), 2u);
  EXPECT_EQ(a.domains[0].code, "aims");
  EXPECT_DOUBLE_EQ(a.domains[0].latest_mean, 2.5);
  EXPECT_EQ(a.domains[1].code, "assessment");

  ASSERT_EQ(a.teacher_progress.size(), 2u);
  const TeacherProgress& t1 = a.teacher_progress[0];  // by name: Иванова, Петрова
  EXPECT_EQ(t1.teacher_id, kT1);
  EXPECT_EQ(t1.observations, 2);
  EXPECT_EQ(t1.first_date, On("2026-09-15"));
  EXPECT_DOUBLE_EQ(t1.first_mean, 1.5);
  EXPECT_EQ(t1.latest_date, On("2026-11-12"));
  EXPECT_DOUBLE_EQ(t1.latest_mean, 2.5);
  ASSERT_EQ(t1.criteria.size(), 2u);
  EXPECT_DOUBLE_EQ(t1.criteria[0].first_mean, 1);
  EXPECT_DOUBLE_EQ(t1.criteria[0].latest_mean, 3);
  EXPECT_EQ(t1.open_deficits, 0);
  EXPECT_EQ(a.teacher_progress[1].open_deficits, 1);
  EXPECT_DOUBLE_EQ(a.teacher_progress[1].latest_mean, 2);
}

TEST_F(DashboardTest, RecommendationFigures) {
  const RecommendationFigures& r = Of(kA).recommendations;
  EXPECT_EQ(r.open, 2);
  EXPECT_EQ(r.overdue, 1);
  EXPECT_EQ(r.done, 3);
  EXPECT_EQ(r.dropped, 1);
  EXPECT_DOUBLE_EQ(r.completion_rate.value(), 0.6);
  EXPECT_DOUBLE_EQ(r.median_days_to_close.value(), 10);  // of 10, 20 and 3 days
  EXPECT_FALSE(Of(kB).recommendations.completion_rate.has_value());
  EXPECT_FALSE(Of(kB).recommendations.median_days_to_close.has_value());
}

TEST_F(DashboardTest, ResultsByYearAndSubjectAreParticipantWeightedOverGrades) {
  const SchoolProgress& a = Of(kA);
  ASSERT_EQ(a.results.size(), 2u);
  EXPECT_EQ(a.results[1].year, 2026);
  EXPECT_EQ(a.results[1].subject, "математика");  // "Математика" and "математика" are one subject
  EXPECT_EQ(a.results[1].participants, 40);
  EXPECT_DOUBLE_EQ(a.results[1].mean_score, 3.2);
  EXPECT_DOUBLE_EQ(a.results[1].share_below_min, 0.25);
}

TEST_F(DashboardTest, ResultIndexByYearAndWellbeing) {
  const SchoolProgress& a = Of(kA);
  ASSERT_EQ(a.result_index.size(), 2u);
  EXPECT_EQ(a.result_index[0].year, 2025);
  EXPECT_DOUBLE_EQ(a.result_index[0].value, 0);
  EXPECT_EQ(a.result_index[0].quartile, Quartile::kLow);
  EXPECT_EQ(a.result_index[1].year, 2026);
  EXPECT_NEAR(a.result_index[1].value, 1 - 0.2 / 0.45, 1e-12);
  EXPECT_EQ(a.result_index[1].quartile, Quartile::kAboveAverage);
  EXPECT_EQ(Of(kC).result_index.back().quartile, Quartile::kLow);
  EXPECT_EQ(Of(kB).result_index.back().quartile, Quartile::kHigh);
  EXPECT_DOUBLE_EQ(a.wellbeing.value(), 0);  // 2027's 0.9 is after the results year
  EXPECT_DOUBLE_EQ(Of(kB).wellbeing.value(), 1);
  EXPECT_FALSE(Of(kC).wellbeing.has_value());
}

TEST_F(DashboardTest, RiskFlagsSayWhichRuleHeld) {
  const SchoolProgress& a = Of(kA);
  ASSERT_EQ(a.risks.size(), 2u);
  EXPECT_EQ(a.risks[0].code, "teacher_shortage");
  EXPECT_EQ(a.risks[0].evidence, "teacher_vacancies = 2 > 0");  // 2025's, not 2024's 0
  EXPECT_EQ(a.risks[1].code, "teacher_competence");
  EXPECT_EQ(a.risks[1].evidence, "rubric aims = 2.5 < 2.6");
  // B's 5 vacancies are of 2027, after the results year.
  EXPECT_TRUE(Of(kB).risks.empty());
  ASSERT_EQ(Of(kC).risks.size(), 1u);
  EXPECT_EQ(Of(kC).risks[0].code, "learning_failure");
  EXPECT_EQ(Of(kC).risks[0].evidence, "share_below_min = 0.5 > 0.25");
}

TEST_F(DashboardTest, Milestones) {
  const Milestones& a = Of(kA).milestones;
  EXPECT_EQ(a.transition_programme, TransitionProgramme::kAdopted);
  EXPECT_EQ(a.transition_programme_adopted_on, On("2026-02-01"));
  EXPECT_EQ(a.network_agreement_number, "№ 12");
  EXPECT_FALSE(Of(kC).milestones.network_agreement_id.has_value());  // ended in March
}

TEST_F(DashboardTest, ProgrammeIndicatorsAgainstTargetsNowAndAtTheEndOfTheLastHalfYear) {
  const DistrictView& v = dashboard_.district();
  EXPECT_EQ(v.previous_as_of, On("2026-06-30"));
  EXPECT_EQ(v.results_year, 2026);
  EXPECT_EQ(v.schools, 3);
  EXPECT_EQ(v.supported, 2);
  ASSERT_EQ(v.indicators.size(), std::size(kAllProgrammeIndicators));
  auto check = [&](ProgrammeIndicator which, int64_t num, int64_t den, std::optional<double> previous) {
    SCOPED_TRACE(std::string(ProgrammeIndicatorCode(which)));
    const IndicatorValue& iv = v.indicators[static_cast<size_t>(which)];
    EXPECT_EQ(iv.indicator, which);
    EXPECT_EQ(iv.numerator, num);
    EXPECT_EQ(iv.denominator, den);
    EXPECT_EQ(iv.previous, previous);
  };
  check(ProgrammeIndicator::kSupportedInPartnership, 1, 2, 0.0);
  check(ProgrammeIndicator::kSchoolsInNetwork, 2, 3, 0.0);
  check(ProgrammeIndicator::kTeachersInNetworkEvents, 1, 16, 0.0);
  check(ProgrammeIndicator::kTeachersTrained, 1, 16, 0.0);
  check(ProgrammeIndicator::kSupportedBetterResults, 1, 1, std::nullopt);
  check(ProgrammeIndicator::kLowResultsShare, 1, 3, 1.0 / 3);
  check(ProgrammeIndicator::kDeficitsClosed, 2, 3, std::nullopt);  // none found by June
  check(ProgrammeIndicator::kRoutesOnTrack, 0, 0, std::nullopt);
  check(ProgrammeIndicator::kRoadmapOnTime, 0, 0, std::nullopt);
  check(ProgrammeIndicator::kPlanItemsDone, 0, 0, std::nullopt);

  const IndicatorValue& partnership = v.indicators[0];
  ASSERT_TRUE(partnership.target.has_value());
  EXPECT_EQ(partnership.met, false);
  EXPECT_EQ(v.indicators[1].met, true);  // 2/3 >= 0.5
  EXPECT_FALSE(v.indicators[2].target.has_value());
  EXPECT_FALSE(v.indicators[2].met.has_value());
  const IndicatorValue& low = v.indicators[5];
  EXPECT_DOUBLE_EQ(low.target->value, 0.2);  // the district's own target
  EXPECT_TRUE(low.target->at_most);
  EXPECT_EQ(low.met, false);
}

TEST_F(DashboardTest, RankingPutsTheLaggingFirstWithTheirReasons) {
  const DistrictView& v = dashboard_.district();
  ASSERT_EQ(v.ranking.size(), 3u);
  EXPECT_EQ(v.ranking[0].school_id, kC);
  EXPECT_EQ(v.ranking[1].school_id, kA);
  EXPECT_EQ(v.ranking[2].school_id, kB);
  const std::vector<std::string> c_why = {"Result index: low", "never contacted", "Risk of failing"};
  EXPECT_EQ(Words(v.ranking[0].why, Language::kEnglish), c_why);
  const std::vector<std::string> a_why = {"overdue recommendations: 1", "Teacher shortage", "Competence"};
  EXPECT_EQ(Words(v.ranking[1].why, Language::kEnglish), a_why);
  const std::vector<std::string> a_why_ru = {"просрочено рекомендаций: 1", "Дефицит кадров", "Компетентность"};
  EXPECT_EQ(Words(v.ranking[1].why, Language::kRussian), a_why_ru);

  ASSERT_EQ(v.no_contact.size(), 2u);  // B and C: never
  EXPECT_EQ(v.no_contact[0].school_id, kB);
  EXPECT_EQ(v.no_contact[1].school_id, kC);
}

TEST_F(DashboardTest, WorkloadOfMentorsAndTutorsInTheHalfYear) {
  const DistrictView& v = dashboard_.district();
  ASSERT_EQ(v.workload.size(), 1u);
  const Workload& w = v.workload[0];
  EXPECT_EQ(w.person_id, kMentor);
  EXPECT_TRUE(w.mentor);
  EXPECT_EQ(w.schools, 1);
  EXPECT_EQ(w.visits, 2);  // 2025-11-25 is in an earlier half-year; 2026-12-01 is ahead
  EXPECT_EQ(w.observations, 3);
  EXPECT_EQ(w.consultations, 1);
  EXPECT_EQ(w.open_recommendations, 1);
}

TEST_F(DashboardTest, ARecordRecomputesOnlyItsSchoolAndADeleteUndoesIt) {
  const DistrictView before = dashboard_.district();
  Visit v;
  v.id = Nth(999);
  v.school_id = kB;
  v.date = On("2026-11-19");
  v.visitor_ids = {kMentor};
  dashboard_.Put(v);
  dashboard_.Refresh(On("2026-11-20"));
  EXPECT_EQ(dashboard_.last_recomputed(), 1);
  EXPECT_EQ(Of(kB).days_since_contact, 1);
  ASSERT_EQ(dashboard_.district().no_contact.size(), 1u);
  EXPECT_EQ(dashboard_.district().no_contact[0].school_id, kC);
  EXPECT_EQ(dashboard_.district().workload[0].visits, 3);

  dashboard_.Remove(v.id);
  dashboard_.Refresh(On("2026-11-20"));
  EXPECT_EQ(dashboard_.last_recomputed(), 1);
  EXPECT_EQ(dashboard_.district(), before);

  dashboard_.Refresh(On("2026-11-21"));  // a new day: every school again
  EXPECT_EQ(dashboard_.last_recomputed(), 3);
  EXPECT_EQ(Of(kA).days_since_contact, 3);
}

TEST_F(DashboardTest, AnEventMovedOutOfThePeriodRecountsItsParticipantsSchools) {
  auto covered = [&] {
    return dashboard_.district()
        .indicators[static_cast<size_t>(ProgrammeIndicator::kTeachersInNetworkEvents)]
        .numerator;
  };
  ASSERT_EQ(covered(), 1);  // T2 at the October seminar
  NetworkEvent open_lesson;
  open_lesson.id = Nth(900);
  open_lesson.title = "Открытый урок";
  open_lesson.held_on = On("2026-11-10");
  dashboard_.Put(open_lesson);
  EventParticipant t1;
  t1.id = Nth(901);
  t1.event_id = open_lesson.id;
  t1.teacher_id = kT1;
  dashboard_.Put(t1);
  dashboard_.Refresh(On("2026-11-20"));
  EXPECT_EQ(covered(), 2);

  // The event's date corrected to last year: T1's school is counted again without it, though
  // nothing of T1 or of the participant record changed.
  open_lesson.held_on = On("2025-11-10");
  dashboard_.Put(open_lesson);
  dashboard_.Refresh(On("2026-11-20"));
  EXPECT_EQ(dashboard_.last_recomputed(), 1);
  EXPECT_EQ(covered(), 1);

  // Back in the period, then the participant removed.
  open_lesson.held_on = On("2026-11-10");
  dashboard_.Put(open_lesson);
  dashboard_.Refresh(On("2026-11-20"));
  EXPECT_EQ(covered(), 2);
  // T1 listed twice (two devices added them); one of the two records removed: still there,
  // and a later move of the event still recounts T1's school.
  EventParticipant twice = t1;
  twice.id = Nth(902);
  dashboard_.Put(twice);
  dashboard_.Remove(t1.id);
  dashboard_.Refresh(On("2026-11-20"));
  EXPECT_EQ(covered(), 2);
  open_lesson.held_on = On("2025-11-10");
  dashboard_.Put(open_lesson);
  dashboard_.Refresh(On("2026-11-20"));
  EXPECT_EQ(covered(), 1);
  dashboard_.Remove(twice.id);
  dashboard_.Refresh(On("2026-11-20"));
  EXPECT_EQ(covered(), 1);
}

TEST_F(DashboardTest, AnObservationMovedToAnotherSchoolLeavesTheFirst) {
  Observation o;
  o.id = kO3;
  o.school_id = kB;
  o.teacher_id = kT2;
  o.observer_id = kMentor;
  o.kind = ObservationKind::kPeerVisit;
  o.date = On("2026-11-15");
  o.rubric_code = "lesson_observation";
  o.rubric_version = 1;
  dashboard_.Put(o);
  dashboard_.Refresh(On("2026-11-20"));
  EXPECT_EQ(dashboard_.last_recomputed(), 2);
  EXPECT_EQ(Of(kA).teachers_observed_this_year, 1);
  EXPECT_EQ(Of(kB).teachers_observed_this_year, 1);
  EXPECT_EQ(Of(kB).rubric_by_term.at(0).mean, 2);  // its score followed it
}

TEST(DashboardEmptyTest, ASchoolWithNothingRecordedHasNoFiguresRatherThanZeros) {
  Dashboard d(TestConfig());
  School s;
  s.id = kA;
  s.name = "Пустая";
  d.Put(s);
  d.Refresh(On("2026-11-20"));
  const SchoolProgress* p = d.Find(kA);
  ASSERT_NE(p, nullptr);
  EXPECT_FALSE(p->days_since_contact.has_value());
  EXPECT_FALSE(p->share_teachers_observed.has_value());  // no teachers known
  EXPECT_FALSE(p->recommendations.completion_rate.has_value());
  EXPECT_TRUE(p->result_index.empty());
  EXPECT_TRUE(p->risks.empty());
  const DistrictView& v = d.district();
  EXPECT_FALSE(v.indicators[0].value.has_value());  // no supported school
  EXPECT_FALSE(v.indicators[0].met.has_value());
  EXPECT_EQ(v.no_contact.size(), 1u);
  EXPECT_EQ(v.ranking.at(0).why.at(0), (LocalText{"не было контактов", "never contacted"}));
}

TEST(DashboardEmptyTest, RecordsOfAnUnknownSchoolWaitForIt) {
  Dashboard d(TestConfig());
  Visit v;
  v.id = Nth(5);
  v.school_id = kA;
  v.date = On("2026-11-19");
  d.Put(v);
  d.Refresh(On("2026-11-20"));
  EXPECT_EQ(d.Find(kA), nullptr);
  EXPECT_TRUE(d.schools().empty());
  School s;
  s.id = kA;
  s.name = "A";
  d.Put(s);
  d.Refresh(On("2026-11-20"));
  ASSERT_NE(d.Find(kA), nullptr);
  EXPECT_EQ(d.Find(kA)->days_since_contact, 1);
}

TEST(DashboardCalendarTest, TermsSchoolYearsResultsYearsAndHalfYears) {
  EXPECT_EQ(TermOf(On("2026-09-01")), (Term{2026, 1}));
  EXPECT_EQ(TermOf(On("2026-10-31")), (Term{2026, 1}));
  EXPECT_EQ(TermOf(On("2026-11-01")), (Term{2026, 2}));
  EXPECT_EQ(TermOf(On("2027-01-01")), (Term{2026, 3}));
  EXPECT_EQ(TermOf(On("2027-03-31")), (Term{2026, 3}));
  EXPECT_EQ(TermOf(On("2027-04-01")), (Term{2026, 4}));
  EXPECT_EQ(TermOf(On("2027-08-31")), (Term{2026, 4}));
  EXPECT_EQ(TermLabel(Term{2026, 2}, Language::kRussian), "2026/27, 2 четв.");
  EXPECT_EQ(TermLabel(Term{2099, 1}, Language::kEnglish), "2099/00 T1");
  EXPECT_EQ(ResultsYearOf(On("2026-06-30")), 2025);
  EXPECT_EQ(ResultsYearOf(On("2026-07-01")), 2026);
  EXPECT_EQ(PreviousHalfYearEnd(On("2026-11-20")), On("2026-06-30"));
  EXPECT_EQ(PreviousHalfYearEnd(On("2026-06-30")), On("2025-12-31"));
  EXPECT_EQ(PreviousHalfYearEnd(On("2026-07-01")), On("2026-06-30"));
}

TEST(DashboardConfigTest, TheShippedConfigurationLoads) {
  const DashboardConfig config = Must(LoadDashboardConfig(DefaultAssetsDir()), "config");
  EXPECT_EQ(config.risks.size(), 10u);  // the "500+" directions
  EXPECT_EQ(config.no_contact_days, 30);
  // Only the targets a seed states for every district (assets/dashboard.toml): none for
  // teachers trained; Кромы's 7.1 % low-results schools (002) is Кромы's alone.
  EXPECT_EQ(config.targets.size(), 3u);
  EXPECT_FALSE(config.targets.contains(ProgrammeIndicator::kTeachersTrained));
  EXPECT_FALSE(config.targets.contains(ProgrammeIndicator::kLowResultsShare));
  EXPECT_DOUBLE_EQ(config.targets.at(ProgrammeIndicator::kTeachersInNetworkEvents).value, 0.5);
  EXPECT_FALSE(config.targets.at(ProgrammeIndicator::kSchoolsInNetwork).at_most);
  ASSERT_EQ(config.targets_by_district.size(), 1u);
  const Target kromy = config.targets_by_district.at("Кромской район").at(ProgrammeIndicator::kLowResultsShare);
  EXPECT_DOUBLE_EQ(kromy.value, 0.071);
  EXPECT_TRUE(kromy.at_most);
}

TEST(DashboardConfigTest, MistakesNameTheLineAndWhatIsAccepted) {
  auto error = [](const char* toml) {
    DashboardConfig config;
    return ParseDashboardConfig(toml, "d.toml", config).message();
  };
  EXPECT_EQ(error("[[risk]]\ncode = \"x\"\nru = \"х\"\nen = \"x\"\n[[risk.when]]\nfrom = \"weather\"\nabove = 1\n"),
            "d.toml:5: from = \"weather\" is none of context, results, rubric, open_deficits, "
            "overdue_recommendations, result_quartile");
  EXPECT_EQ(error("[[risk]]\ncode = \"x\"\nru = \"х\"\nen = \"x\"\n[[risk.when]]\nfrom = \"context\"\n"
                  "indicator = \"rain\"\nabove = 1\n"),
            "d.toml:5: indicator \"rain\" is not a known context indicator (docs/import.md)");
  EXPECT_EQ(
      error("[[risk]]\ncode = \"x\"\nru = \"х\"\nen = \"x\"\n[[risk.when]]\nfrom = \"overdue_recommendations\"\n"),
      "d.toml:5: a rule needs `above` or `below`");
  EXPECT_EQ(error("[targets]\nteachers_trained = 50\n"), "d.toml:2: a target is a share from 0 to 1");
  // TOML's nan is no share (found by tests/fuzz/fuzz_toml_config).
  EXPECT_EQ(error("[targets]\nteachers_trained = nan\n"), "d.toml:2: a target is a share from 0 to 1");
  EXPECT_EQ(error("[targets_by_district.\"Кировский\"]\nlow_results_share = -nan\n"),
            "d.toml:2: a target is a share from 0 to 1");
  EXPECT_EQ(error("[targets_by_district.\"Кировский\"]\nmood = 0.5\n"),
            "d.toml:2: targets_by_district.\"Кировский\".mood is not a programme indicator");
  EXPECT_EQ(error("[targets_by_district]\n\"Кировский\" = 0.5\n"),
            "d.toml:2: targets_by_district.\"Кировский\" is a table of targets");
  EXPECT_EQ(error("[low_results_share_by_district]\n\"Кировский\" = 0.1\n"),
            "d.toml:1: low_results_share_by_district is now [targets_by_district.\"<district>\"] low_results_share = "
            "...");
  EXPECT_EQ(error("[targets]\nhappiness = 0.5\n"), "d.toml:2: targets.happiness is not a programme indicator");
  EXPECT_EQ(error("no_contact_days = 0\n"), "d.toml: no_contact_days must be 1..3650");
  EXPECT_EQ(error("[[risk]]\ncode = \"x\"\n"), "d.toml:1: a risk needs code, ru and en");
}

// Feeding a dashboard only the records a workload changed gives exactly what a dashboard built
// from the whole store gives, and recomputes only the schools they touched.
TEST(DashboardIncrementalTest, FedOnlyTheChangesItEqualsOneBuiltFromScratch) {
  testing::TempDir dir;
  mentorlog::FakeClock clock(testing::kStartMillis);
  StoreOptions options;
  options.path = dir.path() / "store.db";
  options.clock = &clock;
  auto store = Must(Store::Open(options), "open");
  Must(CreateDemoDistrict(store->records(), DemoOptions{}), "demo");
  const DashboardConfig config = Must(LoadDashboardConfig(DefaultAssetsDir()), "config");
  auto build = [&] {
    Dashboard d(config);
    Must(store->records().ForEachLiveState([&](const RecordState& s) { return d.Apply(s); }), "feed");
    d.Refresh(store->records().Today());
    return d;
  };
  Dashboard incremental = build();
  const int schools = static_cast<int>(incremental.schools().size());
  ASSERT_GT(schools, 5);
  auto ack_all = [&] {
    const auto pending = Must(store->ledger().PendingChanges(10'000'000), "pending");
    if (!pending.empty()) Must(store->ledger().MarkAcked(pending.back().change.op_seq), "ack");
  };
  ack_all();

  for (uint64_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE(seed);
    Must(RunWorkload(store->records(), WorkloadOptions{.seed = seed, .ops = 6, .as_person = std::nullopt}), "workload");
    std::set<Uuid> changed;
    for (const OutboxEntry& e : Must(store->ledger().PendingChanges(10'000'000), "pending"))
      changed.insert(e.change.record_id);
    ASSERT_FALSE(changed.empty());
    for (const Uuid& id : changed) {
      auto state = Must(store->ledger().StateOf(id), "state");
      ASSERT_TRUE(state.has_value());
      Must(incremental.Apply(*state), "apply");
    }
    incremental.Refresh(store->records().Today());
    EXPECT_LT(incremental.last_recomputed(), schools);
    Dashboard fresh = build();
    EXPECT_EQ(incremental.district(), fresh.district());
    ASSERT_EQ(incremental.schools().size(), fresh.schools().size());
    for (size_t i = 0; i < fresh.schools().size(); ++i) {
      EXPECT_EQ(*incremental.schools()[i], *fresh.schools()[i]) << fresh.schools()[i]->name;
    }
    ack_all();
  }
}

}  // namespace dashboard_testing
}  // namespace mentorlog::core
