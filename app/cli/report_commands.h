// mentorlog-cli's report commands (issue 5): `report feedback`, `report school`,
// `report district` and `report route` (issue 15). main.cpp registers them and runs the one that was parsed.
//
//   report feedback --observation ID --out FILE.pdf [--lang ru|en]
//   report school --school ID|CODE --format pdf|xlsx|csv --out PATH [--lang ru|en]
//   report district --format xlsx|csv --out PATH [--lang ru|en]
//   report route --teacher ID|CODE --out FILE.pdf [--lang ru|en]
//
// PDF and XLSX files are written atomically (FILE.tmp, then renamed). With --format csv, PATH
// is a folder (created when missing) that gets one file per table, <table>.csv. What each
// report holds: docs/reports.md.
//
// Exit codes (main.cpp maps the returned Status): 0 ok; 1 the user must act (an unknown id or
// code, a missing or unwritable folder, a wrong --format); 2 the disk or a library failed.
//
// Thread safety: a program's main thread.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>

#include "mentorlog/base/status.h"
#include "mentorlog/store/records.h"

namespace mentorlog::cli {

// What the report commands need from the CLI's context.
struct ReportContext {
  Language language = Language::kEnglish;  // of the messages, and of the reports unless --lang says otherwise
  const core::Records& records;
};

class ReportCommands {
 public:
  // Adds `report` and its commands to `app`, which must outlive this object.
  explicit ReportCommands(CLI::App& app);

  // Whether the command line chose one of these commands.
  bool Parsed() const;
  // Runs the chosen command. REQUIRES: Parsed().
  Status Run(const ReportContext& ctx);

 private:
  Status Feedback(const ReportContext& ctx, Language language);
  Status School(const ReportContext& ctx, Language language);
  Status District(const ReportContext& ctx, Language language);
  Status Route(const ReportContext& ctx, Language language);

  CLI::App* report_ = nullptr;
  CLI::App* feedback_ = nullptr;
  CLI::App* school_ = nullptr;
  CLI::App* district_ = nullptr;
  CLI::App* route_ = nullptr;

  std::string observation_;
  std::string school_id_;
  std::string teacher_;
  std::string format_;
  std::string out_;
  std::string lang_;
};

}  // namespace mentorlog::cli
