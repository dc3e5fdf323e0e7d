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
#include "mentorlog/store/sqlite_db.h"
#include "storage.h"
#include "storage_common.h"

namespace mentorlog::server {
namespace {

constexpr int kPoolSize = 16;
constexpr int kBusyTimeoutMillis = 1000;
constexpr auto kPoolWait = std::chrono::seconds(30);

// One connection of the pool: the shared SQLite wrapper (store/sqlite_db.h), plus what the pool
// asks of a connection.
class SqliteConnection {
 public:
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path) {
    core::DatabaseOptions options;
    options.busy_timeout_millis = kBusyTimeoutMillis;
    // Reads go through a memory map shared by the pool's connections (the OS page cache)
    // rather than a pread per page; each connection keeps 8 MB of pages of its own.
    options.cache_kib = 8 * 1024;
    options.mmap_bytes = 256 << 20;
    options.where = "sqlite:" + path;
    ASSIGN_OR_RETURN(std::unique_ptr<core::Database> db, core::Database::Open(path, options));
    return std::make_unique<SqliteConnection>(std::move(db));
  }
  explicit SqliteConnection(std::unique_ptr<core::Database> db) : db_(std::move(db)) {}

  core::Database& db() { return *db_; }
  // For the pool: a transaction left open (an exception in a callback) must not reach the
  // next caller, so it is rolled back, and the connection closed if that fails.
  bool ReadyForReuse() { return !db_->InTransaction() || db_->Exec("ROLLBACK").ok(); }

 private:
  std::unique_ptr<core::Database> db_;
};

// Another connection holds the file: the whole transaction is worth another try.
bool IsTransient(const Status& s) { return s.code() == StatusCode::kUnavailable; }

class SqliteSession final : public SqlSession {
 public:
  explicit SqliteSession(core::Database& db) : db_(db) {}

  SqlDialect dialect() const override { return SqlDialect::kSqlite; }

  Result<std::vector<SqlRow>> Query(std::string_view sql, const std::vector<SqlValue>& params) override {
    if (first_error()) return first_error()->WithContext("an earlier statement of this transaction failed");
    RETURN_IF_ERROR(CheckParams(params));
    auto prepared = db_.Prepare(std::string(sql));
    if (!prepared.ok()) return Fail(prepared.status(), IsTransient(prepared.status()));
    core::Statement& st = **prepared;
    for (size_t i = 0; i < params.size(); ++i) Bind(st, static_cast<int>(i + 1), params[i]);
    std::vector<SqlRow> rows;
    Status status;
    while (true) {
      auto row = st.Step();
      if (!row.ok()) {
        status = row.status();
        break;
      }
      if (!*row) break;
      const int n = st.ColumnCount();
      SqlRow out;
      out.reserve(static_cast<size_t>(n));
      for (int c = 0; c < n; ++c) out.push_back(Column(st, c));
      rows.push_back(std::move(out));
    }
    st.Reset();
    if (!status.ok()) return Fail(status, IsTransient(status));
    return rows;
  }

  Status Script(std::string_view sql) override {
    if (first_error()) return first_error()->WithContext("an earlier statement of this transaction failed");
    Status s = db_.Exec(sql);
    if (!s.ok()) return Fail(s, IsTransient(s));
    return s;
  }

 private:
  static void Bind(core::Statement& st, int index, const SqlValue& v) {
    if (const auto* i = std::get_if<int64_t>(&v)) {
      st.BindInt(index, *i);
    } else if (const auto* t = std::get_if<std::string>(&v)) {
      st.BindText(index, *t);
    } else if (const auto* b = std::get_if<SqlBlob>(&v)) {
      st.BindBlob(index, b->bytes);
    } else {
      st.BindNull(index);
    }
  }

  static SqlValue Column(const core::Statement& st, int c) {
    switch (st.ColumnType(c)) {
      case SQLITE_NULL:
        return SqlNull();
      case SQLITE_INTEGER:
        return SqlInt(st.ColumnInt(c));
      case SQLITE_BLOB:
        return SqlBytes(std::string(st.ColumnBlob(c)));
      default:  // TEXT, and REAL (our schema has none) as its text so a decoder names it
        return SqlText(st.ColumnText(c));
    }
  }

  core::Database& db_;
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
      core::Database& db = conn->db();
      Status begin = db.Exec(mode == TxMode::kReadWrite ? "BEGIN IMMEDIATE" : "BEGIN");
      if (!begin.ok()) {
        if (IsTransient(begin)) {
          last = begin;
          continue;
        }
        return begin;
      }
      SqliteSession session(db);
      SqlStorageTx tx(session, mode);
      Status s = fn(session, tx);
      if (s.ok()) s = tx.BeforeCommit();
      if (s.ok() && session.first_error()) s = *session.first_error();
      if (s.ok()) {
        s = db.Exec("COMMIT");
        if (s.ok()) return s;
        if (IsTransient(s)) {
          (void)db.Exec("ROLLBACK");
          last = s;
          continue;
        }
      }
      // SQLite may already have rolled back (a full disk); the lease checks before reuse.
      if (db.InTransaction()) (void)db.Exec("ROLLBACK");
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
