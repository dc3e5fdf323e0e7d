// The region's dashboards on the central store (issue 5: 3,000 schools and 5M records, goal
// <= 3 s), with SQLite and with PostgreSQL. Figures: bench/README.md.
//
// Setup, not measured: the region of bench/district_data.h written into the storage in
// transactions of 20,000 records (each with its scope key, as SyncService would), its schools
// indexed under one district, a coordinator of that district.
// Measured, through server::Dashboards as GET /v1/dashboard/district calls it:
//   - cold: the first request of a server that did not warm up (scope, a scan of every record
//     of the scope, every school's figures, the district view, the JSON);
//   - warm-up: what `serve` does as it starts (Dashboards::WarmUp: the coordinator's scope
//     built before any request), then the first request after it;
//   - warm: the same request again with nothing new;
//   - after k: k new visits written to k random schools, then the request (k = 1, 10, 100, 1000).
//
// Usage: dashboard_server_bench [--backend sqlite|postgres|both] [--schools N] [--records N]
// PostgreSQL: MENTORLOG_BENCH_PG (default as scripts/pg-setup makes it), in a fresh schema.
#include <unistd.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "dashboards.h"
#include "district_data.h"
#include "mentorlog/domain/record_state.h"
#include "mentorlog/sync/device.h"
#include "pg_schema.h"
#include "service.h"
#include "storage.h"

namespace mentorlog::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

[[noreturn]] void Fail(const std::string& what, const Status& s) {
  std::fprintf(stderr, "dashboard_server_bench: %s: %s\n", what.c_str(), s.ToString().c_str());
  std::exit(1);
}

constexpr char kDistrict[] = "Район";

// Writes the region; returns the school ids.
std::vector<core::Uuid> WriteRegion(server::Storage& storage, const DistrictShape& shape) {
  auto rubrics = core::LoadBundledRubrics(MENTORLOG_ASSETS_DIR);
  if (!rubrics.ok() || rubrics->empty()) Fail("rubrics", rubrics.status());
  // Parents that scope keys are read through (observations for scores, people for deficits).
  std::map<core::Uuid, core::RecordState> parents;
  const sync::StateLoader load = [&](const core::Uuid& id) -> Result<std::optional<core::RecordState>> {
    auto it = parents.find(id);
    if (it == parents.end()) return std::optional<core::RecordState>();
    return std::optional<core::RecordState>(it->second);
  };
  std::vector<std::pair<core::RecordState, std::optional<core::Uuid>>> batch;
  std::vector<core::Uuid> schools;
  int64_t written = 0;
  const auto started = Clock::now();
  auto flush = [&] {
    Status s = storage.Write([&](server::StorageTx& tx) -> Status {
      for (const auto& [state, school] : batch) {
        RETURN_IF_ERROR(tx.PutRecord(state, school).status());
        if (state.kind == core::RecordKind::kSchool) RETURN_IF_ERROR(tx.PutSchoolIndex(state.id, kDistrict, false));
      }
      return Status::Ok();
    });
    if (!s.ok()) Fail("write", s);
    written += static_cast<int64_t>(batch.size());
    batch.clear();
    if (written % 1'000'000 < 20'000)
      std::fprintf(stderr, "  written %lld (%.0f s)\n", static_cast<long long>(written), Seconds(started));
  };
  MakeDistrict(shape, rubrics->front(), [&](const auto& record) {
    core::RecordState state = core::StateFromRecord(record);
    using R = std::remove_cvref_t<decltype(record)>;
    if constexpr (std::is_same_v<R, core::School>) schools.push_back(record.id);
    if constexpr (std::is_same_v<R, core::Observation> || std::is_same_v<R, core::Person>) parents[record.id] = state;
    auto school = sync::SchoolOf(state, load);
    if (!school.ok()) Fail("scope key", school.status());
    batch.emplace_back(std::move(state), *school);
    if (batch.size() >= 20'000) flush();
  });
  flush();
  return schools;
}

struct Row {
  std::string backend;
  double write_s = 0;
  double scan_s = 0;  // the storage's part of cold: reading and decoding the records, nothing else
  double cold_s = 0;
  double warm_up_s = 0;
  double first_after_warm_up_s = 0;
  double warm_s = 0;
  std::map<int, double> after_k;
  size_t json_bytes = 0;
};

Row Run(const std::string& backend, const DistrictShape& shape, const std::string& pg_base) {
  Row row;
  row.backend = backend;
  std::unique_ptr<PgSchema> schema;
  std::filesystem::path file;
  Result<std::unique_ptr<server::Storage>> storage = Status::Internal("unset");
  if (backend == "postgres") {
    auto created = PgSchema::Create(pg_base);
    if (!created.ok()) Fail("PostgreSQL schema (run scripts/pg-setup, or set MENTORLOG_BENCH_PG)", created.status());
    schema = std::move(created).value();
    storage = server::OpenPostgresStorage(schema->connstr(), 4);
  } else {
    file = std::filesystem::temp_directory_path() / ("mentorlog-dashboard-bench-" + std::to_string(::getpid()) + ".db");
    storage = server::OpenSqliteStorage(file.string());
  }
  if (!storage.ok()) Fail("open " + backend, storage.status());
  {
    server::Storage& st = **storage;
    auto t = Clock::now();
    std::fprintf(stderr, "%s: writing %d schools, %lld records\n", backend.c_str(), shape.schools,
                 static_cast<long long>(shape.records));
    const std::vector<core::Uuid> schools = WriteRegion(st, shape);
    row.write_s = Seconds(t);

    server::SyncService service(st, server::ServiceOptions{});
    auto config = core::LoadDashboardConfig(MENTORLOG_ASSETS_DIR);
    if (!config.ok()) Fail("config", config.status());
    mentorlog::FakeClock clock(int64_t{shape.today.days()} * 86'400'000 + 12 * 3'600'000);
    server::Account coordinator;
    coordinator.login = "region.coordinator";
    coordinator.role = sync::Role::kCoordinator;
    coordinator.district = kDistrict;
    coordinator.person_id = core::Uuid::MakeV7(1);
    Status account = st.Write([&](server::StorageTx& tx) { return tx.CreateAccount(coordinator).status(); });
    if (!account.ok()) Fail("coordinator account", account);

    auto dashboards = std::make_unique<server::Dashboards>(st, service, *config, clock);
    auto request = [&] {
      auto json = dashboards->DistrictJson(coordinator, Language::kRussian);
      if (!json.ok()) Fail("district json", json.status());
      row.json_bytes = json->size();
    };
    t = Clock::now();
    int64_t scanned = 0;
    Status scan = st.Read([&](server::StorageTx& tx) -> Status {
      auto count = [&](const server::StoredRecord&) {
        ++scanned;
        return Status::Ok();
      };
      server::ScopeFilter scope;
      scope.schools = schools;
      return tx.ScanLive(scope, count);
    });
    if (!scan.ok()) Fail("scan", scan);
    row.scan_s = Seconds(t);
    t = Clock::now();
    request();
    row.cold_s = Seconds(t);
    // A server that warms up at start (as `serve` does).
    dashboards = std::make_unique<server::Dashboards>(st, service, *config, clock);
    const std::atomic<bool> go{false};
    t = Clock::now();
    if (Status warmed = dashboards->WarmUp(go); !warmed.ok()) Fail("warm-up", warmed);
    row.warm_up_s = Seconds(t);
    t = Clock::now();
    request();
    row.first_after_warm_up_s = Seconds(t);
    t = Clock::now();
    request();
    row.warm_s = Seconds(t);
    uint64_t next = 0;
    for (int k : {1, 10, 100, 1000}) {
      Status s = st.Write([&](server::StorageTx& tx) -> Status {
        for (int i = 0; i < k; ++i) {
          core::Visit v;
          std::array<uint8_t, 16> b{};
          b[0] = 0x7e;
          const uint64_t n = ++next;
          for (int j = 0; j < 8; ++j) b[8 + j] = static_cast<uint8_t>(n >> (56 - 8 * j));
          v.id = core::Uuid(b);
          v.school_id = schools[(n * 2654435761u) % schools.size()];
          v.date = shape.today;
          RETURN_IF_ERROR(tx.PutRecord(core::StateFromRecord(v), v.school_id).status());
        }
        return Status::Ok();
      });
      if (!s.ok()) Fail("write k", s);
      t = Clock::now();
      request();
      row.after_k[k] = Seconds(t);
    }
  }
  storage->reset();
  if (!file.empty()) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix, ec);
  }
  return row;
}

}  // namespace
}  // namespace mentorlog::bench

int main(int argc, char** argv) {
  using namespace mentorlog::bench;
  std::string backend = "both";
  DistrictShape shape{.schools = 3000, .records = 5'000'000};
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--backend") == 0) backend = argv[i + 1];
    if (std::strcmp(argv[i], "--schools") == 0) shape.schools = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--records") == 0) shape.records = std::atoll(argv[i + 1]);
  }
  const char* env = std::getenv("MENTORLOG_BENCH_PG");
  const std::string pg = env ? env : "host=127.0.0.1 port=5432 user=mentorlog password=mentorlog dbname=mentorlog_test";
  std::vector<Row> rows;
  if (backend == "sqlite" || backend == "both") rows.push_back(Run("sqlite", shape, pg));
  if (backend == "postgres" || backend == "both") rows.push_back(Run("postgres", shape, pg));
  std::printf("%d schools, %lld records\n", shape.schools, static_cast<long long>(shape.records));
  std::printf(
      "| backend | write (setup) | scan only | cold request | warm-up at start | first request after it | warm "
      "request | after 1 | after 10 | after 100 | after 1000 | JSON |\n");
  std::printf("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
  for (const Row& r : rows) {
    std::printf(
        "| %s | %.0f s | %.2f s | %.2f s | %.2f s | %.3f s | %.3f s | %.3f s | %.3f s | %.3f s | %.3f s | %zu KB |\n",
        r.backend.c_str(), r.write_s, r.scan_s, r.cold_s, r.warm_up_s, r.first_after_warm_up_s, r.warm_s,
        r.after_k.at(1), r.after_k.at(10), r.after_k.at(100), r.after_k.at(1000), r.json_bytes / 1024);
  }
  return 0;
}
