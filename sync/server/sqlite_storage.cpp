// OpenSqliteStorage: the embedded backend (storage.h). One file, WAL, synchronous=FULL.
//
// Concurrency: a pool of connections (opened on demand, at most kPoolSize) serves the request
// threads, one connection per Write/Read call. Writers take an in-process mutex and then
// BEGIN IMMEDIATE, so they queue fairly here and SQLite's busy handler only waits for another
// process (an admin command on the same file). Readers take BEGIN (deferred): in WAL mode
// their first read fixes a snapshot of committed transactions, which is a prefix in seq order
// because writers commit one at a time.
//
// Failures: SQLITE_BUSY/LOCKED (after busy_timeout) roll back and retry the whole callback
// (kMaxAttempts tries with backoff), then Unavailable.
//
// Thread safety: SqliteStorage is shared by all request threads; a connection is used by one
// thread at a time (SQLITE_OPEN_NOMUTEX).

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "connection_pool.h"
#include "storage.h"
#include "storage_common.h"

namespace mentorlog::server {
namespace {

constexpr int kPoolSize = 16;
constexpr int kBusyTimeoutMillis = 1000;
constexpr auto kPoolWait = std::chrono::seconds(30);

bool IsBusy(int rc) { return (rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED; }

// An SQLite result code as our Status; `where` names the file, `what` the step.
Status TranslateSqlite(int rc, sqlite3* db, std::string_view where, std::string_view what) {
  std::string msg =
      std::string(where) + ": " + std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable(msg + " (another writer holds the database; try again)");
    case SQLITE_CONSTRAINT:
      return Status::Conflict(msg);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corruption(msg + ". The file is damaged or is not a MentorLog server database.");
    case SQLITE_FULL:
      return Status::IoError(msg + ". The disk is full: free some space; nothing was written.");
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      return Status::IoError(msg + ". Check that the server may read and write the file and its folder.");
    default:
      return Status::IoError(msg);
  }
}

// One sqlite3 handle and its prepared statements, keyed by SQL text.
class SqliteConnection {
 public:
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path) {
    sqlite3* db = nullptr;
    const int rc =
        sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      Status s = TranslateSqlite(rc, db, "sqlite:" + path, "cannot open");
      sqlite3_close(db);
      return s;
    }
    std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db, path));
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, kBusyTimeoutMillis);
    // WAL needs no transaction open; it is recorded in the file, the others are per connection.
    // Reads go through a memory map shared by the pool's connections (the OS page cache)
    // rather than a pread per page; each connection keeps 8 MB of pages of its own.
    for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA temp_store=MEMORY",
                               "PRAGMA foreign_keys=OFF", "PRAGMA cache_size=-8192", "PRAGMA mmap_size=268435456"}) {
      RETURN_IF_ERROR(conn->Exec(pragma));
    }
    return conn;
  }

  ~SqliteConnection() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Runs `sql` (one or more statements, no parameters). last_rc() tells a busy failure.
  Status Exec(std::string_view sql) {
    char* err = nullptr;
    last_rc_ = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err);
    if (last_rc_ == SQLITE_OK) return Status::Ok();
    std::string msg = err ? err : sqlite3_errstr(last_rc_);
    sqlite3_free(err);
    return TranslateSqlite(last_rc_, nullptr, where(), msg);
  }

  // A cached statement, reset and unbound.
  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    last_rc_ =
        sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (last_rc_ != SQLITE_OK) {
      if (IsBusy(last_rc_)) return TranslateSqlite(last_rc_, db_, where(), "prepare");
      return Status::Internal(where() + ": cannot prepare «" + key + "»: " + sqlite3_errmsg(db_));
    }
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  // For the pool: a transaction left open (an exception in a callback) must not reach the
  // next caller, so it is rolled back, and the connection closed if that fails.
  bool ReadyForReuse() { return !InTransaction() || Exec("ROLLBACK").ok(); }
  sqlite3* db() const { return db_; }
  int last_rc() const { return last_rc_; }
  void set_last_rc(int rc) { last_rc_ = rc; }
  std::string where() const { return "sqlite:" + path_; }

 private:
  SqliteConnection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  int last_rc_ = SQLITE_OK;
};

class SqliteSession final : public SqlSession {
 public:
  explicit SqliteSession(SqliteConnection& conn) : conn_(conn) {}

  SqlDialect dialect() const override { return SqlDialect::kSqlite; }

  Result<std::vector<SqlRow>> Query(std::string_view sql, const std::vector<SqlValue>& params) override {
    if (first_error()) return first_error()->WithContext("an earlier statement of this transaction failed");
    RETURN_IF_ERROR(CheckParams(params));
    auto prepared = conn_.Prepare(sql);
    if (!prepared.ok()) return Fail(prepared.status(), IsBusy(conn_.last_rc()));
    sqlite3_stmt* stmt = *prepared;
    for (size_t i = 0; i < params.size(); ++i) Bind(stmt, static_cast<int>(i + 1), params[i]);
    std::vector<SqlRow> rows;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      const int n = sqlite3_column_count(stmt);
      SqlRow row;
      row.reserve(static_cast<size_t>(n));
      for (int c = 0; c < n; ++c) row.push_back(Column(stmt, c));
      rows.push_back(std::move(row));
    }
    Status status;
    if (rc != SQLITE_DONE) status = TranslateSqlite(rc, conn_.db(), conn_.where(), "query");
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    conn_.set_last_rc(rc);
    if (!status.ok()) return Fail(status, IsBusy(rc));
    return rows;
  }

  Status Script(std::string_view sql) override {
    if (first_error()) return first_error()->WithContext("an earlier statement of this transaction failed");
    Status s = conn_.Exec(sql);
    if (!s.ok()) return Fail(s, IsBusy(conn_.last_rc()));
    return s;
  }

 private:
  static void Bind(sqlite3_stmt* stmt, int index, const SqlValue& v) {
    // SQLITE_STATIC: `params` outlives the statement's use; bindings are cleared after it.
    if (const auto* i = std::get_if<int64_t>(&v)) {
      sqlite3_bind_int64(stmt, index, *i);
    } else if (const auto* t = std::get_if<std::string>(&v)) {
      sqlite3_bind_text(stmt, index, t->data(), static_cast<int>(t->size()), SQLITE_STATIC);
    } else if (const auto* b = std::get_if<SqlBlob>(&v)) {
      sqlite3_bind_blob(stmt, index, b->bytes.data(), static_cast<int>(b->bytes.size()), SQLITE_STATIC);
    } else {
      sqlite3_bind_null(stmt, index);
    }
  }

  static SqlValue Column(sqlite3_stmt* stmt, int c) {
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_NULL:
        return SqlNull();
      case SQLITE_INTEGER:
        return SqlInt(sqlite3_column_int64(stmt, c));
      case SQLITE_BLOB: {
        const void* p = sqlite3_column_blob(stmt, c);
        const int n = sqlite3_column_bytes(stmt, c);
        return SqlBytes(p ? std::string(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string());
      }
      default: {  // TEXT, and REAL (our schema has none) as its text so a decoder names it
        const unsigned char* p = sqlite3_column_text(stmt, c);
        const int n = sqlite3_column_bytes(stmt, c);
        return SqlText(p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string());
      }
    }
  }

  SqliteConnection& conn_;
};

class SqliteStorage final : public Storage {
 public:
  explicit SqliteStorage(std::string path) : path_(std::move(path)) {}

  Status Write(const std::function<Status(StorageTx&)>& fn) override {
    return Run(TxMode::kReadWrite, [&](SqlSession&, SqlStorageTx& tx) { return fn(tx); });
  }
  Status Read(const std::function<Status(StorageTx&)>& fn) override {
    return Run(TxMode::kReadOnly, [&](SqlSession&, SqlStorageTx& tx) { return fn(tx); });
  }
  std::string Describe() const override { return "sqlite:" + path_; }

  Status Migrate() {
    return Run(TxMode::kReadWrite,
               [&](SqlSession& session, SqlStorageTx&) { return MigrateSchema(session, Describe()); });
  }

 private:
  Status Run(TxMode mode, const std::function<Status(SqlSession&, SqlStorageTx&)>& fn) {
    std::unique_lock<std::mutex> writer(write_mu_, std::defer_lock);
    if (mode == TxMode::kReadWrite) writer.lock();
    Status last;
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
      if (attempt > 0) std::this_thread::sleep_for(RetryBackoff(attempt - 1));
      ASSIGN_OR_RETURN(auto conn, pool_.Acquire(Describe(), [&] { return SqliteConnection::Open(path_); }));
      Status begin = conn->Exec(mode == TxMode::kReadWrite ? "BEGIN IMMEDIATE" : "BEGIN");
      if (!begin.ok()) {
        if (IsBusy(conn->last_rc())) {
          last = begin;
          continue;
        }
        return begin;
      }
      SqliteSession session(*conn);
      SqlStorageTx tx(session, mode);
      Status s = fn(session, tx);
      if (s.ok()) s = tx.BeforeCommit();
      if (s.ok() && session.first_error()) s = *session.first_error();
      if (s.ok()) {
        s = conn->Exec("COMMIT");
        if (s.ok()) return s;
        if (IsBusy(conn->last_rc())) {
          (void)conn->Exec("ROLLBACK");
          last = s;
          continue;
        }
      }
      // SQLite may already have rolled back (a full disk); the lease checks before reuse.
      if (conn->InTransaction()) (void)conn->Exec("ROLLBACK");
      if (!session.transient()) return s;
      last = s;
    }
    return Status::Unavailable(Describe() + ": the database stayed busy after " + std::to_string(kMaxAttempts) +
                               " tries (" + last.message() + "); try again later");
  }

  const std::string path_;
  std::mutex write_mu_;  // serialises this process's writers before BEGIN IMMEDIATE
  ConnectionPool<SqliteConnection> pool_{kPoolSize, kPoolWait};
};

}  // namespace

Result<std::unique_ptr<Storage>> OpenSqliteStorage(const std::string& path) {
  if (path.empty()) return Status::InvalidInput("the SQLite storage needs a file path");
  // The store holds password hashes and tokens' hashes: only its owner may read it. SQLite
  // makes the -wal and -shm files with the mode of the database file, so 0600 here is 0600
  // for all three. An existing file keeps the mode its owner gave it.
  if (::access(path.c_str(), F_OK) != 0) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) {
      return Status::IoError("cannot create the central store " + path + ": " + std::strerror(errno));
    }
    if (fd >= 0) ::close(fd);
  }
  auto storage = std::make_unique<SqliteStorage>(path);
  RETURN_IF_ERROR(storage->Migrate());
  return std::unique_ptr<Storage>(std::move(storage));
}

}  // namespace mentorlog::server
