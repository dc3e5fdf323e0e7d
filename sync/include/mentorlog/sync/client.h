// The device's sync client: pushes the outbox and pulls what the server has, over HTTP(S)
// (docs/sync.md). Written for a worker thread of the app and for mentorlog-cli.
//
// Every batch is its own transaction in the store (sync/device.h), so a sync that stops at any
// point (the network drops, the user cancels, the server fails) leaves the store consistent and
// the next sync carries on from there.
//
// Failures are Status values with a message for the user, in both languages:
//   Unauthenticated   the server refused the token (401), or there is none: sign in again.
//   PermissionDenied  the server refused this user (403); its message says why.
//   Unsupported       this app speaks a protocol the server no longer accepts (426): update.
//   InvalidInput      any other 4xx (the server's message), a bad server URL or CA file.
//   Unavailable       no answer after max_attempts tries (network errors, 5xx, 429, an answer
//                     slower than the low-speed limit), or the server's certificate could not
//                     be verified.
//   Corruption        the server answered 2xx with a body that is not our message.
//   Cancelled         *cancel became true; the request in flight was aborted.
//   Internal          the server's answer is impossible, a fault of the server (or of a restore
//                     from a backup): a push answer that acknowledges less than this device had
//                     already seen acknowledged, or changes this device never made, or rejects a
//                     change it was not sent; a pull whose position comes back to one already
//                     pulled from in this sync twice, or that says "more" for max_pull_batches
//                     batches. The sync stops instead of looping; nothing beyond what the server
//                     answered for is acknowledged, so nothing leaves the outbox unsent, and the
//                     message says to try later and to tell the coordinator (docs/sync.md).
// The store's own errors (IoError, ...) are passed through as they are.
//
// Thread safety: a SyncClient is used by one thread at a time (the one calling Sync/Push/Pull);
// on_progress is called on that thread. The cancel flag may be set from any thread. Login and
// Logout may run on any thread. The SyncLedger is shared as it allows (it takes the store's lock).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "mentorlog/base/status.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/store/sync_ledger.h"
#include "mentorlog/sync/batch_sizer.h"
#include "mentorlog/sync/protocol.h"

namespace mentorlog::sync {

// Sync values (SyncLedger::GetSyncValue) the client and the CLI keep besides device.h's.
inline constexpr std::string_view kCaFileKey = "ca_file";            // PEM file for a private CA
inline constexpr std::string_view kPersonIdKey = "person_id";        // the signed-in person (canonical id)
inline constexpr std::string_view kDisplayNameKey = "display_name";  // as the server gave it at login
inline constexpr std::string_view kRoleKey = "role";                 // RoleCode of the signed-in user
inline constexpr std::string_view kTokenExpiresKey = "token_expires_millis";

// Where a sync is, after each batch (and after each failed attempt that will be retried).
struct SyncProgress {
  enum class Phase { kPush, kPull, kDone };
  Phase phase = Phase::kPush;
  int batches = 0;             // batches answered so far in this phase
  int64_t records_pushed = 0;  // changes the server acknowledged so far
  int64_t records_pulled = 0;  // records that changed on this device so far
  int64_t bytes_up = 0;        // request bodies sent (every attempt), so far
  int64_t bytes_down = 0;      // response bodies received (every attempt), so far
  int64_t pending = 0;         // outbox entries not yet acknowledged
  int retries = 0;             // failed attempts that were retried, so far
  LocalText last_error;        // why the last attempt failed (empty when it did not)
};

struct ClientOptions {
  std::string server_url;  // "https://sync.example.org" (a path prefix is kept); http:// for tests
  std::string ca_file;     // PEM bundle to verify the server with; empty: the system's CAs
  std::string token;       // from Login; sent as "Authorization: Bearer <token>"
  uint32_t protocol_version = kProtocolVersion;
  // The first push and pull batch; later ones grow on a quick link (batch_sizer.h) unless
  // batch_growth is kFixed.
  uint32_t batch_rows = kDefaultBatchRows;
  uint32_t batch_bytes = kDefaultBatchBytes;
  BatchGrowth batch_growth = BatchGrowth::kAdaptive;
  // Each request is tried at most this many times (network errors, 5xx, 429), waiting
  // a random time in [0, min(backoff_max_ms, backoff_base_ms * 2^(n-1))] before try n+1.
  int max_attempts = 8;
  int64_t backoff_base_ms = 500;
  int64_t backoff_max_ms = 30000;
  uint64_t jitter_seed = 0;  // 0: a random seed
  int connect_timeout_s = 15;
  // A request whose transfer moves fewer than low_speed_limit_bytes per second (sent and
  // received together, measured over curl's last few seconds) for low_speed_time_s seconds in a
  // row is dropped and retried like a cut connection: a server that stalls, or drips its answer
  // a byte every few seconds, costs at most about low_speed_time_s + 5 s per attempt, and the
  // sync ends Unavailable after max_attempts. There is no total timeout: a 4 MiB batch over a
  // 50 kbit/s link (about 6 KB/s) takes ten minutes and is legal; 256 B/s is what is left of a
  // link that is practically gone. The server's work before it answers counts as silence.
  int low_speed_limit_bytes = 256;
  int low_speed_time_s = 60;
  // At most this many pull batches in one Sync or Pull. Generous: a first sync of a
  // 10-million-record region at the first batch size (500 rows, growing) takes 20,000; only a
  // server that says "more" for ever reaches it. 0: no bound (the no-progress rule still holds).
  int64_t max_pull_batches = 100'000;
  std::function<void(const SyncProgress&)> on_progress;  // may be empty
  const std::atomic<bool>* cancel = nullptr;             // may be null; read, never written
  const mentorlog::Clock* clock = nullptr;               // null: platform::DefaultClock()
};

// What a Sync/Push/Pull did. Counts cover answered batches only.
struct SyncReport {
  int64_t pushed = 0;     // changes sent in answered push batches
  int64_t acked = 0;      // of those, acknowledged by the server (applied or rejected)
  int64_t rejected = 0;   // of those, refused by the server (now in SyncLedger::Rejected)
  int64_t pulled = 0;     // records that changed on this device (new, updated or deleted)
  int64_t conflicts = 0;  // conflicts the server reported (now in SyncLedger::Conflicts)
  int push_batches = 0;
  int pull_batches = 0;
  int retries = 0;
  int64_t bytes_up = 0;
  int64_t bytes_down = 0;
  uint32_t clamped = 0;  // stamps of ours the server found too far ahead of its clock
};

class SyncClient {
 public:
  // Keeps a reference to `ledger` (whose Store must outlive the client) and one HTTP connection,
  // reused between batches. Does no I/O.
  SyncClient(core::SyncLedger& ledger, ClientOptions options);
  ~SyncClient();
  SyncClient(const SyncClient&) = delete;
  SyncClient& operator=(const SyncClient&) = delete;

  // Push everything pending, then pull until caught up. On success stores the time in
  // kLastSuccessKey (Unix millis as decimal text) and clears kLastErrorKey; on a failure other
  // than Cancelled stores its message in kLastErrorKey. Batches done before a failure stay done.
  Result<SyncReport> Sync();
  // Only the push half, or only the pull half (kLastErrorKey is set on failure; kLastSuccessKey
  // is left alone: only a full Sync is a success).
  Result<SyncReport> Push();
  Result<SyncReport> Pull();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Signs in: POST /v1/login. Retries like a sync. A refused password is Unauthenticated with the
// server's message; the token is in the answer (the caller keeps it with WriteSecretFile).
Result<LoginResponse> Login(const ClientOptions& options, std::string_view login, std::string_view password,
                            std::string_view device_id);

// Revokes options.token on the server: POST /v1/logout with an empty body. A token the server
// no longer knows (401) counts as revoked: Ok. Other failures as for a sync.
Status Logout(const ClientOptions& options);

}  // namespace mentorlog::sync
