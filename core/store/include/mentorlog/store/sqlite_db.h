// A thin RAII layer over sqlite3, shared by this repository's SQLite code: the device's Store
// and the central store's SQLite backend (sync/server/sqlite_storage.cpp). Statements are
// cached by SQL text; every SQLite failure comes back as a Status whose code says what to do:
// Unavailable when another connection holds the file (busy or locked: try again), Corruption,
// IoError (disk full, permissions), Conflict (a constraint), Internal (SQL that does not
// prepare: a bug).
//
// This header includes sqlite3.h. It is for code that talks SQL; the store's users include
// store.h, which does not.
//
// Thread safety: none; one thread at a time per Database (the Store holds its mutex; the
// server leases a connection to one request).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/types.h"

namespace mentorlog::core {

struct DatabaseOptions {
  int busy_timeout_millis = 5000;  // how long a statement waits for another connection
  int cache_kib = 16 * 1024;       // this connection's page cache
  int64_t mmap_bytes = 0;          // read pages through a memory map of this size; 0: pread
  std::string where;               // prefixes error messages; empty: the file's path
};

class Statement {
 public:
  // `where` names the database in errors; it must outlive the statement.
  Statement(sqlite3_stmt* stmt, const std::string& where) : stmt_(stmt), where_(where) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Resets and clears bindings; call before reuse.
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  void BindValue(int index, const FieldValue& v);
  void BindText(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void BindInt(int index, int64_t v) { sqlite3_bind_int64(stmt_, index, v); }
  void BindBlob(int index, std::string_view bytes) {
    sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  }
  void BindNull(int index) { sqlite3_bind_null(stmt_, index); }

  // SQLITE_ROW -> true, SQLITE_DONE -> false, anything else -> error status.
  Result<bool> Step();
  // Steps to completion, expecting no rows.
  Status Run();
  // Steps through every row, calling `on_row` for each (it reads the columns); stops at the
  // first error, SQLite's or `on_row`'s. The statement is reset whatever happens.
  Status EachRow(const std::function<Status()>& on_row);

  FieldValue Column(int index) const;
  std::string ColumnText(int index) const;
  // The bytes of a blob (or text) column; valid until the next Step or Reset.
  std::string_view ColumnBlob(int index) const {
    const void* p = sqlite3_column_blob(stmt_, index);
    const int n = sqlite3_column_bytes(stmt_, index);
    return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string_view();
  }
  int64_t ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }
  bool ColumnIsNull(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }
  int ColumnType(int index) const { return sqlite3_column_type(stmt_, index); }  // SQLITE_INTEGER, ...
  int ColumnCount() const { return sqlite3_column_count(stmt_); }

 private:
  sqlite3_stmt* stmt_;
  const std::string& where_;
};

class Database {
 public:
  // Opens (creating when missing) with WAL, synchronous=FULL, temp_store=MEMORY and `options`.
  // `where` prefixes every error's message (e.g. "sqlite:/srv/central.db"); empty: the path.
  static Result<std::unique_ptr<Database>> Open(const std::filesystem::path& path, const DatabaseOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs `sql`: one or more statements without parameters.
  Status Exec(std::string_view sql);
  // A cached, reset statement. The reference stays valid for the Database's life.
  Result<Statement*> Prepare(const std::string& sql);
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t Changes() const { return sqlite3_changes64(db_); }
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  const std::filesystem::path& path() const { return path_; }
  const std::string& where() const { return where_; }

 private:
  Database(sqlite3* db, std::filesystem::path path, std::string where)
      : db_(db), path_(std::move(path)), where_(std::move(where)) {}
  sqlite3* db_;
  std::filesystem::path path_;
  std::string where_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

}  // namespace mentorlog::core
