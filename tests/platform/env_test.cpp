// Tests for mentorlog/platform/env.h. The Linux implementation is tested against the real
// filesystem in a per-test temporary directory; on the stub platforms only the stub contract
// and the clocks are checked.
#include "mentorlog/platform/env.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#if defined(__linux__) && !defined(__ANDROID__)
#include <sys/stat.h>
#include <sys/types.h>
#endif

namespace mentorlog::platform {
namespace {

namespace fs = std::filesystem;

// [SECTION] Clocks (every platform)

TEST(ClockTest, SystemClockIsNearTime) {
  // Compared with std::chrono's clock, not std::time(): time() reads the kernel's coarse clock,
  // which may lag a few milliseconds behind (this test once failed by 2 ms that way).
  auto chrono_ms = [] {
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    return duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  };
  SystemClock clock;
  const int64_t before = chrono_ms();
  const int64_t now = clock.NowMillis();
  const int64_t after = chrono_ms();
  EXPECT_GE(now, before - 50);
  EXPECT_LE(now, after + 50);
}

TEST(ClockTest, DefaultClockIsOneSystemClock) {
  EXPECT_EQ(&DefaultClock(), &DefaultClock());
  const int64_t now = static_cast<int64_t>(std::time(nullptr)) * 1000;
  EXPECT_NEAR(static_cast<double>(DefaultClock().NowMillis()), static_cast<double>(now), 5'000.0);
}

#if defined(__linux__) && !defined(__ANDROID__)

TEST(ClockTest, MillisSinceProcessStartCountsFromTheLaunch) {
  const double first = MillisSinceProcessStart();
  ASSERT_GE(first, 0.0);
  EXPECT_LT(first, 3'600'000.0);  // this test binary started less than an hour ago
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  const double second = MillisSinceProcessStart();
  // The start is fixed, so the difference is the sleep (the start is in 10 ms ticks, now is not).
  EXPECT_GE(second - first, 59.0);
  EXPECT_LT(second - first, 5'000.0);
}

// [SECTION] Fixtures

// Sets or unsets an environment variable for one scope, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::optional<std::string>& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value.has_value()) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() {
    if (old_.has_value()) {
      ::setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }

 private:
  std::string name_;
  std::optional<std::string> old_;
};

// Sets the process umask for one scope.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;
  ~ScopedUmask() { ::umask(old_); }

 private:
  mode_t old_;
};

mode_t ModeOf(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void Spit(const fs::path& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
}

class EnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    std::ostringstream name;
    name << "mentorlog-env-test-" << std::hex << rd() << rd();
    dir_ = fs::temp_directory_path() / name.str();
    ASSERT_TRUE(fs::create_directory(dir_)) << dir_;
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(dir_, ec);
  }

  fs::path dir_;
};

// [SECTION] ResolveDataDir

TEST_F(EnvTest, DataDirOverrideWins) {
  ScopedEnv xdg("XDG_DATA_HOME", (dir_ / "xdg").string());
  ScopedEnv home("HOME", (dir_ / "home").string());
  const fs::path wanted = dir_ / "over" / "ride";
  Result<fs::path> got = ResolveDataDir(wanted);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, wanted);
  EXPECT_TRUE(fs::is_directory(wanted));
  EXPECT_EQ(ModeOf(wanted), 0700u);
  EXPECT_FALSE(fs::exists(dir_ / "xdg"));
  EXPECT_FALSE(fs::exists(dir_ / "home"));
}

TEST_F(EnvTest, DataDirOverrideExistingIsKept) {
  fs::create_directory(dir_ / "existing");
  Spit(dir_ / "existing" / "store.db", "keep me");
  Result<fs::path> got = ResolveDataDir(dir_ / "existing" / "");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, dir_ / "existing");
  EXPECT_EQ(Slurp(dir_ / "existing" / "store.db"), "keep me");
}

TEST_F(EnvTest, DataDirEmptyOverrideIsInvalidInput) {
  Result<fs::path> got = ResolveDataDir(fs::path());
  EXPECT_EQ(got.status().code(), StatusCode::kInvalidInput);
}

TEST_F(EnvTest, DataDirUsesXdgDataHome) {
  ScopedEnv xdg("XDG_DATA_HOME", (dir_ / "xdg").string());
  ScopedEnv home("HOME", (dir_ / "home").string());
  Result<fs::path> got = ResolveDataDir(std::nullopt);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, dir_ / "xdg" / "mentorlog");
  EXPECT_TRUE(fs::is_directory(*got));
  EXPECT_EQ(ModeOf(*got), 0700u);
  EXPECT_FALSE(fs::exists(dir_ / "home"));
}

TEST_F(EnvTest, DataDirFallsBackToHome) {
  ScopedEnv xdg("XDG_DATA_HOME", std::nullopt);
  ScopedEnv home("HOME", (dir_ / "home").string());
  Result<fs::path> got = ResolveDataDir(std::nullopt);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, dir_ / "home" / ".local" / "share" / "mentorlog");
  EXPECT_TRUE(fs::is_directory(*got));
  EXPECT_EQ(ModeOf(*got), 0700u);
}

TEST_F(EnvTest, DataDirIgnoresEmptyOrRelativeXdgDataHome) {
  ScopedEnv home("HOME", (dir_ / "home").string());
  for (const char* xdg_value : {"", "relative/xdg"}) {
    ScopedEnv xdg("XDG_DATA_HOME", std::string(xdg_value));
    Result<fs::path> got = ResolveDataDir(std::nullopt);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, dir_ / "home" / ".local" / "share" / "mentorlog") << "XDG_DATA_HOME=" << xdg_value;
  }
}

TEST_F(EnvTest, DataDirWithoutHomeIsInvalidInput) {
  ScopedEnv xdg("XDG_DATA_HOME", std::nullopt);
  for (const std::optional<std::string>& home_value : {std::optional<std::string>(), std::optional<std::string>("")}) {
    ScopedEnv home("HOME", home_value);
    Result<fs::path> got = ResolveDataDir(std::nullopt);
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(got.status().message().find("--data"), std::string::npos) << got.status().message();
  }
}

TEST_F(EnvTest, DataDirWithRelativeHomeIsInvalidInput) {
  ScopedEnv xdg("XDG_DATA_HOME", std::nullopt);
  ScopedEnv home("HOME", "not/absolute");
  EXPECT_EQ(ResolveDataDir(std::nullopt).status().code(), StatusCode::kInvalidInput);
}

TEST_F(EnvTest, DataDirThatIsARegularFileIsIoError) {
  const fs::path file = dir_ / "plain";
  Spit(file, "not a directory");
  Result<fs::path> got = ResolveDataDir(file);
  EXPECT_EQ(got.status().code(), StatusCode::kIoError);
  EXPECT_NE(got.status().message().find(file.string()), std::string::npos) << got.status().message();
  EXPECT_EQ(Slurp(file), "not a directory");

  // A regular file further up the path is refused the same way.
  EXPECT_EQ(ResolveDataDir(file / "below").status().code(), StatusCode::kIoError);
}

TEST_F(EnvTest, DataDirUncreatableIsIoError) {
  // A read-only parent stops a normal user; root ignores permissions, but not /proc, where
  // nobody can make a folder. Either way the data folder cannot be created.
  const fs::path locked = ::geteuid() == 0 ? fs::path("/proc/mentorlog-test-no-such") : dir_ / "locked";
  if (::geteuid() != 0) {
    fs::create_directory(locked);
    fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
  }
  Result<fs::path> got = ResolveDataDir(locked / "data");
  if (::geteuid() != 0) fs::permissions(locked, fs::perms::owner_all);
  EXPECT_EQ(got.status().code(), StatusCode::kIoError);
  EXPECT_NE(got.status().message().find(locked.string()), std::string::npos) << got.status().message();
}

// [SECTION] UserLanguage

TEST_F(EnvTest, UserLanguageTakesTheFlagThenTheLocaleThenEnglish) {
  ScopedEnv all("LC_ALL", std::nullopt);
  ScopedEnv messages("LC_MESSAGES", std::nullopt);
  ScopedEnv lang("LANG", std::nullopt);
  EXPECT_EQ(UserLanguage(), "en");
  {
    ScopedEnv ru("LANG", "ru_RU.UTF-8");
    EXPECT_EQ(UserLanguage(), "ru");
    EXPECT_EQ(UserLanguage("en"), "en");  // --lang wins
    EXPECT_EQ(UserLanguage("de"), "ru");  // an unknown flag is ignored
    ScopedEnv c("LC_ALL", "C.UTF-8");     // LC_ALL comes first
    EXPECT_EQ(UserLanguage(), "en");
  }
  ScopedEnv empty("LC_ALL", "");  // set but empty: skipped
  ScopedEnv ru_messages("LC_MESSAGES", "ru_RU");
  EXPECT_EQ(UserLanguage(), "ru");
  EXPECT_EQ(UserLanguage("ru"), "ru");
}

// [SECTION] Secret files

TEST_F(EnvTest, SecretFileHasMode0600AndRoundTrips) {
  const fs::path file = dir_ / "token";
  const std::string secret("tok\0en\n\xff", 8);
  // Whatever the umask, the file ends up exactly 0600.
  for (mode_t mask : {mode_t{0}, mode_t{022}, mode_t{0777}}) {
    ScopedUmask umask(mask);
    ASSERT_TRUE(WriteSecretFile(file, secret).ok());
    EXPECT_EQ(ModeOf(file), 0600u) << "umask " << std::oct << mask;
  }
  Result<std::string> got = ReadSecretFile(file);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, secret);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(EnvTest, SecretFileReplacesWiderFile) {
  const fs::path file = dir_ / "token";
  Spit(file, "old and long contents");
  fs::permissions(file,
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  ASSERT_TRUE(WriteSecretFile(file, "new").ok());
  EXPECT_EQ(ModeOf(file), 0600u);
  Result<std::string> got = ReadSecretFile(file);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, "new");
}

TEST_F(EnvTest, SecretFileEmptyRoundTrips) {
  ASSERT_TRUE(WriteSecretFile(dir_ / "empty", "").ok());
  Result<std::string> got = ReadSecretFile(dir_ / "empty");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, "");
}

TEST_F(EnvTest, WriteSecretFileInMissingDirIsIoError) {
  EXPECT_EQ(WriteSecretFile(dir_ / "missing" / "token", "x").code(), StatusCode::kIoError);
}

TEST_F(EnvTest, WriteSecretFileOverDirectoryIsIoError) {
  fs::create_directory(dir_ / "token");
  EXPECT_EQ(WriteSecretFile(dir_ / "token", "x").code(), StatusCode::kIoError);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()),
            1);  // No temp left.
}

TEST_F(EnvTest, ReadSecretFileWithWidePermissionsIsIoError) {
  const fs::path file = dir_ / "token";
  Spit(file, "secret");
  fs::permissions(file,
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  Result<std::string> got = ReadSecretFile(file);
  EXPECT_EQ(got.status().code(), StatusCode::kIoError);
  EXPECT_NE(got.status().message().find("0644"), std::string::npos) << got.status().message();
  EXPECT_NE(got.status().message().find(file.string()), std::string::npos) << got.status().message();

  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_write);
  EXPECT_EQ(ReadSecretFile(file).status().code(), StatusCode::kIoError);
}

TEST_F(EnvTest, ReadSecretFileMissingIsNotFound) {
  EXPECT_EQ(ReadSecretFile(dir_ / "absent").status().code(), StatusCode::kNotFound);
}

TEST_F(EnvTest, ReadSecretFileOnDirectoryIsIoError) {
  fs::create_directory(dir_ / "token");
  fs::permissions(dir_ / "token", fs::perms::owner_all, fs::perm_options::replace);
  EXPECT_EQ(ReadSecretFile(dir_ / "token").status().code(), StatusCode::kIoError);
}

// [SECTION] Clock zone and name

TEST(ClockTest, SystemClockFollowsTimeZone) {
  SystemClock clock;
  {
    ScopedEnv tz("TZ", "UTC0");
    EXPECT_EQ(clock.UtcOffsetMinutes(), 0);
  }
  {
    ScopedEnv tz("TZ", "MSK-3");  // POSIX sign: three hours east of UTC.
    EXPECT_EQ(clock.UtcOffsetMinutes(), 180);
  }
  {
    ScopedEnv tz("TZ", "NST+3:30");
    EXPECT_EQ(clock.UtcOffsetMinutes(), -210);
  }
  ::tzset();
}

TEST(PlatformTest, NameIsLinux) { EXPECT_EQ(PlatformName(), "linux"); }

#else  // A stub platform.

TEST(PlatformTest, StubSaysSoAndIsUnsupported) {
  EXPECT_NE(PlatformName().find("(stub)"), std::string_view::npos);
  EXPECT_EQ(ResolveDataDir(std::nullopt).status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(WriteSecretFile(fs::path("x"), "y").code(), StatusCode::kUnsupported);
  EXPECT_EQ(ReadSecretFile(fs::path("x")).status().code(), StatusCode::kUnsupported);
}

#endif

}  // namespace
}  // namespace mentorlog::platform
