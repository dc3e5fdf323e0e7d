// The store's shared state, behind its three faces (records.h, sync_ledger.h, device_state.h):
// the one connection, the one lock, the clock and HLC, the op seq, the transaction depth, the
// lookup caches; and the RecordTraits-driven row access they all use. Private to the store.
//
// Thread safety: mu_ guards everything here. Each face's call takes it around its statements, as
// do Load, ListAll, Save, Delete, Clocks, FindRubric, InTransaction and WriteOnce (it is recursive:
// a call may make another). Migrate, BindDeviceId and LoadCounters run in Store::Open, before the
// store is shared (LoadCounters again under InTransaction's lock). REQUIRES: mu_ held for Exec and
// WriteClocksAndOutbox.
#pragma once

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mentorlog/domain/field_codec.h"
#include "mentorlog/domain/rules.h"
#include "mentorlog/domain/serialize.h"
#include "mentorlog/store/sqlite_db.h"
#include "mentorlog/store/store.h"

namespace mentorlog::core {

// The change feed's next number (migration 7), as an SQL expression: one step down the
// local_seq index. Read in the write's own statement, so two processes writing the file in
// turn never give two writes one number.
inline constexpr std::string_view kNextLocalSeq = "(SELECT coalesce(max(local_seq), 0) + 1 FROM record_clocks)";

struct UuidHash {
  size_t operator()(const Uuid& id) const {
    uint64_t h = 0;
    for (size_t i = 8; i < 16; ++i) h = (h << 8) | id.bytes()[i];  // the random half
    return static_cast<size_t>(h);
  }
};

template <class R>
inline std::vector<FieldValue> EncodeFields(const R& r) {
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
// The clocks column: one line per distinct clock, "hlc device field field ...". One write
// stamps all its fields with one clock, so a record usually has a line or two.
std::string EncodeClocks(const std::vector<std::pair<std::string, FieldClock>>& clocks);
std::vector<std::pair<std::string, FieldClock>> DecodeClocks(std::string_view s);

class StoreImpl final : public ValidationContext {
 public:
  StoreImpl(std::unique_ptr<Database> db, StoreOptions options, const mentorlog::Clock& clock)
      : db_(std::move(db)), options_(std::move(options)), clock_(clock), hlc_(clock) {}

  // ValidationContext: lookups run on the store's connection (and see the open transaction).
  Date Today() const override { return Date::FromUnixMillis(clock_.NowMillis(), clock_.UtcOffsetMinutes()); }
  std::optional<School> FindSchool(const Uuid& id) const override { return Cached<School>(id); }
  std::optional<Person> FindPerson(const Uuid& id) const override { return Cached<Person>(id); }
  std::optional<Observation> FindObservation(const Uuid& id) const override { return Find<Observation>(id); }
  std::optional<NetworkEvent> FindEvent(const Uuid& id) const override { return Find<NetworkEvent>(id); }
  std::optional<MonitoringRound> FindRound(const Uuid& id) const override { return Find<MonitoringRound>(id); }
  // A deleted source still has its date (tombstones keep the row), so the recommendations it
  // produced stay editable after the visit is deleted.
  std::optional<Date> SourceDate(SourceKind kind, const Uuid& id) const override {
    auto date_of = [&]<class R>() -> std::optional<Date> {
      auto r = const_cast<StoreImpl*>(this)->Load<R>(id);
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
    auto r = const_cast<StoreImpl*>(this)->Load<R>(id);
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

// -----------------------------------------------------------------------------------------
// [SECTION] Generic row access (RecordTraits-driven SQL)
// -----------------------------------------------------------------------------------------

template <class R>
const std::string& SelectColumns() {
  static const std::string cols = [] {
    std::string s = "id, deleted";
    for (auto n : FieldNames<R>()) s += ", " + std::string(n);
    return s;
  }();
  return cols;
}

template <class R>
Status DecodeRow(Statement& st, R& r, bool& deleted) {
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
Result<std::optional<std::pair<R, bool>>> StoreImpl::Load(const Uuid& id) {
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
Result<std::vector<R>> DecodeRows(Statement& st) {
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
Result<std::vector<R>> StoreImpl::ListAll() {
  std::lock_guard lock(mu_);
  static const std::string sql = "SELECT " + SelectColumns<R>() + " FROM " + std::string(RecordTraits<R>::kTable) +
                                 " WHERE deleted = 0 ORDER BY id";
  ASSIGN_OR_RETURN(Statement * st, db_->Prepare(sql));
  return DecodeRows<R>(*st);
}

}  // namespace mentorlog::core
