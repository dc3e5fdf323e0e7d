// Tests of Store::ListBy: the live records of one school, teacher or assignee.
#include <gtest/gtest.h>

#include <vector>

#include "mentorlog/core/store.h"
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

}  // namespace
}  // namespace mentorlog::core
