#include "mentorlog/app/session.h"

#include <system_error>
#include <utility>

#include "mentorlog/platform/env.h"
#include "mentorlog/sync/device.h"

namespace mentorlog::app {

std::filesystem::path TokenPath(const std::filesystem::path& data_dir) { return data_dir / "token"; }

Result<sync::LoginResponse> SignIn(core::SyncLedger& ledger, const std::filesystem::path& data_dir,
                                   const sync::ClientOptions& options, std::string_view login,
                                   std::string_view password) {
  ASSIGN_OR_RETURN(sync::LoginResponse who, sync::Login(options, login, password, ledger.device_id()));
  RETURN_IF_ERROR(platform::WriteSecretFile(TokenPath(data_dir), who.token));
  RETURN_IF_ERROR(ledger.InTransaction([&]() -> Status {
    RETURN_IF_ERROR(ledger.SetSyncValue(sync::kServerKey, options.server_url));
    RETURN_IF_ERROR(ledger.SetSyncValue(sync::kLoginKey, login));
    RETURN_IF_ERROR(ledger.SetSyncValue(sync::kCaFileKey, options.ca_file));
    RETURN_IF_ERROR(ledger.SetSyncValue(sync::kPersonIdKey, who.person_id.ToString()));
    RETURN_IF_ERROR(ledger.SetSyncValue(sync::kDisplayNameKey, who.display_name));
    RETURN_IF_ERROR(ledger.SetSyncValue(sync::kRoleKey, sync::RoleCode(who.role)));
    return ledger.SetSyncValue(sync::kTokenExpiresKey, std::to_string(who.expires_millis));
  }));
  return who;
}

static Result<std::string> SyncValue(const core::SyncLedger& ledger, std::string_view key) {
  ASSIGN_OR_RETURN(std::optional<std::string> value, ledger.GetSyncValue(key));
  return value.value_or("");
}

Result<sync::ClientOptions> SignedInOptions(const core::SyncLedger& ledger, const std::filesystem::path& data_dir,
                                            LocalText not_signed_in) {
  sync::ClientOptions options;
  auto token = platform::ReadSecretFile(TokenPath(data_dir));
  if (!token.ok()) {
    if (token.status().code() == StatusCode::kNotFound) return Status::Unauthenticated(std::move(not_signed_in));
    return token.status();
  }
  options.token = *token;
  ASSIGN_OR_RETURN(options.server_url, SyncValue(ledger, sync::kServerKey));
  ASSIGN_OR_RETURN(options.ca_file, SyncValue(ledger, sync::kCaFileKey));
  if (options.token.empty() || options.server_url.empty()) return Status::Unauthenticated(std::move(not_signed_in));
  return options;
}

bool HasToken(const std::filesystem::path& data_dir) {
  auto token = platform::ReadSecretFile(TokenPath(data_dir));
  return token.ok() && !token->empty();
}

Result<SignOutReport> SignOut(const core::SyncLedger& ledger, const std::filesystem::path& data_dir, int max_attempts) {
  SignOutReport report;
  auto options = SignedInOptions(ledger, data_dir, LocalText{"вход не выполнен", "not signed in"});
  if (options.ok()) {
    report.was_signed_in = true;
    options->max_attempts = max_attempts;
    report.revoked = sync::Logout(*options);
  } else if (options.status().code() != StatusCode::kUnauthenticated) {
    return options.status();
  }
  std::error_code ec;
  std::filesystem::remove(TokenPath(data_dir), ec);  // a token without a server is of no use either
  if (ec) {
    return Status::IoError(LocalText{"Не удалось удалить файл ", "Cannot delete the token file "} +
                           TokenPath(data_dir).string() + ": " + ec.message());
  }
  return report;
}

}  // namespace mentorlog::app
