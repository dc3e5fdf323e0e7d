// The merge rule (sync/merge.h): per-field LWW, concurrent-edit conflicts, monotone status,
// delete wins, and the device taking the server's word for fields it has not changed.
#include "mentorlog/sync/merge.h"

#include <gtest/gtest.h>

namespace mentorlog::sync {
namespace {

using core::FieldClock;
using core::FieldState;
using core::HlcStamp;
using core::RecordKind;
using core::RecordState;

FieldClock Clock(uint64_t millis, std::string device) { return {HlcStamp::FromParts(millis, 0), std::move(device)}; }

FieldState Text(std::string field, std::string value, FieldClock clock, FieldClock base = {}) {
  return {std::move(field), std::move(value), std::move(clock), std::move(base)};
}

RecordState Visit(std::vector<FieldState> fields) {
  RecordState s;
  s.kind = RecordKind::kVisit;
  s.id = core::Uuid::MakeV7(1000);
  s.fields = std::move(fields);
  return s;
}

TEST(MergeTest, NewRecordIsTakenAsIs) {
  RecordState in = Visit({Text("summary", "a", Clock(10, "A"))});
  MergeResult r = MergeOnServer(std::nullopt, in);
  EXPECT_TRUE(r.changed);
  EXPECT_EQ(r.next, in);
  EXPECT_TRUE(r.conflicts.empty());
}

TEST(MergeTest, LaterClockWinsPerFieldAndOtherFieldsStay) {
  RecordState cur = Visit({Text("summary", "old", Clock(10, "A")), Text("problems", "p", Clock(10, "A"))});
  RecordState in = cur;
  in.fields = {Text("summary", "new", Clock(20, "B"), Clock(10, "A"))};
  MergeResult r = MergeOnServer(cur, in);
  ASSERT_TRUE(r.changed);
  EXPECT_EQ(std::get<std::string>(r.next.Find("summary")->value), "new");
  EXPECT_EQ(std::get<std::string>(r.next.Find("problems")->value), "p");
  EXPECT_TRUE(r.conflicts.empty()) << "B had seen A's value: a sequential edit, not a conflict";
}

TEST(MergeTest, ConcurrentTextEditKeepsTheLoserAsAConflictWhicheverArrivesFirst) {
  RecordState base = Visit({Text("summary", "v0", Clock(10, "S"))});
  RecordState a = base;
  a.fields = {Text("summary", "from A", Clock(20, "A"), Clock(10, "S"))};
  RecordState b = base;
  b.fields = {Text("summary", "from B", Clock(30, "B"), Clock(10, "S"))};

  // A first, then B: B wins, A's value is the loser.
  MergeResult r1 = MergeOnServer(base, a);
  MergeResult r2 = MergeOnServer(r1.next, b);
  ASSERT_EQ(r2.conflicts.size(), 1u);
  EXPECT_EQ(std::get<std::string>(r2.conflicts[0].lost.value), "from A");
  EXPECT_EQ(std::get<std::string>(r2.next.Find("summary")->value), "from B");

  // B first, then A: A loses on arrival; the same value wins and the same one is kept.
  MergeResult q1 = MergeOnServer(base, b);
  MergeResult q2 = MergeOnServer(q1.next, a);
  ASSERT_EQ(q2.conflicts.size(), 1u);
  EXPECT_EQ(std::get<std::string>(q2.conflicts[0].lost.value), "from A");
  EXPECT_EQ(q2.next, r2.next) << "the order of arrival must not change the result";
  EXPECT_FALSE(q2.changed);
}

TEST(MergeTest, EqualStampsAreOrderedByDeviceId) {
  RecordState base = Visit({Text("summary", "v0", Clock(10, "S"))});
  RecordState a = base, b = base;
  a.fields = {Text("summary", "A", Clock(20, "device-a"), Clock(10, "S"))};
  b.fields = {Text("summary", "B", Clock(20, "device-b"), Clock(10, "S"))};
  EXPECT_EQ(std::get<std::string>(MergeOnServer(MergeOnServer(base, a).next, b).next.Find("summary")->value), "B");
  EXPECT_EQ(std::get<std::string>(MergeOnServer(MergeOnServer(base, b).next, a).next.Find("summary")->value), "B");
}

// Seed 58 of the convergence run: a mentor's clock is a second ahead of the server's; the
// coordinator's is a day ahead, so the server clamps the coordinator's stamp to its own clock,
// below the mentor's. The coordinator had seen the mentor's value: its edit still replaces it,
// on the server and on a device that pulls the result.
TEST(MergeTest, AWriteOverTheValueItSawWinsEvenWithALowerStamp) {
  RecordState cur = Visit({Text("next_steps", "mentor's", Clock(2000, "mentor"))});
  RecordState in = cur;
  in.fields = {Text("next_steps", "coordinator's", Clock(1000, "coordinator"), Clock(2000, "mentor"))};
  MergeResult r = MergeOnServer(cur, in);
  ASSERT_TRUE(r.changed);
  EXPECT_EQ(std::get<std::string>(r.next.Find("next_steps")->value), "coordinator's");
  EXPECT_TRUE(r.conflicts.empty()) << "a sequential edit is never a conflict, whatever its stamp";

  // A third device that had seen only the mentor's value edits concurrently: a conflict.
  RecordState other = cur;
  other.fields = {Text("next_steps", "tutor's", Clock(3000, "tutor"), Clock(2000, "mentor"))};
  MergeResult r2 = MergeOnServer(r.next, other);
  ASSERT_EQ(r2.conflicts.size(), 1u);
  EXPECT_EQ(std::get<std::string>(r2.conflicts[0].lost.value), "coordinator's");
}

TEST(MergeTest, TheSameWriteTwiceChangesNothing) {
  RecordState cur = Visit({Text("summary", "x", Clock(10, "A"))});
  MergeResult r = MergeOnServer(cur, cur);
  EXPECT_FALSE(r.changed);
  EXPECT_TRUE(r.conflicts.empty());
}

RecordState Recommendation(std::string status, int64_t reopen, FieldClock clock) {
  RecordState s;
  s.kind = RecordKind::kRecommendation;
  s.id = core::Uuid::MakeV7(2000);
  s.fields = {{"status", std::move(status), clock, {}}, {"reopen_count", reopen, clock, {}}};
  return s;
}

TEST(MergeTest, StatusOnlyMovesForwardWhateverTheClocks) {
  RecordState done = Recommendation("done", 0, Clock(10, "A"));
  RecordState later_open = done;
  later_open.fields = {{"status", std::string("in_progress"), Clock(50, "B"), {}}};  // stale device, later clock
  MergeResult r = MergeOnServer(done, later_open);
  EXPECT_EQ(std::get<std::string>(r.next.Find("status")->value), "done");
  EXPECT_TRUE(r.conflicts.empty()) << "a monotone field is not a lost edit";
}

TEST(MergeTest, AnExplicitReopenBeatsAClosureOfTheEarlierRound) {
  RecordState cur = Recommendation("in_progress", 0, Clock(10, "S"));
  RecordState reopened = Recommendation("open", 1, Clock(20, "A"));
  reopened.id = cur.id;
  RecordState closed = cur;
  closed.fields = {{"status", std::string("done"), Clock(30, "B"), {}},
                   {"reopen_count", int64_t{0}, Clock(30, "B"), {}}};
  MergeResult x = MergeOnServer(MergeOnServer(cur, reopened).next, closed);
  MergeResult y = MergeOnServer(MergeOnServer(cur, closed).next, reopened);
  EXPECT_EQ(std::get<std::string>(x.next.Find("status")->value), "open");
  EXPECT_EQ(std::get<int64_t>(x.next.Find("reopen_count")->value), 1);
  EXPECT_EQ(x.next, y.next);
}

TEST(MergeTest, DeleteWinsAndAnEditAfterItIsKeptAsAConflict) {
  RecordState cur = Visit({Text("summary", "v0", Clock(10, "A"))});
  RecordState del = cur;
  del.fields.clear();
  del.deleted = Clock(20, "A");
  RecordState edit = cur;
  edit.fields = {Text("summary", "edited offline", Clock(30, "B"), Clock(10, "A"))};

  MergeResult d = MergeOnServer(cur, del);
  ASSERT_TRUE(d.next.deleted);
  MergeResult e = MergeOnServer(d.next, edit);
  EXPECT_TRUE(e.next.deleted) << "an edit never brings a deleted record back";
  EXPECT_EQ(std::get<std::string>(e.next.Find("summary")->value), "v0");
  ASSERT_EQ(e.conflicts.size(), 1u);
  EXPECT_EQ(e.conflicts[0].reason, core::ConflictReason::kEditAfterDelete);
  EXPECT_EQ(std::get<std::string>(e.conflicts[0].lost.value), "edited offline");

  // The other order ends the same: deleted, with the edit applied underneath the tombstone.
  MergeResult f = MergeOnServer(MergeOnServer(cur, edit).next, del);
  EXPECT_TRUE(f.next.deleted);
}

TEST(MergeTest, DeviceTakesTheServersWordForFieldsItHasNotChanged) {
  // The device's own value, clamped by the server to a lower clock, comes back: it is taken.
  RecordState local = Visit({Text("summary", "mine", Clock(1'000'000, "A")), Text("problems", "p", Clock(5, "A"))});
  RecordState server = local;
  server.fields = {Text("summary", "mine", Clock(100, "A")), Text("problems", "theirs", Clock(200, "B"))};
  MergeResult r = MergeOnDevice(local, server, /*pending=*/{}, false);
  EXPECT_EQ(r.next.Find("summary")->clock, Clock(100, "A"));
  EXPECT_EQ(std::get<std::string>(r.next.Find("problems")->value), "theirs");

  // A field with an unacknowledged local edit merges by the rule instead.
  MergeResult p = MergeOnDevice(local, server, {"summary", "problems"}, false);
  EXPECT_EQ(p.next.Find("summary")->clock, Clock(1'000'000, "A"));
  EXPECT_EQ(std::get<std::string>(p.next.Find("problems")->value), "theirs");
}

TEST(MergeTest, DeviceKeepsAnUnacknowledgedDelete) {
  RecordState local = Visit({Text("summary", "x", Clock(10, "A"))});
  local.deleted = Clock(20, "A");
  RecordState server = local;
  server.deleted.reset();
  server.fields = {Text("summary", "y", Clock(30, "B"))};
  EXPECT_TRUE(MergeOnDevice(local, server, {}, true).next.deleted);
  EXPECT_FALSE(MergeOnDevice(local, server, {}, false).next.deleted) << "an acknowledged delete the server "
                                                                        "refused is undone";
}

}  // namespace
}  // namespace mentorlog::sync
