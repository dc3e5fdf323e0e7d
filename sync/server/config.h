// mentorlog-server's settings: a TOML file (--config FILE), overridden by command-line flags.
//
// The file's keys (all optional; docs/http-api.md, "Running the server"):
//   listen = "0.0.0.0:8443"           where `serve` accepts connections (HOST:PORT)
//   db = "/var/lib/mentorlog/central.db"   the SQLite file, or
//   pg = "host=... dbname=..."        a PostgreSQL connection string (not both)
//   tls_cert = "cert.pem"             TLS certificate chain and key (both or neither)
//   tls_key = "key.pem"
//   threads = 8                       requests working on the storage at once (PostgreSQL connections: this + 4)
//   token_days = 90                   how long a sign-in lasts
//   log_level = "info"                trace, debug, info, warn, error, critical, off
//   max_clock_skew_seconds = 300      device stamps further ahead are clamped
//   argon2_memlimit_mb = 64           memory of one password hash
// An unknown key, a value of the wrong type or out of range is an error naming the file and
// the line ("server.toml, line 3: «threads» must be a whole number, not a string").
//
// Thread safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "mentorlog/base/status.h"

namespace mentorlog::server {

// Each field is set when the file (or a flag) gave it; ResolvedX() below supply defaults.
struct ServerConfig {
  std::optional<std::string> listen;
  std::optional<std::string> db;
  std::optional<std::string> pg;
  std::optional<std::string> tls_cert;
  std::optional<std::string> tls_key;
  std::optional<int64_t> threads;
  std::optional<int64_t> token_days;
  std::optional<std::string> log_level;
  std::optional<int64_t> max_clock_skew_seconds;
  std::optional<int64_t> argon2_memlimit_mb;
};

inline constexpr int64_t kDefaultThreads = 8;
inline constexpr int64_t kDefaultTokenDays = 90;
inline constexpr int64_t kDefaultMaxClockSkewSeconds = 300;
inline constexpr int64_t kDefaultArgon2MemlimitMb = 64;

// Parses TOML `text`; `source` names it in messages (the file's path).
// Errors: InvalidInput naming `source`, the line and the problem (a TOML syntax error, an
// unknown key, a wrong type, a value out of range, db and pg both given).
Result<ServerConfig> ParseConfig(std::string_view text, std::string_view source);

// Reads and parses `path`. NotFound when it does not exist, IoError when it cannot be read.
Result<ServerConfig> LoadConfigFile(const std::filesystem::path& path);

// `base` with every field that `over` sets replaced (flags over the file).
ServerConfig Overlay(const ServerConfig& base, const ServerConfig& over);

// Checks one value as the file's would be checked; `key` is the file's key name. The message
// names the key (the caller adds where it came from). Used for flags and by ParseConfig.
Status CheckConfigValue(std::string_view key, const ServerConfig& config);
// Every field of `config`, and the rules between fields (db and pg; tls_cert and tls_key).
Status CheckConfig(const ServerConfig& config);

struct ListenAddress {
  std::string host;
  int port = 0;  // 0: any free port (serve prints the one it got)
};

// "HOST:PORT", "[::1]:PORT". InvalidInput saying what is wrong.
Result<ListenAddress> ParseListen(std::string_view text);

}  // namespace mentorlog::server
