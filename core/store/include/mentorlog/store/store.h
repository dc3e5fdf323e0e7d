// The local store: one SQLite file per device, and the repository API, the only way to write.
//
// Every write, in one transaction, stores the row, the hybrid-logical-clock stamp of each
// changed field (with this device's id) and an outbox entry keyed by (device id, op seq).
// Deletes are tombstones. Migrations are numbered and run in a transaction at Open().
//
// Thread safety: a Store may be shared between threads; every call takes its lock.
// REQUIRES: one Store per file per process (SQLite's own locking protects other processes).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/change.h"
#include "mentorlog/domain/hlc.h"
#include "mentorlog/domain/record_state.h"
#include "mentorlog/domain/record_writer.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/domain/rubric.h"
#include "mentorlog/domain/validation.h"
#include "mentorlog/platform/env.h"

namespace mentorlog::core {

inline constexpr int kLatestSchemaVersion = 9;

struct StoreOptions {
  std::filesystem::path path;               // the SQLite file; created when missing
  std::string device_id;                    // empty: the store's own (made at creation); tests may fix it
  const mentorlog::Clock* clock = nullptr;  // null: platform::DefaultClock()
};

// The clock stamps of one record: one per field (in RecordTraits order) plus the tombstone's.
struct RecordClocks {
  RecordKind kind = RecordKind::kSchool;
  Uuid record_id;
  std::vector<std::pair<std::string, FieldClock>> fields;  // (field name, clock)
  std::optional<FieldClock> deleted;
};

// One outbox entry as stored.
struct OutboxEntry {
  Change change;
  bool acked = false;
};

// A value that lost a concurrent edit (or an edit of a deleted record), as the server
// reported it. Shown to the user; never applied by itself.
struct ConflictEntry {
  Uuid id;  // the server's id of the conflict
  RecordKind kind = RecordKind::kSchool;
  Uuid record_id;
  std::string field;
  FieldValue kept;
  FieldClock kept_clock;
  FieldValue lost;
  FieldClock lost_clock;
  ConflictReason reason = ConflictReason::kConcurrentEdit;
  int64_t noticed_millis = 0;
  bool dismissed = false;
};

// A change of this device that the server refused, with its reason.
struct RejectedEntry {
  uint64_t op_seq = 0;
  RecordKind kind = RecordKind::kSchool;
  Uuid record_id;
  std::string code;  // "permission", "validation", ...
  std::string reason_en;
  std::string reason_ru;
  int64_t rejected_millis = 0;
  Change change;  // what was refused, so nothing is lost
};

// A form kept as it was being typed (the app's drafts), so a killed app reopens with it.
// Local to this device: drafts are never synced and have no clocks or outbox entries.
struct DraftEntry {
  std::string key;             // the app's draft key, e.g. "visit:<uuid>"; not empty
  std::string kind;            // "visit", "observation", "consultation"
  std::string title;           // shown in the list of drafts
  std::string payload;         // the form, encoded by the app (opaque here)
  int64_t updated_millis = 0;  // Unix millis of the last SaveDraft (set by the store)
};

// The device's own settings, as the app's Settings screen shows them. Local to this device:
// never synced, no clocks, no outbox entry.
struct DeviceSettings {
  std::optional<Language> language;  // chosen in Settings; nullopt: never chosen
  float text_scale = 1.0f;           // the UI's text size, a positive factor
  bool auto_sync = false;            // sync by itself when online
  bool work_offline = false;         // "work offline" was chosen on the first-run screen
  friend bool operator==(const DeviceSettings&, const DeviceSettings&) = default;
};

class Store final : public RecordWriter {
 public:
  // Opens or creates the store, applying missing migrations in one transaction.
  // Errors: Unsupported when the file was written by a newer MentorLog (the message says
  // to update), Corruption when it is not a MentorLog store, IoError when it can't be opened,
  // InvalidInput when `options.device_id` is set and the store belongs to another device.
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  int schema_version() const;  // kLatestSchemaVersion: Open migrates the file
  // The device id that keys this store's outbox: made (128 random bits, hex) when the store
  // is created and kept in it, so a new store is always a new device to the server.
  const std::string& device_id() const;
  // Today in the local time zone of the store's clock.
  Date Today() const override;

  // ---- Repository API ----------------------------------------------------------------

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

  // The change feed: every write of a record on this device (Save, Delete, ApplyState) gives
  // the record the next local sequence number, in the write's transaction; a record written
  // twice is listed once, at its newest number. A reader keeps the number it read last (0 at
  // first: everything) and asks for what came after it, as the server's dashboards follow the
  // server's seq. Calls `fn` with each record written after `after`, oldest write first, at
  // most `limit` of them, as its state now: values only (clocks and bases empty), and a deleted
  // record as its tombstone (`deleted` set, no fields). Returns the number of the last record
  // given: `after` when there was none. The store's lock is held while a page is read, not
  // while `fn` runs: read a big feed in pages, and other calls run between them.
  Result<uint64_t> ChangesSince(uint64_t after, size_t limit,
                                const std::function<Status(const RecordState&)>& fn) const;
  // The number of the newest write in the feed (0 when nothing was written): one index step,
  // to learn cheaply whether anything was written since.
  Result<uint64_t> LastChange() const;

  // Runs `fn` in one transaction: every write inside commits together or not at all.
  // A nested call is a savepoint: when its `fn` fails, only its own writes are undone.
  // A repository write that is refused (validation, NotFound, Conflict) leaves nothing behind
  // and the transaction may go on; a write that fails half-way (the disk refused) makes the
  // whole transaction roll back and return that error.
  Status InTransaction(const std::function<Status()>& fn) override;

  // Whether a live record of any kind has this id, and its kind.
  Result<std::optional<RecordKind>> KindOf(const Uuid& id) const;

  // ---- Sync's side ------------------------------------------------------------------

  Result<RecordClocks> ClocksOf(RecordKind kind, const Uuid& id) const;
  // Outbox entries not yet acknowledged, in op_seq order, at most `limit`.
  Result<std::vector<OutboxEntry>> PendingChanges(size_t limit) const;
  Result<int64_t> PendingCount() const;
  // Marks this device's outbox entries up to `op_seq` acknowledged by the server.
  Status MarkAcked(uint64_t op_seq);

  // The record as sync sees it (any kind, live or tombstoned); nullopt when unknown.
  // Each field's base is left empty.
  Result<std::optional<RecordState>> StateOf(const Uuid& id) const;
  // Fields of `id` with an unacknowledged local write, and whether a local delete of it is
  // unacknowledged.
  Result<std::pair<std::set<std::string>, bool>> PendingFieldsOf(const Uuid& id) const;
  // Writes a merged state as it is: the row (inserted with defaults for fields the state
  // lacks), its field clocks and its tombstone. Writes no outbox entry: this is how pulled
  // data lands. The HLC observes every clock, so later local writes follow them.
  // Call inside InTransaction, with the cursor that goes with it.
  Status ApplyState(const RecordState& state);
  // Calls fn for every live record, kind by kind and by id within a kind, as a state
  // (values only: clocks and bases are left empty).
  Status ForEachLiveState(const std::function<Status(const RecordState&)>& fn) const;

  // The conflicts reported by the server (newest first) and rejected changes.
  Status AddConflict(const ConflictEntry& conflict);  // the same id twice is stored once
  Result<std::vector<ConflictEntry>> Conflicts(bool include_dismissed = false) const;
  Status DismissConflict(const Uuid& id);
  Status AddRejected(const RejectedEntry& rejected);  // the same op seq twice is stored once
  Result<std::vector<RejectedEntry>> Rejected() const;

  // Sync's own small state (pull cursor, last success, last error, scope...), as bytes. The
  // app's settings are not here: Settings().
  Result<std::optional<std::string>> GetSyncValue(std::string_view key) const;
  Status SetSyncValue(std::string_view key, std::string_view value);

  // ---- The device's own state (local only: no clocks, no outbox) -----------------------

  // The settings saved last; the defaults when none were.
  Result<DeviceSettings> Settings() const;
  // Replaces the settings. Errors: InvalidInput when text_scale is not a positive number, IoError.
  Status SaveSettings(const DeviceSettings& settings);

  // Drafts.

  // Inserts or replaces the draft under `draft.key`, stamping updated_millis with the store's
  // clock (the given value is ignored). Errors: InvalidInput when the key is empty, IoError.
  Status SaveDraft(const DraftEntry& draft);
  // The draft under `key`; nullopt when there is none.
  Result<std::optional<DraftEntry>> Draft(std::string_view key) const;
  // Every draft, newest first (ties by key).
  Result<std::vector<DraftEntry>> Drafts() const;
  // Deletes the draft under `key`; deleting a missing draft is Ok (a save may race a discard).
  Status DeleteDraft(std::string_view key);

  // ---- Checks ------------------------------------------------------------------------

  // "ok", or SQLite's integrity_check report.
  Result<std::string> IntegrityCheck() const;
  // Rows without their clocks, clocks without rows, and rows or clocks without an outbox
  // entry: each problem as a line. Empty when consistent.
  Result<std::vector<std::string>> ConsistencyProblems() const;
  Result<int64_t> Count(RecordKind kind, bool include_deleted = false) const;

  class Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mentorlog::core
