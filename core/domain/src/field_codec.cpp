#include "mentorlog/domain/field_codec.h"

#include <charconv>
#include <cstdio>

namespace mentorlog::core {

static std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status FieldCodec<int64_t>::Decode(const FieldValue& v, int64_t& out) {
  if (const auto* i = std::get_if<int64_t>(&v)) {
    out = *i;
    return Status::Ok();
  }
  if (std::holds_alternative<std::monostate>(v)) {
    out = 0;
    return Status::Ok();
  }
  if (const auto* s = std::get_if<std::string>(&v)) return FromText(*s, out);
  return Status::InvalidInput("expected a whole number");
}

Status FieldCodec<int64_t>::FromText(std::string_view text, int64_t& out) {
  std::string compact;
  for (char c : Trim(text)) {
    if (c != ' ') compact += c;
  }
  auto [p, ec] = std::from_chars(compact.data(), compact.data() + compact.size(), out);
  if (compact.empty() || ec != std::errc() || p != compact.data() + compact.size()) {
    return Status::InvalidInput("«" + std::string(text) + "» is not a whole number");
  }
  return Status::Ok();
}

Status FieldCodec<double>::Decode(const FieldValue& v, double& out) {
  if (const auto* d = std::get_if<double>(&v)) {
    out = *d;
    return Status::Ok();
  }
  if (const auto* i = std::get_if<int64_t>(&v)) {
    out = static_cast<double>(*i);
    return Status::Ok();
  }
  if (std::holds_alternative<std::monostate>(v)) {
    out = 0;
    return Status::Ok();
  }
  return FromText(std::get<std::string>(v), out);
}

Status FieldCodec<double>::FromText(std::string_view text, double& out) {
  std::string compact;
  for (char c : Trim(text)) {
    if (c == ',') c = '.';
    if (c != ' ') compact += c;
  }
  auto [p, ec] = std::from_chars(compact.data(), compact.data() + compact.size(), out);
  if (compact.empty() || ec != std::errc() || p != compact.data() + compact.size() || !std::isfinite(out)) {
    return Status::InvalidInput("«" + std::string(text) + "» is not a number");
  }
  return Status::Ok();
}

std::string FieldCodec<double>::ToText(double v) { return FieldValueToString(FieldValue(v)); }

Status FieldCodec<bool>::Decode(const FieldValue& v, bool& out) {
  if (const auto* i = std::get_if<int64_t>(&v)) {
    out = *i != 0;
    return Status::Ok();
  }
  if (std::holds_alternative<std::monostate>(v)) {
    out = false;
    return Status::Ok();
  }
  if (const auto* s = std::get_if<std::string>(&v)) return FromText(*s, out);
  return Status::InvalidInput("expected yes or no");
}

Status FieldCodec<bool>::FromText(std::string_view text, bool& out) {
  const std::string f = FoldCase(text);
  if (f == "1" || f == "yes" || f == "true" || f == "да" || f == "y" || f == "д") {
    out = true;
    return Status::Ok();
  }
  if (f == "0" || f == "no" || f == "false" || f == "нет" || f == "n" || f == "н" || f.empty()) {
    out = false;
    return Status::Ok();
  }
  return Status::InvalidInput("«" + std::string(text) + "» is not yes/no (да/нет)");
}

Status FieldCodec<Date>::Decode(const FieldValue& v, Date& out) {
  const auto* s = std::get_if<std::string>(&v);
  if (s == nullptr) return Status::InvalidInput("expected a date");
  return FromText(*s, out);
}

Status FieldCodec<Date>::FromText(std::string_view text, Date& out) {
  ASSIGN_OR_RETURN(out, Date::Parse(text));
  return Status::Ok();
}

Status FieldCodec<Uuid>::Decode(const FieldValue& v, Uuid& out) {
  const auto* s = std::get_if<std::string>(&v);
  if (s == nullptr) return Status::InvalidInput("expected an id");
  return FromText(*s, out);
}

Status FieldCodec<Uuid>::FromText(std::string_view text, Uuid& out) {
  ASSIGN_OR_RETURN(out, Uuid::Parse(Trim(text)));
  return Status::Ok();
}

}  // namespace mentorlog::core
