// The shared rules (rules.h), and the one place that restates one in SQL.
#include "mentorlog/domain/rules.h"

#include <gtest/gtest.h>

#include "test_fixtures.h"

namespace mentorlog::core::testing {
namespace {

class RulesTest : public StoreFixture {};

TEST_F(RulesTest, OverdueMeansOpenAndDueBeforeToday) {
  Recommendation r;
  r.due_on = Date::FromDays(20'030);
  const Date due = r.due_on;
  for (RecommendationStatus s : {RecommendationStatus::kOpen, RecommendationStatus::kInProgress}) {
    r.status = s;
    EXPECT_TRUE(IsOpen(s));
    EXPECT_FALSE(IsOverdue(r, due)) << "due today is not overdue yet";
    EXPECT_TRUE(IsOverdue(r, due.AddDays(1)));
    EXPECT_FALSE(IsOverdue(r, due.AddDays(-1)));
  }
  for (RecommendationStatus s : {RecommendationStatus::kDone, RecommendationStatus::kDropped}) {
    r.status = s;
    EXPECT_FALSE(IsOpen(s));
    EXPECT_FALSE(IsOverdue(r, due.AddDays(100))) << "a closed recommendation is never overdue";
  }
}

TEST_F(RulesTest, APlanItemIsDoneByItsMarkOrByARecordOfItsActivityInThePlannedMonth) {
  const Uuid mentor = Uuid::MakeV7(1), school = Uuid::MakeV7(2), other = Uuid::MakeV7(3), teacher = Uuid::MakeV7(4);
  const Date planned = *Date::Parse("2026-11-12");
  const Date today = *Date::Parse("2026-12-07");
  PlanItem item;
  item.person_id = mentor;
  item.school_id = school;
  item.activity = PlanActivity::kVisit;
  item.planned_on = planned;

  EXPECT_FALSE(MarkedDone(item, today));
  item.done_on = *Date::Parse("2026-11-30");
  EXPECT_TRUE(MarkedDone(item, today));
  EXPECT_FALSE(MarkedDone(item, *Date::Parse("2026-11-29"))) << "not yet done on the 29th";
  item.done_on.reset();

  Visit v;
  v.school_id = school;
  v.visitor_ids = {Uuid::MakeV7(9), mentor};
  v.date = *Date::Parse("2026-11-03");  // earlier in the planned month counts
  EXPECT_TRUE(Fulfils(v, item, today));
  EXPECT_FALSE(Fulfils(v, item, *Date::Parse("2026-11-02"))) << "not before it happened";
  v.date = *Date::Parse("2026-12-01");
  EXPECT_FALSE(Fulfils(v, item, today)) << "another month";
  v.date = planned;
  v.school_id = other;
  EXPECT_FALSE(Fulfils(v, item, today)) << "another school";
  v.school_id = school;
  v.visitor_ids = {Uuid::MakeV7(9)};
  EXPECT_FALSE(Fulfils(v, item, today)) << "someone else's visit";

  // An observation fulfils a planned observation of the item's teacher, not a planned visit.
  Observation o;
  o.school_id = school;
  o.observer_id = mentor;
  o.teacher_id = teacher;
  o.date = planned;
  EXPECT_FALSE(Fulfils(o, item, today));
  item.activity = PlanActivity::kObservation;
  EXPECT_TRUE(Fulfils(o, item, today));
  item.teacher_id = Uuid::MakeV7(5);
  EXPECT_FALSE(Fulfils(o, item, today)) << "another teacher's lesson";

  Consultation c;
  c.school_id = school;
  c.consultant_id = mentor;
  c.date = planned;
  item.activity = PlanActivity::kConsultation;
  item.teacher_id.reset();
  EXPECT_TRUE(Fulfils(c, item, today)) << "no teacher named: any consultation at the school";
  item.teacher_id = teacher;
  EXPECT_FALSE(Fulfils(c, item, today)) << "the management team's consultation is not the teacher's";
}

TEST_F(RulesTest, EachRecordFulfilsOnePlanItemOfEachPersonAtMost) {
  const Uuid mentor = Uuid::MakeV7(1), partner = Uuid::MakeV7(2), school = Uuid::MakeV7(3);
  const Uuid ivanova = Uuid::MakeV7(4), petrov = Uuid::MakeV7(5);
  const Date today = *Date::Parse("2026-12-07");
  auto item = [&](Uuid person, PlanActivity activity, const char* on, std::optional<Uuid> teacher = std::nullopt) {
    PlanItem p;
    p.person_id = person;
    p.school_id = school;
    p.activity = activity;
    p.planned_on = *Date::Parse(on);
    p.teacher_id = teacher;
    return p;
  };
  auto done = [&](const PlanMatch& match, const std::vector<PlanItem>& items) {
    std::vector<const PlanItem*> ptrs;
    for (const PlanItem& p : items) ptrs.push_back(&p);
    std::string flags;
    for (const PlanMatch::Outcome& o : match.Match(ptrs)) flags += o.done ? '1' : '0';
    return flags;
  };

  // Two visits planned for October, one made: one of them done, the earlier planned.
  Visit v;
  v.school_id = school;
  v.visitor_ids = {mentor, partner};
  v.date = *Date::Parse("2026-10-20");
  PlanMatch visits(today);
  visits.Add(v);
  const std::vector<PlanItem> two = {item(mentor, PlanActivity::kVisit, "2026-10-25"),
                                     item(mentor, PlanActivity::kVisit, "2026-10-05")};
  EXPECT_EQ(done(visits, two), "01");
  auto outcome = visits.Match({&two[1]});
  ASSERT_EQ(outcome.size(), 1u);
  EXPECT_EQ(outcome[0].by_record_of, v.date) << "the visit that did it";
  // The same visit, made together, fulfils each visitor's own plan.
  EXPECT_EQ(done(visits,
                 {item(mentor, PlanActivity::kVisit, "2026-10-05"), item(partner, PlanActivity::kVisit, "2026-10-06")}),
            "11");
  // An item marked done takes no record: the visit still fulfils the other.
  std::vector<PlanItem> marked = two;
  marked[0].done_on = *Date::Parse("2026-10-26");
  EXPECT_EQ(done(visits, marked), "11");

  // One observation of Ivanova: "observe Ivanova" gets it, though "observe a lesson" was planned
  // earlier; with a second observation (of Petrov) both are done.
  Observation o;
  o.school_id = school;
  o.observer_id = mentor;
  o.teacher_id = ivanova;
  o.date = *Date::Parse("2026-11-10");
  PlanMatch lessons(today);
  lessons.Add(o);
  const std::vector<PlanItem> observe = {item(mentor, PlanActivity::kObservation, "2026-11-02"),
                                         item(mentor, PlanActivity::kObservation, "2026-11-20", ivanova)};
  EXPECT_EQ(done(lessons, observe), "01");
  Observation o2 = o;
  o2.teacher_id = petrov;
  lessons.Add(o2);
  EXPECT_EQ(done(lessons, observe), "11");
  EXPECT_EQ(done(PlanMatch(*Date::Parse("2026-11-09")), observe), "00") << "nothing recorded by then";
}

TEST_F(RulesTest, OnlyTheHistoryAndAClosedRoundsResultsAreAppendOnly) {
  for (RecordKind kind : kAllRecordKinds) {
    EXPECT_EQ(IsAppendOnly(kind), kind == RecordKind::kRecommendationEvent || kind == RecordKind::kRoundResult)
        << EnumCode(kind);
  }
  EXPECT_FALSE(AppendOnlyRefusal(RecordKind::kRecommendationEvent).en.empty());
  EXPECT_FALSE(AppendOnlyRefusal(RecordKind::kRecommendationEvent).ru.empty());
  EXPECT_NE(AppendOnlyRefusal(RecordKind::kRoundResult).en.find("round"), std::string::npos);
}

TEST_F(RulesTest, AnEditKeepsTheStatusForwardAndTheHistoryUnchanged) {
  Recommendation old;
  old.status = RecommendationStatus::kInProgress;
  Recommendation next = old;
  next.status = RecommendationStatus::kDone;
  EXPECT_TRUE(CheckEdit(old, next, EditAction::kSave).ok());
  next.status = RecommendationStatus::kOpen;
  const Status back = CheckEdit(old, next, EditAction::kSave);
  EXPECT_EQ(back.code(), StatusCode::kConflict);
  EXPECT_NE(back.message(Language::kRussian).find("возобновите"), std::string::npos)
      << back.message(Language::kRussian);
  EXPECT_NE(back.message(Language::kEnglish).find("reopen it"), std::string::npos);

  next = old;
  next.reopen_count = old.reopen_count + 1;
  EXPECT_EQ(CheckEdit(old, next, EditAction::kSave).code(), StatusCode::kConflict);
  next.status = RecommendationStatus::kOpen;
  EXPECT_TRUE(CheckEdit(old, next, EditAction::kReopen).ok()) << "a reopening goes back, and counts";

  RecommendationEvent event;
  EXPECT_EQ(CheckEdit(event, event, EditAction::kSave).code(), StatusCode::kConflict);
  Visit visit;
  EXPECT_TRUE(CheckEdit(visit, visit, EditAction::kSave).ok());
}

TEST_F(RulesTest, AHistoryEntryHeldAsAStateIsNotEditedEither) {
  auto state = [](RecordKind kind, std::string text, bool deleted = false) {
    RecordState s;
    s.kind = kind;
    s.id = Uuid::MakeV7(1);
    s.fields.push_back(FieldState{"text", FieldValue(std::move(text)), {}, {}});
    if (deleted) s.deleted = FieldClock{};
    return s;
  };
  const RecordState stored = state(RecordKind::kRecommendationEvent, "Обсудили план урока");
  EXPECT_TRUE(CheckEdit(stored, stored).ok()) << "the same values again: a retried push";
  const Status edit = CheckEdit(stored, state(RecordKind::kRecommendationEvent, "Переписано"));
  EXPECT_EQ(edit.code(), StatusCode::kConflict);
  EXPECT_EQ(edit.local_message(), AppendOnlyRefusal(RecordKind::kRecommendationEvent));
  RecordState other_field = stored;
  other_field.fields[0].field = "kind";
  EXPECT_EQ(CheckEdit(stored, other_field).code(), StatusCode::kConflict) << "a field the entry lacks";
  EXPECT_TRUE(CheckEdit(state(RecordKind::kRecommendationEvent, "x", /*deleted=*/true), stored).ok());
  EXPECT_TRUE(CheckEdit(state(RecordKind::kVisit, "x"), state(RecordKind::kVisit, "y")).ok());
}

TEST_F(RulesTest, WithoutContactMeansNeverOrLongerThanTheThreshold) {
  const Date today = Date::FromDays(20'400);
  EXPECT_EQ(DaysSinceContact(std::nullopt, today), std::nullopt);
  EXPECT_EQ(DaysSinceContact(today.AddDays(-12), today), 12);
  EXPECT_EQ(DaysSinceContact(today, today), 0);
  EXPECT_TRUE(WithoutContact(std::nullopt, kDefaultNoContactDays));
  EXPECT_FALSE(WithoutContact(kDefaultNoContactDays, kDefaultNoContactDays)) << "30 days ago is still in time";
  EXPECT_TRUE(WithoutContact(kDefaultNoContactDays + 1, kDefaultNoContactDays));
  EXPECT_FALSE(WithoutContact(0, 1));
  EXPECT_TRUE(WithoutContact(2, 1));
}

// Records::ActivityOf counts overdue recommendations in SQL: it must count what IsOverdue says.
TEST_F(RulesTest, TheStoresOverdueCountIsIsOverdue) {
  const School school = MakeSchool();
  const Person mentor = MakeMentor();
  const Visit visit = Must(store().records().Save(NewVisit(school.id, mentor.id)));
  std::vector<Recommendation> saved;
  for (int due = 1; due <= 12; ++due) {
    Recommendation r = NewRecommendation(visit, "Рекомендация " + std::to_string(due));
    r.due_on = visit.date.AddDays(due);
    saved.push_back(Must(store().records().Save(r)));
  }
  Must(store().records().AdvanceRecommendation(saved[2].id, RecommendationStatus::kInProgress, "начали"));
  Must(store().records().AdvanceRecommendation(saved[3].id, RecommendationStatus::kDone, "сделано"));
  Must(store().records().AdvanceRecommendation(saved[4].id, RecommendationStatus::kDropped, "не нужно"));
  for (int offset = 0; offset <= 14; ++offset) {
    const Date today = visit.date.AddDays(offset);
    int64_t open = 0, overdue = 0;
    for (const Recommendation& r : Must(store().records().List<Recommendation>())) {
      open += IsOpen(r.status) ? 1 : 0;
      overdue += IsOverdue(r, today) ? 1 : 0;
    }
    const Records::SchoolActivity activity = Must(store().records().ActivityOf(school.id, today));
    EXPECT_EQ(activity.open_recommendations, open) << today.ToString();
    EXPECT_EQ(activity.overdue_recommendations, overdue) << today.ToString();
  }
}

}  // namespace
}  // namespace mentorlog::core::testing
