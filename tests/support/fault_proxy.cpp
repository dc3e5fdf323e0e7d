// The implementation of fault_proxy.h.
//
// Each connection has two pumps, one per direction, each on its own thread. A pump reads what
// its source sends into a delay line (a FIFO of pieces, each due at read time + latency, plus
// a retransmission timeout when it starts a lost segment) and writes the due pieces to its
// destination, paced by the bandwidth cap. The FIFO keeps TCP's order: a late piece holds back
// everything behind it, as a lost segment does.
//
// Cut rules fire through FaultState::TakeFiring, which hands out at most `cut_limit` firings
// per generation of the settings (a generation is one Start or Set). A piece remembers the
// generation it was read under; only pieces read under the current generation count towards a
// cut, so a rule applies to bytes read after it was set.
//
// [SECTION] Constants and small helpers
// [SECTION] Sockets: descriptors, sending, connecting, listening
// [SECTION] Loss draws
// [SECTION] FaultState: settings, the cut budget, counters
// [SECTION] Connection and Pump
// [SECTION] FaultProxy::Impl: the accept loop
// [SECTION] FaultProxy
#include "fault_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace mentorlog::testing {
namespace {

// -----------------------------------------------------------------------------------------
// [SECTION] Constants and small helpers
// -----------------------------------------------------------------------------------------

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

constexpr size_t kReadBytes = 64 * 1024;
// Bytes a pump holds in its delay line before it stops reading. Like a TCP window, it bounds
// throughput under latency (at most 1 MiB per latency_ms) and the memory per connection.
constexpr size_t kMaxQueuedBytes = 1024 * 1024;
constexpr uint64_t kSegmentBytes = 1460;  // An Ethernet MSS.
constexpr int64_t kMinPacingSlice = 512;
constexpr int64_t kMaxPacingSlice = 16 * 1024;
constexpr int64_t kPacingSlicesPerSecond = 500;  // 2 ms worth of bytes per slice.
// Credit for time a paced pump overslept, so that the cap holds on average; small enough that
// an idle connection gets no burst worth speaking of.
constexpr auto kMaxPacingCredit = milliseconds(10);
constexpr auto kMinRetransmissionTimeout = milliseconds(200);
constexpr auto kSwallowQuiet = milliseconds(200);
constexpr auto kSwallowMax = seconds(2);
constexpr auto kConnectTimeout = seconds(5);
constexpr int kAcceptPollMs = 200;  // How often the accept loop reaps finished connections.
constexpr int kListenBacklog = 128;

std::string ErrnoText(int err) { return std::generic_category().message(err); }

std::string FormatDouble(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

timespec ToTimespec(nanoseconds duration) {
  const auto whole = std::chrono::duration_cast<seconds>(duration);
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(whole.count());
  ts.tv_nsec = static_cast<long>((duration - whole).count());
  return ts;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Sockets
// -----------------------------------------------------------------------------------------

// Closes a descriptor on every return path.
class ScopedFd {
 public:
  ScopedFd() = default;
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd() { Reset(); }
  ScopedFd(ScopedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  ScopedFd& operator=(ScopedFd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Sends all `n` bytes, through EINTR and partial writes. MSG_NOSIGNAL: a peer that has gone
// away is an EPIPE here, not a SIGPIPE that kills the process. False when the peer is gone.
bool SendAll(int fd, const char* data, size_t n) {
  while (n > 0) {
    const ssize_t sent = ::send(fd, data, n, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += sent;
    n -= static_cast<size_t>(sent);
  }
  return true;
}

// Pacing writes small slices; Nagle's algorithm would hold them back waiting for ACKs.
void SetNoDelay(int fd) {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // Best effort: only timing suffers.
}

struct TargetAddress {
  sockaddr_storage address{};
  socklen_t length = 0;
  int family = 0;
};

Result<std::vector<TargetAddress>> Resolve(const std::string& host, uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
  if (rc != 0) {
    const std::string why = rc == EAI_SYSTEM ? ErrnoText(errno) : ::gai_strerror(rc);
    return Status::IoError("cannot resolve the target host '" + host + "': " + why +
                           "; give an address such as 127.0.0.1 or a name in /etc/hosts");
  }
  std::vector<TargetAddress> targets;
  for (const addrinfo* info = found; info != nullptr; info = info->ai_next) {
    if (info->ai_addrlen > sizeof(sockaddr_storage)) continue;
    TargetAddress target;
    std::memcpy(&target.address, info->ai_addr, info->ai_addrlen);
    target.length = info->ai_addrlen;
    target.family = info->ai_family;
    targets.push_back(target);
  }
  ::freeaddrinfo(found);
  if (targets.empty()) return Status::IoError("the target host '" + host + "' has no TCP address");
  return targets;
}

// Waits until `fd` is writable (a non-blocking connect finished), `stop_fd` is readable or
// `deadline` passes. True only in the first case.
bool WaitConnected(int fd, int stop_fd, TimePoint deadline) {
  while (true) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now());
    if (left.count() <= 0) return false;
    pollfd fds[2] = {{fd, POLLOUT, 0}, {stop_fd, POLLIN, 0}};
    const int ready = ::poll(fds, 2, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0 || fds[1].revents != 0) return false;
    if (fds[0].revents != 0) break;
  }
  int error = 0;
  socklen_t length = sizeof error;
  return ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0;
}

// A connected blocking socket to the first address that answers within kConnectTimeout, or an
// invalid descriptor when none does (or the proxy is stopping).
ScopedFd ConnectToAny(const std::vector<TargetAddress>& targets, int stop_fd) {
  for (const TargetAddress& target : targets) {
    ScopedFd fd(::socket(target.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.valid()) continue;
    const int rc = ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&target.address), target.length);
    if (rc != 0) {
      const bool pending = errno == EINPROGRESS || errno == EINTR;
      if (!pending || !WaitConnected(fd.get(), stop_fd, SteadyClock::now() + kConnectTimeout)) continue;
    }
    const int flags = ::fcntl(fd.get(), F_GETFL);
    if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) < 0) continue;
    SetNoDelay(fd.get());
    return fd;
  }
  return ScopedFd();
}

// A non-blocking socket listening on 127.0.0.1:`port` (0: any free port).
Result<ScopedFd> ListenOnLoopback(uint16_t port) {
  const std::string where = "127.0.0.1:" + std::to_string(port);
  ScopedFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Status::IoError("cannot create a socket to listen on " + where + ": " + ErrnoText(errno));
  const int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);  // Best effort: a quick restart.
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  if (::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr) != 1) {
    return Status::Internal("inet_pton rejected 127.0.0.1");
  }
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    return Status::IoError("cannot listen on " + where + ": " + ErrnoText(errno) +
                           "; choose another port, or 0 for any free one");
  }
  if (::listen(fd.get(), kListenBacklog) != 0) {
    return Status::IoError("cannot listen on " + where + ": " + ErrnoText(errno));
  }
  return fd;
}

Result<uint16_t> LocalPort(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return Status::IoError("cannot read the port the proxy listens on: " + ErrnoText(errno));
  }
  return ntohs(address.sin_port);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Loss draws
// -----------------------------------------------------------------------------------------

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

enum class Direction { kClientToServer = 0, kServerToClient = 1 };

// Whether a segment is lost. A pure function of its arguments (a counter-based PRNG), so a run
// is repeatable whatever the timing of reads.
bool SegmentLost(uint64_t seed, uint64_t connection, Direction direction, uint64_t segment, double loss) {
  if (!(loss > 0.0)) return false;
  if (loss >= 1.0) return true;
  const uint64_t stream = connection * 2 + static_cast<uint64_t>(direction);
  const uint64_t draw = SplitMix64(SplitMix64(SplitMix64(seed) ^ stream) ^ segment);
  const double uniform = static_cast<double>(draw >> 11) * 0x1.0p-53;  // [0, 1)
  return uniform < loss;
}

// -----------------------------------------------------------------------------------------
// [SECTION] FaultState
// -----------------------------------------------------------------------------------------

// The settings, the cut budget and the counters, shared by the accept loop and every pump.
// Thread safety: every member is safe to use from any thread.
class FaultState {
 public:
  struct Rules {
    FaultSettings settings;
    uint64_t generation = 0;
  };

  struct Counters {
    std::atomic<int64_t> accepted{0};
    std::atomic<int64_t> client_to_server{0};
    std::atomic<int64_t> server_to_client{0};
    std::atomic<int64_t> cuts{0};
  };

  explicit FaultState(FaultSettings settings) : settings_(settings), budget_(settings.cut_limit) {}

  Rules Current() const {
    std::lock_guard lock(mu_);
    return {settings_, generation_};
  }

  void Set(FaultSettings settings) {
    std::lock_guard lock(mu_);
    settings_ = settings;
    ++generation_;
    budget_ = settings.cut_limit;
  }

  // Takes one firing of a cut rule of `generation`. False when the settings have changed since,
  // or the rules have fired `cut_limit` times already.
  bool TakeFiring(uint64_t generation) {
    std::lock_guard lock(mu_);
    if (generation != generation_) return false;
    return TakeLocked();
  }

  // Takes one firing of `refuse` for a connection just accepted; false when it is off or spent.
  bool TakeRefusal() {
    std::lock_guard lock(mu_);
    return settings_.refuse && TakeLocked();
  }

  Counters counters;

 private:
  bool TakeLocked() {
    if (budget_ == 0) return false;
    if (budget_ > 0) --budget_;  // Negative: unlimited.
    return true;
  }

  mutable std::mutex mu_;
  FaultSettings settings_;   // GUARDED_BY(mu_)
  uint64_t generation_ = 1;  // GUARDED_BY(mu_)
  int budget_;               // GUARDED_BY(mu_)
};

// -----------------------------------------------------------------------------------------
// [SECTION] Connection and Pump
// -----------------------------------------------------------------------------------------

// One proxied connection. The descriptors stay open until the accept loop (or ~Impl) has
// joined both pumps, so neither pump can ever use a descriptor number that was reused.
struct Connection {
  Connection(uint64_t connection_number, ScopedFd client_fd, ScopedFd server_fd)
      : number(connection_number), client(std::move(client_fd)), server(std::move(server_fd)) {}

  // Ends the connection: both peers get EOF, and both pumps' blocked calls return.
  void ShutDownBoth() {
    closed.store(true);
    ::shutdown(client.get(), SHUT_RDWR);
    ::shutdown(server.get(), SHUT_RDWR);
  }

  const uint64_t number;  // 0 for the first connection accepted; feeds the loss draws.
  const ScopedFd client;
  const ScopedFd server;
  std::atomic<bool> closed{false};
  std::atomic<int> pumps_running{0};
  std::mutex fire_mu;
  bool fired = false;  // GUARDED_BY(fire_mu): a cut rule fired here, so no other may.
  std::thread client_to_server;
  std::thread server_to_client;
};

// Moves the bytes of one direction of one connection, applying the faults.
// Thread safety: a Pump runs on one thread; it shares only `conn` and `state` (both safe).
class Pump {
 public:
  Pump(FaultState& state, Connection& conn, Direction direction, int stop_fd)
      : state_(state),
        conn_(conn),
        direction_(direction),
        src_(direction == Direction::kClientToServer ? conn.client.get() : conn.server.get()),
        dst_(direction == Direction::kClientToServer ? conn.server.get() : conn.client.get()),
        stop_fd_(stop_fd),
        forwarded_(direction == Direction::kClientToServer ? state.counters.client_to_server
                                                           : state.counters.server_to_client),
        buffer_(kReadBytes) {}

  // Returns when the source has ended and everything was forwarded (after a half-close of the
  // destination), when the connection was cut or broke, or when the proxy stops.
  void Run() {
    while (!conn_.closed.load()) {
      if (!WriteDuePieces()) return;
      const TimePoint now = SteadyClock::now();
      std::optional<TimePoint> wake = wake_;
      if (swallowing_) {
        const TimePoint end = std::min(swallow_last_ + kSwallowQuiet, swallow_first_ + kSwallowMax);
        if (src_eof_ || now >= end) {
          Cut();
          return;
        }
        wake = wake ? std::min(*wake, end) : end;
      }
      if (src_eof_ && queue_.empty()) {
        ::shutdown(dst_, SHUT_WR);  // Half-close: the peer sees EOF; the other direction goes on.
        return;
      }
      const bool want_read = !src_eof_ && queued_bytes_ < kMaxQueuedBytes;
      pollfd fds[2] = {{want_read ? src_ : -1, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
      timespec timeout{};
      if (wake) timeout = ToTimespec(std::max(nanoseconds(0), *wake - now));
      const int ready = ::ppoll(fds, 2, wake ? &timeout : nullptr, nullptr);
      if (ready < 0) {
        if (errno == EINTR) continue;
        conn_.ShutDownBoth();
        return;
      }
      if (fds[1].revents != 0) return;  // The proxy is stopping.
      if (fds[0].revents != 0 && !ReadOnce()) return;
    }
  }

 private:
  struct Piece {
    std::vector<char> bytes;
    size_t sent = 0;
    TimePoint due;
    uint64_t generation = 0;  // Of the settings it was read under.
  };

  // Reads once from the source into the delay line (or, when swallowing, into nothing).
  // False when the connection has ended.
  bool ReadOnce() {
    const ssize_t got = ::recv(src_, buffer_.data(), buffer_.size(), 0);
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) return true;
      conn_.ShutDownBoth();  // A reset: the whole connection is gone.
      return false;
    }
    if (got == 0) {
      src_eof_ = true;
      return true;
    }
    const TimePoint now = SteadyClock::now();
    const FaultState::Rules rules = state_.Current();
    if (direction_ == Direction::kServerToClient && Swallows(rules, now)) return true;
    Enqueue(static_cast<size_t>(got), now, rules);
    return true;
  }

  // Whether the bytes just read from the server are to be swallowed; starts swallowing when
  // the rule is on and may still fire.
  bool Swallows(const FaultState::Rules& rules, TimePoint now) {
    if (!swallowing_) {
      if (!rules.settings.swallow_response || exempt_generation_ == rules.generation) return false;
      if (!Fire(rules.generation)) {
        exempt_generation_ = rules.generation;
        return false;
      }
      swallowing_ = true;
      swallow_first_ = now;
    }
    swallow_last_ = now;
    return true;
  }

  // Appends the `n` bytes at the start of buffer_ to the delay line. They are due after the
  // latency; from the first lost segment among them on, one retransmission timeout later.
  void Enqueue(size_t n, TimePoint now, const FaultState::Rules& rules) {
    const FaultSettings& settings = rules.settings;
    const milliseconds latency(std::max(0, settings.latency_ms));
    const TimePoint due = now + latency;
    size_t lost_from = n;
    if (settings.loss > 0.0) {
      for (size_t pos = 0; pos < n;) {
        const uint64_t offset = stream_offset_ + pos;
        const uint64_t into_segment = offset % kSegmentBytes;
        if (into_segment == 0 &&
            SegmentLost(settings.seed, conn_.number, direction_, offset / kSegmentBytes, settings.loss)) {
          lost_from = pos;
          break;
        }
        pos += static_cast<size_t>(std::min<uint64_t>(kSegmentBytes - into_segment, n - pos));
      }
    }
    const nanoseconds rto = std::max<nanoseconds>(kMinRetransmissionTimeout, 4 * latency);
    if (lost_from > 0) Push(0, lost_from, due, rules.generation);
    if (lost_from < n) Push(lost_from, n, due + rto, rules.generation);
    stream_offset_ += n;
  }

  void Push(size_t from, size_t to, TimePoint due, uint64_t generation) {
    const auto first = buffer_.begin() + static_cast<std::ptrdiff_t>(from);
    const auto last = buffer_.begin() + static_cast<std::ptrdiff_t>(to);
    queue_.push_back(Piece{std::vector<char>(first, last), 0, due, generation});
    queued_bytes_ += to - from;
  }

  // Writes the pieces that are due, as fast as the bandwidth cap allows, and applies the cut
  // rule of this direction. Sets wake_ to when it next has something to do (nullopt: when
  // the source sends). False when the connection has ended.
  bool WriteDuePieces() {
    wake_.reset();
    while (!queue_.empty()) {
      if (conn_.closed.load()) return false;
      const TimePoint now = SteadyClock::now();
      Piece& head = queue_.front();
      if (head.due > now) {
        wake_ = head.due;
        return true;
      }
      const FaultState::Rules rules = state_.Current();
      const int64_t rate = rules.settings.bytes_per_second;
      size_t n = head.bytes.size() - head.sent;
      if (rate > 0) {
        next_send_ = std::max(next_send_, now - kMaxPacingCredit);
        if (next_send_ > now) {
          wake_ = next_send_;
          return true;
        }
        const int64_t slice = std::clamp(rate / kPacingSlicesPerSecond, kMinPacingSlice, kMaxPacingSlice);
        n = std::min(n, static_cast<size_t>(slice));
      }
      const int64_t limit = direction_ == Direction::kClientToServer ? rules.settings.cut_request_after_bytes
                                                                     : rules.settings.cut_response_after_bytes;
      const bool counted = limit >= 0 && head.generation == rules.generation && exempt_generation_ != rules.generation;
      if (counted) {
        if (counted_generation_ != rules.generation) {
          counted_generation_ = rules.generation;
          counted_bytes_ = 0;
        }
        if (counted_bytes_ >= limit) {
          if (!ReachedCut(rules.generation)) continue;
          return false;
        }
        n = std::min(n, static_cast<size_t>(limit - counted_bytes_));
      }
      if (!SendAll(dst_, head.bytes.data() + head.sent, n)) {
        conn_.ShutDownBoth();
        return false;
      }
      head.sent += n;
      queued_bytes_ -= n;
      forwarded_.fetch_add(static_cast<int64_t>(n));
      if (rate > 0) next_send_ += nanoseconds(static_cast<int64_t>(n) * 1'000'000'000 / rate);
      if (head.sent == head.bytes.size()) queue_.pop_front();
      if (counted) {
        counted_bytes_ += static_cast<int64_t>(n);
        if (counted_bytes_ >= limit && ReachedCut(rules.generation)) return false;
      }
    }
    return true;
  }

  // The cut rule of this direction has counted its bytes: cuts the connection and returns
  // true, or, when the rule may not fire (spent, or another rule fired here), exempts this
  // connection from the current settings' cuts and returns false.
  bool ReachedCut(uint64_t generation) {
    if (Fire(generation)) {
      Cut();
      return true;
    }
    exempt_generation_ = generation;
    return false;
  }

  // Takes a firing for this connection: at most one rule fires per connection.
  bool Fire(uint64_t generation) {
    std::lock_guard lock(conn_.fire_mu);
    if (conn_.fired || conn_.closed.load()) return false;
    if (!state_.TakeFiring(generation)) return false;
    conn_.fired = true;
    return true;
  }

  void Cut() {
    state_.counters.cuts.fetch_add(1);
    conn_.ShutDownBoth();
  }

  FaultState& state_;
  Connection& conn_;
  const Direction direction_;
  const int src_;
  const int dst_;
  const int stop_fd_;
  std::atomic<int64_t>& forwarded_;
  std::vector<char> buffer_;

  std::deque<Piece> queue_;  // The delay line, in stream order.
  size_t queued_bytes_ = 0;
  bool src_eof_ = false;
  uint64_t stream_offset_ = 0;  // Bytes read so far: numbers the segments for the loss draws.
  TimePoint next_send_;         // Pacing: when the next slice may go.
  std::optional<TimePoint> wake_;

  uint64_t counted_generation_ = 0;  // The settings counted_bytes_ counts for.
  int64_t counted_bytes_ = 0;        // Bytes forwarded under the cut rule of this direction.
  uint64_t exempt_generation_ = 0;   // Settings whose cuts may no longer fire here.

  bool swallowing_ = false;
  TimePoint swallow_first_;
  TimePoint swallow_last_;
};

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] FaultProxy::Impl
// -----------------------------------------------------------------------------------------

// Owns the listening socket, the accept thread and the connections.
// Thread safety: connections_ belongs to the accept thread until ~Impl has joined it.
class FaultProxy::Impl {
 public:
  Impl(std::vector<TargetAddress> targets, FaultSettings settings, ScopedFd listen_fd, ScopedFd stop_fd, uint16_t port)
      : targets_(std::move(targets)),
        state_(settings),
        listen_fd_(std::move(listen_fd)),
        stop_fd_(std::move(stop_fd)),
        port_(port) {}

  ~Impl() {
    const uint64_t one = 1;
    while (::write(stop_fd_.get(), &one, sizeof one) < 0 && errno == EINTR) {
    }
    if (accept_thread_.joinable()) accept_thread_.join();
    for (const auto& conn : connections_) conn->ShutDownBoth();  // Unblocks pumps stuck in send().
    for (const auto& conn : connections_) Join(*conn);
  }

  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // May throw std::system_error when no thread can be started.
  void StartAccepting() {
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }

  uint16_t port() const { return port_; }
  FaultState& state() { return state_; }

 private:
  void AcceptLoop() {
    while (true) {
      pollfd fds[2] = {{listen_fd_.get(), POLLIN, 0}, {stop_fd_.get(), POLLIN, 0}};
      const int ready = ::poll(fds, 2, kAcceptPollMs);
      if (ready < 0 && errno != EINTR) return;
      if (fds[1].revents != 0) return;
      ReapFinished();
      if (ready <= 0 || (fds[0].revents & POLLIN) == 0) continue;
      const int fd = ::accept4(listen_fd_.get(), nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        // EAGAIN: the client left before we took it. EMFILE and ENFILE: wait for descriptors.
        if (errno == EMFILE || errno == ENFILE) std::this_thread::sleep_for(milliseconds(10));
        continue;
      }
      Serve(ScopedFd(fd));
    }
  }

  void Serve(ScopedFd client) {
    const auto number = static_cast<uint64_t>(state_.counters.accepted.fetch_add(1));
    if (state_.TakeRefusal()) {
      state_.counters.cuts.fetch_add(1);
      return;  // `client` closes here.
    }
    ScopedFd server = ConnectToAny(targets_, stop_fd_.get());
    if (!server.valid()) return;  // The target is down: the client sees its connection closed.
    SetNoDelay(client.get());
    auto conn = std::make_unique<Connection>(number, std::move(client), std::move(server));
    conn->pumps_running.store(2);
    try {
      conn->client_to_server = std::thread([this, c = conn.get()] { RunPump(*c, Direction::kClientToServer); });
      conn->server_to_client = std::thread([this, c = conn.get()] { RunPump(*c, Direction::kServerToClient); });
    } catch (const std::system_error&) {
      conn->ShutDownBoth();  // Out of threads: drop this connection.
      Join(*conn);
      return;
    }
    connections_.push_back(std::move(conn));
  }

  void RunPump(Connection& conn, Direction direction) {
    Pump(state_, conn, direction, stop_fd_.get()).Run();
    conn.pumps_running.fetch_sub(1);
  }

  void ReapFinished() {
    for (auto it = connections_.begin(); it != connections_.end();) {
      if ((*it)->pumps_running.load() == 0) {
        Join(**it);
        it = connections_.erase(it);
      } else {
        ++it;
      }
    }
  }

  static void Join(Connection& conn) {
    if (conn.client_to_server.joinable()) conn.client_to_server.join();
    if (conn.server_to_client.joinable()) conn.server_to_client.join();
  }

  const std::vector<TargetAddress> targets_;
  FaultState state_;
  const ScopedFd listen_fd_;
  const ScopedFd stop_fd_;  // An eventfd, readable once the proxy stops.
  const uint16_t port_;
  std::thread accept_thread_;
  std::list<std::unique_ptr<Connection>> connections_;
};

// -----------------------------------------------------------------------------------------
// [SECTION] FaultProxy
// -----------------------------------------------------------------------------------------

Status ValidateFaultSettings(const FaultSettings& settings) {
  if (settings.latency_ms < 0) {
    return Status::InvalidInput("latency_ms is " + std::to_string(settings.latency_ms) +
                                ": it must be 0 or more milliseconds");
  }
  if (settings.bytes_per_second < 0) {
    return Status::InvalidInput("bytes_per_second is " + std::to_string(settings.bytes_per_second) +
                                ": it must be 0 (unlimited) or more");
  }
  if (!(settings.loss >= 0.0 && settings.loss <= 1.0)) {
    return Status::InvalidInput("loss is " + FormatDouble(settings.loss) + ": it must be a probability from 0 to 1");
  }
  if (settings.cut_request_after_bytes < -1) {
    return Status::InvalidInput("cut_request_after_bytes is " + std::to_string(settings.cut_request_after_bytes) +
                                ": it must be -1 (off) or a number of bytes");
  }
  if (settings.cut_response_after_bytes < -1) {
    return Status::InvalidInput("cut_response_after_bytes is " + std::to_string(settings.cut_response_after_bytes) +
                                ": it must be -1 (off) or a number of bytes");
  }
  if (settings.cut_limit < -1) {
    return Status::InvalidInput("cut_limit is " + std::to_string(settings.cut_limit) +
                                ": it must be -1 (every connection) or a number of connections");
  }
  return Status::Ok();
}

Result<std::unique_ptr<FaultProxy>> FaultProxy::Start(std::string target_host, uint16_t target_port,
                                                      FaultSettings settings, uint16_t listen_port) {
  RETURN_IF_ERROR(ValidateFaultSettings(settings));
  if (target_host.empty()) {
    return Status::InvalidInput("the target host is empty: give a name or an address, e.g. 127.0.0.1");
  }
  if (target_port == 0) {
    return Status::InvalidInput("the target port is 0: give the port the server listens on");
  }
  ASSIGN_OR_RETURN(std::vector<TargetAddress> targets, Resolve(target_host, target_port));
  ASSIGN_OR_RETURN(ScopedFd listen_fd, ListenOnLoopback(listen_port));
  ASSIGN_OR_RETURN(const uint16_t port, LocalPort(listen_fd.get()));
  ScopedFd stop_fd(::eventfd(0, EFD_CLOEXEC));
  if (!stop_fd.valid()) return Status::IoError("cannot create an eventfd: " + ErrnoText(errno));
  auto impl = std::make_unique<Impl>(std::move(targets), settings, std::move(listen_fd), std::move(stop_fd), port);
  try {
    impl->StartAccepting();
  } catch (const std::system_error& e) {
    return Status::IoError(std::string("cannot start the proxy's accept thread: ") + e.what());
  }
  return std::unique_ptr<FaultProxy>(new FaultProxy(std::move(impl)));
}

FaultProxy::FaultProxy(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

FaultProxy::~FaultProxy() = default;

uint16_t FaultProxy::port() const { return impl_->port(); }

void FaultProxy::Set(FaultSettings settings) {
  assert(ValidateFaultSettings(settings).ok() && "FaultProxy::Set: invalid settings");
  impl_->state().Set(settings);
}

FaultSettings FaultProxy::settings() const { return impl_->state().Current().settings; }

int64_t FaultProxy::connections_accepted() const { return impl_->state().counters.accepted.load(); }
int64_t FaultProxy::bytes_client_to_server() const { return impl_->state().counters.client_to_server.load(); }
int64_t FaultProxy::bytes_server_to_client() const { return impl_->state().counters.server_to_client.load(); }
int64_t FaultProxy::cuts() const { return impl_->state().counters.cuts.load(); }

}  // namespace mentorlog::testing
