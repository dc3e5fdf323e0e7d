// mentorlog-server: the central store (docs/http-api.md, "Running the server").
//
//   mentorlog-server [--config FILE] [--db FILE | --pg CONNSTR] [--log-level L] COMMAND
//     serve --listen HOST:PORT [--tls-cert F --tls-key F] [--threads N]
//     user add LOGIN --role R [--person ID] [--district NAME] --password-stdin
//     user passwd LOGIN --password-stdin | user disable LOGIN | user list
//     import KIND FILE [--skip-bad] [--district NAME]
//     demo [--seed S]
//     state-hash --as LOGIN
//
// Exit codes: 0 ok; 1 the user's mistake (the message says which and how to fix it);
// 2 anything else (the storage, the network, a bug).
//
// [SECTION] Settings, storage and logging
// [SECTION] Commands
// [SECTION] main
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "accounts.h"
#include "central_writer.h"
#include "config.h"
#include "http_server.h"
#include "mentorlog/base/random.h"
#include "mentorlog/domain/demo.h"
#include "mentorlog/domain/import.h"
#include "mentorlog/domain/rubric.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/store/store.h"
#include "service.h"
#include "storage.h"

namespace mentorlog::server {
namespace {

namespace fs = std::filesystem;

// -----------------------------------------------------------------------------------------
// [SECTION] Settings, storage and logging
// -----------------------------------------------------------------------------------------

// The operator's language (LANG, LC_ALL ...): of the problems the import prints.
Language OperatorLanguage() { return LanguageFromCode(platform::UserLanguage()).value_or(Language::kEnglish); }

// The operator reads both languages, as before messages were kept as a LocalText: "English. /
// Русский." (a single text once).
int Fail(const Status& s) {
  const std::string& en = s.message(Language::kEnglish);
  const std::string& ru = s.message(Language::kRussian);
  std::cerr << (en == ru ? en : en + " / " + ru) << "\n";
  return ExitCodeFor(s);
}

// $XDG_DATA_HOME/mentorlog-server/mentorlog-server.db, else under ~/.local/share.
Result<fs::path> DefaultDbPath() {
  fs::path dir;
  const char* xdg = std::getenv("XDG_DATA_HOME");
  const char* home = std::getenv("HOME");
  if (xdg != nullptr && *xdg != '\0' && fs::path(xdg).is_absolute()) {
    dir = fs::path(xdg) / "mentorlog-server";
  } else if (home != nullptr && *home != '\0' && fs::path(home).is_absolute()) {
    dir = fs::path(home) / ".local" / "share" / "mentorlog-server";
  } else {
    return Status::InvalidInput(
        "cannot tell where to keep the central store: neither XDG_DATA_HOME nor HOME is set. Pass --db FILE.");
  }
  ASSIGN_OR_RETURN(fs::path made, platform::ResolveDataDir(dir));  // creates it, mode 0700
  return made / "mentorlog-server.db";
}

Result<std::unique_ptr<Storage>> OpenStorage(const ServerConfig& config) {
  if (config.pg) {
    // A connection per request slot, per sign-in being hashed (HttpServerOptions), and two for
    // the dashboards' build at start (WarmUp) and /healthz or the token purge.
    return OpenPostgresStorage(*config.pg, static_cast<int>(config.threads.value_or(kDefaultThreads)) +
                                               HttpServerOptions{}.concurrent_logins + 2);
  }
  fs::path path;
  if (config.db) {
    path = *config.db;
    std::error_code ec;
    if (path.has_parent_path() && !fs::is_directory(path.parent_path(), ec)) {
      return Status::InvalidInput("the folder of --db " + path.string() + " does not exist; create it first");
    }
  } else {
    ASSIGN_OR_RETURN(path, DefaultDbPath());
  }
  return OpenSqliteStorage(path.string());
}

void SetUpLogging(const ServerConfig& config) {
  auto logger = spdlog::stderr_color_mt("mentorlog-server");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(config.log_level.value_or("info")));
  spdlog::flush_on(spdlog::level::info);
}

ServiceOptions ServiceOptionsOf(const ServerConfig& config) {
  ServiceOptions options;
  options.max_clock_skew_millis = config.max_clock_skew_seconds.value_or(kDefaultMaxClockSkewSeconds) * 1000;
  options.log_warning = [](const std::string& line) { spdlog::warn("{}", line); };
  return options;
}

AccountsOptions AccountsOptionsOf(const ServerConfig& config) {
  AccountsOptions options;
  options.argon2_memlimit_bytes = static_cast<size_t>(config.argon2_memlimit_mb.value_or(kDefaultArgon2MemlimitMb))
                                  << 20;
  options.token_lifetime_millis = config.token_days.value_or(kDefaultTokenDays) * 24 * 3600 * 1000;
  return options;
}

// Everything a command works with.
struct Context {
  ServerConfig config;
  std::unique_ptr<Storage> storage;
  std::unique_ptr<SyncService> service;
  std::unique_ptr<Accounts> accounts;
};

Result<Context> OpenContext(const ServerConfig& config) {
  Context ctx;
  ctx.config = config;
  ASSIGN_OR_RETURN(ctx.storage, OpenStorage(config));
  ctx.service = std::make_unique<SyncService>(*ctx.storage, ServiceOptionsOf(config));
  ctx.accounts = std::make_unique<Accounts>(*ctx.storage, AccountsOptionsOf(config));
  // The rubric templates every device installs from its own assets: the central store holds
  // the same records (same ids), so devices' copies are no-ops and state hashes agree.
  RETURN_IF_ERROR(ctx.service->InstallBundledRubrics(core::DefaultAssetsDir()).status());
  return ctx;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Commands
// -----------------------------------------------------------------------------------------

Status CmdServe(Context& ctx) {
  if (!ctx.config.listen) {
    return Status::InvalidInput("serve needs an address: --listen HOST:PORT (or listen = \"HOST:PORT\" in --config)");
  }
  ASSIGN_OR_RETURN(ListenAddress address, ParseListen(*ctx.config.listen));
  HttpServerOptions options;
  options.host = address.host;
  options.port = address.port;
  options.tls_cert = ctx.config.tls_cert.value_or("");
  options.tls_key = ctx.config.tls_key.value_or("");
  options.threads = static_cast<int>(ctx.config.threads.value_or(kDefaultThreads));
  options.warm_dashboards = true;
  HttpServer server(*ctx.storage, *ctx.service, *ctx.accounts, options);
  RETURN_IF_ERROR(server.Start());
  const std::string host = address.host.find(':') != std::string::npos ? "[" + address.host + "]" : address.host;
  spdlog::info(
      "serving {} over {} with {} request slot(s), at most {} connection(s) ({} per address), listen backlog {}, "
      "storage {}",
      host + ":" + std::to_string(server.port()), server.tls() ? "HTTPS" : "HTTP", options.threads,
      options.front.max_connections, options.front.max_connections_per_address, options.front.listen_backlog,
      ctx.storage->Describe());
  std::printf("listening on %s:%d\n", host.c_str(), server.port());
  std::fflush(stdout);

  // SIGTERM and SIGINT were blocked in every thread before any started (main); wait here.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  spdlog::info("{}: finishing the requests in progress, then stopping",
               signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
  server.Stop();
  spdlog::info("stopped");
  return Status::Ok();
}

Result<std::string> ReadPasswordFromStdin() {
  std::string line;
  if (!std::getline(std::cin, line) && line.empty()) {
    return Status::InvalidInput("no password on standard input (give it with --password-stdin, e.g. from a file)");
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

Status CmdUserAdd(Context& ctx, const std::string& login, const std::string& role_code, const std::string& person,
                  const std::string& district) {
  std::optional<Role> role = sync::RoleFromCode(role_code);
  if (!role) {
    return Status::InvalidInput("unknown role «" + role_code + "»; use mentor, tutor, coordinator or admin");
  }
  NewAccount n;
  n.login = login;
  n.role = *role;
  n.district = district;
  if (!person.empty()) {
    ASSIGN_OR_RETURN(Uuid id, Uuid::Parse(person));
    n.person_id = id;
  }
  ASSIGN_OR_RETURN(n.password, ReadPasswordFromStdin());
  ASSIGN_OR_RETURN(Account account, ctx.accounts->AddUser(n));
  std::cout << "account " << account.login << " (" << sync::RoleCode(account.role) << ") created";
  if (!account.district.empty()) std::cout << " for the district «" << account.district << "»";
  std::cout << "\n";
  return Status::Ok();
}

Status CmdUserPasswd(Context& ctx, const std::string& login) {
  ASSIGN_OR_RETURN(std::string password, ReadPasswordFromStdin());
  RETURN_IF_ERROR(ctx.accounts->SetPassword(login, password));
  std::cout << "password of " << login << " changed; every device of the account must sign in again\n";
  return Status::Ok();
}

Status CmdUserDisable(Context& ctx, const std::string& login) {
  RETURN_IF_ERROR(ctx.accounts->Disable(login));
  std::cout << "account " << login << " disabled; its devices are signed out\n";
  return Status::Ok();
}

Status CmdUserList(Context& ctx) {
  ASSIGN_OR_RETURN(std::vector<Account> accounts, ctx.accounts->List());
  for (const Account& a : accounts) {
    std::cout << a.login << "  " << sync::RoleCode(a.role) << "  "
              << (a.person_id ? a.person_id->ToString() : std::string("-")) << "  "
              << (a.district.empty() ? std::string("-") : a.district);
    if (a.disabled) std::cout << "  disabled";
    if (a.demo) std::cout << "  demo";
    std::cout << "\n";
  }
  std::cout << accounts.size() << " account(s)\n";
  return Status::Ok();
}

Status CmdImport(Context& ctx, const std::string& kind_word, const std::string& file, bool skip_bad,
                 const std::string& district) {
  std::optional<core::RecordKind> kind = core::KindFromName(kind_word);
  if (!kind) {
    return Status::InvalidInput(LocalText{
        "неизвестный вид записей «" + kind_word +
            "»; импортируются schools, people, assignments, assessment_results, context_indicators, "
            "network_agreements, roadmap_items, deficits, trainings, route_items, network_events, event_participants, "
            "plan_items",
        "unknown kind «" + kind_word +
            "»; import schools, people, assignments, assessment_results, context_indicators, network_agreements, "
            "roadmap_items, deficits, trainings, route_items, network_events, event_participants or plan_items"});
  }
  // Straight into the central store: the import matches natural keys (school codes, people)
  // against what the server holds, and its rows go in as the server's own changes.
  CentralWriter writer(*ctx.storage, *ctx.service, district, platform::DefaultClock());
  ASSIGN_OR_RETURN(core::ImportReport report,
                   core::ImportCsvFile(writer, *kind, file,
                                       skip_bad ? core::BadRowPolicy::kSkipBad : core::BadRowPolicy::kRejectFile));
  const Language language = OperatorLanguage();
  for (const auto& p : report.problems) std::cerr << p.ToString(language) << "\n";
  for (const auto& note : report.notes) std::cerr << note.In(language) << "\n";
  if (!report.committed) {
    return Status::InvalidInput(
        std::to_string(report.bad_rows) +
        " bad row(s): nothing was imported. Fix them, or run again with --skip-bad to import the good rows.");
  }
  for (const sync::Rejection& r : writer.refused()) std::cerr << "refused: " << r.reason_en << "\n";
  const size_t applied = writer.sent() - writer.refused().size();
  std::cout << "Imported: " << report.inserted << " new, " << report.updated << " updated, " << report.unchanged
            << " unchanged";
  if (report.bad_rows > 0) std::cout << "; skipped bad rows: " << report.bad_rows;
  std::cout << "\nThe central store took " << applied << " change(s).\n";
  return Status::Ok();
}

// A password for a demo account: 12 characters nobody confuses (no 0/O, 1/l/I).
Result<std::string> DemoPassword() {
  constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  std::string out;
  while (out.size() < 12) {
    unsigned char byte = 0;
    RETURN_IF_ERROR(mentorlog::RandomBytes(&byte, 1));
    if (byte >= 256 - 256 % kAlphabet.size()) continue;  // keep the choice uniform
    out += kAlphabet[byte % kAlphabet.size()];
  }
  return out;
}

bool HasRole(const core::Person& p, core::Role role) {
  return std::find(p.roles.begin(), p.roles.end(), role) != p.roles.end();
}

Status CmdDemo(Context& ctx, uint64_t seed) {
  // Empty: nothing but the bundled rubric templates every store starts with (OpenContext).
  int64_t records = 0;
  bool has_data = false;
  RETURN_IF_ERROR(ctx.storage->Read([&](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(records, tx.CountRecords());
    ScopeFilter everything;
    everything.all_schools = true;
    const Status scan = tx.ScanLive(everything, [&](const StoredRecord& r) -> Status {
      if (r.state.kind == core::RecordKind::kRubricTemplate) return Status::Ok();
      has_data = true;
      return Status::Cancelled("found a record");  // enough: stop the scan
    });
    return has_data ? Status::Ok() : scan;
  }));
  if (has_data) {
    return Status::InvalidInput("the central store (" + ctx.storage->Describe() + ") already holds " +
                                std::to_string(records) +
                                " record(s); demo fills only an empty store. Give it a new file with --db.");
  }
  CentralWriter store(*ctx.storage, *ctx.service, std::string(), platform::DefaultClock());
  core::DemoOptions options;
  options.seed = seed;
  ASSIGN_OR_RETURN(core::DemoSummary summary, core::CreateDemoDistrict(store, options));
  if (!store.refused().empty()) {
    return Status::Internal("the central store refused " + std::to_string(store.refused().size()) +
                            " change(s) of the demo district, the first: " + store.refused().front().reason_en);
  }
  const size_t applied = store.sent();
  std::cout << "Demo district created in the central store (" << ctx.storage->Describe() << "): " << summary.schools
            << " schools, " << summary.teachers << " teachers, " << summary.mentors << " mentors, " << summary.tutors
            << " tutors; " << applied << " change(s).\n";

  // Who the demo accounts act as: people whose assignments are current today.
  ASSIGN_OR_RETURN(std::vector<core::Person> people, store.List<core::Person>());
  ASSIGN_OR_RETURN(std::vector<core::Assignment> assignments, store.List<core::Assignment>());
  const core::Date today = store.Today();
  auto assigned = [&](const core::Person& p, bool mentor) {
    return std::any_of(assignments.begin(), assignments.end(), [&](const core::Assignment& a) {
      const bool current = a.starts_on <= today && (!a.ends_on || *a.ends_on >= today);
      return current && a.assignee_id == p.id && (a.kind == core::AssignmentKind::kMentorSchool) == mentor;
    });
  };
  std::vector<NewAccount> wanted;
  for (const auto& p : people) {
    if (HasRole(p, core::Role::kCoordinator) && wanted.empty()) {
      wanted.push_back(NewAccount{"demo.coordinator", Role::kCoordinator, p.id, "", "", AccountOrigin::kDemo});
    }
  }
  int mentors = 0;
  for (const auto& p : people) {
    if (mentors < 2 && HasRole(p, core::Role::kMentor) && assigned(p, /*mentor=*/true)) {
      ++mentors;
      wanted.push_back(
          NewAccount{"demo.mentor" + std::to_string(mentors), Role::kMentor, p.id, "", "", AccountOrigin::kDemo});
    }
  }
  for (const auto& p : people) {
    if (HasRole(p, core::Role::kTutor) && assigned(p, /*mentor=*/false)) {
      wanted.push_back(NewAccount{"demo.tutor", Role::kTutor, p.id, "", "", AccountOrigin::kDemo});
      break;
    }
  }
  wanted.push_back(NewAccount{"demo.admin", Role::kAdmin, std::nullopt, "", "", AccountOrigin::kDemo});

  for (NewAccount& n : wanted) {
    ASSIGN_OR_RETURN(n.password, DemoPassword());
    ASSIGN_OR_RETURN(Account account, ctx.accounts->AddUser(n));
    std::string who;
    for (const auto& p : people) {
      if (account.person_id && p.id == *account.person_id) who = ", " + p.full_name;
    }
    std::cout << "DEMO ACCOUNT (for trying MentorLog only): login " << account.login << " password " << n.password
              << "  (" << sync::RoleCode(account.role) << who << ")\n";
  }
  std::cout << "These passwords are printed only now. Do not keep real data in a demo store.\n";
  return Status::Ok();
}

Status CmdStateHash(Context& ctx, const std::string& login) {
  std::optional<Account> account;
  RETURN_IF_ERROR(ctx.storage->Read([&](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(account, tx.FindAccount(login));
    return Status::Ok();
  }));
  if (!account) return Status::NotFound("there is no account «" + login + "»");
  ASSIGN_OR_RETURN(std::string hash, ctx.service->StateHash(*account));
  std::cout << hash << "\n";
  return Status::Ok();
}

}  // namespace
}  // namespace mentorlog::server

// -----------------------------------------------------------------------------------------
// [SECTION] main
// -----------------------------------------------------------------------------------------

int main(int argc, char** argv) {
  using namespace mentorlog::server;  // NOLINT(google-build-using-namespace): a program, not a header
  CLI::App app{"mentorlog-server: MentorLog's central store (sync over HTTP, accounts, import, demo)"};
  app.require_subcommand(1);

  std::string config_path, db, pg, log_level, listen, tls_cert, tls_key;
  int64_t threads = 0, token_days = 0, skew = 0, memlimit = 0;
  app.add_option("--config", config_path, "TOML settings file (flags override it)");
  auto* db_opt = app.add_option(
      "--db", db, "SQLite file of the central store (default: $XDG_DATA_HOME/mentorlog-server/mentorlog-server.db)");
  auto* pg_opt = app.add_option("--pg", pg, "PostgreSQL connection string, instead of --db");
  db_opt->excludes(pg_opt);
  auto* level_opt =
      app.add_option("--log-level", log_level, "trace, debug, info (default), warn, error, critical or off");
  auto* days_opt = app.add_option("--token-days", token_days, "How many days a sign-in lasts (default 90)");
  auto* skew_opt = app.add_option("--max-clock-skew-seconds", skew,
                                  "Device stamps further ahead of the server's clock are clamped (default 300)");
  auto* mem_opt = app.add_option("--argon2-memlimit-mb", memlimit, "Memory of one password hash, MiB (default 64)");

  auto* serve = app.add_subcommand("serve", "Serve sync over HTTP(S) until SIGTERM or SIGINT");
  auto* listen_opt = serve->add_option("--listen", listen, "HOST:PORT to listen on (port 0: any free port)");
  auto* cert_opt = serve->add_option("--tls-cert", tls_cert, "PEM certificate chain: serve HTTPS");
  auto* key_opt = serve->add_option("--tls-key", tls_key, "PEM private key of the certificate");
  cert_opt->needs(key_opt);
  key_opt->needs(cert_opt);
  auto* threads_opt =
      serve->add_option("--threads", threads,
                        "Requests working on the storage at once (default 8); connections have threads of their own");

  std::string login, role, person, district, kind, file;
  bool skip_bad = false, password_stdin = false;
  uint64_t seed = 20251;
  auto* user = app.add_subcommand("user", "Manage accounts");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Create an account (the password is read from standard input)");
  user_add->add_option("LOGIN", login, "2-64 of a-z 0-9 . _ -")->required();
  user_add->add_option("--role", role, "mentor, tutor, coordinator or admin")->required();
  user_add->add_option("--person", person, "Id of the Person the account acts as (not for admin)");
  user_add->add_option("--district", district, "A coordinator's district (default: the only one)");
  user_add->add_flag("--password-stdin", password_stdin, "Read the password from standard input")->required();
  auto* user_passwd = user->add_subcommand("passwd", "Set a new password and sign out every device of the account");
  user_passwd->add_option("LOGIN", login, "The account")->required();
  user_passwd->add_flag("--password-stdin", password_stdin, "Read the password from standard input")->required();
  auto* user_disable = user->add_subcommand("disable", "Disable an account and sign out its devices");
  user_disable->add_option("LOGIN", login, "The account")->required();
  auto* user_list = user->add_subcommand("list", "List the accounts");

  auto* import =
      app.add_subcommand("import",
                         "Import a CSV file into the central store: schools, people, assignments, assessment_results, "
                         "context_indicators, network_agreements, roadmap_items, deficits, trainings, route_items, "
                         "network_events, event_participants, plan_items (docs/import.md)");
  import->add_option("KIND", kind, "What the file holds")->required();
  import->add_option("FILE", file, "The CSV file (UTF-8 or Windows-1251, ',' or ';')")->required();
  import->add_flag("--skip-bad", skip_bad,
                   "Import the good rows and report the bad ones (default: import nothing if any row is bad)");
  import->add_option("--district", district,
                     "The district of the imported people without a school (default: the only one)");

  auto* demo = app.add_subcommand("demo", "Fill an empty central store with the demo district and demo accounts");
  demo->add_option("--seed", seed, "Seed of the generator (same seed, same district)");

  auto* state_hash = app.add_subcommand("state-hash", "Print the hash of everything an account sees");
  state_hash->add_option("--as", login, "The account")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 1;
  }

  try {
    // Settings: the file first, then every flag given.
    ServerConfig config;
    if (!config_path.empty()) {
      auto loaded = LoadConfigFile(config_path);
      if (!loaded.ok()) return Fail(loaded.status());
      config = *loaded;
    }
    ServerConfig flags;
    if (db_opt->count() > 0) flags.db = db;
    if (pg_opt->count() > 0) flags.pg = pg;
    if (level_opt->count() > 0) flags.log_level = log_level;
    if (days_opt->count() > 0) flags.token_days = token_days;
    if (skew_opt->count() > 0) flags.max_clock_skew_seconds = skew;
    if (mem_opt->count() > 0) flags.argon2_memlimit_mb = memlimit;
    if (listen_opt->count() > 0) flags.listen = listen;
    if (cert_opt->count() > 0) flags.tls_cert = tls_cert;
    if (key_opt->count() > 0) flags.tls_key = tls_key;
    if (threads_opt->count() > 0) flags.threads = threads;
    if (auto s = CheckConfig(flags); !s.ok()) return Fail(s.WithContext("command line"));
    config = Overlay(config, flags);
    if (auto s = CheckConfig(config); !s.ok()) return Fail(s);

    if (serve->parsed()) {
      // Block the stop signals before any thread starts, so every thread inherits the mask and
      // CmdServe's sigwait is the only one to see them. A write to a closed TLS socket must
      // not kill the process either.
      sigset_t signals;
      sigemptyset(&signals);
      sigaddset(&signals, SIGTERM);
      sigaddset(&signals, SIGINT);
      pthread_sigmask(SIG_BLOCK, &signals, nullptr);
      signal(SIGPIPE, SIG_IGN);
    }
    SetUpLogging(config);

    auto ctx = OpenContext(config);
    if (!ctx.ok()) return Fail(ctx.status());
    Context& c = *ctx;
    mentorlog::Status s;
    if (serve->parsed())
      s = CmdServe(c);
    else if (user_add->parsed())
      s = CmdUserAdd(c, login, role, person, district);
    else if (user_passwd->parsed())
      s = CmdUserPasswd(c, login);
    else if (user_disable->parsed())
      s = CmdUserDisable(c, login);
    else if (user_list->parsed())
      s = CmdUserList(c);
    else if (import->parsed())
      s = CmdImport(c, kind, file, skip_bad, district);
    else if (demo->parsed())
      s = CmdDemo(c, seed);
    else if (state_hash->parsed())
      s = CmdStateHash(c, login);
    return s.ok() ? 0 : Fail(s);
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return 2;
  }
}
