#include "mentorlog/domain/json_text.h"

#include "json_guard.h"
#include "rapidjson_config.h"

namespace mentorlog::core {

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 0xF];
        } else {
          out += c;  // UTF-8 passes through (checked by the caller)
        }
    }
  }
  out += '"';
}

std::string JsonString(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size() + 2);
  AppendJsonString(out, utf8);
  return out;
}

std::optional<std::map<std::string, std::string, std::less<>>> JsonObjectTexts(std::string_view json) {
  if (JsonInputProblem(json, JsonLimits{.max_depth = 8, .object_root = true})) return std::nullopt;
  rapidjson::Document doc;
  try {
    doc.Parse(json.data(), json.size());
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  std::map<std::string, std::string, std::less<>> texts;
  for (const auto& member : doc.GetObject()) {
    if (!member.value.IsString()) continue;
    texts.insert_or_assign(std::string(member.name.GetString(), member.name.GetStringLength()),
                           std::string(member.value.GetString(), member.value.GetStringLength()));
  }
  return texts;
}

}  // namespace mentorlog::core
