// The platform layer: where data lives, what time it is, and how a secret
// is kept on disk. Everything OS-specific sits behind this header.
//
// Implementations: Linux is real (src/env_linux.cpp). Windows, macOS, Android and iOS are
// stubs (src/env_stub.cpp) compiled only on their OS; they return Unsupported.
//
// Thread safety: the free functions are safe to call from any thread; SystemClock is safe for
// concurrent reads. (The Clock interface and FakeClock are in base/clock.h.)
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "mentorlog/base/clock.h"
#include "mentorlog/base/status.h"

namespace mentorlog::platform {

// The OS clock and time zone.
class SystemClock final : public Clock {
 public:
  int64_t NowMillis() const override;
  int UtcOffsetMinutes() const override;
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
