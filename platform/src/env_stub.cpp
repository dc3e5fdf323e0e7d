// STUBS for the ports that do not exist yet: Windows, macOS, Android and iOS.
//
// MentorLog ships on Linux first (env_linux.cpp). On the other systems this file makes the
// build name the missing port instead of failing to link: every call that touches the OS
// returns Unsupported, and PlatformName() says "<os> (stub)". The clock is portable C++ and
// works, except that it reports UTC as the local time zone.
//
// What each real port needs:
// - windows: %APPDATA% for the data folder, DPAPI or an ACL-protected file for tokens,
//   BCryptGenRandom.
// - macos: ~/Library/Application Support, the Keychain for tokens, getentropy/SecRandom.
// - android: the app's files dir from JNI (Context.getFilesDir), the Android Keystore.
// - ios: the app sandbox's Application Support, the Keychain (Objective-C glue).
#if defined(__APPLE__)
#include <TargetConditionals.h>
#endif

#if defined(_WIN32)
#define MENTORLOG_STUB_OS "windows"
#elif defined(__ANDROID__)
#define MENTORLOG_STUB_OS "android"
#elif defined(__APPLE__) && TARGET_OS_IPHONE
#define MENTORLOG_STUB_OS "ios"
#elif defined(__APPLE__)
#define MENTORLOG_STUB_OS "macos"
#endif

#ifdef MENTORLOG_STUB_OS

#include <chrono>

#include "mentorlog/platform/env.h"

namespace mentorlog::platform {
namespace {
Status NotYet() { return Status::Unsupported(MENTORLOG_STUB_OS " support is a stub: not implemented yet"); }
}  // namespace

int64_t SystemClock::NowMillis() const {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  return duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
int SystemClock::UtcOffsetMinutes() const { return 0; }  // FIXME: the real local offset.

Clock& DefaultClock() {
  static SystemClock clock;
  return clock;
}

Result<std::filesystem::path> ResolveDataDir(const std::optional<std::filesystem::path>&) { return NotYet(); }
Status WriteSecretFile(const std::filesystem::path&, std::string_view) { return NotYet(); }
Result<std::string> ReadSecretFile(const std::filesystem::path&) { return NotYet(); }
std::string UserLanguage(std::string_view flag) { return flag == "ru" ? "ru" : "en"; }

double MillisSinceProcessStart() { return -1; }

std::string_view PlatformName() { return MENTORLOG_STUB_OS " (stub)"; }

}  // namespace mentorlog::platform

#endif  // MENTORLOG_STUB_OS
