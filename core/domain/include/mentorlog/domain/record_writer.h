// RecordWriter: where records are written by the rules, whoever holds them.
//
// The device's store (store/store.h) and the central store (sync/server/central_writer.h) both
// implement it, so what writes many records at once (the CSV import, the demo district) is
// written once, against this interface, and runs on either side by the same rules.
//
// A writer keeps every record as a RecordState; the typed calls (Save<Visit>, List<School>)
// convert through the field table. Every rule a save obeys is here or in rules.h and
// validation.h: PlanSave says what a save writes, and the recommendation's status moves and the
// observation's scores are the functions at the end.
//
// Thread safety: as the implementation's.
#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/record_state.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/domain/rules.h"
#include "mentorlog/domain/validation.h"

namespace mentorlog::core {

class RecordWriter {
 public:
  virtual ~RecordWriter() = default;

  // Today where the writer is (the device's local date; the server's).
  virtual Date Today() const = 0;

  // Runs `fn` so that every write inside lands together or not at all. A nested call undoes
  // only its own writes when its `fn` fails. A refused write (validation, NotFound, Conflict)
  // leaves nothing behind and the transaction may go on.
  virtual Status InTransaction(const std::function<Status()>& fn) = 0;

  // Saves a live record given as a state of values (every field of its kind, in table order, as
  // StateFromRecord makes it; a nil id gets a new one). Returns the state as saved.
  // Errors: InvalidInput (validation, every problem listed), NotFound (the record was deleted),
  // Conflict (rules.h CheckEdit), IoError.
  virtual Result<RecordState> SaveState(RecordState state, EditAction action) = 0;
  // The live record `id` of `kind` (values only); nullopt when absent or deleted.
  virtual Result<std::optional<RecordState>> LiveState(RecordKind kind, const Uuid& id) const = 0;
  // Every live record of `kind`, by id; or only those whose Uuid field `field` is `id` when
  // `field` is not empty. `fn` may stop the walk with an error, which is returned.
  virtual Status ForEachLive(RecordKind kind, std::string_view field, const Uuid& id,
                             const std::function<Status(const RecordState&)>& fn) const = 0;
  // Marks a record deleted. NotFound when absent or already deleted.
  virtual Status Delete(RecordKind kind, const Uuid& id) = 0;

  // ---- Typed calls ------------------------------------------------------------------------

  template <class R>
  Result<R> Save(const R& record, EditAction action = EditAction::kSave) {
    ASSIGN_OR_RETURN(RecordState saved, SaveState(StateFromRecord(record), action));
    return RecordFromState<R>(saved);
  }
  // NotFound when absent or deleted.
  template <class R>
  Result<R> Get(const Uuid& id) const {
    ASSIGN_OR_RETURN(std::optional<RecordState> state, LiveState(RecordTraits<R>::kKind, id));
    if (!state) return NoSuchRecord(RecordTraits<R>::kKind, id);
    return RecordFromState<R>(*state);
  }
  template <class R>
  Result<std::vector<R>> List() const {
    return ListBy<R>({}, Uuid());
  }
  template <class R>
  Result<std::vector<R>> ListBy(std::string_view field, const Uuid& id) const {
    std::vector<R> out;
    RETURN_IF_ERROR(ForEachLive(RecordTraits<R>::kKind, field, id, [&](const RecordState& state) -> Status {
      ASSIGN_OR_RETURN(R record, RecordFromState<R>(state));
      out.push_back(std::move(record));
      return Status::Ok();
    }));
    return out;
  }
};

// What every writer says when a write is refused for what is stored:
// NotFound: no live record `id` of `kind` (to read, or to delete with `to_delete`).
Status NoSuchRecord(RecordKind kind, const Uuid& id, bool to_delete = false);
// NotFound: the record was deleted, so it cannot be edited.
Status DeletedRecordRefusal();
// InvalidInput: `id` already belongs to a record of the kind `other` (ids are unique across kinds).
Status IdOfAnotherKind(const Uuid& id, RecordKind other);

// The names of the fields whose values differ between `a` and `b`.
template <class R>
std::vector<std::string_view> ChangedFields(const R& a, const R& b) {
  std::vector<std::string_view> out;
  ForEachFieldDef<R>([&](const auto& def) {
    using T = std::remove_cvref_t<decltype(a.*(def.member))>;
    if (FieldCodec<T>::Encode(a.*(def.member)) != FieldCodec<T>::Encode(b.*(def.member))) out.push_back(def.name);
  });
  return out;
}

// What saving `next` over the stored record writes, by the rules every writer shares.
struct SavePlan {
  bool existed = false;
  std::vector<size_t> changed;  // indexes into RecordTraits<R> order; empty: nothing to write
};

// Plans the save of `next` over `stored` (nullptr: a new record): the fields that change, after
// CheckEdit (when something changes) and the validation `errors` that refuse them (validation.h
// Refusing). A recommendation's status change carries its reopen count: the merge orders
// statuses by (reopen_count, rank) (sync/merge.h).
// Errors: Conflict from CheckEdit; InvalidInput listing the refusing errors.
template <class R>
Result<SavePlan> PlanSave(const R* stored, const R& next, const ValidationErrors& errors, EditAction action) {
  SavePlan plan;
  plan.existed = stored != nullptr;
  std::vector<std::string_view> written;
  size_t i = 0;
  ForEachFieldDef<R>([&](const auto& def) {
    using T = std::remove_cvref_t<decltype(next.*(def.member))>;
    if (!stored || FieldCodec<T>::Encode(stored->*(def.member)) != FieldCodec<T>::Encode(next.*(def.member))) {
      plan.changed.push_back(i);
      written.push_back(def.name);
    }
    ++i;
  });
  if (plan.changed.empty()) return plan;
  if (stored) RETURN_IF_ERROR(CheckEdit(*stored, next, action));
  RETURN_IF_ERROR(ToStatus(Refusing(errors, stored ? &written : nullptr)));
  if constexpr (std::is_same_v<R, Recommendation>) {
    static const auto [status_at, reopen_at] = [] {
      size_t status = 0, reopen = 0, k = 0;
      ForEachFieldDef<R>([&](const auto& def) {
        if (def.name == std::string_view("status")) status = k;
        if (def.name == std::string_view("reopen_count")) reopen = k;
        ++k;
      });
      return std::pair{status, reopen};
    }();
    auto has = [&](size_t at) { return std::find(plan.changed.begin(), plan.changed.end(), at) != plan.changed.end(); };
    if (has(status_at) && !has(reopen_at)) {
      plan.changed.push_back(reopen_at);
      std::sort(plan.changed.begin(), plan.changed.end());
    }
  }
  return plan;
}

// ---- The writes made of several records ---------------------------------------------------

// Saves an observation and its scores in one transaction. Scores are matched to the stored ones
// by criterion; stored scores whose criterion is absent are deleted. `scores` gets their ids.
Result<Observation> SaveObservation(RecordWriter& writer, Observation observation,
                                    std::vector<ObservationScore>& scores);

// Moves a recommendation's status forward and records the event, dated `on` (default: today);
// done or dropped also sets closed_on. Errors: Conflict when `to` is not after the current
// status (reopen it instead); those of the saves.
Result<Recommendation> AdvanceRecommendation(RecordWriter& writer, const Uuid& id, RecommendationStatus to,
                                             std::string_view note,
                                             std::optional<Uuid> verified_visit_id = std::nullopt,
                                             std::optional<Date> on = std::nullopt);

// Reopens a done or dropped recommendation (the only way its status goes back), with a reason,
// as an event dated `on` (default: today). Errors: Conflict when it is not done or dropped;
// InvalidInput when the reason is empty.
Result<Recommendation> ReopenRecommendation(RecordWriter& writer, const Uuid& id, std::string_view reason,
                                            std::optional<Date> on = std::nullopt);

}  // namespace mentorlog::core
