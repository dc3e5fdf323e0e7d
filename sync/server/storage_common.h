// What the two storage backends share: the schema and its migrations, the ScopeFilter's SQL,
// and one StorageTx written once against a tiny SQL session, so SQLite and PostgreSQL run the
// same statements and decode rows the same way (storage.h: "both backends behave the same by
// construction").
//
// A backend provides a SqlSession per transaction (sqlite_storage.cpp, pg_storage.cpp): it runs
// one statement with `?` placeholders and hands back materialised rows, and it remembers the
// first failure of the transaction so the backend can roll back and, when the failure was
// transient (busy, dropped connection), retry.
//
// Private to mentorlog_server; includes no sqlite3.h or pqxx.
//
// Thread safety: a SqlSession and a SqlStorageTx belong to the one thread running a
// Write/Read callback; the free functions are pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mentorlog/base/status.h"
#include "storage.h"

namespace mentorlog::server {

enum class SqlDialect { kSqlite, kPostgres };

// The schema version this server writes (meta.schema_version). A database with a larger one
// was written by a newer server and is refused.
inline constexpr int kSchemaVersion = 2;

// ScanLive reads this many records per query, so memory stays bounded for any store size.
inline constexpr int64_t kScanPageRows = 1000;

// Write/Read try a transaction this many times when it fails transiently, sleeping
// RetryBackoff(attempt) between tries, then give up with Unavailable.
inline constexpr int kMaxAttempts = 4;
std::chrono::milliseconds RetryBackoff(int attempt);

// ---- values crossing the session ----------------------------------------------------------

struct SqlBlob {
  std::string bytes;
};
// NULL, INTEGER (also booleans 0/1), TEXT, BLOB (BYTEA).
using SqlValue = std::variant<std::monostate, int64_t, std::string, SqlBlob>;
using SqlRow = std::vector<SqlValue>;

inline SqlValue SqlNull() { return std::monostate{}; }
inline SqlValue SqlInt(int64_t v) { return v; }
inline SqlValue SqlText(std::string v) { return v; }
inline SqlValue SqlBytes(std::string v) { return SqlBlob{std::move(v)}; }

class SqlSession {
 public:
  virtual ~SqlSession() = default;

  virtual SqlDialect dialect() const = 0;
  // Runs one statement whose `?` placeholders take `params` in order, and returns every row
  // it produced (none for most writes). A failure is also remembered (first_error()).
  virtual Result<std::vector<SqlRow>> Query(std::string_view sql, const std::vector<SqlValue>& params) = 0;
  // Runs several `;`-separated statements without parameters (migrations).
  virtual Status Script(std::string_view sql) = 0;

  // The first statement failure in this transaction, if any. PostgreSQL refuses every
  // statement after a failure, so a transaction that saw one is rolled back even when the
  // callback returns Ok; SQLite follows the same rule so the backends agree.
  const std::optional<Status>& first_error() const { return first_error_; }
  // Whether a failure was transient (busy, dropped connection, serialization): the backend
  // retries the whole transaction.
  bool transient() const { return transient_; }

 protected:
  // InvalidInput when a text parameter holds a NUL character: PostgreSQL cannot store one and
  // SQLite would cut it short, so both refuse it before running anything.
  static Status CheckParams(const std::vector<SqlValue>& params);

  // Remembers `status` (when it is the first failure) and returns it.
  Status Fail(Status status, bool transient) {
    if (!first_error_) first_error_ = status;
    transient_ = transient_ || transient;
    return status;
  }

 private:
  std::optional<Status> first_error_;
  bool transient_ = false;
};

// ---- schema -------------------------------------------------------------------------------

// Brings the schema to kSchemaVersion inside the caller's write transaction (serialised with
// every other writer): creates meta when missing, refuses a database that has our table names
// but no meta (Conflict: not a MentorLog server database) and one written by a newer server
// (Unsupported, asking to update), then applies the missing numbered migrations.
// `where` names the database in messages ("sqlite:/srv/ml.db").
Status MigrateSchema(SqlSession& session, std::string_view where);

// ---- scope ---------------------------------------------------------------------------------

// The WHERE fragment selecting `filter`'s rows of a table with `school_id` and `district`
// columns, and the parameters it needs, if any (the school list as one value: a JSON array for SQLite's
// json_each, a text[] literal for PostgreSQL's ANY), so a list of 5,000 schools is one bound
// value, not 5,000 placeholders.
struct ScopeSql {
  std::string where;
  std::optional<SqlValue> param;           // the school list, first
  std::optional<SqlValue> district_param;  // the district of district-wide rows, second
};
ScopeSql ScopeFilterSql(const ScopeFilter& filter, SqlDialect dialect);

// ---- the transaction -----------------------------------------------------------------------

enum class TxMode { kReadWrite, kReadOnly };

// StorageTx over a SqlSession. Seqs: records and conflicts share one space, whose high-water
// mark is meta.last_seq. The first PutRecord/PutConflict of a transaction reads it, later ones
// count up from it, and BeforeCommit() stores the new mark; this is safe because writers are
// serialised (storage.h), and a rolled-back transaction gives its seqs back unseen. In
// kReadOnly mode every write returns Internal (a write inside Read is a bug in the caller).
class SqlStorageTx final : public StorageTx {
 public:
  SqlStorageTx(SqlSession& session, TxMode mode) : session_(session), mode_(mode) {}

  Result<std::optional<StoredRecord>> LoadRecord(const Uuid& id) override;
  Result<uint64_t> PutRecord(const RecordState& state, const std::optional<Uuid>& school_id,
                             const std::string& district) override;
  Result<uint64_t> PutConflict(const ConflictRecord& conflict, const std::optional<Uuid>& school_id,
                               const std::string& district) override;
  Result<std::vector<StoredRecord>> RecordsInRange(const ScopeFilter& filter, uint64_t after, uint64_t upto,
                                                   size_t max_rows) override;
  Result<std::vector<StoredConflict>> ConflictsInRange(const ScopeFilter& filter, uint64_t after, uint64_t upto,
                                                       size_t max_rows) override;
  Result<uint64_t> MaxSeq() override;
  Status ScanLive(const ScopeFilter& filter, const std::function<Status(const StoredRecord&)>& fn) override;
  Status ScanKind(core::RecordKind kind, const std::function<Status(const StoredRecord&)>& fn) override;
  Status ScanSchool(const std::optional<Uuid>& school_id, const std::function<Status(const StoredRecord&)>& fn,
                    const std::string& district) override;
  Result<int64_t> CountRecords() override;

  Status PutSchoolIndex(const Uuid& school_id, const std::string& district, bool deleted) override;
  Result<std::vector<Uuid>> SchoolsOfDistrict(const std::string& district) override;
  Result<std::vector<std::string>> Districts() override;
  Status PutAssignmentIndex(const AssignmentIndexRow& row) override;
  Result<std::vector<AssignmentIndexRow>> AssignmentsOf(const Uuid& person_id) override;

  Result<uint64_t> DeviceOpSeq(const std::string& device_id) override;
  Result<std::optional<int64_t>> DeviceOwner(const std::string& device_id) override;
  Status SetDeviceOpSeq(const std::string& device_id, int64_t account_id, uint64_t op_seq) override;
  Status PutRejection(const std::string& device_id, uint64_t op_seq, const std::string& body) override;
  Result<std::vector<std::string>> RejectionsOf(const std::string& device_id, uint64_t first, uint64_t last) override;

  Result<int64_t> CreateAccount(const Account& account) override;
  Result<std::optional<Account>> FindAccount(const std::string& login) override;
  Result<std::optional<Account>> FindAccountById(int64_t id) override;
  Result<std::vector<Account>> ListAccounts() override;
  Status UpdateAccount(const Account& account) override;
  Status PutToken(const TokenRow& token) override;
  Result<std::optional<TokenRow>> FindToken(const std::string& token_hash) override;
  Status RevokeToken(const std::string& token_hash) override;
  Status RevokeTokensOf(int64_t account_id) override;
  Result<int64_t> PurgeTokens(int64_t now_millis) override;

  // The backend calls this after the callback succeeded, just before COMMIT.
  Status BeforeCommit();

 private:
  Status RequireWrite(std::string_view op) const;
  Result<uint64_t> NextSeq();
  Result<uint64_t> CommittedSeq();

  SqlSession& session_;
  TxMode mode_;
  std::optional<uint64_t> next_seq_;
};

// ---- small helpers the backends share --------------------------------------------------------

// Replaces each `?` outside quotes with $1, $2, ... (PostgreSQL's placeholders).
std::string NumberPlaceholders(std::string_view sql);

// Lowercase hex of `bytes`.
std::string HexOf(std::string_view bytes);

}  // namespace mentorlog::server
