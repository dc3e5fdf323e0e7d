// DeviceState: the device's own state in the local store (store.h): the app's settings and
// its drafts. Local only: never synced, no clocks, no outbox entries, not in the change feed.
//
// Thread safety: shares the Store's one lock with its other faces; every call takes it.
// Valid as long as the Store that handed it out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/base/language.h"
#include "mentorlog/base/status.h"

namespace mentorlog::core {

class StoreImpl;

// A form kept as it was being typed (the app's drafts), so a killed app reopens with it.
struct DraftEntry {
  std::string key;             // the app's draft key, e.g. "visit:<uuid>"; not empty
  std::string kind;            // "visit", "observation", "consultation"
  std::string title;           // shown in the list of drafts
  std::string payload;         // the form, encoded by the app (opaque here)
  int64_t updated_millis = 0;  // Unix millis of the last SaveDraft (set by the store)
};

// The device's own settings, as the app's Settings screen shows them.
struct DeviceSettings {
  std::optional<Language> language;  // chosen in Settings; nullopt: never chosen
  float text_scale = 1.0f;           // the UI's text size, a positive factor
  bool auto_sync = false;            // sync by itself when online
  bool work_offline = false;         // "work offline" was chosen on the first-run screen
  friend bool operator==(const DeviceSettings&, const DeviceSettings&) = default;
};

class DeviceState final {
 public:
  DeviceState(const DeviceState&) = delete;
  DeviceState& operator=(const DeviceState&) = delete;

  // The settings saved last; the defaults when none were.
  Result<DeviceSettings> Settings() const;
  // Replaces the settings. Errors: InvalidInput when text_scale is not a positive number, IoError.
  Status SaveSettings(const DeviceSettings& settings);

  // Inserts or replaces the draft under `draft.key`, stamping updated_millis with the store's
  // clock (the given value is ignored). Errors: InvalidInput when the key is empty, IoError.
  Status SaveDraft(const DraftEntry& draft);
  // The draft under `key`; nullopt when there is none.
  Result<std::optional<DraftEntry>> Draft(std::string_view key) const;
  // Every draft, newest first (ties by key).
  Result<std::vector<DraftEntry>> Drafts() const;
  // Deletes the draft under `key`; deleting a missing draft is Ok (a save may race a discard).
  Status DeleteDraft(std::string_view key);

 private:
  friend class Store;
  explicit DeviceState(StoreImpl& impl) : impl_(impl) {}
  StoreImpl& impl_;
};

}  // namespace mentorlog::core
