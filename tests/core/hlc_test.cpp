// Tests of the hybrid logical clock (hlc.h) and of the store's use of it across restarts.
#include "mentorlog/domain/hlc.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "mentorlog/platform/env.h"
#include "test_fixtures.h"

namespace mentorlog::core {
namespace {

using testing::kStartMillis;
using testing::Must;

constexpr uint64_t kStart = static_cast<uint64_t>(kStartMillis);

TEST(HlcTest, StampLayoutIs48BitsOfMillisAnd16OfCounter) {
  const HlcStamp s = HlcStamp::FromParts(kStart, 0xABCD);
  EXPECT_EQ(s.millis(), kStart);
  EXPECT_EQ(s.counter(), 0xABCDu);
  EXPECT_EQ(s.value, (kStart << 16) | 0xABCD);
  EXPECT_LT(HlcStamp::FromParts(kStart, 0xFFFF), HlcStamp::FromParts(kStart + 1, 0));
}

TEST(HlcTest, FirstStampFollowsTheWallClock) {
  mentorlog::FakeClock wall(kStartMillis);
  HybridLogicalClock hlc(wall);
  const HlcStamp s = hlc.Now();
  EXPECT_EQ(s.millis(), kStart);
  EXPECT_EQ(s.counter(), 0u);
  wall.Advance(7);
  EXPECT_EQ(hlc.Now(), HlcStamp::FromParts(kStart + 7, 0));
}

TEST(HlcTest, MonotonicUnderAClockGoingBackwards) {
  mentorlog::FakeClock wall(kStartMillis);
  HybridLogicalClock hlc(wall);
  std::mt19937 rng(7);
  std::uniform_int_distribution<int64_t> step(-5'000, 3'000);
  HlcStamp last = hlc.Now();
  for (int i = 0; i < 20'000; ++i) {
    if (i % 3 == 0) wall.Advance(step(rng));
    if (i == 10'000) wall.Set(kStartMillis - 86'400'000);  // the user set the clock a day back
    const HlcStamp s = hlc.Now();
    ASSERT_GT(s, last) << "step " << i;
    ASSERT_EQ(hlc.last(), s);
    last = s;
  }
}

TEST(HlcTest, CounterIncrementsWithinOneMillisecond) {
  mentorlog::FakeClock wall(kStartMillis);
  HybridLogicalClock hlc(wall);
  const HlcStamp a = hlc.Now();
  const HlcStamp b = hlc.Now();
  const HlcStamp c = hlc.Now();
  EXPECT_EQ(b.millis(), a.millis());
  EXPECT_EQ(c.millis(), a.millis());
  EXPECT_EQ(b.counter(), a.counter() + 1);
  EXPECT_EQ(c.counter(), a.counter() + 2);
  // A wall clock standing behind the last stamp keeps counting on that stamp.
  wall.Advance(-10);
  const HlcStamp d = hlc.Now();
  EXPECT_EQ(d.millis(), a.millis());
  EXPECT_EQ(d.counter(), a.counter() + 3);
}

TEST(HlcTest, CounterOverflowRollsIntoTheNextMillisecond) {
  mentorlog::FakeClock wall(kStartMillis);
  HybridLogicalClock hlc(wall);
  HlcStamp s = hlc.Now();
  for (uint32_t i = 1; i <= 0xFFFF; ++i) s = hlc.Now();
  EXPECT_EQ(s, HlcStamp::FromParts(kStart, 0xFFFF));
  const HlcStamp next = hlc.Now();
  EXPECT_EQ(next, HlcStamp::FromParts(kStart + 1, 0));
  EXPECT_GT(next, s);
  // The wall clock catching up to the borrowed millisecond does not repeat it.
  wall.Advance(1);
  EXPECT_EQ(hlc.Now(), HlcStamp::FromParts(kStart + 1, 1));
  wall.Advance(1);
  EXPECT_EQ(hlc.Now(), HlcStamp::FromParts(kStart + 2, 0));
}

TEST(HlcTest, ObserveRemoteAheadMovesNowPastIt) {
  mentorlog::FakeClock wall(kStartMillis);
  HybridLogicalClock hlc(wall);
  (void)hlc.Now();
  const HlcStamp remote = HlcStamp::FromParts(kStart + 600'000, 42);  // ten minutes ahead
  hlc.Observe(remote);
  const HlcStamp s = hlc.Now();
  EXPECT_GT(s, remote);
  EXPECT_EQ(s, HlcStamp::FromParts(kStart + 600'000, 43));

  // A remote stamp behind ours does not move the clock back.
  hlc.Observe(HlcStamp::FromParts(kStart - 1'000, 0));
  EXPECT_GT(hlc.Now(), s);
}

TEST(HlcTest, FieldClocksOrderByStampThenDevice) {
  const HlcStamp early = HlcStamp::FromParts(kStart, 5);
  const HlcStamp late = HlcStamp::FromParts(kStart, 6);
  EXPECT_LT((FieldClock{early, "zzz"}), (FieldClock{late, "aaa"})) << "the stamp decides first";
  EXPECT_LT((FieldClock{late, "dev-a"}), (FieldClock{late, "dev-b"})) << "the device id breaks ties";
  EXPECT_EQ((FieldClock{late, "dev-a"}), (FieldClock{late, "dev-a"}));

  // A total order: for any two different clocks exactly one is the greater.
  std::vector<FieldClock> clocks;
  for (uint32_t c : {0u, 1u, 0xFFFFu}) {
    for (uint64_t ms : {kStart - 1, kStart, kStart + 1}) {
      for (const char* dev : {"dev-a", "dev-b", "dev-aa", ""}) clocks.push_back({HlcStamp::FromParts(ms, c), dev});
    }
  }
  for (const auto& a : clocks) {
    for (const auto& b : clocks) {
      const int relations = (a < b) + (b < a) + (a == b);
      EXPECT_EQ(relations, 1);
      if (a.stamp != b.stamp) {
        EXPECT_EQ(a < b, a.stamp < b.stamp);
      }
    }
  }
  std::vector<FieldClock> sorted = clocks;
  std::shuffle(sorted.begin(), sorted.end(), std::mt19937(3));
  std::sort(sorted.begin(), sorted.end());
  EXPECT_TRUE(std::adjacent_find(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) { return !(x < y); }) ==
              sorted.end());
}

// Two devices whose wall clocks disagree by ten minutes pass stamps back and forth, as sync
// does: every reply is stamped after what it answers, whichever clock is ahead.
TEST(HlcTest, SkewedDevicesExchangingStampsKeepCausalOrder) {
  mentorlog::FakeClock wall_a(kStartMillis);
  mentorlog::FakeClock wall_b(kStartMillis - 600'000);
  HybridLogicalClock a(wall_a);
  HybridLogicalClock b(wall_b);
  std::mt19937 rng(11);
  std::uniform_int_distribution<int64_t> tick(0, 40);

  HlcStamp message = a.Now();
  std::vector<HlcStamp> chain = {message};
  for (int round = 0; round < 500; ++round) {
    HybridLogicalClock& receiver = round % 2 == 0 ? b : a;
    wall_a.Advance(tick(rng));
    wall_b.Advance(tick(rng));
    receiver.Observe(message);
    const HlcStamp local = receiver.Now();  // a local edit made after reading the message
    ASSERT_GT(local, message) << "round " << round;
    message = receiver.Now();
    ASSERT_GT(message, local);
    chain.push_back(message);
  }
  EXPECT_TRUE(std::is_sorted(chain.begin(), chain.end()));
  // The lagging device's stamps stayed close to the leading wall clock instead of drifting.
  EXPECT_LE(chain.back().millis(), static_cast<uint64_t>(wall_a.NowMillis()) + 1);
}

class HlcStoreTest : public testing::StoreFixture {};

TEST_F(HlcStoreTest, StampsStayAheadAfterReopeningWithAnEarlierClock) {
  School school = MakeSchool();
  clock_.Advance(3'600'000);
  school.name = "Изменено через час";
  school = Must(store().records().Save(school));
  HlcStamp newest;
  for (const auto& [name, clock] : Must(store().ledger().ClocksOf(RecordKind::kSchool, school.id)).fields) {
    newest = std::max(newest, clock.stamp);
  }
  EXPECT_EQ(newest.millis(), kStart + 3'600'000);

  // The device's clock is set back two hours while the app is closed.
  CloseStore();
  clock_.Set(kStartMillis - 3'600'000);
  OpenStore();
  school.pupils = 999;
  school = Must(store().records().Save(school));
  const School other = MakeSchool("202");
  const auto clocks = Must(store().ledger().ClocksOf(RecordKind::kSchool, school.id));
  for (const auto& [name, clock] : clocks.fields) {
    if (name == "pupils") {
      EXPECT_GT(clock.stamp, newest);
    }
  }
  for (const auto& [name, clock] : Must(store().ledger().ClocksOf(RecordKind::kSchool, other.id)).fields) {
    EXPECT_GT(clock.stamp, newest) << name;
  }
  Must(store().records().Delete(RecordKind::kSchool, other.id));
  const auto deleted = Must(store().ledger().ClocksOf(RecordKind::kSchool, other.id)).deleted;
  ASSERT_TRUE(deleted.has_value());
  EXPECT_GT(deleted->stamp, newest);

  // A tombstone is the newest stamp of its record: reopening again still starts after it.
  const HlcStamp tomb = deleted->stamp;
  CloseStore();
  OpenStore();
  const School third = MakeSchool("303");
  for (const auto& [name, clock] : Must(store().ledger().ClocksOf(RecordKind::kSchool, third.id)).fields) {
    EXPECT_GT(clock.stamp, tomb) << name;
  }
}

}  // namespace
}  // namespace mentorlog::core
