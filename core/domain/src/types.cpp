#include "mentorlog/domain/types.h"

#include <charconv>
#include <cstdio>

namespace mentorlog::core {

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
