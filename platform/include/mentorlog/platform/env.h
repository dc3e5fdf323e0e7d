// The platform layer: where data lives, what time it is, and how a secret
// is kept on disk. Everything OS-specific sits behind this header.
//
// Implementations: Linux is real (src/env_linux.cpp). Windows, macOS, Android and iOS are
// stubs (src/env_stub.cpp) compiled only on their OS; they return Unsupported.
//
// Thread safety: the free functions are safe to call from any thread. Clock implementations
// are safe for concurrent reads; FakeClock's setters must not race with readers.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "mentorlog/core/status.h"

namespace mentorlog::platform {

// Wall-clock time. Injected into the core so that tests can move time.
class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, UTC. May go backwards (the user changed the clock).
  virtual int64_t NowMillis() const = 0;
  // The local time zone's offset from UTC at NowMillis(), in minutes (Moscow: +180).
  virtual int UtcOffsetMinutes() const = 0;
};

// The OS clock and time zone.
class SystemClock final : public Clock {
 public:
  int64_t NowMillis() const override;
  int UtcOffsetMinutes() const override;
};

// A clock for tests: starts at `start_millis` and moves only when told.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_millis, int utc_offset_minutes = 0)
      : now_(start_millis), offset_(utc_offset_minutes) {}
  int64_t NowMillis() const override { return now_.load(); }
  int UtcOffsetMinutes() const override { return offset_; }
  void Set(int64_t millis) { now_.store(millis); }
  void Advance(int64_t millis) { now_.fetch_add(millis); }

 private:
  std::atomic<int64_t> now_;
  int offset_;
};

// The process-wide system clock.
Clock& DefaultClock();

// The directory where MentorLog keeps its store and secrets.
// `override_dir` (from `--data DIR`) wins when given. Otherwise on Linux:
// $XDG_DATA_HOME/mentorlog, else $HOME/.local/share/mentorlog.
// The directory is created (mode 0700) if missing.
// Errors: InvalidInput when no location can be determined (no HOME), IoError when it cannot
// be created or is not a directory; the message names the path and what to do.
Result<std::filesystem::path> ResolveDataDir(const std::optional<std::filesystem::path>& override_dir);

// Writes `contents` to `path` atomically with permissions 0600 (owner read/write only),
// replacing any existing file. Used for login tokens.
Status WriteSecretFile(const std::filesystem::path& path, std::string_view contents);

// Reads a file written by WriteSecretFile. NotFound when absent; IoError when its
// permissions are wider than 0600 (someone else could read it).
Result<std::string> ReadSecretFile(const std::filesystem::path& path);

// Fills `out` with `n` cryptographically random bytes (getrandom on Linux).
Status RandomBytes(void* out, size_t n);

// The user's language for messages, "ru" or "en": `flag` when it is one of them (from
// --lang), else the first of LC_ALL, LC_MESSAGES, LANG that is set ("ru…" is Russian),
// else English.
std::string UserLanguage(std::string_view flag = {});

// Milliseconds since this process started, for start-up figures (the app's launch to its first
// frame). Linux: from /proc/self/stat, in clock ticks (10 ms). -1 when unknown.
double MillisSinceProcessStart();

// "linux", or "windows (stub)", "macos (stub)", "android (stub)", "ios (stub)".
std::string_view PlatformName();

}  // namespace mentorlog::platform
