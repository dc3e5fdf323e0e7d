// The schema, the ScopeFilter's SQL and the StorageTx both backends share (storage_common.h).
//
// [SECTION] Schema and migrations
// [SECTION] Scope
// [SECTION] Row decoding
// [SECTION] SqlStorageTx: records and conflicts
// [SECTION] SqlStorageTx: scope indexes and devices
// [SECTION] SqlStorageTx: accounts and tokens
// [SECTION] Helpers

#include "storage_common.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <utility>

#include "mentorlog/domain/serialize.h"
#include "mentorlog/sync/protocol.h"

namespace mentorlog::server {
namespace {

// -----------------------------------------------------------------------------------------
// [SECTION] Schema and migrations
// -----------------------------------------------------------------------------------------

// The tables (same shape on both backends). Placeholders: {key} a text column that is
// compared and ordered (byte order on both: PostgreSQL's "C" collation, SQLite's BINARY);
// {blob} bytes; {serial} an auto-assigned integer primary key.
// Ids are canonical lowercase UUID text; booleans are INTEGER 0/1; dates are "YYYY-MM-DD".
constexpr std::string_view kMigration1 = R"sql(
CREATE TABLE records (
  record_id {key} PRIMARY KEY, kind INTEGER NOT NULL, school_id {key}, deleted INTEGER NOT NULL,
  seq BIGINT NOT NULL UNIQUE, state {blob} NOT NULL);
CREATE INDEX records_school_seq ON records (school_id, seq);

CREATE TABLE conflicts (
  seq BIGINT PRIMARY KEY, conflict_id {key} NOT NULL, record_id {key} NOT NULL, school_id {key},
  body {blob} NOT NULL);
CREATE INDEX conflicts_school_seq ON conflicts (school_id, seq);

CREATE TABLE school_index (school_id {key} PRIMARY KEY, district {key} NOT NULL, deleted INTEGER NOT NULL);
CREATE INDEX school_index_district ON school_index (district);

CREATE TABLE assignment_index (
  id {key} PRIMARY KEY, kind INTEGER NOT NULL, assignee_id {key} NOT NULL, school_id {key} NOT NULL,
  teacher_id {key}, starts_on TEXT NOT NULL, ends_on TEXT, deleted INTEGER NOT NULL);
CREATE INDEX assignment_index_assignee ON assignment_index (assignee_id);

CREATE TABLE devices (
  device_id {key} PRIMARY KEY, account_id BIGINT NOT NULL, op_seq BIGINT NOT NULL,
  updated_millis BIGINT NOT NULL);

CREATE TABLE accounts (
  id {serial}, login {key} NOT NULL UNIQUE, role INTEGER NOT NULL, person_id {key},
  district {key} NOT NULL, password_hash TEXT NOT NULL, disabled INTEGER NOT NULL, demo INTEGER NOT NULL,
  created_millis BIGINT NOT NULL);

CREATE TABLE tokens (
  token_hash {key} PRIMARY KEY, account_id BIGINT NOT NULL, device_id TEXT NOT NULL,
  expires_millis BIGINT NOT NULL, revoked INTEGER NOT NULL);
CREATE INDEX tokens_account ON tokens (account_id);

-- The highest seq committed. Kept here rather than derived from max(seq), so a seq is never
-- given twice even if rows are ever purged.
INSERT INTO meta (key, value) VALUES ('last_seq', '0');
)sql";

// Every record belongs to a district (docs/http-api.md, "Districts"). A school's records take
// their school's; a district-wide one (people without a school, rubric templates, district
// roadmap items) the district it was written in. For the records stored before, in this order:
// a coordinator's own person record their account's district; a mentor's or tutor's the
// district of the schools they are assigned to; in a store of one district, that district;
// rubric templates are shared by every district; anything else keeps no district, and nobody
// sees it until a coordinator writes it again. And the changes refused from each device, so a
// push sent again after a lost answer gets the same answer, rejections included.
constexpr std::string_view kMigration2 = R"sql(
ALTER TABLE records ADD COLUMN district {key};
ALTER TABLE conflicts ADD COLUMN district {key};
UPDATE records SET district = (SELECT s.district FROM school_index s WHERE s.school_id = records.school_id)
  WHERE school_id IS NOT NULL;
UPDATE records SET district = (SELECT min(a.district) FROM accounts a
                               WHERE a.person_id = records.record_id AND a.district <> '')
  WHERE school_id IS NULL;
UPDATE records SET district = (SELECT min(s.district) FROM assignment_index ai
                               JOIN school_index s ON s.school_id = ai.school_id
                               WHERE ai.assignee_id = records.record_id)
  WHERE school_id IS NULL AND district IS NULL;
UPDATE records SET district = (SELECT min(district) FROM school_index)
  WHERE school_id IS NULL AND district IS NULL AND (SELECT count(DISTINCT district) FROM school_index) = 1;
UPDATE records SET district = '*' WHERE school_id IS NULL AND district IS NULL AND kind = 14;
UPDATE conflicts SET district = (SELECT r.district FROM records r WHERE r.record_id = conflicts.record_id);
CREATE INDEX records_district_wide ON records (district, seq) WHERE school_id IS NULL;
CREATE TABLE rejections (
  device_id {key} NOT NULL, op_seq BIGINT NOT NULL, body {blob} NOT NULL, PRIMARY KEY (device_id, op_seq));
)sql";
static_assert(static_cast<int>(core::RecordKind::kRubricTemplate) == 14, "kMigration2 names the kind by number");

constexpr std::string_view kMigrations[] = {kMigration1, kMigration2};
static_assert(std::size(kMigrations) == kSchemaVersion, "one migration per schema version");

// The tables a MentorLog server database holds; finding one of them without meta means the
// database is someone else's (or damaged), and we do not write into it.
constexpr std::string_view kOurTables =
    "'records', 'conflicts', 'school_index', 'assignment_index', 'devices', 'accounts', 'tokens', 'meta'";

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

std::string ForDialect(std::string_view sql, SqlDialect dialect) {
  const bool pg = dialect == SqlDialect::kPostgres;
  std::string out(sql);
  out = ReplaceAll(std::move(out), "{key}", pg ? "TEXT COLLATE \"C\"" : "TEXT");
  out = ReplaceAll(std::move(out), "{blob}", pg ? "BYTEA" : "BLOB");
  out = ReplaceAll(std::move(out), "{serial}",
                   pg ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
  return out;
}

Result<int64_t> CountOf(SqlSession& session, std::string_view sql) {
  ASSIGN_OR_RETURN(auto rows, session.Query(sql, {}));
  if (rows.size() != 1 || rows[0].empty() || !std::holds_alternative<int64_t>(rows[0][0])) {
    return Status::Internal("expected one count from: " + std::string(sql));
  }
  return std::get<int64_t>(rows[0][0]);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Row decoding
// -----------------------------------------------------------------------------------------

Status BadColumn(std::string_view what, std::string_view expected) {
  return Status::Corruption(std::string(what) + " is not " + std::string(expected) +
                            "; the server database is damaged");
}

Result<int64_t> IntAt(const SqlRow& row, size_t i, std::string_view what) {
  if (i < row.size()) {
    if (const auto* v = std::get_if<int64_t>(&row[i])) return *v;
  }
  return BadColumn(what, "an integer");
}

Result<bool> BoolAt(const SqlRow& row, size_t i, std::string_view what) {
  ASSIGN_OR_RETURN(int64_t v, IntAt(row, i, what));
  return v != 0;
}

Result<uint64_t> SeqAt(const SqlRow& row, size_t i, std::string_view what) {
  ASSIGN_OR_RETURN(int64_t v, IntAt(row, i, what));
  if (v < 0) return BadColumn(what, "a sequence number");
  return static_cast<uint64_t>(v);
}

bool IsNullAt(const SqlRow& row, size_t i) { return i >= row.size() || std::holds_alternative<std::monostate>(row[i]); }

Result<std::string> TextAt(const SqlRow& row, size_t i, std::string_view what) {
  if (i < row.size()) {
    if (const auto* v = std::get_if<std::string>(&row[i])) return *v;
  }
  return BadColumn(what, "text");
}

// A blob column; SQLite may hand back text for bytes written as text, which the decoder then
// judges like any other bytes.
Result<std::string> BytesAt(const SqlRow& row, size_t i, std::string_view what) {
  if (i < row.size()) {
    if (const auto* b = std::get_if<SqlBlob>(&row[i])) return b->bytes;
    if (const auto* t = std::get_if<std::string>(&row[i])) return *t;
  }
  return BadColumn(what, "bytes");
}

Result<Uuid> UuidAt(const SqlRow& row, size_t i, std::string_view what) {
  ASSIGN_OR_RETURN(std::string text, TextAt(row, i, what));
  auto id = Uuid::Parse(text);
  if (!id.ok()) return BadColumn(std::string(what) + " «" + text.substr(0, 64) + "»", "an id");
  return *id;
}

Result<std::optional<Uuid>> OptUuidAt(const SqlRow& row, size_t i, std::string_view what) {
  if (IsNullAt(row, i)) return std::optional<Uuid>();
  ASSIGN_OR_RETURN(Uuid id, UuidAt(row, i, what));
  return std::optional<Uuid>(id);
}

Result<core::Date> DateAt(const SqlRow& row, size_t i, std::string_view what) {
  ASSIGN_OR_RETURN(std::string text, TextAt(row, i, what));
  auto date = core::Date::Parse(text);
  if (!date.ok()) return BadColumn(std::string(what) + " «" + text.substr(0, 64) + "»", "a date");
  return *date;
}

SqlValue OptUuidValue(const std::optional<Uuid>& id) { return id ? SqlText(id->ToString()) : SqlNull(); }

int64_t SeqToSql(uint64_t v) {
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  return static_cast<int64_t>(std::min(v, kMax));
}

int64_t RowsToSql(size_t v) {
  constexpr auto kMax = static_cast<size_t>(std::numeric_limits<int64_t>::max());
  return static_cast<int64_t>(std::min(v, kMax));
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Columns: record_id, school_id, seq, state, district.
constexpr std::string_view kRecordColumns = "record_id, school_id, seq, state, district";

Result<StoredRecord> RecordFromRow(const SqlRow& row) {
  ASSIGN_OR_RETURN(Uuid id, UuidAt(row, 0, "records.record_id"));
  // Read once per stored record on a full scan: the context of an error is made only for one.
  const auto what = [&] { return "record " + id.ToString(); };
  StoredRecord out;
  Result<std::optional<Uuid>> school = OptUuidAt(row, 1, "school_id");
  if (!school.ok()) return school.status().WithContext(what());
  out.school_id = *school;
  Result<uint64_t> seq = SeqAt(row, 2, "seq");
  if (!seq.ok()) return seq.status().WithContext(what());
  out.seq = *seq;
  const std::string* bytes = nullptr;
  if (row.size() > 3) {
    if (const auto* b = std::get_if<SqlBlob>(&row[3])) bytes = &b->bytes;
    if (const auto* t = std::get_if<std::string>(&row[3])) bytes = t;  // SQLite: bytes written as text
  }
  if (bytes == nullptr) return BadColumn(what() + ": state", "bytes");
  auto state = core::DecodeBinary<RecordState>(*bytes);
  if (!state.ok()) {
    const Status& s = state.status();
    if (s.code() == StatusCode::kUnsupported) return s.WithContext(what());
    return Status::Corruption(what() + ": its stored state cannot be read (" + s.message() +
                              "); the server database is damaged");
  }
  if (state->id != id) {
    return Status::Corruption(what() + ": its stored state is of record " + state->id.ToString() +
                              "; the server database is damaged");
  }
  out.state = std::move(state).value();
  if (!IsNullAt(row, 4)) {
    Result<std::string> district = TextAt(row, 4, "district");
    if (!district.ok()) return district.status().WithContext(what());
    out.district = std::move(district).value();
  }
  return out;
}

// Columns: seq, school_id, body.
Result<StoredConflict> ConflictFromRow(const SqlRow& row) {
  StoredConflict out;
  ASSIGN_OR_RETURN(out.seq, SeqAt(row, 0, "conflicts.seq"));
  const std::string what = "conflict at seq " + std::to_string(out.seq);
  ASSIGN_OR_RETURN(out.school_id, OptUuidAt(row, 1, what + ": school_id"));
  ASSIGN_OR_RETURN(std::string bytes, BytesAt(row, 2, what + ": body"));
  auto conflict = sync::DecodeConflict(bytes);
  if (!conflict.ok()) {
    const Status& s = conflict.status();
    if (s.code() == StatusCode::kUnsupported) return s.WithContext(what);
    return Status::Corruption(what + ": its stored body cannot be read (" + s.message() +
                              "); the server database is damaged");
  }
  out.conflict = std::move(conflict).value();
  return out;
}

constexpr std::string_view kAccountColumns =
    "id, login, role, person_id, district, password_hash, disabled, demo, created_millis";

Result<Account> AccountFromRow(const SqlRow& row) {
  Account a;
  ASSIGN_OR_RETURN(a.id, IntAt(row, 0, "accounts.id"));
  const std::string what = "account " + std::to_string(a.id);
  ASSIGN_OR_RETURN(a.login, TextAt(row, 1, what + ": login"));
  ASSIGN_OR_RETURN(int64_t role, IntAt(row, 2, what + ": role"));
  if (role < static_cast<int64_t>(Role::kMentor) || role > static_cast<int64_t>(Role::kAdmin)) {
    return BadColumn(what + ": role " + std::to_string(role), "a role (1..4)");
  }
  a.role = static_cast<Role>(role);
  ASSIGN_OR_RETURN(a.person_id, OptUuidAt(row, 3, what + ": person_id"));
  ASSIGN_OR_RETURN(a.district, TextAt(row, 4, what + ": district"));
  ASSIGN_OR_RETURN(a.password_hash, TextAt(row, 5, what + ": password_hash"));
  ASSIGN_OR_RETURN(a.disabled, BoolAt(row, 6, what + ": disabled"));
  ASSIGN_OR_RETURN(a.demo, BoolAt(row, 7, what + ": demo"));
  ASSIGN_OR_RETURN(a.created_millis, IntAt(row, 8, what + ": created_millis"));
  return a;
}

Result<std::optional<Account>> OneAccount(Result<std::vector<SqlRow>> rows) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Account>();
  ASSIGN_OR_RETURN(Account a, AccountFromRow(rows->front()));
  return std::optional<Account>(std::move(a));
}

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] Schema and migrations (public part)
// -----------------------------------------------------------------------------------------

Status MigrateSchema(SqlSession& session, std::string_view where) {
  const SqlDialect dialect = session.dialect();
  const bool pg = dialect == SqlDialect::kPostgres;
  const std::string tables_query =
      pg ? "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename IN "
         : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ";
  ASSIGN_OR_RETURN(int64_t has_meta, CountOf(session, tables_query + "('meta')"));
  int current = 0;
  if (has_meta == 0) {
    ASSIGN_OR_RETURN(int64_t ours, CountOf(session, tables_query + "(" + std::string(kOurTables) + ")"));
    int64_t any = ours;
    if (!pg) {
      ASSIGN_OR_RETURN(any, CountOf(session, "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"));
    }
    if (any > 0) {
      return Status::Conflict(std::string(where) +
                              " already holds tables but is not a MentorLog server database (no meta table); "
                              "give the server an empty database or one it created");
    }
    RETURN_IF_ERROR(session.Script(pg ? "CREATE TABLE meta (key TEXT COLLATE \"C\" PRIMARY KEY, value TEXT NOT NULL)"
                                      : "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"));
  } else {
    ASSIGN_OR_RETURN(auto rows, session.Query("SELECT value FROM meta WHERE key = 'schema_version'", {}));
    if (rows.empty()) {
      return Status::Conflict(std::string(where) +
                              " has a meta table without a schema_version: it is not a MentorLog server database "
                              "(a device's data file?); give the server its own database");
    }
    ASSIGN_OR_RETURN(std::string text, TextAt(rows[0], 0, "meta.schema_version"));
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), current);
    if (ec != std::errc() || end != text.data() + text.size() || current < 1) {
      return Status::Corruption(std::string(where) + ": meta.schema_version «" + text.substr(0, 32) +
                                "» is not a schema version; the server database is damaged");
    }
    if (current > kSchemaVersion) {
      return Status::Unsupported(std::string(where) + " was written by a newer MentorLog server (schema version " +
                                 std::to_string(current) + "; this server knows up to " +
                                 std::to_string(kSchemaVersion) +
                                 "). Update mentorlog-server to use it; nothing was changed.");
    }
  }
  for (int v = current + 1; v <= kSchemaVersion; ++v) {
    RETURN_IF_ERROR(session.Script(ForDialect(kMigrations[v - 1], dialect))
                        .WithContext(std::string(where) + ": migration " + std::to_string(v)));
  }
  if (current < kSchemaVersion) {
    RETURN_IF_ERROR(session
                        .Query("INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                               "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               {SqlText(std::to_string(kSchemaVersion))})
                        .status());
  }
  return Status::Ok();
}

// -----------------------------------------------------------------------------------------
// [SECTION] Scope
// -----------------------------------------------------------------------------------------

ScopeSql ScopeFilterSql(const ScopeFilter& filter, SqlDialect dialect) {
  ScopeSql out;
  if (filter.all_schools && filter.include_district_wide) {
    out.where = "1 = 1";
    return out;
  }
  std::vector<std::string> any_of;
  if (filter.all_schools) {
    any_of.emplace_back("school_id IS NOT NULL");
  } else if (!filter.schools.empty()) {
    // Ids are hex and dashes: neither JSON nor an array literal needs quoting beyond this.
    std::string list;
    for (const Uuid& id : filter.schools) {
      if (!list.empty()) list += ',';
      list += dialect == SqlDialect::kSqlite ? "\"" + id.ToString() + "\"" : id.ToString();
    }
    if (dialect == SqlDialect::kSqlite) {
      any_of.emplace_back("school_id IN (SELECT value FROM json_each(?))");
      out.param = SqlText("[" + list + "]");
    } else {
      any_of.emplace_back("school_id = ANY(?::text[])");
      out.param = SqlText("{" + list + "}");
    }
  }
  if (filter.include_district_wide) {
    // The district is a parameter after the school list: quoted by the driver, not by us.
    any_of.emplace_back("(school_id IS NULL AND (district = ? OR district = '*'))");
    out.district_param = SqlText(filter.district);
  }
  if (any_of.empty()) {
    out.where = "1 = 0";
    return out;
  }
  out.where = "(";
  for (size_t i = 0; i < any_of.size(); ++i) {
    if (i > 0) out.where += " OR ";
    out.where += any_of[i];
  }
  out.where += ")";
  return out;
}

// -----------------------------------------------------------------------------------------
// [SECTION] SqlStorageTx: records and conflicts
// -----------------------------------------------------------------------------------------

Status SqlStorageTx::RequireWrite(std::string_view op) const {
  if (mode_ == TxMode::kReadWrite) return Status::Ok();
  return Status::Internal(std::string(op) + " inside Storage::Read: writes need Storage::Write");
}

Result<uint64_t> SqlStorageTx::NextSeq() {
  if (!next_seq_) {
    ASSIGN_OR_RETURN(uint64_t last, CommittedSeq());
    next_seq_ = last + 1;
  }
  return (*next_seq_)++;
}

Result<uint64_t> SqlStorageTx::CommittedSeq() {
  ASSIGN_OR_RETURN(auto rows, session_.Query("SELECT value FROM meta WHERE key = 'last_seq'", {}));
  if (rows.empty()) return Status::Corruption("meta.last_seq is missing; the server database is damaged");
  ASSIGN_OR_RETURN(std::string text, TextAt(rows[0], 0, "meta.last_seq"));
  uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Status::Corruption("meta.last_seq «" + text.substr(0, 32) +
                              "» is not a sequence number; the server database is damaged");
  }
  return v;
}

Status SqlStorageTx::BeforeCommit() {
  if (!next_seq_) return Status::Ok();
  return session_.Query("UPDATE meta SET value = ? WHERE key = 'last_seq'", {SqlText(std::to_string(*next_seq_ - 1))})
      .status();
}

Result<std::optional<StoredRecord>> SqlStorageTx::LoadRecord(const Uuid& id) {
  ASSIGN_OR_RETURN(auto rows,
                   session_.Query("SELECT " + std::string(kRecordColumns) + " FROM records WHERE record_id = ?",
                                  {SqlText(id.ToString())}));
  if (rows.empty()) return std::optional<StoredRecord>();
  ASSIGN_OR_RETURN(StoredRecord record, RecordFromRow(rows.front()));
  return std::optional<StoredRecord>(std::move(record));
}

Result<uint64_t> SqlStorageTx::PutRecord(const RecordState& state, const std::optional<Uuid>& school_id,
                                         const std::string& district) {
  RETURN_IF_ERROR(RequireWrite("PutRecord"));
  ASSIGN_OR_RETURN(uint64_t seq, NextSeq());
  RETURN_IF_ERROR(session_
                      .Query("INSERT INTO records (record_id, kind, school_id, deleted, seq, state, district) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (record_id) DO UPDATE SET "
                             "kind = excluded.kind, school_id = excluded.school_id, deleted = excluded.deleted, "
                             "seq = excluded.seq, state = excluded.state, district = excluded.district",
                             {SqlText(state.id.ToString()), SqlInt(static_cast<int64_t>(state.kind)),
                              OptUuidValue(school_id), SqlInt(state.deleted ? 1 : 0), SqlInt(SeqToSql(seq)),
                              SqlBytes(core::EncodeBinary<RecordState>(state)), SqlText(district)})
                      .status()
                      .WithContext("record " + state.id.ToString()));
  return seq;
}

Result<uint64_t> SqlStorageTx::PutConflict(const ConflictRecord& conflict, const std::optional<Uuid>& school_id,
                                           const std::string& district) {
  RETURN_IF_ERROR(RequireWrite("PutConflict"));
  ASSIGN_OR_RETURN(uint64_t seq, NextSeq());
  RETURN_IF_ERROR(
      session_
          .Query("INSERT INTO conflicts (seq, conflict_id, record_id, school_id, body, district) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 {SqlInt(SeqToSql(seq)), SqlText(conflict.id.ToString()), SqlText(conflict.record_id.ToString()),
                  OptUuidValue(school_id), SqlBytes(sync::EncodeConflict(conflict)), SqlText(district)})
          .status()
          .WithContext("conflict " + conflict.id.ToString()));
  return seq;
}

Result<std::vector<StoredRecord>> SqlStorageTx::RecordsInRange(const ScopeFilter& filter, uint64_t after, uint64_t upto,
                                                               size_t max_rows) {
  std::vector<StoredRecord> out;
  if (after >= upto || max_rows == 0) return out;
  const ScopeSql scope = ScopeFilterSql(filter, session_.dialect());
  std::vector<SqlValue> params = {SqlInt(SeqToSql(after)), SqlInt(SeqToSql(upto))};
  if (scope.param) params.push_back(*scope.param);
  if (scope.district_param) params.push_back(*scope.district_param);
  params.push_back(SqlInt(RowsToSql(max_rows)));
  ASSIGN_OR_RETURN(auto rows, session_.Query("SELECT " + std::string(kRecordColumns) +
                                                 " FROM records WHERE seq > ? AND seq <= ? AND " + scope.where +
                                                 " ORDER BY seq LIMIT ?",
                                             params));
  out.reserve(rows.size());
  for (const SqlRow& row : rows) {
    ASSIGN_OR_RETURN(StoredRecord record, RecordFromRow(row));
    out.push_back(std::move(record));
  }
  return out;
}

Result<std::vector<StoredConflict>> SqlStorageTx::ConflictsInRange(const ScopeFilter& filter, uint64_t after,
                                                                   uint64_t upto, size_t max_rows) {
  std::vector<StoredConflict> out;
  if (after >= upto || max_rows == 0) return out;
  const ScopeSql scope = ScopeFilterSql(filter, session_.dialect());
  std::vector<SqlValue> params = {SqlInt(SeqToSql(after)), SqlInt(SeqToSql(upto))};
  if (scope.param) params.push_back(*scope.param);
  if (scope.district_param) params.push_back(*scope.district_param);
  params.push_back(SqlInt(RowsToSql(max_rows)));
  ASSIGN_OR_RETURN(auto rows, session_.Query("SELECT seq, school_id, body FROM conflicts WHERE seq > ? AND seq <= ? "
                                             "AND " +
                                                 scope.where + " ORDER BY seq LIMIT ?",
                                             params));
  out.reserve(rows.size());
  for (const SqlRow& row : rows) {
    ASSIGN_OR_RETURN(StoredConflict conflict, ConflictFromRow(row));
    out.push_back(std::move(conflict));
  }
  return out;
}

Result<uint64_t> SqlStorageTx::MaxSeq() {
  if (next_seq_) return *next_seq_ - 1;  // this transaction's own seqs, not yet in meta
  return CommittedSeq();
}

Status SqlStorageTx::ScanLive(const ScopeFilter& filter, const std::function<Status(const StoredRecord&)>& fn) {
  if (!filter.all_schools) {  // school by school: no sort of the scope (storage.h)
    for (const Uuid& school : filter.schools) RETURN_IF_ERROR(ScanSchool(school, fn, filter.district));
    return filter.include_district_wide ? ScanSchool(std::nullopt, fn, filter.district) : Status::Ok();
  }
  const ScopeSql scope = ScopeFilterSql(filter, session_.dialect());
  const std::string sql = "SELECT " + std::string(kRecordColumns) + " FROM records WHERE deleted = 0 AND " +
                          scope.where + " AND record_id > ? ORDER BY record_id LIMIT ?";
  std::string last;  // "" sorts before every id
  while (true) {
    std::vector<SqlValue> params;
    if (scope.param) params.push_back(*scope.param);
    if (scope.district_param) params.push_back(*scope.district_param);
    params.push_back(SqlText(last));
    params.push_back(SqlInt(kScanPageRows));
    ASSIGN_OR_RETURN(auto rows, session_.Query(sql, params));
    for (const SqlRow& row : rows) {
      ASSIGN_OR_RETURN(StoredRecord record, RecordFromRow(row));
      RETURN_IF_ERROR(fn(record));
    }
    if (static_cast<int64_t>(rows.size()) < kScanPageRows) return Status::Ok();
    ASSIGN_OR_RETURN(last, TextAt(rows.back(), 0, "records.record_id"));
  }
}

Status SqlStorageTx::ScanSchool(const std::optional<Uuid>& school_id,
                                const std::function<Status(const StoredRecord&)>& fn, const std::string& district) {
  const std::string sql = "SELECT " + std::string(kRecordColumns) + " FROM records WHERE " +
                          (school_id ? "school_id = ?" : "school_id IS NULL AND (district = ? OR district = '*')") +
                          " AND deleted = 0";
  std::vector<SqlValue> params;
  params.push_back(school_id ? SqlText(school_id->ToString()) : SqlText(district));
  ASSIGN_OR_RETURN(auto rows, session_.Query(sql, params));
  for (const SqlRow& row : rows) {
    ASSIGN_OR_RETURN(StoredRecord record, RecordFromRow(row));
    RETURN_IF_ERROR(fn(record));
  }
  return Status::Ok();
}

Status SqlStorageTx::ScanKind(core::RecordKind kind, const std::function<Status(const StoredRecord&)>& fn) {
  const std::string sql = "SELECT " + std::string(kRecordColumns) +
                          " FROM records WHERE kind = ? AND deleted = 0 AND record_id > ? ORDER BY record_id LIMIT ?";
  std::string last;  // "" sorts before every id
  while (true) {
    ASSIGN_OR_RETURN(auto rows,
                     session_.Query(sql, {SqlInt(static_cast<int64_t>(kind)), SqlText(last), SqlInt(kScanPageRows)}));
    for (const SqlRow& row : rows) {
      ASSIGN_OR_RETURN(StoredRecord record, RecordFromRow(row));
      RETURN_IF_ERROR(fn(record));
    }
    if (static_cast<int64_t>(rows.size()) < kScanPageRows) return Status::Ok();
    ASSIGN_OR_RETURN(last, TextAt(rows.back(), 0, "records.record_id"));
  }
}

Result<int64_t> SqlStorageTx::CountRecords() { return CountOf(session_, "SELECT count(*) FROM records"); }

// -----------------------------------------------------------------------------------------
// [SECTION] SqlStorageTx: scope indexes and devices
// -----------------------------------------------------------------------------------------

Status SqlStorageTx::PutSchoolIndex(const Uuid& school_id, const std::string& district, bool deleted) {
  RETURN_IF_ERROR(RequireWrite("PutSchoolIndex"));
  return session_
      .Query(
          "INSERT INTO school_index (school_id, district, deleted) VALUES (?, ?, ?) "
          "ON CONFLICT (school_id) DO UPDATE SET district = excluded.district, deleted = excluded.deleted",
          {SqlText(school_id.ToString()), SqlText(district), SqlInt(deleted ? 1 : 0)})
      .status();
}

Result<std::vector<Uuid>> SqlStorageTx::SchoolsOfDistrict(const std::string& district) {
  ASSIGN_OR_RETURN(auto rows, session_.Query("SELECT school_id FROM school_index WHERE district = ? AND deleted = 0 "
                                             "ORDER BY school_id",
                                             {SqlText(district)}));
  std::vector<Uuid> out;
  out.reserve(rows.size());
  for (const SqlRow& row : rows) {
    ASSIGN_OR_RETURN(Uuid id, UuidAt(row, 0, "school_index.school_id"));
    out.push_back(id);
  }
  return out;
}

Result<std::vector<std::string>> SqlStorageTx::Districts() {
  ASSIGN_OR_RETURN(
      auto rows, session_.Query("SELECT DISTINCT district FROM school_index WHERE deleted = 0 ORDER BY district", {}));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const SqlRow& row : rows) {
    ASSIGN_OR_RETURN(std::string d, TextAt(row, 0, "school_index.district"));
    out.push_back(std::move(d));
  }
  return out;
}

Status SqlStorageTx::PutAssignmentIndex(const AssignmentIndexRow& row) {
  RETURN_IF_ERROR(RequireWrite("PutAssignmentIndex"));
  return session_
      .Query(
          "INSERT INTO assignment_index (id, kind, assignee_id, school_id, teacher_id, starts_on, ends_on, "
          "deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, "
          "assignee_id = excluded.assignee_id, school_id = excluded.school_id, teacher_id = excluded.teacher_id, "
          "starts_on = excluded.starts_on, ends_on = excluded.ends_on, deleted = excluded.deleted",
          {SqlText(row.id.ToString()), SqlInt(static_cast<int64_t>(row.kind)), SqlText(row.assignee_id.ToString()),
           SqlText(row.school_id.ToString()), OptUuidValue(row.teacher_id), SqlText(row.starts_on.ToString()),
           row.ends_on ? SqlText(row.ends_on->ToString()) : SqlNull(), SqlInt(row.deleted ? 1 : 0)})
      .status();
}

Result<std::vector<AssignmentIndexRow>> SqlStorageTx::AssignmentsOf(const Uuid& person_id) {
  ASSIGN_OR_RETURN(auto rows, session_.Query("SELECT id, kind, assignee_id, school_id, teacher_id, starts_on, ends_on "
                                             "FROM assignment_index WHERE assignee_id = ? AND deleted = 0 ORDER BY id",
                                             {SqlText(person_id.ToString())}));
  std::vector<AssignmentIndexRow> out;
  out.reserve(rows.size());
  for (const SqlRow& r : rows) {
    AssignmentIndexRow a;
    ASSIGN_OR_RETURN(a.id, UuidAt(r, 0, "assignment_index.id"));
    const std::string what = "assignment " + a.id.ToString();
    ASSIGN_OR_RETURN(int64_t kind, IntAt(r, 1, what + ": kind"));
    if (kind < static_cast<int64_t>(core::AssignmentKind::kMentorSchool) ||
        kind > static_cast<int64_t>(core::AssignmentKind::kTutorSchoolSubject)) {
      return BadColumn(what + ": kind " + std::to_string(kind), "an assignment kind");
    }
    a.kind = static_cast<core::AssignmentKind>(kind);
    ASSIGN_OR_RETURN(a.assignee_id, UuidAt(r, 2, what + ": assignee_id"));
    ASSIGN_OR_RETURN(a.school_id, UuidAt(r, 3, what + ": school_id"));
    ASSIGN_OR_RETURN(a.teacher_id, OptUuidAt(r, 4, what + ": teacher_id"));
    ASSIGN_OR_RETURN(a.starts_on, DateAt(r, 5, what + ": starts_on"));
    if (!IsNullAt(r, 6)) {
      ASSIGN_OR_RETURN(core::Date ends, DateAt(r, 6, what + ": ends_on"));
      a.ends_on = ends;
    }
    a.deleted = false;
    out.push_back(std::move(a));
  }
  return out;
}

Result<uint64_t> SqlStorageTx::DeviceOpSeq(const std::string& device_id) {
  ASSIGN_OR_RETURN(auto rows, session_.Query("SELECT op_seq FROM devices WHERE device_id = ?", {SqlText(device_id)}));
  if (rows.empty()) return uint64_t{0};
  return SeqAt(rows[0], 0, "devices.op_seq of " + device_id);
}

Result<std::optional<int64_t>> SqlStorageTx::DeviceOwner(const std::string& device_id) {
  ASSIGN_OR_RETURN(auto rows,
                   session_.Query("SELECT account_id FROM devices WHERE device_id = ?", {SqlText(device_id)}));
  if (rows.empty()) return std::optional<int64_t>();
  ASSIGN_OR_RETURN(int64_t owner, IntAt(rows[0], 0, "devices.account_id of " + device_id));
  return std::optional<int64_t>(owner);
}

Status SqlStorageTx::PutRejection(const std::string& device_id, uint64_t op_seq, const std::string& body) {
  RETURN_IF_ERROR(RequireWrite("PutRejection"));
  return session_
      .Query(
          "INSERT INTO rejections (device_id, op_seq, body) VALUES (?, ?, ?) "
          "ON CONFLICT (device_id, op_seq) DO UPDATE SET body = excluded.body",
          {SqlText(device_id), SqlInt(SeqToSql(op_seq)), SqlBytes(body)})
      .status();
}

Result<std::vector<std::string>> SqlStorageTx::RejectionsOf(const std::string& device_id, uint64_t first,
                                                            uint64_t last) {
  ASSIGN_OR_RETURN(auto rows, session_.Query("SELECT body FROM rejections WHERE device_id = ? AND op_seq >= ? AND "
                                             "op_seq <= ? ORDER BY op_seq",
                                             {SqlText(device_id), SqlInt(SeqToSql(first)), SqlInt(SeqToSql(last))}));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const SqlRow& row : rows) {
    ASSIGN_OR_RETURN(std::string body, BytesAt(row, 0, "rejections.body of " + device_id));
    out.push_back(std::move(body));
  }
  return out;
}

Status SqlStorageTx::SetDeviceOpSeq(const std::string& device_id, int64_t account_id, uint64_t op_seq) {
  RETURN_IF_ERROR(RequireWrite("SetDeviceOpSeq"));
  return session_
      .Query(
          "INSERT INTO devices (device_id, account_id, op_seq, updated_millis) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (device_id) DO UPDATE SET op_seq = excluded.op_seq, "
          "updated_millis = excluded.updated_millis",
          {SqlText(device_id), SqlInt(account_id), SqlInt(SeqToSql(op_seq)), SqlInt(NowMillis())})
      .status();
}

// -----------------------------------------------------------------------------------------
// [SECTION] SqlStorageTx: accounts and tokens
// -----------------------------------------------------------------------------------------

Result<int64_t> SqlStorageTx::CreateAccount(const Account& account) {
  RETURN_IF_ERROR(RequireWrite("CreateAccount"));
  // Checked first rather than left to the UNIQUE constraint: a failed statement poisons a
  // PostgreSQL transaction, and writers are serialised, so the check cannot race.
  ASSIGN_OR_RETURN(auto existing, FindAccount(account.login));
  if (existing) return Status::Conflict("the login «" + account.login + "» is taken; choose another");
  ASSIGN_OR_RETURN(
      auto rows,
      session_.Query("INSERT INTO accounts (login, role, person_id, district, password_hash, disabled, "
                     "demo, created_millis) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                     {SqlText(account.login), SqlInt(static_cast<int64_t>(account.role)),
                      OptUuidValue(account.person_id), SqlText(account.district), SqlText(account.password_hash),
                      SqlInt(account.disabled ? 1 : 0), SqlInt(account.demo ? 1 : 0), SqlInt(account.created_millis)}));
  if (rows.empty()) return Status::Internal("CreateAccount: no id returned");
  return IntAt(rows[0], 0, "accounts.id");
}

Result<std::optional<Account>> SqlStorageTx::FindAccount(const std::string& login) {
  return OneAccount(
      session_.Query("SELECT " + std::string(kAccountColumns) + " FROM accounts WHERE login = ?", {SqlText(login)}));
}

Result<std::optional<Account>> SqlStorageTx::FindAccountById(int64_t id) {
  return OneAccount(
      session_.Query("SELECT " + std::string(kAccountColumns) + " FROM accounts WHERE id = ?", {SqlInt(id)}));
}

Result<std::vector<Account>> SqlStorageTx::ListAccounts() {
  ASSIGN_OR_RETURN(auto rows,
                   session_.Query("SELECT " + std::string(kAccountColumns) + " FROM accounts ORDER BY id", {}));
  std::vector<Account> out;
  out.reserve(rows.size());
  for (const SqlRow& row : rows) {
    ASSIGN_OR_RETURN(Account a, AccountFromRow(row));
    out.push_back(std::move(a));
  }
  return out;
}

Status SqlStorageTx::UpdateAccount(const Account& account) {
  RETURN_IF_ERROR(RequireWrite("UpdateAccount"));
  ASSIGN_OR_RETURN(auto rows,
                   session_.Query("UPDATE accounts SET password_hash = ?, disabled = ?, role = ?, person_id = ?, "
                                  "district = ? WHERE id = ? RETURNING id",
                                  {SqlText(account.password_hash), SqlInt(account.disabled ? 1 : 0),
                                   SqlInt(static_cast<int64_t>(account.role)), OptUuidValue(account.person_id),
                                   SqlText(account.district), SqlInt(account.id)}));
  if (rows.empty()) return Status::NotFound("no account with id " + std::to_string(account.id));
  return Status::Ok();
}

Status SqlStorageTx::PutToken(const TokenRow& token) {
  RETURN_IF_ERROR(RequireWrite("PutToken"));
  return session_
      .Query(
          "INSERT INTO tokens (token_hash, account_id, device_id, expires_millis, revoked) VALUES (?, ?, ?, ?, ?) "
          "ON CONFLICT (token_hash) DO UPDATE SET account_id = excluded.account_id, "
          "device_id = excluded.device_id, expires_millis = excluded.expires_millis, revoked = excluded.revoked",
          {SqlText(token.token_hash), SqlInt(token.account_id), SqlText(token.device_id), SqlInt(token.expires_millis),
           SqlInt(token.revoked ? 1 : 0)})
      .status();
}

Result<std::optional<TokenRow>> SqlStorageTx::FindToken(const std::string& token_hash) {
  ASSIGN_OR_RETURN(auto rows, session_.Query("SELECT token_hash, account_id, device_id, expires_millis, revoked "
                                             "FROM tokens WHERE token_hash = ?",
                                             {SqlText(token_hash)}));
  if (rows.empty()) return std::optional<TokenRow>();
  const SqlRow& r = rows[0];
  TokenRow t;
  ASSIGN_OR_RETURN(t.token_hash, TextAt(r, 0, "tokens.token_hash"));
  ASSIGN_OR_RETURN(t.account_id, IntAt(r, 1, "tokens.account_id"));
  ASSIGN_OR_RETURN(t.device_id, TextAt(r, 2, "tokens.device_id"));
  ASSIGN_OR_RETURN(t.expires_millis, IntAt(r, 3, "tokens.expires_millis"));
  ASSIGN_OR_RETURN(t.revoked, BoolAt(r, 4, "tokens.revoked"));
  return std::optional<TokenRow>(std::move(t));
}

Status SqlStorageTx::RevokeToken(const std::string& token_hash) {
  RETURN_IF_ERROR(RequireWrite("RevokeToken"));
  ASSIGN_OR_RETURN(auto rows, session_.Query("UPDATE tokens SET revoked = 1 WHERE token_hash = ? RETURNING account_id",
                                             {SqlText(token_hash)}));
  // The hash is not secret, but a prefix is enough to tell tokens apart in a log.
  if (rows.empty()) return Status::NotFound("no token " + token_hash.substr(0, 8) + "…");
  return Status::Ok();
}

Status SqlStorageTx::RevokeTokensOf(int64_t account_id) {
  RETURN_IF_ERROR(RequireWrite("RevokeTokensOf"));
  return session_.Query("UPDATE tokens SET revoked = 1 WHERE account_id = ? AND revoked = 0", {SqlInt(account_id)})
      .status();
}

Result<int64_t> SqlStorageTx::PurgeTokens(int64_t now_millis) {
  RETURN_IF_ERROR(RequireWrite("PurgeTokens"));
  ASSIGN_OR_RETURN(auto rows, session_.Query("DELETE FROM tokens WHERE revoked <> 0 OR expires_millis <= ? "
                                             "RETURNING account_id",
                                             {SqlInt(now_millis)}));
  return static_cast<int64_t>(rows.size());
}

// -----------------------------------------------------------------------------------------
// [SECTION] Helpers
// -----------------------------------------------------------------------------------------

Status SqlSession::CheckParams(const std::vector<SqlValue>& params) {
  for (const SqlValue& v : params) {
    const auto* t = std::get_if<std::string>(&v);
    if (t != nullptr && t->find('\0') != std::string::npos) {
      return Status::InvalidInput("a text value contains a NUL character («" +
                                  t->substr(0, std::min<size_t>(t->find('\0'), 40)) + "…»), which cannot be stored");
    }
  }
  return Status::Ok();
}

std::chrono::milliseconds RetryBackoff(int attempt) {
  // 25, 50, 100, 200 ms: long enough for a restarted PostgreSQL or a checkpoint to pass.
  return std::chrono::milliseconds(25) * (1 << std::clamp(attempt, 0, 6));
}

std::string NumberPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote != 0) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

std::string HexOf(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0F];
  }
  return out;
}

}  // namespace mentorlog::server
