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
#include <memory>
#include <string>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/store/device_state.h"
#include "mentorlog/store/records.h"
#include "mentorlog/store/sync_ledger.h"

namespace mentorlog::core {

inline constexpr int kLatestSchemaVersion = 11;

struct StoreOptions {
  std::filesystem::path path;               // the SQLite file; created when missing
  std::string device_id;                    // empty: the store's own (made at creation); tests may fix it
  const mentorlog::Clock* clock = nullptr;  // null: platform::DefaultClock()
};

class StoreImpl;

class Store final {
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

 private:
  explicit Store(std::unique_ptr<StoreImpl> impl);
  std::unique_ptr<StoreImpl> impl_;  // the connection, the lock: store_impl.h
  Records records_;
  SyncLedger ledger_;
  DeviceState device_;
};

}  // namespace mentorlog::core
