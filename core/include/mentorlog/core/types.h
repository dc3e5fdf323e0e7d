// Small value types shared by every record: ids, dates, field values.
//
// Thread safety: plain values.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "mentorlog/core/status.h"

namespace mentorlog::core {

// A 128-bit id, UUIDv7 when made on a device (48 bits of Unix milliseconds first, so ids
// sort by creation time). The nil id (all zero) means "none yet".
class Uuid {
 public:
  Uuid() = default;
  explicit Uuid(const std::array<uint8_t, 16>& bytes) : bytes_(bytes) {}

  // Makes a UUIDv7 for `unix_millis` with 74 random bits (from platform::RandomBytes).
  static Uuid MakeV7(int64_t unix_millis);
  // Parses the canonical 8-4-4-4-12 lowercase or uppercase hex form.
  static Result<Uuid> Parse(std::string_view text);

  bool IsNil() const;
  std::string ToString() const;  // canonical lowercase 8-4-4-4-12
  const std::array<uint8_t, 16>& bytes() const { return bytes_; }
  int version() const { return bytes_[6] >> 4; }

  friend auto operator<=>(const Uuid&, const Uuid&) = default;

 private:
  std::array<uint8_t, 16> bytes_{};
};

// A calendar date (proleptic Gregorian), no time zone. Stored as "YYYY-MM-DD".
class Date {
 public:
  Date() = default;  // 1970-01-01
  static Result<Date> FromYmd(int year, int month, int day);
  // Accepts "YYYY-MM-DD" and Russian "DD.MM.YYYY". The message says what was wrong.
  static Result<Date> Parse(std::string_view text);
  static Date FromDays(int32_t days_since_epoch) {
    Date d;
    d.days_ = days_since_epoch;
    return d;
  }
  // The local date at `unix_millis` shifted by `utc_offset_minutes`.
  static Date FromUnixMillis(int64_t unix_millis, int utc_offset_minutes);

  int32_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  struct YearMonthDay {
    int year;
    int month;
    int day;
  };
  YearMonthDay ymd() const;      // the three at once (one conversion)
  std::string ToString() const;  // "YYYY-MM-DD"
  Date AddDays(int32_t n) const { return FromDays(days_ + n); }

  friend auto operator<=>(const Date&, const Date&) = default;

 private:
  int32_t days_ = 0;
};

// A value as it sits in a column and travels in a change: null, integer, real or text.
using FieldValue = std::variant<std::monostate, int64_t, double, std::string>;

std::string FieldValueToString(const FieldValue& v);  // for messages and CSV; null -> ""

}  // namespace mentorlog::core
