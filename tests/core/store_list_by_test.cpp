// Tests of Store::ListBy: the live records of one school, teacher or assignee.
#include <gtest/gtest.h>

#include <vector>

#include "mentorlog/store/store.h"
#include "test_fixtures.h"

namespace mentorlog::core {
namespace {

using testing::Must;

class StoreListByTest : public testing::StoreFixture {};

TEST_F(StoreListByTest, ListsOnlyTheLiveRecordsOfThatSchoolInIdOrder) {
  const School a = MakeSchool("101", "Школа А");
  const School b = MakeSchool("102", "Школа Б");
  const Person mentor = MakeMentor();
  const Visit v1 = Must(store().Save(NewVisit(a.id, mentor.id, Date::FromDays(20'000))), "visit");
  const Visit v2 = Must(store().Save(NewVisit(a.id, mentor.id, Date::FromDays(20'001))), "visit");
  const Visit other = Must(store().Save(NewVisit(b.id, mentor.id)), "visit");
  const Visit gone = Must(store().Save(NewVisit(a.id, mentor.id)), "visit");
  Must(store().Delete(RecordKind::kVisit, gone.id), "delete");

  const auto visits = Must(store().ListBy<Visit>("school_id", a.id), "ListBy");
  ASSERT_EQ(visits.size(), 2u);
  EXPECT_EQ(visits[0].id, v1.id);
  EXPECT_EQ(visits[1].id, v2.id);
  EXPECT_EQ(Must(store().ListBy<Visit>("school_id", b.id), "ListBy").size(), 1u);
  (void)other;
}

TEST_F(StoreListByTest, MatchesOptionalIdFields) {
  const School a = MakeSchool();
  const Person t1 = MakeTeacher(a.id, "Иванова А. А.");
  MakeTeacher(a.id, "Петрова Б. Б.");
  MakeMentor();  // no school
  const auto people = Must(store().ListBy<Person>("school_id", a.id), "ListBy");
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[0].id, t1.id);
}

TEST_F(StoreListByTest, UnknownOrNonIdFieldIsInvalidInput) {
  const School a = MakeSchool();
  EXPECT_EQ(store().ListBy<Visit>("summary", a.id).status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(store().ListBy<Visit>("school_id; DROP TABLE visits", a.id).status().code(), StatusCode::kInvalidInput);
}

TEST_F(StoreListByTest, ActivityOfCountsContactsAndOpenRecommendationsOfOneSchool) {
  const School a = MakeSchool("101", "Школа А");
  const School b = MakeSchool("102", "Школа Б");
  const Person mentor = MakeMentor();
  const Date today = store().Today();
  const Visit early = Must(store().Save(NewVisit(a.id, mentor.id, today.AddDays(-40))), "visit");
  Must(store().Save(NewVisit(a.id, mentor.id, today.AddDays(-12))), "visit");
  const Visit gone = Must(store().Save(NewVisit(a.id, mentor.id, today.AddDays(-3))), "visit");
  Must(store().Delete(RecordKind::kVisit, gone.id), "delete");
  Must(store().Save(NewVisit(b.id, mentor.id, today)), "visit elsewhere");
  Consultation c;
  c.school_id = a.id;
  c.date = today.AddDays(-7);
  c.consultant_id = mentor.id;
  c.minutes = 45;
  c.topics = {ConsultationTopic::kTransitionProgramme};
  Must(store().Save(c), "consultation");

  Recommendation overdue = NewRecommendation(early, "Просрочена");
  overdue.due_on = today.AddDays(-1);
  Must(store().Save(overdue), "rec");
  Recommendation due_later = NewRecommendation(early, "В срок");
  due_later.due_on = today.AddDays(5);
  Must(store().Save(due_later), "rec");
  const Recommendation done = Must(store().Save(NewRecommendation(early, "Выполнена")), "rec");
  Must(store().AdvanceRecommendation(done.id, RecommendationStatus::kDone, "готово"), "done");
  const Recommendation dropped = Must(store().Save(NewRecommendation(early, "Удалена")), "rec");
  Must(store().Delete(RecordKind::kRecommendation, dropped.id), "delete");

  const Store::SchoolActivity activity = Must(store().ActivityOf(a.id, today), "ActivityOf");
  ASSERT_TRUE(activity.last_contact.has_value());
  EXPECT_EQ(*activity.last_contact, today.AddDays(-7));  // the consultation; the deleted visit does not count
  EXPECT_EQ(activity.open_recommendations, 2);
  EXPECT_EQ(activity.overdue_recommendations, 1);

  // Contacts dated after the given day (a pulled record from a device a day ahead) do not count.
  const Store::SchoolActivity before = Must(store().ActivityOf(a.id, today.AddDays(-20)), "ActivityOf");
  EXPECT_EQ(before.last_contact, std::optional<Date>(today.AddDays(-40)));
  EXPECT_EQ(before.overdue_recommendations, 0);

  const Store::SchoolActivity none = Must(store().ActivityOf(Uuid::MakeV7(1), today), "ActivityOf");
  EXPECT_FALSE(none.last_contact.has_value());
  EXPECT_EQ(none.open_recommendations, 0);
}

}  // namespace
}  // namespace mentorlog::core
