// The local store: one SQLite file per device, seen through three faces over one connection:
//
//   Records      (records.h)       the repository, the only way to write a record;
//   SyncLedger   (sync_ledger.h)   the outbox, clocks, pulled states, conflicts, sync's state;
//   DeviceState  (device_state.h)  the app's settings and drafts (local only).
//
// Each caller takes the narrowest face it needs. All three share one connection, one lock and
// one transaction: InTransaction on any face covers writes through the others.
// Migrations are numbered and run in a transaction at Open().
//
// Thread safety: a Store and its faces may be shared between threads; every call takes the
// store's one lock. REQUIRES: one Store per file per process (SQLite's own locking protects
// other processes).
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
#include "mentorlog/domain/record_writer.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/store/device_state.h"
#include "mentorlog/store/records.h"
#include "mentorlog/store/sync_ledger.h"

namespace mentorlog::core {

inline constexpr int kLatestSchemaVersion = 9;

struct StoreOptions {
  std::filesystem::path path;               // the SQLite file; created when missing
  std::string device_id;                    // empty: the store's own (made at creation); tests may fix it
  const mentorlog::Clock* clock = nullptr;  // null: platform::DefaultClock()
};

class StoreImpl;

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

  // The faces, valid as long as the Store.
  Records& records() { return records_; }
  const Records& records() const { return records_; }
  SyncLedger& ledger() { return ledger_; }
  const SyncLedger& ledger() const { return ledger_; }
  DeviceState& device() { return device_; }
  const DeviceState& device() const { return device_; }

  // "ok", or SQLite's integrity_check report.
  Result<std::string> IntegrityCheck() const;
  // Rows without their clocks, clocks without rows, and rows or clocks without an outbox
  // entry: each problem as a line. Empty when consistent.
  Result<std::vector<std::string>> ConsistencyProblems() const;

  // ---- Forwarding to the faces, while the callers move --------------------------------

  using SchoolActivity = Records::SchoolActivity;
  Date Today() const override { return records_.Today(); }
  template <class R>
  Result<R> Save(R record) {
    return records_.Save(std::move(record));
  }
  template <class R>
  Result<R> Get(const Uuid& id) const {
    return records_.Get<R>(id);
  }
  template <class R>
  Result<std::vector<R>> List() const {
    return records_.List<R>();
  }
  template <class R>
  Result<std::vector<R>> ListBy(std::string_view field, const Uuid& id) const {
    return records_.ListBy<R>(field, id);
  }
  template <class R>
  ValidationErrors RuleWarnings(const R& record) const {
    return records_.RuleWarnings(record);
  }
  Status Delete(RecordKind kind, const Uuid& id) override { return records_.Delete(kind, id); }
  Result<Observation> SaveObservation(Observation observation, std::vector<ObservationScore>& scores) {
    return records_.SaveObservation(std::move(observation), scores);
  }
  Result<std::vector<ObservationScore>> ScoresOf(const Uuid& observation_id) const {
    return records_.ScoresOf(observation_id);
  }
  Result<Recommendation> AdvanceRecommendation(const Uuid& id, RecommendationStatus to, std::string_view note,
                                               std::optional<Uuid> verified_visit_id = std::nullopt,
                                               std::optional<Date> on = std::nullopt) {
    return records_.AdvanceRecommendation(id, to, note, verified_visit_id, on);
  }
  Result<Recommendation> ReopenRecommendation(const Uuid& id, std::string_view reason,
                                              std::optional<Date> on = std::nullopt) {
    return records_.ReopenRecommendation(id, reason, on);
  }
  Result<RecordState> SaveState(RecordState state, EditAction action) override {
    return records_.SaveState(std::move(state), action);
  }
  Result<std::optional<RecordState>> LiveState(RecordKind kind, const Uuid& id) const override {
    return records_.LiveState(kind, id);
  }
  Status ForEachLive(RecordKind kind, std::string_view field, const Uuid& id,
                     const std::function<Status(const RecordState&)>& fn) const override {
    return records_.ForEachLive(kind, field, id, fn);
  }
  Result<SchoolActivity> ActivityOf(const Uuid& school_id, Date today) const {
    return records_.ActivityOf(school_id, today);
  }
  Result<uint64_t> ChangesSince(uint64_t after, size_t limit,
                                const std::function<Status(const RecordState&)>& fn) const {
    return records_.ChangesSince(after, limit, fn);
  }
  Result<uint64_t> LastChange() const { return records_.LastChange(); }
  Status InTransaction(const std::function<Status()>& fn) override { return records_.InTransaction(fn); }
  Result<std::optional<RecordKind>> KindOf(const Uuid& id) const { return records_.KindOf(id); }
  Result<int64_t> Count(RecordKind kind, bool include_deleted = false) const {
    return records_.Count(kind, include_deleted);
  }
  Status ForEachLiveState(const std::function<Status(const RecordState&)>& fn) const {
    return records_.ForEachLiveState(fn);
  }

  Result<RecordClocks> ClocksOf(RecordKind kind, const Uuid& id) const { return ledger_.ClocksOf(kind, id); }
  Result<std::vector<OutboxEntry>> PendingChanges(size_t limit) const { return ledger_.PendingChanges(limit); }
  Result<int64_t> PendingCount() const { return ledger_.PendingCount(); }
  Status MarkAcked(uint64_t op_seq) { return ledger_.MarkAcked(op_seq); }
  Result<std::optional<RecordState>> StateOf(const Uuid& id) const { return ledger_.StateOf(id); }
  Result<std::pair<std::set<std::string>, bool>> PendingFieldsOf(const Uuid& id) const {
    return ledger_.PendingFieldsOf(id);
  }
  Status ApplyState(const RecordState& state) { return ledger_.ApplyState(state); }
  Status AddConflict(const ConflictEntry& conflict) { return ledger_.AddConflict(conflict); }
  Result<std::vector<ConflictEntry>> Conflicts(bool include_dismissed = false) const {
    return ledger_.Conflicts(include_dismissed);
  }
  Status DismissConflict(const Uuid& id) { return ledger_.DismissConflict(id); }
  Status AddRejected(const RejectedEntry& rejected) { return ledger_.AddRejected(rejected); }
  Result<std::vector<RejectedEntry>> Rejected() const { return ledger_.Rejected(); }
  Result<std::optional<std::string>> GetSyncValue(std::string_view key) const { return ledger_.GetSyncValue(key); }
  Status SetSyncValue(std::string_view key, std::string_view value) { return ledger_.SetSyncValue(key, value); }

  Result<DeviceSettings> Settings() const { return device_.Settings(); }
  Status SaveSettings(const DeviceSettings& settings) { return device_.SaveSettings(settings); }
  Status SaveDraft(const DraftEntry& draft) { return device_.SaveDraft(draft); }
  Result<std::optional<DraftEntry>> Draft(std::string_view key) const { return device_.Draft(key); }
  Result<std::vector<DraftEntry>> Drafts() const { return device_.Drafts(); }
  Status DeleteDraft(std::string_view key) { return device_.DeleteDraft(key); }

 private:
  explicit Store(std::unique_ptr<StoreImpl> impl);
  std::unique_ptr<StoreImpl> impl_;  // the connection, the lock: store_impl.h
  Records records_;
  SyncLedger ledger_;
  DeviceState device_;
};

}  // namespace mentorlog::core
