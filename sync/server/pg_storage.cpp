// OpenPostgresStorage: the regional backend (storage.h), through libpqxx 6.4.
//
// Concurrency: a fixed-size pool of connections (opened lazily; a broken one is dropped and a
// new one opened on the next call) shared by the request threads and, through one database,
// by every server behind a load balancer. Every Write runs READ COMMITTED and takes
// `pg_advisory_xact_lock(kWriterLock)` as its first statement, so writers are serialised
// across all servers: each statement after the lock sees every earlier writer's commit (that
// is why a Write is not REPEATABLE READ, whose snapshot would predate the lock), seq order is
// commit order, and a Read (READ ONLY, REPEATABLE READ) sees a prefix of seqs.
//
// Failures: a dropped connection, a serialization failure or a deadlock rolls back and retries
// the callback (kMaxAttempts tries with backoff), then Unavailable. A connection lost during
// COMMIT is not retried: the outcome is unknown, and the caller hears so.
//
// Secrets: the connection string is kept only to open connections; Describe() and messages
// show user, host, port and database, never the password (libpq's messages do not echo it).
//
// Thread safety: PgStorage is shared by all request threads; a connection is used by one
// thread at a time.

#include <pqxx/pqxx>

#include <charconv>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "connection_pool.h"
#include "storage.h"
#include "storage_common.h"

namespace mentorlog::server {
namespace {

// The advisory lock every writer takes ("MLOGWR" in ASCII).
constexpr std::string_view kLockStatement = "SELECT pg_advisory_xact_lock(84942220806994)";
constexpr auto kPoolWait = std::chrono::seconds(30);

// PostgreSQL type oids we map (pg_type.dat).
constexpr pqxx::oid kBoolOid = 16;
constexpr pqxx::oid kByteaOid = 17;
constexpr pqxx::oid kInt8Oid = 20;
constexpr pqxx::oid kInt2Oid = 21;
constexpr pqxx::oid kInt4Oid = 23;

std::string Trimmed(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
  return std::string(text);
}

// How a libpqxx exception ends a transaction.
struct PgFailure {
  Status status;
  bool transient = false;
  bool broken = false;  // the connection is unusable: drop it
};

// Must be called inside a catch block: classifies the exception in flight.
PgFailure ClassifyCurrentException(std::string_view where) {
  const std::string prefix = std::string(where) + ": ";
  try {
    throw;
  } catch (const pqxx::in_doubt_error& e) {
    return {Status::Unavailable(prefix +
                                "the connection dropped during COMMIT, so the change may or may not be "
                                "stored (" +
                                Trimmed(e.what()) + ")"),
            false, true};
  } catch (const pqxx::broken_connection& e) {
    return {Status::Unavailable(prefix + "lost the connection to PostgreSQL: " + Trimmed(e.what())), true, true};
  } catch (const pqxx::sql_error& e) {
    const std::string& state = e.sqlstate();
    const std::string msg = prefix + "PostgreSQL: " + Trimmed(e.what());
    if (state == "40001" || state == "40P01") return {Status::Unavailable(msg), true, false};
    if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0 || state == "53300") {
      return {Status::Unavailable(msg), true, true};
    }
    if (state.rfind("23", 0) == 0) return {Status::Conflict(msg), false, false};
    if (state == "53100") return {Status::IoError(msg + " (the database server's disk is full)"), false, false};
    if (state.rfind("42", 0) == 0 || state == "25006") return {Status::Internal(msg), false, false};
    return {Status::IoError(msg), false, false};
  } catch (const pqxx::failure& e) {
    return {Status::IoError(prefix + "PostgreSQL: " + Trimmed(e.what())), false, false};
  } catch (const std::exception& e) {
    return {Status::Internal(prefix + Trimmed(e.what())), false, false};
  }
}

// Swallows libpq notices ("relation already exists, skipping"): they are not errors and
// would otherwise go to stderr.
class QuietNotices final : public pqxx::errorhandler {
 public:
  explicit QuietNotices(pqxx::connection_base& conn) : pqxx::errorhandler(conn) {}
  bool operator()(const char[]) noexcept override { return false; }
};

struct PgConnection {
  std::unique_ptr<pqxx::connection> conn;
  std::unique_ptr<QuietNotices> quiet;  // declared after conn: unregisters before conn closes

  bool broken = false;

  bool ReadyForReuse() const { return !broken && conn->is_open(); }
};

class PgSession final : public SqlSession {
 public:
  PgSession(pqxx::transaction_base& txn, std::string_view where) : txn_(txn), where_(where) {}

  SqlDialect dialect() const override { return SqlDialect::kPostgres; }
  bool broken() const { return broken_; }

  Result<std::vector<SqlRow>> Query(std::string_view sql, const std::vector<SqlValue>& params) override {
    if (first_error()) return first_error()->WithContext("an earlier statement of this transaction failed");
    RETURN_IF_ERROR(CheckParams(params));
    // Every parameter goes as text (bytea in its hex form), so one dynamic list carries them.
    std::vector<std::string> texts;
    texts.reserve(params.size());
    std::vector<bool> nulls;
    for (const SqlValue& v : params) {
      nulls.push_back(std::holds_alternative<std::monostate>(v));
      if (const auto* i = std::get_if<int64_t>(&v)) {
        texts.push_back(std::to_string(*i));
      } else if (const auto* t = std::get_if<std::string>(&v)) {
        texts.push_back(*t);
      } else if (const auto* b = std::get_if<SqlBlob>(&v)) {
        texts.push_back("\\x" + HexOf(b->bytes));
      } else {
        texts.emplace_back();
      }
    }
    std::vector<const char*> values;
    values.reserve(texts.size());
    for (size_t i = 0; i < texts.size(); ++i) values.push_back(nulls[i] ? nullptr : texts[i].c_str());
    try {
      const pqxx::result r = txn_.exec_params(NumberPlaceholders(sql), pqxx::prepare::make_dynamic_params(values));
      return Materialise(r);
    } catch (...) {
      PgFailure f = ClassifyCurrentException(where_);
      broken_ = broken_ || f.broken;
      return Fail(f.status, f.transient);
    }
  }

  Status Script(std::string_view sql) override {
    if (first_error()) return first_error()->WithContext("an earlier statement of this transaction failed");
    try {
      txn_.exec(std::string(sql));
      return Status::Ok();
    } catch (...) {
      PgFailure f = ClassifyCurrentException(where_);
      broken_ = broken_ || f.broken;
      return Fail(f.status, f.transient);
    }
  }

 private:
  static std::vector<SqlRow> Materialise(const pqxx::result& r) {
    const auto columns = r.columns();
    std::vector<pqxx::oid> types;
    for (pqxx::row::size_type c = 0; c < columns; ++c) types.push_back(r.column_type(c));
    std::vector<SqlRow> rows;
    rows.reserve(r.size());
    for (const pqxx::row& row : r) {
      SqlRow out;
      out.reserve(columns);
      for (pqxx::row::size_type c = 0; c < columns; ++c) {
        const pqxx::field f = row[c];
        if (f.is_null()) {
          out.push_back(SqlNull());
          continue;
        }
        const std::string_view text(f.c_str(), f.size());
        switch (types[c]) {
          case kInt2Oid:
          case kInt4Oid:
          case kInt8Oid: {
            int64_t v = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            if (ec == std::errc() && end == text.data() + text.size()) {
              out.push_back(SqlInt(v));
            } else {
              out.push_back(SqlText(std::string(text)));  // the row decoder reports it
            }
            break;
          }
          case kBoolOid:
            out.push_back(SqlInt(text == "t" ? 1 : 0));
            break;
          case kByteaOid:
            out.push_back(SqlBytes(pqxx::binarystring(f).str()));
            break;
          default:
            out.push_back(SqlText(std::string(text)));
        }
      }
      rows.push_back(std::move(out));
    }
    return rows;
  }

  pqxx::transaction_base& txn_;
  std::string where_;
  bool broken_ = false;
};

class PgStorage final : public Storage {
 public:
  PgStorage(std::string connstr, int pool_size) : connstr_(std::move(connstr)), pool_(pool_size, kPoolWait) {}

  // Opens the first connection (naming the database for Describe) and migrates the schema.
  Status Init() {
    {
      bool transient = false;
      ASSIGN_OR_RETURN(auto first, pool_.Acquire(Where(), [&] { return Connect(transient); }));
      pqxx::connection& c = *first->conn;
      auto text = [](const char* s) { return std::string(s ? s : ""); };
      const std::string host = text(c.hostname());
      describe_ = "postgresql:" + text(c.username()) + "@" + (host.empty() ? "localhost" : host) + ":" +
                  text(c.port()) + "/" + text(c.dbname());
    }
    return Run(TxMode::kReadWrite,
               [&](SqlSession& session, SqlStorageTx&) { return MigrateSchema(session, Describe()); });
  }

  Status Write(const std::function<Status(StorageTx&)>& fn) override {
    return Run(TxMode::kReadWrite, [&](SqlSession&, SqlStorageTx& tx) { return fn(tx); });
  }
  Status Read(const std::function<Status(StorageTx&)>& fn) override {
    return Run(TxMode::kReadOnly, [&](SqlSession&, SqlStorageTx& tx) { return fn(tx); });
  }
  std::string Describe() const override { return describe_; }

 private:
  using SessionFn = std::function<Status(SqlSession&, SqlStorageTx&)>;

  // "postgresql:user@host:port/db" once Init has connected; "postgresql" before.
  std::string Where() const { return describe_.empty() ? std::string("postgresql") : describe_; }

  // A new connection. A refused one (server down, bad password) sets `transient`.
  Result<std::unique_ptr<PgConnection>> Connect(bool& transient) const {
    auto out = std::make_unique<PgConnection>();
    try {
      out->conn = std::make_unique<pqxx::connection>(connstr_);
      out->quiet = std::make_unique<QuietNotices>(*out->conn);
      pqxx::nontransaction setup(*out->conn);
      setup.exec("SET client_min_messages TO warning");
      setup.commit();
    } catch (const pqxx::broken_connection& e) {
      transient = true;
      return Status::Unavailable(Where() + ": cannot connect to PostgreSQL: " + Trimmed(e.what()) +
                                 " (check the connection string and that the database server is running)");
    } catch (...) {
      return ClassifyCurrentException(Where()).status;
    }
    return out;
  }

  // One attempt on `conn` in a transaction of type Txn. Sets `transient` when a retry may help.
  template <class Txn>
  Status Attempt(PgConnection& conn, TxMode mode, const SessionFn& fn, bool& transient) {
    try {
      Txn txn(*conn.conn);
      if (mode == TxMode::kReadWrite) txn.exec(std::string(kLockStatement));
      PgSession session(txn, Where());
      SqlStorageTx tx(session, mode);
      Status s = fn(session, tx);
      if (s.ok()) s = tx.BeforeCommit();
      if (s.ok() && session.first_error()) s = *session.first_error();
      if (!s.ok()) {
        conn.broken = conn.broken || session.broken();
        transient = session.transient();
        if (!session.broken()) txn.abort();
        return s;
      }
      txn.commit();
      return Status::Ok();
    } catch (...) {
      PgFailure f = ClassifyCurrentException(Where());
      conn.broken = conn.broken || f.broken;
      transient = f.transient;
      return f.status;
    }
  }

  Status Run(TxMode mode, const SessionFn& fn) {
    Status last;
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
      if (attempt > 0) std::this_thread::sleep_for(RetryBackoff(attempt - 1));
      bool transient = false;
      auto lease = pool_.Acquire(Where(), [&] { return Connect(transient); });
      if (!lease.ok()) {
        // A refused connection is worth another try; a pool timeout has already waited.
        if (!transient) return lease.status();
        last = lease.status();
        continue;
      }
      Status s = mode == TxMode::kReadWrite
                     ? Attempt<pqxx::work>(**lease, mode, fn, transient)
                     : Attempt<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(**lease, mode, fn, transient);
      if (s.ok() || !transient) return s;
      last = s;
    }
    return Status::Unavailable(Where() + ": gave up after " + std::to_string(kMaxAttempts) + " tries (" +
                               last.message() + "); try again later");
  }

  const std::string connstr_;  // holds the password: never shown
  std::string describe_;       // set once by Init, before the storage is shared
  ConnectionPool<PgConnection> pool_;
};

}  // namespace

Result<std::unique_ptr<Storage>> OpenPostgresStorage(const std::string& connstr, int pool_size) {
  if (pool_size < 1) {
    return Status::InvalidInput("the PostgreSQL pool needs at least one connection (got " + std::to_string(pool_size) +
                                ")");
  }
  auto storage = std::make_unique<PgStorage>(connstr, pool_size);
  RETURN_IF_ERROR(storage->Init());
  return std::unique_ptr<Storage>(std::move(storage));
}

}  // namespace mentorlog::server
