// SyncLedger: sync's face of the store (sync_ledger.h).
//
// [SECTION] Clocks and outbox
// [SECTION] States
// [SECTION] Conflicts, rejections, sync values
#include "mentorlog/store/sync_ledger.h"

#include "store_impl.h"

namespace mentorlog::core {

// -----------------------------------------------------------------------------------------
// [SECTION] Clocks and outbox
// -----------------------------------------------------------------------------------------

Result<RecordClocks> SyncLedger::ClocksOf(RecordKind kind, const Uuid& id) const { return impl_.Clocks(kind, id); }

Result<std::vector<OutboxEntry>> SyncLedger::PendingChanges(size_t limit) const {
  std::lock_guard lock(impl_.mu_);
  ASSIGN_OR_RETURN(Statement * st,
                   impl_.db_->Prepare("SELECT payload, acked FROM outbox WHERE acked = 0 ORDER BY op_seq LIMIT ?"));
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

Result<int64_t> SyncLedger::PendingCount() const {
  std::lock_guard lock(impl_.mu_);
  ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare("SELECT count(*) FROM outbox WHERE acked = 0"));
  ASSIGN_OR_RETURN(bool row, st->Step());
  const int64_t n = row ? st->ColumnInt(0) : 0;
  st->Reset();
  return n;
}

Status SyncLedger::MarkAcked(uint64_t op_seq) {
  std::lock_guard lock(impl_.mu_);
  ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare("UPDATE outbox SET acked = 1 WHERE acked = 0 AND op_seq <= ?"));
  st->BindInt(1, static_cast<int64_t>(op_seq));
  return st->Run();
}

// -----------------------------------------------------------------------------------------
// [SECTION] States
// -----------------------------------------------------------------------------------------

Result<std::optional<RecordState>> SyncLedger::StateOf(const Uuid& id) const {
  std::lock_guard lock(impl_.mu_);
  ASSIGN_OR_RETURN(Statement * c,
                   impl_.db_->Prepare("SELECT kind, clocks, deleted_hlc, deleted_device FROM record_clocks "
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
    ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare(sql));
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

Result<std::pair<std::set<std::string>, bool>> SyncLedger::PendingFieldsOf(const Uuid& id) const {
  std::lock_guard lock(impl_.mu_);
  ASSIGN_OR_RETURN(Statement * st,
                   impl_.db_->Prepare("SELECT payload FROM outbox WHERE record_id = ? AND acked = 0 ORDER BY op_seq"));
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

Status SyncLedger::ApplyState(const RecordState& state) {
  return impl_.WriteOnce([&](bool& wrote) -> Status {
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

    impl_.lookup_cache_.clear();
    const std::string table(KindTable(state.kind));
    std::string sql = "INSERT INTO " + table + " (id, deleted";
    for (const auto& f : full.fields) sql += ", " + f.field;
    sql += ") VALUES (?, ?";
    for (size_t i = 0; i < full.fields.size(); ++i) sql += ", ?";
    sql += ") ON CONFLICT (id) DO UPDATE SET deleted = excluded.deleted";
    for (const auto& f : full.fields) sql += ", " + f.field + " = excluded." + f.field;
    ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare(sql));
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
      impl_.hlc_.Observe(f.clock.stamp);
    }
    if (full.deleted) {
      max_stamp = std::max(max_stamp, full.deleted->stamp);
      impl_.hlc_.Observe(full.deleted->stamp);
    }
    ASSIGN_OR_RETURN(Statement * ck,
                     impl_.db_->Prepare("INSERT INTO record_clocks (record_id, kind, clocks, max_hlc, deleted_hlc, "
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

// -----------------------------------------------------------------------------------------
// [SECTION] Conflicts, rejections, sync values
// -----------------------------------------------------------------------------------------

Status SyncLedger::AddConflict(const ConflictEntry& c) {
  return impl_.WriteOnce([&](bool& wrote) -> Status {
    ASSIGN_OR_RETURN(Statement * st,
                     impl_.db_->Prepare("INSERT INTO conflicts (id, kind, record_id, field, kept_value, kept_hlc, "
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

Result<std::vector<ConflictEntry>> SyncLedger::Conflicts(bool include_dismissed) const {
  std::lock_guard lock(impl_.mu_);
  ASSIGN_OR_RETURN(
      Statement * st,
      impl_.db_->Prepare(std::string("SELECT id, kind, record_id, field, kept_value, kept_hlc, "
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

Status SyncLedger::DismissConflict(const Uuid& id) {
  return impl_.WriteOnce([&](bool& wrote) -> Status {
    ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare("UPDATE conflicts SET dismissed = 1 WHERE id = ?"));
    wrote = true;
    st->BindText(1, id.ToString());
    RETURN_IF_ERROR(st->Run());
    if (impl_.db_->Changes() == 0) {
      return Status::NotFound(
          LocalText{"Нет конфликта " + id.ToString() + ".", "There is no conflict " + id.ToString() + "."});
    }
    return Status::Ok();
  });
}

Status SyncLedger::AddRejected(const RejectedEntry& r) {
  return impl_.WriteOnce([&](bool& wrote) -> Status {
    ASSIGN_OR_RETURN(Statement * st,
                     impl_.db_->Prepare("INSERT INTO rejected (op_seq, kind, record_id, code, reason_en, reason_ru, "
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

Result<std::vector<RejectedEntry>> SyncLedger::Rejected() const {
  std::lock_guard lock(impl_.mu_);
  ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare("SELECT op_seq, kind, record_id, code, reason_en, reason_ru, "
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

Result<std::optional<std::string>> SyncLedger::GetSyncValue(std::string_view key) const {
  std::lock_guard lock(impl_.mu_);
  ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare("SELECT value FROM sync_state WHERE key = ?"));
  st->BindText(1, key);
  ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<std::string> out;
  if (row) {
    out = std::string(st->ColumnBlob(0));
  }
  st->Reset();
  return out;
}

Status SyncLedger::SetSyncValue(std::string_view key, std::string_view value) {
  return impl_.WriteOnce([&](bool& wrote) -> Status {
    ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare("INSERT INTO sync_state (key, value) VALUES (?, ?) "
                                                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    wrote = true;
    st->BindText(1, key);
    st->BindBlob(2, value);
    return st->Run();
  });
}

const std::string& SyncLedger::device_id() const { return impl_.options_.device_id; }

Status SyncLedger::InTransaction(const std::function<Status()>& fn) { return impl_.InTransaction(fn); }

}  // namespace mentorlog::core
