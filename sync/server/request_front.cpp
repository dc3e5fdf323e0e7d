// The front of cpp-httplib (request_front.h, decision 0006).
//
// [SECTION] Log-safe text, FrontState, ConnectionThreads
// [SECTION] Transports: plain and TLS, with deadlines
// [SECTION] Reading a request: head, checks, body
// [SECTION] BoundedServer: a connection from accept to close

#include "request_front.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <optional>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "mentorlog/sync/protocol.h"

namespace mentorlog::server {

// -----------------------------------------------------------------------------------------
// [SECTION] Log-safe text, FrontState, ConnectionThreads
// -----------------------------------------------------------------------------------------

std::string LogSafe(std::string_view text, size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes) + 8);
  for (const char c : text.substr(0, max_bytes)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof(hex), "\\x%02X", u);
      out += hex;
    } else {
      out += c;
    }
  }
  if (text.size() > max_bytes) out += "…";
  return out;
}

bool FrontState::Admit(const std::string& address) {
  std::lock_guard lock(mu_);
  size_t& mine = per_address_[address];
  if (open_ >= limits_.max_connections || mine >= limits_.max_connections_per_address) {
    if (mine == 0) per_address_.erase(address);
    return false;
  }
  ++open_;
  ++mine;
  return true;
}

void FrontState::Leave(const std::string& address) {
  std::lock_guard lock(mu_);
  --open_;
  auto it = per_address_.find(address);
  if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
}

bool FrontState::ReserveBody(size_t bytes) {
  std::lock_guard lock(mu_);
  if (body_bytes_ + bytes > limits_.body_budget_bytes) return false;
  body_bytes_ += bytes;
  return true;
}

void FrontState::ReleaseBody(size_t bytes) {
  std::lock_guard lock(mu_);
  body_bytes_ -= bytes;
}

size_t FrontState::open_connections() const {
  std::lock_guard lock(mu_);
  return open_;
}

class ConnectionThreads final : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override {
    {
      std::lock_guard lock(count_->mu);
      ++count_->running;
    }
    try {
      // The thread holds the count itself: shutdown() may return, and this queue be deleted,
      // while the last thread is still leaving Done().
      std::thread([count = count_, fn = std::move(fn)] {
        fn();
        count->Done();
      }).detach();
    } catch (const std::system_error& e) {
      // No thread to be had (the system's limit): serve this connection on the accepting
      // thread rather than leak its socket, which cpp-httplib handed over inside `fn`.
      spdlog::error("connections: cannot start a thread ({}); serving on the accepting thread", e.what());
      fn();
      count_->Done();
    }
  }

  void shutdown() override {
    std::unique_lock lock(count_->mu);
    count_->idle.wait(lock, [this] { return count_->running == 0; });
  }

 private:
  struct Count {
    std::mutex mu;
    std::condition_variable idle;
    size_t running = 0;
    void Done() {
      std::lock_guard lock(mu);
      if (--running == 0) idle.notify_all();
    }
  };
  std::shared_ptr<Count> count_ = std::make_shared<Count>();
};

httplib::TaskQueue* NewConnectionThreads() { return new ConnectionThreads(); }

namespace {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

// -----------------------------------------------------------------------------------------
// [SECTION] Transports
// -----------------------------------------------------------------------------------------

enum class Io { kOk, kClosed, kTimedOut, kFailed };

// The address of one end of `fd` as `name` (getsockname or getpeername) gives it; `ip` and
// `port` are left as they are when it cannot be read.
void AddressOf(int fd, int (*name)(int, sockaddr*, socklen_t*), std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (name(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return;
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
    ::inet_ntop(AF_INET, &a->sin_addr, text, sizeof(text));
    port = ntohs(a->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
    ::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof(text));
    port = ntohs(a->sin6_port);
  } else {
    return;
  }
  ip = text;
}

// Waits until `fd` is ready for `events` or the deadline passes; a wait to read also ends
// (kClosed) when the server stops (`stopping`, checked every 200 ms).
Io WaitFor(int fd, short events, Deadline deadline, const std::atomic<bool>* stopping = nullptr) {
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return Io::kTimedOut;
    if (stopping != nullptr && stopping->load()) return Io::kClosed;
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 200)));
    if (n > 0) return Io::kOk;
    if (n < 0 && errno != EINTR) return Io::kFailed;
  }
}

class Transport {
 public:
  Transport(int fd, const std::atomic<bool>& stopping) : fd_(fd), stopping_(stopping) {}
  virtual ~Transport() = default;
  // Reads what is there (at most `size`), waiting until the deadline for something.
  virtual Io Read(char* data, size_t size, Deadline deadline, size_t& got) = 0;
  virtual Io WriteAll(const char* data, size_t size, Deadline deadline) = 0;
  int fd() const { return fd_; }

 protected:
  int fd_;
  const std::atomic<bool>& stopping_;  // ends waits to read (not to write: answers go out)
};

class PlainTransport final : public Transport {
 public:
  using Transport::Transport;
  Io Read(char* data, size_t size, Deadline deadline, size_t& got) override {
    while (true) {
      const ssize_t n = ::recv(fd_, data, size, 0);
      if (n > 0) {
        got = static_cast<size_t>(n);
        return Io::kOk;
      }
      if (n == 0) return Io::kClosed;
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return Io::kFailed;
      if (Io w = WaitFor(fd_, POLLIN, deadline, &stopping_); w != Io::kOk) return w;
    }
  }
  Io WriteAll(const char* data, size_t size, Deadline deadline) override {
    while (size > 0) {
      const ssize_t n = ::send(fd_, data, size, MSG_NOSIGNAL);
      if (n > 0) {
        data += n;
        size -= static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return Io::kFailed;
      if (Io w = WaitFor(fd_, POLLOUT, deadline); w != Io::kOk) return w;
    }
    return Io::kOk;
  }
};

class TlsTransport final : public Transport {
 public:
  TlsTransport(int fd, SSL* ssl, const std::atomic<bool>& stopping) : Transport(fd, stopping), ssl_(ssl) {}
  ~TlsTransport() override {
    if (handshaken_) SSL_shutdown(ssl_);  // one close_notify, not waiting for the peer's
    SSL_free(ssl_);
  }

  Io Handshake(Deadline deadline) {
    while (true) {
      ERR_clear_error();
      const int r = SSL_accept(ssl_);
      if (r == 1) {
        handshaken_ = true;
        return Io::kOk;
      }
      if (Io w = WaitOn(SSL_get_error(ssl_, r), deadline, &stopping_); w != Io::kOk) return w;
    }
  }
  Io Read(char* data, size_t size, Deadline deadline, size_t& got) override {
    while (true) {
      ERR_clear_error();
      const int n = SSL_read(ssl_, data, static_cast<int>(std::min<size_t>(size, 1 << 20)));
      if (n > 0) {
        got = static_cast<size_t>(n);
        return Io::kOk;
      }
      const int e = SSL_get_error(ssl_, n);
      if (e == SSL_ERROR_ZERO_RETURN) return Io::kClosed;
      if (Io w = WaitOn(e, deadline, &stopping_); w != Io::kOk) return w;
    }
  }
  Io WriteAll(const char* data, size_t size, Deadline deadline) override {
    while (size > 0) {
      ERR_clear_error();
      const int n = SSL_write(ssl_, data, static_cast<int>(std::min<size_t>(size, 1 << 20)));
      if (n > 0) {
        data += n;
        size -= static_cast<size_t>(n);
        continue;
      }
      if (Io w = WaitOn(SSL_get_error(ssl_, n), deadline); w != Io::kOk) return w;
    }
    return Io::kOk;
  }

 private:
  Io WaitOn(int ssl_error, Deadline deadline, const std::atomic<bool>* stopping = nullptr) {
    if (ssl_error == SSL_ERROR_WANT_READ) return WaitFor(fd_, POLLIN, deadline, stopping);
    if (ssl_error == SSL_ERROR_WANT_WRITE) return WaitFor(fd_, POLLOUT, deadline, stopping);
    if (ssl_error == SSL_ERROR_SYSCALL && errno == EINTR) return Io::kOk;
    return ssl_error == SSL_ERROR_ZERO_RETURN ? Io::kClosed : Io::kFailed;
  }

  SSL* ssl_;
  bool handshaken_ = false;
};

// -----------------------------------------------------------------------------------------
// [SECTION] Reading a request
// -----------------------------------------------------------------------------------------

struct Refusal {
  int status = 400;
  std::string code;
  std::string en;
  std::string ru;
  int retry_after_seconds = 0;
};

std::string ReasonPhrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 408:
      return "Request Timeout";
    case 411:
      return "Length Required";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 431:
      return "Request Header Fields Too Large";
    default:
      return "Service Unavailable";
  }
}

std::string RefusalBytes(const Refusal& r) {
  const std::string body = sync::EncodeErrorJson(sync::ErrorBody{r.code, r.en, r.ru});
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + ReasonPhrase(r.status) +
                    "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\nConnection: close\r\n";
  if (r.retry_after_seconds > 0) out += "Retry-After: " + std::to_string(r.retry_after_seconds) + "\r\n";
  return out + "\r\n" + body;
}

Refusal Busy() {
  return Refusal{503, "unavailable",
                 "The server is busy with too many connections right now. Try again in a minute; your records stay "
                 "on this device.",
                 "Сервер сейчас перегружен подключениями. Попробуйте через минуту; ваши записи остаются на этом "
                 "устройстве.",
                 30};
}

Refusal TooSlow() {
  return Refusal{408, "request_timeout", "The request did not arrive in time. Check the connection and try again.",
                 "Запрос не пришёл вовремя. Проверьте подключение и попробуйте снова."};
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// What the front needs of a request's head.
struct Head {
  std::string method;
  std::string target;
  std::string path;  // target without the query
  std::optional<uint64_t> content_length;
  bool chunked_or_coded = false;  // Transfer-Encoding present
  std::string content_encoding;
  bool expect_continue = false;
  size_t expect_line_begin = 0, expect_line_end = 0;  // the Expect line within the head
};

// Parses the head (request line and header lines, up to and without the blank line).
std::variant<Head, Refusal> ParseHead(std::string_view head, const FrontLimits& limits) {
  const Refusal bad{400, "bad_request", "The request could not be read.", "Не удалось прочитать запрос."};
  Head h;
  size_t pos = head.find("\r\n");
  const std::string_view line = head.substr(0, pos);
  const size_t s1 = line.find(' ');
  const size_t s2 = line.rfind(' ');
  if (s1 == std::string_view::npos || s2 == s1) return bad;
  h.method = std::string(line.substr(0, s1));
  h.target = std::string(line.substr(s1 + 1, s2 - s1 - 1));
  h.path = h.target.substr(0, h.target.find('?'));
  size_t lines = 0;
  while (pos != std::string_view::npos) {
    const size_t begin = pos + 2;
    pos = head.find("\r\n", begin);
    const std::string_view field = head.substr(begin, pos == std::string_view::npos ? pos : pos - begin);
    if (++lines > limits.max_header_lines) {
      return Refusal{431, "header_too_large", "The request has too many header lines.",
                     "В запросе слишком много строк заголовка."};
    }
    const size_t colon = field.find(':');
    if (colon == std::string_view::npos) return bad;
    const std::string_view name = field.substr(0, colon);
    const std::string_view value = Trim(field.substr(colon + 1));
    if (EqualsNoCase(name, "Content-Length")) {
      uint64_t n = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || (h.content_length && *h.content_length != n)) {
        return bad;
      }
      h.content_length = n;
    } else if (EqualsNoCase(name, "Transfer-Encoding")) {
      h.chunked_or_coded = true;
    } else if (EqualsNoCase(name, "Content-Encoding")) {
      h.content_encoding = std::string(value);
    } else if (EqualsNoCase(name, "Expect") && EqualsNoCase(value, "100-continue")) {
      h.expect_continue = true;
      // The line and its CRLF; the last line has none of its own: take the one before it.
      h.expect_line_begin = pos == std::string_view::npos ? begin - 2 : begin;
      h.expect_line_end = pos == std::string_view::npos ? head.size() : pos + 2;
    }
  }
  return h;
}

// Why a head's body is not read at all (nullopt: read Content-Length bytes).
std::optional<Refusal> CheckBody(const Head& h, const FrontLimits& limits) {
  if (h.chunked_or_coded) {
    return Refusal{411, "length_required", "Send the request with a Content-Length, not in chunks.",
                   "Отправьте запрос с заголовком Content-Length, а не по частям."};
  }
  if (!h.content_encoding.empty() && !EqualsNoCase(h.content_encoding, "identity")) {
    return Refusal{415, "unsupported_media_type",
                   "The server does not take compressed request bodies (Content-Encoding); a sync body is "
                   "already compressed.",
                   "Сервер не принимает сжатые тела запросов (Content-Encoding): тело синхронизации уже сжато."};
  }
  const uint64_t length = h.content_length.value_or(0);
  const size_t allowed = limits.body_limit ? limits.body_limit(h.method, h.path) : 0;
  if (length > allowed) {
    return Refusal{413, "payload_too_large",
                   allowed == 0 ? "This address takes no request body."
                                : "The request is too large (more than " + std::to_string(allowed) +
                                      " bytes). Sync sends smaller batches; update the app if this keeps happening.",
                   allowed == 0 ? "Этот адрес не принимает тело запроса."
                                : "Запрос слишком большой (больше " + std::to_string(allowed) +
                                      " байт). Синхронизация отправляет данные частями; обновите приложение, если "
                                      "это повторяется."};
  }
  return std::nullopt;
}

// -----------------------------------------------------------------------------------------
// [SECTION] BoundedServer
// -----------------------------------------------------------------------------------------

// A request read by the front, as cpp-httplib's Stream: reads come from memory, writes go to
// the transport within the write timeout.
class ReadRequestStream final : public httplib::Stream {
 public:
  ReadRequestStream(Transport& transport, const std::string& bytes, std::string ip, int port,
                    std::chrono::milliseconds write_timeout)
      : transport_(transport), bytes_(bytes), ip_(std::move(ip)), port_(port), write_timeout_(write_timeout) {}

  bool is_readable() const override { return pos_ < bytes_.size(); }
  bool is_writable() const override { return !failed_; }
  ssize_t read(char* ptr, size_t size) override {
    const size_t n = std::min(size, bytes_.size() - pos_);
    std::copy_n(bytes_.data() + pos_, n, ptr);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    if (failed_) return -1;
    if (transport_.WriteAll(ptr, size, Clock::now() + write_timeout_) != Io::kOk) {
      failed_ = true;
      return -1;
    }
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = ip_;
    port = port_;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip.clear();
    port = 0;
    AddressOf(transport_.fd(), ::getsockname, ip, port);
  }
  socket_t socket() const override { return transport_.fd(); }

 private:
  Transport& transport_;
  const std::string& bytes_;
  size_t pos_ = 0;
  std::string ip_;
  int port_;
  std::chrono::milliseconds write_timeout_;
  bool failed_ = false;
};

void PeerOf(int fd, std::string& ip, int& port) {
  ip = "?";
  port = 0;
  AddressOf(fd, ::getpeername, ip, port);
}

// Logs at most one line per 10 s for a kind of event that can come in floods.
class RateLimitedLog {
 public:
  void Warn(const std::string& line) {
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch()).count();
    int64_t last = last_.load();
    const uint64_t missed = missed_.fetch_add(1);
    if (now - last < 10 || !last_.compare_exchange_strong(last, now)) return;
    missed_.store(0);
    spdlog::warn("{} ({} like it in the last 10 s)", line, missed + 1);
  }

 private:
  std::atomic<int64_t> last_{-1000};
  std::atomic<uint64_t> missed_{0};
};

RateLimitedLog& OverCapLog() {
  static RateLimitedLog log;
  return log;
}
RateLimitedLog& TimeoutLog() {
  static RateLimitedLog log;
  return log;
}

// The connection loop shared by the plain and the TLS server. `serve` is the server's
// process_request (protected in cpp-httplib, so the subclass passes it in).
class Connection {
 public:
  using Serve = std::function<bool(httplib::Stream&, bool close_connection, bool& connection_closed)>;

  Connection(FrontState& state, Transport& transport, std::string ip, int port)
      : state_(state), limits_(state.limits()), transport_(transport), ip_(std::move(ip)), port_(port) {}

  void Run(Deadline first_head_deadline, const Serve& serve) {
    for (size_t n = 0; n < limits_.keep_alive_max_requests; ++n) {
      Deadline head_deadline = first_head_deadline;
      if (n > 0) {
        // A kept-alive connection: idle up to keep_alive_timeout, then head_timeout for the head.
        if (buffer_.empty() && !Fill(Clock::now() + limits_.keep_alive_timeout, /*quiet=*/true)) return;
        head_deadline = Clock::now() + limits_.head_timeout;
      }
      std::string request;
      // The body's bytes stay reserved until the request has been served: the route holds
      // them (and what they unpack to) until then.
      size_t reserved = 0;
      struct Release {
        FrontState& state;
        size_t& bytes;
        ~Release() {
          if (bytes > 0) state.ReleaseBody(bytes);
        }
      } release{state_, reserved};
      if (!ReadRequest(head_deadline, request, reserved)) return;
      ReadRequestStream stream(transport_, request, ip_, port_, limits_.write_timeout);
      bool closed = false;
      const bool last = n + 1 == limits_.keep_alive_max_requests;
      const bool ok = serve(stream, last, closed);
      if (!ok || closed || last) return;
    }
  }

  // Whether the connection ended with a refusal the client may still be sending into.
  bool refused() const { return refused_; }

 private:
  // Reads more into buffer_; false when the connection is over (answered 408 on a timeout
  // unless `quiet`).
  bool Fill(Deadline deadline, bool quiet) {
    char chunk[16 << 10];
    size_t got = 0;
    const Io io = transport_.Read(chunk, sizeof(chunk), deadline, got);
    if (io == Io::kOk) {
      buffer_.append(chunk, got);
      return true;
    }
    if (io == Io::kTimedOut && !quiet) {
      TimeoutLog().Warn(ip_ + ": a request did not arrive within its time; the connection is closed");
      Refuse(TooSlow());
    }
    return false;
  }

  void Refuse(const Refusal& r) {
    refused_ = true;
    const std::string bytes = RefusalBytes(r);
    (void)transport_.WriteAll(bytes.data(), bytes.size(), Clock::now() + std::chrono::seconds(2));
  }

  // One whole request (head and body) into `request`; false when the connection is over.
  // `reserved`: the bytes of the body budget taken for it, which the caller releases.
  bool ReadRequest(Deadline head_deadline, std::string& request, size_t& reserved) {
    size_t end = buffer_.find("\r\n\r\n");
    while (end == std::string::npos) {
      if (buffer_.size() > limits_.max_head_bytes) {
        spdlog::warn("{}: a request head of more than {} bytes refused", ip_, limits_.max_head_bytes);
        Refuse(Refusal{431, "header_too_large", "The request's header is too large.",
                       "Заголовок запроса слишком большой."});
        return false;
      }
      const size_t searched = buffer_.size() < 3 ? 0 : buffer_.size() - 3;
      if (!Fill(head_deadline, /*quiet=*/false)) return false;
      end = buffer_.find("\r\n\r\n", searched);
    }
    if (end > limits_.max_head_bytes) {
      spdlog::warn("{}: a request head of more than {} bytes refused", ip_, limits_.max_head_bytes);
      Refuse(
          Refusal{431, "header_too_large", "The request's header is too large.", "Заголовок запроса слишком большой."});
      return false;
    }
    std::variant<Head, Refusal> parsed = ParseHead(std::string_view(buffer_).substr(0, end), limits_);
    if (auto* r = std::get_if<Refusal>(&parsed)) {
      spdlog::warn("{}: a request refused ({}): {}", ip_, r->status, LogSafe(buffer_.substr(0, buffer_.find("\r\n"))));
      Refuse(*r);
      return false;
    }
    Head& head = std::get<Head>(parsed);
    if (std::optional<Refusal> r = CheckBody(head, limits_)) {
      spdlog::warn("{} {} {}: refused before its body ({})", ip_, LogSafe(head.method, 16), LogSafe(head.path),
                   r->status);
      Refuse(*r);
      return false;
    }
    const size_t length = static_cast<size_t>(head.content_length.value_or(0));
    const size_t head_size = end + 4;
    const size_t budgeted = length > limits_.unbudgeted_body_bytes ? length : 0;
    if (budgeted > 0 && !state_.ReserveBody(budgeted)) {
      OverCapLog().Warn(ip_ + " " + LogSafe(head.path) + ": the bodies being read fill their budget (" +
                        std::to_string(limits_.body_budget_bytes) + " bytes); refused with 503");
      Refuse(Busy());
      return false;
    }
    reserved = budgeted;
    if (head.expect_continue && length > 0) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      if (transport_.WriteAll(kContinue.data(), kContinue.size(), Clock::now() + limits_.write_timeout) != Io::kOk) {
        return false;
      }
    }
    const Deadline body_deadline = Clock::now() + limits_.body_timeout +
                                   std::chrono::seconds(length / std::max<size_t>(1, limits_.body_min_rate_bytes));
    while (buffer_.size() < head_size + length) {
      if (!Fill(body_deadline, /*quiet=*/false)) return false;
    }
    // cpp-httplib would answer Expect itself: the front already did, so the line goes. What
    // follows the request (a pipelined one) is kept in a new string: buffer_ must not keep the
    // capacity of a large body while the connection idles.
    const size_t n = head_size + length;
    if (head.expect_continue) {
      request =
          buffer_.substr(0, head.expect_line_begin) + buffer_.substr(head.expect_line_end, n - head.expect_line_end);
      buffer_ = buffer_.substr(n);
    } else if (buffer_.size() == n) {
      request = std::move(buffer_);
      buffer_ = std::string();
    } else {
      request = buffer_.substr(0, n);
      buffer_ = buffer_.substr(n);
    }
    return true;
  }

  FrontState& state_;
  const FrontLimits& limits_;
  Transport& transport_;
  std::string ip_;
  int port_;
  std::string buffer_;  // read and not yet handed on
  bool refused_ = false;
};

// After a refusal, the client may still be sending the body it was refused: closing at once
// would make the kernel reset the connection, and the client would lose the answer. So, as
// nginx's lingering close does, the sending half is closed and what arrives is read and
// dropped for at most 2 s or 64 MiB, then the socket is closed.
void LingerAfterRefusal(int fd) {
  ::shutdown(fd, SHUT_WR);
  const Deadline until = Clock::now() + std::chrono::seconds(2);
  char sink[16 << 10];
  for (size_t dropped = 0; dropped < (size_t{64} << 20);) {
    const ssize_t n = ::recv(fd, sink, sizeof(sink), 0);
    if (n > 0) {
      dropped += static_cast<size_t>(n);
      continue;
    }
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return;
    if (WaitFor(fd, POLLIN, until) != Io::kOk) return;
  }
}

// The capped entry of a connection: counted in, or answered 503 (plain) / closed (TLS).
class Admission {
 public:
  Admission(FrontState& state, int fd) : state_(state) {
    PeerOf(fd, ip_, port_);
    admitted_ = state_.Admit(ip_);
    if (!admitted_) {
      OverCapLog().Warn(ip_ + ": connection refused, " + std::to_string(state_.open_connections()) + " open (at most " +
                        std::to_string(state_.limits().max_connections) + ", " +
                        std::to_string(state_.limits().max_connections_per_address) + " per address)");
    }
  }
  ~Admission() {
    if (admitted_) state_.Leave(ip_);
  }
  bool admitted() const { return admitted_; }
  const std::string& ip() const { return ip_; }
  int port() const { return port_; }

 private:
  FrontState& state_;
  std::string ip_;
  int port_ = 0;
  bool admitted_ = false;
};

void CloseSocket(int fd) {
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

void MakeNonBlocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL, 0) | O_NONBLOCK); }

// Shared by both servers: what SetListenBacklog needs.
class Backlogged {
 public:
  virtual ~Backlogged() = default;
  virtual void SetBacklog(int backlog) = 0;
};

class BoundedServer final : public httplib::Server, public Backlogged {
 public:
  explicit BoundedServer(FrontState& state) : state_(state) {}
  void SetBacklog(int backlog) override { ::listen(svr_sock_, backlog); }

 private:
  bool process_and_close_socket(socket_t sock) override {
    {
      Admission admission(state_, sock);
      MakeNonBlocking(sock);
      PlainTransport transport(sock, state_.stopping());
      if (!admission.admitted()) {
        const std::string bytes = RefusalBytes(Busy());
        (void)transport.WriteAll(bytes.data(), bytes.size(), Clock::now() + std::chrono::seconds(1));
      } else {
        Connection c(state_, transport, admission.ip(), admission.port());
        c.Run(Clock::now() + state_.limits().head_timeout, [this](httplib::Stream& s, bool close, bool& closed) {
          return process_request(s, close, closed, nullptr);
        });
        if (c.refused()) LingerAfterRefusal(sock);
      }
    }
    CloseSocket(sock);
    return true;
  }

  FrontState& state_;
};

class BoundedTlsServer final : public httplib::SSLServer, public Backlogged {
 public:
  BoundedTlsServer(FrontState& state, const std::string& cert, const std::string& key)
      : httplib::SSLServer(cert.c_str(), key.c_str()), state_(state) {}
  void SetBacklog(int backlog) override { ::listen(svr_sock_, backlog); }

 private:
  bool process_and_close_socket(socket_t sock) override {
    {
      Admission admission(state_, sock);
      SSL* ssl = admission.admitted() ? SSL_new(ssl_context()) : nullptr;
      if (ssl != nullptr) {
        MakeNonBlocking(sock);
        SSL_set_fd(ssl, sock);
        TlsTransport transport(sock, ssl, state_.stopping());  // owns ssl from here
        const Deadline deadline = Clock::now() + state_.limits().handshake_timeout;
        if (const Io io = transport.Handshake(deadline); io == Io::kOk) {
          Connection c(state_, transport, admission.ip(), admission.port());
          c.Run(Clock::now() + state_.limits().head_timeout, [this](httplib::Stream& s, bool close, bool& closed) {
            return process_request(s, close, closed, nullptr);
          });
          if (c.refused()) LingerAfterRefusal(sock);
        } else if (io == Io::kTimedOut) {
          TimeoutLog().Warn(admission.ip() + ": no TLS handshake within its time; the connection is closed");
        }
      }
    }
    CloseSocket(sock);
    return true;
  }

  FrontState& state_;
};

}  // namespace

std::unique_ptr<httplib::Server> NewBoundedServer(FrontState& state) { return std::make_unique<BoundedServer>(state); }

std::unique_ptr<httplib::Server> NewBoundedTlsServer(FrontState& state, const std::string& cert_path,
                                                     const std::string& key_path) {
  return std::make_unique<BoundedTlsServer>(state, cert_path, key_path);
}

void SetListenBacklog(httplib::Server& server, int backlog) {
  if (auto* b = dynamic_cast<Backlogged*>(&server)) b->SetBacklog(backlog);
}

}  // namespace mentorlog::server
