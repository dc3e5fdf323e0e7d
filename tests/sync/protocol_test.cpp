// The wire: round trips, bounded decoding of hostile bytes, zstd framing limits.
#include "mentorlog/sync/protocol.h"

#include <gtest/gtest.h>

#include <random>

namespace mentorlog::sync {
namespace {

using core::ChangeOp;
using core::FieldChange;
using core::HlcStamp;

Change SampleChange(uint64_t op_seq) {
  Change c;
  c.device_id = "device-1";
  c.op_seq = op_seq;
  c.kind = RecordKind::kVisit;
  c.record_id = Uuid::MakeV7(1'700'000'000'000);
  c.op = ChangeOp::kUpsert;
  c.stamp = HlcStamp::FromParts(1'700'000'000'000, 3);
  c.fields = {FieldChange{"summary", std::string("Обсудили план — №5"), c.stamp, FieldClock{HlcStamp{7}, "d0"}},
              FieldChange{"date", std::string("2026-11-20"), c.stamp, {}}};
  return c;
}

TEST(ProtocolTest, PushRoundTrip) {
  PushRequest req{"device-1", {SampleChange(1), SampleChange(2)}};
  auto back = DecodePushRequest(Encode(req));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->device_id, "device-1");
  ASSERT_EQ(back->changes.size(), 2u);
  EXPECT_EQ(back->changes[1], req.changes[1]);
  EXPECT_EQ(back->changes[0].fields[0].base.device_id, "d0");

  PushResponse resp;
  resp.acked_op_seq = 2;
  resp.rejected.push_back({2, RecordKind::kVisit, req.changes[1].record_id, "permission", "no", "нет"});
  resp.clamped = 1;
  resp.server_millis = 42;
  resp.not_held = {req.changes[1].record_id};
  auto r = DecodePushResponse(Encode(resp));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->acked_op_seq, 2u);
  ASSERT_EQ(r->rejected.size(), 1u);
  EXPECT_EQ(r->rejected[0].reason_ru, "нет");
  EXPECT_EQ(r->clamped, 1u);
  EXPECT_EQ(r->not_held, resp.not_held);
}

TEST(ProtocolTest, PullRoundTrip) {
  PullResponse resp;
  resp.records.push_back(core::StateFromChange(SampleChange(1)));
  ConflictRecord c;
  c.id = Uuid::MakeV7(5);
  c.kind = RecordKind::kVisit;
  c.record_id = resp.records[0].id;
  c.field = "summary";
  c.kept = std::string("kept");
  c.lost = int64_t{5};
  c.reason = core::ConflictReason::kConcurrentEdit;
  resp.conflicts.push_back(c);
  resp.next_cursor = std::string("\0\1cursor", 8);
  resp.more = true;
  resp.scope = {Uuid::MakeV7(9)};
  auto back = DecodePullResponse(Encode(resp));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->records, resp.records);
  ASSERT_EQ(back->conflicts.size(), 1u);
  EXPECT_EQ(back->conflicts[0].lost, core::FieldValue(int64_t{5}));
  EXPECT_EQ(back->next_cursor, resp.next_cursor);
  EXPECT_TRUE(back->more);
  EXPECT_EQ(back->scope, resp.scope);

  auto conflict = DecodeConflict(EncodeConflict(c));
  ASSERT_TRUE(conflict.ok());
  EXPECT_EQ(conflict->field, "summary");
  EXPECT_EQ(conflict->reason, core::ConflictReason::kConcurrentEdit);
  c.reason = core::ConflictReason::kEditAfterDelete;
  const auto after_delete = DecodeConflict(EncodeConflict(c));
  ASSERT_TRUE(after_delete.ok());
  EXPECT_EQ(after_delete->reason, core::ConflictReason::kEditAfterDelete);

  // A reason this program does not know is a damaged message, not a silent default.
  std::string bytes = EncodeConflict(c);
  const size_t at = bytes.find("edit_after_delete");
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, 4, "xxxx");
  const auto unknown = DecodeConflict(bytes);
  EXPECT_EQ(unknown.status().code(), StatusCode::kCorruption);
  EXPECT_NE(unknown.status().message().find("xxxx_after_delete"), std::string::npos) << unknown.status().message();
}

TEST(ProtocolTest, LoginRoundTripAndWrongTypeIsRefused) {
  LoginRequest req{"mentor1", "secret password", "dev"};
  auto back = DecodeLoginRequest(Encode(req));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->password, "secret password");
  auto wrong = DecodePushRequest(Encode(req));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kCorruption);
}

TEST(ProtocolTest, EveryTruncationAndEveryByteFlipIsAnErrorNotACrash) {
  const std::string bytes = Encode(PushRequest{"device-1", {SampleChange(1)}});
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(DecodePushRequest(bytes.substr(0, n)).ok()) << "cut at " << n;
  }
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string damaged = bytes;
    damaged[rng() % damaged.size()] = static_cast<char>(rng());
    (void)DecodePushRequest(damaged);  // must not crash, hang or allocate wildly (ASan checks)
  }
}

TEST(ProtocolTest, AHugeLengthPrefixIsRefusedBeforeAllocating) {
  std::string bytes = Encode(PullRequest{"d", "", 10, 10});
  // The device id's length prefix sits right after "MLOG" and the type byte.
  bytes[5] = '\xff';
  bytes[6] = '\xff';
  bytes[7] = '\xff';
  bytes[8] = '\x7f';
  auto r = DecodePullRequest(bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("more than"), std::string::npos) << r.status().message();

  std::string list = Encode(PullResponse{});
  list[5] = '\xff';
  list[6] = '\xff';
  list[7] = '\xff';
  list[8] = '\xff';
  EXPECT_FALSE(DecodePullResponse(list).ok());
}

TEST(ProtocolTest, ZstdRoundTripAndBombsAreRefused) {
  const std::string text(1 << 20, 'a');
  const std::string frame = Compress(text);
  EXPECT_LT(frame.size(), 1000u);
  auto back = Decompress(frame);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, text);

  auto capped = Decompress(frame, 1000);
  ASSERT_FALSE(capped.ok()) << "a frame that unpacks beyond the cap is refused";
  EXPECT_FALSE(Decompress("not zstd at all").ok());
  EXPECT_FALSE(Decompress(frame.substr(0, frame.size() / 2)).ok()) << "a cut frame is refused";
  EXPECT_FALSE(Decompress(frame + "xx").ok()) << "trailing bytes are refused";
}

TEST(ProtocolTest, ErrorBodiesRoundTripAndForeignTextIsKept) {
  ErrorBody e{"upgrade_required", "Update \"MentorLog\"\n", "Обновите MentorLog"};
  ErrorBody back = DecodeErrorJson(EncodeErrorJson(e));
  EXPECT_EQ(back.code, e.code);
  EXPECT_EQ(back.message_en, e.message_en);
  EXPECT_EQ(back.message_ru, e.message_ru);
  ErrorBody escaped = DecodeErrorJson(R"({"code": "x", "message_en": "\u0416 \ud83d\ude00", "message_ru": "a"})");
  EXPECT_EQ(escaped.message_en, "Ж 😀") << "escaped Cyrillic and surrogate pairs are decoded";
  ErrorBody bad_escape = DecodeErrorJson(R"({"code": "x", "message_en": "\uZZZZ", "message_ru": "a"})");
  EXPECT_EQ(bad_escape.code, "http_error") << "not JSON: kept as the server's text";
  EXPECT_NE(bad_escape.message_en.find("uZZZZ"), std::string::npos);
  // A key's name inside another value is not that key (finding 1 of tests/fuzz/README.md).
  ErrorBody inside = DecodeErrorJson(R"({"message_en": "say \"code\": \"no\"", "code": "yes", "other": 1})");
  EXPECT_EQ(inside.code, "yes");
  EXPECT_EQ(inside.message_en, "say \"code\": \"no\"");
  EXPECT_EQ(inside.message_ru, inside.message_en) << "no Russian text: the English one";
  // The server's error bodies (http_server.cpp) write tabs and returns as \t and \r.
  ErrorBody control = DecodeErrorJson(R"({"code": "x", "message_en": "a\tb\r\nc\/\"", "message_ru": "\b\f"})");
  EXPECT_EQ(control.message_en, "a\tb\r\nc/\"");
  EXPECT_EQ(control.message_ru, "\b\f");
  ErrorBody html = DecodeErrorJson("<html>502 Bad Gateway</html>");
  EXPECT_EQ(html.code, "http_error");
  EXPECT_NE(html.message_en.find("502"), std::string::npos);
}

TEST(ProtocolTest, RoleCodes) {
  for (Role r : {Role::kMentor, Role::kTutor, Role::kCoordinator, Role::kAdmin}) {
    EXPECT_EQ(RoleFromCode(RoleCode(r)), r);
  }
  EXPECT_FALSE(RoleFromCode("root").has_value());
}

}  // namespace
}  // namespace mentorlog::sync
