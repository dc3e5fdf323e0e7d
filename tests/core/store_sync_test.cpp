// The store's side of sync: states, applied (pulled) writes, acknowledgements, conflicts,
// rejections and sync values.
#include <gtest/gtest.h>

#include "mentorlog/domain/serialize.h"
#include "test_fixtures.h"

namespace mentorlog::core::testing {
namespace {

class StoreSyncTest : public StoreFixture {};

TEST_F(StoreSyncTest, StateOfListsEveryFieldWithItsClock) {
  School s = MakeSchool();
  auto state = Must(store().ledger().StateOf(s.id));
  ASSERT_TRUE(state);
  EXPECT_EQ(state->kind, RecordKind::kSchool);
  EXPECT_EQ(state->fields.size(), FieldCount<School>());
  const FieldState* name = state->Find("name");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(std::get<std::string>(name->value), s.name);
  EXPECT_EQ(name->clock.device_id, kDeviceA);
  EXPECT_FALSE(state->deleted);
  EXPECT_FALSE(Must(store().ledger().StateOf(Uuid::MakeV7(1))).has_value());
}

TEST_F(StoreSyncTest, AnEditRecordsTheClockItReplacedAsItsBase) {
  School s = MakeSchool();
  const FieldClock before = Must(store().ledger().StateOf(s.id))->Find("name")->clock;
  s.name = "МБОУ «Новая школа»";
  Must(store().records().Save(s));
  auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 2u);
  ASSERT_EQ(outbox[1].change.fields.size(), 1u);
  EXPECT_EQ(outbox[1].change.fields[0].base, before);
  EXPECT_EQ(outbox[0].change.fields[0].base, FieldClock{}) << "a new record replaced nothing";
}

TEST_F(StoreSyncTest, AStatusChangeCarriesItsReopenCount) {
  School school = MakeSchool();
  Person mentor = MakeMentor();
  Visit v = Must(store().records().Save(NewVisit(school.id, mentor.id, store().records().Today().AddDays(-2))));
  Recommendation r = Must(store().records().Save(NewRecommendation(v)));
  Must(store().records().AdvanceRecommendation(r.id, RecommendationStatus::kInProgress, ""));
  bool found = false;
  for (const auto& e : Outbox()) {
    if (e.change.record_id != r.id || e.change.fields.size() == FieldCount<Recommendation>()) continue;
    std::set<std::string> names;
    for (const auto& f : e.change.fields) names.insert(f.field);
    EXPECT_TRUE(names.contains("status"));
    EXPECT_TRUE(names.contains("reopen_count")) << "the merge orders statuses by (reopen count, rank)";
    found = true;
  }
  EXPECT_TRUE(found);
}

TEST_F(StoreSyncTest, ApplyStateWritesRowAndClocksWithoutAnOutboxEntry) {
  RecordState state;
  state.kind = RecordKind::kSchool;
  state.id = Uuid::MakeV7(kStartMillis);
  const FieldClock remote{HlcStamp::FromParts(kStartMillis + 3'600'000, 0), "dev-b"};
  state.fields = {{"code", std::string("777"), remote, {}}, {"name", std::string("Школа с сервера"), remote, {}}};
  Must(store().ledger().InTransaction([&] { return store().ledger().ApplyState(state); }));
  School got = Must(store().records().Get<School>(state.id));
  EXPECT_EQ(got.name, "Школа с сервера");
  EXPECT_EQ(got.pupils, 0) << "missing fields take their defaults";
  EXPECT_EQ(Pending(), 0);
  EXPECT_TRUE(Must(store().ConsistencyProblems()).empty());

  // The HLC follows what it applied: the next local write is stamped after the remote one.
  School valid = MakeSchool("778");
  valid.pupils = 10;
  Must(store().records().Save(valid));
  EXPECT_GT(Outbox().back().change.stamp, remote.stamp);

  // A tombstone lands as one.
  state.deleted = FieldClock{HlcStamp::FromParts(kStartMillis + 7'200'000, 0), "dev-b"};
  state.fields.clear();
  Must(store().ledger().ApplyState(state));
  EXPECT_FALSE(store().records().Get<School>(state.id).ok());
  EXPECT_TRUE(Must(store().ConsistencyProblems()).empty());
}

TEST_F(StoreSyncTest, ApplyStateRefusesUnknownFieldsAndWrongKinds) {
  School s = MakeSchool();
  RecordState wrong_kind;
  wrong_kind.kind = RecordKind::kVisit;
  wrong_kind.id = s.id;
  EXPECT_EQ(store().ledger().ApplyState(wrong_kind).code(), StatusCode::kCorruption);
  RecordState unknown;
  unknown.kind = RecordKind::kSchool;
  unknown.id = Uuid::MakeV7(kStartMillis);
  unknown.fields = {{"no_such_field", int64_t{1}, {}, {}}};
  EXPECT_EQ(store().ledger().ApplyState(unknown).code(), StatusCode::kCorruption);
  RecordState bad_type;
  bad_type.kind = RecordKind::kSchool;
  bad_type.id = Uuid::MakeV7(kStartMillis);
  bad_type.fields = {{"pupils", std::string("many"), {}, {}}};
  EXPECT_FALSE(store().ledger().ApplyState(bad_type).ok());
  EXPECT_FALSE(Must(store().ledger().StateOf(bad_type.id)).has_value()) << "nothing half-written";
}

TEST_F(StoreSyncTest, PendingFieldsAndAcknowledgement) {
  School s = MakeSchool();
  s.name = "Другое имя";
  Must(store().records().Save(s));
  auto [fields, deleted] = Must(store().ledger().PendingFieldsOf(s.id));
  EXPECT_TRUE(fields.contains("name"));
  EXPECT_TRUE(fields.contains("code"));
  EXPECT_FALSE(deleted);
  Must(store().ledger().MarkAcked(1));
  EXPECT_EQ(Pending(), 1);
  auto after = Must(store().ledger().PendingFieldsOf(s.id));
  EXPECT_EQ(after.first, std::set<std::string>{"name"});
  Must(store().ledger().MarkAcked(2));
  EXPECT_EQ(Pending(), 0);
  EXPECT_TRUE(Must(store().ledger().PendingFieldsOf(s.id)).first.empty());
  EXPECT_TRUE(Must(store().ConsistencyProblems()).empty());
}

TEST_F(StoreSyncTest, ConflictsRejectionsAndSyncValuesPersist) {
  ConflictEntry c;
  c.id = Uuid::MakeV7(kStartMillis);
  c.kind = RecordKind::kVisit;
  c.record_id = Uuid::MakeV7(kStartMillis);
  c.field = "summary";
  c.kept = std::string("победившее");
  c.lost = std::string("проигравшее");
  c.lost_clock = {HlcStamp{5}, "dev-b"};
  c.reason = ConflictReason::kConcurrentEdit;
  Must(store().ledger().AddConflict(c));
  Must(store().ledger().AddConflict(c));  // the same conflict delivered twice
  RejectedEntry r;
  r.op_seq = 4;
  r.kind = RecordKind::kVisit;
  r.record_id = c.record_id;
  r.code = "permission";
  r.reason_en = "not your school";
  r.reason_ru = "не ваша школа";
  r.change.device_id = "dev-a";
  r.change.op_seq = 4;
  Must(store().ledger().AddRejected(r));
  Must(store().ledger().SetSyncValue("pull_cursor", std::string("\0\x01\x02", 3)));
  CloseStore();
  OpenStore();
  auto conflicts = Must(store().ledger().Conflicts());
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(std::get<std::string>(conflicts[0].lost), "проигравшее");
  EXPECT_EQ(conflicts[0].lost_clock.device_id, "dev-b");
  Must(store().ledger().DismissConflict(c.id));
  EXPECT_TRUE(Must(store().ledger().Conflicts()).empty());
  EXPECT_EQ(Must(store().ledger().Conflicts(true)).size(), 1u);
  auto rejected = Must(store().ledger().Rejected());
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].reason_ru, "не ваша школа");
  EXPECT_EQ(rejected[0].change.op_seq, 4u);
  EXPECT_EQ(*Must(store().ledger().GetSyncValue("pull_cursor")), std::string("\0\x01\x02", 3));
  EXPECT_FALSE(Must(store().ledger().GetSyncValue("nothing")).has_value());
}

TEST_F(StoreSyncTest, RecordStateRoundTripsThroughCereal) {
  School s = MakeSchool();
  auto state = *Must(store().ledger().StateOf(s.id));
  state.fields[0].base = {HlcStamp{9}, "dev-z"};
  state.deleted = FieldClock{HlcStamp{11}, "dev-y"};
  auto back = DecodeBinary<RecordState>(EncodeBinary(state));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, state);
  auto json = DecodeJson<RecordState>(EncodeJson(state));
  ASSERT_TRUE(json.ok()) << json.status().message();
  EXPECT_EQ(*json, state);
}

TEST_F(StoreSyncTest, CanonicalBytesDependOnValuesOnly) {
  School s = MakeSchool();
  auto a = Must(CompleteValues(*Must(store().ledger().StateOf(s.id))));
  const std::string bytes = CanonicalBytes(RecordKind::kSchool, s.id, a);
  EXPECT_EQ(bytes, CanonicalBytes(RecordKind::kSchool, s.id, a));
  a[1] = std::string("другое");
  EXPECT_NE(bytes, CanonicalBytes(RecordKind::kSchool, s.id, a));
}

}  // namespace
}  // namespace mentorlog::core::testing
