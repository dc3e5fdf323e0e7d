// Tests of base/uuid.h and base/date.h: Uuid (v7) and Date.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

#include "mentorlog/base/date.h"
#include "mentorlog/base/uuid.h"

namespace mentorlog {
namespace {

// 2026-11-20T10:00:00Z.
constexpr int64_t kNov20 = 1'795'168'800'000;
constexpr int64_t kHour = 3'600'000;
constexpr int64_t kMinute = 60'000;

uint64_t First48Bits(const Uuid& id) {
  uint64_t ms = 0;
  for (size_t i = 0; i < 6; ++i) ms = (ms << 8) | id.bytes()[i];
  return ms;
}

// [SECTION] Uuid ---------------------------------------------------------------------------

TEST(UuidTest, ParseFormatRoundTrip) {
  for (int i = 0; i < 100; ++i) {
    const Uuid id = Uuid::MakeV7(kNov20 + i);
    const std::string text = id.ToString();
    ASSERT_EQ(text.size(), 36u);
    const Result<Uuid> back = Uuid::Parse(text);
    ASSERT_TRUE(back.ok()) << text << ": " << back.status().ToString();
    EXPECT_EQ(*back, id);
    EXPECT_EQ(back->ToString(), text);
  }
  const std::string known = "0193a5b2-7c4e-7d21-8f3a-1b2c3d4e5f60";
  const Result<Uuid> parsed = Uuid::Parse(known);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->ToString(), known);
  EXPECT_EQ(parsed->bytes()[0], 0x01);
  EXPECT_EQ(parsed->bytes()[15], 0x60);

  // Upper case is accepted and formatted back in lower case.
  const Result<Uuid> upper = Uuid::Parse("0193A5B2-7C4E-7D21-8F3A-1B2C3D4E5F60");
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(*upper, *parsed);

  const Result<Uuid> nil = Uuid::Parse("00000000-0000-0000-0000-000000000000");
  ASSERT_TRUE(nil.ok());
  EXPECT_TRUE(nil->IsNil());
  EXPECT_TRUE(Uuid().IsNil());
  EXPECT_EQ(Uuid().ToString(), "00000000-0000-0000-0000-000000000000");
  EXPECT_FALSE(parsed->IsNil());
}

TEST(UuidTest, BadStringsAreRejected) {
  for (const char* bad : {
           "",
           "0193a5b2",
           "0193a5b2-7c4e-7d21-8f3a-1b2c3d4e5f6",    // one digit short
           "0193a5b2-7c4e-7d21-8f3a-1b2c3d4e5f600",  // one digit long
           "0193a5b27c4e7d218f3a1b2c3d4e5f60",       // no dashes
           "0193a5b2-7c4e-7d21-8f3a1-b2c3d4e5f60",   // a dash in the wrong place
           "0193a5b2_7c4e_7d21_8f3a_1b2c3d4e5f60",
           "0193a5g2-7c4e-7d21-8f3a-1b2c3d4e5f60",  // 'g' is not hex
           "{0193a5b2-7c4e-7d21-8f3a-1b2c3d4e5f6}",
           " 0193a5b2-7c4e-7d21-8f3a-1b2c3d4e5f6",
           "0193a5b2-7c4e-7d21-8f3a-1b2c3d4e5f6 ",
           "0193a5b2--7c4e-7d21-8f3a-1b2c3d4e5f6",
           "-0193a5b2-7c4e-7d21-8f3a-1b2c3d4e5f6",
           "0193a5b2-7c4e-7d21-8f3a-1b2c3d4e5f\xD0",
       }) {
    const Result<Uuid> r = Uuid::Parse(bad);
    EXPECT_FALSE(r.ok()) << "accepted «" << bad << "»";
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
      EXPECT_NE(r.status().message().find(bad), std::string::npos) << "the message names the text";
    }
  }
}

TEST(UuidTest, V7Layout) {
  for (int64_t ms : {int64_t{0}, int64_t{1}, kNov20, int64_t{0xFFFF'FFFF'FFFF}, int64_t{0x8000'0000'0000}}) {
    const Uuid id = Uuid::MakeV7(ms);
    EXPECT_EQ(id.version(), 7) << ms;
    EXPECT_EQ(id.bytes()[6] >> 4, 7) << "version nibble";
    EXPECT_EQ(id.bytes()[8] & 0xC0, 0x80) << "variant bits 10";
    EXPECT_EQ(First48Bits(id), static_cast<uint64_t>(ms));
    EXPECT_EQ(id.ToString()[14], '7');
    EXPECT_NE(std::string("89ab").find(id.ToString()[19]), std::string::npos);
  }
  // The other 74 bits are random: many ids made in one millisecond are all different.
  std::set<Uuid> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(Uuid::MakeV7(kNov20));
  EXPECT_EQ(ids.size(), 1000u);
  // Ids from later milliseconds sort after earlier ones.
  EXPECT_LT(Uuid::MakeV7(kNov20), Uuid::MakeV7(kNov20 + 1));
  EXPECT_LT(Uuid::MakeV7(kNov20 + 255), Uuid::MakeV7(kNov20 + 256));
}

// [SECTION] Date ---------------------------------------------------------------------------

TEST(DateTest, ParsesIsoAndRussianForms) {
  const Result<Date> iso = Date::Parse("2025-03-14");
  ASSERT_TRUE(iso.ok()) << iso.status().ToString();
  EXPECT_EQ(iso->year(), 2025);
  EXPECT_EQ(iso->month(), 3);
  EXPECT_EQ(iso->day(), 14);
  EXPECT_EQ(iso->ToString(), "2025-03-14");

  const Result<Date> ru = Date::Parse("14.03.2025");
  ASSERT_TRUE(ru.ok()) << ru.status().ToString();
  EXPECT_EQ(*ru, *iso);

  const Result<Date> spaced = Date::Parse("  01.09.2026 ");
  ASSERT_TRUE(spaced.ok());
  EXPECT_EQ(spaced->ToString(), "2026-09-01");

  EXPECT_EQ(Date::Parse("2024-02-29")->ToString(), "2024-02-29");  // leap year
  EXPECT_EQ(Date::Parse("2000-02-29")->day(), 29);                 // divisible by 400
  EXPECT_EQ(Date::Parse("31.12.2199")->year(), 2199);
}

TEST(DateTest, RejectsImpossibleAndMistypedDates) {
  for (const char* bad :
       {"2025-02-30", "2O24-01-01", "2023-02-29", "2100-02-29", "2025-13-01", "2025-00-10", "2025-04-31", "32.01.2025",
        "2025-1-01", "2025/03/14", "14.03.25", "", "14-03-2025", "2025-03-1x", "1899-12-31", "+025-03-14"}) {
    const Result<Date> d = Date::Parse(bad);
    EXPECT_FALSE(d.ok()) << "accepted «" << bad << "»";
    if (!d.ok()) {
      EXPECT_EQ(d.status().code(), StatusCode::kInvalidInput) << bad;
    }
  }
  const Result<Date> typo = Date::Parse("2O24-01-01");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("2O24-01-01"), std::string::npos) << typo.status().message();
  const Result<Date> feb30 = Date::Parse("2025-02-30");
  ASSERT_FALSE(feb30.ok());
  EXPECT_NE(feb30.status().message().find("2025-02-30"), std::string::npos) << feb30.status().message();
  EXPECT_FALSE(Date::FromYmd(2025, 2, 30).ok());
  EXPECT_TRUE(Date::FromYmd(2025, 2, 28).ok());
}

TEST(DateTest, FromUnixMillisAcrossMidnight) {
  // 2026-11-20T10:00Z is 13:00 in Moscow and 05:00 in New York (EST): the same day.
  EXPECT_EQ(Date::FromUnixMillis(kNov20, 0).ToString(), "2026-11-20");
  EXPECT_EQ(Date::FromUnixMillis(kNov20, 180).ToString(), "2026-11-20");
  EXPECT_EQ(Date::FromUnixMillis(kNov20, -300).ToString(), "2026-11-20");

  const int64_t utc_midnight = kNov20 - 10 * kHour;  // 2026-11-20T00:00Z
  // 22:30Z is already the next day in Moscow (01:30 +03:00)...
  EXPECT_EQ(Date::FromUnixMillis(utc_midnight + 22 * kHour + 30 * kMinute, 180).ToString(), "2026-11-21");
  EXPECT_EQ(Date::FromUnixMillis(utc_midnight + 22 * kHour + 30 * kMinute, 0).ToString(), "2026-11-20");
  // ... and 01:00Z is still the day before in New York (20:00 -05:00) and Kamchatka is ahead.
  EXPECT_EQ(Date::FromUnixMillis(utc_midnight + 1 * kHour, -300).ToString(), "2026-11-19");
  EXPECT_EQ(Date::FromUnixMillis(utc_midnight - 1, 720).ToString(), "2026-11-20");

  // Exactly at local midnight the new day starts; one millisecond before is the old day.
  const int64_t moscow_midnight = utc_midnight - 3 * kHour;
  EXPECT_EQ(Date::FromUnixMillis(moscow_midnight, 180).ToString(), "2026-11-20");
  EXPECT_EQ(Date::FromUnixMillis(moscow_midnight - 1, 180).ToString(), "2026-11-19");

  // Before the epoch, and across a year end.
  EXPECT_EQ(Date::FromUnixMillis(0, 0).ToString(), "1970-01-01");
  EXPECT_EQ(Date::FromUnixMillis(-1, 0).ToString(), "1969-12-31");
  EXPECT_EQ(Date::FromUnixMillis(0, -1).ToString(), "1969-12-31");
  EXPECT_EQ(Date::FromUnixMillis(-86'400'000, 0).ToString(), "1969-12-31");
  EXPECT_EQ(Date::FromUnixMillis(-86'400'001, 0).ToString(), "1969-12-30");
  const int64_t new_year_2027 = utc_midnight + 42LL * 24 * kHour;  // 2027-01-01T00:00Z
  EXPECT_EQ(Date::FromUnixMillis(new_year_2027, 0).ToString(), "2027-01-01");
  EXPECT_EQ(Date::FromUnixMillis(new_year_2027 - 1, 0).ToString(), "2026-12-31");
  EXPECT_EQ(Date::FromUnixMillis(new_year_2027 - 2 * kHour, 180).ToString(), "2027-01-01");
}

TEST(DateTest, YearMonthDay) {
  EXPECT_EQ(Date().ToString(), "1970-01-01");
  EXPECT_EQ(Date().days(), 0);
  const Date d = *Date::FromYmd(2026, 11, 20);
  EXPECT_EQ(d.year(), 2026);
  EXPECT_EQ(d.month(), 11);
  EXPECT_EQ(d.day(), 20);
  EXPECT_EQ(d.days(), 20'777);
  EXPECT_EQ(Date::FromDays(20'777), d);
  EXPECT_EQ(d.AddDays(41).ToString(), "2026-12-31");
  EXPECT_EQ(d.AddDays(42).ToString(), "2027-01-01");
  EXPECT_EQ(Date::FromYmd(2024, 3, 1)->AddDays(-1).ToString(), "2024-02-29");
  EXPECT_EQ(Date::FromYmd(2025, 3, 1)->AddDays(-1).ToString(), "2025-02-28");
  EXPECT_LT(*Date::FromYmd(2025, 12, 31), *Date::FromYmd(2026, 1, 1));

  // Every day of 1900..2200 formats, parses and splits back to itself.
  const Date first = *Date::FromYmd(1900, 1, 1);
  const Date last = *Date::FromYmd(2200, 12, 31);
  for (int32_t n = first.days(); n <= last.days(); ++n) {
    const Date x = Date::FromDays(n);
    const Result<Date> back = Date::FromYmd(x.year(), x.month(), x.day());
    ASSERT_TRUE(back.ok()) << x.ToString();
    ASSERT_EQ(back->days(), n);
    ASSERT_EQ(Date::Parse(x.ToString())->days(), n);
  }
}

}  // namespace
}  // namespace mentorlog
