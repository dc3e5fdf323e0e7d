// The programme's year (issue 16): monitoring rounds and a school's status history, scripted
// through a coordinator's device and the central store, on both backends, against values worked
// out by hand.
//
// The district "Заречный" (MiniDistrict's ordinary schools 101 and 102, plus):
//   A, B, C «Школа 401..403» ШНОР; D «Школа 404» ШНСУ; L «Школа 405» a leader: 7 schools.
//   2027-09-10 agreement A-L signed; 2028-03-01 agreement C-L signed.
//
//   entry round   2027-09-01..2027-09-30, closed 2027-10-01
//     ШНОР A, B, C = 3 / 7; supported A, B, C, D = 4; in partnership A = 1 / 4
//   2027-10-05 a course of A's teacher ending 2027-09-15 is entered late: the entry round
//     keeps 0 teachers trained; the live figures count it.
//   2028-01-20 A and B leave ШНОР (order № 12, by the entry round's results)
//   interim round 2028-01-10..2028-01-31, closed 2028-02-01
//     ШНОР C = 1 / 7; supported C, D = 2; in partnership none = 0 / 2
//   final round   2028-05-01..2028-05-31, closed 2028-06-01
//     ШНОР C = 1 / 7; supported C, D = 2; in partnership C = 1 / 2
//   live on 2028-06-01: the low-results share was 3 / 7 at the end of 2027 (the previous
//     half-year) and is 1 / 7 now.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dashboards.h"
#include "mentorlog/domain/dashboard.h"
#include "mentorlog/domain/record_writer.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/domain/rounds.h"
#include "sync_fixture.h"

namespace mentorlog::server::testing {
namespace programme_year {

using core::Date;
using core::ProgrammeIndicator;
using core::SchoolStatus;

Date Day(const char* ymd) { return Must(Date::Parse(ymd), ymd); }
// 10:00 UTC on the day.
int64_t MillisOn(const char* ymd) { return int64_t{Day(ymd).days()} * 86'400'000 + 10 * 3'600'000; }

struct Share {
  int64_t numerator = 0;
  int64_t denominator = 0;
  friend bool operator==(const Share&, const Share&) = default;
  friend void PrintTo(const Share& s, std::ostream* out) { *out << s.numerator << "/" << s.denominator; }
};
Share Of(const core::IndicatorValue& v) { return {v.numerator, v.denominator}; }
const core::IndicatorValue& Indicator(const std::vector<core::IndicatorValue>& all, ProgrammeIndicator which) {
  return all.at(static_cast<size_t>(which));
}

struct RoundWant {
  const char* name;
  int schools, supported, low_results;
  Share low_results_share, in_partnership, teachers_trained;
};
const RoundWant kRounds[] = {
    {"Входной мониторинг 2027/28", 7, 4, 3, {3, 7}, {1, 4}, {0, 40}},
    {"Промежуточный мониторинг 2027/28", 7, 2, 1, {1, 7}, {0, 2}, {1, 40}},
    {"Итоговый мониторинг 2027/28", 7, 2, 1, {1, 7}, {1, 2}, {1, 40}},
};

void ExpectTheYear(const core::DistrictView& v, const char* where) {
  SCOPED_TRACE(where);
  ASSERT_EQ(v.rounds.size(), std::size(kRounds));
  for (size_t i = 0; i < std::size(kRounds); ++i) {
    const RoundWant& want = kRounds[i];
    const core::RoundView& got = v.rounds[i];
    SCOPED_TRACE(want.name);
    EXPECT_EQ(got.name, want.name);
    ASSERT_TRUE(got.closed_on.has_value());
    EXPECT_EQ(got.schools, want.schools);
    EXPECT_EQ(got.supported, want.supported);
    EXPECT_EQ(got.low_results, want.low_results);
    ASSERT_EQ(got.indicators.size(), std::size(core::kAllProgrammeIndicators));
    EXPECT_EQ(Of(Indicator(got.indicators, ProgrammeIndicator::kLowResultsShare)), want.low_results_share);
    EXPECT_EQ(Of(Indicator(got.indicators, ProgrammeIndicator::kSupportedInPartnership)), want.in_partnership);
    EXPECT_EQ(Of(Indicator(got.indicators, ProgrammeIndicator::kTeachersTrained)), want.teachers_trained);
  }
  // Live, on 2028-06-01: the share moved from 3/7 at the end of 2027 to 1/7.
  const core::IndicatorValue& share = Indicator(v.indicators, ProgrammeIndicator::kLowResultsShare);
  EXPECT_EQ(Of(share), (Share{1, 7}));
  ASSERT_TRUE(share.previous.has_value());
  EXPECT_DOUBLE_EQ(*share.previous, 3.0 / 7.0);
}

class ProgrammeYearTest : public BackendTest {
 protected:
  // Sets today and saves `r` on the coordinator's laptop.
  template <class R>
  core::Uuid Save(Device& laptop, R r) {
    return Must(laptop.store().records().Save(r), "save").id;
  }
  core::Uuid School(Device& laptop, std::string code, std::vector<SchoolStatus> statuses) {
    core::School s;
    s.code = code;
    s.name = "МБОУ «Школа " + code + "»";
    s.municipality = "Заречный";
    s.district = "Заречный";
    s.pupils = 150;
    s.teachers = 4;
    s.statuses = std::move(statuses);
    s.status_year = 2027;
    return Save(laptop, std::move(s));
  }
  core::Uuid Teacher(Device& laptop, const core::Uuid& school) {
    core::Person p;
    p.full_name = "Учитель школы";
    p.roles = {core::Role::kTeacher};
    p.school_id = school;
    return Save(laptop, std::move(p));
  }
  void Agreement(Device& laptop, std::string number, const char* signed_on, const core::Uuid& supported,
                 const core::Uuid& leader) {
    core::NetworkAgreement a;
    a.number = std::move(number);
    a.signed_on = Day(signed_on);
    a.supported_school_id = supported;
    a.leader_school_id = leader;
    a.subject = "совместные методические мероприятия";
    Save(laptop, std::move(a));
  }
  core::Uuid Round(Device& laptop, std::string name, core::RoundKind kind, const char* starts, const char* ends) {
    core::MonitoringRound r;
    r.name = std::move(name);
    r.kind = kind;
    r.starts_on = Day(starts);
    r.ends_on = Day(ends);
    return Save(laptop, std::move(r));
  }
  void Close(Device& laptop, const core::Uuid& round) {
    core::Dashboard dashboard(config_);
    Must(laptop.store().records().ForEachLiveState([&](const core::RecordState& s) { return dashboard.Apply(s); }),
         "feed");
    dashboard.Refresh(laptop.store().records().Today());
    Must(core::CloseRound(laptop.store().records(), dashboard, round), "close the round");
  }
  void LeavesTheList(Device& laptop, const core::Uuid& school, const core::Uuid& round) {
    core::StatusChange c;
    c.school_id = school;
    c.changed_on = laptop.store().records().Today();
    c.reason = "Приказ № 12 от 20.01.2028, по итогам входного мониторинга";
    c.round_id = round;
    Save(laptop, std::move(c));
  }

  const core::DashboardConfig config_ = Must(core::LoadDashboardConfig(MENTORLOG_ASSETS_DIR), "config");
};

TEST_P(ProgrammeYearTest, RoundsFreezeTheYearAndTheLowResultsShareMovesWithTheStatusHistory) {
  const MiniDistrict district = MiniDistrict::Create(*service_, *storage_, dir_.path(), clock_);
  Device laptop(dir_.path(), "coordinator-laptop", clock_);
  const Session coordinator = SessionOf(district.coordinator_account);
  laptop.Pull(*service_, coordinator);

  clock_.Set(MillisOn("2027-09-01"));
  const core::Uuid a = School(laptop, "401", {SchoolStatus::kLowResults});
  const core::Uuid b = School(laptop, "402", {SchoolStatus::kLowResults});
  const core::Uuid c = School(laptop, "403", {SchoolStatus::kLowResults});
  School(laptop, "404", {SchoolStatus::kAdverseConditions});
  const core::Uuid l = School(laptop, "405", {SchoolStatus::kLeader});
  const core::Uuid a_teacher = Teacher(laptop, a);
  const core::Uuid entry =
      Round(laptop, "Входной мониторинг 2027/28", core::RoundKind::kEntry, "2027-09-01", "2027-09-30");
  clock_.Set(MillisOn("2027-09-10"));
  Agreement(laptop, "СВ-7", "2027-09-10", a, l);

  clock_.Set(MillisOn("2027-10-01"));
  Close(laptop, entry);
  // Entered late: a course that ended within the entry round. The round keeps what it froze.
  clock_.Set(MillisOn("2027-10-05"));
  core::Training course;
  course.teacher_id = a_teacher;
  course.provider = "ГАУ ДПО «Институт развития образования»";
  course.title = "Формирующее оценивание";
  course.hours = 36;
  course.starts_on = Day("2027-09-01");
  course.ends_on = Day("2027-09-15");
  Save(laptop, course);

  clock_.Set(MillisOn("2028-01-10"));
  const core::Uuid interim =
      Round(laptop, "Промежуточный мониторинг 2027/28", core::RoundKind::kInterim, "2028-01-10", "2028-01-31");
  clock_.Set(MillisOn("2028-01-20"));
  LeavesTheList(laptop, a, entry);
  LeavesTheList(laptop, b, entry);
  clock_.Set(MillisOn("2028-02-01"));
  Close(laptop, interim);
  ASSERT_TRUE(laptop.Push(*service_, coordinator).empty()) << "half-way sync";

  clock_.Set(MillisOn("2028-03-01"));
  Agreement(laptop, "СВ-9", "2028-03-01", c, l);
  const core::Uuid final_round =
      Round(laptop, "Итоговый мониторинг 2027/28", core::RoundKind::kFinal, "2028-05-01", "2028-05-31");
  clock_.Set(MillisOn("2028-06-01"));
  Close(laptop, final_round);

  const std::vector<sync::Rejection> rejected = laptop.Push(*service_, coordinator);
  ASSERT_TRUE(rejected.empty()) << rejected.front().reason_en;
  laptop.Pull(*service_, coordinator);
  ASSERT_EQ(laptop.Hash(), Must(service_->StateHash(district.coordinator_account)));

  core::Dashboard device(config_);
  Must(laptop.store().records().ForEachLiveState([&](const core::RecordState& s) { return device.Apply(s); }), "feed");
  device.Refresh(Day("2028-06-01"));
  ExpectTheYear(device.district(), "on the device");
  // The school's own page: its status history and the rounds it was in.
  const core::SchoolProgress* school_a = device.Find(a);
  ASSERT_NE(school_a, nullptr);
  ASSERT_EQ(school_a->status_history.size(), 1u);
  EXPECT_EQ(school_a->status_history[0].on, Day("2028-01-20"));
  EXPECT_TRUE(school_a->status_history[0].statuses.empty());
  ASSERT_EQ(school_a->rounds.size(), 3u);
  EXPECT_EQ(school_a->rounds[0].statuses, std::vector<SchoolStatus>{SchoolStatus::kLowResults});
  EXPECT_TRUE(school_a->rounds[1].statuses.empty());
  EXPECT_TRUE(school_a->rounds[0].facts.in_partnership);
  EXPECT_EQ(school_a->rounds[0].facts.teachers_trained, 0) << "entered after the round closed";
  EXPECT_EQ(school_a->rounds[1].facts.teachers_trained, 1);
  EXPECT_FALSE(school_a->low_results);

  Dashboards central(*storage_, *service_, config_, clock_);
  Must(central.With(district.coordinator_account, [&](const core::Dashboard& d) {
    ExpectTheYear(d.district(), "on the server");
    return Status::Ok();
  }));
}

TEST_P(ProgrammeYearTest, AClosedRoundIsNeitherClosedAgainNorRewrittenAndOnlyACoordinatorKeepsTheCycle) {
  const MiniDistrict district = MiniDistrict::Create(*service_, *storage_, dir_.path(), clock_);
  Device laptop(dir_.path(), "coordinator-laptop", clock_);
  const Session coordinator = SessionOf(district.coordinator_account);
  laptop.Pull(*service_, coordinator);
  const Date today = laptop.store().records().Today();

  core::MonitoringRound running;
  running.name = "Входной мониторинг";
  running.starts_on = today.AddDays(-10);
  running.ends_on = today.AddDays(5);
  const core::Uuid open = Save(laptop, running);
  core::Dashboard dashboard(config_);
  Must(laptop.store().records().ForEachLiveState([&](const core::RecordState& s) { return dashboard.Apply(s); }),
       "feed");
  dashboard.Refresh(today);
  const auto early = core::CloseRound(laptop.store().records(), dashboard, open);
  ASSERT_EQ(early.status().code(), StatusCode::kConflict);
  EXPECT_NE(early.status().message(Language::kRussian).find("идёт до"), std::string::npos)
      << early.status().message(Language::kRussian);

  running.ends_on = today.AddDays(-1);
  running.id = open;
  Save(laptop, running);
  Must(core::CloseRound(laptop.store().records(), dashboard, open), "close");
  EXPECT_EQ(core::CloseRound(laptop.store().records(), dashboard, open).status().code(), StatusCode::kConflict);

  // The frozen figures are not edited, on the device nor on the central store.
  auto results = Must(laptop.store().records().ListBy<core::RoundResult>("round_id", open), "results");
  ASSERT_EQ(results.size(), 2u) << "both schools of the district";
  core::RoundResult edited = results[0];
  edited.figures = "teachers=1000\n";
  EXPECT_EQ(laptop.store().records().Save(edited).status().code(), StatusCode::kConflict);
  ASSERT_TRUE(laptop.Push(*service_, coordinator).empty());

  // A mentor's device cannot write the programme's cycle: a round, a status change.
  Device phone(dir_.path(), "mentor-phone", clock_);
  const Session mentor = SessionOf(district.mentor1_account);
  phone.Pull(*service_, mentor);
  core::StatusChange change;
  change.school_id = district.school1;
  change.changed_on = today;
  change.statuses = {SchoolStatus::kLeader};
  change.reason = "Сам решил";
  Must(phone.store().records().Save(change), "saved on the phone");
  core::MonitoringRound own;
  own.name = "Свой мониторинг";
  own.starts_on = today;
  own.ends_on = today;
  Must(phone.store().records().Save(own), "saved on the phone");
  const std::vector<sync::Rejection> refused = phone.Push(*service_, mentor);
  ASSERT_EQ(refused.size(), 2u);
  for (const sync::Rejection& r : refused) EXPECT_EQ(r.code, "permission") << r.reason_en;
  // The refusal names what only a coordinator changes.
  EXPECT_NE(refused[0].reason_ru.find("координатор"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, ProgrammeYearTest, ::testing::Values("Sqlite", "Postgres"), BackendName);

}  // namespace programme_year
}  // namespace mentorlog::server::testing
