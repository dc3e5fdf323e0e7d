// The HTTP layer (sync/server/http_server.h, docs/http-api.md) with an in-process HttpServer
// on 127.0.0.1 over an SQLite central store holding the demo district. The client is
// cpp-httplib's, so every byte crosses a real socket.
//
// [SECTION] The world: storage, demo district, accounts, server
// [SECTION] Client helpers
// [SECTION] healthz, protocol header, tokens
// [SECTION] Bodies the server must survive
// [SECTION] The access matrix
// [SECTION] Scope of the data: pulls and pushes
// [SECTION] Graceful stop
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "accounts.h"
#include "dashboards.h"
#include "http_server.h"
#include "mentorlog/domain/dashboard_json.h"
#include "mentorlog/domain/demo.h"
#include "mentorlog/store/store.h"
#include "mentorlog/sync/device.h"
#include "mentorlog/sync/protocol.h"
#include "service.h"
#include "storage.h"

#include "server/httplib_for_tests.h"

namespace mentorlog::server {
namespace {

namespace fs = std::filesystem;
using sync::ErrorBody;

// -----------------------------------------------------------------------------------------
// [SECTION] The world
// -----------------------------------------------------------------------------------------

template <class T>
T Must(Result<T> result, const std::string& what) {
  if (!result.ok()) {
    ADD_FAILURE() << what << ": " << result.status().ToString();
    throw std::runtime_error("required step failed: " + what);
  }
  return std::move(result).value();
}

void Must(const Status& status, const std::string& what) {
  if (!status.ok()) {
    ADD_FAILURE() << what << ": " << status.ToString();
    throw std::runtime_error("required step failed: " + what);
  }
}

constexpr char kPassword[] = "a demo password";

// Who the tests sign in as. kNone: no token at all.
enum class Who { kMentor, kTutor, kCoordinator, kAdmin, kNone };
constexpr Who kEveryone[] = {Who::kMentor, Who::kTutor, Who::kCoordinator, Who::kAdmin, Who::kNone};

std::string NameOf(Who who) {
  switch (who) {
    case Who::kMentor:
      return "mentor";
    case Who::kTutor:
      return "tutor";
    case Who::kCoordinator:
      return "coordinator";
    case Who::kAdmin:
      return "admin";
    case Who::kNone:
      break;
  }
  return "no token";
}

// The central store with the demo district, one account per role, and the server on it.
// Built once for the suite: the demo district takes seconds to make.
struct World {
  fs::path dir;
  std::unique_ptr<Storage> storage;
  std::unique_ptr<SyncService> service;
  std::unique_ptr<Accounts> accounts;
  std::unique_ptr<HttpServer> server;
  std::unique_ptr<core::Store> demo;  // the local store the demo was made in
  std::map<Who, std::string> logins;
  std::map<Who, Uuid> people;
  std::vector<Uuid> mentor_schools;  // the mentor's current assignments, sorted
  std::vector<Uuid> tutor_schools;
  std::vector<Uuid> district_schools;

  ~World() {
    if (server) server->Stop();
    server.reset();
    accounts.reset();
    service.reset();
    storage.reset();
    demo.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

std::vector<Uuid> CurrentSchools(const std::vector<core::Assignment>& assignments, const Uuid& person, bool mentor,
                                 core::Date today) {
  std::vector<Uuid> out;
  for (const auto& a : assignments) {
    const bool current = a.starts_on <= today && (!a.ends_on || *a.ends_on >= today);
    if (current && a.assignee_id == person && (a.kind == core::AssignmentKind::kMentorSchool) == mentor) {
      out.push_back(a.school_id);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::unique_ptr<World> MakeWorld() {
  auto w = std::make_unique<World>();
  char pattern[] = "/tmp/mentorlog-http-test-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp");
  w->dir = pattern;
  w->storage = Must(OpenSqliteStorage((w->dir / "central.db").string()), "open the central store");
  w->service = std::make_unique<SyncService>(*w->storage, ServiceOptions{});
  AccountsOptions ao;
  ao.argon2_opslimit = 1;  // libsodium's minimum: these tests are about HTTP, not hashing cost
  ao.argon2_memlimit_bytes = 8192;
  w->accounts = std::make_unique<Accounts>(*w->storage, ao);

  core::StoreOptions so;
  so.path = w->dir / "demo.db";
  so.device_id = "http-test-demo";
  w->demo = Must(core::Store::Open(so), "open the demo store");
  core::DemoOptions demo_options;
  demo_options.assets_dir = MENTORLOG_ASSETS_DIR;
  Must(core::CreateDemoDistrict(w->demo->records(), demo_options), "create the demo district");
  Must(w->service->IngestStore(*w->demo), "ingest the demo district");

  const auto people = Must(w->demo->records().List<core::Person>(), "list people");
  const auto assignments = Must(w->demo->records().List<core::Assignment>(), "list assignments");
  const auto schools = Must(w->demo->records().List<core::School>(), "list schools");
  for (const auto& s : schools) w->district_schools.push_back(s.id);
  std::sort(w->district_schools.begin(), w->district_schools.end());
  const core::Date today = w->demo->records().Today();
  auto has = [](const core::Person& p, core::Role r) {
    return std::find(p.roles.begin(), p.roles.end(), r) != p.roles.end();
  };
  for (const auto& p : people) {
    if (!w->people.count(Who::kMentor) && has(p, core::Role::kMentor)) {
      auto mine = CurrentSchools(assignments, p.id, /*mentor=*/true, today);
      if (!mine.empty() && mine.size() < w->district_schools.size()) {
        w->people[Who::kMentor] = p.id;
        w->mentor_schools = mine;
      }
    }
    if (!w->people.count(Who::kTutor) && has(p, core::Role::kTutor)) {
      auto mine = CurrentSchools(assignments, p.id, /*mentor=*/false, today);
      if (!mine.empty()) {
        w->people[Who::kTutor] = p.id;
        w->tutor_schools = mine;
      }
    }
    if (!w->people.count(Who::kCoordinator) && has(p, core::Role::kCoordinator)) w->people[Who::kCoordinator] = p.id;
  }
  if (w->people.size() != 3) throw std::runtime_error("the demo district lacks a mentor, tutor or coordinator");
  const std::pair<Who, Role> roles[] = {
      {Who::kMentor, Role::kMentor}, {Who::kTutor, Role::kTutor}, {Who::kCoordinator, Role::kCoordinator}};
  for (const auto& [who, role] : roles) {
    w->logins[who] = "test." + NameOf(who);
    Must(w->accounts->AddUser(NewAccount{w->logins[who], role, w->people[who], "", kPassword}), "add " + NameOf(who));
  }
  w->logins[Who::kAdmin] = "test.admin";
  Must(w->accounts->AddUser(NewAccount{"test.admin", Role::kAdmin, std::nullopt, "", kPassword}), "add the admin");

  HttpServerOptions ho;
  ho.threads = 4;
  w->server = std::make_unique<HttpServer>(*w->storage, *w->service, *w->accounts, ho);
  Must(w->server->Start(), "start the server");
  return w;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Client helpers
// -----------------------------------------------------------------------------------------

struct Answer {
  int status = 0;  // 0: no answer (the connection failed)
  std::string body;
  std::string content_type;
  std::string protocol;      // X-MentorLog-Protocol of the answer
  std::string authenticate;  // WWW-Authenticate

  ErrorBody Error() const { return sync::DecodeErrorJson(body); }
  bool IsErrorJson() const {
    return content_type == "application/json" && !Error().code.empty() && Error().code != "http_error";
  }
};

Answer AnswerOf(const httplib::Result& r) {
  Answer a;
  if (!r) return a;
  a.status = r->status;
  a.body = r->body;
  a.content_type = r->get_header_value("Content-Type");
  a.protocol = r->get_header_value(std::string(sync::kProtocolHeader).c_str());
  a.authenticate = r->get_header_value("WWW-Authenticate");
  return a;
}

struct RequestOptions {
  std::optional<std::string> token;  // nullopt: no Authorization header
  std::optional<std::string> protocol = std::to_string(sync::kProtocolVersion);
  std::string content_type = std::string(sync::kContentType);
  std::optional<std::string> authorization;  // overrides the Bearer header built from token
};

class HttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { world_ = MakeWorld().release(); }
  static void TearDownTestSuite() {
    delete world_;
    world_ = nullptr;
  }

  static World& w() { return *world_; }

  static httplib::Client Client() {
    httplib::Client c("127.0.0.1", w().server->port());
    c.set_connection_timeout(std::chrono::seconds(5));
    c.set_read_timeout(std::chrono::seconds(120));
    c.set_write_timeout(std::chrono::seconds(120));
    return c;
  }

  static httplib::Headers HeadersOf(const RequestOptions& o) {
    httplib::Headers h;
    if (o.protocol) h.emplace(std::string(sync::kProtocolHeader), *o.protocol);
    if (o.authorization) {
      h.emplace("Authorization", *o.authorization);
    } else if (o.token) {
      h.emplace("Authorization", "Bearer " + *o.token);
    }
    return h;
  }

  static Answer PostRaw(const std::string& path, const std::string& body, const RequestOptions& o = {}) {
    auto c = Client();
    return AnswerOf(c.Post(path.c_str(), HeadersOf(o), body, o.content_type.c_str()));
  }

  static Answer GetRaw(const std::string& path, const RequestOptions& o = {}) {
    auto c = Client();
    return AnswerOf(c.Get(path.c_str(), HeadersOf(o)));
  }

  template <class M>
  static Answer Post(const std::string& path, const M& message, const RequestOptions& o = {}) {
    return PostRaw(path, sync::Compress(sync::Encode(message)), o);
  }

  template <class M>
  static M DecodeAs(const Answer& a, Result<M> (*decode)(std::string_view)) {
    EXPECT_EQ(a.content_type, sync::kContentType);
    const std::string bytes = Must(sync::Decompress(a.body), "decompress the answer");
    return Must(decode(bytes), "decode the answer");
  }

  static RequestOptions As(const std::string& token) {
    RequestOptions o;
    o.token = token;
    return o;
  }

  // Signs in over HTTP; the token is bound to `device`.
  static std::string SignIn(Who who, const std::string& device) {
    const Answer a = Post("/v1/login", sync::LoginRequest{w().logins.at(who), kPassword, device});
    if (a.status != 200) {
      ADD_FAILURE() << "sign-in as " << NameOf(who) << ": " << a.status << " " << a.body;
      throw std::runtime_error("sign-in failed");
    }
    return DecodeAs(a, &sync::DecodeLoginResponse).token;
  }

  static sync::PullRequest PullOf(const std::string& device, std::string cursor = "") {
    sync::PullRequest p;
    p.device_id = device;
    p.cursor = std::move(cursor);
    p.max_rows = 1000;
    p.max_bytes = sync::kMaxBatchBytes;
    return p;
  }

  // Every record and the final scope a fresh device of `token` pulls.
  static std::pair<std::vector<core::RecordState>, std::vector<Uuid>> PullAll(const std::string& token,
                                                                              const std::string& device) {
    std::vector<core::RecordState> records;
    std::vector<Uuid> scope;
    std::string cursor;
    for (int batch = 0; batch < 1000; ++batch) {
      const Answer a = Post("/v1/pull", PullOf(device, cursor), As(token));
      if (a.status != 200) {
        ADD_FAILURE() << "pull: " << a.status << " " << a.body;
        break;
      }
      sync::PullResponse r = DecodeAs(a, &sync::DecodePullResponse);
      for (auto& s : r.records) records.push_back(std::move(s));
      scope = r.scope;
      cursor = r.next_cursor;
      if (!r.more) break;
    }
    std::sort(scope.begin(), scope.end());
    return {records, scope};
  }

  // The school each record belongs to, as the server decides it (parents from its storage).
  static std::vector<std::optional<Uuid>> SchoolsOf(const std::vector<core::RecordState>& records) {
    std::vector<std::optional<Uuid>> out;
    Must(w().storage->Read([&](StorageTx& tx) -> Status {
      const sync::StateLoader load = [&tx](const Uuid& id) -> Result<std::optional<core::RecordState>> {
        ASSIGN_OR_RETURN(std::optional<StoredRecord> r, tx.LoadRecord(id));
        if (!r) return std::optional<core::RecordState>();
        return std::optional<core::RecordState>(std::move(r->state));
      };
      for (const auto& r : records) {
        ASSIGN_OR_RETURN(std::optional<Uuid> school, sync::SchoolOf(r, load));
        out.push_back(school);
      }
      return Status::Ok();
    }),
         "find the records' schools");
    return out;
  }

  static std::optional<StoredRecord> Load(const Uuid& id) {
    std::optional<StoredRecord> r;
    Must(w().storage->Read([&](StorageTx& tx) -> Status {
      ASSIGN_OR_RETURN(r, tx.LoadRecord(id));
      return Status::Ok();
    }),
         "load " + id.ToString());
    return r;
  }

  static bool LooksLikeZstd(const std::string& body) {
    return body.size() >= 4 && body.compare(0, 4, "\x28\xB5\x2F\xFD") == 0;
  }

  static World* world_;
};

World* HttpTest::world_ = nullptr;

// -----------------------------------------------------------------------------------------
// [SECTION] healthz, protocol header, tokens
// -----------------------------------------------------------------------------------------

TEST_F(HttpTest, HealthzSaysOkWithProtocolAndStorage) {
  RequestOptions none;
  none.protocol.reset();
  const Answer a = GetRaw("/healthz", none);
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.content_type, "application/json");
  EXPECT_EQ(a.body, "{\"status\": \"ok\", \"protocol\": " + std::to_string(sync::kProtocolVersion) +
                        ", \"storage\": \"sqlite\"}");
}

TEST_F(HttpTest, UnknownPathsAre404Json) {
  const Answer a = GetRaw("/v1/nothing-here");
  EXPECT_EQ(a.status, 404);
  EXPECT_TRUE(a.IsErrorJson()) << a.body;
  EXPECT_EQ(a.Error().code, "not_found");
  // A known path with another method.
  EXPECT_EQ(GetRaw("/v1/push").status, 404);
}

TEST_F(HttpTest, MissingOrOldProtocolIs426WithAClearMessage) {
  const std::string token = SignIn(Who::kMentor, "proto-device");
  for (const std::optional<std::string>& version :
       {std::optional<std::string>(), std::optional<std::string>("1"), std::optional<std::string>("0")}) {
    for (const std::string path : {"/v1/login", "/v1/logout", "/v1/push", "/v1/pull"}) {
      RequestOptions o = As(token);
      o.protocol = version;
      const Answer a = Post(path, PullOf("proto-device"), o);
      EXPECT_EQ(a.status, 426) << path << " " << version.value_or("(none)");
      EXPECT_TRUE(a.IsErrorJson()) << a.body;
      const ErrorBody e = a.Error();
      EXPECT_EQ(e.code, "upgrade_required");
      EXPECT_EQ(e.message_en,
                "This version of MentorLog is too old for the server. Update the app, then sync again; your records "
                "stay on this device until then.");
      EXPECT_NE(e.message_ru.find("Обновите приложение"), std::string::npos) << e.message_ru;
      EXPECT_EQ(a.protocol, std::to_string(sync::kProtocolVersion));
    }
    RequestOptions o = As(token);
    o.protocol = version;
    EXPECT_EQ(GetRaw("/v1/admin/users", o).status, 426);
  }
}

TEST_F(HttpTest, NewerProtocolIsServerOutdatedAndGarbageIsBadRequest) {
  RequestOptions newer;
  newer.protocol = std::to_string(sync::kProtocolVersion + 1);
  const Answer a = Post("/v1/login", sync::LoginRequest{w().logins.at(Who::kMentor), kPassword, "d"}, newer);
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.Error().code, "server_outdated");
  EXPECT_NE(a.Error().message_en.find("update the server"), std::string::npos) << a.Error().message_en;
  for (const std::string garbage : {"two", "2.0", "2 3", "-1", "99999999999999999999"}) {
    RequestOptions o;
    o.protocol = garbage;
    const Answer g = Post("/v1/login", sync::LoginRequest{w().logins.at(Who::kMentor), kPassword, "d"}, o);
    EXPECT_EQ(g.status, 400) << garbage;
    EXPECT_EQ(g.Error().code, "bad_request") << garbage;
  }
}

TEST_F(HttpTest, MissingOrBadTokensAre401) {
  const std::string token = SignIn(Who::kMentor, "token-device");
  std::vector<RequestOptions> bad(6);
  bad[1].token = std::string(64, '0');
  bad[2].token = "not-a-token";
  bad[3].authorization = "Basic dGVzdDp0ZXN0";
  bad[4].authorization = "Bearer";
  bad[5].authorization = "Bearer " + token.substr(0, 63) + "X";
  for (size_t i = 0; i < bad.size(); ++i) {
    for (const std::string path : {"/v1/logout", "/v1/push", "/v1/pull"}) {
      const Answer a = Post(path, PullOf("token-device"), bad[i]);
      EXPECT_EQ(a.status, 401) << path << " case " << i;
      EXPECT_EQ(a.Error().code, "unauthorized") << a.body;
      EXPECT_EQ(a.authenticate, "Bearer");
      EXPECT_NE(a.Error().message_en.find("Sign in again"), std::string::npos) << a.body;
      EXPECT_NE(a.Error().message_ru.find("Войдите снова"), std::string::npos) << a.body;
    }
    EXPECT_EQ(GetRaw("/v1/admin/users", bad[i]).status, 401) << "case " << i;
  }
  // "bearer" in any letter case is the same scheme.
  RequestOptions lower;
  lower.authorization = "bearer " + token;
  EXPECT_EQ(Post("/v1/pull", PullOf("token-device"), lower).status, 200);
}

TEST_F(HttpTest, WrongPasswordAndUnknownLoginAre401WithOneMessage) {
  const Answer wrong = Post("/v1/login", sync::LoginRequest{w().logins.at(Who::kMentor), "wrong password", "d"});
  const Answer unknown = Post("/v1/login", sync::LoginRequest{"nobody.here", kPassword, "d"});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_FALSE(wrong.Error().message_ru.empty());
  EXPECT_NE(wrong.Error().message_en, wrong.Error().message_ru);
}

TEST_F(HttpTest, ATokenWorksOnlyForItsDevice) {
  const std::string token = SignIn(Who::kMentor, "device-a");
  const Answer pull = Post("/v1/pull", PullOf("device-b"), As(token));
  EXPECT_EQ(pull.status, 403);
  EXPECT_EQ(pull.Error().code, "forbidden");
  EXPECT_FALSE(LooksLikeZstd(pull.body));
  const Answer push = Post("/v1/push", sync::PushRequest{"device-b", {}}, As(token));
  EXPECT_EQ(push.status, 403);
  EXPECT_EQ(Post("/v1/pull", PullOf("device-a"), As(token)).status, 200);
}

TEST_F(HttpTest, LogoutEndsTheTokenOnly) {
  const std::string a = SignIn(Who::kTutor, "logout-a");
  const std::string b = SignIn(Who::kTutor, "logout-b");
  const Answer out = PostRaw("/v1/logout", "", As(a));
  EXPECT_EQ(out.status, 204);
  EXPECT_TRUE(out.body.empty());
  const Answer after = Post("/v1/pull", PullOf("logout-a"), As(a));
  EXPECT_EQ(after.status, 401);
  EXPECT_NE(after.Error().message_en.find("signed out"), std::string::npos) << after.body;
  EXPECT_EQ(Post("/v1/pull", PullOf("logout-b"), As(b)).status, 200);
}

TEST_F(HttpTest, ADisabledAccountIs403AndItsTokensStop) {
  // An account of its own, so the other tests keep theirs.
  Must(w().accounts->AddUser(NewAccount{"test.leaver", Role::kMentor, w().people.at(Who::kMentor), "", kPassword}),
       "add the leaver");
  const Answer in = Post("/v1/login", sync::LoginRequest{"test.leaver", kPassword, "leaver-device"});
  ASSERT_EQ(in.status, 200);
  const std::string token = DecodeAs(in, &sync::DecodeLoginResponse).token;
  Must(w().accounts->Disable("test.leaver"), "disable");
  EXPECT_EQ(Post("/v1/pull", PullOf("leaver-device"), As(token)).status, 401);
  const Answer again = Post("/v1/login", sync::LoginRequest{"test.leaver", kPassword, "leaver-device"});
  EXPECT_EQ(again.status, 403);
  EXPECT_EQ(again.Error().code, "forbidden");
  EXPECT_NE(again.Error().message_en.find("disabled, ask your coordinator"), std::string::npos) << again.body;
  EXPECT_NE(again.Error().message_ru.find("отключена"), std::string::npos) << again.body;
}

TEST_F(HttpTest, LoginAnswersWhoSignedIn) {
  const Answer a = Post("/v1/login", sync::LoginRequest{w().logins.at(Who::kMentor), kPassword, "who-device"});
  ASSERT_EQ(a.status, 200);
  const sync::LoginResponse r = DecodeAs(a, &sync::DecodeLoginResponse);
  EXPECT_EQ(r.role, Role::kMentor);
  EXPECT_EQ(r.person_id, w().people.at(Who::kMentor));
  const auto person = Must(w().demo->records().Get<core::Person>(w().people.at(Who::kMentor)), "the mentor");
  EXPECT_EQ(r.display_name, person.full_name);
  EXPECT_GT(r.expires_millis, 0);
  EXPECT_EQ(a.protocol, std::to_string(sync::kProtocolVersion));
}

// -----------------------------------------------------------------------------------------
// [SECTION] Bodies the server must survive
// -----------------------------------------------------------------------------------------

// A zstd frame that does not say how large it unpacks (as a streaming compressor writes it).
std::string StreamedFrame(const std::string& bytes) {
  ZSTD_CCtx* ctx = ZSTD_createCCtx();
  std::string out(ZSTD_compressBound(bytes.size()) + 64, '\0');
  ZSTD_outBuffer o{out.data(), out.size(), 0};
  ZSTD_inBuffer in{bytes.data(), bytes.size(), 0};
  ZSTD_CCtx_setParameter(ctx, ZSTD_c_contentSizeFlag, 0);
  size_t left = 1;
  while (left != 0) left = ZSTD_compressStream2(ctx, &o, &in, ZSTD_e_end);
  ZSTD_freeCCtx(ctx);
  out.resize(o.pos);
  return out;
}

TEST_F(HttpTest, OversizedBodiesAre413) {
  const std::string token = SignIn(Who::kMentor, "big-device");
  // More bytes on the wire than allowed.
  const Answer wire = PostRaw("/v1/push", std::string(sync::kMaxBodyBytes + 1, 'x'), As(token));
  EXPECT_EQ(wire.status, 413);
  EXPECT_EQ(wire.Error().code, "payload_too_large") << wire.body;
  // A small frame that says it unpacks to more than allowed.
  const std::string zeros(sync::kMaxBodyBytes + 1, '\0');
  const Answer declared = PostRaw("/v1/push", sync::Compress(zeros), As(token));
  EXPECT_EQ(declared.status, 413);
  EXPECT_EQ(declared.Error().code, "payload_too_large") << declared.body;
  // A small frame that does not say its size and unpacks to more than allowed.
  const std::string streamed = StreamedFrame(zeros);
  ASSERT_LT(streamed.size(), size_t{1} << 20);
  const Answer bomb = PostRaw("/v1/pull", streamed, As(token));
  EXPECT_EQ(bomb.status, 413);
  EXPECT_EQ(bomb.Error().code, "payload_too_large") << bomb.body;
  // The server is still there.
  EXPECT_EQ(GetRaw("/healthz").status, 200);
}

TEST_F(HttpTest, GarbageBodiesAre400AndTheServerSurvives) {
  const std::string token = SignIn(Who::kMentor, "garbage-device");
  const std::string push = sync::Encode(sync::PushRequest{"garbage-device", {}});
  const std::string pull = sync::Encode(PullOf("garbage-device"));
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"empty", ""},
      {"not zstd", "hello, server"},
      {"zstd of garbage", sync::Compress("definitely not a MentorLog message")},
      {"truncated push", sync::Compress(push.substr(0, push.size() - 3))},
      {"truncated frame", sync::Compress(push).substr(0, 9)},
      {"two frames", sync::Compress(push) + sync::Compress(push)},
      {"a pull sent to push", sync::Compress(pull)},
      {"a push with a trailing byte", sync::Compress(push + "x")},
  };
  for (const auto& [what, body] : bodies) {
    for (const std::string path : {"/v1/push", "/v1/pull", "/v1/login"}) {
      if (what == "a pull sent to push" && path == "/v1/pull") continue;
      const Answer a = PostRaw(path, body, As(token));
      EXPECT_EQ(a.status, 400) << what << " to " << path << ": " << a.body;
      EXPECT_EQ(a.Error().code, "bad_request") << what;
      EXPECT_FALSE(a.Error().message_en.empty());
    }
  }
  EXPECT_EQ(GetRaw("/healthz").status, 200);
}

TEST_F(HttpTest, MutatedPullsNeverCrashTheServer) {
  const std::string token = SignIn(Who::kMentor, "mutant-device");
  const std::string pull = sync::Encode(PullOf("mutant-device"));
  std::mt19937 rng(20251);
  std::set<int> seen;
  for (int i = 0; i < 150; ++i) {
    std::string bytes = pull;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const size_t at = rng() % bytes.size();
      switch (rng() % 3) {
        case 0:
          bytes[at] = static_cast<char>(rng() & 0xFF);
          break;
        case 1:
          bytes.erase(at, 1 + rng() % 8);
          break;
        default:
          bytes.insert(at, std::string(1 + rng() % 8, static_cast<char>(rng() & 0xFF)));
      }
      if (bytes.empty()) bytes = "x";
    }
    const Answer a = PostRaw("/v1/pull", sync::Compress(bytes), As(token));
    seen.insert(a.status);
    EXPECT_TRUE(a.status == 200 || a.status == 400 || a.status == 403) << "mutation " << i << ": " << a.status;
  }
  EXPECT_TRUE(seen.count(400)) << "the mutations should break the message at least once";
  EXPECT_EQ(GetRaw("/healthz").status, 200);
}

TEST_F(HttpTest, OnlyOurContentTypeIsAccepted) {
  const std::string token = SignIn(Who::kMentor, "type-device");
  RequestOptions o = As(token);
  o.content_type = "application/json";
  const Answer a = Post("/v1/pull", PullOf("type-device"), o);
  EXPECT_EQ(a.status, 415);
  EXPECT_EQ(a.Error().code, "unsupported_media_type");
  o.content_type = std::string(sync::kContentType) + "; charset=binary";  // parameters are fine
  EXPECT_EQ(Post("/v1/pull", PullOf("type-device"), o).status, 200);
}

// Sends `request` as raw bytes and returns the whole answer (until the server closes).
std::string RawExchange(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return "";
  timeval tv{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string answer;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) answer.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return answer;
}

// Issue 13: cpp-httplib read chunked and gzip bodies without a bound; the server's front
// (request_front.h) refuses both from the head, before reading the body. Devices always send
// a Content-Length and no Content-Encoding.
TEST_F(HttpTest, ChunkedAndGzippedBodiesAreRefusedUnread) {
  const std::string token = SignIn(Who::kMentor, "chunk-device");
  const std::string body = sync::Compress(sync::Encode(PullOf("chunk-device")));
  auto chunked = [&](size_t total) {
    auto c = Client();
    auto r = c.Post(
        "/v1/pull", HeadersOf(As(token)),
        [&](size_t offset, httplib::DataSink& sink) {
          if (offset >= total) {
            sink.done();
            return true;
          }
          const size_t n = std::min(body.size(), total - offset);
          return sink.write(body.data(), n);
        },
        std::string(sync::kContentType));
    return AnswerOf(r);
  };
  const Answer small = chunked(body.size());
  EXPECT_EQ(small.status, 411) << small.body;
  EXPECT_EQ(small.Error().code, "length_required");
  // More than the bound in chunks: refused (the client may see the connection reset while it
  // still writes).
  const Answer big = chunked(sync::kMaxBodyBytes + body.size());
  EXPECT_TRUE(big.status == 411 || big.status == 0) << big.status << " " << big.body;
  // Content-Encoding: gzip around our zstd frame.
  auto c = Client();
  c.set_compress(true);
  const Answer gz = AnswerOf(c.Post("/v1/pull", HeadersOf(As(token)), body, std::string(sync::kContentType)));
  EXPECT_EQ(gz.status, 415) << gz.body;
  EXPECT_EQ(gz.Error().code, "unsupported_media_type");
  EXPECT_EQ(GetRaw("/healthz").status, 200);
}

TEST_F(HttpTest, APostWithoutALengthIs411AtOnce) {
  const std::string answer =
      RawExchange(w().server->port(), "POST /v1/pull HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                                          std::string(sync::kProtocolHeader) + ": 2\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 411", 0), 0u) << answer;
  EXPECT_NE(answer.find("length_required"), std::string::npos) << answer;
}

// -----------------------------------------------------------------------------------------
// [SECTION] The access matrix
// -----------------------------------------------------------------------------------------

enum class Endpoint { kHealthz, kLogin, kLogout, kPush, kPull, kAdminUsers };
constexpr Endpoint kEndpoints[] = {Endpoint::kHealthz, Endpoint::kLogin,      Endpoint::kPush,
                                   Endpoint::kPull,    Endpoint::kAdminUsers, Endpoint::kLogout};

std::string NameOf(Endpoint e) {
  switch (e) {
    case Endpoint::kHealthz:
      return "GET /healthz";
    case Endpoint::kLogin:
      return "POST /v1/login";
    case Endpoint::kLogout:
      return "POST /v1/logout";
    case Endpoint::kPush:
      return "POST /v1/push";
    case Endpoint::kPull:
      return "POST /v1/pull";
    case Endpoint::kAdminUsers:
      return "GET /v1/admin/users";
  }
  return "?";
}

// The expected status of each endpoint for each role (docs/http-api.md, "Who may call what").
int Expected(Endpoint e, Who who) {
  const bool signed_in = who != Who::kNone;
  const bool sees_records = signed_in && who != Who::kAdmin;
  switch (e) {
    case Endpoint::kHealthz:
      return 200;
    case Endpoint::kLogin:
      return signed_in ? 200 : 401;  // kNone: signing in with a wrong password
    case Endpoint::kLogout:
      return signed_in ? 204 : 401;
    case Endpoint::kPush:
    case Endpoint::kPull:
      return sees_records ? 200 : (signed_in ? 403 : 401);
    case Endpoint::kAdminUsers:
      return who == Who::kAdmin ? 200 : (signed_in ? 403 : 401);
  }
  return 0;
}

TEST_F(HttpTest, AccessMatrix) {
  for (Who who : kEveryone) {
    const std::string device = "matrix-" + std::to_string(static_cast<int>(who));
    std::optional<std::string> token;
    if (who != Who::kNone) token = SignIn(who, device);
    RequestOptions o;
    o.token = token;
    for (Endpoint e : kEndpoints) {
      SCOPED_TRACE(NameOf(e) + " as " + NameOf(who));
      Answer a;
      switch (e) {
        case Endpoint::kHealthz:
          a = GetRaw("/healthz", o);
          break;
        case Endpoint::kLogin:
          a = who == Who::kNone ? Post("/v1/login", sync::LoginRequest{"test.mentor", "not the password", device})
                                : Post("/v1/login", sync::LoginRequest{w().logins.at(who), kPassword, device});
          break;
        case Endpoint::kLogout:
          a = PostRaw("/v1/logout", "", o);
          break;
        case Endpoint::kPush:
          a = Post("/v1/push", sync::PushRequest{device, {}}, o);
          break;
        case Endpoint::kPull:
          a = Post("/v1/pull", PullOf(device), o);
          break;
        case Endpoint::kAdminUsers:
          a = GetRaw("/v1/admin/users", o);
          break;
      }
      EXPECT_EQ(a.status, Expected(e, who)) << a.body;
      if (a.status >= 400) {
        // Refusals carry no data: only the JSON error, in both languages.
        EXPECT_TRUE(a.IsErrorJson()) << a.body;
        EXPECT_FALSE(LooksLikeZstd(a.body));
        EXPECT_FALSE(a.Error().message_en.empty());
        EXPECT_FALSE(a.Error().message_ru.empty());
        EXPECT_EQ(a.Error().code, a.status == 401 ? "unauthorized" : "forbidden");
      }
      if (e == Endpoint::kPull && a.status == 200) {
        const sync::PullResponse r = DecodeAs(a, &sync::DecodePullResponse);
        EXPECT_FALSE(r.scope.empty());
      }
      if (e == Endpoint::kPush && a.status == 200) {
        EXPECT_EQ(DecodeAs(a, &sync::DecodePushResponse).acked_op_seq, 0u);
      }
      if (e == Endpoint::kAdminUsers && a.status == 200) {
        EXPECT_EQ(a.content_type, "application/json");
        for (const auto& [_, login] : w().logins) EXPECT_NE(a.body.find("\"" + login + "\""), std::string::npos);
        EXPECT_EQ(a.body.find("argon2"), std::string::npos) << "no password hashes";
        EXPECT_EQ(a.body.find("password"), std::string::npos);
        EXPECT_NE(a.body.find("\"role\": \"coordinator\""), std::string::npos) << a.body;
      }
    }
    // The logout (last) ended the token.
    if (token) {
      EXPECT_EQ(Post("/v1/pull", PullOf(device), o).status, 401) << NameOf(who);
    }
  }
}

TEST_F(HttpTest, AnAdminGetsNoRecordsEvenWithAValidBody) {
  const std::string token = SignIn(Who::kAdmin, "admin-device");
  sync::PushRequest push;
  push.device_id = "admin-device";
  core::Change c;
  c.device_id = "admin-device";
  c.op_seq = 1;
  c.kind = core::RecordKind::kSchool;
  c.record_id = w().district_schools.front();
  c.stamp = core::HlcStamp::FromParts(static_cast<uint64_t>(platform::DefaultClock().NowMillis()), 0);
  c.fields.push_back(core::FieldChange{"name", std::string("Renamed by the admin"), c.stamp, {}});
  push.changes.push_back(c);
  const auto before = Load(c.record_id);
  for (const Answer& a : {Post("/v1/push", push, As(token)), Post("/v1/pull", PullOf("admin-device"), As(token))}) {
    EXPECT_EQ(a.status, 403);
    EXPECT_EQ(a.content_type, "application/json");
    EXPECT_EQ(a.Error().code, "forbidden");
    EXPECT_FALSE(LooksLikeZstd(a.body));
    EXPECT_LT(a.body.size(), 1024u) << "an error, not data";
  }
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(Load(c.record_id)->state, before->state);
  EXPECT_EQ(Load(c.record_id)->seq, before->seq);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Scope of the data
// -----------------------------------------------------------------------------------------

void ExpectOnlyAllowedSchools(const std::vector<core::RecordState>& records,
                              const std::vector<std::optional<Uuid>>& schools, const std::vector<Uuid>& allowed,
                              const std::string& who) {
  size_t school_bound = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    if (!schools[i]) continue;  // district-wide: everyone who syncs sees it
    ++school_bound;
    EXPECT_TRUE(std::binary_search(allowed.begin(), allowed.end(), *schools[i]))
        << who << " got " << core::EnumLabel(records[i].kind, Language::kEnglish) << " " << records[i].id.ToString()
        << " of school " << schools[i]->ToString() << ", which is not theirs";
  }
  EXPECT_GT(school_bound, 0u) << who << " should see the records of their schools";
}

TEST_F(HttpTest, AMentorPullsOnlyTheirSchools) {
  const std::string token = SignIn(Who::kMentor, "scope-mentor");
  const auto [records, scope] = PullAll(token, "scope-mentor");
  EXPECT_EQ(scope, w().mentor_schools);
  ASSERT_FALSE(records.empty());
  ExpectOnlyAllowedSchools(records, SchoolsOf(records), w().mentor_schools, "the mentor");
  // Every school of theirs is there.
  const auto schools = SchoolsOf(records);
  for (const Uuid& mine : w().mentor_schools) {
    EXPECT_TRUE(std::find(schools.begin(), schools.end(), std::optional<Uuid>(mine)) != schools.end())
        << mine.ToString();
  }
}

TEST_F(HttpTest, ATutorPullsOnlyTheirSchools) {
  const std::string token = SignIn(Who::kTutor, "scope-tutor");
  const auto [records, scope] = PullAll(token, "scope-tutor");
  EXPECT_EQ(scope, w().tutor_schools);
  ExpectOnlyAllowedSchools(records, SchoolsOf(records), w().tutor_schools, "the tutor");
}

TEST_F(HttpTest, ACoordinatorPullsTheWholeDistrict) {
  const std::string token = SignIn(Who::kCoordinator, "scope-coordinator");
  const auto [records, scope] = PullAll(token, "scope-coordinator");
  EXPECT_EQ(scope, w().district_schools);
  ExpectOnlyAllowedSchools(records, SchoolsOf(records), w().district_schools, "the coordinator");
  const auto mentor = PullAll(SignIn(Who::kMentor, "scope-compare"), "scope-compare").first;
  EXPECT_GT(records.size(), mentor.size());
}

TEST_F(HttpTest, AMentorsPushToAForeignSchoolIsRejectedAndChangesNothing) {
  const std::string device = "foreign-push";
  const std::string token = SignIn(Who::kMentor, device);
  const auto visits = Must(w().demo->records().List<core::Visit>(), "list visits");
  const auto mine = [&](const Uuid& school) {
    return std::binary_search(w().mentor_schools.begin(), w().mentor_schools.end(), school);
  };
  const auto foreign =
      std::find_if(visits.begin(), visits.end(), [&](const core::Visit& v) { return !mine(v.school_id); });
  const auto own = std::find_if(visits.begin(), visits.end(), [&](const core::Visit& v) { return mine(v.school_id); });
  ASSERT_NE(foreign, visits.end());
  ASSERT_NE(own, visits.end());
  const std::optional<StoredRecord> foreign_before = Load(foreign->id);
  const std::optional<StoredRecord> own_before = Load(own->id);
  ASSERT_TRUE(foreign_before && own_before);

  const core::HlcStamp now = core::HlcStamp::FromParts(static_cast<uint64_t>(platform::DefaultClock().NowMillis()), 0);
  auto edit = [&](uint64_t op_seq, const StoredRecord& r, std::string summary) {
    core::Change c;
    c.device_id = device;
    c.op_seq = op_seq;
    c.kind = core::RecordKind::kVisit;
    c.record_id = r.state.id;
    c.stamp = now;
    const core::FieldState* f = r.state.Find("summary");
    c.fields.push_back(core::FieldChange{"summary", std::move(summary), now, f ? f->clock : core::FieldClock{}});
    return c;
  };
  sync::PushRequest push;
  push.device_id = device;
  push.changes.push_back(edit(1, *foreign_before, "edited by a mentor of another school"));
  core::Change create;  // a new visit in the foreign school
  create.device_id = device;
  create.op_seq = 2;
  create.kind = core::RecordKind::kVisit;
  create.record_id = Uuid::MakeV7(platform::DefaultClock().NowMillis());
  create.stamp = now;
  create.fields.push_back(core::FieldChange{"school_id", foreign->school_id.ToString(), now, {}});
  create.fields.push_back(core::FieldChange{"date", foreign->date.ToString(), now, {}});
  push.changes.push_back(create);
  core::Change remove;  // deleting the foreign visit
  remove.device_id = device;
  remove.op_seq = 3;
  remove.kind = core::RecordKind::kVisit;
  remove.record_id = foreign->id;
  remove.op = core::ChangeOp::kDelete;
  remove.stamp = now;
  push.changes.push_back(remove);
  push.changes.push_back(edit(4, *own_before, "edited by the school's own mentor"));
  core::Change move = edit(5, *foreign_before, "moved into the mentor's school");  // taking it over
  const core::FieldState* school_field = foreign_before->state.Find("school_id");
  move.fields.push_back(core::FieldChange{"school_id", w().mentor_schools.front().ToString(), now,
                                          school_field ? school_field->clock : core::FieldClock{}});
  push.changes.push_back(move);

  const Answer a = Post("/v1/push", push, As(token));
  ASSERT_EQ(a.status, 200) << a.body;
  const sync::PushResponse r = DecodeAs(a, &sync::DecodePushResponse);
  EXPECT_EQ(r.acked_op_seq, 5u);
  std::set<uint64_t> rejected;
  for (const sync::Rejection& j : r.rejected) {
    rejected.insert(j.op_seq);
    EXPECT_EQ(j.code, "permission") << j.op_seq << ": " << j.reason_en;
    EXPECT_FALSE(j.reason_en.empty());
    EXPECT_FALSE(j.reason_ru.empty());
  }
  EXPECT_EQ(rejected, (std::set<uint64_t>{1, 2, 3, 5}));

  const std::optional<StoredRecord> foreign_after = Load(foreign->id);
  ASSERT_TRUE(foreign_after.has_value());
  EXPECT_EQ(foreign_after->state, foreign_before->state);
  EXPECT_EQ(foreign_after->seq, foreign_before->seq);
  EXPECT_FALSE(Load(create.record_id).has_value());
  // The allowed edit in the same batch went through, so the refusals above are not vacuous.
  const std::optional<StoredRecord> own_after = Load(own->id);
  ASSERT_TRUE(own_after.has_value());
  const core::FieldState* summary = own_after->state.Find("summary");
  ASSERT_NE(summary, nullptr);
  EXPECT_EQ(summary->value, core::FieldValue(std::string("edited by the school's own mentor")));

  // A replay of the batch is answered the same way and changes nothing.
  const Answer replay = Post("/v1/push", push, As(token));
  ASSERT_EQ(replay.status, 200);
  EXPECT_EQ(DecodeAs(replay, &sync::DecodePushResponse).acked_op_seq, 5u);
  EXPECT_EQ(Load(foreign->id)->seq, foreign_before->seq);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Graceful stop
// -----------------------------------------------------------------------------------------

// A Storage whose next Write waits until released, to hold a request in flight.
class GateStorage final : public Storage {
 public:
  explicit GateStorage(Storage& inner) : inner_(inner) {}

  void Arm() {
    std::lock_guard lock(mu_);
    armed_ = true;
    entered_ = false;
    open_ = false;
  }
  bool WaitEntered(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return entered_; });
  }
  void Release() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

  Status Write(const std::function<Status(StorageTx&)>& fn) override {
    {
      std::unique_lock lock(mu_);
      if (armed_) {
        armed_ = false;
        entered_ = true;
        cv_.notify_all();
        cv_.wait(lock, [&] { return open_; });
      }
    }
    return inner_.Write(fn);
  }
  Status Read(const std::function<Status(StorageTx&)>& fn) override { return inner_.Read(fn); }
  std::string Describe() const override { return inner_.Describe(); }

 private:
  Storage& inner_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool armed_ = false;
  bool entered_ = false;
  bool open_ = false;
};

TEST(HttpStopTest, StopFinishesTheRequestInFlight) {
  char pattern[] = "/tmp/mentorlog-http-stop-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const fs::path dir = pattern;
  {
    auto real = Must(OpenSqliteStorage((dir / "central.db").string()), "open");
    GateStorage gate(*real);
    SyncService service(gate, ServiceOptions{});
    AccountsOptions ao;
    ao.argon2_opslimit = 1;
    ao.argon2_memlimit_bytes = 8192;
    Accounts accounts(gate, ao);
    Must(accounts.AddUser(NewAccount{"admin", Role::kAdmin, std::nullopt, "", kPassword}), "add the admin");
    HttpServer server(gate, service, accounts, HttpServerOptions{});
    Must(server.Start(), "start");
    const int port = server.port();

    // A sign-in writes its token: hold that write, so the request is in flight.
    gate.Arm();
    std::atomic<int> login_status{0};
    std::thread client([&] {
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(std::chrono::seconds(60));
      httplib::Headers h{{std::string(sync::kProtocolHeader), std::to_string(sync::kProtocolVersion)}};
      auto r = c.Post("/v1/login", h, sync::Compress(sync::Encode(sync::LoginRequest{"admin", kPassword, "d"})),
                      std::string(sync::kContentType));
      login_status = r ? r->status : -1;
    });
    ASSERT_TRUE(gate.WaitEntered(std::chrono::seconds(30)));

    std::atomic<bool> stopped{false};
    std::thread stopper([&] {
      server.Stop();
      stopped = true;
    });
    // Stop() cannot return while the request is held; meanwhile nobody new gets in.
    bool refused = false;
    for (int i = 0; i < 200 && !refused; ++i) {
      httplib::Client probe("127.0.0.1", port);
      probe.set_connection_timeout(std::chrono::seconds(1));
      refused = !probe.Get("/healthz");
      if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(refused) << "the listening socket should be closed by Stop()";
    EXPECT_FALSE(stopped.load());
    EXPECT_EQ(login_status.load(), 0) << "the held request has not been answered yet";

    gate.Release();
    client.join();
    stopper.join();
    EXPECT_TRUE(stopped.load());
    EXPECT_EQ(login_status.load(), 200) << "the request in flight finished";
  }
  fs::remove_all(dir);
}

// A Storage that fails every call with `failure` while it is set.
class FailingStorage final : public Storage {
 public:
  explicit FailingStorage(Storage& inner) : inner_(inner) {}
  void FailWith(std::optional<Status> failure) {
    std::lock_guard lock(mu_);
    failure_ = std::move(failure);
  }
  Status Write(const std::function<Status(StorageTx&)>& fn) override {
    if (auto f = Failure()) return *f;
    return inner_.Write(fn);
  }
  Status Read(const std::function<Status(StorageTx&)>& fn) override {
    if (auto f = Failure()) return *f;
    return inner_.Read(fn);
  }
  std::string Describe() const override { return "postgresql"; }

 private:
  std::optional<Status> Failure() {
    std::lock_guard lock(mu_);
    return failure_;
  }
  Storage& inner_;
  std::mutex mu_;
  std::optional<Status> failure_;
};

TEST(HttpStorageFailureTest, DetailsStayInTheLog) {
  char pattern[] = "/tmp/mentorlog-http-fail-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const fs::path dir = pattern;
  {
    auto real = Must(OpenSqliteStorage((dir / "central.db").string()), "open");
    FailingStorage storage(*real);
    SyncService service(storage, ServiceOptions{});
    AccountsOptions ao;
    ao.argon2_opslimit = 1;
    ao.argon2_memlimit_bytes = 8192;
    Accounts accounts(storage, ao);
    HttpServer server(storage, service, accounts, HttpServerOptions{});
    Must(server.Start(), "start");
    httplib::Client c("127.0.0.1", server.port());
    const httplib::Headers h{{std::string(sync::kProtocolHeader), std::to_string(sync::kProtocolVersion)}};
    const std::string login = sync::Compress(sync::Encode(sync::LoginRequest{"someone", kPassword, "d"}));

    auto health = c.Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    EXPECT_NE(health->body.find("\"storage\": \"postgresql\""), std::string::npos) << health->body;

    storage.FailWith(Status::Unavailable("connection to 10.0.0.5:5432 refused"));
    health = c.Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 503);
    EXPECT_NE(health->body.find("\"status\": \"unavailable\""), std::string::npos) << health->body;
    auto r = c.Post("/v1/login", h, login, std::string(sync::kContentType));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503);
    EXPECT_EQ(sync::DecodeErrorJson(r->body).code, "unavailable");
    EXPECT_EQ(r->body.find("10.0.0.5"), std::string::npos) << r->body;

    storage.FailWith(Status::Internal("SQL: no such column accounts.secret"));
    r = c.Post("/v1/login", h, login, std::string(sync::kContentType));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 500);
    const ErrorBody e = sync::DecodeErrorJson(r->body);
    EXPECT_EQ(e.code, "internal");
    EXPECT_EQ(r->body.find("SQL"), std::string::npos) << r->body;
    EXPECT_NE(e.message_en.find("your records stay on this device"), std::string::npos) << e.message_en;
    EXPECT_FALSE(e.message_ru.empty());

    storage.FailWith(std::nullopt);
    r = c.Post("/v1/login", h, login, std::string(sync::kContentType));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401) << "back to normal: an unknown login";
  }
  fs::remove_all(dir);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Dashboards (GET /v1/dashboard/...)
// -----------------------------------------------------------------------------------------

// Its own suite, so its pushes do not meet the other suites' (each suite makes its world).
class HttpDashboardTest : public HttpTest {
 protected:
  // The district view a device computes from the same records (the demo store).
  static std::string LocalDistrictJson() {
    auto config = Must(core::LoadDashboardConfig(MENTORLOG_ASSETS_DIR), "config");
    core::Dashboard d(config);
    Must(w().demo->records().ForEachLiveState([&](const core::RecordState& s) { return d.Apply(s); }), "feed");
    d.Refresh(w().demo->records().Today());
    return core::DistrictViewJson(d.district(), Language::kEnglish);
  }
};

TEST_F(HttpDashboardTest, TheCoordinatorSeesTheDistrictAsTheDeviceComputesIt) {
  const std::string token = SignIn(Who::kCoordinator, "dash-coordinator");
  const Answer a = GetRaw("/v1/dashboard/district?lang=en", As(token));
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.content_type, "application/json");
  EXPECT_EQ(a.body, LocalDistrictJson());
  EXPECT_NE(a.body.find("\"schools\":" + std::to_string(w().district_schools.size()) + ","), std::string::npos);
  // The demo's closed rounds, with their frozen indicators.
  EXPECT_NE(a.body.find("\"rounds\":[{\"id\":"), std::string::npos) << a.body;
  EXPECT_NE(a.body.find("\"kind\":\"final\""), std::string::npos);
  const Answer ru = GetRaw("/v1/dashboard/district", As(token));  // Russian unless asked
  ASSERT_EQ(ru.status, 200);
  EXPECT_NE(ru.body.find("Школы в сетевом взаимодействии"), std::string::npos);
}

TEST_F(HttpDashboardTest, AMentorSeesOnlyTheirSchools) {
  const std::string token = SignIn(Who::kMentor, "dash-mentor");
  const Answer a = GetRaw("/v1/dashboard/district?lang=en", As(token));
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_NE(a.body.find("\"schools\":" + std::to_string(w().mentor_schools.size()) + ","), std::string::npos);
  for (const Uuid& school : w().district_schools) {
    const bool mine = std::binary_search(w().mentor_schools.begin(), w().mentor_schools.end(), school);
    const Answer one = GetRaw("/v1/dashboard/schools/" + school.ToString() + "?lang=en", As(token));
    EXPECT_EQ(one.status, mine ? 200 : 404) << school.ToString() << " " << one.body;
    EXPECT_EQ(a.body.find(school.ToString()) != std::string::npos, mine) << school.ToString();
    if (mine) {
      EXPECT_EQ(one.body.rfind("{\"school_id\":\"" + school.ToString() + "\"", 0), 0u) << one.body;
    } else {
      EXPECT_TRUE(one.IsErrorJson()) << one.body;
    }
  }
}

TEST_F(HttpDashboardTest, RefusalsSayWhy) {
  const std::string admin = SignIn(Who::kAdmin, "dash-admin");
  EXPECT_EQ(GetRaw("/v1/dashboard/district", As(admin)).status, 403);
  EXPECT_EQ(GetRaw("/v1/dashboard/district").status, 401);
  const std::string token = SignIn(Who::kCoordinator, "dash-refusals");
  const Answer lang = GetRaw("/v1/dashboard/district?lang=de", As(token));
  EXPECT_EQ(lang.status, 400);
  EXPECT_NE(lang.Error().message_en.find("lang must be ru or en"), std::string::npos) << lang.body;
  // The code exactly: a locale name that starts like one is refused too.
  EXPECT_EQ(GetRaw("/v1/dashboard/district?lang=ru_RU", As(token)).status, 400);
  EXPECT_EQ(GetRaw("/v1/dashboard/district?lang=ru", As(token)).status, 200);
  const Answer id = GetRaw("/v1/dashboard/schools/not-a-school", As(token));
  EXPECT_EQ(id.status, 400);
  EXPECT_TRUE(id.IsErrorJson());
  RequestOptions old = As(token);
  old.protocol.reset();
  EXPECT_EQ(GetRaw("/v1/dashboard/district", old).status, 426);
}

// After a push, the next answer shows the new record: the cached dashboard took only the records
// written since, and equals one built from scratch.
TEST_F(HttpDashboardTest, APushedVisitShowsAtTheNextRequestAsIfBuiltFromScratch) {
  const std::string coordinator = SignIn(Who::kCoordinator, "dash-after-push");
  ASSERT_EQ(GetRaw("/v1/dashboard/district?lang=en", As(coordinator)).status, 200);  // cached now
  const Uuid school = w().mentor_schools.front();
  const std::string device = "dash-pusher";
  const std::string mentor = SignIn(Who::kMentor, device);
  const core::Date today =
      core::Date::FromUnixMillis(platform::DefaultClock().NowMillis(), platform::DefaultClock().UtcOffsetMinutes());
  const core::HlcStamp now = core::HlcStamp::FromParts(static_cast<uint64_t>(platform::DefaultClock().NowMillis()), 0);
  core::Change create;
  create.device_id = device;
  create.op_seq = 1;
  create.kind = core::RecordKind::kVisit;
  create.record_id = Uuid::MakeV7(platform::DefaultClock().NowMillis());
  create.stamp = now;
  create.fields.push_back(core::FieldChange{"school_id", school.ToString(), now, {}});
  create.fields.push_back(core::FieldChange{"date", today.ToString(), now, {}});
  create.fields.push_back(core::FieldChange{"visitor_ids", w().people.at(Who::kMentor).ToString(), now, {}});
  create.fields.push_back(
      core::FieldChange{"purposes", std::string(core::EnumCode(core::VisitPurpose::kDiagnostics)), now, {}});
  const Answer push = Post("/v1/push", sync::PushRequest{device, {create}}, As(mentor));
  ASSERT_EQ(push.status, 200) << push.body;
  ASSERT_TRUE(DecodeAs(push, &sync::DecodePushResponse).rejected.empty());

  const Answer after = GetRaw("/v1/dashboard/schools/" + school.ToString() + "?lang=en", As(coordinator));
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_NE(after.body.find("\"days_since_contact\":0,"), std::string::npos) << after.body.substr(0, 400);
  const Answer district = GetRaw("/v1/dashboard/district?lang=en", As(coordinator));
  ASSERT_EQ(district.status, 200);

  const Account account = Must(w().accounts->Authenticate(coordinator), "session").account;
  Dashboards fresh(*w().storage, *w().service, Must(core::LoadDashboardConfig(MENTORLOG_ASSETS_DIR), "config"),
                   platform::DefaultClock());
  EXPECT_EQ(district.body, Must(fresh.DistrictJson(account, Language::kEnglish), "fresh"));
}

// `serve` builds the coordinators' dashboards at start: their first request then reads only
// what was written since. A stop cancels the warm-up, and the scope is built at its request.
TEST_F(HttpDashboardTest, TheWarmUpBuildsTheCoordinatorsScopeBeforeItsFirstRequest) {
  const auto config = Must(core::LoadDashboardConfig(MENTORLOG_ASSETS_DIR), "config");
  const std::string coordinator = SignIn(Who::kCoordinator, "dash-warm-up");
  const Account account = Must(w().accounts->Authenticate(coordinator), "session").account;

  Dashboards warm(*w().storage, *w().service, config, platform::DefaultClock());
  const std::atomic<bool> go{false};
  Must(warm.WarmUp(go), "WarmUp");
  EXPECT_EQ(warm.builds(), 1);  // one coordinator's district
  const std::string en = Must(warm.DistrictJson(account, Language::kEnglish), "en");
  const std::string ru = Must(warm.DistrictJson(account, Language::kRussian), "ru");
  EXPECT_EQ(warm.builds(), 1);  // neither request read the district again, in either language
  EXPECT_NE(en.find("\"schools\":" + std::to_string(w().district_schools.size()) + ","), std::string::npos);
  EXPECT_NE(ru.find("Школы в сетевом взаимодействии"), std::string::npos);

  Dashboards stopped(*w().storage, *w().service, config, platform::DefaultClock());
  const std::atomic<bool> stop{true};
  EXPECT_EQ(stopped.WarmUp(stop).code(), StatusCode::kCancelled);
  EXPECT_EQ(stopped.builds(), 0);
  EXPECT_EQ(Must(stopped.DistrictJson(account, Language::kEnglish), "after a cancelled warm-up"), en);  // as warmed
  EXPECT_EQ(stopped.builds(), 1);
}

TEST(HttpStopTest, StartReportsAPortInUse) {
  char pattern[] = "/tmp/mentorlog-http-port-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const fs::path dir = pattern;
  {
    auto storage = Must(OpenSqliteStorage((dir / "central.db").string()), "open");
    SyncService service(*storage, ServiceOptions{});
    Accounts accounts(*storage, AccountsOptions{});
    HttpServer first(*storage, service, accounts, HttpServerOptions{});
    Must(first.Start(), "start the first");
    HttpServerOptions same;
    same.port = first.port();
    HttpServer second(*storage, service, accounts, same);
    const Status s = second.Start();
    EXPECT_EQ(s.code(), StatusCode::kUnavailable);
    EXPECT_NE(s.message().find(std::to_string(first.port())), std::string::npos) << s.message();
    HttpServerOptions tls;
    tls.tls_cert = (dir / "missing-cert.pem").string();
    tls.tls_key = (dir / "missing-key.pem").string();
    HttpServer third(*storage, service, accounts, tls);
    EXPECT_EQ(third.Start().code(), StatusCode::kInvalidInput);
    first.Stop();
    first.Stop();  // twice is fine
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace mentorlog::server
