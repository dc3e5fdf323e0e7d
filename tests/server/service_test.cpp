// Sync semantics end to end, in process: devices (real SQLite stores) sync with a SyncService
// over each storage backend. The fault suite repeats the key cases with real processes and
// a faulty network.
#include <gtest/gtest.h>

#include "server/sync_fixture.h"

namespace mentorlog::server::testing {
namespace {

using core::Date;
using core::Uuid;

constexpr int64_t kDay = 24LL * 3600 * 1000;

class SyncServiceTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    district_ = MiniDistrict::Create(*service_, *storage_, dir_.path(), clock_);
  }

  std::unique_ptr<Device> NewDevice(const std::string& name, const mentorlog::Clock* clock = nullptr) {
    return std::make_unique<Device>(dir_.path(), name, clock ? *clock : clock_);
  }

  core::Visit SaveVisit(Device& d, const Uuid& school, const Uuid& mentor, std::string summary = "Первый выезд",
                        int days_ago = 1) {
    core::Visit v;
    v.school_id = school;
    v.date = d.store().records().Today().AddDays(-days_ago);
    v.visitor_ids = {mentor};
    v.purposes = {core::VisitPurpose::kDiagnostics};
    v.summary = std::move(summary);
    return Must(d.store().records().Save(std::move(v)), "save visit");
  }

  std::string ServerHash(const Account& a) { return Must(service_->StateHash(a), "StateHash"); }

  MiniDistrict district_;
};

TEST_P(SyncServiceTest, AFreshDeviceGetsItsScopeAndMatchesTheServer) {
  auto a = NewDevice("laptop");
  a->Sync(*service_, SessionOf(district_.mentor1_account));
  EXPECT_TRUE(a->store().records().Get<core::School>(district_.school1).ok());
  EXPECT_FALSE(a->store().records().Get<core::School>(district_.school2).ok()) << "another mentor's school";
  EXPECT_FALSE(a->store().records().Get<core::Person>(district_.teacher2).ok()) << "a teacher of another school";
  EXPECT_TRUE(a->store().records().Get<core::Person>(district_.mentor2).ok()) << "district-wide people are visible";
  EXPECT_EQ(a->Hash(), ServerHash(district_.mentor1_account));
  EXPECT_EQ(Must(a->store().ledger().PendingCount()), 0);
  EXPECT_TRUE(Must(a->store().ConsistencyProblems()).empty());
}

TEST_P(SyncServiceTest, ConcurrentEditsOfOneFieldKeepTheLoserAsAConflict) {
  auto a = NewDevice("laptop");
  auto b = NewDevice("tablet");
  const Session s = SessionOf(district_.mentor1_account);
  a->Sync(*service_, s);
  core::Visit v = SaveVisit(*a, district_.school1, district_.mentor1);
  a->Sync(*service_, s);
  b->Sync(*service_, s);

  core::Visit va = Must(a->store().records().Get<core::Visit>(v.id));
  va.summary = "версия ноутбука";
  Must(a->store().records().Save(va));
  clock_.Advance(1000);
  core::Visit vb = Must(b->store().records().Get<core::Visit>(v.id));
  vb.summary = "версия планшета";
  vb.problems = "только на планшете";
  Must(b->store().records().Save(vb));

  a->Sync(*service_, s);
  b->Sync(*service_, s);
  a->Sync(*service_, s);

  for (Device* d : {a.get(), b.get()}) {
    core::Visit got = Must(d->store().records().Get<core::Visit>(v.id));
    EXPECT_EQ(got.summary, "версия планшета") << d->id() << ": the later edit wins";
    EXPECT_EQ(got.problems, "только на планшете") << d->id() << ": other fields merge";
    auto conflicts = Must(d->store().ledger().Conflicts());
    ASSERT_EQ(conflicts.size(), 1u) << d->id();
    EXPECT_EQ(conflicts[0].field, "summary");
    EXPECT_EQ(std::get<std::string>(conflicts[0].lost), "версия ноутбука");
    EXPECT_EQ(conflicts[0].reason, core::ConflictReason::kConcurrentEdit);
  }
  EXPECT_EQ(a->Hash(), b->Hash());
  EXPECT_EQ(a->Hash(), ServerHash(district_.mentor1_account));
}

TEST_P(SyncServiceTest, StatusDoneAndAnOfflineNoteEditBothSurvive) {
  auto a = NewDevice("laptop");
  auto b = NewDevice("tablet");
  const Session s = SessionOf(district_.mentor1_account);
  a->Sync(*service_, s);
  core::Visit v = SaveVisit(*a, district_.school1, district_.mentor1);
  core::Recommendation r;
  r.source_kind = core::SourceKind::kVisit;
  r.source_id = v.id;
  r.school_id = district_.school1;
  r.text = "Провести открытые уроки";
  r.responsible_name = "Завуч";
  r.created_on = v.date;
  r.due_on = v.date.AddDays(30);
  r = Must(a->store().records().Save(r));
  a->Sync(*service_, s);
  b->Sync(*service_, s);

  Must(a->store().records().AdvanceRecommendation(r.id, core::RecommendationStatus::kDone, "проведены"));
  core::Recommendation rb = Must(b->store().records().Get<core::Recommendation>(r.id));
  rb.evidence = "протоколы двух уроков";
  Must(b->store().records().Save(rb));
  Must(b->store().records().AdvanceRecommendation(r.id, core::RecommendationStatus::kInProgress, "начали"));

  b->Sync(*service_, s);
  a->Sync(*service_, s);
  b->Sync(*service_, s);
  for (Device* d : {a.get(), b.get()}) {
    core::Recommendation got = Must(d->store().records().Get<core::Recommendation>(r.id));
    EXPECT_EQ(got.status, core::RecommendationStatus::kDone) << d->id() << ": a status never goes back";
    EXPECT_EQ(got.evidence, "протоколы двух уроков") << d->id();
    EXPECT_EQ(Must(d->store().records().List<core::RecommendationEvent>()).size(), 2u) << "history is append-only";
  }
  EXPECT_EQ(a->Hash(), b->Hash());
  EXPECT_EQ(a->Hash(), ServerHash(district_.mentor1_account));
}

TEST_P(SyncServiceTest, AReplayedOrOutOfOrderBatchChangesNothing) {
  auto a = NewDevice("laptop");
  const Session s = SessionOf(district_.mentor1_account);
  a->Sync(*service_, s);
  for (int i = 0; i < 6; ++i) SaveVisit(*a, district_.school1, district_.mentor1, "выезд " + std::to_string(i));
  auto all = Must(sync::NextPushBatch(a->store().ledger(), 100, 1 << 20));
  ASSERT_EQ(all.size(), 6u);
  std::vector<sync::Change> first(all.begin(), all.begin() + 3), second(all.begin() + 3, all.end());
  Session sa = s;
  sa.device_id = a->id();

  auto r1 = Must(service_->Push(sa, {a->id(), first}));
  EXPECT_EQ(r1.acked_op_seq, first.back().op_seq);
  const std::string after_first = ServerHash(district_.mentor1_account);
  for (int i = 0; i < 2; ++i) {  // delivered three times in all
    auto again = Must(service_->Push(sa, {a->id(), first}));
    EXPECT_EQ(again.acked_op_seq, r1.acked_op_seq) << "the same answer";
    EXPECT_EQ(ServerHash(district_.mentor1_account), after_first) << "and nothing changed";
  }
  auto r2 = Must(service_->Push(sa, {a->id(), second}));
  EXPECT_EQ(r2.acked_op_seq, second.back().op_seq);
  const std::string after_second = ServerHash(district_.mentor1_account);
  auto late = Must(service_->Push(sa, {a->id(), first}));  // an old batch arriving late
  EXPECT_EQ(late.acked_op_seq, r2.acked_op_seq);
  EXPECT_EQ(ServerHash(district_.mentor1_account), after_second);

  // A batch after a gap is not applied: the device must resend from the acknowledged op.
  auto b = NewDevice("tablet");
  b->Sync(*service_, s);
  for (int i = 0; i < 4; ++i) SaveVisit(*b, district_.school1, district_.mentor1);
  auto bs = Must(sync::NextPushBatch(b->store().ledger(), 100, 1 << 20));
  Session sb = s;
  sb.device_id = b->id();
  auto gap = Must(service_->Push(sb, {b->id(), std::vector<sync::Change>(bs.begin() + 2, bs.end())}));
  EXPECT_EQ(gap.acked_op_seq, 0u);
  a->Pull(*service_, s);
  EXPECT_EQ(Must(a->store().records().Count(core::RecordKind::kVisit)), 6) << "nothing past the gap was applied";
  b->Push(*service_, s);
  a->Pull(*service_, s);
  EXPECT_EQ(Must(a->store().records().Count(core::RecordKind::kVisit)), 10);
}

TEST_P(SyncServiceTest, ClocksAYearAheadOrBehindCannotWinOrLoseUnfairly) {
  mentorlog::FakeClock ahead(clock_.NowMillis() + 365 * kDay);
  mentorlog::FakeClock behind(clock_.NowMillis() - 365 * kDay);
  auto fast = NewDevice("fast", &ahead);
  auto slow = NewDevice("slow", &behind);
  auto ok = NewDevice("ok");
  const Session s = SessionOf(district_.mentor1_account);
  ok->Sync(*service_, s);
  // Dated 400 days back: in the past on every device's clock, so each may edit it.
  core::Visit v = SaveVisit(*ok, district_.school1, district_.mentor1, "выезд", 400);
  ok->Sync(*service_, s);
  fast->Sync(*service_, s);
  slow->Sync(*service_, s);

  // The fast device edits first; its stamp a year ahead is clamped by the server.
  core::Visit fv = Must(fast->store().records().Get<core::Visit>(v.id));
  fv.summary = "с часами на год вперёд";
  Must(fast->store().records().Save(fv));
  Session sf = s;
  sf.device_id = fast->id();
  auto changes = Must(sync::NextPushBatch(fast->store().ledger(), 100, 1 << 20));
  auto answer = Must(service_->Push(sf, {fast->id(), changes}));
  EXPECT_EQ(answer.clamped, 1u);
  EXPECT_GE(service_->clamped_total(), 1u);
  Must(sync::ApplyPushResponse(fast->store().ledger(), changes, answer, 0));
  fast->Pull(*service_, s);

  // A later edit on a correct clock wins over it everywhere.
  clock_.Advance(60'000);
  ok->Pull(*service_, s);
  core::Visit ov = Must(ok->store().records().Get<core::Visit>(v.id));
  ov.summary = "позже, с верными часами";
  Must(ok->store().records().Save(ov));
  ok->Sync(*service_, s);
  fast->Sync(*service_, s);
  EXPECT_EQ(Must(fast->store().records().Get<core::Visit>(v.id)).summary, "позже, с верными часами");

  // The slow device saw the latest stamps when it pulled, so its next edit still comes later.
  slow->Pull(*service_, s);
  core::Visit sv = Must(slow->store().records().Get<core::Visit>(v.id));
  sv.summary = "с часами на год назад";
  Must(slow->store().records().Save(sv));
  slow->Sync(*service_, s);
  // And its clock jumping back again mid-session does not reorder its own edits.
  behind.Advance(-30 * kDay);
  sv.summary = "после скачка часов назад";
  Must(slow->store().records().Save(sv));
  slow->Sync(*service_, s);
  for (Device* d : {fast.get(), slow.get(), ok.get()}) d->Sync(*service_, s);
  for (Device* d : {fast.get(), slow.get(), ok.get()}) {
    EXPECT_EQ(Must(d->store().records().Get<core::Visit>(v.id)).summary, "после скачка часов назад") << d->id();
    EXPECT_EQ(d->Hash(), ServerHash(district_.mentor1_account)) << d->id();
  }
}

TEST_P(SyncServiceTest, ReassignmentBackfillsTheNewSchoolAndRejectsEditsOfTheOldOne) {
  auto coordinator = NewDevice("district-office");
  auto mentor = NewDevice("mentor-laptop");
  const Session cs = SessionOf(district_.coordinator_account);
  const Session ms = SessionOf(district_.mentor1_account);
  coordinator->Sync(*service_, cs);
  mentor->Sync(*service_, ms);
  core::Visit v = SaveVisit(*mentor, district_.school1, district_.mentor1);
  mentor->Sync(*service_, ms);
  // Records of school 2 exist before the mentor is given it.
  SaveVisit(*coordinator, district_.school2, district_.mentor2, "выезд другого наставника");
  coordinator->Sync(*service_, cs);

  // Offline, the mentor edits the school-1 visit; meanwhile the coordinator moves them.
  core::Visit edited = Must(mentor->store().records().Get<core::Visit>(v.id));
  edited.summary = "правка после переназначения";
  Must(mentor->store().records().Save(edited));
  coordinator->Pull(*service_, cs);
  core::Assignment old = Must(coordinator->store().records().Get<core::Assignment>(district_.assignment1));
  old.ends_on = coordinator->store().records().Today().AddDays(-1);
  Must(coordinator->store().records().Save(old));
  core::Assignment now;
  now.kind = core::AssignmentKind::kMentorSchool;
  now.assignee_id = district_.mentor1;
  now.school_id = district_.school2;
  now.starts_on = coordinator->store().records().Today();
  Must(coordinator->store().records().Save(now));
  coordinator->Sync(*service_, cs);

  auto rejected = mentor->Push(*service_, ms);
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].code, "permission");
  EXPECT_EQ(rejected[0].record_id, v.id);
  EXPECT_EQ(Must(mentor->store().ledger().Rejected()).size(), 1u) << "the refused edit is kept on the device";
  mentor->Pull(*service_, ms);
  EXPECT_EQ(Must(mentor->store().ledger().PendingCount()), 0) << "the queue is not blocked";
  EXPECT_TRUE(mentor->store().records().Get<core::School>(district_.school2).ok()) << "the new school is back-filled";
  bool found = false;
  for (const auto& visit : Must(mentor->store().records().List<core::Visit>())) {
    found = found || visit.summary == "выезд другого наставника";
  }
  EXPECT_TRUE(found) << "with its history from before the reassignment";
  EXPECT_EQ(mentor->Hash(), ServerHash(district_.mentor1_account));

  // A later change in the new school goes through.
  SaveVisit(*mentor, district_.school2, district_.mentor1, "первый выезд в новую школу");
  EXPECT_TRUE(mentor->Push(*service_, ms).empty());
  coordinator->Pull(*service_, cs);
  EXPECT_EQ(Must(coordinator->store().records().Count(core::RecordKind::kVisit)), 3);
}

TEST_P(SyncServiceTest, DeleteWinsOverAConcurrentEditEverywhere) {
  auto a = NewDevice("laptop");
  auto b = NewDevice("tablet");
  const Session s = SessionOf(district_.mentor1_account);
  a->Sync(*service_, s);
  core::Visit v = SaveVisit(*a, district_.school1, district_.mentor1);
  a->Sync(*service_, s);
  b->Sync(*service_, s);

  core::Visit vb = Must(b->store().records().Get<core::Visit>(v.id));
  vb.summary = "правка удалённой записи";
  Must(b->store().records().Save(vb));
  clock_.Advance(1000);
  Must(a->store().records().Delete(core::RecordKind::kVisit, v.id));
  a->Sync(*service_, s);
  b->Sync(*service_, s);
  a->Sync(*service_, s);
  for (Device* d : {a.get(), b.get()}) {
    EXPECT_FALSE(d->store().records().Get<core::Visit>(v.id).ok()) << d->id() << ": deleted everywhere";
    auto conflicts = Must(d->store().ledger().Conflicts());
    ASSERT_EQ(conflicts.size(), 1u) << d->id();
    EXPECT_EQ(conflicts[0].reason, core::ConflictReason::kEditAfterDelete);
    EXPECT_EQ(std::get<std::string>(conflicts[0].lost), "правка удалённой записи") << "the edit is not lost";
  }
  EXPECT_EQ(a->Hash(), b->Hash());
}

TEST_P(SyncServiceTest, AppendOnlyHistoryRefusesEdits) {
  auto a = NewDevice("laptop");
  const Session s = SessionOf(district_.mentor1_account);
  a->Sync(*service_, s);
  core::Visit v = SaveVisit(*a, district_.school1, district_.mentor1);
  core::Recommendation r;
  r.source_kind = core::SourceKind::kVisit;
  r.source_id = v.id;
  r.school_id = district_.school1;
  r.text = "Провести педсовет";
  r.responsible_name = "Директор";
  r.created_on = v.date;
  r.due_on = v.date.AddDays(10);
  r = Must(a->store().records().Save(r));
  Must(a->store().records().AdvanceRecommendation(r.id, core::RecommendationStatus::kInProgress, "начали"));
  a->Sync(*service_, s);
  auto events = Must(a->store().records().List<core::RecommendationEvent>());
  ASSERT_EQ(events.size(), 1u);

  // A hostile client sends an edit of the history entry: refused with a reason.
  sync::Change c;
  c.device_id = "hostile";
  c.op_seq = 1;
  c.kind = core::RecordKind::kRecommendationEvent;
  c.record_id = events[0].id;
  c.stamp = core::HlcStamp::FromParts(static_cast<uint64_t>(clock_.NowMillis()), 0);
  c.fields = {{"text", std::string("переписано"), c.stamp, {}}};
  Session h = s;
  h.device_id = "hostile";
  auto answer = Must(service_->Push(h, {"hostile", {c}}));
  ASSERT_EQ(answer.rejected.size(), 1u);
  EXPECT_EQ(answer.rejected[0].code, "append_only");
  EXPECT_EQ(answer.acked_op_seq, 1u) << "a refused change is acknowledged: the queue moves on";
}

TEST_P(SyncServiceTest, ScopeIsTheAccountsNotTheRequests) {
  EXPECT_EQ(Must(service_->ScopeOf(district_.mentor1_account)).schools, std::vector<Uuid>{district_.school1});
  EXPECT_EQ(Must(service_->ScopeOf(district_.mentor1_account)).district, "Заречный") << "their person record's";
  EXPECT_EQ(Must(service_->ScopeOf(district_.tutor_account)).schools, std::vector<Uuid>{district_.school2});
  auto coordinator = Must(service_->ScopeOf(district_.coordinator_account));
  EXPECT_EQ(coordinator.schools.size(), 2u) << "the district's two schools, not the other district's";
  EXPECT_EQ(coordinator.district, "Заречный");
  EXPECT_TRUE(Must(service_->ScopeOf(district_.admin_account)).schools.empty());
  auto pull = service_->Pull(SessionOf(district_.admin_account), {"x", "", 100, 1 << 20});
  ASSERT_FALSE(pull.ok());
  EXPECT_EQ(pull.status().code(), StatusCode::kPermissionDenied);

  // A forged cursor cannot widen the scope: whatever it says, only school 1 flows.
  sync::PullRequest forged{"dev", std::string("MC\x01garbage", 10), 5000, 4 << 20};
  auto answer = Must(service_->Pull(SessionOf(district_.mentor1_account), forged));
  for (const auto& state : answer.records) {
    auto school = Must(sync::SchoolOf(state, [&](const Uuid&) -> Result<std::optional<core::RecordState>> {
      return std::optional<core::RecordState>();
    }));
    if (school) {
      EXPECT_EQ(*school, district_.school1) << core::EnumCode(state.kind);
    }
  }
}

TEST_P(SyncServiceTest, PullIsBoundedAndResumesFromItsCursor) {
  auto seeder = NewDevice("seeder");
  const Session s = SessionOf(district_.mentor1_account);
  seeder->Sync(*service_, s);
  for (int i = 0; i < 120; ++i) SaveVisit(*seeder, district_.school1, district_.mentor1, std::to_string(i));
  seeder->Sync(*service_, s);

  auto fresh = NewDevice("fresh");
  // Take three small batches, then "lose the connection": a new device object on the same file.
  Session fs = s;
  fs.device_id = fresh->id();
  for (int i = 0; i < 3; ++i) {
    auto cursor = Must(fresh->store().ledger().GetSyncValue(sync::kCursorKey));
    auto answer = Must(service_->Pull(fs, {fresh->id(), cursor.value_or(""), 10, 1 << 20}));
    EXPECT_LE(answer.records.size() + answer.conflicts.size(), 10u);
    EXPECT_TRUE(answer.more);
    Must(sync::ApplyPullResponse(fresh->store().ledger(), answer, 0));
  }
  const int64_t before = Must(fresh->store().records().Count(core::RecordKind::kVisit));
  const int batches = fresh->Pull(*service_, s, 10);
  EXPECT_GT(batches, 1);
  EXPECT_EQ(Must(fresh->store().records().Count(core::RecordKind::kVisit)), 120);
  EXPECT_LT(before, 120);
  EXPECT_EQ(fresh->Hash(), ServerHash(district_.mentor1_account));
}

INSTANTIATE_TEST_SUITE_P(Backends, SyncServiceTest, ::testing::Values("Sqlite", "Postgres"), BackendName);

}  // namespace
}  // namespace mentorlog::server::testing
