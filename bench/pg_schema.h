// A fresh PostgreSQL schema for a benchmark, dropped with everything in it at destruction
// (after the storage that used it closed). Shared by load_bench and dashboard_server_bench.
#pragma once

#include <pqxx/pqxx>

#include <cstdio>
#include <memory>
#include <random>
#include <string>

#include "mentorlog/base/status.h"

namespace mentorlog::bench {

inline Status PgExec(const std::string& connstr, const std::string& sql) {
  try {
    pqxx::connection conn(connstr);
    pqxx::work txn(conn);
    txn.exec(sql);
    txn.commit();
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::Unavailable(std::string("PostgreSQL: ") + e.what());
  }
}

class PgSchema {
 public:
  static Result<std::unique_ptr<PgSchema>> Create(const std::string& base) {
    std::random_device rd;
    char name[32];
    std::snprintf(name, sizeof name, "bench_%08x", rd());
    RETURN_IF_ERROR(PgExec(base, std::string("CREATE SCHEMA ") + name));
    return std::unique_ptr<PgSchema>(new PgSchema(base, name));
  }
  ~PgSchema() {
    Status s = PgExec(base_, "DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
    if (!s.ok()) std::fprintf(stderr, "could not drop schema %s: %s\n", name_.c_str(), s.ToString().c_str());
  }
  std::string connstr() const { return base_ + " options='-csearch_path=" + name_ + "'"; }
  const std::string& name() const { return name_; }

 private:
  PgSchema(std::string base, std::string name) : base_(std::move(base)), name_(std::move(name)) {}
  std::string base_;
  std::string name_;
};

}  // namespace mentorlog::bench
