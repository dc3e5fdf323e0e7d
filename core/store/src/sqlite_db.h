// A thin RAII layer over sqlite3: statements cached by SQL text, errors as Status.
// Private to mentorlog_core: no public header includes sqlite3.h.
//
// Thread safety: none; the Store serialises access with its mutex.
#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/types.h"

namespace mentorlog::core {

class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
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

  FieldValue Column(int index) const;
  std::string ColumnText(int index) const;
  int64_t ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }
  bool ColumnIsNull(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }

  sqlite3_stmt* raw() { return stmt_; }

 private:
  sqlite3_stmt* stmt_;
};

class Database {
 public:
  // Opens (creating when missing) with WAL and synchronous=FULL.
  static Result<std::unique_ptr<Database>> Open(const std::filesystem::path& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Status Exec(std::string_view sql);
  // A cached, reset statement. The reference stays valid for the Database's life.
  Result<Statement*> Prepare(const std::string& sql);
  sqlite3* raw() { return db_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  Database(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::filesystem::path path_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

}  // namespace mentorlog::core
