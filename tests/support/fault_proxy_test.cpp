// Tests for fault_proxy.h, against small servers on 127.0.0.1 started in each test.
//
// Timing assertions are lower bounds only: a slow machine may take longer, never shorter.
// Socket reads carry a 10 s timeout so that a bug fails a test instead of hanging it.
//
// [SECTION] Sockets and a test server
// [SECTION] Passthrough and shaping
// [SECTION] Cuts
// [SECTION] Settings and lifetime
#include "fault_proxy.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace mentorlog::testing {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

// -----------------------------------------------------------------------------------------
// [SECTION] Sockets and a test server
// -----------------------------------------------------------------------------------------

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Socket& operator=(Socket&&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

sockaddr_in Loopback(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  return address;
}

// A socket connected to 127.0.0.1:`port` whose reads time out after 10 s.
Socket ConnectTo(uint16_t port) {
  Socket socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  const sockaddr_in address = Loopback(port);
  EXPECT_EQ(::connect(socket.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address), 0)
      << "connect: " << std::strerror(errno);
  timeval timeout{};
  timeout.tv_sec = 10;
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  return socket;
}

bool SendAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t sent = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    done += static_cast<size_t>(sent);
  }
  return true;
}

enum class End { kEof, kReset, kTimeout, kLimit };

struct Received {
  std::string bytes;
  End end = End::kEof;
};

// Reads until EOF, an error, or `limit` bytes.
Received Receive(int fd, size_t limit = SIZE_MAX) {
  Received received;
  char buffer[16 * 1024];
  while (received.bytes.size() < limit) {
    const size_t want = std::min(sizeof buffer, limit - received.bytes.size());
    const ssize_t got = ::recv(fd, buffer, want, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      received.end = errno == EAGAIN || errno == EWOULDBLOCK ? End::kTimeout : End::kReset;
      return received;
    }
    if (got == 0) {
      received.end = End::kEof;
      return received;
    }
    received.bytes.append(buffer, static_cast<size_t>(got));
  }
  received.end = End::kLimit;
  return received;
}

// The connection was closed by the peer: an orderly EOF, or a reset after it.
bool Closed(End end) { return end == End::kEof || end == End::kReset; }

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string bytes(n, '\0');
  for (char& c : bytes) c = static_cast<char>(byte(random));
  return bytes;
}

// A server on 127.0.0.1 that runs `handler` on each connection it accepts, each on its own
// thread. The destructor shuts open connections down and joins every thread.
class TestServer {
 public:
  using Handler = std::function<void(int fd)>;

  explicit TestServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in address = Loopback(0);
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(listen_fd_, 16), 0);
    sockaddr_in bound{};
    socklen_t length = sizeof bound;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &length);
    port_ = ntohs(bound.sin_port);
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }

  ~TestServer() {
    stop_.store(true);
    accept_thread_.join();
    std::lock_guard lock(mu_);
    for (const int fd : fds_) ::shutdown(fd, SHUT_RDWR);
    for (std::thread& t : handlers_) t.join();
    for (const int fd : fds_) ::close(fd);
    ::close(listen_fd_);
  }

  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  uint16_t port() const { return port_; }
  int connections() const { return connections_.load(); }

 private:
  void AcceptLoop() {
    while (!stop_.load()) {
      pollfd fds[1] = {{listen_fd_, POLLIN, 0}};
      if (::poll(fds, 1, 20) <= 0) continue;
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      connections_.fetch_add(1);
      std::lock_guard lock(mu_);
      fds_.push_back(fd);
      handlers_.emplace_back([this, fd] { handler_(fd); });
    }
  }

  Handler handler_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread accept_thread_;
  std::mutex mu_;
  std::vector<int> fds_;               // GUARDED_BY(mu_)
  std::vector<std::thread> handlers_;  // GUARDED_BY(mu_)
};

// Sends back what it reads; half-closes at EOF.
void Echo(int fd) {
  char buffer[16 * 1024];
  while (true) {
    const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    if (!SendAll(fd, std::string(buffer, static_cast<size_t>(got)))) return;
  }
  ::shutdown(fd, SHUT_WR);
}

// Sends `answer`, then closes its side.
TestServer::Handler Answer(std::string answer) {
  return [answer = std::move(answer)](int fd) {
    SendAll(fd, answer);
    ::shutdown(fd, SHUT_WR);
    Receive(fd);
  };
}

std::unique_ptr<FaultProxy> StartProxy(uint16_t target_port, FaultSettings settings = {}) {
  auto proxy = FaultProxy::Start("127.0.0.1", target_port, settings);
  EXPECT_TRUE(proxy.ok()) << proxy.status().message();
  return proxy.ok() ? std::move(proxy).value() : nullptr;
}

double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

// -----------------------------------------------------------------------------------------
// [SECTION] Passthrough and shaping
// -----------------------------------------------------------------------------------------

TEST(FaultProxyTest, PassthroughKeepsBytesIntact) {
  TestServer server(Echo);
  auto proxy = StartProxy(server.port());
  ASSERT_NE(proxy, nullptr);
  const std::string payload = RandomBytes(1024 * 1024, 7);

  Socket client = ConnectTo(proxy->port());
  std::thread writer([&] {
    EXPECT_TRUE(SendAll(client.fd(), payload));
    ::shutdown(client.fd(), SHUT_WR);
  });
  const Received echoed = Receive(client.fd());
  writer.join();

  EXPECT_EQ(echoed.end, End::kEof);
  ASSERT_EQ(echoed.bytes.size(), payload.size());
  EXPECT_TRUE(echoed.bytes == payload) << "the echoed bytes differ from those sent";
  EXPECT_EQ(proxy->connections_accepted(), 1);
  EXPECT_EQ(proxy->bytes_client_to_server(), 1024 * 1024);
  EXPECT_EQ(proxy->bytes_server_to_client(), 1024 * 1024);
  EXPECT_EQ(proxy->cuts(), 0);
}

TEST(FaultProxyTest, LatencyAddsTheDelayInEachDirection) {
  TestServer server(Echo);
  auto proxy = StartProxy(server.port(), {.latency_ms = 100});
  ASSERT_NE(proxy, nullptr);
  Socket client = ConnectTo(proxy->port());

  const auto start = SteadyClock::now();
  ASSERT_TRUE(SendAll(client.fd(), "ping"));
  const Received echoed = Receive(client.fd(), 4);
  EXPECT_EQ(echoed.bytes, "ping");
  EXPECT_GE(SecondsSince(start), 0.200);
}

TEST(FaultProxyTest, BandwidthCapPacesTheTransfer) {
  std::atomic<size_t> server_received{0};
  TestServer server([&](int fd) {
    server_received = Receive(fd).bytes.size();
    SendAll(fd, "done");
    ::shutdown(fd, SHUT_WR);
  });
  auto proxy = StartProxy(server.port(), {.bytes_per_second = 50'000});
  ASSERT_NE(proxy, nullptr);
  Socket client = ConnectTo(proxy->port());

  const auto start = SteadyClock::now();
  ASSERT_TRUE(SendAll(client.fd(), RandomBytes(100 * 1024, 1)));
  ::shutdown(client.fd(), SHUT_WR);
  const Received answer = Receive(client.fd());
  const double elapsed = SecondsSince(start);

  EXPECT_EQ(answer.bytes, "done");
  EXPECT_EQ(server_received.load(), 100u * 1024u);
  EXPECT_GE(elapsed, 1.8) << "100 KiB at 50 kB/s took " << elapsed << " s";
}

TEST(FaultProxyTest, LossDelaysALostSegmentByTheRetransmissionTimeout) {
  TestServer server(Echo);
  auto proxy = StartProxy(server.port(), {.loss = 1.0});
  ASSERT_NE(proxy, nullptr);
  Socket client = ConnectTo(proxy->port());

  const auto start = SteadyClock::now();
  ASSERT_TRUE(SendAll(client.fd(), "ping"));
  const Received echoed = Receive(client.fd(), 4);
  EXPECT_EQ(echoed.bytes, "ping");
  EXPECT_GE(SecondsSince(start), 0.400) << "each direction loses its segment once: 200 ms each";
}

TEST(FaultProxyTest, LossKeepsBytesIntactAndInOrder) {
  TestServer server(Echo);
  auto proxy = StartProxy(server.port(), {.loss = 0.01, .seed = 42});
  ASSERT_NE(proxy, nullptr);
  const std::string payload = RandomBytes(256 * 1024, 3);

  Socket client = ConnectTo(proxy->port());
  std::thread writer([&] {
    EXPECT_TRUE(SendAll(client.fd(), payload));
    ::shutdown(client.fd(), SHUT_WR);
  });
  const Received echoed = Receive(client.fd());
  writer.join();
  ASSERT_EQ(echoed.bytes.size(), payload.size());
  EXPECT_TRUE(echoed.bytes == payload) << "the echoed bytes differ from those sent";
}

// -----------------------------------------------------------------------------------------
// [SECTION] Cuts
// -----------------------------------------------------------------------------------------

TEST(FaultProxyTest, CutRequestDeliversExactlyTheFirstBytes) {
  std::promise<std::string> server_got;
  TestServer server([&](int fd) { server_got.set_value(Receive(fd).bytes); });
  auto proxy = StartProxy(server.port(), {.cut_request_after_bytes = 1000});
  ASSERT_NE(proxy, nullptr);
  const std::string request = RandomBytes(10'000, 5);

  Socket client = ConnectTo(proxy->port());
  SendAll(client.fd(), request);  // May fail part-way: the proxy cuts.
  const Received answer = Receive(client.fd());
  EXPECT_TRUE(Closed(answer.end));
  EXPECT_EQ(answer.bytes.size(), 0u);

  const std::string got = server_got.get_future().get();
  EXPECT_EQ(got.size(), 1000u);
  EXPECT_TRUE(got == request.substr(0, 1000)) << "the server got other bytes than the request's first 1000";
  EXPECT_EQ(proxy->bytes_client_to_server(), 1000);
  EXPECT_EQ(proxy->cuts(), 1);
}

TEST(FaultProxyTest, CutResponseDeliversExactlyTheFirstBytes) {
  const std::string response = RandomBytes(10'000, 6);
  std::promise<End> server_saw;
  TestServer server([&](int fd) {
    SendAll(fd, response);
    server_saw.set_value(Receive(fd).end);
  });
  auto proxy = StartProxy(server.port(), {.cut_response_after_bytes = 1000});
  ASSERT_NE(proxy, nullptr);

  Socket client = ConnectTo(proxy->port());
  const Received received = Receive(client.fd());
  EXPECT_TRUE(Closed(received.end));
  ASSERT_EQ(received.bytes.size(), 1000u);
  EXPECT_TRUE(received.bytes == response.substr(0, 1000));
  EXPECT_TRUE(Closed(server_saw.get_future().get())) << "the server's side must be closed too";
  EXPECT_EQ(proxy->bytes_server_to_client(), 1000);
  EXPECT_EQ(proxy->cuts(), 1);
}

// A server that reads a request of known length, answers, and keeps the connection open (as
// HTTP keep-alive does) until the client goes.
struct KeepAliveServer {
  static constexpr size_t kRequestBytes = 5000;
  static constexpr size_t kAnswerBytes = 20'000;
  std::promise<size_t> request_bytes;
  std::promise<bool> answered;

  void Handle(int fd) {
    request_bytes.set_value(Receive(fd, kRequestBytes).bytes.size());
    answered.set_value(SendAll(fd, std::string(kAnswerBytes, 'a')));
    Receive(fd);
  }
};

TEST(FaultProxyTest, SwallowResponseLetsTheServerAnswerButTheClientHearsNothing) {
  KeepAliveServer handler;
  TestServer server([&](int fd) { handler.Handle(fd); });
  auto proxy = StartProxy(server.port(), {.swallow_response = true});
  ASSERT_NE(proxy, nullptr);

  Socket client = ConnectTo(proxy->port());
  ASSERT_TRUE(SendAll(client.fd(), std::string(KeepAliveServer::kRequestBytes, 'r')));
  const Received received = Receive(client.fd());

  EXPECT_EQ(received.end, End::kEof);
  EXPECT_EQ(received.bytes.size(), 0u);
  EXPECT_EQ(handler.request_bytes.get_future().get(), KeepAliveServer::kRequestBytes);
  EXPECT_TRUE(handler.answered.get_future().get());
  EXPECT_EQ(proxy->bytes_client_to_server(), static_cast<int64_t>(KeepAliveServer::kRequestBytes));
  EXPECT_EQ(proxy->bytes_server_to_client(), 0);
  EXPECT_EQ(proxy->cuts(), 1);
}

TEST(FaultProxyTest, SwallowResponseEndsWhenTheServerCloses) {
  TestServer server(Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
  auto proxy = StartProxy(server.port(), {.swallow_response = true});
  ASSERT_NE(proxy, nullptr);

  Socket client = ConnectTo(proxy->port());
  ASSERT_TRUE(SendAll(client.fd(), "GET / HTTP/1.1\r\n\r\n"));
  const Received received = Receive(client.fd());
  EXPECT_EQ(received.end, End::kEof);
  EXPECT_EQ(received.bytes, "");
  EXPECT_EQ(proxy->cuts(), 1);
}

TEST(FaultProxyTest, CutLimitOneAffectsOnlyTheFirstConnection) {
  const std::string answer = RandomBytes(1000, 8);
  TestServer server(Answer(answer));
  auto proxy = StartProxy(server.port(), {.cut_response_after_bytes = 100, .cut_limit = 1});
  ASSERT_NE(proxy, nullptr);

  Socket first = ConnectTo(proxy->port());
  EXPECT_EQ(Receive(first.fd()).bytes.size(), 100u);
  Socket second = ConnectTo(proxy->port());
  const Received received = Receive(second.fd());
  EXPECT_EQ(received.end, End::kEof);
  EXPECT_TRUE(received.bytes == answer) << "the second connection must pass untouched";
  EXPECT_EQ(proxy->connections_accepted(), 2);
  EXPECT_EQ(proxy->cuts(), 1);
}

TEST(FaultProxyTest, OnlyAFiringUsesUpTheCutLimit) {
  std::mutex mu;
  std::condition_variable changed;
  std::vector<size_t> server_got;  // GUARDED_BY(mu): bytes each connection delivered, in order.
  TestServer server([&](int fd) {
    const size_t got = Receive(fd).bytes.size();
    {
      std::lock_guard lock(mu);
      server_got.push_back(got);
    }
    changed.notify_all();
    ::shutdown(fd, SHUT_WR);
  });
  auto proxy = StartProxy(server.port(), {.cut_request_after_bytes = 1000});
  ASSERT_NE(proxy, nullptr);

  const std::vector<size_t> request_sizes = {500, 2000, 2000};
  for (size_t i = 0; i < request_sizes.size(); ++i) {
    Socket client = ConnectTo(proxy->port());
    SendAll(client.fd(), std::string(request_sizes[i], 'q'));
    ::shutdown(client.fd(), SHUT_WR);
    EXPECT_TRUE(Closed(Receive(client.fd()).end));
    std::unique_lock lock(mu);
    ASSERT_TRUE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return server_got.size() == i + 1; }));
  }
  std::lock_guard lock(mu);
  EXPECT_EQ(server_got, (std::vector<size_t>{500, 1000, 2000}))
      << "the 500-byte request must pass, the first to reach 1000 bytes be cut, and the rule then be off";
  EXPECT_EQ(proxy->cuts(), 1);
}

TEST(FaultProxyTest, CutLimitMinusOneAffectsEveryConnection) {
  TestServer server(Answer(std::string(1000, 'x')));
  auto proxy = StartProxy(server.port(), {.cut_response_after_bytes = 100, .cut_limit = -1});
  ASSERT_NE(proxy, nullptr);

  for (int i = 0; i < 3; ++i) {
    Socket client = ConnectTo(proxy->port());
    EXPECT_EQ(Receive(client.fd()).bytes.size(), 100u) << "connection " << i;
  }
  EXPECT_EQ(proxy->cuts(), 3);
}

TEST(FaultProxyTest, RefuseClosesANewConnectionAtOnce) {
  TestServer server(Answer("hello"));
  auto proxy = StartProxy(server.port(), {.refuse = true});
  ASSERT_NE(proxy, nullptr);

  Socket refused = ConnectTo(proxy->port());
  const Received nothing = Receive(refused.fd());
  EXPECT_TRUE(Closed(nothing.end));
  EXPECT_EQ(nothing.bytes, "");
  EXPECT_EQ(server.connections(), 0) << "a refused connection never reaches the server";

  Socket next = ConnectTo(proxy->port());  // cut_limit 1: only the first is refused.
  EXPECT_EQ(Receive(next.fd()).bytes, "hello");
  EXPECT_EQ(proxy->connections_accepted(), 2);
  EXPECT_EQ(proxy->cuts(), 1);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Settings and lifetime
// -----------------------------------------------------------------------------------------

TEST(FaultProxyTest, SetArmsACutOnAnOpenConnection) {
  TestServer server(Echo);
  auto proxy = StartProxy(server.port());
  ASSERT_NE(proxy, nullptr);
  Socket client = ConnectTo(proxy->port());
  ASSERT_TRUE(SendAll(client.fd(), "first"));
  EXPECT_EQ(Receive(client.fd(), 5).bytes, "first");

  proxy->Set({.cut_response_after_bytes = 3});
  EXPECT_EQ(proxy->settings().cut_response_after_bytes, 3);
  ASSERT_TRUE(SendAll(client.fd(), "second"));
  const Received received = Receive(client.fd());
  EXPECT_TRUE(Closed(received.end));
  EXPECT_EQ(received.bytes, "sec") << "the rule counts the bytes read after Set";
  EXPECT_EQ(proxy->cuts(), 1);
}

TEST(FaultProxyTest, SetRearmsASpentRule) {
  TestServer server(Answer(std::string(1000, 'x')));
  const FaultSettings cut_next = {.cut_response_after_bytes = 10};
  auto proxy = StartProxy(server.port(), cut_next);
  ASSERT_NE(proxy, nullptr);

  for (int i = 0; i < 2; ++i) {
    Socket client = ConnectTo(proxy->port());
    EXPECT_EQ(Receive(client.fd()).bytes.size(), 10u) << "round " << i;
    Socket untouched = ConnectTo(proxy->port());
    EXPECT_EQ(Receive(untouched.fd()).bytes.size(), 1000u) << "round " << i;
    proxy->Set(cut_next);
  }
  EXPECT_EQ(proxy->cuts(), 2);
}

TEST(FaultProxyTest, ATargetThatIsDownClosesTheClient) {
  uint16_t free_port = 0;
  {
    TestServer gone(Echo);
    free_port = gone.port();
  }
  auto proxy = StartProxy(free_port);
  ASSERT_NE(proxy, nullptr);
  Socket client = ConnectTo(proxy->port());
  const Received received = Receive(client.fd());
  EXPECT_TRUE(Closed(received.end));
  EXPECT_EQ(proxy->connections_accepted(), 1);
}

TEST(FaultProxyTest, StoppingClosesOpenConnections) {
  TestServer server(Echo);
  auto proxy = StartProxy(server.port(), {.latency_ms = 50, .bytes_per_second = 10'000});
  ASSERT_NE(proxy, nullptr);
  Socket client = ConnectTo(proxy->port());
  ASSERT_TRUE(SendAll(client.fd(), std::string(100'000, 'z')));  // Still queued when we stop.

  proxy.reset();
  const Received received = Receive(client.fd());
  EXPECT_TRUE(Closed(received.end));
}

TEST(FaultProxyTest, StartRejectsInvalidSettingsAndTargets) {
  const auto bad_loss = FaultProxy::Start("127.0.0.1", 9, {.loss = 1.5});
  ASSERT_FALSE(bad_loss.ok());
  EXPECT_EQ(bad_loss.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(bad_loss.status().message().find("loss is 1.5"), std::string::npos) << bad_loss.status().message();

  EXPECT_EQ(FaultProxy::Start("127.0.0.1", 9, {.latency_ms = -1}).status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(FaultProxy::Start("127.0.0.1", 9, {.bytes_per_second = -1}).status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(FaultProxy::Start("127.0.0.1", 9, {.cut_request_after_bytes = -2}).status().code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(FaultProxy::Start("127.0.0.1", 9, {.cut_response_after_bytes = -2}).status().code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(FaultProxy::Start("127.0.0.1", 9, {.cut_limit = -2}).status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(FaultProxy::Start("", 9).status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(FaultProxy::Start("127.0.0.1", 0).status().code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(ValidateFaultSettings({}).ok());
}

TEST(FaultProxyTest, StartReportsATakenListenPort) {
  TestServer server(Echo);
  auto first = StartProxy(server.port());
  ASSERT_NE(first, nullptr);
  const auto second = FaultProxy::Start("127.0.0.1", server.port(), {}, first->port());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kIoError);
  EXPECT_NE(second.status().message().find(std::to_string(first->port())), std::string::npos)
      << second.status().message();
}

TEST(FaultProxyTest, StartReportsAnUnresolvableHost) {
  // Spaces make it no host name at all: the resolver rejects it without asking a DNS server.
  const auto proxy = FaultProxy::Start("not a host", 80);
  ASSERT_FALSE(proxy.ok());
  EXPECT_EQ(proxy.status().code(), StatusCode::kIoError);
  EXPECT_NE(proxy.status().message().find("not a host"), std::string::npos) << proxy.status().message();
}

}  // namespace
}  // namespace mentorlog::testing
