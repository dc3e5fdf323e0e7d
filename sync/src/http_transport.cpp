// HttpTransport over libcurl (http_transport.h). curl's errors are translated here, into a
// Status and a "may a retry help" flag; no curl type leaves this file.
#include "http_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <mutex>

#include "mentorlog/sync/protocol.h"

namespace mentorlog::sync {

namespace {

// curl_global_init is not thread-safe and must run once per process before any handle.
CURLcode GlobalInitOnce() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

// A message in both languages, English first as the code reads.
LocalText Local(std::string_view en, std::string_view ru) { return LocalText{std::string(ru), std::string(en)}; }

// What one transfer collects through curl's callbacks.
struct Transfer {
  std::string body;
  bool too_large = false;
  bool cancelled = false;
  int64_t retry_after_ms = -1;
  const std::atomic<bool>* cancel = nullptr;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  if (t->body.size() + bytes > kMaxBodyBytes) {
    t->too_large = true;
    return 0;  // CURLE_WRITE_ERROR
  }
  t->body.append(data, bytes);
  return bytes;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  const std::string_view line(data, bytes);
  if (StartsWithNoCase(line, "http/")) t->retry_after_ms = -1;  // a new response (after 100 Continue)
  constexpr std::string_view kRetryAfter = "retry-after:";
  if (StartsWithNoCase(line, kRetryAfter)) {
    std::string_view value = line.substr(kRetryAfter.size());
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    int64_t seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    // An HTTP date instead of seconds is ignored: the client's own backoff applies.
    if (ec == std::errc() && end != value.data() && seconds >= 0 && seconds < 24 * 3600) {
      t->retry_after_ms = seconds * 1000;
    }
  }
  return bytes;
}

int OnProgress(void* user, curl_off_t /*dltotal*/, curl_off_t /*dlnow*/, curl_off_t /*ultotal*/, curl_off_t /*ulnow*/) {
  auto* t = static_cast<Transfer*>(user);
  if (t->cancel != nullptr && t->cancel->load()) {
    t->cancelled = true;
    return 1;  // CURLE_ABORTED_BY_CALLBACK
  }
  return 0;
}

// Errors after which another attempt may well succeed: the network, not the configuration.
bool IsTransient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:  // a handshake cut by the network looks like this too
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_AGAIN:
      return true;
    default:
      return false;
  }
}

bool IsCertificateProblem(CURLcode code) {
  switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
      return true;
    default:
      return false;
  }
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

class HttpTransport::Impl {
 public:
  Impl(TransportOptions options, CURL* handle) : options_(std::move(options)), handle_(handle) {}
  ~Impl() { curl_easy_cleanup(handle_); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  Status Configure() {
    char* errbuf = errbuf_;
    bool ok = curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, errbuf) == CURLE_OK;
    ok = ok && curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
    ok = ok && curl_easy_setopt(handle_, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK;
    ok = ok &&
         curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options_.connect_timeout_s)) == CURLE_OK;
    // curl measures the speed over its last few seconds, uploads and downloads together; below
    // the limit for low_speed_time_s in a row the transfer ends with CURLE_OPERATION_TIMEDOUT.
    ok = ok && curl_easy_setopt(handle_, CURLOPT_LOW_SPEED_LIMIT,
                                static_cast<long>(std::max(1, options_.low_speed_limit_bytes))) == CURLE_OK;
    ok = ok && curl_easy_setopt(handle_, CURLOPT_LOW_SPEED_TIME,
                                static_cast<long>(std::max(1, options_.low_speed_time_s))) == CURLE_OK;
    ok = ok && curl_easy_setopt(handle_, CURLOPT_TCP_KEEPALIVE, 1L) == CURLE_OK;
    ok = ok && curl_easy_setopt(handle_, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(kMaxBodyBytes)) == CURLE_OK;
    ok = ok && curl_easy_setopt(handle_, CURLOPT_USERAGENT, "MentorLog/0.1") == CURLE_OK;
    ok = ok && curl_easy_setopt(handle_, CURLOPT_NOPROGRESS, 0L) == CURLE_OK;
    ok = ok && curl_easy_setopt(handle_, CURLOPT_XFERINFOFUNCTION, &OnProgress) == CURLE_OK;
    ok = ok && curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, &OnBody) == CURLE_OK;
    ok = ok && curl_easy_setopt(handle_, CURLOPT_HEADERFUNCTION, &OnHeader) == CURLE_OK;
    // Verification stays on (curl's defaults); only the trust anchors may change.
    if (ok && !options_.ca_file.empty()) {
      ok = curl_easy_setopt(handle_, CURLOPT_CAINFO, options_.ca_file.c_str()) == CURLE_OK;
    }
    if (!ok) return Status::Internal("libcurl refused an option; it may be too old (7.85 or later is needed)");
    return Status::Ok();
  }

  HttpExchange Post(std::string_view path, std::string_view body, std::string_view token) {
    HttpExchange out;
    Transfer transfer;
    transfer.cancel = options_.cancel;
    if (transfer.cancel != nullptr && transfer.cancel->load()) {
      out.error = Status::Cancelled(Local("Stopped.", "Остановлено."));
      return out;
    }
    const std::string url = base_url() + std::string(path);

    curl_slist* raw = nullptr;
    auto add = [&](const std::string& header) {
      curl_slist* next = curl_slist_append(raw, header.c_str());
      if (next != nullptr) raw = next;
    };
    add(std::string(kProtocolHeader) + ": " + std::to_string(options_.protocol_version));
    add("Content-Type: " + std::string(kContentType));
    if (!token.empty()) add("Authorization: Bearer " + std::string(token));
    // No "Expect: 100-continue": on a slow link it costs a round trip, or a one-second wait.
    add("Expect:");
    std::unique_ptr<curl_slist, SlistDeleter> headers(raw);

    errbuf_[0] = '\0';
    curl_easy_setopt(handle_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle_, CURLOPT_POST, 1L);
    static const char kEmpty[] = "";  // never null: a null POSTFIELDS makes curl read stdin
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDS, body.empty() ? kEmpty : body.data());
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(handle_, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(handle_, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(handle_, CURLOPT_XFERINFODATA, &transfer);

    const CURLcode code = curl_easy_perform(handle_);

    curl_off_t up = 0;
    curl_off_t down = 0;
    curl_easy_getinfo(handle_, CURLINFO_SIZE_UPLOAD_T, &up);
    curl_easy_getinfo(handle_, CURLINFO_SIZE_DOWNLOAD_T, &down);
    out.bytes_up = static_cast<int64_t>(up);
    out.bytes_down = static_cast<int64_t>(down);
    // The handle outlives this call; it must not keep pointers into this frame.
    curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDS, nullptr);

    if (code == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &status);
      out.answered = true;
      out.http_status = status;
      out.body = std::move(transfer.body);
      out.retry_after_ms = transfer.retry_after_ms;
      return out;
    }
    const std::string detail = errbuf_[0] != '\0' ? std::string(errbuf_) : std::string(curl_easy_strerror(code));
    if (code == CURLE_ABORTED_BY_CALLBACK && transfer.cancelled) {
      out.error = Status::Cancelled(Local("Stopped.", "Остановлено."));
    } else if ((code == CURLE_WRITE_ERROR && transfer.too_large) || code == CURLE_FILESIZE_EXCEEDED) {
      out.error = Status::Corruption(Local("The server's answer is larger than the ", "Ответ сервера больше ") +
                                     std::to_string(kMaxBodyBytes >> 20) + Local(" MB allowed.", " МБ."));
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
      // The connect timeout, or the low-speed limit: a stalled or dripping answer.
      curl_off_t pretransfer = 0;
      curl_easy_getinfo(handle_, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
      if (pretransfer > 0) {
        out.error = Status::Unavailable(
            Local("the server's answer came too slowly: under ", "ответ сервера шёл слишком медленно: меньше ") +
            std::to_string(std::max(1, options_.low_speed_limit_bytes)) +
            Local(" bytes a second for ", " байт в секунду в течение ") +
            std::to_string(std::max(1, options_.low_speed_time_s)) + Local(" s", " с"));
      } else {
        out.error = Status::Unavailable(Local("the server did not answer within ", "сервер не ответил за ") +
                                        std::to_string(options_.connect_timeout_s) + Local(" s", " с"));
      }
      out.retryable = true;
    } else if (IsTransient(code)) {
      out.error = Status::Unavailable(detail);
      out.retryable = true;
    } else if (IsCertificateProblem(code)) {
      out.error = Status::Unavailable(
          Local("the server's certificate could not be verified: ", "сертификат сервера не прошёл проверку: ") +
          detail);
    } else if (code == CURLE_SSL_CACERT_BADFILE) {
      out.error = Status::InvalidInput(Local("The CA file «", "Файл сертификатов «") + options_.ca_file +
                                       Local("» cannot be read: ", "» не читается: ") + detail);
    } else if (code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL) {
      out.error = Status::InvalidInput(Local("The server address «", "Адрес сервера «") + options_.server_url +
                                       Local("» is not usable: ", "» не подходит: ") + detail);
    } else {
      out.error = Status::Unavailable(detail);
    }
    return out;
  }

 private:
  std::string base_url() const {
    std::string url = options_.server_url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
  }

  TransportOptions options_;
  CURL* handle_;
  char errbuf_[CURL_ERROR_SIZE] = {};
};

Result<std::unique_ptr<HttpTransport>> HttpTransport::Create(TransportOptions options) {
  if (options.server_url.empty()) {
    return Status::InvalidInput(Local("No server address is set; sign in with the server's address first.",
                                      "Адрес сервера не задан; сначала войдите, указав адрес сервера."));
  }
  if (!StartsWithNoCase(options.server_url, "https://") && !StartsWithNoCase(options.server_url, "http://")) {
    return Status::InvalidInput(Local("The server address «", "Адрес сервера «") + options.server_url +
                                Local("» must start with https:// (or http:// for a test server).",
                                      "» должен начинаться с https:// (или http:// для тестового сервера)."));
  }
  if (GlobalInitOnce() != CURLE_OK) return Status::Internal("libcurl could not be initialised");
  CURL* handle = curl_easy_init();
  if (handle == nullptr) return Status::Internal("libcurl could not make a handle (out of memory?)");
  auto impl = std::make_unique<Impl>(std::move(options), handle);
  RETURN_IF_ERROR(impl->Configure());
  return std::unique_ptr<HttpTransport>(new HttpTransport(std::move(impl)));
}

HttpTransport::HttpTransport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpTransport::~HttpTransport() = default;

HttpExchange HttpTransport::Post(std::string_view path, std::string_view body, std::string_view token) {
  return impl_->Post(path, body, token);
}

}  // namespace mentorlog::sync
