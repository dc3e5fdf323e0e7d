#include "sqlite_db.h"

namespace mentorlog::core {

static Status TranslateSqlite(sqlite3* db, int rc, std::string_view what) {
  const std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xFF) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return Status::Corruption(msg + ". The data file is damaged or is not a MentorLog store.");
    case SQLITE_FULL:
      return Status::IoError(msg + ". The disk is full: free some space and try again; nothing was lost.");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::IoError(msg + ". Another program is using the data file; close it and try again.");
    case SQLITE_CONSTRAINT:
      return Status::Conflict(msg);
    default:
      return Status::IoError(msg);
  }
}

void Statement::BindValue(int index, const FieldValue& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) {
    sqlite3_bind_int64(stmt_, index, *i);
  } else if (const auto* d = std::get_if<double>(&v)) {
    sqlite3_bind_double(stmt_, index, *d);
  } else if (const auto* s = std::get_if<std::string>(&v)) {
    sqlite3_bind_text(stmt_, index, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
  } else {
    sqlite3_bind_null(stmt_, index);
  }
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return TranslateSqlite(sqlite3_db_handle(stmt_), rc, "SQLite step");
}

Status Statement::Run() {
  ASSIGN_OR_RETURN(bool row, Step());
  (void)row;
  return Status::Ok();
}

FieldValue Statement::Column(int index) const {
  switch (sqlite3_column_type(stmt_, index)) {
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(stmt_, index));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt_, index);
    case SQLITE_NULL:
      return std::monostate{};
    default:
      return ColumnText(index);
  }
}

std::string Statement::ColumnText(int index) const {
  const auto* p = sqlite3_column_text(stmt_, index);
  const int n = sqlite3_column_bytes(stmt_, index);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}

Result<std::unique_ptr<Database>> Database::Open(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = TranslateSqlite(db, rc, "cannot open " + path.string());
    sqlite3_close(db);
    return s;
  }
  std::unique_ptr<Database> out(new Database(db, path));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 5000);
  RETURN_IF_ERROR(out->Exec("PRAGMA journal_mode=WAL").WithContext(path.string()));
  RETURN_IF_ERROR(out->Exec("PRAGMA synchronous=FULL"));
  // Savepoints (one per repository write inside a batch) keep a statement journal: in memory,
  // not as a temp file per write.
  RETURN_IF_ERROR(out->Exec("PRAGMA temp_store=MEMORY"));
  // SQLite's default page cache is 2 MB: a district's store (tens of MB) then re-reads its
  // indexes with a pread per page in every sync batch (bench/README.md, sync_vs_pouchdb).
  RETURN_IF_ERROR(out->Exec("PRAGMA cache_size=-16384"));
  return out;
}

Database::~Database() {
  cache_.clear();  // finalize statements before closing
  sqlite3_close(db_);
}

Status Database::Exec(std::string_view sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return TranslateSqlite(nullptr, rc, msg);
  }
  return Status::Ok();
}

Result<Statement*> Database::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second->Reset();
    return it->second.get();
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc =
      sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return TranslateSqlite(db_, rc, "SQLite prepare");
  auto* raw = new Statement(stmt);
  cache_.emplace(sql, std::unique_ptr<Statement>(raw));
  return raw;
}

}  // namespace mentorlog::core
