#include "pg_env.h"

#include <unistd.h>

#include <pqxx/pqxx>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <random>

namespace mentorlog::server {

std::optional<std::string> TestPgConnstr() {
  const char* v = std::getenv("MENTORLOG_TEST_PG");
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

bool AllowNoPg() {
  const char* v = std::getenv("MENTORLOG_ALLOW_NO_PG");
  return v != nullptr && std::string(v) == "1";
}

std::string NoPgMessage() {
  return "MENTORLOG_TEST_PG is not set, so the PostgreSQL tests have no database. Run them through scripts/test, "
         "or set it to a libpq connection string of a database they may create schemas in, e.g. "
         "MENTORLOG_TEST_PG=\"host=127.0.0.1 port=5432 user=mentorlog password=mentorlog dbname=mentorlog_test\". "
         "To skip them instead, set MENTORLOG_ALLOW_NO_PG=1.";
}

Status PgExec(const std::string& connstr, const std::string& sql) {
  try {
    pqxx::connection conn(connstr);
    pqxx::quiet_errorhandler quiet(conn);
    pqxx::work txn(conn);
    txn.exec(sql);
    txn.commit();
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::IoError(std::string("test PostgreSQL: ") + e.what());
  }
}

std::string PgConnstrWithSchema(const std::string& connstr, const std::string& schema) {
  const bool uri = connstr.rfind("postgresql://", 0) == 0 || connstr.rfind("postgres://", 0) == 0;
  if (uri) {
    return connstr + (connstr.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
  }
  return connstr + " options='-csearch_path=" + schema + "'";
}

Result<std::unique_ptr<PgTestSchema>> PgTestSchema::Create(const std::string& base_connstr) {
  static std::atomic<int> counter{0};
  std::random_device rd;
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "%08x", rd());
  const std::string name = "mlt_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" + suffix;
  RETURN_IF_ERROR(PgExec(base_connstr, "CREATE SCHEMA " + name));
  return std::unique_ptr<PgTestSchema>(new PgTestSchema(base_connstr, name));
}

PgTestSchema::PgTestSchema(std::string base, std::string name)
    : base_(std::move(base)), name_(std::move(name)), connstr_(PgConnstrWithSchema(base_, name_)) {}

PgTestSchema::~PgTestSchema() {
  Status s = PgExec(base_, "DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
  if (!s.ok()) std::fprintf(stderr, "could not drop test schema %s: %s\n", name_.c_str(), s.ToString().c_str());
}

}  // namespace mentorlog::server

// LeakSanitizer: libpqxx 6.4 leaks one PGresult (about 2 KB) when it finds that the server
// closed a connection (pg_terminate_backend, a restart), which the reconnect tests provoke on
// purpose. The leak is inside the library (a bare libpqxx program shows it too). The pattern
// names the libpq function that allocates results; our code never holds a PGresult itself
// (libpqxx owns them), so no leak of ours can hide behind it.
extern "C" const char* __lsan_default_suppressions() { return "leak:PQmakeEmptyPGresult\n"; }
