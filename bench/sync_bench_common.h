// What the sync benchmarks share (bench/README.md, "Sync benchmarks"): temporary folders, a
// clock pinned to one day, the demo-shaped data set and its JSONL twin for the PouchDB peer,
// an in-process central store with its HTTP server, accounts with tokens made without Argon2,
// device stores, and the small statistics and formatting the tables need.
//
// [SECTION] Folders, clock, machine
// [SECTION] The data set
// [SECTION] The central store in process
// [SECTION] Devices
// [SECTION] Figures
//
// Nothing here is for production: errors of the setup end the benchmark (Must), because a
// benchmark that carries on after a failed setup prints figures about something else.
//
// Thread safety: TempDir, DayClock and the free functions are safe to use from any thread;
// a Central is used by its owner, its services from any thread (as theirs allow).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts.h"
#include "http_server.h"
#include "mentorlog/base/status.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/store/store.h"
#include "service.h"
#include "storage.h"

namespace mentorlog::bench {

// -----------------------------------------------------------------------------------------
// [SECTION] Folders, clock, machine
// -----------------------------------------------------------------------------------------

// Ends the program with `what` and the status when `s` is not ok.
void Must(const Status& s, std::string_view what);
template <class T>
T Must(Result<T> r, std::string_view what) {
  if (!r.ok()) Must(r.status(), what);
  return std::move(r).value();
}

// A fresh folder under $TMPDIR (or /tmp), removed with everything in it at destruction.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "mentorlog-bench");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The wall clock moved back to midnight UTC of a fixed day (kBenchDay) and running from there
// at real speed, from the moment the clock is made. The demo district and the data set
// depend on Today(), so pinning the day makes them the same on every day the benchmark runs;
// the time stays behind the real clock, so the server never clamps these stamps.
class DayClock final : public mentorlog::Clock {
 public:
  DayClock();
  int64_t NowMillis() const override;
  int UtcOffsetMinutes() const override { return 0; }

 private:
  int64_t start_real_;
};
inline constexpr std::string_view kBenchDay = "2026-11-29";

// "2 × AMD EPYC, load average 0.42 0.51 0.60 (before the run)": for the top of every table.
std::string MachineLine();
// The 1-minute load average now.
double LoadAverage();
// Peak resident set of this process so far (getrusage), in bytes.
int64_t PeakRssBytes();

// -----------------------------------------------------------------------------------------
// [SECTION] The data set
// -----------------------------------------------------------------------------------------

// The demo district (core::CreateDemoDistrict) and then field work in its supported schools
// (visits, lesson observations with one score per rubric criterion, consultations,
// recommendations, comments on them) until the store holds exactly `records` live records.
// The new texts are recombined from the sentences of the demo's own texts of the same field,
// so their length and vocabulary are the demo's. The content is a function of `seed` and of
// the store's Today() (pin it with a DayClock); record ids are new UUIDs on every run.
struct DatasetOptions {
  int64_t records = 50'000;
  uint64_t seed = 20261129;
};

struct DatasetSummary {
  int64_t records = 0;                     // live records when done
  int64_t demo_records = 0;                // of which the demo district's
  int64_t changes = 0;                     // outbox entries (the demo edits some records: more than one change each)
  std::map<std::string, int64_t> by_kind;  // table name -> live records
};

// REQUIRES: `store` is empty. Errors: the demo's and the store's.
Result<DatasetSummary> BuildDataset(core::Store& store, const DatasetOptions& options);

// A mentor's day at one school, written as FieldWork writes the data set (demo-shaped texts),
// dated today, in one transaction: one visit, `observations` lesson observations with
// `scores_per_observation` scores each (-1: one per rubric criterion), `consultations` (0 or
// 1), `recommendations`, and a comment on the first `comments` of them. The default is 30
// records: 1 + 2 + 2 × 10 + 1 + 4 + 2.
struct DayOfWork {
  int observations = 2;
  int scores_per_observation = -1;
  int consultations = 1;
  int recommendations = 4;
  int comments = 2;
};
// REQUIRES: the store holds the school's demo visits and teachers (a pulled device does) and
// a person `visitor`. `school` nullopt: one of the schools that have both. Returns the number
// of records written.
Result<int64_t> WriteDayOfWork(core::Store& store, const DayOfWork& day, const core::Uuid& visitor,
                               std::optional<core::Uuid> school, uint64_t seed);

// Live records of the store (as core::Store::Count sees them).
Result<int64_t> CountLiveRecords(const core::Store& store);

// Writes every live record of `store` as one JSON object per line, for bench/pouchdb/run.sh:
// {"_id": record id, "kind": "visit", then the record's fields by name as core::EncodeJson
// writes them (texts, numbers, booleans, arrays, null)}. Returns the number of lines.
Result<int64_t> WriteJsonl(const core::Store& store, const std::filesystem::path& path);

// The data set's coordinator and district: a person with the coordinator role and the
// district of the schools (every demo school is in one district).
struct DistrictOwner {
  core::Uuid coordinator_id;
  std::string district;
  std::vector<core::Uuid> schools;  // every school of the district
};
Result<DistrictOwner> FindDistrictOwner(const core::Store& store);

// -----------------------------------------------------------------------------------------
// [SECTION] The central store in process
// -----------------------------------------------------------------------------------------

enum class Backend { kSqlite, kPostgres };
std::string_view BackendName(Backend backend);

struct CentralOptions {
  Backend backend = Backend::kSqlite;
  std::filesystem::path sqlite_path;  // kSqlite
  std::string pg_connstr;             // kPostgres
  // mentorlog-server's defaults (sync/server/config.h: threads = 8, also the PostgreSQL pool).
  int threads = 8;
};

// Storage + SyncService + Accounts, and on demand the HttpServer on 127.0.0.1 (any port):
// the same objects mentorlog-server's `serve` wires together.
class Central {
 public:
  static Result<std::unique_ptr<Central>> Open(const CentralOptions& options);
  ~Central();
  Central(const Central&) = delete;
  Central& operator=(const Central&) = delete;

  // Starts the HTTP server with mentorlog-server's defaults (threads from the options).
  Status StartHttp();
  void StopHttp();
  int port() const;
  std::string url() const;  // "http://127.0.0.1:PORT"

  server::Storage& storage() { return *storage_; }
  server::SyncService& service() { return *service_; }
  server::Accounts& accounts() { return *accounts_; }

  // An account straight into the storage, with no password (its hash is not a hash: nobody
  // can sign in with it), so 1,000 accounts cost no Argon2.
  Result<server::Account> AddAccount(const std::string& login, sync::Role role, std::optional<core::Uuid> person_id,
                                     const std::string& district);
  // A sign-in token for `account` on `device_id`, stored as the server stores a Login's
  // (its SHA-256, bound to the device, valid 90 days). Returns the token.
  Result<std::string> IssueToken(const server::Account& account, const std::string& device_id);

 private:
  Central() = default;

  CentralOptions options_;
  std::unique_ptr<server::Storage> storage_;
  std::unique_ptr<server::SyncService> service_;
  std::unique_ptr<server::Accounts> accounts_;
  std::unique_ptr<server::HttpServer> http_;
};

// -----------------------------------------------------------------------------------------
// [SECTION] Devices
// -----------------------------------------------------------------------------------------

// A device store at `path` (created) with language "en"; `clock` may be null (system clock).
Result<std::unique_ptr<core::Store>> OpenDevice(const std::filesystem::path& path, const std::string& device_id,
                                                const mentorlog::Clock* clock = nullptr);

// -----------------------------------------------------------------------------------------
// [SECTION] Figures
// -----------------------------------------------------------------------------------------

// The p-quantile (0..1) of `values` by nearest rank; 0 when empty.
double Quantile(std::vector<double> values, double p);
double Median(std::vector<double> values);

// "1,234,567"
std::string Thousands(int64_t n);
// "12.3 MB" (10^6), "845.2 kB", "512 B"
std::string Bytes(int64_t n);

// The value of environment variable `name`, or `fallback`.
std::string EnvOr(const char* name, std::string_view fallback);

}  // namespace mentorlog::bench
