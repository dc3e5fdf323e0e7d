// What the TOML configuration readers (indices.cpp, dashboard.cpp) share: parsing with errors
// that name the file and the line, and reading the file. Internal to mentorlog_core.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "mentorlog/base/status.h"

namespace mentorlog::core::toml_config {

// InvalidInput "<source>:<line>: <what>".
inline Status Bad(std::string_view source, const toml::node& node, const std::string& what) {
  return Status::InvalidInput(std::string(source) + ":" + std::to_string(node.source().begin.line) + ": " + what);
}

inline Result<toml::table> Parse(std::string_view text, std::string_view source) {
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return Status::InvalidInput(std::string(source) + ":" + std::to_string(e.source().begin.line) + ": " +
                                std::string(e.description()));
  }
}

// The file's text. NotFound, naming `what` and the fix, when it cannot be read.
inline Result<std::string> Read(const std::filesystem::path& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("no " + std::string(what) + " at " + path.string() + "; reinstall MentorLog");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace mentorlog::core::toml_config
