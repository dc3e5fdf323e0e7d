// FaultProxy: a TCP proxy that makes the network bad on purpose, for integration tests and
// benchmarks. It listens on 127.0.0.1 and forwards every connection it accepts to one target
// (the sync server). On the way it can add latency, cap bandwidth, simulate packet loss, and
// cut a connection at a chosen point: mid-request, mid-response, or after the server has
// answered but before the client has heard the answer.
//
//   ASSIGN_OR_RETURN(auto proxy, FaultProxy::Start("127.0.0.1", server_port));
//   client.SetServer("127.0.0.1", proxy->port());
//   proxy->Set({.cut_response_after_bytes = 1000});  // The next pull dies after 1000 bytes.
//
// Linux only (POSIX sockets, eventfd). One thread accepts; each connection has one thread per
// direction, so it suits tests and benchmarks with up to a few hundred connections.
//
// Thread safety: every member function may be called from any thread at any time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "mentorlog/base/status.h"

namespace mentorlog::testing {

// What the proxy does to the bytes it forwards. A plain value; every field has a harmless
// default, so `FaultSettings{}` is a transparent proxy.
struct FaultSettings {
  // [Shaping] Applies to every connection, to the bytes read after the settings were set.

  // One-way delay added to every byte, in each direction: a round trip gains 2 * latency_ms.
  // Like a TCP window, each direction of a connection holds at most 1 MiB in flight, so it
  // carries at most 1 MiB per latency_ms.
  int latency_ms = 0;
  // Bandwidth cap per direction per connection, in bytes per second; 0 = unlimited. Writes
  // are paced, after the delay, in slices of max(512, 2 ms worth of bytes), at most 16 KiB.
  int64_t bytes_per_second = 0;
  // Probability, from 0 to 1, that a segment (each 1460 bytes of a direction's stream) is
  // lost. TCP is reliable, so a loss shows as that segment, and everything behind it, arriving
  // one retransmission timeout late: max(200 ms, 2 * RTT) = max(200, 4 * latency_ms) ms.
  // Losses do not add up: bytes read together are late by one timeout at most.
  double loss = 0.0;
  // Seeds the loss draws. A draw depends only on (seed, connection number, direction, segment
  // number), so the same seed and the same traffic lose the same segments, whatever the timing.
  uint64_t seed = 1;

  // [Cuts] When a rule fires it ends its connection, and at most one rule fires on each
  // connection. Together the rules fire at most `cut_limit` times after each Start or Set,
  // then switch themselves off. Only firing uses up the limit: with cut_request_after_bytes =
  // 1000, a connection that sends 500 bytes passes, and the next one to reach 1000 is cut.
  // A connection counts only the bytes it read after the rule was set, so a rule set while a
  // keep-alive connection is idle applies to its next request. "Closing both sides" means
  // shutdown(): each peer gets EOF after the bytes that were forwarded, and nothing more.

  // -1 = off. Close both sides once this many client→server bytes of a connection have been
  // forwarded: the server receives exactly these bytes, then EOF (a request cut mid-body).
  int64_t cut_request_after_bytes = -1;
  // -1 = off. Close both sides once this many server→client bytes of a connection have been
  // forwarded: the client receives exactly these bytes, then EOF (a pull cut midway).
  int64_t cut_response_after_bytes = -1;
  // Forward the whole request, but read and discard the server's answer, from its first byte
  // until the server closes, stays silent for 200 ms, or 2 s have passed since that first
  // byte; then close both sides. The client gets none of the answer, then EOF: a cut after the
  // server committed and before the client heard about it.
  bool swallow_response = false;
  // Accept new connections and close them at once, before contacting the target.
  bool refuse = false;
  // How many times the rules above may fire before they switch themselves off; -1 = on every
  // connection. The default 1 means "cut the next one".
  int cut_limit = 1;
};

// Ok, or InvalidInput naming the field and its allowed range: latency_ms >= 0,
// bytes_per_second >= 0, 0 <= loss <= 1, cut_*_after_bytes >= -1, cut_limit >= -1.
Status ValidateFaultSettings(const FaultSettings& settings);

class FaultProxy {
 public:
  // Listens on 127.0.0.1:`listen_port` (0 = an ephemeral port, see port()) and forwards each
  // accepted connection to `target_host`:`target_port`, resolved once here. A connection whose
  // target cannot be reached within 5 s is closed. Errors: InvalidInput for invalid settings,
  // an empty host or port 0; IoError when the host cannot be resolved or the port cannot be
  // bound.
  static Result<std::unique_ptr<FaultProxy>> Start(std::string target_host, uint16_t target_port,
                                                   FaultSettings settings = {}, uint16_t listen_port = 0);

  // Closes every connection and joins every thread.
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  // The port the proxy listens on, on 127.0.0.1.
  uint16_t port() const;

  // Replaces the settings. Shaping applies to bytes read from now on; cut rules apply to
  // bytes read from now on, on open connections as well as new ones (an idle keep-alive
  // connection can be cut on its next request), and may fire `settings.cut_limit` times again.
  // REQUIRES: ValidateFaultSettings(settings).ok().
  void Set(FaultSettings settings);
  FaultSettings settings() const;

  // Counters since Start. Bytes count what was forwarded (written to the other side), not
  // what was read, swallowed or dropped by a cut. cuts() counts connections closed by
  // cut_request_after_bytes, cut_response_after_bytes, swallow_response or refuse.
  int64_t connections_accepted() const;
  int64_t bytes_client_to_server() const;
  int64_t bytes_server_to_client() const;
  int64_t cuts() const;

 private:
  class Impl;
  explicit FaultProxy(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mentorlog::testing
