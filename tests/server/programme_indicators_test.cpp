// The district's programme indicators counted from the instruments themselves (issue 15,
// docs/metrics.md): a hand-built district whose every indicator is worked out by hand below,
// entered on a coordinator's device, synced, and computed on the device and by the central
// store's dashboards. Both backends.
//
// The district "Заречный" (today = the clock's date, T; the period is (T-365, T]):
//   MiniDistrict's school 101 and school 102 (ordinary, 10 teachers each, nothing recorded)
//   S1 «Школа 301» (ШНОР, 8 teachers t1..t8), S2 «Школа 302» (ШНСУ, 6 teachers s1..s6),
//   L «Школа 303» (leader, 6 teachers l1..l6): 5 schools, 2 supported, 40 teachers.
//
//   agreements: S1-L (a school partner, active), S2-library (an institution, active),
//               S1-school 102 (a draft: not in force)
//     supported in partnership 2 / 2; schools in network interaction S1, S2, L = 3 / 5
//   events: E0 at T-400 (t7, t8: before the period), E1 at T-60 (t1..t6, l1..l4),
//           E2 at T-20 (t5, t6, s1..s5, l4..l6): 20 participations in the period
//     teachers covered = t1..t6, l1..l6, s1..s5 = 17 / 40
//   courses (7): t1 at T-10 and T-300, t2 T-100, s1 T-5, l1 T-364 (in), s2 T-365 (out),
//                t3 T-500 (out)
//     teachers trained = t1, t2, s1, l1 = 4 / 40
//   deficits: t1 found T-200 closed T-50; t2 found T-100 open; t3 found T-500 closed T-400
//             (before the period: not counted); s1 found T-400 open; s2 found T-30 closed T-3
//     deficits closed 2 / 4
//   routes: t1 (a course due T-60 done T-70, a seminar due T+30) on track; t2 (mentoring due
//           T-10, in progress) overdue; s1 only a dropped item; s2 only an item starting T+10
//     routes on track 1 / 2
//   roadmap: S1 due T-40 done T-45 (on time), S1 due T-20 done T-10 (late), district due T-100
//            done T-100 (on time), district due T-5 in progress, S2 due T+20 (not due),
//            S2 due T-30 cancelled
//     roadmap items done on time 2 / 4
//   work plans: mentor1 visit S1 at T-40 (visited that day), mentor1 visit S2 at T-15 (no
//               visit), tutor consultation S1 t1 at T-25 (held), tutor event S2 at T-50 (marked
//               done), mentor1 visit S1 at T+10 (not yet)
//     plan items done 3 / 4
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dashboards.h"
#include "mentorlog/domain/dashboard.h"
#include "mentorlog/domain/record_writer.h"
#include "mentorlog/domain/records.h"
#include "sync_fixture.h"

namespace mentorlog::server::testing {
namespace {

using core::Date;
using core::ProgrammeIndicator;

struct Fraction {
  int64_t numerator = 0;
  int64_t denominator = 0;
  friend bool operator==(const Fraction&, const Fraction&) = default;
};

// The values worked out by hand in the comment above.
const std::map<ProgrammeIndicator, Fraction>& HandWorked() {
  static const std::map<ProgrammeIndicator, Fraction> kValues = {
      {ProgrammeIndicator::kSupportedInPartnership, {2, 2}},
      {ProgrammeIndicator::kSchoolsInNetwork, {3, 5}},
      {ProgrammeIndicator::kTeachersInNetworkEvents, {17, 40}},
      {ProgrammeIndicator::kTeachersTrained, {4, 40}},
      {ProgrammeIndicator::kDeficitsClosed, {2, 4}},
      {ProgrammeIndicator::kRoutesOnTrack, {1, 2}},
      {ProgrammeIndicator::kRoadmapOnTime, {2, 4}},
      {ProgrammeIndicator::kPlanItemsDone, {3, 4}},
  };
  return kValues;
}

// Writes the district of the comment above through any RecordWriter.
class ProgrammeFixture {
 public:
  ProgrammeFixture(core::RecordWriter& w, const MiniDistrict& d, Date today) : w_(w), d_(d), t_(today) {}

  void Write() {
    const Uuid s1 = School("301", "МБОУ «Школа 301»", core::SchoolStatus::kLowResults, 8);
    const Uuid s2 = School("302", "МБОУ «Школа 302»", core::SchoolStatus::kAdverseConditions, 6);
    const Uuid l = School("303", "МБОУ «Школа 303»", core::SchoolStatus::kLeader, 6);
    std::vector<Uuid> t, s, lt;
    for (int i = 1; i <= 8; ++i) t.push_back(Teacher("Учитель 301-" + std::to_string(i), s1));
    for (int i = 1; i <= 6; ++i) s.push_back(Teacher("Учитель 302-" + std::to_string(i), s2));
    for (int i = 1; i <= 6; ++i) lt.push_back(Teacher("Учитель 303-" + std::to_string(i), l));

    Agreement("СВ-1", s1, l, std::nullopt, core::AgreementStatus::kActive);
    Agreement("СВ-2", s2, std::nullopt, "МБУК «Межпоселенческая библиотека»", core::AgreementStatus::kActive);
    Agreement("СВ-3", s1, d_.school2, std::nullopt, core::AgreementStatus::kDraft);

    Event("Семинар прошлого года", -400, {t[6], t[7]});
    Event("Методический день «Смысловое чтение»", -60,
          {t[0], t[1], t[2], t[3], t[4], t[5], lt[0], lt[1], lt[2], lt[3]});
    Event("Мастер-класс «Формирующее оценивание»", -20,
          {t[4], t[5], s[0], s[1], s[2], s[3], s[4], lt[3], lt[4], lt[5]});

    Course(t[0], -10);
    Course(t[0], -300);
    Course(t[1], -100);
    Course(s[0], -5);
    Course(lt[0], -364);
    Course(s[1], -365);
    Course(t[2], -500);

    const Uuid d1 = Deficit(t[0], -200, -50);
    Deficit(t[1], -100, std::nullopt);
    Deficit(t[2], -500, -400);
    Deficit(s[0], -400, std::nullopt);
    Deficit(s[1], -30, -3);

    Route(t[0], d1, core::RouteActivity::kCourse, -120, -60, core::RouteItemStatus::kDone, -70);
    Route(t[0], d1, core::RouteActivity::kSeminar, -10, 30, core::RouteItemStatus::kPlanned, std::nullopt);
    Route(t[1], std::nullopt, core::RouteActivity::kMentoring, -90, -10, core::RouteItemStatus::kInProgress,
          std::nullopt);
    Route(s[0], std::nullopt, core::RouteActivity::kSelfStudy, -150, -100, core::RouteItemStatus::kDropped,
          std::nullopt);
    Route(s[1], std::nullopt, core::RouteActivity::kPeerVisits, 10, 60, core::RouteItemStatus::kPlanned, std::nullopt);

    Roadmap(s1, -40, core::RoadmapStatus::kDone, -45);
    Roadmap(s1, -20, core::RoadmapStatus::kDone, -10);
    Roadmap(std::nullopt, -100, core::RoadmapStatus::kDone, -100);
    Roadmap(std::nullopt, -5, core::RoadmapStatus::kInProgress, std::nullopt);
    Roadmap(s2, 20, core::RoadmapStatus::kPlanned, std::nullopt);
    Roadmap(s2, -30, core::RoadmapStatus::kCancelled, std::nullopt);

    Plan(d_.mentor1, s1, std::nullopt, core::PlanActivity::kVisit, -40, std::nullopt);
    Visit(s1, d_.mentor1, -40);
    Plan(d_.mentor1, s2, std::nullopt, core::PlanActivity::kVisit, -15, std::nullopt);
    Plan(d_.tutor, s1, t[0], core::PlanActivity::kConsultation, -25, std::nullopt);
    Consultation(s1, d_.tutor, t[0], -25);
    Plan(d_.tutor, s2, std::nullopt, core::PlanActivity::kEvent, -50, -50);
    Plan(d_.mentor1, s1, std::nullopt, core::PlanActivity::kVisit, 10, std::nullopt);
  }

 private:
  Date At(int days) const { return t_.AddDays(days); }

  template <class R>
  Uuid Save(R r) {
    return Must(w_.Save(r), "save").id;
  }

  Uuid School(std::string code, std::string name, core::SchoolStatus status, int64_t teachers) {
    core::School s;
    s.code = std::move(code);
    s.name = std::move(name);
    s.municipality = "Заречный";
    s.district = "Заречный";
    s.pupils = 120;
    s.teachers = teachers;
    s.statuses = {status};
    s.status_year = At(0).year();
    return Save(std::move(s));
  }
  Uuid Teacher(std::string name, const Uuid& school) {
    core::Person p;
    p.full_name = std::move(name);
    p.roles = {core::Role::kTeacher};
    p.school_id = school;
    p.subjects = {"математика"};
    return Save(std::move(p));
  }
  void Agreement(std::string number, const Uuid& supported, std::optional<Uuid> partner_school,
                 std::optional<std::string> institution, core::AgreementStatus status) {
    core::NetworkAgreement a;
    a.number = std::move(number);
    a.signed_on = At(-200);
    a.supported_school_id = supported;
    a.leader_school_id = partner_school;
    if (institution) {
      a.partner_kind = core::PartnerKind::kInstitution;
      a.partner_name = *institution;
    }
    a.status = status;
    a.subject = "совместные мероприятия";
    Save(std::move(a));
  }
  void Event(std::string title, int held, const std::vector<Uuid>& teachers) {
    core::NetworkEvent e;
    e.title = std::move(title);
    e.held_on = At(held);
    const Uuid event = Save(std::move(e));
    for (const Uuid& teacher : teachers) {
      core::EventParticipant p;
      p.event_id = event;
      p.teacher_id = teacher;
      Save(std::move(p));
    }
  }
  void Course(const Uuid& teacher, int ended) {
    core::Training c;
    c.teacher_id = teacher;
    c.provider = "ГАУ ДПО «Институт развития образования»";
    c.title = "Курс, окончен " + At(ended).ToString();
    c.hours = 36;
    c.starts_on = At(ended - 14);
    c.ends_on = At(ended);
    Save(std::move(c));
  }
  Uuid Deficit(const Uuid& teacher, int found, std::optional<int> closed) {
    core::Deficit d;
    d.teacher_id = teacher;
    d.area = "формирующее оценивание";
    d.found_on = At(found);
    if (closed) d.closed_on = At(*closed);
    return Save(std::move(d));
  }
  void Route(const Uuid& teacher, std::optional<Uuid> deficit, core::RouteActivity activity, int starts, int due,
             core::RouteItemStatus status, std::optional<int> done) {
    core::RouteItem r;
    r.teacher_id = teacher;
    r.deficit_id = deficit;
    r.activity = activity;
    r.title = "Пункт маршрута до " + At(due).ToString();
    r.starts_on = At(starts);
    r.due_on = At(due);
    r.status = status;
    if (done) r.done_on = At(*done);
    Save(std::move(r));
  }
  void Roadmap(std::optional<Uuid> school, int ends, core::RoadmapStatus status, std::optional<int> done) {
    core::RoadmapItem r;
    r.title = "Мероприятие до " + At(ends).ToString();
    r.level = school ? core::RoadmapLevel::kSchool : core::RoadmapLevel::kDistrict;
    r.school_id = school;
    r.starts_on = At(ends - 30);
    r.ends_on = At(ends);
    r.status = status;
    if (done) r.done_on = At(*done);
    Save(std::move(r));
  }
  void Plan(const Uuid& person, const Uuid& school, std::optional<Uuid> teacher, core::PlanActivity activity,
            int planned, std::optional<int> done) {
    core::PlanItem p;
    p.person_id = person;
    p.school_id = school;
    p.teacher_id = teacher;
    p.activity = activity;
    p.planned_on = At(planned);
    p.title = "По плану";
    if (done) p.done_on = At(*done);
    Save(std::move(p));
  }
  void Visit(const Uuid& school, const Uuid& who, int on) {
    core::Visit v;
    v.school_id = school;
    v.date = At(on);
    v.visitor_ids = {who};
    v.purposes = {core::VisitPurpose::kMonitoring};
    Save(std::move(v));
  }
  void Consultation(const Uuid& school, const Uuid& who, const Uuid& teacher, int on) {
    core::Consultation c;
    c.school_id = school;
    c.date = At(on);
    c.consultant_id = who;
    c.audience = core::ConsultationAudience::kTeacher;
    c.teacher_id = teacher;
    c.minutes = 40;
    c.topics = {core::ConsultationTopic::kProfessionalDevelopment};
    Save(std::move(c));
  }

  core::RecordWriter& w_;
  const MiniDistrict& d_;
  Date t_;
};

void ExpectHandWorked(const core::DistrictView& v, const char* where) {
  SCOPED_TRACE(where);
  EXPECT_EQ(v.schools, 5);
  EXPECT_EQ(v.supported, 2);
  for (const auto& [which, want] : HandWorked()) {
    SCOPED_TRACE(std::string(core::ProgrammeIndicatorCode(which)));
    const core::IndicatorValue& iv = v.indicators.at(static_cast<size_t>(which));
    ASSERT_EQ(iv.indicator, which);
    EXPECT_EQ((Fraction{iv.numerator, iv.denominator}), want);
  }
  // The seeds' targets and no other: 17/40 < 50 % of teachers at network events.
  const core::IndicatorValue& events =
      v.indicators.at(static_cast<size_t>(ProgrammeIndicator::kTeachersInNetworkEvents));
  ASSERT_TRUE(events.target.has_value());
  EXPECT_EQ(events.met, false);
  EXPECT_FALSE(v.indicators.at(static_cast<size_t>(ProgrammeIndicator::kTeachersTrained)).target.has_value());
}

class ProgrammeIndicatorsTest : public BackendTest {};

TEST_P(ProgrammeIndicatorsTest, TheHandBuiltDistrictGivesTheHandWorkedValuesOnTheDeviceAndOnTheServer) {
  const MiniDistrict district = MiniDistrict::Create(*service_, *storage_, dir_.path(), clock_);
  Device laptop(dir_.path(), "coordinator-laptop", clock_);
  const Session coordinator = SessionOf(district.coordinator_account);
  laptop.Pull(*service_, coordinator);
  const Date today = laptop.store().records().Today();
  ProgrammeFixture(laptop.store().records(), district, today).Write();
  const std::vector<sync::Rejection> rejected = laptop.Push(*service_, coordinator);
  ASSERT_TRUE(rejected.empty()) << rejected.front().reason_en;
  laptop.Pull(*service_, coordinator);
  ASSERT_EQ(laptop.Hash(), Must(service_->StateHash(district.coordinator_account)));

  const core::DashboardConfig config = Must(core::LoadDashboardConfig(MENTORLOG_ASSETS_DIR), "config");
  core::Dashboard device(config);
  Must(laptop.store().records().ForEachLiveState([&](const core::RecordState& s) { return device.Apply(s); }), "feed");
  device.Refresh(today);
  ExpectHandWorked(device.district(), "on the device");

  Dashboards central(*storage_, *service_, config, clock_);
  Must(central.With(district.coordinator_account, [&](const core::Dashboard& d) {
    ExpectHandWorked(d.district(), "on the server");
    return Status::Ok();
  }));
}

INSTANTIATE_TEST_SUITE_P(Backends, ProgrammeIndicatorsTest, ::testing::Values("Sqlite", "Postgres"), BackendName);

}  // namespace
}  // namespace mentorlog::server::testing
