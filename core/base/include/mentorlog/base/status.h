// Status and Result<T>: how every expected failure travels in MentorLog.
//
// A Status is ok, or a code plus a message written for the person who will read it
// ("line 14, column «год»: «2O24» is not a year"). No exception crosses a library's API;
// SQLite, cereal and OS errors are translated into a Status at the boundary.
//
// The message is kept in both languages (a LocalText), so whoever shows it picks the language
// at the time it is shown: a refusal made in Russian reads in English after the user switches.
// A message for people is made from a LocalText; a single text (a path, a library's or the OS's
// words, for logs) is made from a std::string and reads the same in both languages. No code
// below the UI chooses a language to make a Status.
//
// Thread safety: values; safe to copy between threads.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "mentorlog/base/language.h"

namespace mentorlog {

enum class StatusCode {
  kOk = 0,
  kInvalidInput,      // The user's input is wrong; the message says which and why.
  kNotFound,          // The thing asked for does not exist (or was deleted).
  kConflict,          // The write contradicts what is stored (e.g. a status moving backwards).
  kCorruption,        // Bytes or a file that cannot be decoded.
  kIoError,           // The disk or the OS refused.
  kUnsupported,       // E.g. a store written by a newer program.
  kInternal,          // A bug: should not happen.
  kUnauthenticated,   // Not signed in, or the sign-in expired or was revoked.
  kPermissionDenied,  // Signed in, but this user may not do or see that.
  kUnavailable,       // The network or the server is not reachable now; try again later.
  kCancelled,         // The user (or a shutdown) stopped the operation.
};

class [[nodiscard]] Status {
 public:
  Status() = default;

  // Each factory takes the message as a LocalText (for people: both languages) or as one
  // std::string (a single text that reads the same in both: a path, a library's words). Call
  // them with a named LocalText{...}: a bare braced pair would also fit std::string.
  static Status Ok() { return Status(); }
  static Status InvalidInput(LocalText msg) { return {StatusCode::kInvalidInput, std::move(msg)}; }
  static Status InvalidInput(std::string msg) { return {StatusCode::kInvalidInput, std::move(msg)}; }
  static Status NotFound(LocalText msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status Conflict(LocalText msg) { return {StatusCode::kConflict, std::move(msg)}; }
  static Status Conflict(std::string msg) { return {StatusCode::kConflict, std::move(msg)}; }
  static Status Corruption(LocalText msg) { return {StatusCode::kCorruption, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {StatusCode::kCorruption, std::move(msg)}; }
  static Status IoError(LocalText msg) { return {StatusCode::kIoError, std::move(msg)}; }
  static Status IoError(std::string msg) { return {StatusCode::kIoError, std::move(msg)}; }
  static Status Unsupported(LocalText msg) { return {StatusCode::kUnsupported, std::move(msg)}; }
  static Status Unsupported(std::string msg) { return {StatusCode::kUnsupported, std::move(msg)}; }
  static Status Internal(LocalText msg) { return {StatusCode::kInternal, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }
  static Status Unauthenticated(LocalText msg) { return {StatusCode::kUnauthenticated, std::move(msg)}; }
  static Status Unauthenticated(std::string msg) { return {StatusCode::kUnauthenticated, std::move(msg)}; }
  static Status PermissionDenied(LocalText msg) { return {StatusCode::kPermissionDenied, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) { return {StatusCode::kPermissionDenied, std::move(msg)}; }
  static Status Unavailable(LocalText msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status Cancelled(LocalText msg) { return {StatusCode::kCancelled, std::move(msg)}; }
  static Status Cancelled(std::string msg) { return {StatusCode::kCancelled, std::move(msg)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  // The message in `language`; empty when ok.
  const std::string& message(Language language) const { return message_.In(language); }
  // The message in English: for logs, the server's own log lines and tests. Whatever is shown to
  // a person takes message(Language) or local_message().
  const std::string& message() const { return message_.en; }
  // The message in both languages.
  const LocalText& local_message() const { return message_; }

  // The English message for ok-less statuses; "ok" otherwise. Meant for logs.
  std::string ToString() const { return ok() ? std::string("ok") : message_.en; }

  // Returns a copy whose message is prefixed with `context` and ": ", in each language.
  Status WithContext(const LocalText& context) const {
    if (ok()) return *this;
    return Status(code_, LocalText{context.ru + ": " + message_.ru, context.en + ": " + message_.en});
  }
  // The same with a single text (a file's path, a line number) that reads the same in both.
  Status WithContext(std::string_view context) const {
    return WithContext(LocalText{std::string(context), std::string(context)});
  }

 private:
  Status(StatusCode code, LocalText msg) : code_(code), message_(std::move(msg)) {}
  Status(StatusCode code, std::string msg) : code_(code), message_{msg, std::move(msg)} {}
  StatusCode code_ = StatusCode::kOk;
  LocalText message_;
};

// A value or the Status saying why there is none.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).ok() && "Result built from an ok Status has no value");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  // REQUIRES: !ok() for a meaningful status; returns Ok() when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

  // REQUIRES: ok().
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Status> v_;
};

// The exit code of a command-line tool whose command ended with `s`: 0 when ok, 1 when the
// user can fix it (wrong input, not found, a conflict, not signed in or not allowed, an
// unsupported file), 2 for everything else (disk, network, a bug).
inline int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kInvalidInput:
    case StatusCode::kNotFound:
    case StatusCode::kConflict:
    case StatusCode::kUnsupported:
    case StatusCode::kUnauthenticated:
    case StatusCode::kPermissionDenied:
      return 1;
    default:
      return 2;
  }
}

}  // namespace mentorlog

#define MENTORLOG_CONCAT_INNER(a, b) a##b
#define MENTORLOG_CONCAT(a, b) MENTORLOG_CONCAT_INNER(a, b)

// Returns from the enclosing function when `expr` (a Status) is not ok.
#define RETURN_IF_ERROR(expr) RETURN_IF_ERROR_IMPL(MENTORLOG_CONCAT(mentorlog_status_, __COUNTER__), expr)
// NOLINTBEGIN(bugprone-macro-parentheses): `tmp` and `lhs` are declarations, not expressions.
#define RETURN_IF_ERROR_IMPL(tmp, expr) \
  do {                                  \
    ::mentorlog::Status tmp = (expr);   \
    if (!tmp.ok()) return tmp;          \
  } while (false)

// `ASSIGN_OR_RETURN(auto x, Compute());` binds the value or returns the Status.
#define ASSIGN_OR_RETURN(lhs, expr) ASSIGN_OR_RETURN_IMPL(MENTORLOG_CONCAT(mentorlog_result_, __COUNTER__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
