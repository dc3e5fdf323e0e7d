#include "json_guard.h"

#include <algorithm>

namespace mentorlog::core {
namespace {

bool IsNumberChar(char c) { return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Whether rapidjson 1.1.0 sends the number at the start of `token` (a run of IsNumberChar
// characters) down its full-precision path with no significant digit: every digit of the
// significand is '0', and its decimal exponent p (the exponent less the digits after the
// point) is outside the fast path's -22..37. Read as rapidjson reads it: the longest prefix
// that is a number ("0e40" of "0e40.0-40": rapidjson converts it, then stops at the '.').
// A prefix rapidjson refuses before converting ("0e", "0.") is not such a zero.
bool IsZeroRapidjsonCannotRead(std::string_view token) {
  size_t i = 0;
  const size_t n = token.size();
  if (i < n && token[i] == '-') ++i;
  if (i >= n || token[i] != '0') return false;  // a significant digit, or not a number
  ++i;                                          // after a leading 0 the integer part ends
  long fraction_digits = 0;
  if (i < n && token[i] == '.') {
    ++i;
    if (i >= n || !IsDigit(token[i])) return false;  // "0.": refused by rapidjson's grammar
    for (; i < n && IsDigit(token[i]); ++i) {
      if (token[i] != '0') return false;
      fraction_digits = std::min(fraction_digits + 1, 1'000'000L);
    }
  }
  long exponent = 0;
  if (i < n && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    bool minus = false;
    if (i < n && (token[i] == '+' || token[i] == '-')) minus = token[i++] == '-';
    if (i >= n || !IsDigit(token[i])) return false;  // "0e": refused by rapidjson's grammar
    for (; i < n && IsDigit(token[i]); ++i) exponent = std::min(exponent * 10 + (token[i] - '0'), 1'000'000L);
    if (minus) exponent = -exponent;
  }
  const long p = exponent - fraction_digits;
  return p < -22 || p >= 22 + 16;
}

}  // namespace

std::optional<std::string> JsonInputProblem(std::string_view json, const JsonLimits& limits) {
  if (limits.object_root) {
    const size_t first = json.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return "the text is empty";
    if (json[first] != '{') return "expected a JSON object ({...}) at byte " + std::to_string(first);
  }
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '\0') return "a NUL byte at byte " + std::to_string(i);
    if (in_string) {
      if (c == '\\') {
        ++i;  // skips the escaped character
        if (i < json.size() && json[i] == '\0') return "a NUL byte at byte " + std::to_string(i);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (IsNumberChar(c)) {
      size_t end = i;
      while (end < json.size() && IsNumberChar(json[end])) ++end;
      const std::string_view number = json.substr(i, end - i);
      if (number.size() > limits.max_number_chars) {
        return "a number longer than " + std::to_string(limits.max_number_chars) + " characters at byte " +
               std::to_string(i);
      }
      if (IsZeroRapidjsonCannotRead(number)) {
        return "the number " + std::string(number) + " at byte " + std::to_string(i) +
               " is a zero with an exponent this program cannot read; write it as 0";
      }
      i = end - 1;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limits.max_depth) {
        return "nested deeper than " + std::to_string(limits.max_depth) + " levels at byte " + std::to_string(i);
      }
    } else if (c == '}' || c == ']') {
      if (depth > 0) --depth;
    }
  }
  return std::nullopt;
}

}  // namespace mentorlog::core
