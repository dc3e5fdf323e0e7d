// HttpTransport: one libcurl easy handle that POSTs sync messages to one server, reusing its
// connection between requests. It makes a single attempt per call; retrying is the client's
// business (client.cpp), because only the client knows what a retry costs.
//
// What it sets on every request: the protocol header, the bearer token (when given), the
// content type, TLS verification (curl's defaults: peer and host verified; CURLOPT_CAINFO when
// a CA file is given), the connect timeout, a low-speed limit instead of a total timeout (an
// answer slower than low_speed_limit_bytes per second for low_speed_time_s is dropped, so a
// stalled or dripping server cannot hold a request for ever), no signals, a progress callback
// that aborts when *cancel becomes true, and a cap of kMaxBodyBytes on the answer.
//
// Thread safety: one thread at a time. The cancel flag may be set from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "mentorlog/base/status.h"

namespace mentorlog::sync {

struct TransportOptions {
  std::string server_url;  // scheme://host[:port][/prefix]; a trailing '/' is ignored
  std::string ca_file;
  uint32_t protocol_version = 0;
  int connect_timeout_s = 15;
  int low_speed_limit_bytes = 256;  // bytes per second, up and down together
  int low_speed_time_s = 60;
  const std::atomic<bool>* cancel = nullptr;
};

// The outcome of one attempt.
struct HttpExchange {
  // An HTTP answer arrived in full (any status). When false, `error` says why not.
  bool answered = false;
  long http_status = 0;
  std::string body;
  int64_t retry_after_ms = -1;  // from a Retry-After header in seconds; -1 when absent

  // When !answered: Cancelled, Unavailable (the network or TLS failed), InvalidInput (the URL
  // or the CA file is unusable), Corruption (the answer was larger than kMaxBodyBytes).
  Status error;
  // Whether another attempt may succeed: true for connect, DNS, timeout, reset, cut and empty
  // answers and TLS handshakes that broke off; false for certificate problems, bad URLs,
  // oversized answers and cancellation.
  bool retryable = false;

  int64_t bytes_up = 0;    // request body bytes this attempt sent
  int64_t bytes_down = 0;  // response body bytes this attempt received
};

class HttpTransport {
 public:
  // Errors: InvalidInput when the URL is empty or not http(s); Internal when libcurl cannot
  // make a handle.
  static Result<std::unique_ptr<HttpTransport>> Create(TransportOptions options);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // POSTs `body` to server_url + `path` ("/v1/push"). `token` may be empty (login).
  HttpExchange Post(std::string_view path, std::string_view body, std::string_view token);

 private:
  class Impl;
  explicit HttpTransport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mentorlog::sync
