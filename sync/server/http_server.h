// The central store's HTTP face (docs/http-api.md): it checks the protocol version and the
// token, decodes the body, calls Accounts or SyncService, and encodes the answer. Every rule
// about who may see or change what lives in SyncService; this layer only refuses requests
// that cannot reach it (no token, an admin asking for records, a device id that is not the
// token's).
//
// Built on cpp-httplib: plain HTTP, or HTTPS when given a certificate and key. Every
// connection goes through the server's own front (request_front.h, decision 0006): a thread of
// its own, caps on connections, deadlines on a request's head and body, no chunked or
// content-encoded bodies, and a body no larger than its route takes (sync::kMaxBodyBytes for
// push and pull, kMaxLoginBytes for login and logout), all refused before the body is read.
// Requests that work on the storage run `threads` at once; sign-ins hash `concurrent_logins`
// passwords at once, apart from them, and are throttled per account and address
// (login_throttle.h: 429 with Retry-After). Expired and revoked tokens are deleted at Start
// and every `token_purge_interval`. Every bound is listed in docs/http-api.md, "Limits".
//
// Thread safety: Start and Stop are called from one controlling thread; requests are served
// on the pool. Storage, SyncService and Accounts must be safe for concurrent use (they are).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "accounts.h"
#include "login_throttle.h"
#include "mentorlog/base/status.h"
#include "mentorlog/domain/rubric.h"
#include "mentorlog/platform/env.h"
#include "request_front.h"
#include "service.h"
#include "storage.h"

namespace httplib {
class Server;
}

namespace mentorlog::server {

// The most a sign-in or sign-out request may send (compressed, and unpacked).
inline constexpr size_t kMaxLoginBytes = 64 << 10;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;          // 0: any free port; port() says which one was taken
  std::string tls_cert;  // PEM files; both set: HTTPS, both empty: HTTP
  std::string tls_key;
  // Requests that work on the storage (push, pull, dashboards, logout, admin) at once.
  int threads = 8;
  // Connections, deadlines and sizes (request_front.h). front.body_limit is set by Start.
  FrontLimits front;
  // Sign-ins whose password is hashed at once (each takes Argon2id's memory); a sign-in that
  // finds none free within login_wait gets 503 with Retry-After.
  int concurrent_logins = 2;
  std::chrono::milliseconds login_wait{10'000};
  LoginThrottleOptions login_throttle;
  std::chrono::milliseconds token_purge_interval{3'600'000};
  size_t max_body_bytes = sync::kMaxBodyBytes;
  // The dashboards' configuration (dashboard.toml, indices.toml) is read from here by Start,
  // which refuses to start without it; "today" of the dashboards comes from `clock` (null: the
  // system's).
  std::filesystem::path assets_dir = core::DefaultAssetsDir();
  const mentorlog::Clock* clock = nullptr;
  // Build the coordinators' dashboards in the background as soon as the server listens
  // (Dashboards::WarmUp), so the first request of a region does not read it all. `serve` sets it.
  bool warm_dashboards = false;
};

class HttpServer {
 public:
  // REQUIRES: the three services outlive this object.
  HttpServer(Storage& storage, SyncService& service, Accounts& accounts, HttpServerOptions options);
  ~HttpServer();  // Stop()s
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving on background threads; returns once connections are accepted.
  // Errors: InvalidInput when the TLS certificate or key cannot be loaded (the message names
  // the files); Unavailable when the address cannot be bound (in use, no permission).
  // REQUIRES: not started yet.
  Status Start();

  // The port being listened on (after Start).
  int port() const { return port_; }
  bool tls() const { return !options_.tls_cert.empty(); }

  // Stops accepting connections, lets the requests in progress finish (a push batch is
  // committed or rolled back as a whole, never cut), and returns when they have; a connection
  // still sending its request, or idle between two, is closed within 200 ms. Idempotent.
  void Stop();

 private:
  class Routes;

  Storage& storage_;
  SyncService& service_;
  Accounts& accounts_;
  HttpServerOptions options_;
  // Deletes expired and revoked tokens now; logs what it did.
  void PurgeTokens();

  std::unique_ptr<FrontState> front_;
  std::unique_ptr<httplib::Server> server_;
  std::unique_ptr<Routes> routes_;
  std::thread listener_;
  std::thread warm_up_;
  std::thread purger_;
  std::mutex purge_mu_;
  std::condition_variable purge_cv_;
  std::atomic<bool> stopping_{false};
  int port_ = 0;
};

}  // namespace mentorlog::server
