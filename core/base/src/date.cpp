#include "mentorlog/base/date.h"

#include <charconv>
#include <cstdio>

namespace mentorlog {

// Days from civil and back, after H. Hinnant's public-domain algorithms.
namespace {

int32_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Ymd {
  int y, m, d;
};

Ymd CivilFromDays(int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = yoe + era * 400;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp + (mp < 10 ? 3 : -9);
  return {y + (m <= 2), m, d};
}

int DaysInMonth(int y, int m) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

bool ParseInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

Result<Date> Date::FromYmd(int year, int month, int day) {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return Status::InvalidInput(std::string("«") + buf + "» is not a real date");
  }
  return FromDays(DaysFromCivil(year, month, day));
}

Result<Date> Date::Parse(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  int y = 0, m = 0, d = 0;
  bool ok = false;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    ok = ParseInt(text.substr(0, 4), y) && ParseInt(text.substr(5, 2), m) && ParseInt(text.substr(8, 2), d);
  } else if (text.size() == 10 && text[2] == '.' && text[5] == '.') {
    ok = ParseInt(text.substr(6, 4), y) && ParseInt(text.substr(3, 2), m) && ParseInt(text.substr(0, 2), d);
  }
  if (!ok) {
    return Status::InvalidInput("«" + std::string(text) + "» is not a date (write 2025-03-14 or 14.03.2025)");
  }
  return FromYmd(y, m, d);
}

Date Date::FromUnixMillis(int64_t unix_millis, int utc_offset_minutes) {
  const int64_t local_ms = unix_millis + int64_t{utc_offset_minutes} * 60'000;
  int64_t days = local_ms / 86'400'000;
  if (local_ms % 86'400'000 < 0) --days;
  return FromDays(static_cast<int32_t>(days));
}

int Date::year() const { return CivilFromDays(days_).y; }
int Date::month() const { return CivilFromDays(days_).m; }
int Date::day() const { return CivilFromDays(days_).d; }
Date::YearMonthDay Date::ymd() const {
  const Ymd c = CivilFromDays(days_);
  return {c.y, c.m, c.d};
}

std::string Date::ToString() const {
  const Ymd c = CivilFromDays(days_);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.y, c.m, c.d);
  return buf;
}

}  // namespace mentorlog
