// mentorlog-cli's sync commands: login, logout, sync, status, conflicts, rejected, state-hash
// and workload. main.cpp registers them and runs the one that was parsed.
//
// Exit codes (main.cpp maps the returned Status): 0 ok; 1 the user must act (not signed in,
// the sign-in expired or was refused, no permission, the app is too old, bad input); 2 the
// network or the server failed, the sync was stopped (Ctrl-C), or an internal error.
//
// Thread safety: a program's main thread; `sync` installs a SIGINT handler while it runs.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

#include "mentorlog/base/status.h"
#include "mentorlog/store/store.h"

namespace mentorlog::cli {

// What the sync commands need from the CLI's context.
struct SyncContext {
  Language language = Language::kEnglish;  // of the messages
  std::filesystem::path data_dir;
  core::Store& store;
};

// The token file in the data folder (0600, platform::WriteSecretFile).
std::filesystem::path TokenPath(const std::filesystem::path& data_dir);

class SyncCommands {
 public:
  // Adds the commands and their options to `app`, which must outlive this object.
  explicit SyncCommands(CLI::App& app);

  // Whether the command line chose one of these commands.
  bool Parsed() const;
  // Runs the chosen command. REQUIRES: Parsed().
  Status Run(const SyncContext& ctx);

 private:
  Status Login(const SyncContext& ctx);
  Status Logout(const SyncContext& ctx);
  Status Sync(const SyncContext& ctx);
  Status ShowStatus(const SyncContext& ctx);
  Status Conflicts(const SyncContext& ctx);
  Status Rejected(const SyncContext& ctx);
  Status StateHash(const SyncContext& ctx);
  Status Workload(const SyncContext& ctx);

  CLI::App* login_ = nullptr;
  CLI::App* logout_ = nullptr;
  CLI::App* sync_ = nullptr;
  CLI::App* status_ = nullptr;
  CLI::App* conflicts_ = nullptr;
  CLI::App* rejected_ = nullptr;
  CLI::App* state_hash_ = nullptr;
  CLI::App* workload_ = nullptr;

  std::string server_;
  std::string user_;
  std::string ca_file_;
  bool password_stdin_ = false;
  uint32_t batch_rows_ = 0;
  uint32_t batch_bytes_ = 0;
  int attempts_ = 8;
  bool quiet_ = false;
  bool all_ = false;
  uint64_t seed_ = 1;
  int ops_ = 100;
};

}  // namespace mentorlog::cli
