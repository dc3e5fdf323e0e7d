// The central store's HTTP face (http_server.h, docs/http-api.md).
//
// [SECTION] Answers: ErrorBody, Status -> HTTP
// [SECTION] Request checks: protocol, token, body
// [SECTION] Routes
// [SECTION] Start and Stop

#include "http_server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <functional>
#include <mutex>
#include <optional>
#include <semaphore>
#include <utility>

#include "dashboards.h"
#include "login_throttle.h"
#include "mentorlog/domain/json_text.h"
#include "request_front.h"

namespace mentorlog::server {
namespace {

using sync::ErrorBody;

// -----------------------------------------------------------------------------------------
// [SECTION] Answers
// -----------------------------------------------------------------------------------------

constexpr const char* kJson = "application/json";

// A refusal before or instead of calling a service.
struct HttpError {
  int status = 500;
  ErrorBody body;
};

HttpError Refusal(int status, std::string code, std::string en, std::string ru) {
  return HttpError{status, ErrorBody{std::move(code), std::move(en), std::move(ru)}};
}

void Send(httplib::Response& res, const HttpError& e) {
  res.status = e.status;
  if (e.status == 401) res.set_header("WWW-Authenticate", "Bearer");
  res.set_content(sync::EncodeErrorJson(e.body), kJson);
}

std::string_view ErrorCodeFor(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 408:
      return "request_timeout";
    case 409:
      return "conflict";
    case 411:
      return "length_required";
    case 413:
      return "payload_too_large";
    case 415:
      return "unsupported_media_type";
    case 426:
      return "upgrade_required";
    case 429:
      return "too_many_requests";
    case 431:
      return "header_too_large";
    case 503:
      return "unavailable";
    default:
      return "internal";
  }
}

int HttpStatusOf(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidInput:
    case StatusCode::kCorruption:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kConflict:
      return 409;
    case StatusCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

HttpError InternalProblem() {
  return Refusal(500, "internal",
                 "The server had an internal problem and did not finish this request. Nothing is lost: your records "
                 "stay on this device. Try again later, and tell your coordinator if it keeps happening.",
                 "На сервере произошла внутренняя ошибка, запрос не выполнен. Ничего не потеряно: ваши записи остаются "
                 "на этом устройстве. Попробуйте позже и сообщите координатору, если ошибка повторяется.");
}

HttpError StorageUnavailable() {
  return Refusal(503, "unavailable",
                 "The server cannot reach its database right now. Try again in a few minutes; your records stay on "
                 "this device.",
                 "Сервер сейчас не может обратиться к своей базе данных. Попробуйте через несколько минут; ваши записи "
                 "остаются на этом устройстве.");
}

// A service's Status as an answer. 5xx details go to the log only: they may name files,
// hosts or SQL, which are nobody's business but the operator's.
HttpError FromStatus(const Status& s, const httplib::Request& req) {
  const int status = HttpStatusOf(s.code());
  if (status == 503) {
    spdlog::warn("{} {}: storage unavailable: {}", LogSafe(req.method, 16), LogSafe(req.path), s.message());
    return StorageUnavailable();
  }
  if (status >= 500) {
    spdlog::error("{} {}: {}", LogSafe(req.method, 16), LogSafe(req.path), s.message());
    return InternalProblem();
  }
  return HttpError{status, ErrorBody{std::string(ErrorCodeFor(status)), s.message(Language::kEnglish),
                                     s.message(Language::kRussian)}};
}

// -----------------------------------------------------------------------------------------
// [SECTION] Request checks
// -----------------------------------------------------------------------------------------

std::optional<HttpError> CheckProtocol(const httplib::Request& req) {
  const std::string header(sync::kProtocolHeader);
  const auto too_old = [] {
    return Refusal(426, "upgrade_required",
                   "This version of MentorLog is too old for the server. Update the app, then sync again; your "
                   "records stay on this device until then.",
                   "Эта версия MentorLog слишком старая для сервера. Обновите приложение и снова запустите "
                   "синхронизацию; до тех пор ваши записи остаются на этом устройстве.");
  };
  if (!req.has_header(header.c_str())) return too_old();
  const std::string text = req.get_header_value(header.c_str());
  uint32_t version = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Refusal(400, "bad_request", header + " must be a whole number, not «" + text + "».",
                   header + " должен быть целым числом, а не «" + text + "».");
  }
  if (version < sync::kOldestProtocol) return too_old();
  if (version > sync::kProtocolVersion) {
    const std::string mine = std::to_string(sync::kProtocolVersion);
    return Refusal(400, "server_outdated",
                   "This app is newer than the server (protocol " + text + "; the server speaks up to " + mine +
                       "). Ask your coordinator to update the server; your records stay on this device until then.",
                   "Приложение новее сервера (протокол " + text + ", сервер понимает до " + mine +
                       "). Попросите координатора обновить сервер; до тех пор ваши записи остаются на этом "
                       "устройстве.");
  }
  return std::nullopt;
}

// The body of a /v1 request, unpacked: Content-Type, then the zstd frame within bounds.
Result<std::string> UnpackBody(const httplib::Request& req, const std::string& body, size_t max_bytes,
                               std::optional<HttpError>& refusal) {
  std::string type = req.get_header_value("Content-Type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  if (type != sync::kContentType) {
    const std::string want(sync::kContentType);
    refusal = Refusal(415, "unsupported_media_type",
                      "The request body must be " + want + " (a zstd frame), not «" + type + "».",
                      "Тело запроса должно быть " + want + " (кадр zstd), а не «" + type + "».");
    return Status::InvalidInput("content type");
  }
  Result<std::string> bytes = sync::Decompress(body, max_bytes);
  if (!bytes.ok()) {
    // Decompress says "... allowed" when the frame is (or unpacks to) more than max_bytes.
    const std::string why = bytes.status().message();
    if (why.find(" allowed") != std::string::npos) {
      refusal = Refusal(413, "payload_too_large",
                        "The request is too large (" + why +
                            "). Sync sends smaller batches; update the app if this "
                            "keeps happening.",
                        "Запрос слишком большой (" + why +
                            "). Синхронизация отправляет данные частями; обновите "
                            "приложение, если это повторяется.");
    } else {
      refusal = Refusal(400, "bad_request", "The request body could not be read: " + why + ".",
                        "Не удалось прочитать тело запроса: " + why + ".");
    }
    return bytes.status();
  }
  return bytes;
}

HttpError Undecodable(const Status& s) {
  return Refusal(400, "bad_request", "The request could not be decoded: " + s.message() + ".",
                 "Не удалось разобрать запрос: " + s.message() + ".");
}

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] Routes
// -----------------------------------------------------------------------------------------

class HttpServer::Routes {
 public:
  Routes(Storage& storage, SyncService& service, Accounts& accounts, const HttpServerOptions& options,
         core::DashboardConfig dashboard_config)
      : storage_(storage),
        service_(service),
        accounts_(accounts),
        max_body_bytes_(options.max_body_bytes),
        dashboard_config_(std::move(dashboard_config)),
        clock_(options.clock != nullptr ? *options.clock : platform::DefaultClock()),
        storage_kind_(storage.Describe().substr(0, storage.Describe().find(':'))),
        work_slots_(std::max(1, options.threads)),
        hash_slots_(std::max(1, options.concurrent_logins)),
        hash_wait_(options.login_wait),
        throttle_(options.login_throttle) {}

  void Install(httplib::Server& server) {
    server.Get("/healthz", [this](const httplib::Request& req, httplib::Response& res) { Healthz(req, res); });
    server.Post("/v1/login", V1Post([this](const Request& r, const std::string& body, httplib::Response& res) {
                  Login(r, body, res);
                }));
    server.Post("/v1/logout", V1Post([this](const Request& r, const std::string&, httplib::Response& res) {
                  WorkSlot slot(work_slots_);
                  Logout(r, res);
                }));
    server.Post("/v1/push", V1Post([this](const Request& r, const std::string& body, httplib::Response& res) {
                  WorkSlot slot(work_slots_);
                  Push(r, body, res);
                }));
    server.Post("/v1/pull", V1Post([this](const Request& r, const std::string& body, httplib::Response& res) {
                  WorkSlot slot(work_slots_);
                  Pull(r, body, res);
                }));
    server.Get("/v1/dashboard/district", [this](const httplib::Request& req, httplib::Response& res) {
      if (!V1Checks(req, res)) return;
      WorkSlot slot(work_slots_);
      Dashboard(req, res, std::nullopt);
    });
    server.Get(R"(/v1/dashboard/schools/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      if (!V1Checks(req, res)) return;
      WorkSlot slot(work_slots_);
      Result<Uuid> id = Uuid::Parse(req.matches[1].str());
      if (!id.ok()) {
        return Send(res, Refusal(400, "bad_request", "«" + req.matches[1].str() + "» is not a school id.",
                                 "«" + req.matches[1].str() + "» — не идентификатор школы."));
      }
      Dashboard(req, res, *id);
    });
    server.Get("/v1/admin/users", [this](const httplib::Request& req, httplib::Response& res) {
      if (!V1Checks(req, res)) return;
      WorkSlot slot(work_slots_);
      AdminUsers(req, res);
    });
  }

  // The coordinators' dashboards, built now (HttpServerOptions::warm_dashboards).
  void WarmDashboards(const std::atomic<bool>& cancel) {
    Result<Dashboards*> dashboards = DashboardsOnce();
    Status warmed = dashboards.ok() ? (*dashboards)->WarmUp(cancel) : dashboards.status();
    if (!warmed.ok() && warmed.code() != StatusCode::kCancelled) {
      spdlog::warn("dashboards: not built at start ({}); each is built at its first request", warmed.message());
    }
  }

 private:
  using Request = httplib::Request;
  using BodyHandler = std::function<void(const Request&, const std::string& body, httplib::Response&)>;
  using Slots = std::counting_semaphore<1 << 16>;

  // One of the `threads` requests that work on the storage at once (push, pull, dashboards,
  // logout, admin): the connection threads are many, the storage's connections are not.
  class WorkSlot {
   public:
    explicit WorkSlot(Slots& slots) : slots_(slots) { slots_.acquire(); }
    ~WorkSlot() { slots_.release(); }
    WorkSlot(const WorkSlot&) = delete;
    WorkSlot& operator=(const WorkSlot&) = delete;

   private:
    Slots& slots_;
  };

  // Every /v1 answer names the server's protocol; every /v1 request must name the client's.
  // Returns false when the answer is already made.
  static bool V1Checks(const Request& req, httplib::Response& res) {
    res.set_header(std::string(sync::kProtocolHeader), std::to_string(sync::kProtocolVersion));
    if (auto refusal = CheckProtocol(req)) {
      Send(res, *refusal);
      return false;
    }
    return true;
  }

  // A POST whose body this layer reads itself, up to max_body_bytes_, before anything else:
  // cpp-httplib 0.11 would read a chunked (or gzip-encoded) body without any bound, and an
  // answer sent while the body is still unread can be lost to the TCP reset of the close.
  httplib::Server::HandlerWithContentReader V1Post(BodyHandler inner) {
    return [this, inner = std::move(inner)](const Request& req, httplib::Response& res,
                                            const httplib::ContentReader& reader) {
      std::string body;
      bool too_large = false;
      const bool read = reader([&](const char* data, size_t n) {
        if (body.size() + n > max_body_bytes_) {
          too_large = true;
          return false;
        }
        body.append(data, n);
        return true;
      });
      if (too_large || res.status == 413) {
        return Send(res, Refusal(413, "payload_too_large",
                                 "The request is too large (more than " + std::to_string(max_body_bytes_) + " bytes).",
                                 "Запрос слишком большой (больше " + std::to_string(max_body_bytes_) + " байт)."));
      }
      if (!read) {
        return Send(res, Refusal(400, "bad_request", "The request body could not be read (cut short, or bad chunks).",
                                 "Не удалось прочитать тело запроса (оно оборвалось или повреждено)."));
      }
      if (!V1Checks(req, res)) return;
      inner(req, body, res);
    };
  }

  Result<Session> SessionOf(const httplib::Request& req) {
    const std::string header = req.get_header_value("Authorization");
    constexpr std::string_view kScheme = "Bearer ";
    if (header.size() <= kScheme.size() ||
        !std::equal(kScheme.begin(), kScheme.end(), header.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return Status::Unauthenticated(
          Bilingual("This request needs a sign-in. Sign in again; your unsynced work stays on this device until then.",
                    "Для этого запроса нужно войти. Войдите снова; несинхронизированные записи до тех пор остаются "
                    "на этом устройстве."));
    }
    std::string_view token = std::string_view(header).substr(kScheme.size());
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    return accounts_.Authenticate(token);
  }

  // The session of a request that wants records (mentor, tutor, coordinator), or the answer.
  std::optional<Session> RecordSession(const httplib::Request& req, httplib::Response& res) {
    Result<Session> session = SessionOf(req);
    if (!session.ok()) {
      Send(res, FromStatus(session.status(), req));
      return std::nullopt;
    }
    if (!service_.SeesRecords(session->account)) {
      Send(res, Refusal(403, "forbidden",
                        "An administrator's account manages accounts and has no records to sync. Sign in with a "
                        "mentor, tutor or coordinator account to sync.",
                        "Учётная запись администратора управляет учётными записями, и синхронизировать ей нечего. "
                        "Для синхронизации войдите как наставник, тьютор или координатор."));
      return std::nullopt;
    }
    return std::move(session).value();
  }

  static std::optional<HttpError> CheckDevice(const Session& session, const std::string& device_id) {
    if (device_id == session.device_id) return std::nullopt;
    return Refusal(403, "forbidden",
                   "This sign-in belongs to another device. Sign in again on this device; your records stay here.",
                   "Этот вход выполнен с другого устройства. Войдите снова на этом устройстве; ваши записи остаются "
                   "здесь.");
  }

  template <class M>
  static void SendMessage(httplib::Response& res, const M& message) {
    res.status = 200;
    res.set_content(sync::Compress(sync::Encode(message)), std::string(sync::kContentType));
  }

  // Unpacks and decodes the body as `decode` says; on failure the answer is already set.
  template <class M>
  std::optional<M> Body(const httplib::Request& req, const std::string& body, httplib::Response& res,
                        Result<M> (*decode)(std::string_view), size_t max_bytes = 0) const {
    std::optional<HttpError> refusal;
    Result<std::string> bytes = UnpackBody(req, body, max_bytes > 0 ? max_bytes : max_body_bytes_, refusal);
    if (!bytes.ok()) {
      Send(res, refusal ? *refusal : Undecodable(bytes.status()));
      return std::nullopt;
    }
    Result<M> message = decode(*bytes);
    if (!message.ok()) {
      Send(res, Undecodable(message.status()));
      return std::nullopt;
    }
    return std::move(message).value();
  }

  void Healthz(const httplib::Request& req, httplib::Response& res) {
    Status s = storage_.Read([](StorageTx& tx) { return tx.MaxSeq().status(); });
    if (!s.ok()) spdlog::warn("{} {}: storage check failed: {}", req.method, req.path, s.message());
    res.status = s.ok() ? 200 : 503;
    res.set_content(std::string("{\"status\": ") + (s.ok() ? "\"ok\"" : "\"unavailable\"") +
                        ", \"protocol\": " + std::to_string(sync::kProtocolVersion) +
                        ", \"storage\": " + core::JsonString(storage_kind_) + "}",
                    kJson);
  }

  // A sign-in: throttled per account and address (LoginThrottle) before its password is
  // hashed, and hashed on one of `concurrent_logins` slots, apart from the work slots, so that
  // a flood of sign-ins neither reaches Argon2id nor delays a sync.
  void Login(const httplib::Request& req, const std::string& body, httplib::Response& res) {
    std::optional<sync::LoginRequest> request = Body(req, body, res, &sync::DecodeLoginRequest, kMaxLoginBytes);
    if (!request) return;
    if (const int64_t wait = throttle_.RetryAfterSeconds(request->login, req.remote_addr); wait > 0) {
      spdlog::warn("{}: sign-in of «{}» refused for {} s: too many failed sign-ins", LogSafe(req.remote_addr),
                   LogSafe(request->login, 64), wait);
      return SendThrottled(res, wait);
    }
    if (!hash_slots_.try_acquire_for(hash_wait_)) {
      res.set_header("Retry-After", "10");
      return Send(res, Refusal(503, "unavailable", "The server is busy signing other people in. Try again in a minute.",
                               "Сервер сейчас занят входом других пользователей. Попробуйте через минуту."));
    }
    Result<sync::LoginResponse> answer = [&] {
      struct Release {
        Slots& slots;
        ~Release() { slots.release(); }
      } release{hash_slots_};
      return accounts_.Login(*request);
    }();
    if (!answer.ok()) {
      if (answer.status().code() == StatusCode::kUnauthenticated) throttle_.Failed(request->login, req.remote_addr);
      return Send(res, FromStatus(answer.status(), req));
    }
    throttle_.Succeeded(request->login);
    spdlog::info("signed in: {} ({}) on device {}", LogSafe(request->login, 64), sync::RoleCode(answer->role),
                 LogSafe(request->device_id, 64));
    SendMessage(res, *answer);
  }

  static void SendThrottled(httplib::Response& res, int64_t wait_seconds) {
    const std::string s = std::to_string(wait_seconds);
    res.set_header("Retry-After", s);
    Send(res, Refusal(429, "too_many_requests",
                      "Too many failed sign-ins. Wait " + s +
                          " s, then sign in again with the right password; ask your coordinator if you forgot it.",
                      "Слишком много неудачных попыток входа. Подождите " + s +
                          " с и войдите снова с правильным паролем; если вы его забыли, обратитесь к координатору."));
  }

  void Logout(const httplib::Request& req, httplib::Response& res) {
    Result<Session> session = SessionOf(req);
    if (!session.ok()) return Send(res, FromStatus(session.status(), req));
    if (Status s = accounts_.Logout(*session); !s.ok()) return Send(res, FromStatus(s, req));
    res.status = 204;
  }

  void Push(const httplib::Request& req, const std::string& body, httplib::Response& res) {
    std::optional<Session> session = RecordSession(req, res);
    if (!session) return;
    std::optional<sync::PushRequest> request = Body(req, body, res, &sync::DecodePushRequest);
    if (!request) return;
    if (auto refusal = CheckDevice(*session, request->device_id)) return Send(res, *refusal);
    Result<sync::PushResponse> answer = service_.Push(*session, *request);
    if (!answer.ok()) return Send(res, FromStatus(answer.status(), req));
    spdlog::debug("push by {} from {}: {} change(s), acked {}, rejected {}", session->account.login,
                  LogSafe(request->device_id, 64), request->changes.size(), answer->acked_op_seq,
                  answer->rejected.size());
    SendMessage(res, *answer);
  }

  void Pull(const httplib::Request& req, const std::string& body, httplib::Response& res) {
    std::optional<Session> session = RecordSession(req, res);
    if (!session) return;
    std::optional<sync::PullRequest> request = Body(req, body, res, &sync::DecodePullRequest);
    if (!request) return;
    if (auto refusal = CheckDevice(*session, request->device_id)) return Send(res, *refusal);
    Result<sync::PullResponse> answer = service_.Pull(*session, *request);
    if (!answer.ok()) return Send(res, FromStatus(answer.status(), req));
    spdlog::debug("pull by {} from {}: {} record(s), {} conflict(s), more={}", session->account.login,
                  LogSafe(request->device_id, 64), answer->records.size(), answer->conflicts.size(), answer->more);
    SendMessage(res, *answer);
  }

  // GET /v1/dashboard/district and /v1/dashboard/schools/<id>: JSON of the caller's scope.
  void Dashboard(const httplib::Request& req, httplib::Response& res, const std::optional<Uuid>& school) {
    std::optional<Session> session = RecordSession(req, res);
    if (!session) return;
    // The language's code exactly ("ru_RU" is refused though LanguageFromCode reads it).
    const std::string code = req.has_param("lang") ? req.get_param_value("lang") : "ru";
    const std::optional<Language> language = LanguageFromCode(code);
    if (!language || LanguageCode(*language) != code) {
      return Send(res, Refusal(400, "bad_request", "lang must be ru or en, not «" + code + "».",
                               "lang должен быть ru или en, а не «" + code + "»."));
    }
    Result<Dashboards*> dashboards = DashboardsOnce();
    if (!dashboards.ok()) return Send(res, FromStatus(dashboards.status(), req));
    Result<std::string> json = school ? (*dashboards)->SchoolJson(session->account, *school, *language)
                                      : (*dashboards)->DistrictJson(session->account, *language);
    if (!json.ok()) return Send(res, FromStatus(json.status(), req));
    res.status = 200;
    res.set_content(*json, kJson);
  }

  // The dashboards, made at the first request (or the warm-up at start).
  Result<Dashboards*> DashboardsOnce() {
    std::lock_guard lock(dashboards_mu_);
    if (!dashboards_) dashboards_ = std::make_unique<Dashboards>(storage_, service_, dashboard_config_, clock_);
    return dashboards_.get();
  }

  void AdminUsers(const httplib::Request& req, httplib::Response& res) {
    Result<Session> session = SessionOf(req);
    if (!session.ok()) return Send(res, FromStatus(session.status(), req));
    if (session->account.role != Role::kAdmin) {
      return Send(res, Refusal(403, "forbidden", "Only an administrator can list the accounts.",
                               "Список учётных записей доступен только администратору."));
    }
    Result<std::vector<Account>> accounts = accounts_.List();
    if (!accounts.ok()) return Send(res, FromStatus(accounts.status(), req));
    std::string out = "{\"users\": [";
    bool first = true;
    for (const Account& a : *accounts) {
      out += first ? "\n  " : ",\n  ";
      first = false;
      out += "{\"login\": " + core::JsonString(a.login) + ", \"role\": " + core::JsonString(sync::RoleCode(a.role)) +
             ", \"person_id\": " + (a.person_id ? core::JsonString(a.person_id->ToString()) : std::string("null")) +
             ", \"district\": " + core::JsonString(a.district) + ", \"disabled\": " + (a.disabled ? "true" : "false") +
             ", \"demo\": " + (a.demo ? "true" : "false") +
             ", \"created_millis\": " + std::to_string(a.created_millis) + "}";
    }
    out += first ? "]}" : "\n]}";
    res.status = 200;
    res.set_content(out, kJson);
  }

  Storage& storage_;
  SyncService& service_;
  Accounts& accounts_;
  size_t max_body_bytes_;
  const core::DashboardConfig dashboard_config_;  // read by Start: a server does not start without it
  const mentorlog::Clock& clock_;
  std::string storage_kind_;
  std::mutex dashboards_mu_;
  std::unique_ptr<Dashboards> dashboards_;
  Slots work_slots_;
  Slots hash_slots_;
  std::chrono::milliseconds hash_wait_;
  LoginThrottle throttle_;
};

// -----------------------------------------------------------------------------------------
// [SECTION] Start and Stop
// -----------------------------------------------------------------------------------------

HttpServer::HttpServer(Storage& storage, SyncService& service, Accounts& accounts, HttpServerOptions options)
    : storage_(storage), service_(service), accounts_(accounts), options_(std::move(options)) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  if (options_.tls_cert.empty() != options_.tls_key.empty()) {
    return Status::InvalidInput("TLS needs both a certificate and its key");
  }
  // The dashboards' configuration, read once, before the server listens: it does not start with
  // one it cannot read (the error names the file, the line and the key).
  ASSIGN_OR_RETURN(core::DashboardConfig dashboard_config, core::LoadDashboardConfig(options_.assets_dir));
  FrontLimits limits = options_.front;
  // Each connection is a descriptor: take the process's whole allowance, and keep the cap
  // within it (with room for the storage's files and connections).
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0) {
    if (files.rlim_cur < files.rlim_max) {
      files.rlim_cur = files.rlim_max;
      (void)::setrlimit(RLIMIT_NOFILE, &files);
    }
    constexpr rlim_t kReserved = 128;
    if (files.rlim_cur != RLIM_INFINITY && limits.max_connections + kReserved > files.rlim_cur) {
      limits.max_connections = files.rlim_cur > 2 * kReserved ? files.rlim_cur - kReserved : files.rlim_cur / 2;
      limits.max_connections_per_address = std::min(limits.max_connections_per_address, limits.max_connections);
      spdlog::warn("connections: at most {} open (the process may open {} files)", limits.max_connections,
                   files.rlim_cur);
    }
  }
  const size_t max_body = options_.max_body_bytes;
  limits.body_limit = [max_body](std::string_view method, std::string_view path) -> size_t {
    if (method != "POST") return 0;
    if (path == "/v1/push" || path == "/v1/pull") return max_body;
    if (path == "/v1/login" || path == "/v1/logout") return kMaxLoginBytes;
    return 0;
  };
  front_ = std::make_unique<FrontState>(std::move(limits));
  if (tls()) {
    auto ssl = NewBoundedTlsServer(*front_, options_.tls_cert, options_.tls_key);
    if (!ssl->is_valid()) {
      return Status::InvalidInput("cannot use the TLS certificate " + options_.tls_cert + " with the key " +
                                  options_.tls_key +
                                  ": check that both files exist, are PEM, and that the key belongs to the "
                                  "certificate");
    }
    server_ = std::move(ssl);
  } else {
    server_ = NewBoundedServer(*front_);
  }
  httplib::Server& server = *server_;
  // A thread per connection (the front caps how many): a slow client holds its own thread
  // only. The requests that work on the storage take one of `threads` slots (Routes).
  server.new_task_queue = [] { return NewConnectionThreads(); };
  // What cpp-httplib writes in Keep-Alive; the front enforces both.
  server.set_keep_alive_timeout(
      std::max<time_t>(1, std::chrono::duration_cast<std::chrono::seconds>(options_.front.keep_alive_timeout).count()));
  server.set_keep_alive_max_count(options_.front.keep_alive_max_requests);
  server.set_payload_max_length(options_.max_body_bytes);
  // An answer goes out as headers then body: with Nagle's algorithm the body waits for the
  // client's delayed ACK, ~40 ms per request (half the time of a 500-record batch on a LAN).
  server.set_tcp_nodelay(true);

  // A POST with neither a length nor chunks is read until the client closes: refuse it at
  // once instead of holding a thread for the read timeout (no body was sent, so nothing is lost).
  server.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (req.method == "POST" && !req.has_header("Content-Length") && !req.has_header("Transfer-Encoding")) {
      Send(res, Refusal(411, "length_required", "Send the request with a Content-Length.",
                        "Отправьте запрос с заголовком Content-Length."));
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // cpp-httplib sets SO_REUSEPORT, which lets a second server take the same port and half of
  // the connections; SO_REUSEADDR alone still allows a restart right after a crash.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // Answers cpp-httplib makes by itself (404, 413, 400 for a malformed request) get our body.
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    const std::string code(ErrorCodeFor(res.status));
    if (res.status == 404) {
      Send(res, Refusal(404, code, "There is nothing at " + req.method + " " + req.path + " on this server.",
                        "На этом сервере нет адреса " + req.method + " " + req.path + "."));
    } else if (res.status == 413) {
      Send(res,
           Refusal(413, code, "The request is too large (more than " + std::to_string(sync::kMaxBodyBytes) + " bytes).",
                   "Запрос слишком большой (больше " + std::to_string(sync::kMaxBodyBytes) + " байт)."));
    } else if (res.status < 500) {
      Send(res, Refusal(res.status, code, "The request could not be read.", "Не удалось прочитать запрос."));
    } else {
      const int status = res.status;
      Send(res, InternalProblem());
      res.status = status;
    }
  });
  server.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      spdlog::error("{} {}: exception: {}", LogSafe(req.method, 16), LogSafe(req.path), e.what());
    } catch (...) {
      spdlog::error("{} {}: unknown exception", LogSafe(req.method, 16), LogSafe(req.path));
    }
    Send(res, InternalProblem());
  });
  server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    const auto level = res.status >= 500   ? spdlog::level::err
                       : res.status >= 400 ? spdlog::level::warn
                                           : spdlog::level::debug;
    spdlog::log(level, "{} {} {} -> {} ({} bytes in, {} out)", LogSafe(req.remote_addr), LogSafe(req.method, 16),
                LogSafe(req.path), res.status, req.body.size(), res.body.size());
  });

  routes_ = std::make_unique<Routes>(storage_, service_, accounts_, options_, std::move(dashboard_config));
  routes_->Install(server);

  if (options_.port == 0) {
    port_ = server.bind_to_any_port(options_.host);
  } else {
    port_ = server.bind_to_port(options_.host, options_.port) ? options_.port : -1;
  }
  if (port_ <= 0) {
    server_.reset();
    return Status::Unavailable("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                               ": the address is in use, not this machine's, or needs more permissions");
  }
  // cpp-httplib listens with a backlog of 5: a burst of connections (a school's devices at
  // 9:00) would see refusals before the front could answer them.
  SetListenBacklog(server, options_.front.listen_backlog);
  PurgeTokens();
  auto exited = std::make_shared<std::atomic<bool>>(false);
  listener_ = std::thread([&server, exited] {
    server.listen_after_bind();
    exited->store(true);
  });
  // Stop() must not run before the accept loop does, or cpp-httplib would miss it.
  while (!server.is_running() && !exited->load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (exited->load()) {
    listener_.join();
    server_.reset();
    return Status::Unavailable("the server stopped as soon as it started on " + options_.host + ":" +
                               std::to_string(port_));
  }
  if (options_.warm_dashboards) warm_up_ = std::thread([this] { routes_->WarmDashboards(stopping_); });
  purger_ = std::thread([this] {
    std::unique_lock lock(purge_mu_);
    while (!purge_cv_.wait_for(lock, options_.token_purge_interval, [this] { return stopping_.load(); })) {
      lock.unlock();
      PurgeTokens();
      lock.lock();
    }
  });
  return Status::Ok();
}

void HttpServer::PurgeTokens() {
  const mentorlog::Clock& clock = options_.clock != nullptr ? *options_.clock : platform::DefaultClock();
  int64_t purged = 0;
  Status s = storage_.Write([&](StorageTx& tx) {
    ASSIGN_OR_RETURN(purged, tx.PurgeTokens(clock.NowMillis()));
    return Status::Ok();
  });
  if (!s.ok()) {
    spdlog::warn("tokens: expired and revoked tokens not deleted ({}); tried again later", s.message());
  } else if (purged > 0) {
    spdlog::info("tokens: {} expired or revoked token(s) deleted", purged);
  }
}

void HttpServer::Stop() {
  if (!server_) return;
  {
    std::lock_guard lock(purge_mu_);
    stopping_.store(true);
  }
  purge_cv_.notify_all();
  if (purger_.joinable()) purger_.join();
  if (warm_up_.joinable()) warm_up_.join();  // it stops between two schools
  // stop() closes the listening socket; listen_after_bind() then waits for the connections'
  // threads: those waiting for a request end within 200 ms (FrontState::Stop), those serving
  // one finish it and write its answer.
  if (front_) front_->Stop();
  server_->stop();
  if (listener_.joinable()) listener_.join();
  server_.reset();
}

}  // namespace mentorlog::server
