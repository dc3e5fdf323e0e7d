// The local store and its repository API.
//
// [SECTION] Impl: connection, clock, op seq, transactions
// [SECTION] Generic row access (RecordTraits-driven SQL)
// [SECTION] Clocks and outbox
// [SECTION] Save / Get / List / Delete
// [SECTION] Observations and recommendations
// [SECTION] Drafts
// [SECTION] Settings
// [SECTION] Checks
#include "mentorlog/store/store.h"
#include "mentorlog/base/random.h"

#include <charconv>
#include <cmath>
#include <map>
#include <mutex>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "mentorlog/domain/field_codec.h"
#include "mentorlog/domain/rules.h"
#include "mentorlog/domain/serialize.h"
#include "mentorlog/store/sqlite_db.h"
#include "migrations.h"

namespace mentorlog::core {

namespace {

// The change feed's next number (migration 7), as an SQL expression: one step down the
// local_seq index. Read in the write's own statement, so two processes writing the file in
// turn never give two writes one number.
constexpr std::string_view kNextLocalSeq = "(SELECT coalesce(max(local_seq), 0) + 1 FROM record_clocks)";

struct UuidHash {
  size_t operator()(const Uuid& id) const {
    uint64_t h = 0;
    for (size_t i = 8; i < 16; ++i) h = (h << 8) | id.bytes()[i];  // the random half
    return static_cast<size_t>(h);
  }
};

template <class R>
std::vector<FieldValue> EncodeFields(const R& r) {
  std::vector<FieldValue> out;
  out.reserve(FieldCount<R>());
  ForEachFieldDef<R>([&](const auto& def) {
    using T = std::remove_cvref_t<decltype(r.*(def.member))>;
    out.push_back(FieldCodec<T>::Encode(r.*(def.member)));
  });
  return out;
}

template <class R>
std::vector<std::string_view> FieldNames() {
  std::vector<std::string_view> names;
  ForEachFieldDef<R>([&](const auto& def) { names.push_back(def.name); });
  return names;
}

// The clocks column: one line per distinct clock, "hlc device field field ...". One write
// stamps all its fields with one clock, so a record usually has a line or two.
std::string EncodeClocks(const std::vector<std::pair<std::string, FieldClock>>& clocks) {
  std::vector<std::pair<const FieldClock*, std::string>> lines;
  for (const auto& entry : clocks) {
    const std::string& name = entry.first;
    const FieldClock& clock = entry.second;
    auto it = std::find_if(lines.begin(), lines.end(), [&](const auto& l) { return *l.first == clock; });
    if (it == lines.end()) {
      lines.emplace_back(&clock, std::to_string(clock.stamp.value) + ' ' + clock.device_id);
      it = lines.end() - 1;
    }
    it->second += ' ';
    it->second += name;
  }
  std::string s;
  for (const auto& line : lines) {
    s += line.second;
    s += '\n';
  }
  return s;
}

std::vector<std::pair<std::string, FieldClock>> DecodeClocks(std::string_view s) {
  std::vector<std::pair<std::string, FieldClock>> out;
  while (!s.empty()) {
    const size_t nl = s.find('\n');
    std::string_view line = s.substr(0, nl);
    s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
    std::vector<std::string_view> words;
    while (!line.empty()) {
      const size_t sp = line.find(' ');
      words.push_back(line.substr(0, sp));
      line = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
    }
    if (words.size() < 3) continue;
    FieldClock clock;
    std::from_chars(words[0].data(), words[0].data() + words[0].size(), clock.stamp.value);
    clock.device_id = std::string(words[1]);
    for (size_t i = 2; i < words.size(); ++i) out.emplace_back(std::string(words[i]), clock);
  }
  return out;
}

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] Impl
// -----------------------------------------------------------------------------------------

class Store::Impl final : public ValidationContext {
 public:
  Impl(std::unique_ptr<Database> db, StoreOptions options, const mentorlog::Clock& clock)
      : db_(std::move(db)), options_(std::move(options)), clock_(clock), hlc_(clock) {}

  // ValidationContext: lookups run on the store's connection (and see the open transaction).
  Date Today() const override { return Date::FromUnixMillis(clock_.NowMillis(), clock_.UtcOffsetMinutes()); }
  std::optional<School> FindSchool(const Uuid& id) const override { return Cached<School>(id); }
  std::optional<Person> FindPerson(const Uuid& id) const override { return Cached<Person>(id); }
  std::optional<Observation> FindObservation(const Uuid& id) const override { return Find<Observation>(id); }
  // A deleted source still has its date (tombstones keep the row), so the recommendations it
  // produced stay editable after the visit is deleted.
  std::optional<Date> SourceDate(SourceKind kind, const Uuid& id) const override {
    auto date_of = [&]<class R>() -> std::optional<Date> {
      auto r = const_cast<Impl*>(this)->Load<R>(id);
      if (!r.ok() || !r->has_value()) return std::nullopt;
      return r->value().first.date;
    };
    switch (kind) {
      case SourceKind::kVisit:
        return date_of.template operator()<Visit>();
      case SourceKind::kObservation:
        return date_of.template operator()<Observation>();
      case SourceKind::kConsultation:
        return date_of.template operator()<Consultation>();
    }
    return std::nullopt;
  }
  std::optional<Rubric> FindRubric(std::string_view code, int64_t version) const override;

  // Schools and people are looked up by nearly every validation; they change rarely, so the
  // last ones found are kept until a write of their kind or a rollback.
  template <class R>
  std::optional<R> Cached(const Uuid& id) const {
    std::lock_guard lock(mu_);
    auto& cache = std::get<std::unordered_map<Uuid, R, UuidHash>>(lookup_cache_.maps);
    if (auto it = cache.find(id); it != cache.end()) return it->second;
    auto found = Find<R>(id);
    if (found) {
      if (cache.size() > 4096) cache.clear();
      cache.emplace(id, *found);
    }
    return found;
  }

  template <class R>
  std::optional<R> Find(const Uuid& id) const {
    auto r = const_cast<Impl*>(this)->Load<R>(id);
    if (!r.ok() || !r->has_value() || r->value().second) return std::nullopt;
    return r->value().first;
  }

  Status Migrate(int target);
  Status LoadCounters();
  Status BindDeviceId();
  Status InTransaction(const std::function<Status()>& fn);
  Status Exec(const std::string& sql);
  // Runs one repository write: in its own transaction, or inside the open one. `fn` sets
  // `wrote` before its first statement that changes the file.
  Status WriteOnce(const std::function<Status(bool& wrote)>& fn);

  template <class R>
  Result<std::optional<std::pair<R, bool>>> Load(const Uuid& id);  // (record, deleted)
  template <class R>
  Result<std::vector<R>> ListAll();

  template <class R>
  Result<R> Save(R record, EditAction mode);
  Status Delete(RecordKind kind, const Uuid& id);

  Result<RecordClocks> Clocks(RecordKind kind, const Uuid& id);
  Status WriteClocksAndOutbox(RecordKind kind, const Uuid& id, std::vector<FieldChange> fields, ChangeOp op,
                              HlcStamp stamp, bool existed);

  std::unique_ptr<Database> db_;
  StoreOptions options_;
  const mentorlog::Clock& clock_;
  HybridLogicalClock hlc_;
  uint64_t next_op_seq_ = 1;
  int schema_version_ = 0;  // of the file as opened (kLatestSchemaVersion once migrated)
  int tx_depth_ = 0;
  // Set when a repository write failed after its first statement inside an open transaction:
  // that write is half done, so the enclosing InTransaction must roll back (see WriteOnce).
  Status poisoned_;
  mutable std::recursive_mutex mu_;
  mutable std::map<std::pair<std::string, int64_t>, Rubric> rubric_cache_;
  struct LookupCache {
    std::tuple<std::unordered_map<Uuid, School, UuidHash>, std::unordered_map<Uuid, Person, UuidHash>> maps;
    void clear() {
      std::get<0>(maps).clear();
      std::get<1>(maps).clear();
    }
  };
  mutable LookupCache lookup_cache_;
};

Status Store::Impl::Migrate(int target) {
  const auto migrations = Migrations();
  if (target < 1 || target > static_cast<int>(migrations.size())) {
    return Status::Internal("asked for schema version " + std::to_string(target));
  }
  RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  auto migrate = [&]() -> Status {
    ASSIGN_OR_RETURN(Statement * st, db_->Prepare("PRAGMA user_version"));
    ASSIGN_OR_RETURN(bool row, st->Step());
    int current = row ? static_cast<int>(st->ColumnInt(0)) : 0;
    st->Reset();
    if (current > static_cast<int>(migrations.size())) {
      return Status::Unsupported(
          LocalText{"Файл данных (" + options_.path.string() + ") создан более новой версией MentorLog (схема " +
                        std::to_string(current) + ", эта программа знает до " + std::to_string(migrations.size()) +
                        "). Обновите MentorLog, чтобы открыть его; файл не изменён.",
                    "This data file (" + options_.path.string() + ") was written by a newer MentorLog (schema " +
                        std::to_string(current) + "; this program knows up to " + std::to_string(migrations.size()) +
                        "). Update MentorLog to open it; the file was not changed."});
    }
    if (current == 0) {
      // A fresh file must be empty: never write our tables into someone else's database.
      ASSIGN_OR_RETURN(Statement * t, db_->Prepare("SELECT count(*) FROM sqlite_master"));
      ASSIGN_OR_RETURN(bool has, t->Step());
      const int64_t tables = has ? t->ColumnInt(0) : 0;
      t->Reset();
      if (tables > 0) {
        return Status::Corruption(LocalText{
            options_.path.string() + " — файл SQLite, но не хранилище MentorLog; выберите другую папку данных.",
            options_.path.string() + " is an SQLite file but not a MentorLog store; choose another data folder."});
      }
    }
    for (int v = current + 1; v <= target; ++v) {
      RETURN_IF_ERROR(db_->Exec(migrations[static_cast<size_t>(v - 1)]).WithContext("migration " + std::to_string(v)));
    }
    if (target > current) RETURN_IF_ERROR(db_->Exec("PRAGMA user_version = " + std::to_string(target)));
    schema_version_ = std::max(current, target);
    return Status::Ok();
  };
  Status s = migrate();
  if (!s.ok()) {
    (void)db_->Exec("ROLLBACK");
    return s;
  }
  return db_->Exec("COMMIT");
}

// The device id lives in the store, next to the outbox it keys: a new store gets a new id,
// so a device whose data file was deleted can never restart its op seqs under an id the
// server has already seen (the server would skip them as replays).
Status Store::Impl::BindDeviceId() {
  ASSIGN_OR_RETURN(Statement * get, db_->Prepare("SELECT value FROM meta WHERE key = 'device_id'"));
  ASSIGN_OR_RETURN(bool row, get->Step());
  std::string stored = row ? std::string(get->ColumnText(0)) : std::string();
  get->Reset();
  if (!stored.empty()) {
    if (!options_.device_id.empty() && options_.device_id != stored) {
      return Status::InvalidInput(LocalText{"Файл данных " + options_.path.string() + " принадлежит устройству " +
                                                stored + ", а не " + options_.device_id + ".",
                                            "The data file " + options_.path.string() + " belongs to device " + stored +
                                                ", not " + options_.device_id + "."});
    }
    options_.device_id = stored;
    return Status::Ok();
  }
  if (options_.device_id.empty()) {
    unsigned char bytes[16];
    RETURN_IF_ERROR(mentorlog::RandomBytes(bytes, sizeof(bytes)));
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned char b : bytes) {
      options_.device_id += kHex[b >> 4];
      options_.device_id += kHex[b & 0xf];
    }
  }
  ASSIGN_OR_RETURN(Statement * put, db_->Prepare("INSERT INTO meta (key, value) VALUES ('device_id', ?)"));
  put->BindText(1, options_.device_id);
  RETURN_IF_ERROR(put->Run());
  return Status::Ok();
}

Status Store::Impl::LoadCounters() {
  ASSIGN_OR_RETURN(Statement * st, db_->Prepare("SELECT max(op_seq) FROM outbox WHERE device_id = ?"));
  st->BindText(1, options_.device_id);
  ASSIGN_OR_RETURN(bool row, st->Step());
  next_op_seq_ = row && !st->ColumnIsNull(0) ? static_cast<uint64_t>(st->ColumnInt(0)) + 1 : 1;
  st->Reset();
  // The HLC never goes back across restarts: start after the newest stamp stored.
  ASSIGN_OR_RETURN(Statement * h, db_->Prepare("SELECT max(max_hlc) FROM record_clocks"));
  ASSIGN_OR_RETURN(bool hrow, h->Step());
  if (hrow && !h->ColumnIsNull(0)) hlc_.Observe(HlcStamp{static_cast<uint64_t>(h->ColumnInt(0))});
  h->Reset();
  return Status::Ok();
}

Status Store::Impl::Exec(const std::string& sql) {
  // Prepared once and reused: BEGIN/SAVEPOINT/RELEASE run for every repository write.
  ASSIGN_OR_RETURN(Statement * st, db_->Prepare(sql));
  return st->Run();
}

Status Store::Impl::InTransaction(const std::function<Status()>& fn) {
  std::lock_guard lock(mu_);
  // A transaction poisoned by a half-done write is doomed: a nested scope must not start (its
  // rollback would clear the poison while the half-done write stays outside it).
  if (!poisoned_.ok()) return poisoned_;
  const std::string savepoint = "sp" + std::to_string(tx_depth_);
  RETURN_IF_ERROR(Exec(tx_depth_ == 0 ? std::string("BEGIN IMMEDIATE") : "SAVEPOINT " + savepoint));
  ++tx_depth_;
  Status s = fn();
  --tx_depth_;
  if (s.ok() && !poisoned_.ok()) s = poisoned_;  // a write inside failed half-way: undo it all
  if (s.ok()) {
    s = Exec(tx_depth_ == 0 ? std::string("COMMIT") : "RELEASE " + savepoint);
    if (s.ok()) return s;
  }
  if (tx_depth_ == 0) {
    (void)Exec("ROLLBACK");
  } else {
    (void)Exec("ROLLBACK TO " + savepoint);
    (void)Exec("RELEASE " + savepoint);
  }
  poisoned_ = Status::Ok();  // the half-done write is rolled back with the rest
  // What the rolled-back work cached or counted is void: lookups may name rows that are gone,
  // and its op seqs are free again.
  lookup_cache_.clear();
  Status reload = LoadCounters();
  return s.ok() ? reload : s;
}

Status Store::Impl::WriteOnce(const std::function<Status(bool& wrote)>& fn) {
  std::lock_guard lock(mu_);
  bool wrote = false;
  if (tx_depth_ == 0) return InTransaction([&] { return fn(wrote); });
  // Inside a transaction, a savepoint per write would cost a statement journal for every row
  // (a quarter of a write's time in bench/store_write_bench). Checks fail before the first
  // statement and leave nothing behind; a failure after it poisons the transaction instead.
  Status s = fn(wrote);
  if (!s.ok() && wrote && poisoned_.ok()) poisoned_ = s;
  return s;
}

std::optional<Rubric> Store::Impl::FindRubric(std::string_view code, int64_t version) const {
  std::lock_guard lock(mu_);
  const auto key = std::make_pair(std::string(code), version);
  if (auto it = rubric_cache_.find(key); it != rubric_cache_.end()) return it->second;
  auto st = db_->Prepare("SELECT body_json FROM rubric_templates WHERE code = ? AND version = ? AND deleted = 0");
  if (!st.ok()) return std::nullopt;
  (*st)->BindText(1, code);
  (*st)->BindInt(2, version);
  auto row = (*st)->Step();
  if (!row.ok() || !*row) return std::nullopt;
  auto rubric = ParseRubric((*st)->ColumnText(0), code);
  (*st)->Reset();
  if (!rubric.ok()) return std::nullopt;
  rubric_cache_.emplace(key, *rubric);  // templates are immutable once released
  return *rubric;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Generic row access
// -----------------------------------------------------------------------------------------

template <class R>
static const std::string& SelectColumns() {
  static const std::string cols = [] {
    std::string s = "id, deleted";
    for (auto n : FieldNames<R>()) s += ", " + std::string(n);
    return s;
  }();
  return cols;
}

template <class R>
static Status DecodeRow(Statement& st, R& r, bool& deleted) {
  ASSIGN_OR_RETURN(r.id, Uuid::Parse(st.ColumnText(0)));
  deleted = st.ColumnInt(1) != 0;
  int col = 2;
  Status status;
  ForEachFieldDef<R>([&](const auto& def) {
    if (!status.ok()) return;
    using T = std::remove_cvref_t<decltype(r.*(def.member))>;
    status = FieldCodec<T>::Decode(st.Column(col++), r.*(def.member))
                 .WithContext(std::string(RecordTraits<R>::kTable) + "." + std::string(def.name));
  });
  if (!status.ok()) return Status::Corruption(status.message());
  return Status::Ok();
}

template <class R>
Result<std::optional<std::pair<R, bool>>> Store::Impl::Load(const Uuid& id) {
  std::lock_guard lock(mu_);
  static const std::string sql =
      "SELECT " + SelectColumns<R>() + " FROM " + std::string(RecordTraits<R>::kTable) + " WHERE id = ?";
  ASSIGN_OR_RETURN(Statement * st, db_->Prepare(sql));
  st->BindText(1, id.ToString());
  ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return std::optional<std::pair<R, bool>>();
  R r;
  bool deleted = false;
  Status s = DecodeRow(*st, r, deleted);
  st->Reset();
  RETURN_IF_ERROR(s);
  return std::optional<std::pair<R, bool>>(std::make_pair(std::move(r), deleted));
}

// Every row `st` yields, decoded; the statement is reset whatever happens.
template <class R>
static Result<std::vector<R>> DecodeRows(Statement& st) {
  std::vector<R> out;
  RETURN_IF_ERROR(st.EachRow([&]() -> Status {
    R r;
    bool deleted = false;
    RETURN_IF_ERROR(DecodeRow(st, r, deleted));
    out.push_back(std::move(r));
    return Status::Ok();
  }));
  return out;
}

template <class R>
Result<std::vector<R>> Store::Impl::ListAll() {
  std::lock_guard lock(mu_);
  static const std::string sql = "SELECT " + SelectColumns<R>() + " FROM " + std::string(RecordTraits<R>::kTable) +
                                 " WHERE deleted = 0 ORDER BY id";
  ASSIGN_OR_RETURN(Statement * st, db_->Prepare(sql));
  return DecodeRows<R>(*st);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Clocks and outbox
// -----------------------------------------------------------------------------------------

Result<RecordClocks> Store::Impl::Clocks(RecordKind kind, const Uuid& id) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare("SELECT kind, clocks, deleted_hlc, deleted_device FROM record_clocks WHERE record_id = ?"));
  st->BindText(1, id.ToString());
  ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return Status::NotFound("no clocks for " + id.ToString());
  RecordClocks out;
  out.kind = static_cast<RecordKind>(st->ColumnInt(0));
  out.record_id = id;
  out.fields = DecodeClocks(st->ColumnText(1));
  if (!st->ColumnIsNull(2)) {
    out.deleted = FieldClock{HlcStamp{static_cast<uint64_t>(st->ColumnInt(2))}, st->ColumnText(3)};
  }
  st->Reset();
  if (out.kind != kind) return Status::NotFound(id.ToString() + " is not a " + std::string(EnumCode(kind)));
  return out;
}

Status Store::Impl::WriteClocksAndOutbox(RecordKind kind, const Uuid& id, std::vector<FieldChange> fields, ChangeOp op,
                                         HlcStamp stamp, bool existed) {
  const std::string id_text = id.ToString();
  const FieldClock clock{stamp, options_.device_id};
  if (op == ChangeOp::kDelete) {
    ASSIGN_OR_RETURN(
        Statement * st,
        db_->Prepare("UPDATE record_clocks SET deleted_hlc = ?, deleted_device = ?, max_hlc = ?, pulled = 0, "
                     "local_seq = " +
                     std::string(kNextLocalSeq) + " WHERE record_id = ?"));
    st->BindInt(1, static_cast<int64_t>(stamp.value));
    st->BindText(2, options_.device_id);
    st->BindInt(3, static_cast<int64_t>(stamp.value));
    st->BindText(4, id_text);
    RETURN_IF_ERROR(st->Run());
  } else {
    std::vector<std::pair<std::string, FieldClock>> clocks;
    if (existed) {
      ASSIGN_OR_RETURN(RecordClocks old, Clocks(kind, id));
      clocks = std::move(old.fields);
    }
    for (auto& f : fields) {
      auto it = std::find_if(clocks.begin(), clocks.end(), [&](const auto& c) { return c.first == f.field; });
      if (it == clocks.end()) {
        clocks.emplace_back(f.field, clock);
      } else {
        f.base = it->second;  // what this write replaces: the server tells concurrent edits by it
        it->second = clock;
      }
    }
    ASSIGN_OR_RETURN(Statement * st,
                     db_->Prepare("INSERT INTO record_clocks (record_id, kind, clocks, max_hlc, local_seq) "
                                  "VALUES (?, ?, ?, ?, " +
                                  std::string(kNextLocalSeq) +
                                  ") ON CONFLICT (record_id) DO UPDATE SET clocks = excluded.clocks, "
                                  "max_hlc = excluded.max_hlc, pulled = 0, local_seq = excluded.local_seq"));
    st->BindText(1, id_text);
    st->BindInt(2, static_cast<int64_t>(kind));
    st->BindText(3, EncodeClocks(clocks));
    st->BindInt(4, static_cast<int64_t>(stamp.value));
    RETURN_IF_ERROR(st->Run());
  }

  Change change;
  change.device_id = options_.device_id;
  change.op_seq = next_op_seq_;
  change.kind = kind;
  change.record_id = id;
  change.op = op;
  change.fields = fields;
  change.stamp = stamp;
  ASSIGN_OR_RETURN(
      Statement * ob,
      db_->Prepare(
          "INSERT INTO outbox (device_id, op_seq, kind, record_id, op, hlc, payload) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  ob->BindText(1, options_.device_id);
  ob->BindInt(2, static_cast<int64_t>(change.op_seq));
  ob->BindInt(3, static_cast<int64_t>(kind));
  ob->BindText(4, id_text);
  ob->BindInt(5, static_cast<int64_t>(op));
  ob->BindInt(6, static_cast<int64_t>(stamp.value));
  ob->BindBlob(7, EncodeBinary(change));
  RETURN_IF_ERROR(ob->Run());
  ++next_op_seq_;
  return Status::Ok();
}

// -----------------------------------------------------------------------------------------
// [SECTION] Save / Get / List / Delete
// -----------------------------------------------------------------------------------------

template <class R>
Result<R> Store::Impl::Save(R record, EditAction mode) {
  std::lock_guard lock(mu_);
  // The record's own rules refuse any change; a rule across records only a change of its field
  // (validation.h, RuleSpan): checked, all at once, when the changed fields are known.
  const ValidationErrors errors = Validate(record, *this);
  Status s = WriteOnce([&](bool& wrote) -> Status {
    std::optional<R> stored;
    if (record.id.IsNil()) {
      record.id = Uuid::MakeV7(clock_.NowMillis());
    } else {
      ASSIGN_OR_RETURN(auto loaded, Load<R>(record.id));
      if (loaded) {
        if (loaded->second) {
          return DeletedRecordRefusal();
        }
        stored = std::move(loaded->first);
      } else {
        // An id is unique across kinds: record_clocks is keyed by it alone.
        ASSIGN_OR_RETURN(Statement * st, db_->Prepare("SELECT kind FROM record_clocks WHERE record_id = ?"));
        st->BindText(1, record.id.ToString());
        ASSIGN_OR_RETURN(bool taken, st->Step());
        const auto other = static_cast<RecordKind>(taken ? st->ColumnInt(0) : 0);
        st->Reset();
        if (taken) return IdOfAnotherKind(record.id, other);
      }
    }
    ASSIGN_OR_RETURN(SavePlan plan, PlanSave(stored ? &*stored : nullptr, record, errors, mode));
    if (plan.changed.empty()) return Status::Ok();
    const bool existed = plan.existed;
    const std::vector<size_t>& changed = plan.changed;
    const std::vector<FieldValue> values = EncodeFields(record);  // the id is not a field
    static const auto names = FieldNames<R>();
    if constexpr (std::is_same_v<R, School> || std::is_same_v<R, Person>) {
      std::get<std::unordered_map<Uuid, R, UuidHash>>(lookup_cache_.maps).erase(record.id);
    }

    const std::string table(RecordTraits<R>::kTable);
    static const std::string insert_sql = [&] {
      std::string q = "INSERT INTO " + table + " (id";
      for (auto n : names) q += ", " + std::string(n);
      q += ") VALUES (?";
      for (size_t i = 0; i < names.size(); ++i) q += ", ?";
      return q + ")";
    }();
    std::string sql;
    if (!existed) {
      sql = insert_sql;
    } else {
      sql = "UPDATE " + table + " SET ";
      for (size_t k = 0; k < changed.size(); ++k) sql += (k ? ", " : "") + std::string(names[changed[k]]) + " = ?";
      sql += " WHERE id = ?";
    }
    ASSIGN_OR_RETURN(Statement * st, db_->Prepare(sql));
    wrote = true;
    int index = 1;
    if (!existed) st->BindText(index++, record.id.ToString());
    for (size_t i : changed) st->BindValue(index++, values[i]);
    if (existed) st->BindText(index++, record.id.ToString());
    RETURN_IF_ERROR(st->Run());

    const HlcStamp stamp = hlc_.Now();
    std::vector<FieldChange> fields;
    fields.reserve(changed.size());
    for (size_t i : changed) fields.push_back({std::string(names[i]), values[i], stamp, {}});
    return WriteClocksAndOutbox(RecordTraits<R>::kKind, record.id, fields, ChangeOp::kUpsert, stamp, existed);
  });
  RETURN_IF_ERROR(s);
  return record;
}

Status Store::Impl::Delete(RecordKind kind, const Uuid& id) {
  return WriteOnce([&](bool& wrote) -> Status {
    lookup_cache_.clear();
    wrote = true;
    const std::string table(KindTable(kind));
    ASSIGN_OR_RETURN(Statement * st, db_->Prepare("UPDATE " + table + " SET deleted = 1 WHERE id = ? AND deleted = 0"));
    st->BindText(1, id.ToString());
    RETURN_IF_ERROR(st->Run());
    if (db_->Changes() == 0) {
      return NoSuchRecord(kind, id, /*to_delete=*/true);
    }
    return WriteClocksAndOutbox(kind, id, {}, ChangeOp::kDelete, hlc_.Now(), true);
  });
}

// -----------------------------------------------------------------------------------------
// Store: the public face
// -----------------------------------------------------------------------------------------

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  ASSIGN_OR_RETURN(auto db, Database::Open(options.path));
  const mentorlog::Clock& clock = options.clock ? *options.clock : platform::DefaultClock();
  auto impl = std::make_unique<Impl>(std::move(db), options, clock);
  RETURN_IF_ERROR(impl->Migrate(kLatestSchemaVersion));
  RETURN_IF_ERROR(impl->BindDeviceId());
  RETURN_IF_ERROR(impl->LoadCounters());
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

int Store::schema_version() const { return impl_->schema_version_; }
const std::string& Store::device_id() const { return impl_->options_.device_id; }
Date Store::Today() const { return impl_->Today(); }

template <class R>
Result<R> Store::Save(R record) {
  return impl_->Save(std::move(record), EditAction::kSave);
}

template <class R>
Result<R> Store::Get(const Uuid& id) const {
  ASSIGN_OR_RETURN(auto loaded, impl_->Load<R>(id));
  if (!loaded || loaded->second) return NoSuchRecord(RecordTraits<R>::kKind, id);
  return std::move(loaded->first);
}

template <class R>
Result<std::vector<R>> Store::List() const {
  return impl_->ListAll<R>();
}

template <class R>
Result<std::vector<R>> Store::ListBy(std::string_view field, const Uuid& id) const {
  bool is_id_field = false;
  ForEachFieldDef<R>([&](const auto& def) {
    using T = std::remove_cvref_t<decltype(std::declval<R>().*(def.member))>;
    if (def.name == field && (std::is_same_v<T, Uuid> || std::is_same_v<T, std::optional<Uuid>>)) is_id_field = true;
  });
  if (!is_id_field) {
    return Status::InvalidInput("ListBy: " + std::string(RecordTraits<R>::kTable) + " has no id field «" +
                                std::string(field) + "»");
  }
  std::lock_guard lock(impl_->mu_);
  // `field` is one of R's own names (checked above), so it is safe in the SQL text.
  const std::string sql = "SELECT " + SelectColumns<R>() + " FROM " + std::string(RecordTraits<R>::kTable) + " WHERE " +
                          std::string(field) + " = ? AND deleted = 0 ORDER BY id";
  ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare(sql));
  st->BindText(1, id.ToString());
  return DecodeRows<R>(*st);
}

template <class R>
ValidationErrors Store::RuleWarnings(const R& record) const {
  ValidationErrors errors;
  {
    std::lock_guard lock(impl_->mu_);
    errors = Validate(record, *impl_);
  }
  std::erase_if(errors, [](const FieldError& e) { return e.span != RuleSpan::kAcrossRecords; });
  return errors;
}

Status Store::Delete(RecordKind kind, const Uuid& id) { return impl_->Delete(kind, id); }
Status Store::InTransaction(const std::function<Status()>& fn) { return impl_->InTransaction(fn); }

#define MENTORLOG_STORE_INSTANTIATE(R)                                                   \
  template Result<R> Store::Save<R>(R);                                                  \
  template Result<R> Store::Get<R>(const Uuid&) const;                                   \
  template Result<std::vector<R>> Store::List<R>() const;                                \
  template Result<std::vector<R>> Store::ListBy<R>(std::string_view, const Uuid&) const; \
  template ValidationErrors Store::RuleWarnings<R>(const R&) const;
MENTORLOG_RECORD_TYPES(MENTORLOG_STORE_INSTANTIATE)
#undef MENTORLOG_STORE_INSTANTIATE

// -----------------------------------------------------------------------------------------
// [SECTION] Observations and recommendations
// -----------------------------------------------------------------------------------------

Result<std::vector<ObservationScore>> Store::ScoresOf(const Uuid& observation_id) const {
  std::lock_guard lock(impl_->mu_);
  static const std::string sql = "SELECT " + SelectColumns<ObservationScore>() +
                                 " FROM observation_scores WHERE observation_id = ? AND deleted = 0 ORDER BY id";
  ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare(sql));
  st->BindText(1, observation_id.ToString());
  return DecodeRows<ObservationScore>(*st);
}

Result<Store::SchoolActivity> Store::ActivityOf(const Uuid& school_id, Date today) const {
  std::lock_guard lock(impl_->mu_);
  const std::string school = school_id.ToString();
  const std::string day = today.ToString();
  SchoolActivity out;
  for (const char* table : {"visits", "observations", "consultations"}) {
    // max() over the (school_id, date) index: SQLite walks it backwards to the first live row.
    ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare(std::string("SELECT max(date) FROM ") + table +
                                                         " WHERE school_id = ? AND date <= ? AND deleted = 0"));
    st->BindText(1, school);
    st->BindText(2, day);
    ASSIGN_OR_RETURN(bool row, st->Step());
    if (row && !st->ColumnIsNull(0)) {
      auto date = Date::Parse(st->ColumnText(0));
      if (date.ok() && (!out.last_contact || *date > *out.last_contact)) out.last_contact = *date;
    }
    st->Reset();
  }
  static const std::string open_sql =
      "SELECT count(*), coalesce(sum(due_on < ?), 0) FROM recommendations "
      "WHERE school_id = ? AND status IN ('" +
      std::string(EnumCode(RecommendationStatus::kOpen)) + "', '" +
      std::string(EnumCode(RecommendationStatus::kInProgress)) + "') AND deleted = 0";
  ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare(open_sql));
  st->BindText(1, day);
  st->BindText(2, school);
  ASSIGN_OR_RETURN(bool row, st->Step());
  if (row) {
    out.open_recommendations = st->ColumnInt(0);
    out.overdue_recommendations = st->ColumnInt(1);
  }
  st->Reset();
  return out;
}

Result<RecordState> Store::SaveState(RecordState state, EditAction action) {
  return VisitKind(state.kind, [&]<class R>() -> Result<RecordState> {
    ASSIGN_OR_RETURN(R record, RecordFromState<R>(state));
    ASSIGN_OR_RETURN(R saved, impl_->Save(std::move(record), action));
    return StateFromRecord(saved);
  });
}

Result<std::optional<RecordState>> Store::LiveState(RecordKind kind, const Uuid& id) const {
  return VisitKind(kind, [&]<class R>() -> Result<std::optional<RecordState>> {
    ASSIGN_OR_RETURN(auto loaded, impl_->Load<R>(id));
    if (!loaded || loaded->second) return std::optional<RecordState>();
    return std::optional<RecordState>(StateFromRecord(loaded->first));
  });
}

Status Store::ForEachLive(RecordKind kind, std::string_view field, const Uuid& id,
                          const std::function<Status(const RecordState&)>& fn) const {
  return VisitKind(kind, [&]<class R>() -> Status {
    ASSIGN_OR_RETURN(std::vector<R> records, field.empty() ? List<R>() : ListBy<R>(field, id));
    for (const R& r : records) RETURN_IF_ERROR(fn(StateFromRecord(r)));
    return Status::Ok();
  });
}

Result<std::optional<RecordKind>> Store::KindOf(const Uuid& id) const {
  std::lock_guard lock(impl_->mu_);
  ASSIGN_OR_RETURN(Statement * st,
                   impl_->db_->Prepare("SELECT kind FROM record_clocks WHERE record_id = ? AND deleted_hlc IS NULL"));
  st->BindText(1, id.ToString());
  ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<RecordKind> out;
  if (row) out = static_cast<RecordKind>(st->ColumnInt(0));
  st->Reset();
  return out;
}

Result<RecordClocks> Store::ClocksOf(RecordKind kind, const Uuid& id) const { return impl_->Clocks(kind, id); }

Result<std::vector<OutboxEntry>> Store::PendingChanges(size_t limit) const {
  std::lock_guard lock(impl_->mu_);
  ASSIGN_OR_RETURN(Statement * st,
                   impl_->db_->Prepare("SELECT payload, acked FROM outbox WHERE acked = 0 ORDER BY op_seq LIMIT ?"));
  st->BindInt(1, static_cast<int64_t>(limit));
  std::vector<OutboxEntry> out;
  RETURN_IF_ERROR(st->EachRow([&]() -> Status {
    auto change = DecodeBinary<Change>(st->ColumnBlob(0));
    if (!change.ok()) return change.status().WithContext("outbox");
    out.push_back({std::move(change).value(), st->ColumnInt(1) != 0});
    return Status::Ok();
  }));
  return out;
}

Result<int64_t> Store::PendingCount() const {
  std::lock_guard lock(impl_->mu_);
  ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare("SELECT count(*) FROM outbox WHERE acked = 0"));
  ASSIGN_OR_RETURN(bool row, st->Step());
  const int64_t n = row ? st->ColumnInt(0) : 0;
  st->Reset();
  return n;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Sync's side: states, acks, conflicts, rejections, sync state
// -----------------------------------------------------------------------------------------

Status Store::MarkAcked(uint64_t op_seq) {
  std::lock_guard lock(impl_->mu_);
  ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare("UPDATE outbox SET acked = 1 WHERE acked = 0 AND op_seq <= ?"));
  st->BindInt(1, static_cast<int64_t>(op_seq));
  return st->Run();
}

Result<std::optional<RecordState>> Store::StateOf(const Uuid& id) const {
  std::lock_guard lock(impl_->mu_);
  ASSIGN_OR_RETURN(Statement * c,
                   impl_->db_->Prepare("SELECT kind, clocks, deleted_hlc, deleted_device FROM record_clocks "
                                       "WHERE record_id = ?"));
  c->BindText(1, id.ToString());
  ASSIGN_OR_RETURN(bool row, c->Step());
  if (!row) {
    c->Reset();
    return std::optional<RecordState>();
  }
  RecordState state;
  state.kind = static_cast<RecordKind>(c->ColumnInt(0));
  state.id = id;
  const auto clocks = DecodeClocks(c->ColumnText(1));
  if (!c->ColumnIsNull(2)) {
    state.deleted = FieldClock{HlcStamp{static_cast<uint64_t>(c->ColumnInt(2))}, c->ColumnText(3)};
  }
  c->Reset();
  Status s = VisitKind(state.kind, [&]<class R>() -> Status {
    static const std::string sql =
        "SELECT " + SelectColumns<R>() + " FROM " + std::string(RecordTraits<R>::kTable) + " WHERE id = ?";
    ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare(sql));
    st->BindText(1, id.ToString());
    ASSIGN_OR_RETURN(bool found, st->Step());
    if (!found) {
      st->Reset();
      return Status::Corruption("clocks without a row for " + id.ToString());
    }
    int col = 2;
    for (std::string_view name : FieldNames<R>()) {
      FieldState f;
      f.field = std::string(name);
      f.value = st->Column(col++);
      for (const auto& [field, clock] : clocks) {
        if (field == name) f.clock = clock;
      }
      state.fields.push_back(std::move(f));
    }
    st->Reset();
    return Status::Ok();
  });
  RETURN_IF_ERROR(s);
  return std::optional<RecordState>(std::move(state));
}

Result<std::pair<std::set<std::string>, bool>> Store::PendingFieldsOf(const Uuid& id) const {
  std::lock_guard lock(impl_->mu_);
  ASSIGN_OR_RETURN(Statement * st,
                   impl_->db_->Prepare("SELECT payload FROM outbox WHERE record_id = ? AND acked = 0 ORDER BY op_seq"));
  st->BindText(1, id.ToString());
  std::pair<std::set<std::string>, bool> out;
  RETURN_IF_ERROR(st->EachRow([&]() -> Status {
    auto change = DecodeBinary<Change>(st->ColumnBlob(0));
    if (!change.ok()) return change.status().WithContext("outbox");
    if (change->op == ChangeOp::kDelete) out.second = true;
    for (const auto& f : change->fields) out.first.insert(f.field);
    return Status::Ok();
  }));
  return out;
}

Status Store::ApplyState(const RecordState& state) {
  return impl_->WriteOnce([&](bool& wrote) -> Status {
    const std::string id_text = state.id.ToString();
    // The stored kind must agree: ids are unique across kinds.
    ASSIGN_OR_RETURN(std::optional<RecordState> current, StateOf(state.id));
    if (current && current->kind != state.kind) {
      return Status::Corruption("the server sent " + id_text + " as a " + std::string(EnumCode(state.kind)) +
                                ", but it is a " + std::string(EnumCode(current->kind)) + " here");
    }
    RecordState full = current ? *current : RecordState{state.kind, state.id, {}, std::nullopt};
    if (!current) {
      // A new record starts from a default one, so a partial state still makes a whole row.
      RecordState defaults{state.kind, state.id, {}, std::nullopt};
      ASSIGN_OR_RETURN(std::vector<FieldValue> values, CompleteValues(defaults));
      const auto names = FieldNamesOf(state.kind);
      for (size_t i = 0; i < names.size(); ++i) full.fields.push_back({std::string(names[i]), values[i], {}, {}});
    }
    for (const auto& f : state.fields) {
      FieldState* slot = full.Find(f.field);
      if (slot == nullptr) {
        return Status::Corruption("the server sent a field «" + f.field + "» that a " +
                                  std::string(EnumCode(state.kind)) + " does not have; update MentorLog");
      }
      slot->value = f.value;
      slot->clock = f.clock;
    }
    full.deleted = state.deleted;
    // Values must read back as their types before they are written.
    RETURN_IF_ERROR(CompleteValues(full).status().WithContext(id_text));

    impl_->lookup_cache_.clear();
    const std::string table(KindTable(state.kind));
    std::string sql = "INSERT INTO " + table + " (id, deleted";
    for (const auto& f : full.fields) sql += ", " + f.field;
    sql += ") VALUES (?, ?";
    for (size_t i = 0; i < full.fields.size(); ++i) sql += ", ?";
    sql += ") ON CONFLICT (id) DO UPDATE SET deleted = excluded.deleted";
    for (const auto& f : full.fields) sql += ", " + f.field + " = excluded." + f.field;
    ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare(sql));
    wrote = true;
    int index = 1;
    st->BindText(index++, id_text);
    st->BindInt(index++, full.deleted ? 1 : 0);
    for (const auto& f : full.fields) st->BindValue(index++, f.value);
    RETURN_IF_ERROR(st->Run());

    std::vector<std::pair<std::string, FieldClock>> clocks;
    HlcStamp max_stamp;
    for (const auto& f : full.fields) {
      if (f.clock.stamp.value == 0 && f.clock.device_id.empty()) continue;
      clocks.emplace_back(f.field, f.clock);
      max_stamp = std::max(max_stamp, f.clock.stamp);
      impl_->hlc_.Observe(f.clock.stamp);
    }
    if (full.deleted) {
      max_stamp = std::max(max_stamp, full.deleted->stamp);
      impl_->hlc_.Observe(full.deleted->stamp);
    }
    ASSIGN_OR_RETURN(Statement * ck,
                     impl_->db_->Prepare("INSERT INTO record_clocks (record_id, kind, clocks, max_hlc, deleted_hlc, "
                                         "deleted_device, pulled, local_seq) VALUES (?, ?, ?, ?, ?, ?, 1, " +
                                         std::string(kNextLocalSeq) +
                                         ") ON CONFLICT (record_id) DO UPDATE SET clocks = excluded.clocks, "
                                         "max_hlc = excluded.max_hlc, deleted_hlc = excluded.deleted_hlc, "
                                         "deleted_device = excluded.deleted_device, pulled = 1, "
                                         "local_seq = excluded.local_seq"));
    ck->BindText(1, id_text);
    ck->BindInt(2, static_cast<int64_t>(state.kind));
    ck->BindText(3, EncodeClocks(clocks));
    ck->BindInt(4, static_cast<int64_t>(max_stamp.value));
    if (full.deleted) {
      ck->BindInt(5, static_cast<int64_t>(full.deleted->stamp.value));
      ck->BindText(6, full.deleted->device_id);
    } else {
      ck->BindNull(5);
      ck->BindNull(6);
    }
    return ck->Run();
  });
}

Status Store::ForEachLiveState(const std::function<Status(const RecordState&)>& fn) const {
  std::lock_guard lock(impl_->mu_);
  for (RecordKind kind : kAllRecordKinds) {
    Status s = VisitKind(kind, [&]<class R>() -> Status {
      static const std::string sql = "SELECT " + SelectColumns<R>() + " FROM " + std::string(RecordTraits<R>::kTable) +
                                     " WHERE deleted = 0 ORDER BY id";
      ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare(sql));
      static const auto names = FieldNames<R>();
      RecordState state;
      state.kind = kind;
      return st->EachRow([&]() -> Status {
        auto id = Uuid::Parse(st->ColumnText(0));
        if (!id.ok()) return Status::Corruption(std::string(RecordTraits<R>::kTable) + ": a bad id");
        state.id = *id;
        state.fields.clear();
        int col = 2;
        for (std::string_view name : names) state.fields.push_back({std::string(name), st->Column(col++), {}, {}});
        return fn(state);
      });
    });
    RETURN_IF_ERROR(s);
  }
  return Status::Ok();
}

Result<uint64_t> Store::ChangesSince(uint64_t after, size_t limit,
                                     const std::function<Status(const RecordState&)>& fn) const {
  // The page is read under the lock and handed to `fn` after it: the lock is never held while
  // a caller works (the app's dashboards apply thousands of records at start).
  std::vector<RecordState> states;
  uint64_t last = after;
  {
    std::lock_guard lock(impl_->mu_);
    struct Written {
      uint64_t seq;
      RecordKind kind;
      std::string id;
      bool deleted;
    };
    std::vector<Written> page;
    {
      ASSIGN_OR_RETURN(Statement * st,
                       impl_->db_->Prepare("SELECT local_seq, kind, record_id, deleted_hlc IS NOT NULL "
                                           "FROM record_clocks WHERE local_seq > ? ORDER BY local_seq LIMIT ?"));
      st->BindInt(1, static_cast<int64_t>(after));
      st->BindInt(2, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
      RETURN_IF_ERROR(st->EachRow([&]() -> Status {
        page.push_back({static_cast<uint64_t>(st->ColumnInt(0)), static_cast<RecordKind>(st->ColumnInt(1)),
                        st->ColumnText(2), st->ColumnInt(3) != 0});
        return Status::Ok();
      }));
    }
    states.reserve(page.size());
    for (const Written& w : page) {
      RecordState& state = states.emplace_back();
      state.kind = w.kind;
      auto id = Uuid::Parse(w.id);
      if (!id.ok()) return Status::Corruption("record_clocks: a bad id");
      state.id = *id;
      if (w.deleted) {
        state.deleted = FieldClock{};
        continue;
      }
      RETURN_IF_ERROR(VisitKind(w.kind, [&]<class R>() -> Status {
        static const std::string sql =
            "SELECT " + SelectColumns<R>() + " FROM " + std::string(RecordTraits<R>::kTable) + " WHERE id = ?";
        static const auto names = FieldNames<R>();
        ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare(sql));
        st->BindText(1, w.id);
        ASSIGN_OR_RETURN(bool found, st->Step());
        if (!found) {
          st->Reset();
          return Status::Corruption("clocks without a row for " + w.id);
        }
        int col = 2;
        for (std::string_view name : names) state.fields.push_back({std::string(name), st->Column(col++), {}, {}});
        st->Reset();
        return Status::Ok();
      }));
    }
    if (!page.empty()) last = page.back().seq;
  }
  for (const RecordState& state : states) RETURN_IF_ERROR(fn(state));
  return last;
}

Result<uint64_t> Store::LastChange() const {
  std::lock_guard lock(impl_->mu_);
  ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare("SELECT coalesce(max(local_seq), 0) FROM record_clocks"));
  ASSIGN_OR_RETURN(bool row, st->Step());
  const uint64_t last = row ? static_cast<uint64_t>(st->ColumnInt(0)) : 0;
  st->Reset();
  return last;
}

Status Store::AddConflict(const ConflictEntry& c) {
  return impl_->WriteOnce([&](bool& wrote) -> Status {
    ASSIGN_OR_RETURN(Statement * st,
                     impl_->db_->Prepare("INSERT INTO conflicts (id, kind, record_id, field, kept_value, kept_hlc, "
                                         "kept_device, lost_value, lost_hlc, lost_device, reason, noticed_millis, "
                                         "dismissed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                         "ON CONFLICT (id) DO NOTHING"));
    wrote = true;
    st->BindText(1, c.id.ToString());
    st->BindInt(2, static_cast<int64_t>(c.kind));
    st->BindText(3, c.record_id.ToString());
    st->BindText(4, c.field);
    st->BindValue(5, c.kept);
    st->BindInt(6, static_cast<int64_t>(c.kept_clock.stamp.value));
    st->BindText(7, c.kept_clock.device_id);
    st->BindValue(8, c.lost);
    st->BindInt(9, static_cast<int64_t>(c.lost_clock.stamp.value));
    st->BindText(10, c.lost_clock.device_id);
    st->BindText(11, ConflictReasonCode(c.reason));
    st->BindInt(12, c.noticed_millis);
    st->BindInt(13, c.dismissed ? 1 : 0);
    return st->Run();
  });
}

Result<std::vector<ConflictEntry>> Store::Conflicts(bool include_dismissed) const {
  std::lock_guard lock(impl_->mu_);
  ASSIGN_OR_RETURN(
      Statement * st,
      impl_->db_->Prepare(std::string("SELECT id, kind, record_id, field, kept_value, kept_hlc, "
                                      "kept_device, lost_value, lost_hlc, lost_device, reason, "
                                      "noticed_millis, dismissed FROM conflicts") +
                          (include_dismissed ? "" : " WHERE dismissed = 0") + " ORDER BY noticed_millis DESC, id"));
  std::vector<ConflictEntry> out;
  RETURN_IF_ERROR(st->EachRow([&]() -> Status {
    ConflictEntry c;
    auto id = Uuid::Parse(st->ColumnText(0));
    auto record = Uuid::Parse(st->ColumnText(2));
    if (!id.ok() || !record.ok()) return Status::Corruption("conflicts: a bad id");
    c.id = *id;
    c.kind = static_cast<RecordKind>(st->ColumnInt(1));
    c.record_id = *record;
    c.field = st->ColumnText(3);
    c.kept = st->Column(4);
    c.kept_clock = {HlcStamp{static_cast<uint64_t>(st->ColumnInt(5))}, st->ColumnText(6)};
    c.lost = st->Column(7);
    c.lost_clock = {HlcStamp{static_cast<uint64_t>(st->ColumnInt(8))}, st->ColumnText(9)};
    const std::optional<ConflictReason> reason = ConflictReasonFromCode(st->ColumnText(10));
    if (!reason) return Status::Corruption("a stored conflict has the unknown reason «" + st->ColumnText(10) + "»");
    c.reason = *reason;
    c.noticed_millis = st->ColumnInt(11);
    c.dismissed = st->ColumnInt(12) != 0;
    out.push_back(std::move(c));
    return Status::Ok();
  }));
  return out;
}

Status Store::DismissConflict(const Uuid& id) {
  return impl_->WriteOnce([&](bool& wrote) -> Status {
    ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare("UPDATE conflicts SET dismissed = 1 WHERE id = ?"));
    wrote = true;
    st->BindText(1, id.ToString());
    RETURN_IF_ERROR(st->Run());
    if (impl_->db_->Changes() == 0) {
      return Status::NotFound(
          LocalText{"Нет конфликта " + id.ToString() + ".", "There is no conflict " + id.ToString() + "."});
    }
    return Status::Ok();
  });
}

Status Store::AddRejected(const RejectedEntry& r) {
  return impl_->WriteOnce([&](bool& wrote) -> Status {
    ASSIGN_OR_RETURN(Statement * st,
                     impl_->db_->Prepare("INSERT INTO rejected (op_seq, kind, record_id, code, reason_en, reason_ru, "
                                         "rejected_millis, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                                         "ON CONFLICT (op_seq) DO NOTHING"));
    wrote = true;
    st->BindInt(1, static_cast<int64_t>(r.op_seq));
    st->BindInt(2, static_cast<int64_t>(r.kind));
    st->BindText(3, r.record_id.ToString());
    st->BindText(4, r.code);
    st->BindText(5, r.reason_en);
    st->BindText(6, r.reason_ru);
    st->BindInt(7, r.rejected_millis);
    st->BindBlob(8, EncodeBinary(r.change));
    return st->Run();
  });
}

Result<std::vector<RejectedEntry>> Store::Rejected() const {
  std::lock_guard lock(impl_->mu_);
  ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare("SELECT op_seq, kind, record_id, code, reason_en, reason_ru, "
                                                       "rejected_millis, payload FROM rejected ORDER BY op_seq"));
  std::vector<RejectedEntry> out;
  RETURN_IF_ERROR(st->EachRow([&]() -> Status {
    RejectedEntry r;
    r.op_seq = static_cast<uint64_t>(st->ColumnInt(0));
    r.kind = static_cast<RecordKind>(st->ColumnInt(1));
    auto record = Uuid::Parse(st->ColumnText(2));
    auto change = DecodeBinary<Change>(st->ColumnBlob(7));
    if (!record.ok() || !change.ok()) {
      return Status::Corruption("rejected: entry " + std::to_string(r.op_seq) + " is damaged");
    }
    r.record_id = *record;
    r.code = st->ColumnText(3);
    r.reason_en = st->ColumnText(4);
    r.reason_ru = st->ColumnText(5);
    r.rejected_millis = st->ColumnInt(6);
    r.change = std::move(change).value();
    out.push_back(std::move(r));
    return Status::Ok();
  }));
  return out;
}

Result<std::optional<std::string>> Store::GetSyncValue(std::string_view key) const {
  std::lock_guard lock(impl_->mu_);
  ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare("SELECT value FROM sync_state WHERE key = ?"));
  st->BindText(1, key);
  ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<std::string> out;
  if (row) {
    out = std::string(st->ColumnBlob(0));
  }
  st->Reset();
  return out;
}

Status Store::SetSyncValue(std::string_view key, std::string_view value) {
  return impl_->WriteOnce([&](bool& wrote) -> Status {
    ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare("INSERT INTO sync_state (key, value) VALUES (?, ?) "
                                                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    wrote = true;
    st->BindText(1, key);
    st->BindBlob(2, value);
    return st->Run();
  });
}

// -----------------------------------------------------------------------------------------
// [SECTION] Drafts
// -----------------------------------------------------------------------------------------

Status Store::SaveDraft(const DraftEntry& draft) {
  if (draft.key.empty()) {
    return Status::InvalidInput(LocalText{"У черновика должен быть ключ.", "A draft needs a key."});
  }
  return impl_->WriteOnce([&](bool& wrote) -> Status {
    ASSIGN_OR_RETURN(Statement * st,
                     impl_->db_->Prepare("INSERT INTO drafts (key, kind, title, payload, updated_millis) "
                                         "VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
                                         "kind = excluded.kind, title = excluded.title, payload = excluded.payload, "
                                         "updated_millis = excluded.updated_millis"));
    wrote = true;
    st->BindText(1, draft.key);
    st->BindText(2, draft.kind);
    st->BindText(3, draft.title);
    st->BindText(4, draft.payload);
    st->BindInt(5, impl_->clock_.NowMillis());
    return st->Run();
  });
}

static DraftEntry DecodeDraft(const Statement& st) {
  DraftEntry d;
  d.key = st.ColumnText(0);
  d.kind = st.ColumnText(1);
  d.title = st.ColumnText(2);
  d.payload = st.ColumnText(3);
  d.updated_millis = st.ColumnInt(4);
  return d;
}

Result<std::optional<DraftEntry>> Store::Draft(std::string_view key) const {
  std::lock_guard lock(impl_->mu_);
  ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare("SELECT key, kind, title, payload, updated_millis "
                                                       "FROM drafts WHERE key = ?"));
  st->BindText(1, key);
  ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<DraftEntry> out;
  if (row) out = DecodeDraft(*st);
  st->Reset();
  return out;
}

Result<std::vector<DraftEntry>> Store::Drafts() const {
  std::lock_guard lock(impl_->mu_);
  ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare("SELECT key, kind, title, payload, updated_millis "
                                                       "FROM drafts ORDER BY updated_millis DESC, key"));
  std::vector<DraftEntry> out;
  RETURN_IF_ERROR(st->EachRow([&]() -> Status {
    out.push_back(DecodeDraft(*st));
    return Status::Ok();
  }));
  return out;
}

Status Store::DeleteDraft(std::string_view key) {
  return impl_->WriteOnce([&](bool& wrote) -> Status {
    ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare("DELETE FROM drafts WHERE key = ?"));
    wrote = true;
    st->BindText(1, key);
    return st->Run();
  });
}

// -----------------------------------------------------------------------------------------
// [SECTION] Settings
// -----------------------------------------------------------------------------------------

Result<DeviceSettings> Store::Settings() const {
  std::lock_guard lock(impl_->mu_);
  ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare("SELECT language, text_scale, auto_sync, work_offline "
                                                       "FROM device_settings WHERE id = 1"));
  DeviceSettings out;
  RETURN_IF_ERROR(st->EachRow([&]() -> Status {
    if (!st->ColumnIsNull(0)) out.language = LanguageFromCode(st->ColumnText(0));
    const FieldValue scale = st->Column(1);
    if (const double* d = std::get_if<double>(&scale)) out.text_scale = static_cast<float>(*d);
    out.auto_sync = st->ColumnInt(2) != 0;
    out.work_offline = st->ColumnInt(3) != 0;
    return Status::Ok();
  }));
  return out;
}

Status Store::SaveSettings(const DeviceSettings& settings) {
  if (!(settings.text_scale > 0) || !std::isfinite(settings.text_scale)) {
    return Status::InvalidInput(
        LocalText{"Размер текста должен быть положительным числом.", "The text size must be a positive number."});
  }
  return impl_->WriteOnce([&](bool& wrote) -> Status {
    ASSIGN_OR_RETURN(Statement * st,
                     impl_->db_->Prepare("INSERT OR REPLACE INTO device_settings "
                                         "(id, language, text_scale, auto_sync, work_offline) VALUES (1, ?, ?, ?, ?)"));
    wrote = true;
    if (settings.language) {
      st->BindText(1, LanguageCode(*settings.language));
    } else {
      st->BindNull(1);
    }
    st->BindValue(2, static_cast<double>(settings.text_scale));
    st->BindInt(3, settings.auto_sync ? 1 : 0);
    st->BindInt(4, settings.work_offline ? 1 : 0);
    return st->Run();
  });
}

// -----------------------------------------------------------------------------------------
// [SECTION] Checks
// -----------------------------------------------------------------------------------------

Result<std::string> Store::IntegrityCheck() const {
  std::lock_guard lock(impl_->mu_);
  ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare("PRAGMA integrity_check"));
  std::string report;
  RETURN_IF_ERROR(st->EachRow([&]() -> Status {
    if (!report.empty()) report += "\n";
    report += st->ColumnText(0);
    return Status::Ok();
  }));
  return report;
}

Result<std::vector<std::string>> Store::ConsistencyProblems() const {
  std::lock_guard lock(impl_->mu_);
  std::vector<std::string> problems;
  auto collect = [&](const std::string& sql, const std::string& what) -> Status {
    ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare(sql));
    return st->EachRow([&]() -> Status {
      problems.push_back(what + ": " + st->ColumnText(0));
      return Status::Ok();
    });
  };
  for (RecordKind kind : kAllRecordKinds) {
    const std::string table(KindTable(kind));
    const std::string k = std::to_string(static_cast<int>(kind));
    RETURN_IF_ERROR(collect(
        "SELECT id FROM " + table +
            " t WHERE NOT EXISTS (SELECT 1 FROM record_clocks c WHERE c.record_id = t.id AND c.kind = " + k + ")",
        table + " row without clocks"));
    RETURN_IF_ERROR(collect("SELECT record_id FROM record_clocks c WHERE c.kind = " + k +
                                " AND NOT EXISTS (SELECT 1 FROM " + table + " t WHERE t.id = c.record_id)",
                            table + " clocks without a row"));
    RETURN_IF_ERROR(collect("SELECT id FROM " + table +
                                " t WHERE (t.deleted = 1) <> EXISTS (SELECT 1 FROM record_clocks c "
                                "WHERE c.record_id = t.id AND c.deleted_hlc IS NOT NULL)",
                            table + " tombstone without its clock"));
  }
  RETURN_IF_ERROR(
      collect("SELECT record_id FROM record_clocks c WHERE c.pulled = 0 AND NOT EXISTS (SELECT 1 FROM outbox o "
              "WHERE o.record_id = c.record_id AND o.hlc = c.max_hlc)",
              "latest write without an outbox entry"));
  RETURN_IF_ERROR(
      collect("SELECT record_id FROM outbox o WHERE o.acked = 0 AND NOT EXISTS (SELECT 1 FROM record_clocks c "
              "WHERE c.record_id = o.record_id AND (c.max_hlc >= o.hlc OR c.pulled = 1))",
              "outbox entry without its record"));
  RETURN_IF_ERROR(
      collect("SELECT device_id || ' ' || op_seq FROM outbox o WHERE op_seq > 1 AND NOT EXISTS "
              "(SELECT 1 FROM outbox p WHERE p.device_id = o.device_id AND p.op_seq = o.op_seq - 1)",
              "gap in the outbox before op"));
  return problems;
}

Result<int64_t> Store::Count(RecordKind kind, bool include_deleted) const {
  std::lock_guard lock(impl_->mu_);
  ASSIGN_OR_RETURN(Statement * st, impl_->db_->Prepare("SELECT count(*) FROM " + std::string(KindTable(kind)) +
                                                       (include_deleted ? "" : " WHERE deleted = 0")));
  ASSIGN_OR_RETURN(bool row, st->Step());
  const int64_t n = row ? st->ColumnInt(0) : 0;
  st->Reset();
  return n;
}

}  // namespace mentorlog::core
