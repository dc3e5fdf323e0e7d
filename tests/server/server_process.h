// A real mentorlog-server process on 127.0.0.1 for integration tests: started with `serve`,
// ready once it printed "listening on" and /healthz answers 200, stopped with SIGTERM (the
// graceful way) or SIGKILL (a crash), and restarted on the same port (a client's URL stays
// valid across the restart). Everything it writes (stdout and stderr) goes to one log file
// that outlives restarts, so a failing test can print it.
//
// Also RunServerCommand, for the one-shot commands (user add, import, demo, state-hash).
//
// Linux only (posix_spawn, waitpid). Thread safety: a ServerProcess belongs to one thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"

namespace mentorlog::server {

// The mentorlog-server program the tests run: $MENTORLOG_SERVER_PROGRAM when set (scripts/converge
// runs a copy, so that a rebuild during its hours does not change the program under it), else
// MENTORLOG_SERVER_PATH from the build.
std::string ServerProgramPath();

// Starts `argv` (argv[0]: the program's path) with this process's environment, less the entries
// whose name starts with `drop_env`, plus `env` ("NAME=value"); writes `stdin_text` to its
// standard input and sends its standard output and error to the files `out` and `err`.
// Returns its pid, or -1 when it could not be started (the caller waits for it with waitpid).
pid_t SpawnWithFiles(std::vector<std::string> argv, std::vector<std::string> env, std::string_view drop_env,
                     const std::string& stdin_text, const std::filesystem::path& out, const std::filesystem::path& err);

// A TCP port of 127.0.0.1 that was free a moment ago (bound to port 0, then closed).
// Another process may take it meanwhile; the server's "cannot listen" error says so.
Result<int> FreePort();

struct ServerProcessOptions {
  // Before the command: {"--db", path} or {"--pg", connstr}, "--log-level", "debug", ...
  std::vector<std::string> global_args;
  // After `serve --listen 127.0.0.1:PORT`: "--threads", "4", "--tls-cert", ...
  std::vector<std::string> serve_args;
  // 0: FreePort() at the first Start; kept for every restart.
  int port = 0;
  // The log file; empty: server.log in a fresh temporary folder.
  std::filesystem::path log_path;
  // How long Start waits for "listening on" and a healthy /healthz.
  std::chrono::milliseconds start_timeout{30'000};
};

class ServerProcess {
 public:
  explicit ServerProcess(ServerProcessOptions options);
  ~ServerProcess();  // Kill()s a running server
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts `serve` and waits until it is ready. Restarting after Stop/Kill reuses the port.
  // Errors: Unavailable when it exited or did not get ready in time (the message ends with
  // the log's last lines; a server that did not get ready is killed); IoError when it could
  // not be started. REQUIRES: not running.
  Status Start();

  // SIGTERM, then waits up to `timeout` for the exit: returns its exit code (128 + signal
  // when a signal ended it). Past the timeout it is killed and Stop returns Unavailable.
  Result<int> Stop(std::chrono::milliseconds timeout = std::chrono::seconds(60));

  // SIGKILL (a crash or a power cut, as far as the server can tell) and reap it.
  void Kill();

  // Sends `signal` without waiting (e.g. SIGTERM while a request is in flight).
  void Signal(int signal);

  // Whether the process is still running (reaps it when it has exited).
  bool running();

  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  std::string host() const { return "127.0.0.1"; }
  // "http://127.0.0.1:PORT" (https when serve_args include --tls-cert).
  std::string url() const;
  // Everything every run of the server wrote so far.
  std::string Log() const;
  // The last `lines` lines of Log(), for failure messages.
  std::string LogTail(size_t lines = 40) const;
  const std::filesystem::path& log_path() const { return log_path_; }

 private:
  Result<int> WaitExit(std::chrono::milliseconds timeout);
  bool Healthy() const;
  bool tls() const;

  ServerProcessOptions options_;
  std::filesystem::path temp_dir_;  // removed at the end when we made it
  std::filesystem::path log_path_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// What a one-shot command did.
struct CommandRun {
  int exit_code = -1;  // 128 + signal when a signal ended it
  std::string out;
  std::string err;
};

// Runs mentorlog-server with `args`, `stdin_text` on its standard input, and waits for it.
// Errors: IoError when it could not be started; Unavailable when it ran longer than `timeout`
// (it is killed).
Result<CommandRun> RunServerCommand(const std::vector<std::string>& args, std::string_view stdin_text = "",
                                    std::chrono::milliseconds timeout = std::chrono::seconds(300));

}  // namespace mentorlog::server
