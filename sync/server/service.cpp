// The central store's rules (service.h).
//
// [SECTION] Scope
// [SECTION] Push: permission, append-only, merge, clamping
// [SECTION] Pull: the cursor and back-fill
// [SECTION] State hash, ingest, export

#include "service.h"

#include <algorithm>
#include <map>
#include <set>

#include "accounts.h"
#include "mentorlog/domain/rubric.h"
#include "mentorlog/domain/rules.h"
#include "mentorlog/domain/validation.h"
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

Result<AccountScope> ScopeIn(StorageTx& tx, const Account& account, core::Date today) {
  AccountScope scope;
  std::vector<Uuid>& schools = scope.schools;
  switch (account.role) {
    case Role::kAdmin:
      break;
    case Role::kCoordinator: {
      scope.district = account.district;
      ASSIGN_OR_RETURN(schools, tx.SchoolsOfDistrict(account.district));
      break;
    }
    case Role::kMentor:
    case Role::kTutor: {
      if (!account.person_id) break;
      ASSIGN_OR_RETURN(std::optional<StoredRecord> person, tx.LoadRecord(*account.person_id));
      if (person && person->state.kind == RecordKind::kPerson && person->district &&
          *person->district != kSharedDistrict) {
        scope.district = *person->district;
      }
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
  return scope;
}

Status ChooseTheDistrict() {
  return Status::InvalidInput(
      Bilingual("Records without a school (people, templates) belong to a district, and it is not clear which: "
                "the central store has several districts, or none yet. Name it with --district.",
                "Записи без школы (люди, шаблоны) относятся к району, а какому — неясно: в центральном хранилище "
                "несколько районов или пока ни одного. Укажите район в --district."));
}

Status DeviceOfAnotherAccount() {
  return Status::PermissionDenied(
      Bilingual("This device already syncs the records of another account, so the server did not take these "
                "changes; they stay on this device. Sign in with that account, or use a separate data folder "
                "for each account.",
                "С этого устройства уже синхронизируются записи другой учётной записи, поэтому сервер не принял "
                "изменения; они сохранены на устройстве. Войдите под той учётной записью или заведите для каждой "
                "учётной записи свою папку данных."));
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

Result<AccountScope> SyncService::ScopeOf(const Account& account) {
  AccountScope out;
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
                "Only a coordinator of the district can change " +
                    std::string(core::EnumLabel(c.kind, Language::kEnglish)) +
                    " records; the change stays on this device in the list of rejected changes.",
                "Изменять записи «" + std::string(core::EnumLabel(c.kind, Language::kRussian)) +
                    "» может только координатор района; изменение сохранено на устройстве в списке отклонённых.");
}

Rejection SchoolsAreTheCoordinators(const Change& c) {
  return Refuse(c, "permission",
                "Only a coordinator of the district can add or delete a school or move it to another district; "
                "the change stays on this device in the list of rejected changes.",
                "Добавить или удалить школу либо перенести её в другой район может только координатор района; "
                "изменение сохранено на устройстве в списке отклонённых.");
}

Rejection SharedRecord(const Change& c) {
  return Refuse(c, "permission",
                "This record is shared by every district (a rubric that comes with MentorLog) and cannot be "
                "changed; make your own copy instead. The change stays on this device in the list of rejected "
                "changes.",
                "Эта запись общая для всех районов (шкала, поставляемая с MentorLog), её нельзя изменить; "
                "создайте свою копию. Изменение сохранено на устройстве в списке отклонённых.");
}

Rejection FieldTwice(const Change& c, std::string_view field) {
  return Refuse(c, "validation",
                "This change names the field «" + std::string(field) +
                    "» twice, so the server cannot tell which value is meant; update MentorLog on this device.",
                "Изменение дважды называет поле «" + std::string(field) +
                    "», поэтому сервер не может понять, какое значение верное; обновите MentorLog на этом "
                    "устройстве.");
}

// A change that breaks rules of validation.h, naming each in both languages.
Rejection Invalid(const Change& c, const core::ValidationErrors& errors) {
  const Status refusal = core::ToStatus(errors);
  return Refuse(c, "validation", refusal.message(Language::kEnglish), refusal.message(Language::kRussian));
}

// Answers Validate's questions about other records with "unknown": the central store refuses
// only what a record breaks by itself, and those rules ask nothing (RuleSpan).
class RecordAlone final : public core::ValidationContext {
 public:
  explicit RecordAlone(core::Date today) : today_(today) {}
  core::Date Today() const override { return today_; }
  std::optional<core::School> FindSchool(const Uuid&) const override { return std::nullopt; }
  std::optional<core::Person> FindPerson(const Uuid&) const override { return std::nullopt; }
  std::optional<core::Date> SourceDate(core::SourceKind, const Uuid&) const override { return std::nullopt; }
  std::optional<core::Observation> FindObservation(const Uuid&) const override { return std::nullopt; }
  std::optional<core::NetworkEvent> FindEvent(const Uuid&) const override { return std::nullopt; }
  std::optional<core::MonitoringRound> FindRound(const Uuid&) const override { return std::nullopt; }
  std::optional<core::Rubric> FindRubric(std::string_view, int64_t) const override { return std::nullopt; }

 private:
  core::Date today_;
};

// The kRecord rules `state` breaks (validation.h).
Result<core::ValidationErrors> RecordRulesBroken(const RecordState& state, core::Date today) {
  const RecordAlone context(today);
  static const std::vector<std::string_view> kNoField;
  return core::VisitKind(state.kind, [&]<class R>() -> Result<core::ValidationErrors> {
    ASSIGN_OR_RETURN(R record, core::RecordFromState<R>(state));
    return core::Refusing(core::Validate(record, context), &kNoField);
  });
}

bool SameValues(const RecordState& a, const RecordState& b) {
  if (a.deleted.has_value() != b.deleted.has_value() || a.fields.size() != b.fields.size()) return false;
  for (size_t i = 0; i < a.fields.size(); ++i) {
    if (a.fields[i].field != b.fields[i].field || a.fields[i].value != b.fields[i].value) return false;
  }
  return true;
}

// The first field a change names twice, if any.
std::optional<std::string> FieldNamedTwice(const Change& c) {
  std::vector<std::string_view> names;
  names.reserve(c.fields.size());
  for (const auto& f : c.fields) names.push_back(f.field);
  std::sort(names.begin(), names.end());
  const auto twice = std::adjacent_find(names.begin(), names.end());
  if (twice == names.end()) return std::nullopt;
  return std::string(*twice);
}

// Where a record is, for permission: its school, or (none) its district.
struct Place {
  std::optional<Uuid> school;
  std::optional<std::string> district;  // nullopt: unknown (nobody may write it)
};

// Who writes: an account and what it sees, or (account null) the central store itself (an
// import, the demo), which may write anything and puts district-wide records in
// `ingest_district`.
class Writer {
 public:
  Writer(const Account* account, AccountScope scope, std::string ingest_district)
      : account_(account), scope_(std::move(scope)), ingest_district_(std::move(ingest_district)) {}

  bool coordinator() const { return account_ == nullptr || account_->role == Role::kCoordinator; }
  bool all_rights() const { return account_ == nullptr; }
  const std::string& district() const { return account_ ? scope_.district : ingest_district_; }
  bool InScope(const Uuid& school) const {
    return std::binary_search(scope_.schools.begin(), scope_.schools.end(), school);
  }
  void AddSchool(const Uuid& school) {
    if (!InScope(school)) {
      scope_.schools.insert(std::upper_bound(scope_.schools.begin(), scope_.schools.end(), school), school);
    }
  }

  bool CanSee(const Place& p) const {
    if (all_rights()) return true;
    if (p.school) return InScope(*p.school);
    return p.district && (*p.district == kSharedDistrict || (!district().empty() && *p.district == district()));
  }
  bool CanWrite(const Place& p) const {
    if (all_rights()) return true;
    if (p.school) return InScope(*p.school);
    return coordinator() && p.district && !district().empty() && *p.district == district();
  }

 private:
  const Account* account_;
  AccountScope scope_;
  std::string ingest_district_;
};

}  // namespace

Result<sync::PushResponse> SyncService::Push(const Session& session, const sync::PushRequest& request) {
  if (!SeesRecords(session.account)) {
    return Status::PermissionDenied("An administrator's account manages accounts and has no records to sync.");
  }
  return PushAs(&session.account, request.device_id, request.changes, std::string());
}

Result<sync::PushResponse> SyncService::PushAs(const Account* account, const std::string& device_id,
                                               const std::vector<Change>& changes, const std::string& ingest_district) {
  for (const Change& c : changes) {
    if (c.device_id != device_id) {
      return Status::InvalidInput("change " + std::to_string(c.op_seq) + " was made on another device (" + c.device_id +
                                  "); a device pushes only its own changes");
    }
  }
  const int64_t now = clock_.NowMillis();
  const core::Date today = core::Date::FromUnixMillis(now, clock_.UtcOffsetMinutes());
  const int64_t writer_id = account ? account->id : 0;
  sync::PushResponse response;
  response.server_millis = now;

  Status s = storage_.Write([&](StorageTx& tx) -> Status {
    response.rejected.clear();
    response.clamped = 0;
    // A device id belongs to the account that first used it: pushing under another account's
    // device id would advance its op seq, and that device's next real changes would be
    // skipped as replays.
    ASSIGN_OR_RETURN(std::optional<int64_t> owner, tx.DeviceOwner(device_id));
    if (owner && *owner != writer_id) return DeviceOfAnotherAccount();
    AccountScope scope;
    if (account) {
      ASSIGN_OR_RETURN(scope, ScopeIn(tx, *account, today));
    }
    Writer writer(account, std::move(scope), ingest_district);
    const sync::StateLoader load = LoaderOf(tx);
    // The district of a school as the central store holds it (nullopt: no such school), read
    // once a batch per school (a batch is mostly one school's records); a school written in
    // the batch is read again.
    std::map<Uuid, std::optional<std::string>> districts;
    auto district_of_school = [&](const Uuid& school) -> Result<std::optional<std::string>> {
      if (auto known = districts.find(school); known != districts.end()) return known->second;
      ASSIGN_OR_RETURN(std::optional<StoredRecord> r, tx.LoadRecord(school));
      std::optional<std::string> district;
      if (r && r->state.kind == RecordKind::kSchool) district = TextOf(r->state, "district");
      districts.emplace(school, district);
      return district;
    };

    ASSIGN_OR_RETURN(uint64_t applied, tx.DeviceOpSeq(device_id));
    // A batch sent again after its answer was lost gets the same answer: what was refused then
    // is refused again, from the record kept of it (the device stores it in `rejected` only
    // when an answer reaches it).
    std::optional<std::pair<uint64_t, uint64_t>> replayed;
    for (const Change& original : changes) {
      if (original.op_seq <= applied) {  // a replay: already applied or refused
        if (!replayed) replayed.emplace(original.op_seq, original.op_seq);
        replayed->first = std::min(replayed->first, original.op_seq);
        replayed->second = std::max(replayed->second, original.op_seq);
        continue;
      }
      if (original.op_seq != applied + 1) break;  // a gap: the device resends from applied + 1
      applied = original.op_seq;

      Change c = original;
      // Clamp stamps too far ahead of our clock: a device a year ahead must not win every edit.
      const uint64_t limit_millis = static_cast<uint64_t>(now + options_.max_clock_skew_millis);
      bool clamped = false;
      auto clamp = [&](core::HlcStamp& stamp) {
        std::lock_guard lock(hlc_mu_);
        if (stamp.millis() <= limit_millis) {
          hlc_.Observe(stamp);  // a clamped stamp comes after every stamp accepted before it
          return;
        }
        stamp = hlc_.Now();
        clamped = true;
      };
      clamp(c.stamp);
      for (auto& f : c.fields) clamp(f.stamp);
      if (clamped) {
        ++response.clamped;
        ++clamped_total_;
      }

      // The change's own shape, which tells nothing about stored records.
      bool known_fields = true;
      for (const auto& f : c.fields) known_fields = known_fields && core::IsFieldOf(c.kind, f.field);
      if (!known_fields || static_cast<int>(c.kind) < 0 || static_cast<size_t>(c.kind) >= core::kRecordKindCount) {
        response.rejected.push_back(Refuse(c, "unknown_field",
                                           "This change names a field the server does not know; update MentorLog "
                                           "on this device.",
                                           "Изменение содержит поле, неизвестное серверу; обновите MentorLog на "
                                           "этом устройстве."));
        continue;
      }
      if (std::optional<std::string> twice = FieldNamedTwice(c)) {
        response.rejected.push_back(FieldTwice(c, *twice));
        continue;
      }

      // Permission comes before anything about the stored record: a record the writer cannot
      // see is "not your school", whatever its kind and whether or not its id exists.
      ASSIGN_OR_RETURN(std::optional<StoredRecord> current, tx.LoadRecord(c.record_id));
      const std::optional<Place> was =
          current ? std::optional<Place>(Place{current->school_id, current->district}) : std::nullopt;
      if (was && !writer.CanSee(*was)) {
        response.rejected.push_back(NotYourSchool(c));
        continue;
      }
      if (current && current->state.kind != c.kind) {
        response.rejected.push_back(Refuse(c, "validation", "This id already belongs to another kind of record.",
                                           "Этот идентификатор уже занят записью другого вида."));
        continue;
      }
      const RecordState incoming = core::StateFromChange(c);
      std::optional<RecordState> current_state;
      if (current) current_state = current->state;

      // The edit rules over states (rules.h): an append-only entry is created once, never edited.
      if (current) {
        if (Status edit = core::CheckEdit(current->state, incoming); !edit.ok()) {
          response.rejected.push_back(
              Refuse(c, "append_only", edit.message(Language::kEnglish), edit.message(Language::kRussian)));
          continue;
        }
      }

      sync::MergeResult merged = sync::MergeOnServer(current_state, incoming);
      // A change that leaves every value of a record the writer sees as it is (an edit that was
      // already made; a bundled rubric template that an older device installed with an outbox
      // entry) is accepted as is.
      if (current && merged.conflicts.empty() && SameValues(current->state, merged.next)) continue;

      // Where the change puts the record: its school, or for a district-wide record the
      // district it was in (a new one: the writer's).
      Place next;
      ASSIGN_OR_RETURN(next.school, sync::SchoolOf(merged.next, load));
      if (c.kind == RecordKind::kSchool) {
        next.district = TextOf(merged.next, "district");
      } else if (next.school) {
        ASSIGN_OR_RETURN(next.district, district_of_school(*next.school));
      } else if (was) {
        next.district = was->district;
      } else {
        next.district = writer.district();
        if (!account && next.district->empty()) return ChooseTheDistrict();  // an import, several districts
      }

      std::optional<Rejection> refusal;
      if (c.kind == RecordKind::kSchool) {
        // A coordinator adds, edits and deletes the schools of their district; the others may
        // edit the schools they work with, but not delete one or move it to another district.
        const bool deletes = merged.next.deleted && !(current && current->state.deleted);
        const bool moves = !was || was->district != next.district;
        const bool ok = writer.coordinator() ? (writer.all_rights() || *next.district == writer.district()) &&
                                                   (!was || writer.CanWrite(*was))
                                             : was && writer.CanWrite(*was) && !deletes && !moves;
        if (!ok) refusal = writer.coordinator() ? NotYourSchool(c) : SchoolsAreTheCoordinators(c);
      } else if (sync::CoordinatorOnlyKind(c.kind) && !writer.coordinator()) {
        refusal = CoordinatorOnly(c);
      } else {
        const Place* was_place = was ? &*was : nullptr;
        for (const Place* p : {was_place, static_cast<const Place*>(&next)}) {
          if (p == nullptr || writer.CanWrite(*p) || refusal) continue;
          if (!p->school && p->district == std::optional<std::string>(kSharedDistrict)) {
            refusal = SharedRecord(c);
          } else if (!p->school && !writer.coordinator()) {
            refusal = CoordinatorOnly(c);  // district-wide records
          } else {
            refusal = NotYourSchool(c);
          }
        }
      }
      if (refusal) {
        response.rejected.push_back(*refusal);
        continue;
      }

      // The merged record must read back as its types (a hostile or broken client).
      if (auto values = core::CompleteValues(merged.next); !values.ok()) {
        response.rejected.push_back(Refuse(c, "validation",
                                           "The record is not valid: " + values.status().message(Language::kEnglish),
                                           "Запись некорректна: " + values.status().message(Language::kRussian)));
        continue;
      }
      // The rules a record must keep by itself, the device's own (validation.h): what the
      // change writes and the record it makes. A rule across records or of the clock is not a
      // reason to refuse here (RuleSpan).
      if (core::ValidationErrors texts = core::CheckStateTexts(incoming); !texts.empty()) {
        response.rejected.push_back(Invalid(c, texts));
        continue;
      }
      if (!merged.next.deleted) {
        ASSIGN_OR_RETURN(core::ValidationErrors broken, RecordRulesBroken(merged.next, today));
        if (!broken.empty()) {
          response.rejected.push_back(Invalid(c, broken));
          continue;
        }
      }

      const std::string district = next.district.value_or(writer.district());
      if (merged.changed) {
        RETURN_IF_ERROR(tx.PutRecord(merged.next, next.school, district).status());
        if (c.kind == RecordKind::kSchool) {
          districts.erase(merged.next.id);
          RETURN_IF_ERROR(tx.PutSchoolIndex(merged.next.id, district, merged.next.deleted.has_value()));
          // A school a coordinator adds is theirs for the rest of this batch too (its people,
          // assignments and visits usually follow it in the same batch).
          if (writer.coordinator() && district == writer.district() && !merged.next.deleted) {
            writer.AddSchool(merged.next.id);
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
        RETURN_IF_ERROR(tx.PutConflict(conflict, next.school, district).status());
      }
    }
    for (const Rejection& refused : response.rejected) {
      sync::PushResponse one;
      one.rejected.push_back(refused);
      RETURN_IF_ERROR(tx.PutRejection(device_id, refused.op_seq, sync::Encode(one)));
    }
    if (replayed) {
      ASSIGN_OR_RETURN(std::vector<std::string> kept, tx.RejectionsOf(device_id, replayed->first, replayed->second));
      std::vector<Rejection> again;
      for (const std::string& body : kept) {
        ASSIGN_OR_RETURN(sync::PushResponse one, sync::DecodePushResponse(body));
        again.insert(again.end(), one.rejected.begin(), one.rejected.end());
      }
      response.rejected.insert(response.rejected.begin(), again.begin(), again.end());
    }
    // Which refused records the writer has no copy of here: its device drops its own.
    response.not_held.clear();
    for (const Rejection& refused : response.rejected) {
      ASSIGN_OR_RETURN(std::optional<StoredRecord> held, tx.LoadRecord(refused.record_id));
      if (held && writer.CanSee(Place{held->school_id, held->district})) continue;
      if (std::find(response.not_held.begin(), response.not_held.end(), refused.record_id) == response.not_held.end()) {
        response.not_held.push_back(refused.record_id);
      }
    }
    RETURN_IF_ERROR(tx.SetDeviceOpSeq(device_id, writer_id, applied));
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
    ASSIGN_OR_RETURN(AccountScope account_scope, ScopeIn(tx, session.account, today));
    const std::vector<Uuid>& scope = account_scope.schools;
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
    filter.district = account_scope.district;
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
    ASSIGN_OR_RETURN(AccountScope scope, ScopeIn(tx, account, today));
    filter.schools = std::move(scope.schools);
    filter.district = std::move(scope.district);
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
      // The same state every device installs, so nobody has it to push.
      RETURN_IF_ERROR(tx.PutRecord(core::BundledRubricState(t), std::nullopt, std::string(kSharedDistrict)).status());
      ++installed;
    }
    return Status::Ok();
  }));
  return installed;
}

Result<std::string> SyncService::OnlyDistrict(std::set<std::string> districts) {
  RETURN_IF_ERROR(storage_.Read([&](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(std::vector<std::string> known, tx.Districts());
    districts.insert(known.begin(), known.end());
    return Status::Ok();
  }));
  return districts.size() == 1 ? *districts.begin() : std::string();
}

Result<std::vector<sync::Rejection>> SyncService::IngestChanges(const std::string& device_id,
                                                                const std::vector<core::Change>& changes,
                                                                const std::string& district) {
  std::vector<sync::Rejection> refused;
  for (size_t at = 0; at < changes.size(); at += 1000) {
    const std::vector<Change> batch(changes.begin() + static_cast<std::ptrdiff_t>(at),
                                    changes.begin() + static_cast<std::ptrdiff_t>(std::min(changes.size(), at + 1000)));
    ASSIGN_OR_RETURN(sync::PushResponse answer, PushAs(nullptr, device_id, batch, district));
    if (answer.acked_op_seq < batch.back().op_seq) {
      return Status::Internal("the central store did not take change " + std::to_string(answer.acked_op_seq + 1));
    }
    refused.insert(refused.end(), answer.rejected.begin(), answer.rejected.end());
  }
  return refused;
}

Result<size_t> SyncService::IngestStore(core::Store& store, std::string district) {
  if (district.empty()) {
    // The one district of the schools here and in the central store; with several, a record
    // without a school that is new to the central store asks for --district (PushAs).
    std::set<std::string> districts;
    ASSIGN_OR_RETURN(std::vector<core::School> schools, store.records().List<core::School>());
    for (const core::School& school : schools) districts.insert(school.district);
    ASSIGN_OR_RETURN(district, OnlyDistrict(std::move(districts)));
  }
  size_t applied = 0;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<core::OutboxEntry> entries, store.ledger().PendingChanges(1000));
    if (entries.empty()) break;
    std::vector<Change> changes;
    changes.reserve(entries.size());
    for (auto& e : entries) changes.push_back(std::move(e.change));
    ASSIGN_OR_RETURN(std::vector<sync::Rejection> refused, IngestChanges(store.device_id(), changes, district));
    RETURN_IF_ERROR(store.ledger().MarkAcked(changes.back().op_seq));
    applied += changes.size() - refused.size();
  }
  return applied;
}

}  // namespace mentorlog::server
