// Tests of Records::ListBy: the live records of one school, teacher or assignee.
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
  const Visit v1 = Must(store().records().Save(NewVisit(a.id, mentor.id, Date::FromDays(20'000))), "visit");
  const Visit v2 = Must(store().records().Save(NewVisit(a.id, mentor.id, Date::FromDays(20'001))), "visit");
  const Visit other = Must(store().records().Save(NewVisit(b.id, mentor.id)), "visit");
  const Visit gone = Must(store().records().Save(NewVisit(a.id, mentor.id)), "visit");
  Must(store().records().Delete(RecordKind::kVisit, gone.id), "delete");

  const auto visits = Must(store().records().ListBy<Visit>("school_id", a.id), "ListBy");
  ASSERT_EQ(visits.size(), 2u);
  EXPECT_EQ(visits[0].id, v1.id);
  EXPECT_EQ(visits[1].id, v2.id);
  EXPECT_EQ(Must(store().records().ListBy<Visit>("school_id", b.id), "ListBy").size(), 1u);
  (void)other;
}

TEST_F(StoreListByTest, MatchesOptionalIdFields) {
  const School a = MakeSchool();
  const Person t1 = MakeTeacher(a.id, "Иванова А. А.");
  MakeTeacher(a.id, "Петрова Б. Б.");
  MakeMentor();  // no school
  const auto people = Must(store().records().ListBy<Person>("school_id", a.id), "ListBy");
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[0].id, t1.id);
}

TEST_F(StoreListByTest, UnknownOrNonIdFieldIsInvalidInput) {
  const School a = MakeSchool();
  EXPECT_EQ(store().records().ListBy<Visit>("summary", a.id).status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(store().records().ListBy<Visit>("school_id; DROP TABLE visits", a.id).status().code(),
            StatusCode::kInvalidInput);
}

TEST_F(StoreListByTest, ActivityOfCountsContactsAndOpenRecommendationsOfOneSchool) {
  const School a = MakeSchool("101", "Школа А");
  const School b = MakeSchool("102", "Школа Б");
  const Person mentor = MakeMentor();
  const Date today = store().records().Today();
  const Visit early = Must(store().records().Save(NewVisit(a.id, mentor.id, today.AddDays(-40))), "visit");
  Must(store().records().Save(NewVisit(a.id, mentor.id, today.AddDays(-12))), "visit");
  const Visit gone = Must(store().records().Save(NewVisit(a.id, mentor.id, today.AddDays(-3))), "visit");
  Must(store().records().Delete(RecordKind::kVisit, gone.id), "delete");
  Must(store().records().Save(NewVisit(b.id, mentor.id, today)), "visit elsewhere");
  Consultation c;
  c.school_id = a.id;
  c.date = today.AddDays(-7);
  c.consultant_id = mentor.id;
  c.minutes = 45;
  c.topics = {ConsultationTopic::kTransitionProgramme};
  Must(store().records().Save(c), "consultation");

  Recommendation overdue = NewRecommendation(early, "Просрочена");
  overdue.due_on = today.AddDays(-1);
  Must(store().records().Save(overdue), "rec");
  Recommendation due_later = NewRecommendation(early, "В срок");
  due_later.due_on = today.AddDays(5);
  Must(store().records().Save(due_later), "rec");
  const Recommendation done = Must(store().records().Save(NewRecommendation(early, "Выполнена")), "rec");
  Must(store().records().AdvanceRecommendation(done.id, RecommendationStatus::kDone, "готово"), "done");
  const Recommendation dropped = Must(store().records().Save(NewRecommendation(early, "Удалена")), "rec");
  Must(store().records().Delete(RecordKind::kRecommendation, dropped.id), "delete");

  const Records::SchoolActivity activity = Must(store().records().ActivityOf(a.id, today), "ActivityOf");
  ASSERT_TRUE(activity.last_contact.has_value());
  EXPECT_EQ(*activity.last_contact, today.AddDays(-7));  // the consultation; the deleted visit does not count
  EXPECT_EQ(activity.open_recommendations, 2);
  EXPECT_EQ(activity.overdue_recommendations, 1);

  // Contacts dated after the given day (a pulled record from a device a day ahead) do not count.
  const Records::SchoolActivity before = Must(store().records().ActivityOf(a.id, today.AddDays(-20)), "ActivityOf");
  EXPECT_EQ(before.last_contact, std::optional<Date>(today.AddDays(-40)));
  EXPECT_EQ(before.overdue_recommendations, 0);

  const Records::SchoolActivity none = Must(store().records().ActivityOf(Uuid::MakeV7(1), today), "ActivityOf");
  EXPECT_FALSE(none.last_contact.has_value());
  EXPECT_EQ(none.open_recommendations, 0);
}

}  // namespace
}  // namespace mentorlog::core
