// A real mentorlog-server process for integration tests (server_process.h).

#include "server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "server/httplib_for_tests.h"

extern char** environ;

namespace mentorlog::server {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string ReadWhole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

Result<fs::path> MakeTempDir(const char* prefix) {
  std::string pattern = (fs::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) return Status::IoError("mkdtemp: " + std::string(std::strerror(errno)));
  return fs::path(pattern);
}

// Exit code of a wait status: the code, or 128 + the signal.
int ExitCodeOf(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

// Spawns `argv` with fds 0, 1 and 2 opened as given (append for 1 and 2), default signal
// handling and an empty signal mask whatever the calling thread has.
Result<pid_t> Spawn(const std::vector<std::string>& args, const fs::path& in, const fs::path& out,
                    const fs::path& err) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (err == out) {
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
  } else {
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  }
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int s : {SIGTERM, SIGINT, SIGPIPE, SIGHUP}) sigaddset(&defaults, s);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return Status::IoError("cannot start " + args[0] + ": " + std::strerror(rc));
  return pid;
}

// Waits for `pid` up to `timeout`; nullopt when it is still running.
std::optional<int> WaitFor(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return ExitCodeOf(status);
    if (r < 0 && errno != EINTR) return -1;  // not our child any more
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

std::string ServerProgramPath() {
  if (const char* program = std::getenv("MENTORLOG_SERVER_PROGRAM"); program != nullptr && *program != '\0') {
    return program;
  }
#ifdef MENTORLOG_SERVER_PATH
  return MENTORLOG_SERVER_PATH;
#else
  return "mentorlog-server";
#endif
}

pid_t SpawnWithFiles(std::vector<std::string> argv, std::vector<std::string> env, std::string_view drop_env,
                     const std::string& stdin_text, const std::filesystem::path& out,
                     const std::filesystem::path& err) {
  // Built before fork: the child only calls async-signal-safe functions.
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  std::vector<char*> cenv;
  for (char** e = environ; *e != nullptr; ++e) {
    if (drop_env.empty() || !std::string_view(*e).starts_with(drop_env)) cenv.push_back(*e);
  }
  for (auto& e : env) cenv.push_back(e.data());
  cenv.push_back(nullptr);
  int in_pipe[2];
  if (pipe(in_pipe) != 0) return -1;
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    close(in_pipe[1]);
    const int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(o, 1);
    dup2(e, 2);
    execve(cargv[0], cargv.data(), cenv.data());
    _exit(127);
  }
  close(in_pipe[0]);
  if (pid > 0 && !stdin_text.empty()) (void)!write(in_pipe[1], stdin_text.data(), stdin_text.size());
  close(in_pipe[1]);
  return pid;
}

Result<int> FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return Status::IoError("socket: " + std::string(std::strerror(errno)));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    return Status::IoError("cannot find a free port: " + why);
  }
  ::close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

ServerProcess::ServerProcess(ServerProcessOptions options) : options_(std::move(options)), port_(options_.port) {
  if (options_.log_path.empty()) {
    auto dir = MakeTempDir("mentorlog-server-process");
    if (dir.ok()) {
      temp_dir_ = *dir;
      log_path_ = temp_dir_ / "server.log";
    } else {
      log_path_ = fs::temp_directory_path() / ("mentorlog-server-" + std::to_string(::getpid()) + ".log");
    }
  } else {
    log_path_ = options_.log_path;
  }
}

ServerProcess::~ServerProcess() {
  Kill();
  if (!temp_dir_.empty()) {
    std::error_code ec;
    fs::remove_all(temp_dir_, ec);
  }
}

bool ServerProcess::tls() const {
  for (const auto& a : options_.serve_args) {
    if (a == "--tls-cert") return true;
  }
  return false;
}

std::string ServerProcess::url() const {
  return std::string(tls() ? "https://" : "http://") + host() + ":" + std::to_string(port_);
}

std::string ServerProcess::Log() const { return ReadWhole(log_path_); }

std::string ServerProcess::LogTail(size_t lines) const {
  const std::string log = Log();
  size_t at = log.size();
  for (size_t n = 0; n <= lines && at > 0; ++n) {
    at = log.rfind('\n', at - 1);
    if (at == std::string::npos) return log;
  }
  return log.substr(at + 1);
}

bool ServerProcess::Healthy() const {
  httplib::Client client(url());
  client.enable_server_certificate_verification(false);
  client.set_connection_timeout(std::chrono::seconds(1));
  client.set_read_timeout(std::chrono::seconds(5));
  auto res = client.Get("/healthz");
  return res && res->status == 200;
}

Status ServerProcess::Start() {
  if (pid_ > 0) return Status::Internal("the server is already running (pid " + std::to_string(pid_) + ")");
  if (port_ == 0) {
    ASSIGN_OR_RETURN(port_, FreePort());
  }
  std::vector<std::string> args{ServerProgramPath()};
  args.insert(args.end(), options_.global_args.begin(), options_.global_args.end());
  args.insert(args.end(), {"serve", "--listen", host() + ":" + std::to_string(port_)});
  args.insert(args.end(), options_.serve_args.begin(), options_.serve_args.end());

  std::error_code ec;
  const uintmax_t size = fs::exists(log_path_, ec) ? fs::file_size(log_path_, ec) : 0;
  const size_t from = ec ? 0 : static_cast<size_t>(size);
  ASSIGN_OR_RETURN(pid_, Spawn(args, "/dev/null", log_path_, log_path_));

  const auto deadline = Clock::now() + options_.start_timeout;
  bool listening = false;
  while (Clock::now() < deadline) {
    if (!running()) {
      return Status::Unavailable("mentorlog-server exited before it was ready; its log ends with:\n" + LogTail());
    }
    if (!listening) {
      const std::string log = Log();
      listening = log.size() > from && log.find("listening on ", from) != std::string::npos;
    }
    if (listening && Healthy()) return Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Kill();
  return Status::Unavailable("mentorlog-server was not ready within " + std::to_string(options_.start_timeout.count()) +
                             " ms; its log ends with:\n" + LogTail());
}

bool ServerProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == 0) return true;
  pid_ = -1;
  return false;
}

void ServerProcess::Signal(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

Result<int> ServerProcess::WaitExit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return Status::Internal("the server is not running");
  std::optional<int> code = WaitFor(pid_, timeout);
  if (!code) return Status::Unavailable("still running");
  pid_ = -1;
  return *code;
}

Result<int> ServerProcess::Stop(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return Status::Internal("the server is not running");
  Signal(SIGTERM);
  Result<int> code = WaitExit(timeout);
  if (!code.ok()) {
    Kill();
    return Status::Unavailable("mentorlog-server did not stop within " + std::to_string(timeout.count()) +
                               " ms of SIGTERM and was killed; its log ends with:\n" + LogTail());
  }
  return code;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  (void)WaitFor(pid_, std::chrono::seconds(30));
  pid_ = -1;
}

Result<CommandRun> RunServerCommand(const std::vector<std::string>& args, std::string_view stdin_text,
                                    std::chrono::milliseconds timeout) {
  ASSIGN_OR_RETURN(fs::path dir, MakeTempDir("mentorlog-server-command"));
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{dir};
  {
    std::ofstream in(dir / "stdin", std::ios::binary);
    in << stdin_text;
  }
  std::vector<std::string> argv{ServerProgramPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  ASSIGN_OR_RETURN(pid_t pid, Spawn(argv, dir / "stdin", dir / "stdout", dir / "stderr"));
  std::optional<int> code = WaitFor(pid, timeout);
  if (!code) {
    ::kill(pid, SIGKILL);
    (void)WaitFor(pid, std::chrono::seconds(30));
    return Status::Unavailable("mentorlog-server did not finish within " + std::to_string(timeout.count()) + " ms");
  }
  return CommandRun{*code, ReadWhole(dir / "stdout"), ReadWhole(dir / "stderr")};
}

}  // namespace mentorlog::server
