// SyncClient, Login and Logout against an in-process fake server (httplib on 127.0.0.1) that
// checks the headers and answers canned messages built with the protocol's encoders.
//
// Backoffs are a few milliseconds here; the tests that wait measure an upper bound only, far
// above what the code needs, so a slow machine does not fail them.
#include "mentorlog/sync/client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "core/test_fixtures.h"
#include "mentorlog/domain/rubric.h"
#include "mentorlog/store/bundled_rubrics.h"
#include "mentorlog/sync/device.h"
#include "mentorlog/sync/protocol.h"

namespace mentorlog::sync {
namespace {

using core::testing::Must;
using Clock = std::chrono::steady_clock;

// -----------------------------------------------------------------------------------------
// The fake server
// -----------------------------------------------------------------------------------------

// What one request looked like.
struct Seen {
  std::string path;
  std::string protocol;
  std::string authorization;
  std::string content_type;
  std::string body;  // decompressed ("" when the body was empty or not zstd)
};

using Handler = std::function<void(const httplib::Request&, httplib::Response&, int attempt)>;

class FakeServer {
 public:
  FakeServer() = default;
  ~FakeServer() { Stop(); }
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  // Set the handlers, then Start(). `attempt` counts requests to that path from 1.
  void On(const std::string& path, Handler handler) { handlers_[path] = std::move(handler); }

  void Start() {
    for (auto& [path, handler] : handlers_) {
      http_.Post(path, [this, path = path, handler = handler](const httplib::Request& req, httplib::Response& res) {
        Seen seen;
        seen.path = path;
        seen.protocol = req.get_header_value(std::string(kProtocolHeader));
        seen.authorization = req.get_header_value("Authorization");
        seen.content_type = req.get_header_value("Content-Type");
        if (!req.body.empty()) {
          auto plain = Decompress(req.body);
          if (plain.ok()) seen.body = *plain;
        }
        int attempt = 0;
        {
          std::lock_guard lock(mu_);
          seen_.push_back(seen);
          attempt = ++counts_[path];
        }
        cv_.notify_all();
        handler(req, res, attempt);
      });
    }
    port_ = http_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { http_.listen_after_bind(); });
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (!http_.is_running() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    ASSERT_TRUE(http_.is_running());
  }

  void Stop() {
    if (!thread_.joinable()) return;
    http_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

  int Count(const std::string& path) {
    std::lock_guard lock(mu_);
    return counts_[path];
  }
  std::vector<Seen> SeenRequests() {
    std::lock_guard lock(mu_);
    return seen_;
  }
  // Waits until `path` has had `n` requests (false after 10 s).
  bool WaitFor(const std::string& path, int n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [&] { return counts_[path] >= n; });
  }

 private:
  httplib::Server http_;
  std::map<std::string, Handler> handlers_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Seen> seen_;
  std::map<std::string, int> counts_;
};

void AnswerWith(httplib::Response& res, const std::string& message) {
  res.status = 200;
  res.set_content(Compress(message), std::string(kContentType));
}

void AnswerError(httplib::Response& res, int status, const std::string& en, const std::string& ru) {
  res.status = status;
  res.set_content(EncodeErrorJson({"test_error", en, ru}), "application/json");
}

// Acknowledges every change of the request.
void AckAll(const httplib::Request& req, httplib::Response& res) {
  auto request = DecodePushRequest(Must(Decompress(req.body), "push body"));
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  PushResponse answer;
  answer.acked_op_seq = request->changes.empty() ? 0 : request->changes.back().op_seq;
  answer.server_millis = core::testing::kStartMillis;
  AnswerWith(res, Encode(answer));
}

// An empty, final pull answer.
void NothingToPull(const httplib::Request& /*req*/, httplib::Response& res) {
  PullResponse answer;
  answer.next_cursor = "c0";
  AnswerWith(res, Encode(answer));
}

// A port nobody listens on (bound, then closed).
int ClosedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return 1;
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// -----------------------------------------------------------------------------------------
// The fixture: a device store (language "ru", the fixture's default) with pending changes
// -----------------------------------------------------------------------------------------

class SyncClientTest : public core::testing::StoreFixture {
 protected:
  ClientOptions ClientOpts() {
    ClientOptions o;
    o.server_url = server_.url();
    o.token = "tok-123";
    o.backoff_base_ms = 2;
    o.backoff_max_ms = 10;
    o.jitter_seed = 7;
    o.clock = &clock_;
    return o;
  }

  // `n` schools saved on the device: n pending changes.
  void MakeSchools(int n) {
    for (int i = 0; i < n; ++i) MakeSchool("S-" + std::to_string(i), "Школа " + std::to_string(i));
  }

  void ExpectConsistent() {
    EXPECT_TRUE(Must(store().ConsistencyProblems(), "ConsistencyProblems").empty());
    EXPECT_EQ(Must(store().IntegrityCheck(), "IntegrityCheck"), "ok");
  }

  std::string SyncValue(std::string_view key) {
    return Must(store().ledger().GetSyncValue(key), "GetSyncValue").value_or("<none>");
  }

  FakeServer server_;
};

TEST_F(SyncClientTest, PushSendsHeadersAndEmptiesTheQueue) {
  MakeSchools(3);
  server_.On("/v1/push", [](const auto& req, auto& res, int) { AckAll(req, res); });
  server_.On("/v1/pull", [](const auto& req, auto& res, int) { NothingToPull(req, res); });
  server_.Start();

  SyncClient client(store().ledger(), ClientOpts());
  auto report = client.Sync();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->pushed, 3);
  EXPECT_EQ(report->acked, 3);
  EXPECT_EQ(report->push_batches, 1);
  EXPECT_EQ(report->pull_batches, 1);
  EXPECT_EQ(report->retries, 0);
  EXPECT_GT(report->bytes_up, 0);
  EXPECT_GT(report->bytes_down, 0);
  EXPECT_EQ(Pending(), 0);
  EXPECT_EQ(SyncValue(kLastSuccessKey), std::to_string(core::testing::kStartMillis));
  EXPECT_EQ(SyncValue(kLastErrorKey), "");
  EXPECT_EQ(SyncValue(kLastErrorRuKey), "");
  EXPECT_EQ(SyncValue(kCursorKey), "c0");

  const auto seen = server_.SeenRequests();
  ASSERT_EQ(seen.size(), 2u);
  for (const Seen& s : seen) {
    EXPECT_EQ(s.protocol, std::to_string(kProtocolVersion)) << s.path;
    EXPECT_EQ(s.authorization, "Bearer tok-123") << s.path;
    EXPECT_EQ(s.content_type, kContentType) << s.path;
  }
  auto push = DecodePushRequest(seen[0].body);
  ASSERT_TRUE(push.ok());
  EXPECT_EQ(push->device_id, std::string(core::testing::kDeviceA));
  ASSERT_EQ(push->changes.size(), 3u);
  EXPECT_EQ(push->changes.front().op_seq, 1u);
  auto pull = DecodePullRequest(seen[1].body);
  ASSERT_TRUE(pull.ok());
  EXPECT_EQ(pull->cursor, "");  // a fresh device
  ExpectConsistent();
}

TEST_F(SyncClientTest, RetriesOn503ThenSucceeds) {
  MakeSchools(2);
  server_.On("/v1/push", [](const auto& req, auto& res, int attempt) {
    if (attempt <= 2) return AnswerError(res, 503, "overloaded", "перегружен");
    AckAll(req, res);
  });
  server_.On("/v1/pull", [](const auto& req, auto& res, int) { NothingToPull(req, res); });
  server_.Start();

  auto report = SyncClient(store().ledger(), ClientOpts()).Sync();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(server_.Count("/v1/push"), 3);
  EXPECT_EQ(report->retries, 2);
  EXPECT_EQ(report->acked, 2);
  EXPECT_EQ(Pending(), 0);
  ExpectConsistent();
}

TEST_F(SyncClientTest, Retries429AndAnAnswerCutMidBody) {
  MakeSchools(1);
  server_.On("/v1/push", [](const auto& req, auto& res, int attempt) {
    if (attempt == 1) return AnswerError(res, 429, "slow down", "помедленнее");
    if (attempt == 2) {
      // Promise 1000 bytes, send 10, hang up.
      res.set_content_provider(1000, std::string(kContentType), [](size_t, size_t, httplib::DataSink& sink) {
        sink.write("0123456789", 10);
        return false;
      });
      return;
    }
    AckAll(req, res);
  });
  server_.On("/v1/pull", [](const auto& req, auto& res, int) { NothingToPull(req, res); });
  server_.Start();

  auto report = SyncClient(store().ledger(), ClientOpts()).Sync();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(server_.Count("/v1/push"), 3);
  EXPECT_EQ(report->retries, 2);
  EXPECT_EQ(Pending(), 0);
}

struct ClientErrorCase {
  int http_status;
  StatusCode code;
  std::string message_part;  // in Russian
};

class SyncClientErrorTest : public SyncClientTest, public ::testing::WithParamInterface<ClientErrorCase> {};

TEST_P(SyncClientErrorTest, NeverRetriesAClientError) {
  const ClientErrorCase& c = GetParam();
  MakeSchools(2);
  server_.On("/v1/push", [&](const auto&, auto& res, int) {
    AnswerError(res, c.http_status, "server says no (en)", "сервер против (ru)");
  });
  server_.Start();

  auto report = SyncClient(store().ledger(), ClientOpts()).Sync();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), c.code) << report.status().ToString();
  EXPECT_NE(report.status().message(Language::kRussian).find(c.message_part), std::string::npos)
      << report.status().message(Language::kRussian);
  EXPECT_EQ(server_.Count("/v1/push"), 1);
  EXPECT_EQ(Pending(), 2);
  EXPECT_EQ(SyncValue(kLastErrorKey), report.status().message(Language::kEnglish));
  EXPECT_EQ(SyncValue(kLastErrorRuKey), report.status().message(Language::kRussian));
  EXPECT_EQ(SyncValue(kLastSuccessKey), "<none>");
  ExpectConsistent();
}

INSTANTIATE_TEST_SUITE_P(HttpStatuses, SyncClientErrorTest,
                         ::testing::Values(ClientErrorCase{400, StatusCode::kInvalidInput, "сервер против (ru)"},
                                           ClientErrorCase{401, StatusCode::kUnauthenticated, "Войдите снова"},
                                           ClientErrorCase{403, StatusCode::kPermissionDenied, "сервер против (ru)"},
                                           ClientErrorCase{404, StatusCode::kInvalidInput, "сервер против (ru)"},
                                           ClientErrorCase{426, StatusCode::kUnsupported, "сервер против (ru)"}),
                         [](const auto& p) { return "Http" + std::to_string(p.param.http_status); });

TEST_F(SyncClientTest, SendsTheConfiguredProtocolVersion) {
  MakeSchools(1);
  server_.On("/v1/push", [](const auto& req, auto& res, int) {
    if (req.get_header_value(std::string(kProtocolHeader)) != std::to_string(kProtocolVersion)) {
      return AnswerError(res, 426, "Update MentorLog", "Обновите MentorLog");
    }
    AckAll(req, res);
  });
  server_.Start();
  ClientOptions old = ClientOpts();
  old.protocol_version = 1;
  auto report = SyncClient(store().ledger(), old).Push();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(report.status().message(Language::kRussian), "Обновите MentorLog");
  EXPECT_TRUE(SyncClient(store().ledger(), ClientOpts()).Push().ok());
}

TEST_F(SyncClientTest, CancelDuringBackoffReturnsQuicklyAndLeavesTheStoreConsistent) {
  MakeSchools(3);
  server_.On("/v1/push", [](const auto&, auto& res, int) { AnswerError(res, 503, "down", "недоступен"); });
  server_.Start();
  std::atomic<bool> cancel{false};
  ClientOptions o = ClientOpts();
  o.backoff_base_ms = 20000;  // the first wait is up to 20 s
  o.backoff_max_ms = 20000;
  o.cancel = &cancel;
  std::thread stopper([&] {
    server_.WaitFor("/v1/push", 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancel.store(true);
  });
  const auto start = Clock::now();
  auto report = SyncClient(store().ledger(), o).Sync();
  const auto elapsed = Clock::now() - start;
  stopper.join();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kCancelled) << report.status().ToString();
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  EXPECT_EQ(server_.Count("/v1/push"), 1);
  EXPECT_EQ(Pending(), 3);
  EXPECT_EQ(SyncValue(kLastErrorKey), "<none>");  // a stop is not an error to show
  ExpectConsistent();
}

TEST_F(SyncClientTest, CancelAbortsTheRequestInFlight) {
  MakeSchools(1);
  std::atomic<bool> release{false};
  server_.On("/v1/push", [&](const auto& req, auto& res, int) {
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    while (!release.load() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    AckAll(req, res);
  });
  server_.Start();
  std::atomic<bool> cancel{false};
  ClientOptions o = ClientOpts();
  o.cancel = &cancel;
  std::thread stopper([&] {
    server_.WaitFor("/v1/push", 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancel.store(true);
  });
  const auto start = Clock::now();
  auto report = SyncClient(store().ledger(), o).Sync();
  const auto elapsed = Clock::now() - start;
  release.store(true);
  stopper.join();
  server_.Stop();  // the handler uses `release`: it must end before `release` does
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kCancelled);
  EXPECT_LT(elapsed, std::chrono::seconds(10));
  EXPECT_EQ(Pending(), 1);  // the answer never arrived: the change is sent again next time
  ExpectConsistent();
}

TEST_F(SyncClientTest, PullInTwoBatchesStoresTheCursorOfEach) {
  // The records come from another store, as the server would hold them.
  core::testing::TempDir server_dir;
  core::StoreOptions server_options;
  server_options.path = server_dir.path() / "server.sqlite";
  server_options.device_id = "dev-b";
  server_options.clock = &clock_;
  auto other = Must(core::Store::Open(server_options), "open the other store");
  core::School s1;
  s1.code = "P-1";
  s1.name = "Школа первая";
  s1.municipality = "Заречный район";
  s1.district = "Заречный";
  s1 = Must(other->records().Save(s1), "save s1");
  core::School s2 = s1;
  s2.id = core::Uuid();
  s2.code = "P-2";
  s2.name = "Школа вторая";
  s2 = Must(other->records().Save(s2), "save s2");
  const RecordState state1 = *Must(other->ledger().StateOf(s1.id), "state 1");
  const RecordState state2 = *Must(other->ledger().StateOf(s2.id), "state 2");

  std::string cursor_seen_by_second_request = "<unset>";
  server_.On("/v1/pull", [&](const auto& req, auto& res, int attempt) {
    auto request = DecodePullRequest(Must(Decompress(req.body), "pull body"));
    ASSERT_TRUE(request.ok());
    EXPECT_EQ(request->max_rows, 1u);
    PullResponse answer;
    answer.scope = {s1.id, s2.id};
    if (attempt == 1) {
      EXPECT_EQ(request->cursor, "");
      answer.records = {state1};
      answer.next_cursor = "c1";
      answer.more = true;
    } else {
      cursor_seen_by_second_request = request->cursor;
      // The first batch is committed before the second is asked for.
      EXPECT_EQ(Must(store().ledger().GetSyncValue(kCursorKey), "cursor").value_or(""), "c1");
      EXPECT_TRUE(store().records().Get<core::School>(s1.id).ok());
      answer.records = {state2};
      answer.next_cursor = "c2";
    }
    AnswerWith(res, Encode(answer));
  });
  server_.Start();

  ClientOptions o = ClientOpts();
  o.batch_rows = 1;
  o.batch_growth = BatchGrowth::kFixed;
  const uint64_t feed_before = Must(store().records().LastChange(), "feed");
  auto report = SyncClient(store().ledger(), o).Pull();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->pull_batches, 2);
  EXPECT_EQ(report->pulled, 2);
  std::vector<Uuid> fed;  // what the dashboards read next
  (void)Must(store().records().ChangesSince(feed_before, 10,
                                            [&](const core::RecordState& s) {
                                              fed.push_back(s.id);
                                              return Status::Ok();
                                            }),
             "feed");
  EXPECT_EQ(fed, (std::vector<Uuid>{s1.id, s2.id}));
  EXPECT_EQ(cursor_seen_by_second_request, "c1");
  EXPECT_EQ(SyncValue(kCursorKey), "c2");
  EXPECT_EQ(Must(store().records().Get<core::School>(s2.id), "s2 pulled").name, "Школа вторая");
  EXPECT_EQ(Must(StoredScope(store().ledger()), "scope").size(), 2u);
  EXPECT_EQ(SyncValue(kLastSuccessKey), "<none>");  // only a full Sync counts as a success
  EXPECT_EQ(Pending(), 0);                          // pulled data is not pushed back
  ExpectConsistent();
}

TEST_F(SyncClientTest, ProgressIsReportedPerBatch) {
  MakeSchools(5);
  server_.On("/v1/push", [](const auto& req, auto& res, int) { AckAll(req, res); });
  server_.On("/v1/pull", [](const auto&, auto& res, int attempt) {
    PullResponse answer;
    answer.next_cursor = "c" + std::to_string(attempt);
    answer.more = attempt < 2;
    AnswerWith(res, Encode(answer));
  });
  server_.Start();
  std::vector<SyncProgress> calls;
  ClientOptions o = ClientOpts();
  o.batch_rows = 2;
  o.batch_growth = BatchGrowth::kFixed;
  o.on_progress = [&](const SyncProgress& p) { calls.push_back(p); };
  auto report = SyncClient(store().ledger(), o).Sync();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->push_batches, 3);
  EXPECT_EQ(report->pull_batches, 2);

  ASSERT_EQ(calls.size(), 6u);
  using Phase = SyncProgress::Phase;
  const std::vector<std::pair<Phase, int>> expected = {{Phase::kPush, 1}, {Phase::kPush, 2}, {Phase::kPush, 3},
                                                       {Phase::kPull, 1}, {Phase::kPull, 2}, {Phase::kDone, 2}};
  for (size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(calls[i].phase, expected[i].first) << i;
    EXPECT_EQ(calls[i].batches, expected[i].second) << i;
  }
  EXPECT_EQ(calls[0].records_pushed, 2);
  EXPECT_EQ(calls[0].pending, 3);
  EXPECT_EQ(calls[2].records_pushed, 5);
  EXPECT_EQ(calls[2].pending, 0);
  EXPECT_GT(calls[5].bytes_up, calls[0].bytes_up);
  EXPECT_EQ(calls[5].bytes_up, report->bytes_up);
}

TEST_F(SyncClientTest, AQuickServerGetsBiggerBatchesAndTheNextPullStartsThere) {
  MakeSchools(7);
  std::vector<size_t> push_sizes;
  std::vector<uint32_t> pull_sizes;
  server_.On("/v1/push", [&](const auto& req, auto& res, int) {
    auto request = DecodePushRequest(Must(Decompress(req.body), "push body"));
    ASSERT_TRUE(request.ok());
    push_sizes.push_back(request->changes.size());
    AckAll(req, res);
  });
  server_.On("/v1/pull", [&](const auto& req, auto& res, int attempt) {
    auto request = DecodePullRequest(Must(Decompress(req.body), "pull body"));
    ASSERT_TRUE(request.ok());
    pull_sizes.push_back(request->max_rows);
    PullResponse answer;
    answer.next_cursor = "c" + std::to_string(attempt);
    answer.more = attempt < 2;
    AnswerWith(res, Encode(answer));
  });
  server_.Start();
  ClientOptions o = ClientOpts();
  o.batch_rows = 1;  // adaptive by default: doubles after each quick answer
  auto report = SyncClient(store().ledger(), o).Sync();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(push_sizes, (std::vector<size_t>{1, 2, 4}));
  EXPECT_EQ(pull_sizes, (std::vector<uint32_t>{8, 16}));
  EXPECT_EQ(Pending(), 0);
}

TEST_F(SyncClientTest, ProgressReportsRetriesWithTheReason) {
  MakeSchools(1);
  server_.On("/v1/push", [](const auto& req, auto& res, int attempt) {
    if (attempt == 1) return AnswerError(res, 502, "bad gateway", "шлюз");
    AckAll(req, res);
  });
  server_.On("/v1/pull", [](const auto& req, auto& res, int) { NothingToPull(req, res); });
  server_.Start();
  std::vector<SyncProgress> calls;
  ClientOptions o = ClientOpts();
  o.on_progress = [&](const SyncProgress& p) { calls.push_back(p); };
  ASSERT_TRUE(SyncClient(store().ledger(), o).Sync().ok());
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls[0].retries, 1);
  EXPECT_EQ(calls[0].batches, 0);
  EXPECT_NE(calls[0].last_error.en.find("502"), std::string::npos) << calls[0].last_error.en;
  EXPECT_NE(calls[0].last_error.ru.find("шлюз"), std::string::npos) << calls[0].last_error.ru;
  EXPECT_EQ(calls[1].last_error, LocalText{});
}

TEST_F(SyncClientTest, AnAckThatDoesNotAdvanceStopsInsteadOfLooping) {
  MakeSchools(2);
  server_.On("/v1/push", [](const auto&, auto& res, int) {
    PushResponse answer;  // acked_op_seq 0: below the batch's first op seq
    AnswerWith(res, Encode(answer));
  });
  server_.Start();
  auto report = SyncClient(store().ledger(), ClientOpts()).Sync();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kInternal);
  EXPECT_EQ(server_.Count("/v1/push"), 1);
  EXPECT_EQ(Pending(), 2);
}

TEST_F(SyncClientTest, APullThatDoesNotAdvanceStopsInsteadOfLooping) {
  server_.On("/v1/pull", [](const auto&, auto& res, int) {
    PullResponse answer;  // "more", at the cursor the device already has
    answer.more = true;
    AnswerWith(res, Encode(answer));
  });
  server_.Start();
  auto report = SyncClient(store().ledger(), ClientOpts()).Pull();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kInternal);
  EXPECT_NE(report.status().message(Language::kRussian).find("ошибка сервера"), std::string::npos)
      << report.status().message(Language::kRussian);
  EXPECT_EQ(server_.Count("/v1/pull"), 2);  // one return to a position is tolerated, the second stops
}

TEST_F(SyncClientTest, AFreshDeviceSendsNoBundledRubricTemplate) {
  ASSERT_TRUE(core::InstallBundledRubrics(store(), MENTORLOG_ASSETS_DIR).ok());
  const auto bundled = Must(core::LoadBundledRubrics(MENTORLOG_ASSETS_DIR), "LoadBundledRubrics");
  ASSERT_FALSE(bundled.empty());
  server_.On("/v1/push", [](const auto& req, auto& res, int) { AckAll(req, res); });
  // The server installed the same templates at its start, and sends them to a fresh device.
  server_.On("/v1/pull", [&](const auto&, auto& res, int) {
    PullResponse answer;
    for (const auto& t : bundled) answer.records.push_back(core::BundledRubricState(t));
    answer.next_cursor = "c1";
    AnswerWith(res, Encode(answer));
  });
  server_.Start();
  auto report = SyncClient(store().ledger(), ClientOpts()).Sync();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(server_.Count("/v1/push"), 0) << "the first sync pushed the templates the server has";
  EXPECT_EQ(report->pulled, 0) << "the server's templates are the device's, byte for byte";
  // Both sides hash the same records the same way.
  StateHasher server_hash;
  for (const auto& t : bundled) {
    const RecordState state = core::BundledRubricState(t);
    server_hash.Add(t.id, core::CanonicalBytes(state.kind, t.id, Must(core::CompleteValues(state), "values")));
  }
  EXPECT_EQ(Must(DeviceStateHash(store()), "DeviceStateHash"), server_hash.FinishHex());
  ExpectConsistent();
}

// -----------------------------------------------------------------------------------------
// A broken or hostile server: each answer ends the sync with an error that blames the server,
// and the outbox keeps every change the server did not really take
// -----------------------------------------------------------------------------------------

// The message every server fault ends with (the store's language is Russian).
void ExpectServerFault(const Result<SyncReport>& report) {
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kInternal) << report.status().ToString();
  EXPECT_NE(report.status().message(Language::kRussian).find("Это ошибка сервера"), std::string::npos)
      << report.status().message(Language::kRussian);
  EXPECT_NE(report.status().message(Language::kRussian).find("сообщите координатору"), std::string::npos)
      << report.status().message(Language::kRussian);
}

TEST_F(SyncClientTest, AnAckBeyondEveryChangeThisDeviceMadeStopsAndLosesNothing) {
  MakeSchools(3);
  server_.On("/v1/push", [](const auto& req, auto& res, int) {
    auto request = DecodePushRequest(Must(Decompress(req.body), "push body"));
    ASSERT_TRUE(request.ok());
    PushResponse answer;  // "I already have up to 103": changes this device never made
    answer.acked_op_seq = request->changes.back().op_seq + 100;
    AnswerWith(res, Encode(answer));
  });
  server_.On("/v1/pull", [](const auto& req, auto& res, int) { NothingToPull(req, res); });
  server_.Start();
  auto report = SyncClient(store().ledger(), ClientOpts()).Sync();
  ExpectServerFault(report);
  EXPECT_EQ(server_.Count("/v1/push"), 1);
  EXPECT_EQ(server_.Count("/v1/pull"), 0);
  EXPECT_EQ(Pending(), 3) << "the server skipped them as replays: acknowledging them would lose them";
  EXPECT_EQ(SyncValue(kLastErrorKey), report.status().message(Language::kEnglish));
  EXPECT_EQ(SyncValue(kLastErrorRuKey), report.status().message(Language::kRussian));
  ExpectConsistent();
}

TEST_F(SyncClientTest, AnAckBeyondTheBatchAcknowledgesOnlyWhatWasSent) {
  // The server has op seqs 1..4 (the answer to a batch of four was lost); the device, starting
  // again with smaller batches, sends 1..2: the answer says 4, legally. Only 1..2 are
  // acknowledged; 3..4 go in the next batch, which the server skips and answers the same.
  MakeSchools(4);
  std::vector<size_t> first_op_seqs;
  server_.On("/v1/push", [&](const auto& req, auto& res, int) {
    auto request = DecodePushRequest(Must(Decompress(req.body), "push body"));
    ASSERT_TRUE(request.ok());
    first_op_seqs.push_back(request->changes.front().op_seq);
    PushResponse answer;
    answer.acked_op_seq = 4;
    AnswerWith(res, Encode(answer));
  });
  server_.On("/v1/pull", [](const auto& req, auto& res, int) { NothingToPull(req, res); });
  server_.Start();
  ClientOptions o = ClientOpts();
  o.batch_rows = 2;
  o.batch_growth = BatchGrowth::kFixed;
  auto report = SyncClient(store().ledger(), o).Sync();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(first_op_seqs, (std::vector<size_t>{1, 3}));
  EXPECT_EQ(report->acked, 4);
  EXPECT_EQ(Pending(), 0);
  ExpectConsistent();
}

TEST_F(SyncClientTest, AnAckGoingBackwardsStops) {
  MakeSchools(2);
  server_.On("/v1/push", [](const auto& req, auto& res, int attempt) {
    if (attempt == 1) return AckAll(req, res);
    PushResponse answer;  // after acknowledging 1..2, "I have nothing": restored from a backup
    AnswerWith(res, Encode(answer));
  });
  server_.On("/v1/pull", [](const auto& req, auto& res, int) { NothingToPull(req, res); });
  server_.Start();
  ASSERT_TRUE(SyncClient(store().ledger(), ClientOpts()).Sync().ok());
  MakeSchool("S-new", "Новая школа");
  auto report = SyncClient(store().ledger(), ClientOpts()).Sync();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kInternal);
  EXPECT_EQ(server_.Count("/v1/push"), 2);
  EXPECT_EQ(Pending(), 1);
  ExpectConsistent();
}

TEST_F(SyncClientTest, ARejectionOfAChangeNotSentStopsAndStoresNothing) {
  MakeSchools(2);
  const std::vector<Change> outbox = [&] {
    std::vector<Change> out;
    for (auto& e : Outbox()) out.push_back(e.change);
    return out;
  }();
  ASSERT_EQ(outbox.size(), 2u);
  struct Case {
    std::string name;
    Rejection rejection;
    uint64_t acked;
  };
  const std::vector<Case> cases = {
      {"an op seq not in the batch", {77, outbox[0].kind, outbox[0].record_id, "permission", "no", "нет"}, 2},
      {"another record", {1, outbox[0].kind, Uuid(), "permission", "no", "нет"}, 2},
      {"a change not acknowledged", {2, outbox[1].kind, outbox[1].record_id, "permission", "no", "нет"}, 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    FakeServer server;
    server.On("/v1/push", [&](const auto&, auto& res, int) {
      PushResponse answer;
      answer.acked_op_seq = c.acked;
      answer.rejected = {c.rejection};
      AnswerWith(res, Encode(answer));
    });
    server.Start();
    ClientOptions o = ClientOpts();
    o.server_url = server.url();
    auto report = SyncClient(store().ledger(), o).Push();
    ExpectServerFault(report);
    EXPECT_EQ(server.Count("/v1/push"), 1);
    EXPECT_EQ(Pending(), 2);
    EXPECT_TRUE(Must(store().ledger().Rejected(), "Rejected").empty());
  }
  ExpectConsistent();
}

TEST_F(SyncClientTest, APullThatComesBackToAnEarlierPositionStops) {
  // a, b, a, b, ...: every answer a new position for the request it answers, but a loop. (After
  // 100 the fake gives up, so a client that does not see the loop ends too, and fails.)
  server_.On("/v1/pull", [](const auto&, auto& res, int attempt) {
    PullResponse answer;
    answer.next_cursor = attempt % 2 == 1 ? "a" : "b";
    answer.more = attempt < 100;
    AnswerWith(res, Encode(answer));
  });
  server_.Start();
  auto report = SyncClient(store().ledger(), ClientOpts()).Pull();
  ExpectServerFault(report);
  EXPECT_EQ(server_.Count("/v1/pull"), 4);  // "" -> a, a -> b, b -> a (tolerated once), a -> b
  EXPECT_EQ(SyncValue(kCursorKey), "a");    // what was applied stays
}

TEST_F(SyncClientTest, APullThatSaysMoreForEverStopsAtTheBound) {
  // A new position and the same record every time. (After 200 the fake gives up, so without the
  // bound the test ends too, and fails.)
  core::School school = MakeSchool("P-1", "Школа");
  const RecordState state = *Must(store().ledger().StateOf(school.id), "state");
  server_.On("/v1/pull", [&](const auto&, auto& res, int attempt) {
    PullResponse answer;
    answer.records = {state};
    answer.scope = {school.id};
    answer.next_cursor = "c" + std::to_string(attempt);
    answer.more = attempt < 200;
    AnswerWith(res, Encode(answer));
  });
  server_.Start();
  ClientOptions o = ClientOpts();
  o.max_pull_batches = 50;
  auto report = SyncClient(store().ledger(), o).Pull();
  ExpectServerFault(report);
  EXPECT_EQ(server_.Count("/v1/pull"), 50);
  EXPECT_EQ(SyncValue(kCursorKey), "c50");  // every batch received is saved
  ExpectConsistent();
}

TEST_F(SyncClientTest, ALongLegalPullIsNotCutShort) {
  // 60 batches, each a new position with nothing in it (the server skips this device's own
  // records): far more rounds than records, and still a working server.
  server_.On("/v1/pull", [](const auto&, auto& res, int attempt) {
    PullResponse answer;
    answer.next_cursor = "c" + std::to_string(attempt);
    answer.more = attempt < 60;
    AnswerWith(res, Encode(answer));
  });
  server_.Start();
  auto report = SyncClient(store().ledger(), ClientOpts()).Pull();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->pull_batches, 60);
}

// An answer sent `chunk` bytes at a time, one chunk every `every`, until it is all sent, the
// client hangs up, or *stop.
void SendSlowly(httplib::Response& res, std::string body, size_t chunk, std::chrono::milliseconds every,
                const std::atomic<bool>* stop) {
  const size_t size = body.size();
  res.status = 200;
  res.set_content_provider(
      size, std::string(kContentType),
      [body = std::move(body), chunk, every, stop](size_t offset, size_t, httplib::DataSink& sink) {
        if (stop->load()) return false;
        std::this_thread::sleep_for(every);
        const size_t n = std::min(chunk, body.size() - offset);
        return sink.write(body.data() + offset, n);
      });
}

TEST_F(SyncClientTest, ADrippingAnswerTimesOutAsNoConnection) {
  MakeSchools(1);
  std::atomic<bool> stop{false};
  server_.On("/v1/push", [&](const auto& req, auto& res, int) {
    auto request = DecodePushRequest(Must(Decompress(req.body), "push body"));
    ASSERT_TRUE(request.ok());
    PushResponse answer;
    answer.acked_op_seq = request->changes.back().op_seq;
    // Padded to 1,000 bytes, three bytes a second: five and a half minutes for the answer.
    std::string body = Compress(Encode(answer));
    body.resize(1000, '\0');
    SendSlowly(res, std::move(body), 1, std::chrono::milliseconds(300), &stop);
  });
  server_.Start();
  ClientOptions o = ClientOpts();
  o.low_speed_time_s = 2;
  o.max_attempts = 2;
  const auto start = Clock::now();
  auto report = SyncClient(store().ledger(), o).Sync();
  const auto elapsed = Clock::now() - start;
  stop.store(true);
  server_.Stop();  // the provider reads `stop`
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kUnavailable) << report.status().ToString();
  EXPECT_NE(report.status().message(Language::kRussian).find("Нет связи с сервером"), std::string::npos)
      << report.status().message(Language::kRussian);
  EXPECT_NE(report.status().message(Language::kRussian).find("слишком медленно"), std::string::npos)
      << report.status().message(Language::kRussian);
  EXPECT_LT(elapsed, std::chrono::seconds(60));  // about 2 x (2 s + curl's 5 s window) at most
  EXPECT_EQ(server_.Count("/v1/push"), 2);
  EXPECT_EQ(Pending(), 1);
  ExpectConsistent();
}

TEST_F(SyncClientTest, ASlowButSteadyAnswerCompletes) {
  // A pull answer of about 25 KB that does not compress, at 50 kbit/s (625 bytes every 100 ms):
  // four seconds, twice the low-speed time, on the rural link the limits are set for.
  std::mt19937_64 rng(11);
  static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
  std::string long_text;
  for (int i = 0; i < 33'000; ++i) long_text.push_back(kAlphabet[rng() % kAlphabet.size()]);
  core::School s;
  s.id = Uuid::MakeV7(core::testing::kStartMillis);
  s.code = "P-1";
  s.name = long_text;
  s.district = "Заречный";
  RecordState state = core::StateFromRecord(s);
  for (auto& f : state.fields) f.clock = {core::HlcStamp::FromParts(core::testing::kStartMillis, 0), "dev-b"};
  PullResponse answer;
  answer.records = {state};
  answer.scope = {s.id};
  answer.next_cursor = "c1";
  const std::string body = Compress(Encode(answer));
  ASSERT_GT(body.size(), 20'000u);

  std::atomic<bool> stop{false};
  server_.On("/v1/pull",
             [&](const auto&, auto& res, int) { SendSlowly(res, body, 625, std::chrono::milliseconds(100), &stop); });
  server_.Start();
  ClientOptions o = ClientOpts();
  o.low_speed_time_s = 2;
  o.max_attempts = 1;
  auto report = SyncClient(store().ledger(), o).Pull();
  stop.store(true);
  server_.Stop();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->pulled, 1);
  EXPECT_EQ(Must(store().records().Get<core::School>(s.id), "pulled").name, long_text);
}

TEST_F(SyncClientTest, RejectionsAreStoredAndTheQueueMovesOn) {
  MakeSchools(3);
  server_.On("/v1/push", [](const auto& req, auto& res, int) {
    auto request = DecodePushRequest(Must(Decompress(req.body), "push body"));
    ASSERT_TRUE(request.ok());
    PushResponse answer;
    answer.acked_op_seq = request->changes.back().op_seq;
    const Change& refused = request->changes[1];
    answer.rejected.push_back(
        {refused.op_seq, refused.kind, refused.record_id, "permission", "not your school", "не ваша школа"});
    answer.clamped = 1;
    AnswerWith(res, Encode(answer));
  });
  server_.On("/v1/pull", [](const auto& req, auto& res, int) { NothingToPull(req, res); });
  server_.Start();
  auto report = SyncClient(store().ledger(), ClientOpts()).Sync();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rejected, 1);
  EXPECT_EQ(report->clamped, 1u);
  EXPECT_EQ(Pending(), 0);
  const auto rejected = Must(store().ledger().Rejected(), "Rejected");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].op_seq, 2u);
  EXPECT_EQ(rejected[0].reason_ru, "не ваша школа");
  ExpectConsistent();
}

TEST_F(SyncClientTest, AClosedPortIsUnavailableAfterMaxAttempts) {
  MakeSchools(1);
  ClientOptions o = ClientOpts();
  o.server_url = "http://127.0.0.1:" + std::to_string(ClosedPort());
  o.max_attempts = 3;
  int retries = 0;
  o.on_progress = [&](const SyncProgress& p) { retries = p.retries; };
  auto report = SyncClient(store().ledger(), o).Sync();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(report.status().message(Language::kRussian).find("Нет связи с сервером"), std::string::npos)
      << report.status().message(Language::kRussian);
  EXPECT_EQ(retries, 2);
  EXPECT_EQ(Pending(), 1);
  EXPECT_EQ(SyncValue(kLastErrorKey), report.status().message(Language::kEnglish));
  EXPECT_EQ(SyncValue(kLastErrorRuKey), report.status().message(Language::kRussian));
  ExpectConsistent();
}

TEST_F(SyncClientTest, HttpsToAPlainHttpPortFailsAfterBoundedAttempts) {
  MakeSchools(1);
  server_.On("/v1/push", [](const auto& req, auto& res, int) { AckAll(req, res); });
  server_.Start();
  ClientOptions o = ClientOpts();
  o.server_url = "https://127.0.0.1:" + std::to_string(server_.port());
  o.max_attempts = 3;
  o.connect_timeout_s = 5;
  o.low_speed_time_s = 5;
  int retries = 0;
  o.on_progress = [&](const SyncProgress& p) { retries = p.retries; };
  const auto start = Clock::now();
  auto report = SyncClient(store().ledger(), o).Sync();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kUnavailable) << report.status().ToString();
  EXPECT_LE(retries, 2);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(60));
  EXPECT_EQ(server_.Count("/v1/push"), 0);  // the server never saw a request it could read
  EXPECT_EQ(Pending(), 1);
}

TEST_F(SyncClientTest, NotSignedInFailsWithoutTouchingTheNetwork) {
  MakeSchools(1);
  server_.On("/v1/push", [](const auto& req, auto& res, int) { AckAll(req, res); });
  server_.Start();
  ClientOptions o = ClientOpts();
  o.token.clear();
  auto report = SyncClient(store().ledger(), o).Sync();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(server_.Count("/v1/push"), 0);
}

TEST_F(SyncClientTest, ABadServerAddressIsInvalidInput) {
  ClientOptions o = ClientOpts();
  o.server_url = "ftp://example.org";
  auto report = SyncClient(store().ledger(), o).Sync();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kInvalidInput);
}

TEST_F(SyncClientTest, AnUnreadableAnswerIsCorruption) {
  MakeSchools(1);
  server_.On("/v1/push", [](const auto&, auto& res, int) { res.set_content("<html>wifi login</html>", "text/html"); });
  server_.Start();
  auto report = SyncClient(store().ledger(), ClientOpts()).Sync();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(server_.Count("/v1/push"), 1);
  EXPECT_EQ(Pending(), 1);
}

TEST_F(SyncClientTest, AMalformedErrorBodyIsStillAnError) {
  MakeSchools(1);
  server_.On("/v1/push", [](const auto&, auto& res, int) {
    res.status = 400;
    res.set_content(R"({"code": "x", "message_en": "\uZZZZ", "message_ru": "\uZZZZ"})", "application/json");
  });
  server_.Start();
  auto report = SyncClient(store().ledger(), ClientOpts()).Sync();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(server_.Count("/v1/push"), 1);
}

TEST_F(SyncClientTest, LoginSendsTheCredentialsWithoutAToken) {
  server_.On("/v1/login", [](const auto& req, auto& res, int) {
    auto request = DecodeLoginRequest(Must(Decompress(req.body), "login body"));
    ASSERT_TRUE(request.ok());
    if (request->password != "secret") return AnswerError(res, 401, "Wrong login or password", "Неверный пароль");
    LoginResponse answer;
    answer.token = std::string(64, 'a');
    answer.person_id = Must(core::Uuid::Parse("01890000-0000-7000-8000-000000000001"), "uuid");
    answer.role = Role::kMentor;
    answer.display_name = request->login + "@" + request->device_id;
    AnswerWith(res, Encode(answer));
  });
  server_.Start();
  ClientOptions o = ClientOpts();
  o.token.clear();
  auto who = Login(o, "petrov", "secret", "device-1");
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->token, std::string(64, 'a'));
  EXPECT_EQ(who->display_name, "petrov@device-1");
  EXPECT_EQ(who->role, Role::kMentor);
  EXPECT_EQ(server_.SeenRequests().at(0).authorization, "");

  auto refused = Login(o, "petrov", "wrong", "device-1");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(refused.status().message(Language::kRussian), "Неверный пароль");
  EXPECT_EQ(server_.Count("/v1/login"), 2);  // a refused password is not retried
}

TEST_F(SyncClientTest, LogoutRevokesTheTokenAndAcceptsAnUnknownOne) {
  server_.On("/v1/logout", [](const auto& req, auto& res, int) {
    if (req.get_header_value("Authorization") != "Bearer tok-123") {
      return AnswerError(res, 401, "unknown token", "неизвестный токен");
    }
    res.status = 204;
  });
  server_.Start();
  EXPECT_TRUE(Logout(ClientOpts()).ok());
  ClientOptions o = ClientOpts();
  o.token = "expired";
  EXPECT_TRUE(Logout(o).ok());
  EXPECT_EQ(server_.Count("/v1/logout"), 2);
  o.server_url = "http://127.0.0.1:" + std::to_string(ClosedPort());
  o.max_attempts = 1;
  EXPECT_EQ(Logout(o).code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace mentorlog::sync
