// Runs a shell command line, as the tests that drive real programs (mentorlog-cli, pdftoppm,
// soffice) need: its exit code and everything it wrote to stdout and stderr.
//
// Thread safety: no shared state.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace mentorlog::testing_support {

struct CommandRun {
  int exit_code = -1;  // -1: it could not be started, or did not exit normally
  std::string out;     // stdout and stderr together
};

// Runs `command` with /bin/sh, stderr joined to stdout.
inline CommandRun RunCommand(const std::string& command) {
  CommandRun run;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) run.out.append(buf.data(), n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace mentorlog::testing_support
