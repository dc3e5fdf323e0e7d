// The central store's storage: one interface, two backends (SQLite, the embedded default;
// PostgreSQL, for a region). The same integration suite runs against both.
//
// The storage is dumb on purpose: it keeps record states, conflicts, accounts, tokens and
// per-device op seqs, and answers range queries. Every rule (merge, scope, validation) lives
// in SyncService, so both backends behave the same by construction.
//
// Ordering: every PutRecord / PutConflict takes the next value of one server-wide sequence
// ("seq"). Writers are serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-level
// advisory lock), so seq order is commit order and a reader's snapshot is always a prefix:
// a pull cursor can never skip a change that commits later with a smaller seq.
//
// Thread safety: a Storage is shared by all request threads; each Write/Read runs on its own
// connection. A StorageTx is used only inside the callback that received it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/record_state.h"
#include "mentorlog/domain/types.h"
#include "mentorlog/sync/protocol.h"

namespace mentorlog::server {

using core::RecordState;
using core::Uuid;
using sync::ConflictRecord;
using sync::Role;

struct Account {
  int64_t id = 0;  // assigned by the storage
  std::string login;
  Role role = Role::kMentor;
  std::optional<Uuid> person_id;  // the Person record this account acts as (none for admin)
  std::string district;           // a coordinator's district
  std::string password_hash;      // libsodium's Argon2id string
  bool disabled = false;
  bool demo = false;  // created by `demo`: its password was printed
  int64_t created_millis = 0;
};

struct TokenRow {
  std::string token_hash;  // hex SHA-256 of the token; the token itself is never stored
  int64_t account_id = 0;
  std::string device_id;
  int64_t expires_millis = 0;
  bool revoked = false;
};

// The district a record that is shared by every district belongs to (the bundled rubric
// templates): every account reads it, no push may change it.
inline constexpr std::string_view kSharedDistrict = "*";

struct StoredRecord {
  RecordState state;
  std::optional<Uuid> school_id;  // the scope key; nullopt = district-wide (people, rubrics)
  // The district it belongs to: its school's, or for a district-wide record the district it
  // was written in (kSharedDistrict: every district's). nullopt: none is known (a record
  // written before districts were kept, in a store of several districts): nobody sees it.
  std::optional<std::string> district;
  uint64_t seq = 0;
};

struct StoredConflict {
  ConflictRecord conflict;
  std::optional<Uuid> school_id;
  uint64_t seq = 0;
};

// Derived rows kept beside the records for scope queries (written by SyncService).
struct AssignmentIndexRow {
  Uuid id;
  core::AssignmentKind kind = core::AssignmentKind::kMentorSchool;
  Uuid assignee_id;
  Uuid school_id;
  std::optional<Uuid> teacher_id;
  core::Date starts_on;
  std::optional<core::Date> ends_on;
  bool deleted = false;
};

// Which records a query may return: those whose school is in `schools`, and, when
// `include_district_wide`, those with no school of `district` (and the shared ones,
// kSharedDistrict). `all_schools` lifts the school filter; with `include_district_wide` too,
// it lifts every filter (the whole store: export, the dashboards' catch-up).
struct ScopeFilter {
  std::vector<Uuid> schools;
  bool include_district_wide = true;
  std::string district;
  bool all_schools = false;
};

class StorageTx {
 public:
  virtual ~StorageTx() = default;

  // ---- records and conflicts ----
  virtual Result<std::optional<StoredRecord>> LoadRecord(const Uuid& id) = 0;
  // Inserts or replaces the record's state and scope key (its school, its district); returns
  // its new seq.
  virtual Result<uint64_t> PutRecord(const RecordState& state, const std::optional<Uuid>& school_id,
                                     const std::string& district = std::string()) = 0;
  // Stores a conflict with the scope key of its record; returns its seq.
  virtual Result<uint64_t> PutConflict(const ConflictRecord& conflict, const std::optional<Uuid>& school_id,
                                       const std::string& district = std::string()) = 0;
  // Records (live and tombstoned) with after < seq <= upto in the filter, seq ascending, at
  // most max_rows. upto = UINT64_MAX for "no upper bound".
  virtual Result<std::vector<StoredRecord>> RecordsInRange(const ScopeFilter& filter, uint64_t after, uint64_t upto,
                                                           size_t max_rows) = 0;
  virtual Result<std::vector<StoredConflict>> ConflictsInRange(const ScopeFilter& filter, uint64_t after, uint64_t upto,
                                                               size_t max_rows) = 0;
  // The highest seq given so far (0 when empty).
  virtual Result<uint64_t> MaxSeq() = 0;
  // Every live (not deleted) record in the filter; fn may stop the scan by returning an error,
  // which ScanLive returns. With `all_schools`, ordered by id in pages of kScanPageRows; with a
  // list of schools, school by school (ScanSchool), in no particular order: a page ordered by
  // id over many schools would sort the whole scope for each page.
  virtual Status ScanLive(const ScopeFilter& filter, const std::function<Status(const StoredRecord&)>& fn) = 0;
  // Every live record whose scope key is `school_id` (nullopt: the district-wide ones of
  // `district` and the shared ones), in no particular order, straight off the (school_id, seq)
  // index.
  virtual Status ScanSchool(const std::optional<Uuid>& school_id, const std::function<Status(const StoredRecord&)>& fn,
                            const std::string& district = std::string()) = 0;
  // Every live record of `kind`, by id, in pages of kScanPageRows (the whole store: import and
  // demo, core::RecordWriter::List through CentralWriter).
  virtual Status ScanKind(core::RecordKind kind, const std::function<Status(const StoredRecord&)>& fn) = 0;
  virtual Result<int64_t> CountRecords() = 0;

  // ---- scope indexes ----
  virtual Status PutSchoolIndex(const Uuid& school_id, const std::string& district, bool deleted) = 0;
  virtual Result<std::vector<Uuid>> SchoolsOfDistrict(const std::string& district) = 0;
  virtual Result<std::vector<std::string>> Districts() = 0;
  virtual Status PutAssignmentIndex(const AssignmentIndexRow& row) = 0;
  // Live assignments whose assignee is `person_id` (any dates: the caller checks them).
  virtual Result<std::vector<AssignmentIndexRow>> AssignmentsOf(const Uuid& person_id) = 0;

  // ---- devices ----
  // The highest op seq applied for the device (0 when never seen).
  virtual Result<uint64_t> DeviceOpSeq(const std::string& device_id) = 0;
  // The account the device id is bound to (nullopt: never seen; 0: the central store's own
  // writes, an import or the demo).
  virtual Result<std::optional<int64_t>> DeviceOwner(const std::string& device_id) = 0;
  // Sets the device's op seq. The first call binds the device id to `account_id`; later calls
  // never change the binding (the caller checks DeviceOwner first).
  virtual Status SetDeviceOpSeq(const std::string& device_id, int64_t account_id, uint64_t op_seq) = 0;
  // The device's refused changes, kept so that a push sent again (its answer was lost) is
  // answered with them again: `body` is opaque to the storage (SyncService encodes it).
  virtual Status PutRejection(const std::string& device_id, uint64_t op_seq, const std::string& body) = 0;
  // The bodies stored for first <= op seq <= last, in op seq order.
  virtual Result<std::vector<std::string>> RejectionsOf(const std::string& device_id, uint64_t first,
                                                        uint64_t last) = 0;

  // ---- accounts and tokens ----
  // AlreadyExists is reported as Conflict with a message naming the login.
  virtual Result<int64_t> CreateAccount(const Account& account) = 0;
  virtual Result<std::optional<Account>> FindAccount(const std::string& login) = 0;
  virtual Result<std::optional<Account>> FindAccountById(int64_t id) = 0;
  virtual Result<std::vector<Account>> ListAccounts() = 0;
  virtual Status UpdateAccount(const Account& account) = 0;  // by id: hash, disabled, role, person, district
  virtual Status PutToken(const TokenRow& token) = 0;
  virtual Result<std::optional<TokenRow>> FindToken(const std::string& token_hash) = 0;
  virtual Status RevokeToken(const std::string& token_hash) = 0;
  virtual Status RevokeTokensOf(int64_t account_id) = 0;
  // Deletes every token that expired at or before `now_millis` or was revoked; returns how many.
  // A deleted token authenticates no more than it did (FindToken finds nothing: 401).
  virtual Result<int64_t> PurgeTokens(int64_t now_millis) = 0;
};

class Storage {
 public:
  virtual ~Storage() = default;

  // Runs fn in one read-write transaction; writers are serialised (see the top). Commits when
  // fn returns Ok, rolls back otherwise. Retries a transient failure (busy, serialization,
  // a dropped connection) a few times before giving up with Unavailable: fn may run more than
  // once, so it must reset whatever it collects.
  virtual Status Write(const std::function<Status(StorageTx&)>& fn) = 0;
  // Runs fn in one read-only snapshot. Writing inside it fails.
  virtual Status Read(const std::function<Status(StorageTx&)>& fn) = 0;
  // "sqlite:/path" or "postgresql" (never the password).
  virtual std::string Describe() const = 0;
};

// SQLite file, created with its schema when missing. WAL, synchronous=FULL.
Result<std::unique_ptr<Storage>> OpenSqliteStorage(const std::string& path);

// PostgreSQL through libpqxx; `connstr` is a libpq connection string. Creates the schema when
// missing. `pool_size` connections are opened lazily and shared by the request threads.
Result<std::unique_ptr<Storage>> OpenPostgresStorage(const std::string& connstr, int pool_size = 8);

}  // namespace mentorlog::server
