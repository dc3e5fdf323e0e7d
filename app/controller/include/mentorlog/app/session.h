// Signing in and out of the sync server, and what a sign-in keeps: the token in a 0600 file in
// the data folder (platform::WriteSecretFile), the server, login, person, name and role in the
// store's sync values. Shared by the app's controller and mentorlog-cli, so both keep the same
// sign-in and either can sync after the other signed in.
//
// Thread safety: free functions; the ledger is shared as it allows (the store's lock). SignIn and SignOut talk
// to the network: call them off the UI thread.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "mentorlog/base/status.h"
#include "mentorlog/store/sync_ledger.h"
#include "mentorlog/sync/client.h"
#include "mentorlog/sync/protocol.h"

namespace mentorlog::app {

// The token file in the data folder.
std::filesystem::path TokenPath(const std::filesystem::path& data_dir);

// Signs in at options.server_url (sync::Login with this store's device id), then keeps the
// token (WriteSecretFile) and the sign-in's sync values (sync::kServerKey, kLoginKey,
// kCaFileKey, kPersonIdKey, kDisplayNameKey, kRoleKey, kTokenExpiresKey) in one transaction.
// Errors: those of sync::Login (a refused password is Unauthenticated with the server's
// message), IoError when the token cannot be written, the store's errors.
Result<sync::LoginResponse> SignIn(core::SyncLedger& ledger, const std::filesystem::path& data_dir,
                                   const sync::ClientOptions& options, std::string_view login,
                                   std::string_view password);

// The client's options from the kept sign-in: server, CA file, token. Unauthenticated with
// `not_signed_in` as its message when there is no token or no server; IoError when the token
// file cannot be read.
Result<sync::ClientOptions> SignedInOptions(const core::SyncLedger& ledger, const std::filesystem::path& data_dir,
                                            LocalText not_signed_in);

// Whether a token is kept (the file exists and is readable).
bool HasToken(const std::filesystem::path& data_dir);

// What SignOut did: whether the server revoked the token (when not, it stays valid there until
// it expires), and why not.
struct SignOutReport {
  bool was_signed_in = false;
  Status revoked;  // Ok when revoked (or nothing to revoke)
};

// Revokes the token on the server (best effort, `max_attempts` tries) and deletes the token
// file. The sync values stay (the server and login prefill the next sign-in).
// Errors: IoError when the token file cannot be deleted or read.
Result<SignOutReport> SignOut(const core::SyncLedger& ledger, const std::filesystem::path& data_dir, int max_attempts);

}  // namespace mentorlog::app
