// Private: the report library's texts in the report's language.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "mentorlog/domain/types.h"

namespace mentorlog::report {

// `ru` when lang is "ru", else `en`: every user-visible string of the reports is written in both.
inline std::string Say(std::string_view lang, std::string_view en, std::string_view ru) {
  return std::string(lang == "ru" ? ru : en);
}

// A date as the report's reader writes it: "20.11.2026" in Russian, "2026-11-20" in English.
inline std::string DateText(core::Date date, std::string_view lang) {
  if (lang != "ru") return date.ToString();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d.%02d.%04d", date.day(), date.month(), date.year());
  return buf;
}

}  // namespace mentorlog::report
