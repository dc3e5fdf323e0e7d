// The programme's instruments (issue 15) between a coordinator's, a mentor's and a tutor's
// devices: each enters its own offline, syncs, and sees the others' where its scope allows (a
// teacher's route: the teacher's tutor, the school's mentor, the coordinator; network events:
// the whole district; their participants: the participant's school). Both backends.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mentorlog/domain/records.h"
#include "sync_fixture.h"

namespace mentorlog::server::testing {
namespace {

class InstrumentsScopeTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    d_ = MiniDistrict::Create(*service_, *storage_, dir_.path(), clock_);
  }

  template <class R>
  bool Has(Device& device, const Uuid& id) {
    return device.store().records().Get<R>(id).ok();
  }

  MiniDistrict d_;
};

TEST_P(InstrumentsScopeTest, EachRoleEntersItsInstrumentsOfflineAndSeesTheOthersWhereItsScopeAllows) {
  Device office(dir_.path(), "coordinator", clock_);
  Device mentor1(dir_.path(), "mentor1", clock_);  // school 101
  Device mentor2(dir_.path(), "mentor2", clock_);  // school 102
  Device tutor(dir_.path(), "tutor", clock_);      // teacher2 at school 102
  const Session as_office = SessionOf(d_.coordinator_account);
  const Session as_mentor1 = SessionOf(d_.mentor1_account);
  const Session as_mentor2 = SessionOf(d_.mentor2_account);
  const Session as_tutor = SessionOf(d_.tutor_account);
  for (auto [device, session] :
       {std::pair{&office, as_office}, {&mentor1, as_mentor1}, {&mentor2, as_mentor2}, {&tutor, as_tutor}}) {
    device->Pull(*service_, session);
  }
  const core::Date today = office.store().records().Today();

  // Offline, each enters its own.
  core::NetworkAgreement agreement;
  agreement.number = "СВ-7/2026";
  agreement.signed_on = today.AddDays(-30);
  agreement.supported_school_id = d_.school1;
  agreement.partner_kind = core::PartnerKind::kInstitution;
  agreement.partner_name = "МБУ ДО «Спортивная школа»";
  agreement = Must(office.store().records().Save(agreement), "agreement");
  core::NetworkEvent seminar;
  seminar.title = "Семинар «Смысловое чтение»";
  seminar.held_on = today.AddDays(-3);
  seminar = Must(office.store().records().Save(seminar), "event");
  core::EventParticipant teacher2_there;
  teacher2_there.event_id = seminar.id;
  teacher2_there.teacher_id = d_.teacher2;
  teacher2_there = Must(office.store().records().Save(teacher2_there), "participant");

  core::RoadmapItem roadmap;
  roadmap.title = "Педсовет по итогам ВПР";
  roadmap.level = core::RoadmapLevel::kSchool;
  roadmap.school_id = d_.school1;
  roadmap.starts_on = today.AddDays(-10);
  roadmap.ends_on = today.AddDays(10);
  roadmap = Must(mentor1.store().records().Save(roadmap), "roadmap");
  core::PlanItem plan;
  plan.person_id = d_.mentor1;
  plan.school_id = d_.school1;
  plan.planned_on = today.AddDays(7);
  plan = Must(mentor1.store().records().Save(plan), "plan");

  core::Deficit deficit;
  deficit.teacher_id = d_.teacher2;
  deficit.area = "формирующее оценивание";
  deficit.found_on = today.AddDays(-5);
  deficit = Must(tutor.store().records().Save(deficit), "deficit");
  core::RouteItem route;
  route.teacher_id = d_.teacher2;
  route.deficit_id = deficit.id;
  route.activity = core::RouteActivity::kPeerVisits;
  route.title = "Посетить три урока учителя-наставника";
  route.starts_on = today;
  route.due_on = today.AddDays(30);
  route = Must(tutor.store().records().Save(route), "route");
  core::Training course;
  course.teacher_id = d_.teacher2;
  course.provider = "ГАУ ДПО «Институт развития образования»";
  course.title = "Формирующее оценивание";
  course.hours = 36;
  course.starts_on = today.AddDays(-20);
  course.ends_on = today.AddDays(-6);
  course = Must(tutor.store().records().Save(course), "training");

  // Back in coverage: everyone syncs, then everyone again to get the others' work.
  for (int round = 0; round < 2; ++round) {
    for (auto [device, session] :
         {std::pair{&office, as_office}, {&mentor1, as_mentor1}, {&mentor2, as_mentor2}, {&tutor, as_tutor}}) {
      device->Push(*service_, session);
      device->Pull(*service_, session);
    }
  }

  // The coordinator sees everything of the district.
  EXPECT_TRUE(Has<core::RoadmapItem>(office, roadmap.id));
  EXPECT_TRUE(Has<core::PlanItem>(office, plan.id));
  EXPECT_TRUE(Has<core::RouteItem>(office, route.id));
  EXPECT_TRUE(Has<core::Training>(office, course.id));
  EXPECT_TRUE(Has<core::Deficit>(office, deficit.id));

  // Mentor 1 (school 101): the agreement, its roadmap and plan, the district's event; not the
  // route, course, deficit or event participation of a teacher of school 102.
  EXPECT_TRUE(Has<core::NetworkAgreement>(mentor1, agreement.id));
  EXPECT_TRUE(Has<core::NetworkEvent>(mentor1, seminar.id));
  EXPECT_FALSE(Has<core::EventParticipant>(mentor1, teacher2_there.id));
  EXPECT_FALSE(Has<core::RouteItem>(mentor1, route.id));
  EXPECT_FALSE(Has<core::Training>(mentor1, course.id));
  EXPECT_FALSE(Has<core::Deficit>(mentor1, deficit.id));

  // Mentor 2 (school 102, teacher2's school) sees teacher2's route, course and participation.
  EXPECT_TRUE(Has<core::RouteItem>(mentor2, route.id));
  EXPECT_TRUE(Has<core::Training>(mentor2, course.id));
  EXPECT_TRUE(Has<core::EventParticipant>(mentor2, teacher2_there.id));
  EXPECT_TRUE(Has<core::NetworkEvent>(mentor2, seminar.id));
  EXPECT_FALSE(Has<core::RoadmapItem>(mentor2, roadmap.id));

  // The tutor sees their teacher's participation and the event, not school 101's roadmap.
  EXPECT_TRUE(Has<core::EventParticipant>(tutor, teacher2_there.id));
  EXPECT_TRUE(Has<core::NetworkEvent>(tutor, seminar.id));
  EXPECT_FALSE(Has<core::RoadmapItem>(tutor, roadmap.id));
  EXPECT_FALSE(Has<core::NetworkAgreement>(tutor, agreement.id));

  for (auto [device, account] : {std::pair{&office, d_.coordinator_account},
                                 {&mentor1, d_.mentor1_account},
                                 {&mentor2, d_.mentor2_account},
                                 {&tutor, d_.tutor_account}}) {
    EXPECT_EQ(device->Hash(), Must(service_->StateHash(account))) << device->id();
  }
}

TEST_P(InstrumentsScopeTest, ANetworkEventIsTheDistrictsAndAMentorsIsRefusedWithAReason) {
  Device mentor1(dir_.path(), "mentor1", clock_);
  const Session as_mentor1 = SessionOf(d_.mentor1_account);
  mentor1.Pull(*service_, as_mentor1);
  core::NetworkEvent event;
  event.title = "Мастер-класс";
  event.held_on = mentor1.store().records().Today();
  Must(mentor1.store().records().Save(event), "event");
  const std::vector<sync::Rejection> rejected = mentor1.Push(*service_, as_mentor1);
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_FALSE(rejected[0].reason_ru.empty());
  EXPECT_NE(rejected[0].reason_en.find("coordinator"), std::string::npos) << rejected[0].reason_en;
}

INSTANTIATE_TEST_SUITE_P(Backends, InstrumentsScopeTest, ::testing::Values("Sqlite", "Postgres"), BackendName);

}  // namespace
}  // namespace mentorlog::server::testing
