// The sync client (client.h): the push and pull loops, retries with backoff, and the
// translation of HTTP answers into Status values a mentor can act on.
//
// [SECTION] Messages
// [SECTION] One request, with retries
// [SECTION] SyncClient
// [SECTION] Login and Logout

#include "mentorlog/sync/client.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <set>
#include <thread>

#include "http_transport.h"
#include "mentorlog/sync/device.h"

namespace mentorlog::sync {

namespace {

// -----------------------------------------------------------------------------------------
// [SECTION] Messages
// -----------------------------------------------------------------------------------------

// A message in both languages, English first as the code reads.
LocalText Local(std::string_view en, std::string_view ru) { return LocalText{std::string(ru), std::string(en)}; }

// Which endpoint a request goes to: the same HTTP status means different things to the user.
enum class Endpoint { kLogin, kLogout, kSync };

LocalText SignInAgain() {
  return Local("Sign in again (mentorlog-cli login …); your unsynced records stay on this device.",
               "Войдите снова (mentorlog-cli login …); несинхронизированные записи остаются на этом устройстве.");
}

LocalText NoConnection(Endpoint endpoint, const LocalText& detail) {
  if (endpoint == Endpoint::kSync) {
    return Local("No connection to the server (", "Нет связи с сервером (") + detail +
           Local("); your records are saved on this device and will be sent at the next sync.",
                 "); записи сохранены на этом устройстве и будут отправлены при следующей синхронизации.");
  }
  return Local("No connection to the server (", "Нет связи с сервером (") + detail +
         Local("); check the address and the network, and try again.", "); проверьте адрес и сеть и попробуйте снова.");
}

LocalText Stopped(Endpoint endpoint) {
  if (endpoint == Endpoint::kSync) {
    return Local("Sync stopped; nothing is lost, run sync again.",
                 "Синхронизация остановлена; ничего не потеряно, запустите её снова.");
  }
  return Local("Stopped.", "Остановлено.");
}

// DecodeErrorJson, kept from throwing: std::stoi on a malformed "\u" escape in a body from a
// proxy would otherwise carry an exception out of this library.
ErrorBody ReadErrorBody(std::string_view body) {
  try {
    return DecodeErrorJson(body);
  } catch (const std::exception&) {
    return DecodeErrorJson("");
  }
}

// The Status for an answered request that was not 2xx and will not be retried.
Status StatusForAnswer(long http_status, std::string_view body, Endpoint endpoint) {
  const ErrorBody error = ReadErrorBody(body);
  const LocalText message{error.message_ru, error.message_en};
  switch (http_status) {
    case 401:
      return Status::Unauthenticated(endpoint == Endpoint::kLogin ? message : SignInAgain());
    case 403:
      return Status::PermissionDenied(message);
    case 426:
      return Status::Unsupported(message);
    default:
      break;
  }
  if (http_status >= 400 && http_status < 500) return Status::InvalidInput(message);
  // 1xx (other than what curl handles), 3xx: we follow no redirects; the address is wrong.
  return Status::InvalidInput(Local("The server answered HTTP ", "Сервер ответил HTTP ") + std::to_string(http_status) +
                              Local(" instead of an answer; check the server address (https://…).",
                                    " вместо ответа; проверьте адрес сервера (https://…)."));
}

bool IsRetryableStatus(long http_status) { return http_status >= 500 || http_status == 429; }

// An answer a working server never gives: what it was, whose fault, and what to do.
LocalText ServerFault(std::string_view what_en, std::string_view what_ru) {
  return Local(what_en, what_ru) +
         Local(
             " This is a fault of the server, not of this device: sync stopped, and every change not yet "
             "confirmed stays on this device. Try again later; if it happens again, tell your coordinator.",
             " Это ошибка сервера, а не этого устройства: синхронизация остановлена, неподтверждённые изменения "
             "остаются на этом устройстве. Попробуйте позже; если повторится, сообщите координатору.");
}

Status Unreadable(const Status& why) {
  return Status::Corruption(Local("The server's answer could not be read: ", "Ответ сервера не читается: ") +
                            why.local_message());
}

// -----------------------------------------------------------------------------------------
// [SECTION] One request, with retries
// -----------------------------------------------------------------------------------------

bool IsCancelled(const ClientOptions& options) { return options.cancel != nullptr && options.cancel->load(); }

uint64_t SeedOf(const ClientOptions& options) {
  if (options.jitter_seed != 0) return options.jitter_seed;
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

// Waits `millis`, waking every 100 ms to look at the cancel flag. False when cancelled.
bool SleepUnlessCancelled(const ClientOptions& options, int64_t millis) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(millis);
  while (true) {
    if (IsCancelled(options)) return false;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return true;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(deadline - now, std::chrono::milliseconds(100)));
  }
}

// The wait before attempt `attempt` + 1 (attempt counts from 1): full jitter over an
// exponentially growing window, at least what the server asked for with Retry-After.
int64_t BackoffMillis(const ClientOptions& options, int attempt, int64_t retry_after_ms, std::mt19937_64& rng) {
  const int64_t cap = std::max<int64_t>(0, options.backoff_max_ms);
  int64_t window = std::max<int64_t>(0, options.backoff_base_ms);
  for (int i = 1; i < attempt && window < cap; ++i) window *= 2;
  window = std::min(window, cap);
  std::uniform_int_distribution<int64_t> pick(0, window);
  int64_t wait = pick(rng);
  if (retry_after_ms >= 0) wait = std::max(wait, std::min(retry_after_ms, cap));
  return wait;
}

// POSTs `body` until it gets a 2xx answer (returned), a failure a retry cannot fix, or
// max_attempts failures. Counts bytes, retries and the last error in `progress`, and calls
// `on_retry` before each wait.
Result<std::string> PostWithRetries(HttpTransport& transport, const ClientOptions& options, Endpoint endpoint,
                                    std::mt19937_64& rng, std::string_view path, std::string_view body,
                                    SyncProgress& progress, const std::function<void()>& on_retry) {
  const int attempts = std::max(1, options.max_attempts);
  const std::string_view token = endpoint == Endpoint::kLogin ? std::string_view() : options.token;
  for (int attempt = 1;; ++attempt) {
    if (IsCancelled(options)) return Status::Cancelled(Stopped(endpoint));
    HttpExchange x = transport.Post(path, body, token);
    progress.bytes_up += x.bytes_up;
    progress.bytes_down += x.bytes_down;
    LocalText why;
    if (x.answered) {
      if (x.http_status >= 200 && x.http_status < 300) {
        progress.last_error = LocalText{};
        return std::move(x.body);
      }
      if (!IsRetryableStatus(x.http_status)) return StatusForAnswer(x.http_status, x.body, endpoint);
      const ErrorBody error = ReadErrorBody(x.body);
      why = Local("the server answered ", "сервер ответил ") + std::to_string(x.http_status) + ": " +
            LocalText{error.message_ru, error.message_en};
    } else {
      if (x.error.code() == StatusCode::kCancelled) return Status::Cancelled(Stopped(endpoint));
      if (!x.retryable) {
        if (x.error.code() == StatusCode::kUnavailable) {
          return Status::Unavailable(NoConnection(endpoint, x.error.local_message()));
        }
        return x.error;
      }
      why = x.error.local_message();
    }
    progress.last_error = why;
    if (attempt >= attempts) {
      return Status::Unavailable(NoConnection(endpoint, why + Local("; tried ", "; попыток: ") +
                                                            std::to_string(attempt) +
                                                            Local(attempt == 1 ? " time" : " times", "")));
    }
    ++progress.retries;
    if (on_retry) on_retry();
    if (!SleepUnlessCancelled(options, BackoffMillis(options, attempt, x.retry_after_ms, rng))) {
      return Status::Cancelled(Stopped(endpoint));
    }
  }
}

TransportOptions TransportOptionsFor(const ClientOptions& options) {
  TransportOptions t;
  t.server_url = options.server_url;
  t.ca_file = options.ca_file;
  t.protocol_version = options.protocol_version;
  t.connect_timeout_s = options.connect_timeout_s;
  t.low_speed_limit_bytes = options.low_speed_limit_bytes;
  t.low_speed_time_s = options.low_speed_time_s;
  t.cancel = options.cancel;
  return t;
}

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] SyncClient
// -----------------------------------------------------------------------------------------

class SyncClient::Impl {
 public:
  Impl(core::SyncLedger& ledger, ClientOptions options)
      : ledger_(ledger),
        options_(std::move(options)),
        clock_(options_.clock != nullptr ? *options_.clock : platform::DefaultClock()),
        rng_(SeedOf(options_)) {}

  // Runs the push half, the pull half or both, and records the outcome in the store.
  Result<SyncReport> Run(bool push, bool pull) {
    SyncReport report;
    progress_ = SyncProgress();
    Status s = Prepare();
    if (s.ok() && push) s = PushAll(report);
    if (s.ok() && pull) s = PullAll(report);
    report.retries = progress_.retries;
    report.bytes_up = progress_.bytes_up;
    report.bytes_down = progress_.bytes_down;
    if (!s.ok()) {
      // Best effort: the sync already failed, and a store that cannot take this line either
      // will say so at the next write. A stop asked for by the user is no error to show.
      if (s.code() != StatusCode::kCancelled) {
        (void)ledger_.SetSyncValue(kLastErrorKey, s.message(Language::kEnglish));
        (void)ledger_.SetSyncValue(kLastErrorRuKey, s.message(Language::kRussian));
      }
      return s;
    }
    if (push && pull) {
      RETURN_IF_ERROR(ledger_.InTransaction([&]() -> Status {
        RETURN_IF_ERROR(ledger_.SetSyncValue(kLastSuccessKey, std::to_string(clock_.NowMillis())));
        RETURN_IF_ERROR(ledger_.SetSyncValue(kLastErrorRuKey, ""));
        return ledger_.SetSyncValue(kLastErrorKey, "");
      }));
    }
    progress_.phase = SyncProgress::Phase::kDone;
    Notify();
    return report;
  }

 private:
  Status Prepare() {
    if (options_.token.empty()) {
      return Status::Unauthenticated(Local("Not signed in. ", "Вход не выполнен. ") + SignInAgain());
    }
    if (transport_ == nullptr) {
      ASSIGN_OR_RETURN(transport_, HttpTransport::Create(TransportOptionsFor(options_)));
    }
    ASSIGN_OR_RETURN(progress_.pending, ledger_.PendingCount());
    return Status::Ok();
  }

  void Notify() {
    if (options_.on_progress) options_.on_progress(progress_);
  }

  // One request: compress, post with retries, decompress.
  Result<std::string> Exchange(std::string_view path, const std::string& message) {
    const std::string body = Compress(message);
    ASSIGN_OR_RETURN(std::string raw, PostWithRetries(*transport_, options_, Endpoint::kSync, rng_, path, body,
                                                      progress_, [this] { Notify(); }));
    auto plain = Decompress(raw);
    if (!plain.ok()) return Unreadable(plain.status());
    return std::move(plain).value();
  }

  // Exchange, and the batch sizer told how long the answer took and whether it was retried.
  Result<std::string> TimedExchange(std::string_view path, const std::string& message) {
    const auto start = std::chrono::steady_clock::now();
    const int retries_before = progress_.retries;
    ASSIGN_OR_RETURN(std::string plain, Exchange(path, message));
    sizer_.Answered(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start),
                    progress_.retries != retries_before);
    return plain;
  }

  Status PushAll(SyncReport& report) {
    progress_.phase = SyncProgress::Phase::kPush;
    progress_.batches = 0;
    while (true) {
      if (IsCancelled(options_)) return Status::Cancelled(Stopped(Endpoint::kSync));
      PushRequest request;
      request.device_id = ledger_.device_id();
      ASSIGN_OR_RETURN(request.changes, NextPushBatch(ledger_, sizer_.rows(), sizer_.bytes()));
      if (request.changes.empty()) return Status::Ok();
      ASSIGN_OR_RETURN(std::string plain, TimedExchange("/v1/push", Encode(request)));
      auto decoded = DecodePushResponse(plain);
      if (!decoded.ok()) return Unreadable(decoded.status());
      const PushResponse& answer = *decoded;
      const uint64_t first = request.changes.front().op_seq;
      // The next batch starts after acked_op_seq: an answer below `first` would send this
      // batch again, and again. (Rejections without an acknowledgement would loop the same way.)
      if (answer.acked_op_seq < first) {
        return Status::Internal(
            Local("The server acknowledged changes up to number ", "Сервер подтвердил изменения до номера ") +
            std::to_string(answer.acked_op_seq) +
            Local(", but this device's next change is number ", ", а следующее изменение этого устройства — ") +
            std::to_string(first) +
            Local(". Sync stopped so as not to repeat itself; nothing was lost here. Tell your coordinator (the "
                  "server may have been restored from a backup).",
                  ". Синхронизация остановлена, чтобы не повторяться; здесь ничего не потеряно. Сообщите "
                  "координатору (возможно, сервер восстановлен из резервной копии)."));
      }
      // An answer beyond this batch is legal up to the last change this device has made (the
      // answer to a bigger batch was lost, and the server has that batch): ApplyPushResponse
      // acknowledges this batch only, and the next one gets the rest. Beyond every change this
      // device ever made, the server counts changes that are not ours: it skipped this batch as
      // already applied, so acknowledging it would lose it.
      ASSIGN_OR_RETURN(const int64_t pending, ledger_.PendingCount());  // pending op seqs: first, first + 1, ...
      if (answer.acked_op_seq > first + static_cast<uint64_t>(std::max<int64_t>(pending, 1)) - 1) {
        return Status::Internal(
            ServerFault("The server says it already has more changes from this device than this device has made "
                        "(the server, or this device, may have been restored from a backup).",
                        "Сервер считает, что уже получил от этого устройства больше изменений, чем оно сделало "
                        "(возможно, сервер или это устройство восстановлены из резервной копии)."));
      }
      RETURN_IF_ERROR(ApplyPushResponse(ledger_, request.changes, answer, clock_.NowMillis()));
      const auto acked = std::count_if(request.changes.begin(), request.changes.end(),
                                       [&](const Change& c) { return c.op_seq <= answer.acked_op_seq; });
      report.pushed += static_cast<int64_t>(request.changes.size());
      report.acked += acked;
      report.rejected += static_cast<int64_t>(answer.rejected.size());
      report.clamped += answer.clamped;
      ++report.push_batches;
      ++progress_.batches;
      progress_.records_pushed += acked;
      ASSIGN_OR_RETURN(progress_.pending, ledger_.PendingCount());
      Notify();
    }
  }

  // A short digest of a pull position (positions can hold every school of a region).
  static std::string PositionDigest(std::string_view cursor) {
    std::string digest(16, '\0');
    crypto_generichash(reinterpret_cast<unsigned char*>(digest.data()), digest.size(),
                       reinterpret_cast<const unsigned char*>(cursor.data()), cursor.size(), nullptr, 0);
    return digest;
  }

  // Pulls until the server says there is no more. A working server's position moves on with
  // every batch that has more after it, so a position this pull already asked from is a loop;
  // the second one stops the sync (one is tolerated: a school that joins and leaves the scope
  // during one sync can bring a position back once). A server that says "more" with ever new
  // positions is stopped by max_pull_batches.
  Status PullAll(SyncReport& report) {
    progress_.phase = SyncProgress::Phase::kPull;
    progress_.batches = 0;
    std::set<std::string> asked;  // digests of the positions sent in this pull
    int returns = 0;
    int64_t batches = 0;
    while (true) {
      if (IsCancelled(options_)) return Status::Cancelled(Stopped(Endpoint::kSync));
      PullRequest request;
      request.device_id = ledger_.device_id();
      ASSIGN_OR_RETURN(std::optional<std::string> cursor, ledger_.GetSyncValue(kCursorKey));
      request.cursor = cursor.value_or("");
      request.max_rows = sizer_.rows();
      request.max_bytes = sizer_.bytes();
      asked.insert(PositionDigest(request.cursor));
      ASSIGN_OR_RETURN(std::string plain, TimedExchange("/v1/pull", Encode(request)));
      auto decoded = DecodePullResponse(plain);
      if (!decoded.ok()) return Unreadable(decoded.status());
      const PullResponse& answer = *decoded;
      if (answer.more && asked.contains(PositionDigest(answer.next_cursor)) && ++returns >= 2) {
        return Status::Internal(ServerFault(
            "The server keeps sending this device back to records it has already received, so receiving "
            "would never end.",
            "Сервер раз за разом возвращает устройство к уже полученным записям, и получение не закончилось "
            "бы никогда."));
      }
      ASSIGN_OR_RETURN(size_t changed, ApplyPullResponse(ledger_, answer, clock_.NowMillis()));
      report.pulled += static_cast<int64_t>(changed);
      report.conflicts += static_cast<int64_t>(answer.conflicts.size());
      ++report.pull_batches;
      ++progress_.batches;
      ++batches;
      progress_.records_pulled += static_cast<int64_t>(changed);
      Notify();
      if (!answer.more) return Status::Ok();
      if (options_.max_pull_batches > 0 && batches >= options_.max_pull_batches) {
        return Status::Internal(
            ServerFault("The server keeps saying there is more to receive, far longer than any district needs; what "
                        "was received so far is saved.",
                        "Сервер всё сообщает, что данные ещё есть, гораздо дольше, чем нужно для любого района; уже "
                        "полученное сохранено."));
      }
    }
  }

  core::SyncLedger& ledger_;
  ClientOptions options_;
  const mentorlog::Clock& clock_;
  std::mt19937_64 rng_;
  std::unique_ptr<HttpTransport> transport_;  // made at the first sync, then reused
  SyncProgress progress_;
  BatchSizer sizer_{options_.batch_rows, options_.batch_bytes, options_.batch_growth};  // kept across phases
};

SyncClient::SyncClient(core::SyncLedger& ledger, ClientOptions options)
    : impl_(std::make_unique<Impl>(ledger, std::move(options))) {}
SyncClient::~SyncClient() = default;

Result<SyncReport> SyncClient::Sync() { return impl_->Run(true, true); }
Result<SyncReport> SyncClient::Push() { return impl_->Run(true, false); }
Result<SyncReport> SyncClient::Pull() { return impl_->Run(false, true); }

// -----------------------------------------------------------------------------------------
// [SECTION] Login and Logout
// -----------------------------------------------------------------------------------------

Result<LoginResponse> Login(const ClientOptions& options, std::string_view login, std::string_view password,
                            std::string_view device_id) {
  ASSIGN_OR_RETURN(std::unique_ptr<HttpTransport> transport, HttpTransport::Create(TransportOptionsFor(options)));
  LoginRequest request;
  request.login = std::string(login);
  request.password = std::string(password);
  request.device_id = std::string(device_id);
  std::string plain_request = Encode(request);
  std::string body = Compress(plain_request);
  // The password is in these buffers: wipe them before they are freed.
  sodium_memzero(request.password.data(), request.password.size());
  sodium_memzero(plain_request.data(), plain_request.size());
  std::mt19937_64 rng(SeedOf(options));
  SyncProgress progress;
  auto raw = PostWithRetries(*transport, options, Endpoint::kLogin, rng, "/v1/login", body, progress, [&] {
    if (options.on_progress) options.on_progress(progress);
  });
  sodium_memzero(body.data(), body.size());
  if (!raw.ok()) return raw.status();
  auto plain = Decompress(*raw);
  if (!plain.ok()) return Unreadable(plain.status());
  auto answer = DecodeLoginResponse(*plain);
  if (!answer.ok()) return Unreadable(answer.status());
  return answer;
}

Status Logout(const ClientOptions& options) {
  if (options.token.empty()) return Status::Ok();  // nothing to revoke
  ASSIGN_OR_RETURN(std::unique_ptr<HttpTransport> transport, HttpTransport::Create(TransportOptionsFor(options)));
  std::mt19937_64 rng(SeedOf(options));
  SyncProgress progress;
  auto raw = PostWithRetries(*transport, options, Endpoint::kLogout, rng, "/v1/logout", "", progress, [&] {
    if (options.on_progress) options.on_progress(progress);
  });
  if (!raw.ok() && raw.status().code() == StatusCode::kUnauthenticated) return Status::Ok();  // already invalid
  return raw.status();
}

}  // namespace mentorlog::sync
