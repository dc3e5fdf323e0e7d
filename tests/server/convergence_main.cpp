// mentorlog-converge: the convergence harness (convergence.h) on its own, for many seeds.
//
//   mentorlog-converge [--runs N] [--backend sqlite|postgres] [--seed FIRST] [--rounds R] [--keep]
//                      [--minutes M]
//
// Runs seeds FIRST, FIRST+1, ... (FIRST defaults to 1), N of them or as many as start within M
// minutes, whichever ends first; prints each failing run with its
// reproduction command, a progress line every 50 runs, then `details: ...` and, last, exactly
// `runs=N lost=N diverged=N`. PostgreSQL reads MENTORLOG_TEST_PG. Exit 0 when every run passed
// every check (including no spurious conflict), 1 when one did not, 2 when a run could not be
// set up.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

#include "server/convergence.h"
#include "server/pg_env.h"

int main(int argc, char** argv) {
  using namespace mentorlog::server;            // NOLINT(google-build-using-namespace)
  using namespace mentorlog::server::converge;  // NOLINT(google-build-using-namespace)
  int runs = 1000;
  double minutes = 0;  // 0: no time limit
  uint64_t first = 1;
  ConvergeOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--runs") {
      runs = std::atoi(next().c_str());
    } else if (a == "--seed") {
      first = std::strtoull(next().c_str(), nullptr, 10);
    } else if (a == "--rounds") {
      options.rounds = std::atoi(next().c_str());
    } else if (a == "--minutes") {
      minutes = std::atof(next().c_str());
    } else if (a == "--keep") {
      options.keep_files = true;
    } else if (a == "--backend") {
      const std::string b = next();
      if (b == "sqlite") {
        options.backend = ConvergeBackend::kSqlite;
      } else if (b == "postgres") {
        options.backend = ConvergeBackend::kPostgres;
      } else {
        std::cerr << "--backend is sqlite or postgres, not «" << b << "»\n";
        return 2;
      }
    } else {
      std::cerr << "usage: mentorlog-converge [--runs N] [--backend sqlite|postgres] [--seed FIRST] [--rounds R] "
                   "[--keep] [--minutes M]\n";
      return 2;
    }
  }
  if (options.backend == ConvergeBackend::kPostgres) {
    auto pg = TestPgConnstr();
    if (!pg) {
      std::cerr << NoPgMessage() << "\n";
      return 2;
    }
    options.pg_connstr = *pg;
  }
  int done = 0, lost = 0, diverged = 0, spurious = 0, setup_failures = 0;
  int64_t writes = 0, conflicts = 0, server_kills = 0, client_kills = 0;
  std::map<std::string, int64_t> rejected;
  const auto start = std::chrono::steady_clock::now();
  uint64_t last = first;
  for (int i = 0; i < runs; ++i) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 60.0;
    if (minutes > 0 && elapsed >= minutes) break;
    options.seed = first + static_cast<uint64_t>(i);
    last = options.seed;
    auto report = RunConvergence(options);
    if (!report.ok()) {
      ++setup_failures;
      std::cout << "run failed to set up: " << report.status().message() << "\n" << std::flush;
      continue;
    }
    ++done;
    lost += report->lost() ? 1 : 0;
    diverged += report->diverged() ? 1 : 0;
    spurious += report->spurious() ? 1 : 0;
    writes += report->writes_checked;
    conflicts += report->conflicts;
    server_kills += report->server_kills;
    client_kills += report->client_kills;
    for (const auto& [code, n] : report->rejected) rejected[code] += n;
    if (!report->ok()) std::cout << "FAIL " << report->Summary() << "\n" << std::flush;
    if (done % 50 == 0) {
      const auto secs = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start);
      std::cout << "... " << done << " runs, " << secs.count() << " s: lost " << lost << ", diverged " << diverged
                << ", spurious " << spurious << "\n"
                << std::flush;
    }
  }
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start);
  std::cout << "details: backend=" << ConvergeBackendName(options.backend) << " seeds=" << first << ".." << last
            << " seconds=" << secs.count() << " writes_checked=" << writes << " conflicts=" << conflicts
            << " server_kills=" << server_kills << " client_kills=" << client_kills << " spurious=" << spurious
            << " setup_failures=" << setup_failures << " rejected:";
  if (rejected.empty()) std::cout << " none";
  for (const auto& [code, n] : rejected) std::cout << " " << code << "=" << n;
  std::cout << "\n";
  std::cout << "runs=" << done << " lost=" << lost << " diverged=" << diverged << "\n";
  if (setup_failures > 0) return 2;
  return (lost > 0 || diverged > 0 || spurious > 0) ? 1 : 0;
}
