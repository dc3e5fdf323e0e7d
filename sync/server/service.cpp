// The central store's rules (service.h).
//
// [SECTION] Scope
// [SECTION] Push: permission, append-only, merge, clamping
// [SECTION] Pull: the cursor and back-fill
// [SECTION] State hash, ingest, export

#include "service.h"

#include <algorithm>
#include <cstring>

#include "mentorlog/core/rubric.h"
#include "mentorlog/sync/device.h"
#include "mentorlog/sync/merge.h"
#include "pull_cursor.h"

namespace mentorlog::server {

using core::RecordKind;
using sync::Change;
using sync::Rejection;

SyncService::SyncService(Storage& storage, ServiceOptions options)
    : storage_(storage),
      options_(std::move(options)),
      clock_(options_.clock ? *options_.clock : platform::DefaultClock()),
      hlc_(clock_) {}

// -----------------------------------------------------------------------------------------
// [SECTION] Scope
// -----------------------------------------------------------------------------------------

namespace {

Result<std::vector<Uuid>> ScopeIn(StorageTx& tx, const Account& account, core::Date today) {
  std::vector<Uuid> schools;
  switch (account.role) {
    case Role::kAdmin:
      break;
    case Role::kCoordinator: {
      ASSIGN_OR_RETURN(schools, tx.SchoolsOfDistrict(account.district));
      break;
    }
    case Role::kMentor:
    case Role::kTutor: {
      if (!account.person_id) break;
      ASSIGN_OR_RETURN(std::vector<AssignmentIndexRow> rows, tx.AssignmentsOf(*account.person_id));
      for (const auto& a : rows) {
        if (a.deleted || a.starts_on > today || (a.ends_on && *a.ends_on < today)) continue;
        const bool mentor_kind = a.kind == core::AssignmentKind::kMentorSchool;
        if (mentor_kind != (account.role == Role::kMentor)) continue;
        schools.push_back(a.school_id);
      }
      break;
    }
  }
  std::sort(schools.begin(), schools.end());
  schools.erase(std::unique(schools.begin(), schools.end()), schools.end());
  return schools;
}

sync::StateLoader LoaderOf(StorageTx& tx) {
  return [&tx](const Uuid& id) -> Result<std::optional<RecordState>> {
    ASSIGN_OR_RETURN(std::optional<StoredRecord> r, tx.LoadRecord(id));
    if (!r) return std::optional<RecordState>();
    return std::optional<RecordState>(std::move(r->state));
  };
}

std::string TextOf(const RecordState& s, std::string_view field) {
  const core::FieldState* f = s.Find(field);
  if (f == nullptr) return {};
  const auto* t = std::get_if<std::string>(&f->value);
  return t ? *t : std::string();
}

}  // namespace

Result<std::vector<Uuid>> SyncService::ScopeOf(const Account& account) {
  std::vector<Uuid> out;
  const core::Date today = core::Date::FromUnixMillis(clock_.NowMillis(), clock_.UtcOffsetMinutes());
  RETURN_IF_ERROR(storage_.Read([&](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(out, ScopeIn(tx, account, today));
    return Status::Ok();
  }));
  return out;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Push
// -----------------------------------------------------------------------------------------

namespace {

Rejection Refuse(const Change& c, std::string code, std::string en, std::string ru) {
  return Rejection{c.op_seq, c.kind, c.record_id, std::move(code), std::move(en), std::move(ru)};
}

Rejection NotYourSchool(const Change& c) {
  return Refuse(c, "permission",
                "You do not work with this school (any more), so the server did not accept this change. "
                "It stays on this device in the list of rejected changes; ask your coordinator if the school "
                "should be yours.",
                "Вы не закреплены за этой школой (или уже не закреплены), поэтому сервер не принял это изменение. "
                "Оно сохранено на устройстве в списке отклонённых; обратитесь к координатору, если школа "
                "должна быть вашей.");
}

Rejection CoordinatorOnly(const Change& c) {
  return Refuse(c, "permission",
                "Only a coordinator can change " + std::string(core::EnumLabel(c.kind, "en")) +
                    " records; the change stays on this device in the list of rejected changes.",
                "Изменять записи «" + std::string(core::EnumLabel(c.kind, "ru")) +
                    "» может только координатор; изменение сохранено на устройстве в списке отклонённых.");
}

bool SameValues(const RecordState& a, const RecordState& b) {
  if (a.deleted.has_value() != b.deleted.has_value() || a.fields.size() != b.fields.size()) return false;
  for (size_t i = 0; i < a.fields.size(); ++i) {
    if (a.fields[i].field != b.fields[i].field || a.fields[i].value != b.fields[i].value) return false;
  }
  return true;
}

bool CoordinatorKind(RecordKind kind) {
  return kind == RecordKind::kAssignment || kind == RecordKind::kRubricTemplate ||
         kind == RecordKind::kNetworkAgreement;
}

}  // namespace

Result<sync::PushResponse> SyncService::Push(const Session& session, const sync::PushRequest& request) {
  if (!SeesRecords(session.account)) {
    return Status::PermissionDenied("An administrator's account manages accounts and has no records to sync.");
  }
  return PushAs(&session.account, request.device_id, request.changes);
}

Result<sync::PushResponse> SyncService::PushAs(const Account* account, const std::string& device_id,
                                               const std::vector<Change>& changes) {
  for (const Change& c : changes) {
    if (c.device_id != device_id) {
      return Status::InvalidInput("change " + std::to_string(c.op_seq) + " was made on another device (" + c.device_id +
                                  "); a device pushes only its own changes");
    }
  }
  const int64_t now = clock_.NowMillis();
  const core::Date today = core::Date::FromUnixMillis(now, clock_.UtcOffsetMinutes());
  sync::PushResponse response;
  response.server_millis = now;

  Status s = storage_.Write([&](StorageTx& tx) -> Status {
    response.rejected.clear();
    response.clamped = 0;
    std::vector<Uuid> scope;
    if (account) {
      ASSIGN_OR_RETURN(scope, ScopeIn(tx, *account, today));
    }
    auto in_scope = [&](const std::optional<Uuid>& school) {
      return school && std::binary_search(scope.begin(), scope.end(), *school);
    };
    const sync::StateLoader load = LoaderOf(tx);

    ASSIGN_OR_RETURN(uint64_t applied, tx.DeviceOpSeq(device_id));
    for (const Change& original : changes) {
      if (original.op_seq <= applied) continue;   // a replay: already applied or refused
      if (original.op_seq != applied + 1) break;  // a gap: the device resends from applied + 1
      applied = original.op_seq;

      Change c = original;
      // Clamp stamps too far ahead of our clock: a device a year ahead must not win every edit.
      const uint64_t limit_millis = static_cast<uint64_t>(now + options_.max_clock_skew_millis);
      bool clamped = false;
      auto clamp = [&](core::HlcStamp& stamp) {
        if (stamp.millis() <= limit_millis) return;
        std::lock_guard lock(hlc_mu_);
        stamp = hlc_.Now();
        clamped = true;
      };
      clamp(c.stamp);
      for (auto& f : c.fields) clamp(f.stamp);
      if (clamped) {
        ++response.clamped;
        ++clamped_total_;
      }

      bool known_fields = true;
      for (const auto& f : c.fields) known_fields = known_fields && core::IsFieldOf(c.kind, f.field);
      if (!known_fields || static_cast<int>(c.kind) < 0 ||
          static_cast<int>(c.kind) > static_cast<int>(RecordKind::kRubricTemplate)) {
        response.rejected.push_back(Refuse(c, "unknown_field",
                                           "This change names a field the server does not know; update MentorLog "
                                           "on this device.",
                                           "Изменение содержит поле, неизвестное серверу; обновите MentorLog на "
                                           "этом устройстве."));
        continue;
      }

      ASSIGN_OR_RETURN(std::optional<StoredRecord> current, tx.LoadRecord(c.record_id));
      if (current && current->state.kind != c.kind) {
        response.rejected.push_back(Refuse(c, "validation", "This id already belongs to another kind of record.",
                                           "Этот идентификатор уже занят записью другого вида."));
        continue;
      }
      const RecordState incoming = core::StateFromChange(c);
      std::optional<RecordState> current_state;
      if (current) current_state = current->state;

      // Append-only history: an entry is created once and never edited.
      if (c.kind == RecordKind::kRecommendationEvent && current && !current->state.deleted) {
        bool edits = false;
        for (const auto& f : incoming.fields) {
          const core::FieldState* cur = current->state.Find(f.field);
          edits = edits || cur == nullptr || cur->value != f.value;
        }
        if (edits) {
          response.rejected.push_back(Refuse(c, "append_only",
                                             "History entries cannot be changed; add a new comment instead.",
                                             "Записи истории не изменяются; добавьте новый комментарий."));
          continue;
        }
      }

      sync::MergeResult merged = sync::MergeOnServer(current_state, incoming);
      // A change that leaves every value as it is (a bundled rubric template installed on the
      // device too, an edit that was already made) is harmless whoever sends it: accepted as is.
      if (current && merged.conflicts.empty() && SameValues(current->state, merged.next)) continue;
      ASSIGN_OR_RETURN(std::optional<Uuid> school, sync::SchoolOf(merged.next, load));

      if (account) {
        const bool coordinator = account->role == Role::kCoordinator;
        std::optional<Rejection> refusal;
        if (c.kind == RecordKind::kSchool) {
          // A coordinator adds and edits the schools of their district; others edit their own.
          const bool ok = coordinator ? (TextOf(merged.next, "district") == account->district &&
                                         (!current || in_scope(current->school_id)))
                                      : (current && in_scope(current->school_id));
          if (!ok) refusal = coordinator ? NotYourSchool(c) : CoordinatorOnly(c);
        } else if (CoordinatorKind(c.kind) && !coordinator) {
          refusal = CoordinatorOnly(c);
        } else if (!school || (current && !current->school_id)) {
          if (!coordinator) refusal = CoordinatorOnly(c);  // district-wide records
        } else if (!in_scope(school) || (current && current->school_id && !in_scope(current->school_id))) {
          refusal = NotYourSchool(c);
        }
        if (refusal) {
          response.rejected.push_back(*refusal);
          continue;
        }
      }

      // The merged record must read back as its types (a hostile or broken client).
      if (auto values = core::CompleteValues(merged.next); !values.ok()) {
        response.rejected.push_back(Refuse(c, "validation", "The record is not valid: " + values.status().message(),
                                           "Запись некорректна: " + values.status().message()));
        continue;
      }

      if (merged.changed) {
        RETURN_IF_ERROR(tx.PutRecord(merged.next, school).status());
        if (c.kind == RecordKind::kSchool) {
          const std::string district = TextOf(merged.next, "district");
          RETURN_IF_ERROR(tx.PutSchoolIndex(merged.next.id, district, merged.next.deleted.has_value()));
          // A school a coordinator adds is theirs for the rest of this batch too (its people,
          // assignments and visits usually follow it in the same batch).
          if (account && account->role == Role::kCoordinator && district == account->district && !merged.next.deleted &&
              !std::binary_search(scope.begin(), scope.end(), merged.next.id)) {
            scope.insert(std::upper_bound(scope.begin(), scope.end(), merged.next.id), merged.next.id);
          }
        } else if (c.kind == RecordKind::kAssignment) {
          ASSIGN_OR_RETURN(core::Assignment a, core::RecordFromState<core::Assignment>(merged.next));
          RETURN_IF_ERROR(
              tx.PutAssignmentIndex(AssignmentIndexRow{a.id, a.kind, a.assignee_id, a.school_id, a.teacher_id,
                                                       a.starts_on, a.ends_on, merged.next.deleted.has_value()}));
        }
      }
      for (const sync::MergeConflict& m : merged.conflicts) {
        sync::ConflictRecord conflict;
        conflict.id = Uuid::MakeV7(now);
        conflict.kind = c.kind;
        conflict.record_id = c.record_id;
        conflict.field = m.field;
        conflict.kept = m.kept.value;
        conflict.kept_clock = m.kept.clock;
        conflict.lost = m.lost.value;
        conflict.lost_clock = m.lost.clock;
        conflict.reason = m.reason;
        conflict.noticed_millis = now;
        RETURN_IF_ERROR(tx.PutConflict(conflict, school).status());
      }
    }
    RETURN_IF_ERROR(tx.SetDeviceOpSeq(device_id, account ? account->id : 0, applied));
    response.acked_op_seq = applied;
    return Status::Ok();
  });
  RETURN_IF_ERROR(s);
  if (response.clamped > 0 && options_.log_warning) {
    options_.log_warning("clamped " + std::to_string(response.clamped) + " change(s) from device " + device_id +
                         ": stamps more than " + std::to_string(options_.max_clock_skew_millis / 1000) +
                         " s ahead of the server's clock");
  }
  return response;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Pull
// -----------------------------------------------------------------------------------------

namespace {

bool AllWrittenBy(const RecordState& state, const std::string& device_id) {
  if (state.deleted && state.deleted->device_id != device_id) return false;
  for (const auto& f : state.fields) {
    if (f.clock.device_id != device_id) return false;
  }
  return true;
}

bool Contains(const std::vector<Uuid>& sorted, const Uuid& id) {
  return std::binary_search(sorted.begin(), sorted.end(), id);
}

}  // namespace

Result<sync::PullResponse> SyncService::Pull(const Session& session, const sync::PullRequest& request) {
  if (!SeesRecords(session.account)) {
    return Status::PermissionDenied("An administrator's account manages accounts and has no records to sync.");
  }
  const uint32_t max_rows = std::clamp<uint32_t>(request.max_rows, 1, sync::kMaxBatchRows);
  const uint32_t max_bytes = std::clamp<uint32_t>(request.max_bytes, 4096, sync::kMaxBatchBytes);
  const int64_t now = clock_.NowMillis();
  const core::Date today = core::Date::FromUnixMillis(now, clock_.UtcOffsetMinutes());
  sync::PullResponse response;
  response.server_millis = now;

  RETURN_IF_ERROR(storage_.Read([&](StorageTx& tx) -> Status {
    // A retried transaction runs this again: start from an empty answer.
    response.records.clear();
    response.conflicts.clear();
    ASSIGN_OR_RETURN(std::vector<Uuid> scope, ScopeIn(tx, session.account, today));
    response.scope = scope;
    PullCursor cursor;
    if (request.cursor.empty()) {
      cursor.known = scope;  // a fresh device gets everything in scope from seq 0
    } else if (auto decoded = DecodePullCursor(request.cursor)) {
      cursor = std::move(*decoded);
    } else {
      if (options_.log_warning) options_.log_warning("device " + request.device_id + " sent a damaged cursor");
      cursor.known = scope;
    }
    // Schools that left the scope stop flowing; schools that joined it are back-filled.
    std::erase_if(cursor.known, [&](const Uuid& id) { return !Contains(scope, id); });
    std::erase_if(cursor.backfill_schools, [&](const Uuid& id) { return !Contains(scope, id); });
    if (cursor.backfilling && cursor.backfill_schools.empty()) cursor.backfilling = false;
    std::sort(cursor.known.begin(), cursor.known.end());
    if (!cursor.backfilling) {
      for (const Uuid& id : scope) {
        if (!Contains(cursor.known, id)) cursor.backfill_schools.push_back(id);
      }
      if (!cursor.backfill_schools.empty()) {
        cursor.backfilling = true;
        cursor.backfill_upto = cursor.seq;
        cursor.backfill_after = 0;
      }
    }

    ScopeFilter filter;
    uint64_t after = cursor.seq;
    uint64_t upto = UINT64_MAX;
    if (cursor.backfilling) {
      filter.schools = cursor.backfill_schools;
      filter.include_district_wide = false;
      after = cursor.backfill_after;
      upto = cursor.backfill_upto;
    } else {
      filter.schools = cursor.known;
      filter.include_district_wide = true;
    }
    ASSIGN_OR_RETURN(std::vector<StoredRecord> records, tx.RecordsInRange(filter, after, upto, max_rows + 1));
    ASSIGN_OR_RETURN(std::vector<StoredConflict> conflicts, tx.ConflictsInRange(filter, after, upto, max_rows + 1));

    const bool skip_own = !request.cursor.empty() && !cursor.backfilling;
    // Both streams share one seq: take them in seq order until a bound is reached.
    size_t ri = 0, ci = 0, rows = 0, bytes = 0;
    uint64_t last = after;
    bool exhausted = true;
    while (ri < records.size() || ci < conflicts.size()) {
      const bool take_record = ci >= conflicts.size() || (ri < records.size() && records[ri].seq < conflicts[ci].seq);
      const uint64_t seq = take_record ? records[ri].seq : conflicts[ci].seq;
      const size_t size = take_record ? sync::WireSize(records[ri].state) : 128;
      if (rows >= max_rows || (rows > 0 && bytes + size > max_bytes)) {
        exhausted = false;
        break;
      }
      if (take_record) {
        // A record whose every value this device wrote is already on it, exactly: sending it
        // back would double the bytes of every small sync. Not on a fresh pull (empty cursor),
        // which must bring everything.
        RecordState& state = records[ri++].state;
        if (!(skip_own && AllWrittenBy(state, request.device_id))) response.records.push_back(std::move(state));
      } else {
        response.conflicts.push_back(std::move(conflicts[ci++].conflict));
      }
      ++rows;
      bytes += size;
      last = seq;
    }
    // Each list was fetched with one row more than a batch may take, so a batch never reaches
    // past the end of either list: nothing between them is skipped.

    if (cursor.backfilling) {
      cursor.backfill_after = last;
      if (exhausted) {
        cursor.known.insert(cursor.known.end(), cursor.backfill_schools.begin(), cursor.backfill_schools.end());
        std::sort(cursor.known.begin(), cursor.known.end());
        cursor.backfilling = false;
        cursor.backfill_schools.clear();
      }
      response.more = true;  // the main stream comes next
      if (exhausted) {
        ASSIGN_OR_RETURN(uint64_t max_seq, tx.MaxSeq());
        response.more = max_seq > cursor.seq;
      }
    } else {
      cursor.seq = last;
      response.more = !exhausted;
    }
    response.next_cursor = EncodePullCursor(cursor);
    return Status::Ok();
  }));
  return response;
}

// -----------------------------------------------------------------------------------------
// [SECTION] State hash, ingest, export
// -----------------------------------------------------------------------------------------

Result<std::string> SyncService::StateHash(const Account& account) {
  if (!SeesRecords(account)) return Status::PermissionDenied("an administrator's account sees no records");
  const core::Date today = core::Date::FromUnixMillis(clock_.NowMillis(), clock_.UtcOffsetMinutes());
  sync::StateHasher hasher;
  RETURN_IF_ERROR(storage_.Read([&](StorageTx& tx) -> Status {
    hasher = sync::StateHasher();  // a retried transaction starts over
    ScopeFilter filter;
    ASSIGN_OR_RETURN(filter.schools, ScopeIn(tx, account, today));
    filter.include_district_wide = true;
    return tx.ScanLive(filter, [&](const StoredRecord& r) -> Status {
      ASSIGN_OR_RETURN(std::vector<core::FieldValue> values, core::CompleteValues(r.state));
      hasher.Add(r.state.id, core::CanonicalBytes(r.state.kind, r.state.id, values));
      return Status::Ok();
    });
  }));
  return hasher.FinishHex();
}

Result<size_t> SyncService::InstallBundledRubrics(const std::filesystem::path& assets_dir) {
  ASSIGN_OR_RETURN(std::vector<core::RubricTemplate> bundled, core::LoadBundledRubrics(assets_dir));
  size_t installed = 0;
  RETURN_IF_ERROR(storage_.Write([&](StorageTx& tx) -> Status {
    installed = 0;
    for (const core::RubricTemplate& t : bundled) {
      ASSIGN_OR_RETURN(std::optional<StoredRecord> existing, tx.LoadRecord(t.id));
      if (existing) continue;
      RecordState state;
      state.kind = RecordKind::kRubricTemplate;
      state.id = t.id;
      const core::FieldClock clock{core::HlcStamp::FromParts(0, 1), "bundled"};
      core::ForEachFieldDef<core::RubricTemplate>([&](const auto& def) {
        using T = std::remove_cvref_t<decltype(t.*(def.member))>;
        state.fields.push_back({std::string(def.name), core::FieldCodec<T>::Encode(t.*(def.member)), clock, {}});
      });
      RETURN_IF_ERROR(tx.PutRecord(state, std::nullopt).status());
      ++installed;
    }
    return Status::Ok();
  }));
  return installed;
}

Result<size_t> SyncService::IngestStore(core::Store& store) {
  size_t applied = 0;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<core::OutboxEntry> entries, store.PendingChanges(1000));
    if (entries.empty()) break;
    std::vector<Change> changes;
    changes.reserve(entries.size());
    for (auto& e : entries) changes.push_back(std::move(e.change));
    ASSIGN_OR_RETURN(sync::PushResponse answer, PushAs(nullptr, store.device_id(), changes));
    if (answer.acked_op_seq < changes.front().op_seq) {
      return Status::Internal("the central store did not take change " + std::to_string(changes.front().op_seq));
    }
    RETURN_IF_ERROR(store.MarkAcked(answer.acked_op_seq));
    applied += changes.size() - answer.rejected.size();
  }
  return applied;
}

Status SyncService::ExportToStore(core::Store& store) {
  std::vector<RecordState> page;
  auto flush = [&]() -> Status {
    Status s = store.InTransaction([&]() -> Status {
      for (const RecordState& state : page) RETURN_IF_ERROR(store.ApplyState(state));
      return Status::Ok();
    });
    page.clear();
    return s;
  };
  RETURN_IF_ERROR(storage_.Read([&](StorageTx& tx) -> Status {
    ScopeFilter all;
    all.all_schools = true;
    return tx.ScanLive(all, [&](const StoredRecord& r) -> Status {
      page.push_back(r.state);
      if (page.size() >= 1000) return flush();
      return Status::Ok();
    });
  }));
  return flush();
}

}  // namespace mentorlog::server
