// The server's own front of cpp-httplib (decision 0006, docs/http-api.md "Limits"): it owns
// each connection from accept to close, reads a whole request within bounds and deadlines of
// its own, and only then hands it to cpp-httplib's routing, from memory.
//
// Why: cpp-httplib 0.11.4 (Debian's compiled library) reads on the connection's pool thread
// with per-read timeouts only, keeps every header line it is sent, and reads chunked,
// length-less and gzip bodies without any bound. None of that can be configured, so nothing
// it reads comes from a client directly: BoundedServer overrides its per-connection entry
// (process_and_close_socket), and cpp-httplib parses only a request this front has already
// read and checked (a head of at most FrontLimits::max_head_bytes, a body of exactly its
// Content-Length).
//
// What the front guarantees, with FrontLimits:
//  - at most max_connections open connections, at most max_connections_per_address from one
//    address; past them a connection is answered 503 (TLS: closed) at once;
//  - every connection has its own thread (ConnectionThreads), so a slow or silent client holds
//    only its own; a request's head must arrive within head_timeout of the connection (or of
//    its first byte, for a kept-alive one), its body within body_timeout, a TLS handshake
//    within handshake_timeout: then 408 (or close) and the thread is free again;
//  - a head larger than max_head_bytes or with more than max_header_lines lines: 431;
//    Transfer-Encoding (chunked): 411; Content-Encoding other than identity: 415; a body larger
//    than the route takes (FrontLimits::BodyLimit): 413, all without reading the body, and the
//    connection is closed after the answer;
//  - all bodies being read at once hold at most body_budget_bytes: past it, 503 with
//    Retry-After (bodies up to unbudgeted_body_bytes are not counted).
// The log names the client and what was refused, with control characters escaped.
//
// Thread safety: the connection threads share one FrontState (a mutex inside).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace httplib {
class Server;
class TaskQueue;
}  // namespace httplib

namespace mentorlog::server {

struct FrontLimits {
  size_t max_connections = 1024;
  size_t max_connections_per_address = 512;
  std::chrono::milliseconds head_timeout{10'000};
  std::chrono::milliseconds handshake_timeout{10'000};
  // The whole body: body_timeout plus one second per body_min_rate_bytes it has.
  std::chrono::milliseconds body_timeout{30'000};
  size_t body_min_rate_bytes = 64 << 10;
  // A kept-alive connection waits this long for its next request, and serves at most
  // keep_alive_max_requests.
  std::chrono::milliseconds keep_alive_timeout{5'000};
  size_t keep_alive_max_requests = 100;
  // Each write of an answer must finish within this.
  std::chrono::milliseconds write_timeout{60'000};
  size_t max_head_bytes = 32 << 10;
  size_t max_header_lines = 64;
  size_t body_budget_bytes = 128 << 20;
  // A body this small (a sign-in, a pull) is not counted against the budget, so bodies that
  // fill it cannot stop them; the connection cap bounds them instead.
  size_t unbudgeted_body_bytes = 64 << 10;
  // The most a request of `method` and `path` (no query) may send: 0 for a route that takes no
  // body; set by the HTTP layer, which knows its routes. Null: no body anywhere.
  std::function<size_t(std::string_view method, std::string_view path)> body_limit;
  // The listen backlog set on the socket after binding (cpp-httplib's own is 5).
  int listen_backlog = 1024;
};

// `text` with every control character (CR, LF, ESC, ...) and DEL written as \xNN and at most
// `max_bytes` kept, for log lines made of what a client sent.
std::string LogSafe(std::string_view text, size_t max_bytes = 200);

// Counters the connection threads share: open connections (total, per address) and the bytes
// of bodies being read.
class FrontState {
 public:
  explicit FrontState(FrontLimits limits) : limits_(std::move(limits)) {}
  const FrontLimits& limits() const { return limits_; }

  // Counts a connection from `address` in; false (and nothing counted) past a cap.
  bool Admit(const std::string& address);
  void Leave(const std::string& address);
  // Reserves `bytes` of the body budget; false when they do not fit now.
  bool ReserveBody(size_t bytes);
  void ReleaseBody(size_t bytes);
  size_t open_connections() const;
  // Set when the server stops: connections stop waiting for requests (within 200 ms); the
  // requests being served finish and their answers are written.
  void Stop() { stopping_.store(true); }
  const std::atomic<bool>& stopping() const { return stopping_; }

 private:
  const FrontLimits limits_;
  mutable std::mutex mu_;
  size_t open_ = 0;
  std::map<std::string, size_t> per_address_;
  size_t body_bytes_ = 0;
  std::atomic<bool> stopping_{false};
};

// cpp-httplib's task queue as one thread per connection: a thread is made at each accept and
// ends with its connection (FrontState caps how many stay). shutdown() waits for all of them.
class ConnectionThreads;
httplib::TaskQueue* NewConnectionThreads();

// A cpp-httplib server (plain, or TLS with the certificate and key) whose connections go
// through the front. REQUIRES: `state` outlives the server.
std::unique_ptr<httplib::Server> NewBoundedServer(FrontState& state);
std::unique_ptr<httplib::Server> NewBoundedTlsServer(FrontState& state, const std::string& cert_path,
                                                     const std::string& key_path);

// After bind_to_port: sets the listen backlog on the server's socket (FrontLimits).
void SetListenBacklog(httplib::Server& server, int backlog);

}  // namespace mentorlog::server
