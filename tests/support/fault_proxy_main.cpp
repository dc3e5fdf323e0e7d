// mentorlog-fault-proxy: the fault-injecting TCP proxy of fault_proxy.h as a program, for
// benchmarks and for trying a client against a bad network by hand.
//
//   mentorlog-fault-proxy --target 127.0.0.1:8080 --latency-ms 150 --bytes-per-second 32000
//
// Prints "listening on 127.0.0.1:PORT" (flushed) once it accepts connections, runs until
// SIGTERM or SIGINT, then prints its counters.
//
// Exit codes: 0 ok; 1 a bad argument (the message says which and why); 2 the proxy could
// not start (e.g. the port is taken).
#include <CLI/CLI.hpp>

#include <pthread.h>
#include <signal.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <string>
#include <system_error>
#include <utility>

#include "fault_proxy.h"

namespace mentorlog::testing {
namespace {

struct HostPort {
  std::string host;
  uint16_t port = 0;
};

// "HOST:PORT", "[IPv6]:PORT".
Result<HostPort> ParseTarget(const std::string& text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) {
    return Status::InvalidInput("--target '" + text + "' has no port: write HOST:PORT, e.g. 127.0.0.1:8080");
  }
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) {
    return Status::InvalidInput("--target '" + text + "' has no host: write HOST:PORT, e.g. 127.0.0.1:8080");
  }
  const std::string port_text = text.substr(colon + 1);
  unsigned port = 0;
  const char* end = port_text.data() + port_text.size();
  const auto [parsed_to, error] = std::from_chars(port_text.data(), end, port);
  if (port_text.empty() || error != std::errc() || parsed_to != end || port == 0 || port > UINT16_MAX) {
    return Status::InvalidInput("--target '" + text + "': '" + port_text +
                                "' is not a port; write a number from 1 to 65535");
  }
  return HostPort{std::move(host), static_cast<uint16_t>(port)};
}

// A whole number from 0 to `max` given to `flag`; the message names the flag and the range.
Result<int64_t> ParseWholeNumber(const std::string& flag, const std::string& text, int64_t max) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [parsed_to, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || parsed_to != end || value < 0 || value > max) {
    return Status::InvalidInput(flag + " '" + text + "' is not a whole number from 0 to " + std::to_string(max));
  }
  return value;
}

// A probability from 0 to 1 given to `flag`.
Result<double> ParseProbability(const std::string& flag, const std::string& text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [parsed_to, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || parsed_to != end || !(value >= 0.0 && value <= 1.0)) {
    return Status::InvalidInput(flag + " '" + text + "' is not a probability: write a number from 0 to 1, e.g. 0.02");
  }
  return value;
}

// The options as typed, parsed by hand so that every message names the flag and the fix.
struct Arguments {
  std::string target;
  std::string listen_port = "0";
  std::string latency_ms = "0";
  std::string bytes_per_second = "0";
  std::string loss = "0";
  std::string seed = "1";
};

struct Options {
  HostPort target;
  uint16_t listen_port = 0;
  FaultSettings settings;
};

Result<Options> ParseArguments(const Arguments& args) {
  constexpr int64_t kMaxLatencyMs = 3'600'000;  // An hour: anything longer is a typo.
  Options options;
  ASSIGN_OR_RETURN(options.target, ParseTarget(args.target));
  ASSIGN_OR_RETURN(const int64_t listen_port, ParseWholeNumber("--listen-port", args.listen_port, UINT16_MAX));
  options.listen_port = static_cast<uint16_t>(listen_port);
  ASSIGN_OR_RETURN(const int64_t latency_ms, ParseWholeNumber("--latency-ms", args.latency_ms, kMaxLatencyMs));
  options.settings.latency_ms = static_cast<int>(latency_ms);
  ASSIGN_OR_RETURN(options.settings.bytes_per_second,
                   ParseWholeNumber("--bytes-per-second", args.bytes_per_second, INT64_MAX));
  ASSIGN_OR_RETURN(options.settings.loss, ParseProbability("--loss", args.loss));
  ASSIGN_OR_RETURN(const int64_t seed, ParseWholeNumber("--seed", args.seed, INT64_MAX));
  options.settings.seed = static_cast<uint64_t>(seed);
  return options;
}

int Fail(const Status& status) {
  std::fprintf(stderr, "mentorlog-fault-proxy: %s\n", status.message().c_str());
  return status.code() == StatusCode::kInvalidInput ? 1 : 2;
}

}  // namespace
}  // namespace mentorlog::testing

int main(int argc, char** argv) {
  using namespace mentorlog::testing;  // NOLINT(google-build-using-namespace): a program, not a header
  CLI::App app{"mentorlog-fault-proxy: a TCP proxy on 127.0.0.1 that adds latency, a bandwidth cap and loss"};
  Arguments args;
  app.add_option("--target", args.target, "HOST:PORT to forward every connection to")->required();
  app.add_option("--listen-port", args.listen_port, "Port to listen on, on 127.0.0.1 (default 0: any free port)");
  app.add_option("--latency-ms", args.latency_ms, "One-way delay per direction, in ms (a round trip gains twice this)");
  app.add_option("--bytes-per-second", args.bytes_per_second,
                 "Bandwidth cap per direction per connection (default 0: unlimited)");
  app.add_option("--loss", args.loss, "Probability from 0 to 1 that a 1460-byte segment is lost and resent late");
  app.add_option("--seed", args.seed, "Seed of the loss draws: same seed, same losses (default 1)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 1;
  }
  const mentorlog::Result<Options> options = ParseArguments(args);
  if (!options.ok()) return Fail(options.status());

  // Blocked before any thread starts, so that every thread inherits the mask and sigwait()
  // below is the one place the signals arrive.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto proxy = FaultProxy::Start(options->target.host, options->target.port, options->settings, options->listen_port);
  if (!proxy.ok()) return Fail(proxy.status());
  std::printf("listening on 127.0.0.1:%u\n", static_cast<unsigned>((*proxy)->port()));
  std::fflush(stdout);

  int signal_number = 0;
  while (sigwait(&stop_signals, &signal_number) != 0) {
  }

  FaultProxy& p = **proxy;
  std::printf("connections accepted: %lld\n", static_cast<long long>(p.connections_accepted()));
  std::printf("bytes client->server: %lld\n", static_cast<long long>(p.bytes_client_to_server()));
  std::printf("bytes server->client: %lld\n", static_cast<long long>(p.bytes_server_to_client()));
  std::printf("cuts: %lld\n", static_cast<long long>(p.cuts()));
  std::fflush(stdout);
  return 0;
}
