// The local store: Open, migrations, the shared state's own calls, and the checks. The faces
// are in records.cpp, sync_ledger.cpp and device_state.cpp.
//
// [SECTION] Clocks encoding
// [SECTION] StoreImpl: connection, clock, op seq, transactions
// [SECTION] Clocks and outbox
// [SECTION] Store
// [SECTION] Checks
#include "mentorlog/store/store.h"

#include <charconv>
#include <string>

#include "mentorlog/base/random.h"
#include "migrations.h"
#include "store_impl.h"

namespace mentorlog::core {

// -----------------------------------------------------------------------------------------
// [SECTION] Clocks encoding
// -----------------------------------------------------------------------------------------

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

// -----------------------------------------------------------------------------------------
// [SECTION] StoreImpl
// -----------------------------------------------------------------------------------------

Status StoreImpl::Migrate(int target) {
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
Status StoreImpl::BindDeviceId() {
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

Status StoreImpl::LoadCounters() {
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

Status StoreImpl::Exec(const std::string& sql) {
  // Prepared once and reused: BEGIN/SAVEPOINT/RELEASE run for every repository write.
  ASSIGN_OR_RETURN(Statement * st, db_->Prepare(sql));
  return st->Run();
}

Status StoreImpl::InTransaction(const std::function<Status()>& fn) {
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

Status StoreImpl::WriteOnce(const std::function<Status(bool& wrote)>& fn) {
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

std::optional<Rubric> StoreImpl::FindRubric(std::string_view code, int64_t version) const {
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
// [SECTION] Clocks and outbox
// -----------------------------------------------------------------------------------------

Result<RecordClocks> StoreImpl::Clocks(RecordKind kind, const Uuid& id) {
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

Status StoreImpl::WriteClocksAndOutbox(RecordKind kind, const Uuid& id, std::vector<FieldChange> fields, ChangeOp op,
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
// [SECTION] Store
// -----------------------------------------------------------------------------------------

Store::Store(std::unique_ptr<StoreImpl> impl)
    : impl_(std::move(impl)), records_(*impl_), ledger_(*impl_), device_(*impl_) {}
Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  ASSIGN_OR_RETURN(auto db, Database::Open(options.path));
  const mentorlog::Clock& clock = options.clock ? *options.clock : platform::DefaultClock();
  auto impl = std::make_unique<StoreImpl>(std::move(db), options, clock);
  RETURN_IF_ERROR(impl->Migrate(kLatestSchemaVersion));
  RETURN_IF_ERROR(impl->BindDeviceId());
  RETURN_IF_ERROR(impl->LoadCounters());
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

int Store::schema_version() const { return impl_->schema_version_; }
const std::string& Store::device_id() const { return impl_->options_.device_id; }

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

}  // namespace mentorlog::core
