// STUB: iOS is not supported yet. The data directory must come from the app sandbox
// (Application Support) and tokens belong in the Keychain, which needs Objective-C glue that
// does not exist yet.
// This file exists so that the build names the missing port instead of failing to link:
// every call that touches the OS returns Unsupported. The clock is portable C++ and works,
// except that it reports UTC as the local time zone.
#if defined(__APPLE__)
#include <TargetConditionals.h>
#if TARGET_OS_IPHONE

#include <chrono>

#include "mentorlog/platform/env.h"

namespace mentorlog::platform {
namespace {
Status NotYet() { return Status::Unsupported("iOS support is a stub: not implemented yet"); }
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

Result<std::filesystem::path> ResolveDataDir(const std::optional<std::filesystem::path>&) {
  return NotYet();
}
Result<std::string> LoadOrCreateDeviceId(const std::filesystem::path&) { return NotYet(); }
Status WriteSecretFile(const std::filesystem::path&, std::string_view) { return NotYet(); }
Result<std::string> ReadSecretFile(const std::filesystem::path&) { return NotYet(); }
Status RandomBytes(void*, size_t) { return NotYet(); }
std::string_view PlatformName() { return "ios (stub)"; }

}  // namespace mentorlog::platform

#endif  // TARGET_OS_IPHONE
#endif  // defined(__APPLE__)
