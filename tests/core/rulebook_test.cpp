// The rulebook's two kinds of rule (validation.h, RuleSpan), as the device's store applies
// them: a record's own rules refuse any change; a rule that spans records or depends on the
// device's clock refuses only a change of the field it is about, never an edit of another.
// (Found by a randomised run: an observation moved past its recommendation's due date made
// every later edit of the recommendation fail, even of its evidence.)
#include <gtest/gtest.h>

#include "mentorlog/domain/validation.h"
#include "test_fixtures.h"

namespace mentorlog::core::testing {
namespace {

constexpr int64_t kRulebookDay = 24LL * 3600 * 1000;

class RulebookTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreOptions o = Options();
    OpenStore(o);
  }
};

TEST_F(RulebookTest, ARuleAcrossRecordsNeverBlocksAnEditOfAnotherField) {
  const School school = MakeSchool();
  const Person mentor = MakeMentor();
  Visit visit = Must(store().records().Save(NewVisit(school.id, mentor.id)));
  Recommendation r = Must(store().records().Save(NewRecommendation(visit)));  // due 30 days after the visit

  // Another device moved the visit 40 days later: the recommendation is now due before it.
  visit.date = visit.date.AddDays(40);
  visit = Must(store().records().Save(visit));

  r.evidence = "Протоколы двух открытых уроков";
  EXPECT_TRUE(store().records().Save(r).ok()) << "an edit of another field is not blocked";

  Recommendation due = Must(store().records().Get<Recommendation>(r.id));
  due.due_on = due.due_on.AddDays(5);  // still before the visit: the change writes the rule's field
  auto refused = store().records().Save(due);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(refused.status().message().find("due date"), std::string::npos) << refused.status().message();
  due.due_on = visit.date.AddDays(10);
  EXPECT_TRUE(store().records().Save(due).ok()) << "fixed where the user can fix it";
}

TEST_F(RulebookTest, ADeviceWhoseClockIsBehindStillEditsARecordDatedToday) {
  const School school = MakeSchool();
  const Person mentor = MakeMentor();
  Visit visit = NewVisit(school.id, mentor.id, store().records().Today());
  visit = Must(store().records().Save(visit));
  clock_.Advance(-kRulebookDay);  // this device's clock is now a day behind the visit's date

  visit.summary = "Дополнено вечером";
  EXPECT_TRUE(store().records().Save(visit).ok()) << "the date is not what this edit changes";
  visit.date = store().records().Today().AddDays(2);
  auto refused = store().records().Save(visit);
  ASSERT_FALSE(refused.ok()) << "a date this device sees in the future, written now, is refused";
  EXPECT_NE(refused.status().message().find("future"), std::string::npos) << refused.status().message();
}

TEST_F(RulebookTest, ARecordsOwnRulesRefuseEveryChange) {
  const School school = MakeSchool();
  const Person mentor = MakeMentor();
  Visit visit = Must(store().records().Save(NewVisit(school.id, mentor.id)));
  visit.purposes.clear();
  auto refused = store().records().Save(visit);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("purpose"), std::string::npos) << refused.status().message();

  const ValidationErrors all = {
      {"due_on", "across", "поперёк", RuleSpan::kAcrossRecords},
      {"text", "own", "своё", RuleSpan::kRecord},
  };
  const std::vector<std::string_view> evidence_only = {"evidence"};
  const std::vector<std::string_view> due_only = {"due_on"};
  EXPECT_EQ(Refusing(all, &evidence_only).size(), 1u);
  EXPECT_EQ(Refusing(all, &evidence_only).front().field, "text");
  EXPECT_EQ(Refusing(all, &due_only).size(), 2u);
  EXPECT_EQ(Refusing(all, nullptr).size(), 2u) << "a new record writes every field";
}

}  // namespace
}  // namespace mentorlog::core::testing
