// How each C++ field type maps to a FieldValue (a column, a change, a CSV cell):
//   std::string      -> text            int64_t          -> integer
//   double           -> real            bool             -> integer 0/1
//   Date             -> text YYYY-MM-DD Uuid             -> text 8-4-4-4-12
//   enum             -> text code       std::optional<T> -> null or T
//   std::vector<T>   -> text: elements' text joined by '\n' (empty vector -> "")
//
// Encode never fails. Decode checks the value and says what was wrong, naming nothing but
// the value: callers add the field and the row.
//
// Thread safety: pure functions.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/enums.h"
#include "mentorlog/domain/types.h"

namespace mentorlog::core {

// Shape of a field type, for code that treats lists and optionals specially (CSV, JSON).
template <class T>
struct IsVector : std::false_type {};
template <class T>
struct IsVector<std::vector<T>> : std::true_type {};
template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

template <class T>
struct FieldCodec;

template <>
struct FieldCodec<std::string> {
  static FieldValue Encode(const std::string& v) { return v; }
  static Status Decode(const FieldValue& v, std::string& out) {
    if (const auto* s = std::get_if<std::string>(&v)) {
      out = *s;
      return Status::Ok();
    }
    if (std::holds_alternative<std::monostate>(v)) {
      out.clear();
      return Status::Ok();
    }
    out = FieldValueToString(v);
    return Status::Ok();
  }
  static Status FromText(std::string_view text, std::string& out) {
    out = std::string(text);
    return Status::Ok();
  }
  static std::string ToText(const std::string& v) { return v; }
};

template <>
struct FieldCodec<int64_t> {
  static FieldValue Encode(int64_t v) { return v; }
  static Status Decode(const FieldValue& v, int64_t& out);
  static Status FromText(std::string_view text, int64_t& out);
  static std::string ToText(int64_t v) { return std::to_string(v); }
};

template <>
struct FieldCodec<double> {
  static FieldValue Encode(double v) { return v; }
  static Status Decode(const FieldValue& v, double& out);
  static Status FromText(std::string_view text, double& out);  // accepts "12,5" and "12.5"
  static std::string ToText(double v);
};

template <>
struct FieldCodec<bool> {
  static FieldValue Encode(bool v) { return int64_t{v ? 1 : 0}; }
  static Status Decode(const FieldValue& v, bool& out);
  static Status FromText(std::string_view text, bool& out);  // 1/0, yes/no, да/нет, true/false
  static std::string ToText(bool v) { return v ? "1" : "0"; }
};

template <>
struct FieldCodec<Date> {
  static FieldValue Encode(const Date& v) { return v.ToString(); }
  static Status Decode(const FieldValue& v, Date& out);
  static Status FromText(std::string_view text, Date& out);
  static std::string ToText(const Date& v) { return v.ToString(); }
};

template <>
struct FieldCodec<Uuid> {
  static FieldValue Encode(const Uuid& v) { return v.ToString(); }
  static Status Decode(const FieldValue& v, Uuid& out);
  static Status FromText(std::string_view text, Uuid& out);
  static std::string ToText(const Uuid& v) { return v.ToString(); }
};

template <class E>
requires std::is_enum_v<E>
struct FieldCodec<E> {
  static FieldValue Encode(E v) { return std::string(EnumCode(v)); }
  static Status Decode(const FieldValue& v, E& out) {
    const auto* s = std::get_if<std::string>(&v);
    if (s == nullptr) return Status::InvalidInput("expected one of: " + EnumChoices<E>(Language::kEnglish));
    return FromText(*s, out);
  }
  static Status FromText(std::string_view text, E& out) {
    auto e = EnumFromText<E>(text);
    if (!e) {
      return Status::InvalidInput("«" + std::string(text) + "» is not one of: " + EnumChoices<E>(Language::kEnglish) +
                                  " (" + EnumChoices<E>(Language::kRussian) + ")");
    }
    out = *e;
    return Status::Ok();
  }
  static std::string ToText(E v) { return std::string(EnumCode(v)); }
};

template <class T>
struct FieldCodec<std::optional<T>> {
  static FieldValue Encode(const std::optional<T>& v) {
    if (!v) return std::monostate{};
    return FieldCodec<T>::Encode(*v);
  }
  static Status Decode(const FieldValue& v, std::optional<T>& out) {
    if (std::holds_alternative<std::monostate>(v)) {
      out.reset();
      return Status::Ok();
    }
    if (const auto* s = std::get_if<std::string>(&v); s != nullptr && s->empty()) {
      out.reset();
      return Status::Ok();
    }
    T inner{};
    RETURN_IF_ERROR(FieldCodec<T>::Decode(v, inner));
    out = std::move(inner);
    return Status::Ok();
  }
  static Status FromText(std::string_view text, std::optional<T>& out) {
    if (text.find_first_not_of(" \t") == std::string_view::npos) {
      out.reset();
      return Status::Ok();
    }
    T inner{};
    RETURN_IF_ERROR(FieldCodec<T>::FromText(text, inner));
    out = std::move(inner);
    return Status::Ok();
  }
  static std::string ToText(const std::optional<T>& v) { return v ? FieldCodec<T>::ToText(*v) : ""; }
};

// Lists travel as one text: elements joined by '\n'. From text (a spreadsheet cell, JSON
// input), ';' also splits: "математика; физика".
template <class T>
struct FieldCodec<std::vector<T>> {
  static FieldValue Encode(const std::vector<T>& v) { return ToText(v); }
  static Status Decode(const FieldValue& v, std::vector<T>& out) {
    const auto* s = std::get_if<std::string>(&v);
    if (s == nullptr) {
      if (std::holds_alternative<std::monostate>(v)) {
        out.clear();
        return Status::Ok();
      }
      return Status::InvalidInput("expected a list as text");
    }
    return Split(*s, "\n", out);
  }
  static Status FromText(std::string_view text, std::vector<T>& out) { return Split(text, "\n;", out); }
  static std::string ToText(const std::vector<T>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) s += '\n';
      s += FieldCodec<T>::ToText(v[i]);
    }
    return s;
  }

 private:
  static Status Split(std::string_view text, std::string_view seps, std::vector<T>& out) {
    out.clear();
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find_first_of(seps, start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view part = text.substr(start, end - start);
      while (!part.empty() && (part.front() == ' ' || part.front() == '\t' || part.front() == '\r'))
        part.remove_prefix(1);
      while (!part.empty() && (part.back() == ' ' || part.back() == '\t' || part.back() == '\r')) part.remove_suffix(1);
      if (!part.empty()) {
        T item{};
        RETURN_IF_ERROR(FieldCodec<T>::FromText(part, item));
        out.push_back(std::move(item));
      }
      start = end + 1;
    }
    return Status::Ok();
  }
};

}  // namespace mentorlog::core
