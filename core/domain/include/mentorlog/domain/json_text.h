// JSON string literals, written by hand where a JSON library is not wanted (exports, the
// server's and the protocol's small error bodies), and the reader of such small bodies.
//
// Thread safety: pure functions.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace mentorlog::core {

// Appends `utf8` to `out` as a JSON string literal: in quotes, with '"', '\' and \b \f \n \r \t
// escaped, \u00XX for the other control characters; every other byte as it is (the caller
// makes sure the text is UTF-8).
void AppendJsonString(std::string& out, std::string_view utf8);

// The same, as a new string.
std::string JsonString(std::string_view utf8);

// The text members of a JSON object ({"code": "...", "message_en": "..."}), escapes decoded;
// members of other types are left out. Nothing when `json` is not one JSON object (or is one
// that json_guard.h keeps from rapidjson).
std::optional<std::map<std::string, std::string, std::less<>>> JsonObjectTexts(std::string_view json);

}  // namespace mentorlog::core
