// The pull cursor's wire form (sync/server/pull_cursor.h).
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "pull_cursor.h"

namespace mentorlog::server {
namespace {

core::Uuid PullCursorTestId(uint8_t n) {
  std::array<uint8_t, 16> b{};
  b[0] = 1;
  b[15] = n;
  return core::Uuid(b);
}

PullCursor PullCursorTestBackfilling() {
  PullCursor c;
  c.seq = 4242;
  c.known = {PullCursorTestId(1), PullCursorTestId(2)};
  c.backfilling = true;
  c.backfill_schools = {PullCursorTestId(3)};
  c.backfill_upto = 4242;
  c.backfill_after = 17;
  return c;
}

TEST(PullCursorTest, EveryFieldComesBack) {
  PullCursor plain;
  plain.seq = UINT64_MAX;
  plain.known = {PullCursorTestId(9)};
  for (const PullCursor& c : {PullCursor{}, plain, PullCursorTestBackfilling()}) {
    const std::string bytes = EncodePullCursor(c);
    const auto back = DecodePullCursor(bytes);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, c);
    EXPECT_EQ(EncodePullCursor(*back), bytes);
  }
}

TEST(PullCursorTest, AnythingButExactlyACursorIsRefused) {
  const std::string bytes = EncodePullCursor(PullCursorTestBackfilling());
  EXPECT_FALSE(DecodePullCursor(""));
  EXPECT_FALSE(DecodePullCursor("MC"));
  for (size_t n = 0; n < bytes.size(); ++n) EXPECT_FALSE(DecodePullCursor(bytes.substr(0, n))) << n;
  EXPECT_FALSE(DecodePullCursor(bytes + '\0'));
  std::string other_version = bytes;
  other_version[2] = 2;
  EXPECT_FALSE(DecodePullCursor(other_version));
  // A count of known schools larger than the bytes that follow could hold.
  std::string huge = EncodePullCursor(PullCursor{});
  huge[3 + 8 + 7] = '\x7f';
  EXPECT_FALSE(DecodePullCursor(huge));
}

TEST(PullCursorTest, ABackFillByteOtherThanOneMeansNotBackFilling) {
  PullCursor c;
  c.seq = 5;
  std::string bytes = EncodePullCursor(c);
  bytes.back() = 7;
  const auto back = DecodePullCursor(bytes);
  ASSERT_TRUE(back.has_value());
  EXPECT_FALSE(back->backfilling);
  EXPECT_EQ(back->seq, 5u);
}

}  // namespace
}  // namespace mentorlog::server
