// Tests of base/clock.h, base/random.h and base/language.h (uuid_date_test.cpp has the rest).
#include <gtest/gtest.h>

#include <array>
#include <set>

#include "mentorlog/base/clock.h"
#include "mentorlog/base/language.h"
#include "mentorlog/base/random.h"

namespace mentorlog {
namespace {

TEST(FakeClockTest, FakeClockSetAndAdvance) {
  FakeClock clock(1'000, 180);
  EXPECT_EQ(clock.NowMillis(), 1'000);
  EXPECT_EQ(clock.UtcOffsetMinutes(), 180);
  clock.Advance(250);
  EXPECT_EQ(clock.NowMillis(), 1'250);
  clock.Set(-5);  // Clocks may go backwards.
  EXPECT_EQ(clock.NowMillis(), -5);
  clock.Advance(-10);
  EXPECT_EQ(clock.NowMillis(), -15);
}

TEST(RandomBytesTest, FillsDistinctValues) {
  std::array<unsigned char, 256> a{};
  std::array<unsigned char, 256> b{};
  ASSERT_TRUE(RandomBytes(a.data(), a.size()).ok());
  ASSERT_TRUE(RandomBytes(b.data(), b.size()).ok());
  EXPECT_NE(a, b);
  // 256 uniform bytes take about 162 distinct values; fewer than 100 is practically impossible.
  EXPECT_GT(std::set<unsigned char>(a.begin(), a.end()).size(), 100u);
  EXPECT_TRUE(RandomBytes(nullptr, 0).ok());
}

TEST(LanguageTest, CodesRoundTripAndLocalesAreRead) {
  for (Language l : {Language::kRussian, Language::kEnglish}) EXPECT_EQ(LanguageFromCode(LanguageCode(l)), l);
  EXPECT_EQ(LanguageFromCode("ru_RU.UTF-8"), Language::kRussian);
  EXPECT_EQ(LanguageFromCode("en_GB"), Language::kEnglish);
  EXPECT_EQ(LanguageFromCode("de"), std::nullopt);
  EXPECT_EQ(LanguageFromCode(""), std::nullopt);
  EXPECT_EQ(Pick(Language::kRussian, "Saved", "Сохранено"), "Сохранено");
  EXPECT_EQ(Pick(Language::kEnglish, "Saved", "Сохранено"), "Saved");
  const LocalText saved{"Сохранено", "Saved"};
  EXPECT_EQ(saved.In(Language::kRussian), "Сохранено");
  EXPECT_EQ(saved.In(Language::kEnglish), "Saved");
  EXPECT_EQ(saved.In(LanguageFromCode("de").value_or(Language::kEnglish)), "Saved")
      << "a language MentorLog does not speak reads English";
}

}  // namespace
}  // namespace mentorlog
