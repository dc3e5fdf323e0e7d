// Records: the repository face (records.h).
//
// [SECTION] Save and Delete (StoreImpl)
// [SECTION] Get / List / ListBy / RuleWarnings
// [SECTION] Observations, activity, RecordWriter
// [SECTION] The change feed
#include "mentorlog/store/records.h"

#include "store_impl.h"

namespace mentorlog::core {

// -----------------------------------------------------------------------------------------
// [SECTION] Save and Delete (StoreImpl)
// -----------------------------------------------------------------------------------------

template <class R>
Result<R> StoreImpl::Save(R record, EditAction mode) {
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

Status StoreImpl::Delete(RecordKind kind, const Uuid& id) {
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
// [SECTION] Get / List / ListBy / RuleWarnings
// -----------------------------------------------------------------------------------------

Date Records::Today() const { return impl_.Today(); }

template <class R>
Result<R> Records::Save(R record) {
  return impl_.Save(std::move(record), EditAction::kSave);
}

template <class R>
Result<R> Records::Get(const Uuid& id) const {
  ASSIGN_OR_RETURN(auto loaded, impl_.Load<R>(id));
  if (!loaded || loaded->second) return NoSuchRecord(RecordTraits<R>::kKind, id);
  return std::move(loaded->first);
}

template <class R>
Result<std::vector<R>> Records::List() const {
  return impl_.ListAll<R>();
}

template <class R>
Result<std::vector<R>> Records::ListBy(std::string_view field, const Uuid& id) const {
  bool is_id_field = false;
  ForEachFieldDef<R>([&](const auto& def) {
    using T = std::remove_cvref_t<decltype(std::declval<R>().*(def.member))>;
    if (def.name == field && (std::is_same_v<T, Uuid> || std::is_same_v<T, std::optional<Uuid>>)) is_id_field = true;
  });
  if (!is_id_field) {
    return Status::InvalidInput("ListBy: " + std::string(RecordTraits<R>::kTable) + " has no id field «" +
                                std::string(field) + "»");
  }
  std::lock_guard lock(impl_.mu_);
  // `field` is one of R's own names (checked above), so it is safe in the SQL text.
  const std::string sql = "SELECT " + SelectColumns<R>() + " FROM " + std::string(RecordTraits<R>::kTable) + " WHERE " +
                          std::string(field) + " = ? AND deleted = 0 ORDER BY id";
  ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare(sql));
  st->BindText(1, id.ToString());
  return DecodeRows<R>(*st);
}

template <class R>
ValidationErrors Records::Check(const R& record) const {
  std::lock_guard lock(impl_.mu_);
  ValidationErrors errors = Validate(record, impl_);
  std::optional<std::pair<R, bool>> stored;
  if (!record.id.IsNil()) {
    auto loaded = impl_.Load<R>(record.id);
    if (loaded.ok()) stored = std::move(loaded).value();
  }
  if (!stored || stored->second) return Refusing(std::move(errors), nullptr);  // new (or deleted: refused anyway)
  const std::vector<std::string_view> written = ChangedFields(stored->first, record);
  return Refusing(std::move(errors), &written);
}

template <class R>
ValidationErrors Records::RuleWarnings(const R& record) const {
  ValidationErrors errors;
  {
    std::lock_guard lock(impl_.mu_);
    errors = Validate(record, impl_);
  }
  std::erase_if(errors, [](const FieldError& e) { return e.span != RuleSpan::kAcrossRecords; });
  return errors;
}

Status Records::Delete(RecordKind kind, const Uuid& id) { return impl_.Delete(kind, id); }
Status Records::InTransaction(const std::function<Status()>& fn) { return impl_.InTransaction(fn); }

#define MENTORLOG_RECORDS_INSTANTIATE(R)                                                   \
  template Result<R> Records::Save<R>(R);                                                  \
  template Result<R> Records::Get<R>(const Uuid&) const;                                   \
  template Result<std::vector<R>> Records::List<R>() const;                                \
  template Result<std::vector<R>> Records::ListBy<R>(std::string_view, const Uuid&) const; \
  template ValidationErrors Records::Check<R>(const R&) const;                             \
  template ValidationErrors Records::RuleWarnings<R>(const R&) const;
MENTORLOG_RECORD_TYPES(MENTORLOG_RECORDS_INSTANTIATE)

// -----------------------------------------------------------------------------------------
// [SECTION] Observations, activity, RecordWriter
// -----------------------------------------------------------------------------------------

Result<std::vector<ObservationScore>> Records::ScoresOf(const Uuid& observation_id) const {
  std::lock_guard lock(impl_.mu_);
  static const std::string sql = "SELECT " + SelectColumns<ObservationScore>() +
                                 " FROM observation_scores WHERE observation_id = ? AND deleted = 0 ORDER BY id";
  ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare(sql));
  st->BindText(1, observation_id.ToString());
  return DecodeRows<ObservationScore>(*st);
}

Result<Records::SchoolActivity> Records::ActivityOf(const Uuid& school_id, Date today) const {
  std::lock_guard lock(impl_.mu_);
  const std::string school = school_id.ToString();
  const std::string day = today.ToString();
  SchoolActivity out;
  for (const char* table : {"visits", "observations", "consultations"}) {
    // max() over the (school_id, date) index: SQLite walks it backwards to the first live row.
    ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare(std::string("SELECT max(date) FROM ") + table +
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
  ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare(open_sql));
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

Result<RecordState> Records::SaveState(RecordState state, EditAction action) {
  return VisitKind(state.kind, [&]<class R>() -> Result<RecordState> {
    ASSIGN_OR_RETURN(R record, RecordFromState<R>(state));
    ASSIGN_OR_RETURN(R saved, impl_.Save(std::move(record), action));
    return StateFromRecord(saved);
  });
}

Result<std::optional<RecordState>> Records::LiveState(RecordKind kind, const Uuid& id) const {
  return VisitKind(kind, [&]<class R>() -> Result<std::optional<RecordState>> {
    ASSIGN_OR_RETURN(auto loaded, impl_.Load<R>(id));
    if (!loaded || loaded->second) return std::optional<RecordState>();
    return std::optional<RecordState>(StateFromRecord(loaded->first));
  });
}

Status Records::ForEachLive(RecordKind kind, std::string_view field, const Uuid& id,
                            const std::function<Status(const RecordState&)>& fn) const {
  return VisitKind(kind, [&]<class R>() -> Status {
    ASSIGN_OR_RETURN(std::vector<R> records, field.empty() ? List<R>() : ListBy<R>(field, id));
    for (const R& r : records) RETURN_IF_ERROR(fn(StateFromRecord(r)));
    return Status::Ok();
  });
}

Result<std::optional<RecordKind>> Records::KindOf(const Uuid& id) const {
  std::lock_guard lock(impl_.mu_);
  ASSIGN_OR_RETURN(Statement * st,
                   impl_.db_->Prepare("SELECT kind FROM record_clocks WHERE record_id = ? AND deleted_hlc IS NULL"));
  st->BindText(1, id.ToString());
  ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<RecordKind> out;
  if (row) out = static_cast<RecordKind>(st->ColumnInt(0));
  st->Reset();
  return out;
}

Result<int64_t> Records::Count(RecordKind kind, bool include_deleted) const {
  std::lock_guard lock(impl_.mu_);
  ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare("SELECT count(*) FROM " + std::string(KindTable(kind)) +
                                                      (include_deleted ? "" : " WHERE deleted = 0")));
  ASSIGN_OR_RETURN(bool row, st->Step());
  const int64_t n = row ? st->ColumnInt(0) : 0;
  st->Reset();
  return n;
}

// -----------------------------------------------------------------------------------------
// [SECTION] The change feed
// -----------------------------------------------------------------------------------------

Status Records::ForEachLiveState(const std::function<Status(const RecordState&)>& fn) const {
  std::lock_guard lock(impl_.mu_);
  for (RecordKind kind : kAllRecordKinds) {
    Status s = VisitKind(kind, [&]<class R>() -> Status {
      static const std::string sql = "SELECT " + SelectColumns<R>() + " FROM " + std::string(RecordTraits<R>::kTable) +
                                     " WHERE deleted = 0 ORDER BY id";
      ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare(sql));
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

Status Records::ScanLiveStates(size_t page, const std::function<Status(const RecordState&)>& fn) const {
  std::vector<RecordState> states;
  for (RecordKind kind : kAllRecordKinds) {
    std::string after;  // the last id read: ids order a kind's rows
    while (true) {
      states.clear();
      {
        std::lock_guard lock(impl_.mu_);
        RETURN_IF_ERROR(VisitKind(kind, [&]<class R>() -> Status {
          static const std::string sql = "SELECT " + SelectColumns<R>() + " FROM " +
                                         std::string(RecordTraits<R>::kTable) +
                                         " WHERE deleted = 0 AND id > ?1 ORDER BY id LIMIT ?2";
          ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare(sql));
          st->BindText(1, after);
          st->BindInt(2, static_cast<int64_t>(page));
          static const auto names = FieldNames<R>();
          return st->EachRow([&]() -> Status {
            RecordState& state = states.emplace_back();
            state.kind = kind;
            after = st->ColumnText(0);
            auto id = Uuid::Parse(after);
            if (!id.ok()) return Status::Corruption(std::string(RecordTraits<R>::kTable) + ": a bad id");
            state.id = *id;
            int col = 2;
            for (std::string_view name : names) state.fields.push_back({std::string(name), st->Column(col++), {}, {}});
            return Status::Ok();
          });
        }));
      }
      for (const RecordState& state : states) RETURN_IF_ERROR(fn(state));
      if (states.size() < page) break;
    }
  }
  return Status::Ok();
}

Result<uint64_t> Records::ChangesSince(uint64_t after, size_t limit,
                                       const std::function<Status(const RecordState&)>& fn) const {
  // The page is read under the lock and handed to `fn` after it: the lock is never held while
  // a caller works (the app's dashboards apply thousands of records at start).
  std::vector<RecordState> states;
  uint64_t last = after;
  {
    std::lock_guard lock(impl_.mu_);
    struct Written {
      uint64_t seq;
      RecordKind kind;
      std::string id;
      bool deleted;
    };
    std::vector<Written> page;
    {
      ASSIGN_OR_RETURN(Statement * st,
                       impl_.db_->Prepare("SELECT local_seq, kind, record_id, deleted_hlc IS NOT NULL "
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
        ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare(sql));
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

Result<uint64_t> Records::LastChange() const {
  std::lock_guard lock(impl_.mu_);
  ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare("SELECT coalesce(max(local_seq), 0) FROM record_clocks"));
  ASSIGN_OR_RETURN(bool row, st->Step());
  const uint64_t last = row ? static_cast<uint64_t>(st->ColumnInt(0)) : 0;
  st->Reset();
  return last;
}

}  // namespace mentorlog::core
