#include "mentorlog/store/sqlite_db.h"

namespace mentorlog::core {
namespace {

// An SQLite result code as a Status. `where` names the file, `what` the step.
Status TranslateSqlite(sqlite3* db, int rc, std::string_view where, std::string_view what) {
  std::string msg =
      std::string(where) + ": " + std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable(msg + ". Another program is using the file; try again in a moment.");
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return Status::Corruption(msg + ". The file is damaged or is not a MentorLog database.");
    case SQLITE_FULL:
      return Status::IoError(msg + ". The disk is full: free some space and try again; nothing was written.");
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      return Status::IoError(msg + ". Check that this program may read and write the file and its folder.");
    case SQLITE_CONSTRAINT:
      return Status::Conflict(msg);
    default:
      return Status::IoError(msg);
  }
}

}  // namespace

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
  return TranslateSqlite(sqlite3_db_handle(stmt_), rc, where_, "step");
}

Status Statement::Run() {
  ASSIGN_OR_RETURN(bool row, Step());
  (void)row;
  return Status::Ok();
}

Status Statement::EachRow(const std::function<Status()>& on_row) {
  Status s;
  while (s.ok()) {
    auto row = Step();
    if (!row.ok()) {
      s = row.status();
    } else if (!*row) {
      break;
    } else {
      s = on_row();
    }
  }
  Reset();
  return s;
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

Result<std::unique_ptr<Database>> Database::Open(const std::filesystem::path& path, const DatabaseOptions& options) {
  const std::string where = options.where.empty() ? path.string() : options.where;
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = TranslateSqlite(db, rc, where, "cannot open");
    sqlite3_close(db);
    return s;
  }
  std::unique_ptr<Database> out(new Database(db, path, where));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_millis);
  // WAL is recorded in the file; the others are per connection.
  RETURN_IF_ERROR(out->Exec("PRAGMA journal_mode=WAL"));
  RETURN_IF_ERROR(out->Exec("PRAGMA synchronous=FULL"));
  // Savepoints (one per repository write inside a batch) keep a statement journal: in memory,
  // not as a temp file per write.
  RETURN_IF_ERROR(out->Exec("PRAGMA temp_store=MEMORY"));
  RETURN_IF_ERROR(out->Exec("PRAGMA foreign_keys=OFF"));
  RETURN_IF_ERROR(out->Exec("PRAGMA cache_size=-" + std::to_string(options.cache_kib)));
  if (options.mmap_bytes > 0) RETURN_IF_ERROR(out->Exec("PRAGMA mmap_size=" + std::to_string(options.mmap_bytes)));
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
    return TranslateSqlite(nullptr, rc, where_, msg);
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
  if (rc != SQLITE_OK) {
    // A busy schema lock is worth another try; anything else is SQL that cannot work (a bug).
    if ((rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED) return TranslateSqlite(db_, rc, where_, "prepare");
    Status s = Status::Internal(where_ + ": cannot prepare «" + sql + "»: " + sqlite3_errmsg(db_));
    sqlite3_finalize(stmt);
    return s;
  }
  auto* raw = new Statement(stmt, where_);
  cache_.emplace(sql, std::unique_ptr<Statement>(raw));
  return raw;
}

}  // namespace mentorlog::core
