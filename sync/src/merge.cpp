#include "mentorlog/sync/merge.h"

#include <tuple>

namespace mentorlog::sync {

using core::FieldState;
using core::RecordKind;
using core::RecordState;

namespace {

int64_t IntOf(const core::FieldValue& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  return 0;
}

// open < in progress < done = dropped (unknown codes rank lowest: they never win by rank).
int StatusRank(const core::FieldValue& v) {
  const auto* s = std::get_if<std::string>(&v);
  if (s == nullptr) return -1;
  if (*s == "open") return 0;
  if (*s == "in_progress") return 1;
  if (*s == "done" || *s == "dropped") return 2;
  return -1;
}

bool IsMonotone(RecordKind kind, const std::string& field) {
  return kind == RecordKind::kRecommendation && (field == "status" || field == "reopen_count");
}

// Whether `in` beats `cur` for one field. `epoch_cur` / `epoch_in`: the reopen counts that the
// stored record and the incoming write were made under (recommendation status only).
bool Wins(RecordKind kind, const FieldState& cur, const FieldState& in, int64_t epoch_cur, int64_t epoch_in) {
  if (kind == RecordKind::kRecommendation && in.field == "status") {
    const auto a = std::make_tuple(epoch_in, StatusRank(in.value));
    const auto b = std::make_tuple(epoch_cur, StatusRank(cur.value));
    if (a != b) return a > b;
  } else if (kind == RecordKind::kRecommendation && in.field == "reopen_count") {
    if (IntOf(in.value) != IntOf(cur.value)) return IntOf(in.value) > IntOf(cur.value);
  }
  // A write made over the stored value (its writer had seen it) replaces it, even when its
  // stamp is lower: the server clamps the stamps of a device whose clock runs ahead, and a
  // clamped stamp can fall below that of the value the device saw.
  if (in.base == cur.clock) return true;
  return in.clock > cur.clock;
}

int64_t EpochOf(const RecordState& state, int64_t fallback) {
  const FieldState* f = state.Find("reopen_count");
  return f ? IntOf(f->value) : fallback;
}

// Merges incoming's fields into next by the rule; conflicts are collected when asked.
void MergeFields(RecordState& next, const RecordState& incoming, std::vector<MergeConflict>* conflicts,
                 const std::set<std::string>* authoritative_unless) {
  const int64_t epoch_cur = EpochOf(next, 0);
  const int64_t epoch_in = EpochOf(incoming, epoch_cur);
  for (const FieldState& in : incoming.fields) {
    FieldState* slot = next.Find(in.field);
    if (slot == nullptr) {
      next.fields.push_back(in);
      continue;
    }
    if (slot->clock == in.clock && slot->value == in.value) continue;  // the same write
    if (authoritative_unless != nullptr && !authoritative_unless->contains(in.field)) {
      *slot = in;  // the device takes the server's word for a field it has not changed since
      continue;
    }
    const bool in_wins = Wins(next.kind, *slot, in, epoch_cur, epoch_in);
    if (conflicts != nullptr && slot->value != in.value && !IsMonotone(next.kind, in.field)) {
      // A concurrent edit: the winner's writer had not seen the loser's value.
      const FieldState& winner = in_wins ? in : *slot;
      const FieldState& loser = in_wins ? *slot : in;
      // Two writes of one device are never concurrent: it sends them in the order it made
      // them, each after the one before. (Its base may still differ from the stored clock: the
      // server clamps the stamps of a device whose clock runs ahead.)
      const bool concurrent = winner.base != loser.clock && winner.clock.device_id != loser.clock.device_id;
      if (concurrent) conflicts->push_back({in.field, winner, loser, core::ConflictReason::kConcurrentEdit});
    }
    if (in_wins) *slot = in;
  }
}

}  // namespace

MergeResult MergeOnServer(const std::optional<RecordState>& current, const RecordState& incoming) {
  MergeResult r;
  if (!current) {
    r.next = incoming;
    r.changed = true;
    return r;
  }
  r.next = *current;
  if (current->deleted) {
    // Delete wins: an edit of a deleted record is not applied, but its values are kept.
    for (const FieldState& in : incoming.fields) {
      const FieldState* cur = current->Find(in.field);
      if (cur != nullptr && cur->value == in.value) continue;
      FieldState kept = cur ? *cur : FieldState{in.field, {}, *current->deleted, {}};
      r.conflicts.push_back({in.field, kept, in, core::ConflictReason::kEditAfterDelete});
    }
    if (incoming.deleted && *incoming.deleted > *current->deleted) r.next.deleted = incoming.deleted;
  } else {
    MergeFields(r.next, incoming, &r.conflicts, nullptr);
    if (incoming.deleted) r.next.deleted = incoming.deleted;
  }
  r.changed = r.next != *current;
  return r;
}

MergeResult MergeOnDevice(const std::optional<RecordState>& current, const RecordState& incoming,
                          const std::set<std::string>& pending, bool pending_delete) {
  MergeResult r;
  if (!current) {
    r.next = incoming;
    r.changed = true;
    return r;
  }
  r.next = *current;
  MergeFields(r.next, incoming, nullptr, &pending);
  if (pending_delete) {
    // The local delete is on its way; the server will keep it (delete wins).
    r.next.deleted = current->deleted;
  } else {
    r.next.deleted = incoming.deleted;
  }
  r.changed = r.next != *current;
  return r;
}

}  // namespace mentorlog::sync
