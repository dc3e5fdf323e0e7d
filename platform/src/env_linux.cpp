// The Linux implementation of mentorlog/platform/env.h: XDG data directory, secret
// files written atomically with mode 0600, and the system clock.
//
// Every OS error is turned into a Status here; messages name the path and what to do.
#if defined(__linux__) && !defined(__ANDROID__)

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <system_error>

#include "mentorlog/platform/env.h"

#include "mentorlog/base/random.h"

namespace mentorlog::platform {
namespace {

namespace fs = std::filesystem;

constexpr mode_t kPrivateDirMode = 0700;
constexpr mode_t kPrivateFileMode = 0600;
constexpr mode_t kGroupOtherBits = 0077;
constexpr const char* kAppDirName = "mentorlog";

std::string ErrnoText(int err) { return std::generic_category().message(err); }

// Built with append, not operator+: GCC 12 -O3 raises a false -Wrestrict on "'" + string
// (GCC bug 105329).
std::string Quoted(const fs::path& path) {
  std::string out(1, '\'');
  out.append(path.string());
  out.push_back('\'');
  return out;
}

std::string ToHex(const unsigned char* bytes, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    hex.push_back(kDigits[bytes[i] >> 4]);
    hex.push_back(kDigits[bytes[i] & 0x0f]);
  }
  return hex;
}

// Closes a descriptor on every return path.
class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  ~ScopedFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now and reports the error, which for a written file can be a lost write.
  int Close() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

// Reads the whole of `fd` into `out`; returns 0 or an errno value.
int ReadAll(int fd, std::string* out) {
  char buf[4096];
  for (;;) {
    ssize_t got = ::read(fd, buf, sizeof(buf));
    if (got < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (got == 0) return 0;
    out->append(buf, static_cast<size_t>(got));
  }
}

// Writes all of `data` to `fd`; returns 0 or an errno value.
int WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t put = ::write(fd, data.data(), data.size());
    if (put < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data.remove_prefix(static_cast<size_t>(put));
  }
  return 0;
}

fs::path ParentDir(const fs::path& path) {
  fs::path parent = path.parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

// Makes a rename in `dir` durable. Filesystems that cannot sync a directory say EINVAL.
Status SyncDir(const fs::path& dir) {
  ScopedFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) {
    int err = errno;
    return Status::IoError("cannot open directory " + Quoted(dir) + " to sync it: " + ErrnoText(err));
  }
  if (::fsync(fd.get()) != 0 && errno != EINVAL) {
    int err = errno;
    return Status::IoError("cannot sync directory " + Quoted(dir) + ": " + ErrnoText(err) +
                           ". Check that the disk is healthy and not full.");
  }
  return Status::Ok();
}

// Creates a hidden temporary file next to `target` with mode exactly 0600 (whatever the
// umask), writes `contents` and fsyncs it. The caller renames it into place.
Result<fs::path> WriteSyncedTemp(const fs::path& target, std::string_view contents) {
  unsigned char suffix[6];
  RETURN_IF_ERROR(mentorlog::RandomBytes(suffix, sizeof(suffix)));
  std::string name(1, '.');
  name.append(target.filename().string()).append(".tmp-").append(ToHex(suffix, sizeof(suffix)));
  fs::path tmp = ParentDir(target) / name;

  ScopedFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, kPrivateFileMode));
  if (fd.get() < 0) {
    int err = errno;
    return Status::IoError("cannot create " + Quoted(tmp) + " to write " + Quoted(target) + ": " + ErrnoText(err) +
                           ". Check that the directory exists and is writable.");
  }
  auto fail = [&](const char* what, int err) {
    ::unlink(tmp.c_str());
    return Status::IoError("cannot " + std::string(what) + " " + Quoted(tmp) + " while writing " + Quoted(target) +
                           ": " + ErrnoText(err) + ". Check that the disk is healthy and not full.");
  };
  // The umask may have cleared owner bits (umask 0777); fchmod makes the mode exactly 0600.
  if (::fchmod(fd.get(), kPrivateFileMode) != 0) return fail("set permissions on", errno);
  if (int err = WriteAll(fd.get(), contents); err != 0) return fail("write", err);
  if (::fsync(fd.get()) != 0) return fail("sync", errno);
  if (fd.Close() != 0) return fail("close", errno);
  return tmp;
}

// Creates `dir` and any missing parents with mode 0700. Existing directories are kept as
// they are; an existing non-directory is an error.
Status MakePrivateDirs(const fs::path& dir) {
  fs::path current;
  for (const fs::path& part : dir) {
    current /= part;
    if (part == "/" || part == "." || part.empty()) continue;
    struct stat st;
    if (::stat(current.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) continue;
      return Status::IoError(Quoted(current) + " exists but is not a directory, so the data directory " + Quoted(dir) +
                             " cannot be used. Move that file away or choose another "
                             "location with --data DIR.");
    }
    if (int err = errno; err != ENOENT) {
      return Status::IoError("cannot use data directory " + Quoted(dir) + ": " + Quoted(current) + ": " +
                             ErrnoText(err) + ". Fix its permissions or choose another location with --data DIR.");
    }
    if (::mkdir(current.c_str(), kPrivateDirMode) != 0 && errno != EEXIST) {
      int err = errno;
      return Status::IoError("cannot create data directory " + Quoted(current) + ": " + ErrnoText(err) +
                             ". Fix the permissions of its parent or choose another location with --data DIR.");
    }
    // EEXIST: someone made it between stat and mkdir; check that it is a directory.
    if (::stat(current.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return Status::IoError(Quoted(current) +
                             " could not be created as a directory. Choose another "
                             "location with --data DIR.");
    }
  }
  return Status::Ok();
}

// Non-empty value of environment variable `name`, if any.
std::optional<std::string> NonEmptyEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

}  // namespace

// [SECTION] Clock

int64_t SystemClock::NowMillis() const {
  struct timespec ts;
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

int SystemClock::UtcOffsetMinutes() const {
  // tzset() re-reads TZ, so a time zone changed while we run is seen; localtime_r alone
  // need not do that.
  ::tzset();
  time_t now = static_cast<time_t>(NowMillis() / 1000);
  struct tm local;
  if (::localtime_r(&now, &local) == nullptr) return 0;
  return static_cast<int>(local.tm_gmtoff / 60);
}

Clock& DefaultClock() {
  static SystemClock clock;
  return clock;
}

// [SECTION] Data directory

Result<fs::path> ResolveDataDir(const std::optional<fs::path>& override_dir) {
  fs::path dir;
  if (override_dir.has_value()) {
    if (override_dir->empty()) {
      return Status::InvalidInput("the data directory given with --data is empty; pass a directory path.");
    }
    dir = *override_dir;
  } else if (std::optional<std::string> xdg = NonEmptyEnv("XDG_DATA_HOME");
             xdg.has_value() && fs::path(*xdg).is_absolute()) {
    // The XDG spec says to ignore a relative XDG_DATA_HOME.
    dir = fs::path(*xdg) / kAppDirName;
  } else if (std::optional<std::string> home = NonEmptyEnv("HOME"); home.has_value()) {
    if (!fs::path(*home).is_absolute()) {
      return Status::InvalidInput("HOME is '" + *home +
                                  "', which is not an absolute path, so the data "
                                  "directory cannot be found. Fix HOME or pass --data DIR.");
    }
    dir = fs::path(*home) / ".local" / "share" / kAppDirName;
  } else {
    return Status::InvalidInput(
        "cannot tell where to keep data: neither XDG_DATA_HOME nor HOME is set. "
        "Set HOME or pass --data DIR.");
  }

  std::error_code ec;
  fs::path absolute = fs::absolute(dir, ec);
  if (ec) {
    return Status::IoError("cannot make " + Quoted(dir) + " an absolute path: " + ec.message() +
                           ". Pass an absolute path with --data DIR.");
  }
  absolute = absolute.lexically_normal();
  if (!absolute.has_filename() && absolute.has_relative_path()) absolute = absolute.parent_path();  // "a/b/"
  RETURN_IF_ERROR(MakePrivateDirs(absolute));
  return absolute;
}

// [SECTION] Secret files

Status WriteSecretFile(const fs::path& path, std::string_view contents) {
  ASSIGN_OR_RETURN(fs::path tmp, WriteSyncedTemp(path, contents));
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Status::IoError("cannot replace " + Quoted(path) + ": " + ErrnoText(err) +
                           ". Check that it is not a directory and that its folder is writable.");
  }
  return SyncDir(ParentDir(path));
}

Result<std::string> ReadSecretFile(const fs::path& path) {
  ScopedFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    int err = errno;
    if (err == ENOENT) return Status::NotFound("secret file " + Quoted(path) + " does not exist.");
    return Status::IoError("cannot open secret file " + Quoted(path) + ": " + ErrnoText(err) +
                           ". Check its permissions.");
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) {
    int err = errno;
    return Status::IoError("cannot inspect secret file " + Quoted(path) + ": " + ErrnoText(err));
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::IoError("secret file " + Quoted(path) +
                           " is not a regular file. Move it away "
                           "and log in again.");
  }
  if ((st.st_mode & kGroupOtherBits) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Status::IoError("secret file " + Quoted(path) + " has permissions " + mode +
                           ", so other users may have read it; it must be 0600. Delete it and log in "
                           "again (or run chmod 600 on it if you trust everyone with access).");
  }
  std::string contents;
  if (int err = ReadAll(fd.get(), &contents); err != 0) {
    return Status::IoError("cannot read secret file " + Quoted(path) + ": " + ErrnoText(err));
  }
  return contents;
}

// [SECTION] Randomness and identity

std::string UserLanguage(std::string_view flag) {
  if (flag == "ru" || flag == "en") return std::string(flag);
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(var);
    if (v != nullptr && *v != '\0') return std::string_view(v).starts_with("ru") ? "ru" : "en";
  }
  return "en";
}

double MillisSinceProcessStart() {
  // Field 22 of /proc/self/stat is the start time in clock ticks since boot; field 2 (the
  // command name, in parentheses) may hold spaces, so count from its closing parenthesis.
  std::FILE* f = std::fopen("/proc/self/stat", "r");
  if (f == nullptr) return -1;
  char buf[1024];
  const size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = '\0';
  const char* p = std::strrchr(buf, ')');
  if (p == nullptr) return -1;
  unsigned long long start_ticks = 0;
  // After ")": state (3) then fields 4..21, then starttime (22).
  if (std::sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
                  &start_ticks) != 1) {
    return -1;
  }
  const long ticks_per_second = sysconf(_SC_CLK_TCK);
  timespec now{};
  if (ticks_per_second <= 0 || clock_gettime(CLOCK_BOOTTIME, &now) != 0) return -1;
  const double now_ms = static_cast<double>(now.tv_sec) * 1000.0 + static_cast<double>(now.tv_nsec) / 1e6;
  return now_ms - static_cast<double>(start_ticks) * 1000.0 / static_cast<double>(ticks_per_second);
}

std::string_view PlatformName() { return "linux"; }

}  // namespace mentorlog::platform

#endif  // defined(__linux__) && !defined(__ANDROID__)
