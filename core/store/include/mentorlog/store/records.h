// Records: the repository face of the local store (store.h), the only way to write a record.
//
// Every write, in one transaction, stores the row, the hybrid-logical-clock stamp of each
// changed field (with this device's id) and an outbox entry keyed by (device id, op seq).
// Deletes are tombstones. The typed calls and the RecordWriter calls are the same writes.
//
// Thread safety: shares the Store's one lock with its other faces; every call takes it, so a
// Records may be used from several threads. Valid as long as the Store that handed it out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/record_state.h"
#include "mentorlog/domain/record_writer.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/domain/validation.h"

namespace mentorlog::core {

class StoreImpl;

class Records final : public RecordWriter {
 public:
  Records(const Records&) = delete;
  Records& operator=(const Records&) = delete;

  // Today in the local time zone of the store's clock.
  Date Today() const override;

  // Inserts `record` (a nil id gets a new UUIDv7) or updates the changed fields of the
  // stored one. Validates first; an unchanged record writes nothing.
  // Errors: InvalidInput (validation, every problem listed), NotFound (the record was
  // deleted), Conflict (a recommendation status moving backwards; an edit of an append-only
  // history entry), IoError.
  template <class R>
  Result<R> Save(R record);

  // The live record. NotFound when absent or deleted.
  template <class R>
  Result<R> Get(const Uuid& id) const;

  // Every live record of a kind, ordered by id (= creation time).
  template <class R>
  Result<std::vector<R>> List() const;

  // Every live record of a kind whose `field` equals `id`, ordered by id: the records of one
  // school (ListBy<Visit>("school_id", ...)), of one teacher, of one assignee. `field` must be
  // a Uuid or optional Uuid field of R (RecordTraits<R>::kFields); reads only the matching
  // rows (indexed for the school and teacher lookups the app makes).
  // Errors: InvalidInput when R has no such field (a programmer's error), IoError.
  template <class R>
  Result<std::vector<R>> ListBy(std::string_view field, const Uuid& id) const;

  // The errors a Save of `record` would be refused for, each on its field: the record's own
  // rules, and a rule across records on a field the save changes (validation.h Refusing),
  // against the store as it is now. A form shows them all at once, under their fields, before
  // saving. Empty when the save would pass validation.
  template <class R>
  ValidationErrors Check(const R& record) const;

  // The rules across records (validation.h, RuleSpan::kAcrossRecords) that `record` breaks as
  // it is: a recommendation due before the observation it came from, after that observation's
  // date was moved on another device. No edit of another field is refused for them, so the app
  // shows them beside the record, where the user can fix them. Empty when there are none.
  template <class R>
  ValidationErrors RuleWarnings(const R& record) const;

  // Marks a record deleted (a tombstone). NotFound when absent or already deleted.
  Status Delete(RecordKind kind, const Uuid& id) override;

  // The writes of several records (record_writer.h), on this store.
  Result<Observation> SaveObservation(Observation observation, std::vector<ObservationScore>& scores) {
    return core::SaveObservation(*this, std::move(observation), scores);
  }
  Result<std::vector<ObservationScore>> ScoresOf(const Uuid& observation_id) const;
  Result<Recommendation> AdvanceRecommendation(const Uuid& id, RecommendationStatus to, std::string_view note,
                                               std::optional<Uuid> verified_visit_id = std::nullopt,
                                               std::optional<Date> on = std::nullopt) {
    return core::AdvanceRecommendation(*this, id, to, note, verified_visit_id, on);
  }
  Result<Recommendation> ReopenRecommendation(const Uuid& id, std::string_view reason,
                                              std::optional<Date> on = std::nullopt) {
    return core::ReopenRecommendation(*this, id, reason, on);
  }

  // RecordWriter, by state (the typed calls above are the same writes).
  Result<RecordState> SaveState(RecordState state, EditAction action) override;
  Result<std::optional<RecordState>> LiveState(RecordKind kind, const Uuid& id) const override;
  Status ForEachLive(RecordKind kind, std::string_view field, const Uuid& id,
                     const std::function<Status(const RecordState&)>& fn) const override;

  // A school's contact and recommendation figures, counted in SQL on the indexes (no record is
  // decoded): the newest visit, observation or consultation dated on or before `today`, the
  // open (open or in progress) recommendations and those of them due before `today`.
  struct SchoolActivity {
    std::optional<Date> last_contact;
    int64_t open_recommendations = 0;
    int64_t overdue_recommendations = 0;
  };
  Result<SchoolActivity> ActivityOf(const Uuid& school_id, Date today) const;

  // Whether a live record of any kind has this id, and its kind.
  Result<std::optional<RecordKind>> KindOf(const Uuid& id) const;
  // The records of a kind (the tombstones too when `include_deleted`).
  Result<int64_t> Count(RecordKind kind, bool include_deleted = false) const;

  // The change feed: every write of a record on this device (Save, Delete, and
  // SyncLedger::ApplyState) gives the record the next local sequence number, in the write's
  // transaction; a record written twice is listed once, at its newest number. A reader keeps
  // the number it read last (0 at first: everything) and asks for what came after it, as the
  // server's dashboards follow the server's seq. Calls `fn` with each record written after
  // `after`, oldest write first, at most `limit` of them, as its state now: values only (clocks
  // and bases empty), and a deleted record as its tombstone (`deleted` set, no fields). Returns
  // the number of the last record given: `after` when there was none. The store's lock is held
  // while a page is read, not while `fn` runs: read a big feed in pages, and other calls run
  // between them.
  Result<uint64_t> ChangesSince(uint64_t after, size_t limit,
                                const std::function<Status(const RecordState&)>& fn) const;
  // The number of the newest write in the feed (0 when nothing was written): one index step,
  // to learn cheaply whether anything was written since.
  Result<uint64_t> LastChange() const;
  // Calls fn for every live record, kind by kind and by id within a kind, as a state
  // (values only: clocks and bases are left empty). The lock is held while `fn` runs.
  Status ForEachLiveState(const std::function<Status(const RecordState&)>& fn) const;
  // As ForEachLiveState, but read `page` records at a time, the lock released between pages
  // and while `fn` runs, so that other calls are served during a long scan (the app's first
  // dashboards read 178k records in seconds). Not a snapshot: a record written during the scan
  // may be given or not, at its old values or its new. For a reader that follows the change
  // feed from a LastChange read before the scan (decision 0007). REQUIRES: page > 0.
  Status ScanLiveStates(size_t page, const std::function<Status(const RecordState&)>& fn) const;

  // Runs `fn` in one transaction: every write inside commits together or not at all, whichever
  // face of the store it goes through. A nested call is a savepoint: when its `fn` fails, only
  // its own writes are undone. A repository write that is refused (validation, NotFound,
  // Conflict) leaves nothing behind and the transaction may go on; a write that fails half-way
  // (the disk refused) makes the whole transaction roll back and return that error.
  Status InTransaction(const std::function<Status()>& fn) override;

 private:
  friend class Store;
  explicit Records(StoreImpl& impl) : impl_(impl) {}
  StoreImpl& impl_;
};

}  // namespace mentorlog::core
