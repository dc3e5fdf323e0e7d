// mentorlog-server's settings (config.h).

#include "config.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <iterator>
#include <sstream>

#include <toml++/toml.h>

namespace mentorlog::server {
namespace {

enum class ValueType { kString, kInteger };

struct KeyDef {
  std::string_view name;
  ValueType type;
  std::optional<std::string> ServerConfig::*text = nullptr;
  std::optional<int64_t> ServerConfig::*number = nullptr;
};

constexpr std::array<KeyDef, 10> kKeys{{
    {"listen", ValueType::kString, &ServerConfig::listen, nullptr},
    {"db", ValueType::kString, &ServerConfig::db, nullptr},
    {"pg", ValueType::kString, &ServerConfig::pg, nullptr},
    {"tls_cert", ValueType::kString, &ServerConfig::tls_cert, nullptr},
    {"tls_key", ValueType::kString, &ServerConfig::tls_key, nullptr},
    {"threads", ValueType::kInteger, nullptr, &ServerConfig::threads},
    {"token_days", ValueType::kInteger, nullptr, &ServerConfig::token_days},
    {"log_level", ValueType::kString, &ServerConfig::log_level, nullptr},
    {"max_clock_skew_seconds", ValueType::kInteger, nullptr, &ServerConfig::max_clock_skew_seconds},
    {"argon2_memlimit_mb", ValueType::kInteger, nullptr, &ServerConfig::argon2_memlimit_mb},
}};

constexpr std::array<std::string_view, 7> kLogLevels{"trace", "debug", "info", "warn", "error", "critical", "off"};

const KeyDef* FindKey(std::string_view name) {
  for (const auto& k : kKeys) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::string KeyList() {
  std::string out;
  for (const auto& k : kKeys) out += (out.empty() ? "" : ", ") + std::string(k.name);
  return out;
}

std::string_view TypeName(toml::node_type type) {
  switch (type) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "a whole number";
    case toml::node_type::floating_point:
      return "a fractional number";
    case toml::node_type::boolean:
      return "true/false";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
      return "a date or time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

Status OutOfRange(std::string_view key, int64_t value, int64_t lo, int64_t hi) {
  return Status::InvalidInput("«" + std::string(key) + "» must be between " + std::to_string(lo) + " and " +
                              std::to_string(hi) + ", not " + std::to_string(value));
}

}  // namespace

Result<ListenAddress> ParseListen(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return Status::InvalidInput("«" + std::string(text) + "» is not HOST:PORT (" + std::string(why) +
                                "), e.g. 0.0.0.0:8443 or 127.0.0.1:8080");
  };
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return bad("no port");
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) return bad("no host");
  if (host.find_first_of(" \t[]") != std::string_view::npos) return bad("a space or bracket in the host");
  int port = -1;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 0 || port > 65535) {
    return bad("the port must be a number from 0 to 65535");
  }
  return ListenAddress{std::string(host), port};
}

Status CheckConfigValue(std::string_view key, const ServerConfig& c) {
  const KeyDef* def = FindKey(key);
  if (def == nullptr) return Status::InvalidInput("unknown setting «" + std::string(key) + "»");
  if (def->type == ValueType::kString) {
    const std::optional<std::string>& v = c.*(def->text);
    if (!v) return Status::Ok();
    if (v->empty()) return Status::InvalidInput("«" + std::string(key) + "» is empty");
    if (key == "listen") return ParseListen(*v).status().WithContext("«listen»");
    if (key == "log_level" && std::find(kLogLevels.begin(), kLogLevels.end(), *v) == kLogLevels.end()) {
      return Status::InvalidInput("«log_level» must be one of trace, debug, info, warn, error, critical, off; not «" +
                                  *v + "»");
    }
    return Status::Ok();
  }
  const std::optional<int64_t>& v = c.*(def->number);
  if (!v) return Status::Ok();
  if (key == "threads" && (*v < 1 || *v > 256)) return OutOfRange(key, *v, 1, 256);
  if (key == "token_days" && (*v < 1 || *v > 3650)) return OutOfRange(key, *v, 1, 3650);
  if (key == "max_clock_skew_seconds" && (*v < 0 || *v > 7 * 86400)) return OutOfRange(key, *v, 0, 7 * 86400);
  if (key == "argon2_memlimit_mb" && (*v < 1 || *v > 4096)) return OutOfRange(key, *v, 1, 4096);
  return Status::Ok();
}

Status CheckConfig(const ServerConfig& c) {
  for (const auto& k : kKeys) RETURN_IF_ERROR(CheckConfigValue(k.name, c));
  if (c.db && c.pg) return Status::InvalidInput("give either a SQLite file (db) or PostgreSQL (pg), not both");
  if (c.tls_cert.has_value() != c.tls_key.has_value()) {
    return Status::InvalidInput("TLS needs both a certificate (tls_cert) and its key (tls_key)");
  }
  return Status::Ok();
}

Result<ServerConfig> ParseConfig(std::string_view text, std::string_view source) {
  const std::string src(source);
  toml::table table;
  try {
    table = toml::parse(text, src);
  } catch (const toml::parse_error& e) {
    return Status::InvalidInput(src + ", line " + std::to_string(e.source().begin.line) + ", column " +
                                std::to_string(e.source().begin.column) + ": " + std::string(e.description()));
  }
  ServerConfig c;
  for (auto&& [key, node] : table) {
    const std::string name(key.str());
    const std::string where = src + ", line " + std::to_string(key.source().begin.line);
    const KeyDef* def = FindKey(name);
    if (def == nullptr) {
      return Status::InvalidInput(where + ": unknown key «" + name + "»; the keys are: " + KeyList());
    }
    if (def->type == ValueType::kString) {
      const auto* value = node.as_string();
      if (value == nullptr) {
        return Status::InvalidInput(where + ": «" + name + "» must be a string in quotes, not " +
                                    std::string(TypeName(node.type())));
      }
      c.*(def->text) = value->get();
    } else {
      const auto* value = node.as_integer();
      if (value == nullptr) {
        return Status::InvalidInput(where + ": «" + name + "» must be a whole number, not " +
                                    std::string(TypeName(node.type())));
      }
      c.*(def->number) = value->get();
    }
    RETURN_IF_ERROR(CheckConfigValue(name, c).WithContext(where));
  }
  RETURN_IF_ERROR(CheckConfig(c).WithContext(src));
  return c;
}

Result<ServerConfig> LoadConfigFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound("the config file " + path.string() + " does not exist");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read the config file " + path.string() + " (permissions?)");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::IoError("cannot read the config file " + path.string());
  return ParseConfig(text, path.string());
}

ServerConfig Overlay(const ServerConfig& base, const ServerConfig& over) {
  ServerConfig out = base;
  for (const auto& k : kKeys) {
    if (k.type == ValueType::kString) {
      if (over.*(k.text)) out.*(k.text) = over.*(k.text);
    } else {
      if (over.*(k.number)) out.*(k.number) = over.*(k.number);
    }
  }
  // A flag choosing one backend replaces the file's choice of the other.
  if (over.db) out.pg.reset();
  if (over.pg) out.db.reset();
  return out;
}

}  // namespace mentorlog::server
