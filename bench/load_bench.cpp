// 1,000 simulated mentors syncing at once against one server, SQLite and PostgreSQL
// (bench/README.md): errors (goal 0), p50, p99 and max of one sync's latency.
//
// Per backend, from scratch:
//   - a district written in a seed store through the repository API and ingested into the
//     central store: 250 schools with 10 teachers each, 1,000 mentors (people with no school
//     of their own), each assigned to 2 schools (8 mentors per school), the bundled rubric;
//   - 1,000 accounts with a token each, written straight into the storage (no Argon2);
//   - the central store served over HTTP on 127.0.0.1 with mentorlog-server's defaults
//     (8 request threads; PostgreSQL: a pool of 8 connections);
//   - setup, not measured: every mentor's device (its own SQLite store) pulls its scope, then
//     writes a little field work as that mentor (core::RunWorkload, 8 operations, seeded by
//     the mentor's number);
//   - measured: a pool of threads (100 by default) starts together behind a barrier; each runs
//     SyncClient::Sync (push, then pull) for its share of the 1,000 devices one after another,
//     each device with its own client and connection. One latency per sync. A sync that fails
//     after the client's own retries is an error; retried attempts are counted apart.
//   - afterwards: every device's outbox is acknowledged and nothing was rejected.
//
// PostgreSQL: MENTORLOG_BENCH_PG (a libpq connection string; default
// "host=127.0.0.1 port=5432 user=mentorlog password=mentorlog dbname=mentorlog_test", see
// scripts/pg-setup) in a fresh schema bench_<random>, dropped at the end.
//
// Usage: load_bench [--mentors N] [--threads N] [--backend sqlite|postgres|both]
#include <pqxx/pqxx>

#include "pg_schema.h"

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "mentorlog/base/random.h"
#include "mentorlog/domain/rubric.h"
#include "mentorlog/sync/client.h"
#include "sync_bench_common.h"
#include "workload.h"

namespace mentorlog::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

double SecondsSince(SteadyClock::time_point t0) {
  return std::chrono::duration<double>(SteadyClock::now() - t0).count();
}

constexpr int kSchools = 250;
constexpr int kTeachersPerSchool = 10;
constexpr int kSchoolsPerMentor = 2;
constexpr int kWorkloadOps = 8;
const char* const kDistrict = "Нагорный муниципальный район";

// ---- The district ---------------------------------------------------------------------------

struct District {
  std::vector<core::Uuid> mentors;
  int64_t records = 0;
};

District WriteDistrict(core::Store& store, int mentors) {
  District d;
  const core::Date start = store.records().Today().AddDays(-200);
  static const char* const kSurnames[] = {"Иванов",  "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов",
                                          "Лебедев", "Козлов", "Новиков", "Морозов",  "Волков",  "Соловьёв"};
  static const char* const kNames[] = {"Алексей", "Мария", "Сергей", "Ольга", "Николай", "Анна", "Дмитрий", "Елена"};
  static const char* const kSubjects[] = {"математика", "русский язык", "физика", "биология", "история", "литература"};
  auto name = [&](int i) {
    return std::string(kSurnames[i % 12]) + " " + kNames[(i / 12) % 8] + " " + kNames[(i / 96) % 8] + "овна";
  };
  Must(store.records().InTransaction([&]() -> Status {
    ASSIGN_OR_RETURN(std::vector<core::RubricTemplate> rubrics, core::LoadBundledRubrics(core::DefaultAssetsDir()));
    for (auto& r : rubrics) RETURN_IF_ERROR(store.records().Save(std::move(r)).status());
    std::vector<core::Uuid> schools;
    for (int s = 0; s < kSchools; ++s) {
      core::School school;
      school.code = std::to_string(560000 + s);
      school.name = "МБОУ СОШ № " + std::to_string(s + 1) + " Нагорного района";
      school.short_name = "СОШ № " + std::to_string(s + 1);
      school.municipality = kDistrict;
      school.district = kDistrict;
      school.pupils = 200 + s % 400;
      school.teachers = kTeachersPerSchool;
      ASSIGN_OR_RETURN(school, store.records().Save(std::move(school)));
      schools.push_back(school.id);
      for (int t = 0; t < kTeachersPerSchool; ++t) {
        core::Person p;
        p.full_name = name(s * kTeachersPerSchool + t);
        p.roles = {core::Role::kTeacher};
        p.school_id = school.id;
        p.subjects = {kSubjects[t % 6]};
        RETURN_IF_ERROR(store.records().Save(std::move(p)).status());
      }
    }
    for (int m = 0; m < mentors; ++m) {
      core::Person p;
      p.full_name = name(m + 7) + " (наставник " + std::to_string(m + 1) + ")";
      p.roles = {core::Role::kMentor};
      ASSIGN_OR_RETURN(p, store.records().Save(std::move(p)));
      d.mentors.push_back(p.id);
      for (int k = 0; k < kSchoolsPerMentor; ++k) {
        core::Assignment a;
        a.kind = core::AssignmentKind::kMentorSchool;
        a.assignee_id = p.id;
        a.school_id = schools[static_cast<size_t>((m + k * kSchools / 2) % kSchools)];
        a.starts_on = start;
        RETURN_IF_ERROR(store.records().Save(std::move(a)).status());
      }
    }
    return Status::Ok();
  }),
       "district");
  d.records = Must(CountLiveRecords(store), "count");
  return d;
}

// ---- One backend ------------------------------------------------------------------------------

struct Outcome {
  std::string backend;
  int devices = 0;
  int errors = 0;
  int retries = 0;
  int64_t pushed = 0, pulled = 0, rejected = 0, unacked = 0;
  double p50 = 0, p99 = 0, max = 0, mean = 0, wall = 0;
  double setup_pull_s = 0;
  int64_t setup_records = 0;  // records of one device after its first pull (the first device's)
  std::string first_error;
};

// Runs fn(i) for i in [0, n) on `threads` threads, each taking every threads-th index.
template <class F>
void OnThreads(int n, int threads, F fn) {
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = t; i < n; i += threads) fn(i);
    });
  }
  for (auto& th : pool) th.join();
}

Outcome RunBackend(Backend backend, int mentors, int threads, const std::string& pg_base) {
  Outcome out;
  out.backend = std::string(BackendName(backend));
  out.devices = mentors;
  TempDir dir("mentorlog-load-bench");
  std::unique_ptr<PgSchema> schema;
  CentralOptions co;
  co.backend = backend;
  co.sqlite_path = dir.path() / "central.db";
  if (backend == Backend::kPostgres) {
    auto created = PgSchema::Create(pg_base);
    if (!created.ok()) {
      out.first_error = created.status().ToString() + " (run scripts/pg-setup, or set MENTORLOG_BENCH_PG)";
      out.errors = -1;
      return out;
    }
    schema = std::move(created).value();
    co.pg_connstr = schema->connstr();
  }
  {
    auto central = Must(Central::Open(co), "central store");
    const auto t_setup = SteadyClock::now();
    District district;
    {
      auto seed = Must(OpenDevice(dir.path() / "seed.sqlite", "bench-seed"), "seed store");
      district = WriteDistrict(*seed, mentors);
      Must(central->service().IngestStore(*seed).status(), "ingest");
    }
    std::vector<std::string> tokens(static_cast<size_t>(mentors));
    std::vector<std::string> device_ids(static_cast<size_t>(mentors));
    Must(central->storage().Write([&](server::StorageTx& tx) -> Status {
      for (int m = 0; m < mentors; ++m) {
        server::Account a;
        a.login = "mentor" + std::to_string(m + 1);
        a.role = sync::Role::kMentor;
        a.person_id = district.mentors[static_cast<size_t>(m)];
        a.password_hash = "!bench: no password";
        ASSIGN_OR_RETURN(a.id, tx.CreateAccount(a));
        std::array<unsigned char, 32> raw{};
        RETURN_IF_ERROR(mentorlog::RandomBytes(raw.data(), raw.size()));
        std::string token;
        for (unsigned char b : raw) {
          static constexpr char kHex[] = "0123456789abcdef";
          token += kHex[b >> 4];
          token += kHex[b & 15];
        }
        char id[32];
        std::snprintf(id, sizeof id, "load-device-%04d", m + 1);
        device_ids[static_cast<size_t>(m)] = id;
        tokens[static_cast<size_t>(m)] = token;
        RETURN_IF_ERROR(tx.PutToken(server::TokenRow{server::TokenHash(token), a.id, id,
                                                     platform::DefaultClock().NowMillis() + 86'400'000, false}));
      }
      return Status::Ok();
    }),
         "accounts");
    Must(central->StartHttp(), "HTTP server");
    std::fprintf(stderr, "%s: district of %s records and %d accounts ready in %.1f s\n", out.backend.c_str(),
                 Thousands(district.records).c_str(), mentors, SecondsSince(t_setup));

    auto options_for = [&](int m) {
      sync::ClientOptions o;
      o.server_url = central->url();
      o.token = tokens[static_cast<size_t>(m)];
      o.jitter_seed = static_cast<uint64_t>(m + 1);
      return o;
    };
    auto device_path = [&](int m) { return dir.path() / (device_ids[static_cast<size_t>(m)] + ".sqlite"); };

    // Setup: first pull and a little field work on every device.
    std::mutex mu;
    const auto t_pull = SteadyClock::now();
    OnThreads(mentors, std::min(threads, 16), [&](int m) {
      auto store = Must(OpenDevice(device_path(m), device_ids[static_cast<size_t>(m)]), "device store");
      Must(sync::SyncClient(store->ledger(), options_for(m)).Pull().status(), "first pull");
      core::WorkloadOptions w;
      w.seed = static_cast<uint64_t>(m + 1);
      w.ops = kWorkloadOps;
      w.as_person = district.mentors[static_cast<size_t>(m)];
      Must(core::RunWorkload(store->records(), w).status(), "field work");
      if (m == 0) {
        std::lock_guard lock(mu);
        out.setup_records = Must(CountLiveRecords(*store), "count");
      }
    });
    out.setup_pull_s = SecondsSince(t_pull);
    std::fprintf(stderr, "%s: first pulls and field work done in %.1f s\n", out.backend.c_str(), out.setup_pull_s);

    // Measured: every device syncs, all threads started together.
    std::vector<std::unique_ptr<core::Store>> stores(static_cast<size_t>(mentors));
    for (int m = 0; m < mentors; ++m) {
      stores[static_cast<size_t>(m)] = Must(OpenDevice(device_path(m), device_ids[static_cast<size_t>(m)]), "store");
    }
    std::vector<double> latency(static_cast<size_t>(mentors), -1);
    std::atomic<int> errors{0}, retries{0};
    std::atomic<int64_t> pushed{0}, pulled{0}, rejected{0};
    std::barrier start(threads + 1);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        start.arrive_and_wait();
        for (int m = t; m < mentors; m += threads) {
          const auto t0 = SteadyClock::now();
          auto report = sync::SyncClient(stores[static_cast<size_t>(m)]->ledger(), options_for(m)).Sync();
          latency[static_cast<size_t>(m)] = SecondsSince(t0);
          if (!report.ok()) {
            ++errors;
            std::lock_guard lock(mu);
            if (out.first_error.empty()) out.first_error = report.status().ToString();
            continue;
          }
          retries += report->retries;
          pushed += report->acked;
          pulled += report->pulled;
          rejected += report->rejected;
        }
      });
    }
    start.arrive_and_wait();
    const auto t0 = SteadyClock::now();
    for (auto& th : pool) th.join();
    out.wall = SecondsSince(t0);
    out.errors = errors;
    out.retries = retries;
    out.pushed = pushed;
    out.pulled = pulled;
    out.rejected = rejected;
    for (auto& s : stores) out.unacked += Must(s->ledger().PendingCount(), "pending");
    stores.clear();
    out.p50 = Quantile(latency, 0.50);
    out.p99 = Quantile(latency, 0.99);
    out.max = Quantile(latency, 1.0);
    double sum = 0;
    for (double l : latency) sum += l;
    out.mean = sum / static_cast<double>(latency.size());
    central->StopHttp();
  }  // the storage closes before its schema is dropped
  return out;
}

}  // namespace
}  // namespace mentorlog::bench

int main(int argc, char** argv) {
  using namespace mentorlog::bench;
  int mentors = 1000;
  int threads = 100;
  std::string which = "both";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--mentors" && i + 1 < argc) {
      mentors = std::atoi(argv[++i]);
    } else if (a == "--threads" && i + 1 < argc) {
      threads = std::atoi(argv[++i]);
    } else if (a == "--backend" && i + 1 < argc) {
      which = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--mentors N] [--threads N] [--backend sqlite|postgres|both]\n", argv[0]);
      return 2;
    }
  }
  const std::string pg =
      EnvOr("MENTORLOG_BENCH_PG", "host=127.0.0.1 port=5432 user=mentorlog password=mentorlog dbname=mentorlog_test");
  std::printf("load_bench: %s\n", MachineLine().c_str());
  std::printf("%d mentors, %d client threads, server: 8 request threads (mentorlog-server's default)\n\n", mentors,
              threads);
  std::vector<Outcome> outcomes;
  if (which == "sqlite" || which == "both") outcomes.push_back(RunBackend(Backend::kSqlite, mentors, threads, pg));
  if (which == "postgres" || which == "both") outcomes.push_back(RunBackend(Backend::kPostgres, mentors, threads, pg));

  std::printf(
      "| backend | syncs | errors | retried attempts | p50 s | p99 s | max s | mean s | wall s | syncs/s | "
      "changes pushed | records pulled | rejected | left unacknowledged |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const Outcome& o : outcomes) {
    if (o.errors < 0) {
      std::printf("| %s | not run: %s |\n", o.backend.c_str(), o.first_error.c_str());
      continue;
    }
    std::printf("| %s | %d | %d | %d | %.3f | %.3f | %.3f | %.3f | %.1f | %.1f | %s | %s | %lld | %lld |\n",
                o.backend.c_str(), o.devices, o.errors, o.retries, o.p50, o.p99, o.max, o.mean, o.wall,
                static_cast<double>(o.devices) / o.wall, Thousands(o.pushed).c_str(), Thousands(o.pulled).c_str(),
                static_cast<long long>(o.rejected), static_cast<long long>(o.unacked));
  }
  for (const Outcome& o : outcomes) {
    if (o.errors < 0) continue;
    std::printf("%s: setup (first pull of %s records per device, and field work) took %.1f s", o.backend.c_str(),
                Thousands(o.setup_records).c_str(), o.setup_pull_s);
    if (!o.first_error.empty()) std::printf("; first error: %s", o.first_error.c_str());
    std::printf("\n");
  }
  std::printf("errors goal: 0. load average after the run: %.2f\n", LoadAverage());
  return 0;
}
