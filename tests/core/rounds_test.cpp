// Monitoring rounds and the status history (rounds.h): which status is in force on a date, the
// frozen figures' text form, and the validation of the three kinds. The year through a device and
// the central store: tests/server/programme_year_test.cpp.
#include "mentorlog/domain/rounds.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mentorlog/domain/dashboard.h"
#include "mentorlog/domain/validation.h"
#include "test_fixtures.h"

namespace mentorlog::core {
namespace rounds_testing {

using testing::Must;

Date Day(const char* ymd) { return Must(Date::Parse(ymd), ymd); }

StatusChange Change(const char* on, std::vector<SchoolStatus> statuses, uint64_t id) {
  StatusChange c;
  c.id = Uuid::MakeV7(static_cast<int64_t>(id));
  c.changed_on = Day(on);
  c.statuses = std::move(statuses);
  c.reason = "приказ";
  return c;
}

TEST(RoundsTest, TheStatusInForceIsTheLatestChangeOnOrBeforeTheDateOrTheSchoolsOwn) {
  const std::vector<SchoolStatus> initial = {SchoolStatus::kLowResults};
  const StatusChange left = Change("2027-01-20", {}, 1);
  const StatusChange back = Change("2027-09-01", {SchoolStatus::kAdverseConditions}, 2);
  const std::vector<const StatusChange*> changes = {&back, &left};  // any order
  EXPECT_EQ(StatusesOn(initial, changes, Day("2027-01-19")), initial);
  EXPECT_TRUE(StatusesOn(initial, changes, Day("2027-01-20")).empty()) << "in force from its date";
  EXPECT_TRUE(StatusesOn(initial, changes, Day("2027-08-31")).empty());
  EXPECT_EQ(StatusesOn(initial, changes, Day("2030-01-01")), back.statuses);
  // Two changes on one day: the later id wins, whatever order they come in.
  const StatusChange leader = Change("2027-09-01", {SchoolStatus::kLeader}, 3);
  EXPECT_EQ(StatusesOn(initial, {&leader, &back}, Day("2027-09-01")), leader.statuses);
  EXPECT_EQ(StatusesOn(initial, {&back, &leader}, Day("2027-09-01")), leader.statuses);
}

TEST(RoundsTest, FiguresReadBackExactlyAndAMalformedLineIsRefusedByNumber) {
  const RoundFigures figures = {{"result_index", 0.1 + 0.2}, {"teachers", 12}, {"low_results", 0}};
  const std::string text = FormatRoundFigures(figures);
  EXPECT_EQ(text.substr(0, 14), "low_results=0\n") << "sorted by name";
  EXPECT_EQ(Must(ParseRoundFigures(text), "parse"), figures) << "0.1 + 0.2 survives to the last bit";
  EXPECT_TRUE(Must(ParseRoundFigures(""), "empty").empty());

  for (const char* bad : {"teachers\n", "=3\n", "Teachers=3\n", "teachers=3x\n", "teachers=nan\n", "teachers=inf\n",
                          "a=1\na=2\n", "teachers=1e999\n"}) {
    const auto parsed = ParseRoundFigures(bad);
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidInput) << bad;
  }
  EXPECT_NE(ParseRoundFigures("a=1\nb=two\n").status().message(Language::kEnglish).find("Line 2"), std::string::npos);
}

TEST(RoundsTest, ARoundCoversItsListedSchoolsOrEverySchool) {
  MonitoringRound round;
  const Uuid a = Uuid::MakeV7(1), b = Uuid::MakeV7(2);
  EXPECT_TRUE(RoundCovers(round, a));
  round.school_ids = {b};
  EXPECT_FALSE(RoundCovers(round, a));
  EXPECT_TRUE(RoundCovers(round, b));
}

// A context that knows one school and one round.
class OneOfEach : public ValidationContext {
 public:
  Date Today() const override { return Day("2027-06-01"); }
  std::optional<School> FindSchool(const Uuid& id) const override {
    if (id != school) return std::nullopt;
    School s;
    s.id = school;
    return s;
  }
  std::optional<Person> FindPerson(const Uuid&) const override { return std::nullopt; }
  std::optional<Date> SourceDate(SourceKind, const Uuid&) const override { return std::nullopt; }
  std::optional<Observation> FindObservation(const Uuid&) const override { return std::nullopt; }
  std::optional<NetworkEvent> FindEvent(const Uuid&) const override { return std::nullopt; }
  std::optional<MonitoringRound> FindRound(const Uuid& id) const override {
    if (id != round) return std::nullopt;
    return MonitoringRound{};
  }
  std::optional<Rubric> FindRubric(std::string_view, int64_t) const override { return std::nullopt; }
  Uuid school = Uuid::MakeV7(10);
  Uuid round = Uuid::MakeV7(11);
};

std::vector<std::string> Fields(const ValidationErrors& errors) {
  std::vector<std::string> out;
  for (const FieldError& e : errors) out.push_back(e.field + (e.span == RuleSpan::kRecord ? "" : " (across)"));
  return out;
}

TEST(RoundsTest, EachKindSaysWhatIsMissingInWordsAboutTheForm) {
  const OneOfEach ctx;
  MonitoringRound round;
  round.starts_on = Day("2027-05-01");
  round.ends_on = Day("2027-04-30");
  round.closed_on = Day("2027-07-01");
  round.school_ids = {ctx.school, Uuid::MakeV7(99)};
  round.district_figures = "roadmap_due=x\n";
  EXPECT_EQ(Fields(Validate(round, ctx)), (std::vector<std::string>{"name", "ends_on", "closed_on (across)",
                                                                    "school_ids (across)", "district_figures"}));
  const ValidationErrors named = Validate(round, ctx);
  EXPECT_EQ(named[0].ru, "Заполните поле «название этапа».");

  RoundResult result;
  result.school_id = ctx.school;
  result.statuses = {SchoolStatus::kLeader, SchoolStatus::kLowResults};
  result.figures = "teachers=12\n";
  EXPECT_EQ(Fields(Validate(result, ctx)), (std::vector<std::string>{"round_id", "statuses"}));
  result.round_id = Uuid::MakeV7(98);
  result.statuses = {SchoolStatus::kLowResults};
  EXPECT_EQ(Fields(Validate(result, ctx)), (std::vector<std::string>{"round_id (across)"}));
  result.round_id = ctx.round;
  EXPECT_TRUE(Validate(result, ctx).empty());

  StatusChange change;
  change.school_id = ctx.school;
  change.changed_on = Day("2027-01-20");
  EXPECT_EQ(Fields(Validate(change, ctx)), (std::vector<std::string>{"reason"}));
  EXPECT_EQ(Validate(change, ctx)[0].en, "Fill in the reason (an order, a round's results).");
  change.reason = "Приказ № 12";
  change.round_id = Uuid::MakeV7(97);
  EXPECT_EQ(Fields(Validate(change, ctx)), (std::vector<std::string>{"round_id (across)"}));
}

TEST(RoundsTest, ARoundClosedOnTwoDevicesAtOnceCountsEachSchoolOnceTheSameEverywhere) {
  School school;
  school.id = Uuid::MakeV7(1);
  school.name = "Школа";
  school.teachers = 10;
  MonitoringRound round;
  round.id = Uuid::MakeV7(2);
  round.name = "Входной мониторинг";
  round.starts_on = Day("2026-09-01");
  round.ends_on = Day("2026-09-30");
  round.closed_on = Day("2026-10-01");
  RoundResult first, second;
  first.id = Uuid::MakeV7(3);
  second.id = Uuid::MakeV7(4);
  for (RoundResult* r : {&first, &second}) {
    r->round_id = round.id;
    r->school_id = school.id;
  }
  first.figures = "teachers=10\nlow_results=1\n";
  second.figures = "teachers=10\nlow_results=0\n";
  for (bool reversed : {false, true}) {
    Dashboard dashboard(DashboardConfig{});
    dashboard.Put(school);
    dashboard.Put(round);
    dashboard.Put(reversed ? second : first);
    dashboard.Put(reversed ? first : second);
    dashboard.Refresh(Day("2026-11-20"));
    ASSERT_EQ(dashboard.district().rounds.size(), 1u);
    EXPECT_EQ(dashboard.district().rounds[0].schools, 1);
    EXPECT_EQ(dashboard.district().rounds[0].low_results, 1) << "the lower id's figures, whatever came first";
    ASSERT_EQ(dashboard.Find(school.id)->rounds.size(), 1u);
  }
}

}  // namespace rounds_testing
}  // namespace mentorlog::core
