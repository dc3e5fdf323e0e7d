#include "mentorlog/core/types.h"

#include <charconv>
#include <cstdio>
#include <mutex>

#include "mentorlog/platform/env.h"

namespace mentorlog::core {

// [SECTION] Uuid

Uuid Uuid::MakeV7(int64_t unix_millis) {
  // RFC 9562, 6.2 method 2: within one millisecond the 74 random bits act as a counter
  // incremented from the last id, so ids made by this process sort in creation order. A new
  // millisecond starts from fresh random bits. (When the wall clock steps back, ids follow
  // it: they stay unique but sort by the time they claim.)
  static std::mutex mu;
  static std::array<uint8_t, 16> last{};
  static uint64_t last_ms = 0;
  std::lock_guard lock(mu);

  std::array<uint8_t, 16> b{};
  uint64_t ms = unix_millis > 0 ? static_cast<uint64_t>(unix_millis) : 0;
  if (ms == last_ms && last_ms != 0) {
    b = last;
    // Increment bytes 15..6 (the random part), skipping the version and variant bits.
    for (int i = 15; i >= 6; --i) {
      const auto idx = static_cast<size_t>(i);
      if (i == 8) {  // variant byte: 6 usable bits
        const uint8_t low = b[idx] & 0x3F;
        if (low != 0x3F) {
          b[idx] = static_cast<uint8_t>((b[idx] & 0xC0) | (low + 1));
          break;
        }
        b[idx] = static_cast<uint8_t>(b[idx] & 0xC0);
      } else if (i == 6) {  // version byte: 4 usable bits
        const uint8_t low = b[idx] & 0x0F;
        if (low != 0x0F) {
          b[idx] = static_cast<uint8_t>((b[idx] & 0xF0) | (low + 1));
          break;
        }
        // All 74 bits are used up: move to the next millisecond.
        ++ms;
        b[idx] = static_cast<uint8_t>(b[idx] & 0xF0);
      } else {
        if (++b[idx] != 0) break;
      }
    }
  } else if (!platform::RandomBytes(b.data(), b.size()).ok()) {
    // No entropy source: a fixed pattern still gives unique, ordered ids via the counter.
    b.fill(0x5A);
  }
  // Leave headroom in the counter so a burst within one millisecond does not overflow it.
  if (ms != last_ms) b[6] = static_cast<uint8_t>(b[6] & 0x07);
  for (int i = 0; i < 6; ++i) b[static_cast<size_t>(i)] = static_cast<uint8_t>(ms >> (40 - 8 * i));
  b[6] = static_cast<uint8_t>(0x70 | (b[6] & 0x0F));  // version 7
  b[8] = static_cast<uint8_t>(0x80 | (b[8] & 0x3F));  // variant 10
  last = b;
  last_ms = ms;
  return Uuid(b);
}

static int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<Uuid> Uuid::Parse(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidInput("«" + std::string(text) + "» is not an id (expected 8-4-4-4-12 hex digits)");
  };
  if (text.size() != 36) return bad();
  std::array<uint8_t, 16> b{};
  size_t bi = 0;
  for (size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return bad();
      ++i;
      continue;
    }
    const int hi = HexValue(text[i]);
    const int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return bad();
    b[bi++] = static_cast<uint8_t>(hi * 16 + lo);
    i += 2;
  }
  return Uuid(b);
}

bool Uuid::IsNil() const {
  for (uint8_t x : bytes_) {
    if (x != 0) return false;
  }
  return true;
}

std::string Uuid::ToString() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += kHex[bytes_[i] >> 4];
    s += kHex[bytes_[i] & 0xF];
  }
  return s;
}

// [SECTION] Date (days from civil, after H. Hinnant's public-domain algorithms)

static int32_t DaysFromCivil(int y, int m, int d) {
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

static Ymd CivilFromDays(int32_t z) {
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

static int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

Result<Date> Date::FromYmd(int year, int month, int day) {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return Status::InvalidInput(std::string("«") + buf + "» is not a real date");
  }
  return FromDays(DaysFromCivil(year, month, day));
}

static bool ParseInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
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

// [SECTION] FieldValue

std::string FieldValueToString(const FieldValue& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) {
    char buf[64];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, *d);
    return ec == std::errc() ? std::string(buf, p) : std::string("?");
  }
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return "";
}

}  // namespace mentorlog::core
