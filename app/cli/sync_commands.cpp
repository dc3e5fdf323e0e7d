// mentorlog-cli's sync commands (sync_commands.h).
//
// [SECTION] Helpers: time, the signed-in state
// [SECTION] Registration
// [SECTION] login, logout
// [SECTION] sync
// [SECTION] status, conflicts, rejected, state-hash, workload

#include "sync_commands.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <optional>

#include "mentorlog/app/session.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/sync/client.h"
#include "mentorlog/sync/device.h"
#include "workload.h"

namespace mentorlog::cli {

namespace {

// -----------------------------------------------------------------------------------------
// [SECTION] Helpers
// -----------------------------------------------------------------------------------------

// "2026-11-20 13:05" in the local time zone.
std::string LocalTime(int64_t millis) {
  const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  if (localtime_r(&seconds, &tm) == nullptr) return std::to_string(millis);
  char buf[32];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return std::string(buf, n);
}

std::string Kilobytes(int64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(bytes) / 1024.0);
  return buf;
}

std::string OneLine(std::string s, size_t max_bytes) {
  for (char& c : s) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  }
  if (s.size() <= max_bytes) return s;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
  return s.substr(0, cut) + "…";
}

std::string RoleLabel(const SyncContext& ctx, std::string_view code) {
  const auto role = sync::RoleFromCode(code);
  if (!role) return std::string(code);
  switch (*role) {
    case sync::Role::kMentor:
      return std::string(Pick(ctx.language, "mentor", "наставник"));
    case sync::Role::kTutor:
      return std::string(Pick(ctx.language, "tutor", "тьютор"));
    case sync::Role::kCoordinator:
      return std::string(Pick(ctx.language, "coordinator", "координатор"));
    case sync::Role::kAdmin:
      return std::string(Pick(ctx.language, "administrator", "администратор"));
  }
  return std::string(code);
}

Result<std::string> SyncValue(const SyncContext& ctx, std::string_view key) {
  ASSIGN_OR_RETURN(std::optional<std::string> value, ctx.store.ledger().GetSyncValue(key));
  return value.value_or("");
}

Status NotSignedIn() {
  return Status::Unauthenticated(
      LocalText{"Вход не выполнен. Сначала войдите: mentorlog-cli login --server URL --user ЛОГИН --password-stdin",
                "Not signed in. Sign in first: mentorlog-cli login --server URL --user LOGIN --password-stdin"});
}

// The client's options from what login stored: server, CA file, token. Unauthenticated when
// there is no token or no server.
Result<sync::ClientOptions> SignedInOptions(const SyncContext& ctx) {
  return app::SignedInOptions(ctx.store.ledger(), ctx.data_dir, NotSignedIn().local_message());
}

// Set by SIGINT while `sync` runs. A lock-free atomic store is async-signal-safe.
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void OnInterrupt(int /*signal*/) { g_interrupted.store(true); }

// Routes SIGINT to the cancel flag while alive. SA_RESETHAND: a second Ctrl-C ends the
// program the usual way.
class InterruptToCancel {
 public:
  InterruptToCancel() {
    g_interrupted.store(false);
    struct sigaction action {};
    action.sa_handler = &OnInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, &previous_);
  }
  ~InterruptToCancel() { sigaction(SIGINT, &previous_, nullptr); }
  InterruptToCancel(const InterruptToCancel&) = delete;
  InterruptToCancel& operator=(const InterruptToCancel&) = delete;

 private:
  struct sigaction previous_ {};
};

}  // namespace

std::filesystem::path TokenPath(const std::filesystem::path& data_dir) { return app::TokenPath(data_dir); }

// -----------------------------------------------------------------------------------------
// [SECTION] Registration
// -----------------------------------------------------------------------------------------

SyncCommands::SyncCommands(CLI::App& app) {
  login_ = app.add_subcommand("login", "Sign in to the sync server; the token is kept in the data folder (0600)");
  login_->add_option("--server", server_, "The server's address, e.g. https://sync.example.org")->required();
  login_->add_option("--user", user_, "Your login")->required();
  login_
      ->add_flag("--password-stdin", password_stdin_,
                 "Read the password from standard input (one line); it is never taken from the command line")
      ->required();
  login_->add_option("--ca-file", ca_file_, "PEM file of the CA that signed the server's certificate")
      ->check(CLI::ExistingFile);

  logout_ =
      app.add_subcommand("logout", "Sign out: revoke the token on the server (when reachable) and delete it here");

  batch_rows_ = sync::kDefaultBatchRows;
  batch_bytes_ = sync::kDefaultBatchBytes;
  sync_ = app.add_subcommand("sync", "Send this device's changes, then receive everything new, until caught up");
  sync_
      ->add_option("--batch-rows", batch_rows_,
                   "Records per batch; fixes the size (default: 500 at first, growing on a quick link)")
      ->check(CLI::Range(1u, sync::kMaxBatchRows));
  sync_
      ->add_option("--batch-bytes", batch_bytes_,
                   "Bytes per batch; fixes the size (default: 524288 at first, growing on a quick link)")
      ->check(CLI::Range(1024u, sync::kMaxBatchBytes));
  sync_->add_option("--attempts", attempts_, "Tries per request before giving up (default 8)")
      ->check(CLI::Range(1, 100));
  sync_->add_flag("--quiet", quiet_, "No progress lines, only the summary");

  status_ = app.add_subcommand("status", "Sync state: pending changes, last success, last error, server, sign-in");
  conflicts_ = app.add_subcommand("conflicts", "List the values that lost a concurrent edit");
  conflicts_->add_flag("--all", all_, "Also show dismissed conflicts");
  rejected_ = app.add_subcommand("rejected", "List this device's changes that the server refused, with the reason");
  state_hash_ = app.add_subcommand("state-hash", "Print the SHA-256 of every record this device sees");

  workload_ = app.add_subcommand("workload", "Add random field work (visits, observations, ...) for testing sync");
  workload_->add_option("--seed", seed_, "Seed (same store and seed, same operations)");
  workload_->add_option("--ops", ops_, "How many operations (default 100)")->check(CLI::Range(0, 1000000));
}

bool SyncCommands::Parsed() const {
  for (const CLI::App* c : {login_, logout_, sync_, status_, conflicts_, rejected_, state_hash_, workload_}) {
    if (c->parsed()) return true;
  }
  return false;
}

Status SyncCommands::Run(const SyncContext& ctx) {
  // A peer that hangs up must not end the program: curl reports it as an error instead.
  std::signal(SIGPIPE, SIG_IGN);
  if (login_->parsed()) return Login(ctx);
  if (logout_->parsed()) return Logout(ctx);
  if (sync_->parsed()) return Sync(ctx);
  if (status_->parsed()) return ShowStatus(ctx);
  if (conflicts_->parsed()) return Conflicts(ctx);
  if (rejected_->parsed()) return Rejected(ctx);
  if (state_hash_->parsed()) return StateHash(ctx);
  if (workload_->parsed()) return Workload(ctx);
  return Status::Internal("no sync command was chosen");
}

// -----------------------------------------------------------------------------------------
// [SECTION] login, logout
// -----------------------------------------------------------------------------------------

Status SyncCommands::Login(const SyncContext& ctx) {
  std::string password;
  std::getline(std::cin, password);
  while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) password.pop_back();
  if (password.empty()) {
    return Status::InvalidInput(
        LocalText{"Пароль не получен со стандартного ввода; передайте его: echo … | mentorlog-cli "
                  "login …",
                  "No password on standard input; pipe it in: echo … | mentorlog-cli login …"});
  }
  if (server_.rfind("http://", 0) == 0 && server_.rfind("http://127.0.0.1", 0) != 0 &&
      server_.rfind("http://localhost", 0) != 0) {
    std::cerr << Pick(ctx.language,
                      "Warning: the address starts with http://, so the password and the records travel "
                      "unencrypted. Use https:// unless this is a test server.",
                      "Внимание: адрес начинается с http://, пароль и записи передаются без шифрования. Используйте "
                      "https://, если это не тестовый сервер.")
              << "\n";
  }
  sync::ClientOptions options;
  options.server_url = server_;
  if (!ca_file_.empty()) options.ca_file = std::filesystem::absolute(ca_file_).string();
  options.max_attempts = 4;  // someone is waiting at the keyboard
  auto signed_in = app::SignIn(ctx.store.ledger(), ctx.data_dir, options, user_, password);
  std::fill(password.begin(), password.end(), '\0');
  if (!signed_in.ok()) return signed_in.status();
  const sync::LoginResponse& who = *signed_in;
  std::cout << Pick(ctx.language, "Signed in as ", "Вход выполнен: ") << who.display_name << " ("
            << RoleLabel(ctx, sync::RoleCode(who.role)) << ")" << Pick(ctx.language, " at ", ", сервер ")
            << options.server_url << "\n";
  if (who.expires_millis > 0) {
    std::cout << Pick(ctx.language, "The sign-in is valid until ", "Вход действителен до ")
              << LocalTime(who.expires_millis) << "\n";
  }
  return Status::Ok();
}

Status SyncCommands::Logout(const SyncContext& ctx) {
  ASSIGN_OR_RETURN(app::SignOutReport report,
                   app::SignOut(ctx.store.ledger(), ctx.data_dir, /*max_attempts=*/2));  // best effort
  if (!report.was_signed_in) {
    std::cout << Pick(ctx.language, "Not signed in; nothing to do.", "Вход не был выполнен; делать нечего.") << "\n";
    return Status::Ok();
  }
  if (!report.revoked.ok()) {
    std::cerr << report.revoked.message(ctx.language) << "\n"
              << Pick(ctx.language,
                      "The token was deleted from this device; on the server it stays valid until it expires.",
                      "Токен удалён с этого устройства; на сервере он действует до истечения срока.")
              << "\n";
  }
  std::cout << Pick(ctx.language, "Signed out.", "Выход выполнен.") << "\n";
  return Status::Ok();
}

// -----------------------------------------------------------------------------------------
// [SECTION] sync
// -----------------------------------------------------------------------------------------

Status SyncCommands::Sync(const SyncContext& ctx) {
  ASSIGN_OR_RETURN(sync::ClientOptions options, SignedInOptions(ctx));
  options.batch_rows = batch_rows_;
  options.batch_bytes = batch_bytes_;
  const bool sized = sync_->count("--batch-rows") > 0 || sync_->count("--batch-bytes") > 0;
  options.batch_growth = sized ? sync::BatchGrowth::kFixed : sync::BatchGrowth::kAdaptive;
  options.max_attempts = attempts_;
  options.cancel = &g_interrupted;
  if (!quiet_) {
    // One line per answered batch and per retry.
    options.on_progress = [&ctx, batches = 0, retries = 0,
                           phase = sync::SyncProgress::Phase::kDone](const sync::SyncProgress& p) mutable {
      if (p.phase != phase) batches = 0;
      phase = p.phase;
      if (p.retries != retries) {
        retries = p.retries;
        std::cerr << Pick(ctx.language, "retry ", "повтор ") << p.retries << ": " << p.last_error.In(ctx.language)
                  << "\n";
        return;
      }
      if (p.batches == batches) return;
      batches = p.batches;
      if (p.phase == sync::SyncProgress::Phase::kPush) {
        std::cerr << Pick(ctx.language, "push: batch ", "отправка: пакет ") << p.batches
                  << Pick(ctx.language, ", ", ", отправлено ") << p.records_pushed
                  << Pick(ctx.language, " sent, ", ", осталось ") << p.pending << Pick(ctx.language, " left, ", ", ")
                  << Kilobytes(p.bytes_up) << Pick(ctx.language, " KB up", " КБ") << "\n";
      } else if (p.phase == sync::SyncProgress::Phase::kPull) {
        std::cerr << Pick(ctx.language, "pull: batch ", "получение: пакет ") << p.batches
                  << Pick(ctx.language, ", ", ", изменено записей: ") << p.records_pulled
                  << Pick(ctx.language, " records changed, ", ", ") << Kilobytes(p.bytes_down)
                  << Pick(ctx.language, " KB down", " КБ") << "\n";
      }
    };
  }
  Result<sync::SyncReport> report = Status::Internal("not run");
  {
    InterruptToCancel interrupt;
    sync::SyncClient client(ctx.store.ledger(), std::move(options));
    report = client.Sync();
  }
  if (!report.ok()) return report.status();
  const sync::SyncReport& r = *report;
  std::cout << Pick(ctx.language, "pushed ", "отправлено ") << r.pushed
            << Pick(ctx.language, ", rejected ", ", отклонено ") << r.rejected
            << Pick(ctx.language, ", pulled ", ", получено ") << r.pulled
            << Pick(ctx.language, ", conflicts ", ", конфликтов ") << r.conflicts << ", " << Kilobytes(r.bytes_up)
            << Pick(ctx.language, " KB up, ", " КБ передано, ") << Kilobytes(r.bytes_down)
            << Pick(ctx.language, " KB down", " КБ принято") << "\n";
  if (r.rejected > 0) {
    std::cout << Pick(ctx.language, "The server refused some changes; see them with: mentorlog-cli rejected",
                      "Сервер отклонил часть изменений; список: mentorlog-cli rejected")
              << "\n";
  }
  if (r.conflicts > 0) {
    std::cout << Pick(ctx.language, "Some edits lost to newer ones; see them with: mentorlog-cli conflicts",
                      "Часть правок уступила более новым; список: mentorlog-cli conflicts")
              << "\n";
  }
  return Status::Ok();
}

// -----------------------------------------------------------------------------------------
// [SECTION] status, conflicts, rejected, state-hash, workload
// -----------------------------------------------------------------------------------------

Status SyncCommands::ShowStatus(const SyncContext& ctx) {
  ASSIGN_OR_RETURN(int64_t pending, ctx.store.ledger().PendingCount());
  ASSIGN_OR_RETURN(std::string last_success, SyncValue(ctx, sync::kLastSuccessKey));
  ASSIGN_OR_RETURN(std::string last_error, SyncValue(ctx, sync::kLastErrorKey));
  if (ctx.language == Language::kRussian) {
    ASSIGN_OR_RETURN(std::string ru, SyncValue(ctx, sync::kLastErrorRuKey));
    if (!ru.empty()) last_error = std::move(ru);  // else: kept by a version before both
  }
  ASSIGN_OR_RETURN(std::string server, SyncValue(ctx, sync::kServerKey));
  ASSIGN_OR_RETURN(std::string login, SyncValue(ctx, sync::kLoginKey));
  ASSIGN_OR_RETURN(std::string display_name, SyncValue(ctx, sync::kDisplayNameKey));
  ASSIGN_OR_RETURN(std::string role, SyncValue(ctx, sync::kRoleKey));
  ASSIGN_OR_RETURN(auto rejected, ctx.store.ledger().Rejected());
  ASSIGN_OR_RETURN(auto conflicts, ctx.store.ledger().Conflicts(/*include_dismissed=*/false));
  auto token = platform::ReadSecretFile(TokenPath(ctx.data_dir));

  std::string success_text(Pick(ctx.language, "never", "ещё не было"));
  if (!last_success.empty()) {
    try {
      success_text = LocalTime(std::stoll(last_success));
    } catch (const std::exception&) {
      success_text = last_success;
    }
  }
  std::string signed_in;
  if (token.ok()) {
    signed_in = login.empty() ? Pick(ctx.language, "yes", "да") : login;
    if (!display_name.empty()) signed_in += " (" + display_name + ", " + RoleLabel(ctx, role) + ")";
  } else if (token.status().code() == StatusCode::kNotFound) {
    signed_in = Pick(ctx.language, "not signed in", "не выполнен");
  } else {
    signed_in = token.status().message(ctx.language);
  }
  std::cout << Pick(ctx.language, "Pending changes: ", "Изменений к отправке: ") << pending << "\n"
            << Pick(ctx.language, "Last successful sync: ", "Последняя успешная синхронизация: ") << success_text
            << "\n"
            << Pick(ctx.language, "Last error: ", "Последняя ошибка: ") << (last_error.empty() ? "—" : last_error)
            << "\n"
            << Pick(ctx.language, "Server: ", "Сервер: ")
            << (server.empty() ? Pick(ctx.language, "not set", "не задан") : server) << "\n"
            << Pick(ctx.language, "Signed in: ", "Вход: ") << signed_in << "\n"
            << Pick(ctx.language, "Rejected changes: ", "Отклонённых изменений: ") << rejected.size() << "\n"
            << Pick(ctx.language, "Open conflicts: ", "Открытых конфликтов: ") << conflicts.size() << "\n";
  return Status::Ok();
}

Status SyncCommands::Conflicts(const SyncContext& ctx) {
  ASSIGN_OR_RETURN(auto conflicts, ctx.store.ledger().Conflicts(all_));
  auto who = [&](const core::FieldClock& clock) {
    const std::string device =
        clock.device_id == ctx.store.device_id()
            ? std::string(Pick(ctx.language, "this device", "это устройство"))
            : std::string(Pick(ctx.language, "device ", "устройство ")) + clock.device_id.substr(0, 8);
    return device + ", " + LocalTime(static_cast<int64_t>(clock.stamp.millis()));
  };
  for (const core::ConflictEntry& c : conflicts) {
    const std::string_view reason = core::ConflictReasonLabel(c.reason, ctx.language);
    std::cout << LocalTime(c.noticed_millis) << "  " << core::EnumLabel(c.kind, ctx.language) << " "
              << c.record_id.ToString() << Pick(ctx.language, "  field «", "  поле «") << c.field << "»: " << reason
              << (c.dismissed ? Pick(ctx.language, " [dismissed]", " [скрыт]") : "") << "\n"
              << Pick(ctx.language, "  kept: «", "  осталось: «") << OneLine(core::FieldValueToString(c.kept), 120)
              << "» (" << who(c.kept_clock) << ")\n"
              << Pick(ctx.language, "  lost: «", "  уступило: «") << OneLine(core::FieldValueToString(c.lost), 120)
              << "» (" << who(c.lost_clock) << ")\n";
  }
  if (conflicts.empty()) {
    std::cout << Pick(ctx.language, "No conflicts.", "Конфликтов нет.") << "\n";
  } else {
    std::cout << Pick(ctx.language, "Conflicts: ", "Конфликтов: ") << conflicts.size() << "\n";
  }
  return Status::Ok();
}

Status SyncCommands::Rejected(const SyncContext& ctx) {
  ASSIGN_OR_RETURN(auto rejected, ctx.store.ledger().Rejected());
  for (const core::RejectedEntry& r : rejected) {
    const std::string reason = LocalText{r.reason_ru, r.reason_en}.In(ctx.language);
    std::cout << "#" << r.op_seq << "  " << core::EnumLabel(r.kind, ctx.language) << " " << r.record_id.ToString()
              << "  " << LocalTime(r.rejected_millis) << "\n"
              << "  " << r.code << ": " << OneLine(reason, 300) << "\n";
  }
  if (rejected.empty()) {
    std::cout << Pick(ctx.language, "No rejected changes.", "Отклонённых изменений нет.") << "\n";
  } else {
    std::cout << Pick(ctx.language, "Rejected changes: ", "Отклонённых изменений: ") << rejected.size() << "\n";
  }
  return Status::Ok();
}

Status SyncCommands::StateHash(const SyncContext& ctx) {
  ASSIGN_OR_RETURN(std::string hash, sync::DeviceStateHash(ctx.store));
  std::cout << hash << "\n";
  return Status::Ok();
}

Status SyncCommands::Workload(const SyncContext& ctx) {
  core::WorkloadOptions options;
  options.seed = seed_;
  options.ops = ops_;
  ASSIGN_OR_RETURN(std::string person, SyncValue(ctx, sync::kPersonIdKey));
  if (!person.empty()) {
    auto id = core::Uuid::Parse(person);
    if (id.ok()) options.as_person = *id;
  }
  ASSIGN_OR_RETURN(core::WorkloadReport report, core::RunWorkload(ctx.store.records(), options));
  std::cout << Pick(ctx.language, "created ", "создано ") << report.created
            << Pick(ctx.language, ", edited ", ", изменено ") << report.edited
            << Pick(ctx.language, ", deleted ", ", удалено ") << report.deleted
            << Pick(ctx.language, ", skipped ", ", пропущено ") << report.skipped << "\n";
  return Status::Ok();
}

}  // namespace mentorlog::cli
