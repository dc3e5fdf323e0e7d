// Date: a calendar day, as records hold them ("YYYY-MM-DD"; Russian "DD.MM.YYYY" is read too).
//
// Thread safety: values.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "mentorlog/base/status.h"

namespace mentorlog {

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

}  // namespace mentorlog
