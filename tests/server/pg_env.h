// The PostgreSQL that the server tests run against, and a fresh schema per test.
//
// MENTORLOG_TEST_PG holds a libpq connection string (scripts/test sets it), e.g.
//   host=127.0.0.1 port=5432 user=mentorlog password=mentorlog dbname=mentorlog_test
// Without it a PostgreSQL test fails with NoPgMessage(), unless MENTORLOG_ALLOW_NO_PG=1, in
// which case it skips: a missing database should never pass silently.
//
// Thread safety: the functions are safe to call from any thread; a PgTestSchema belongs to
// one test.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "mentorlog/base/status.h"

namespace mentorlog::server {

// The value of MENTORLOG_TEST_PG, or nullopt when it is unset or empty.
std::optional<std::string> TestPgConnstr();
// Whether MENTORLOG_ALLOW_NO_PG=1 (PostgreSQL tests skip instead of failing).
bool AllowNoPg();
// Says how to give the tests a database; for FAIL() and GTEST_SKIP().
std::string NoPgMessage();

// Runs `sql` (one or more statements, no parameters) in its own transaction on `connstr`.
// Messages never contain the password.
Status PgExec(const std::string& connstr, const std::string& sql);

// `connstr` with `schema` as its search_path (keyword=value or postgresql:// URI form).
std::string PgConnstrWithSchema(const std::string& connstr, const std::string& schema);

// A new, uniquely named, empty schema in the test database, dropped with everything in it
// when this object is destroyed. Close every connection to it (destroy the Storage) first.
class PgTestSchema {
 public:
  static Result<std::unique_ptr<PgTestSchema>> Create(const std::string& base_connstr);
  ~PgTestSchema();
  PgTestSchema(const PgTestSchema&) = delete;
  PgTestSchema& operator=(const PgTestSchema&) = delete;

  const std::string& name() const { return name_; }
  // The base connection string selecting this schema.
  const std::string& connstr() const { return connstr_; }

 private:
  PgTestSchema(std::string base, std::string name);

  std::string base_;
  std::string name_;
  std::string connstr_;
};

}  // namespace mentorlog::server
