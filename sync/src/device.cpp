#include "mentorlog/sync/device.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "mentorlog/domain/serialize.h"
#include "mentorlog/sync/merge.h"

namespace mentorlog::sync {

using core::RecordKind;

Result<std::vector<Change>> NextPushBatch(const core::SyncLedger& ledger, size_t max_rows, size_t max_bytes) {
  ASSIGN_OR_RETURN(std::vector<core::OutboxEntry> entries, ledger.PendingChanges(max_rows));
  std::vector<Change> batch;
  size_t bytes = 0;
  for (auto& e : entries) {
    const size_t size = core::EncodeBinary(e.change).size() + 4;
    if (!batch.empty() && bytes + size > max_bytes) break;
    bytes += size;
    batch.push_back(std::move(e.change));
  }
  return batch;
}

Status ApplyPushResponse(core::SyncLedger& ledger, const std::vector<Change>& sent, const PushResponse& answer,
                         int64_t now_millis) {
  uint64_t last_sent = 0;
  for (const Change& c : sent) last_sent = std::max(last_sent, c.op_seq);
  const uint64_t acked = std::min(answer.acked_op_seq, last_sent);
  // Every rejection must be of a change in this batch that the answer acknowledges; anything
  // else would store a refusal without its change, or refuse what the server never took.
  std::vector<core::RejectedEntry> entries;
  entries.reserve(answer.rejected.size());
  for (const Rejection& x : answer.rejected) {
    const auto refused = std::lower_bound(sent.begin(), sent.end(), x.op_seq,
                                          [](const Change& c, uint64_t op_seq) { return c.op_seq < op_seq; });
    if (refused == sent.end() || refused->op_seq != x.op_seq || x.op_seq > acked || refused->record_id != x.record_id ||
        refused->kind != x.kind) {
      return Status::Internal(
          LocalText{"Сервер отказал в изменении, которого это устройство ему не отправляло. Это ошибка сервера: "
                    "синхронизация остановлена, неподтверждённые изменения остаются на этом устройстве. Попробуйте "
                    "позже; если повторится, сообщите координатору.",
                    "The server refused a change this device did not send it. This is a fault of the server: sync "
                    "stopped, and every change not yet confirmed stays on this device. Try again later; if it "
                    "happens again, tell your coordinator."});
    }
    core::RejectedEntry entry;
    entry.op_seq = x.op_seq;
    entry.kind = refused->kind;
    entry.record_id = refused->record_id;
    entry.code = x.code;
    entry.reason_en = x.reason_en;
    entry.reason_ru = x.reason_ru;
    entry.rejected_millis = now_millis;
    entry.change = *refused;
    entries.push_back(std::move(entry));
  }
  // A refused record the server holds no copy of is dropped here too (the change stays in
  // `rejected`), as a refused edit is replaced by the server's state at the next pull: the
  // device then holds what the server holds. Only records of changes this answer refused.
  std::vector<Uuid> drop;
  for (const Uuid& id : answer.not_held) {
    const bool refused_here =
        std::any_of(entries.begin(), entries.end(), [&](const core::RejectedEntry& e) { return e.record_id == id; });
    if (refused_here) drop.push_back(id);
  }
  return ledger.InTransaction([&]() -> Status {
    for (const core::RejectedEntry& entry : entries) RETURN_IF_ERROR(ledger.AddRejected(entry));
    for (const Uuid& id : drop) {
      ASSIGN_OR_RETURN(std::optional<RecordState> state, ledger.StateOf(id));
      if (!state || state->deleted) continue;
      // A tombstone older than any write: a state the server sends later (the school back in
      // scope) replaces it.
      state->deleted = core::FieldClock{core::HlcStamp::FromParts(0, 1), "server"};
      RETURN_IF_ERROR(ledger.ApplyState(*state));
    }
    return ledger.MarkAcked(acked);
  });
}

namespace {

std::string EncodeScope(const std::vector<Uuid>& scope) {
  std::string out;
  out.reserve(scope.size() * 16);
  for (const Uuid& id : scope) out.append(reinterpret_cast<const char*>(id.bytes().data()), 16);
  return out;
}

}  // namespace

Result<size_t> ApplyPullResponse(core::SyncLedger& ledger, const PullResponse& answer, int64_t now_millis) {
  size_t changed = 0;
  RETURN_IF_ERROR(ledger.InTransaction([&]() -> Status {
    for (const RecordState& incoming : answer.records) {
      ASSIGN_OR_RETURN(std::optional<RecordState> current, ledger.StateOf(incoming.id));
      std::pair<std::set<std::string>, bool> pending;
      if (current) {
        ASSIGN_OR_RETURN(pending, ledger.PendingFieldsOf(incoming.id));
      }
      MergeResult merged = MergeOnDevice(current, incoming, pending.first, pending.second);
      if (!merged.changed) continue;
      RETURN_IF_ERROR(ledger.ApplyState(merged.next));
      ++changed;
    }
    for (const ConflictRecord& c : answer.conflicts) {
      core::ConflictEntry entry{c, /*dismissed=*/false};
      entry.noticed_millis = c.noticed_millis ? c.noticed_millis : now_millis;
      RETURN_IF_ERROR(ledger.AddConflict(entry));
    }
    RETURN_IF_ERROR(ledger.SetSyncValue(kCursorKey, answer.next_cursor));
    return ledger.SetSyncValue(kScopeKey, EncodeScope(answer.scope));
  }));
  return changed;
}

Result<std::optional<Uuid>> SchoolOf(const RecordState& state, const StateLoader& load) {
  auto id_field = [&](const RecordState& s, std::string_view name) -> std::optional<Uuid> {
    const core::FieldState* f = s.Find(name);
    if (f == nullptr) return std::nullopt;
    const auto* text = std::get_if<std::string>(&f->value);
    if (text == nullptr || text->empty()) return std::nullopt;
    auto id = Uuid::Parse(*text);
    if (!id.ok()) return std::nullopt;
    return *id;
  };
  // The school of the parent record named by `field`, through `hops` parents at most.
  auto via_parent = [&](std::string_view field, std::string_view parent_field) -> Result<std::optional<Uuid>> {
    auto parent_id = id_field(state, field);
    if (!parent_id) return std::optional<Uuid>();
    ASSIGN_OR_RETURN(std::optional<RecordState> parent, load(*parent_id));
    if (!parent) return std::optional<Uuid>();
    return id_field(*parent, parent_field);
  };
  switch (state.kind) {
    case RecordKind::kSchool:
      return std::optional<Uuid>(state.id);
    case RecordKind::kRubricTemplate:
      return std::optional<Uuid>();
    case RecordKind::kObservationScore:
      return via_parent("observation_id", "school_id");
    case RecordKind::kRecommendationEvent:
      return via_parent("recommendation_id", "school_id");
    case RecordKind::kDeficit:
    case RecordKind::kRouteItem:
    case RecordKind::kTraining:
    case RecordKind::kEventParticipant:
      return via_parent("teacher_id", "school_id");  // the teacher's school
    case RecordKind::kNetworkEvent:
      return std::optional<Uuid>();  // district-wide: its participants belong to their schools
    case RecordKind::kNetworkAgreement:
      return id_field(state, "supported_school_id");
    case RecordKind::kPerson: {
      // Mentors, tutors and coordinators are district-wide (a mentor who is also the director
      // of another school still sees their own record); other people belong to their school.
      const core::FieldState* roles = state.Find("roles");
      const auto* text = roles ? std::get_if<std::string>(&roles->value) : nullptr;
      if (text != nullptr) {
        std::string_view rest = *text;
        while (!rest.empty()) {
          const size_t nl = rest.find('\n');
          const std::string_view role = rest.substr(0, nl);
          if (role == "mentor" || role == "tutor" || role == "coordinator") return std::optional<Uuid>();
          rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
        }
      }
      return id_field(state, "school_id");
    }
    default:
      return id_field(state, "school_id");
  }
}

bool CoordinatorOnlyKind(core::RecordKind kind) {
  return kind == RecordKind::kAssignment || kind == RecordKind::kRubricTemplate ||
         kind == RecordKind::kNetworkAgreement || kind == RecordKind::kMonitoringRound ||
         kind == RecordKind::kRoundResult || kind == RecordKind::kStatusChange;
}

Result<bool> CoordinatorOnly(const RecordState& state, const StateLoader& load) {
  if (CoordinatorOnlyKind(state.kind)) return true;
  ASSIGN_OR_RETURN(std::optional<Uuid> school, SchoolOf(state, load));
  return !school.has_value();
}

Result<std::vector<Uuid>> StoredScope(const core::SyncLedger& ledger) {
  ASSIGN_OR_RETURN(std::optional<std::string> raw, ledger.GetSyncValue(kScopeKey));
  std::vector<Uuid> out;
  if (!raw) return out;
  for (size_t at = 0; at + 16 <= raw->size(); at += 16) {
    std::array<uint8_t, 16> bytes{};
    std::memcpy(bytes.data(), raw->data() + at, 16);
    out.emplace_back(bytes);
  }
  return out;
}

void StateHasher::Add(const Uuid& id, std::string_view canonical_bytes) {
  std::array<unsigned char, 32> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(canonical_bytes.data()),
                     canonical_bytes.size());
  entries_.emplace_back(id, digest);
}

std::string StateHasher::FinishHex() {
  std::sort(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  for (const auto& [id, digest] : entries_) {
    crypto_hash_sha256_update(&st, id.bytes().data(), id.bytes().size());
    crypto_hash_sha256_update(&st, digest.data(), digest.size());
  }
  std::array<unsigned char, 32> out{};
  crypto_hash_sha256_final(&st, out.data());
  std::string hex(64, '0');
  sodium_bin2hex(hex.data(), hex.size() + 1, out.data(), out.size());
  return hex;
}

Result<std::string> DeviceStateHash(const core::Store& store) {
  ASSIGN_OR_RETURN(std::vector<Uuid> scope, StoredScope(store.ledger()));
  std::sort(scope.begin(), scope.end());
  StateLoader load = [&](const Uuid& id) { return store.ledger().StateOf(id); };
  StateHasher hasher;
  RETURN_IF_ERROR(store.records().ForEachLiveState([&](const RecordState& state) -> Status {
    ASSIGN_OR_RETURN(std::optional<Uuid> school, SchoolOf(state, load));
    if (school && !std::binary_search(scope.begin(), scope.end(), *school)) return Status::Ok();
    std::vector<core::FieldValue> values;
    values.reserve(state.fields.size());
    for (const auto& f : state.fields) values.push_back(f.value);
    hasher.Add(state.id, core::CanonicalBytes(state.kind, state.id, values));
    return Status::Ok();
  }));
  return hasher.FinishHex();
}

}  // namespace mentorlog::sync
