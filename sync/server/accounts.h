// Accounts of the central store: passwords (Argon2id), sign-in tokens, and the checks that
// keep an account tied to a real Person of the store (docs/http-api.md, "Accounts").
//
// - Passwords are hashed with libsodium's Argon2id string format; the parameters are in the
//   string, so changing them later still verifies old hashes (and a sign-in re-hashes them).
//   At most `max_concurrent_hashes` hashes run at once: each takes `argon2_memlimit_bytes`
//   of memory, and 1,000 people signing in at 08:00 must not ask for 64 GB.
// - A token is 32 random bytes as 64 lowercase hex characters. Only its SHA-256 (hex) is
//   stored, bound to the device that signed in, with an expiry. Signing out revokes it;
//   changing a password or disabling the account revokes every token of the account.
//
// Messages: every message meant for a person is written in English and Russian (Bilingual(),
// a LocalText in the Status). The HTTP layer answers both as ErrorBody's message_en and
// message_ru; the command line prints both ("English. / Русский.").
//
// Thread safety: an Accounts may be used from many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/sync/protocol.h"
#include "service.h"
#include "storage.h"

namespace mentorlog::server {

// ---- bilingual messages -----------------------------------------------------------------

// A message for people in both languages, English first as the code reads.
LocalText Bilingual(std::string_view en, std::string_view ru);

// ---- passwords and tokens ---------------------------------------------------------------

// libsodium's "interactive" Argon2id parameters: 2 passes over 64 MiB.
inline constexpr uint64_t kDefaultArgon2Opslimit = 2;
inline constexpr size_t kDefaultArgon2MemlimitBytes = size_t{64} << 20;
inline constexpr int64_t kDefaultTokenLifetimeMillis = int64_t{90} * 24 * 3600 * 1000;
inline constexpr size_t kMinPasswordChars = 8;
inline constexpr size_t kMaxPasswordBytes = 1024;

struct AccountsOptions {
  const mentorlog::Clock* clock = nullptr;  // null: the system clock
  uint64_t argon2_opslimit = kDefaultArgon2Opslimit;
  size_t argon2_memlimit_bytes = kDefaultArgon2MemlimitBytes;
  // Hashes (sign-ins, new passwords) running at once; more wait their turn.
  int max_concurrent_hashes = 4;
  int64_t token_lifetime_millis = kDefaultTokenLifetimeMillis;
};

// Hashes `password` with Argon2id. Internal when libsodium refuses (out of memory).
// Runs without the concurrency limit: Accounts wraps it.
Result<std::string> HashPassword(std::string_view password, uint64_t opslimit, size_t memlimit_bytes);
// Whether `password` matches `hash` (a string from HashPassword). A damaged hash is false.
bool VerifyPassword(std::string_view password, const std::string& hash);

// Hex SHA-256 of `token`, the only form a token is stored in.
std::string TokenHash(std::string_view token);

// Checks: a login is 2..64 of [a-z0-9._-]; a password has at least kMinPasswordChars
// characters (UTF-8 characters, not bytes) and at most kMaxPasswordBytes bytes.
// InvalidInput saying what is wrong, in both languages.
Status CheckLogin(std::string_view login);
Status CheckPassword(std::string_view password);

// ---- the Accounts service ---------------------------------------------------------------

enum class AccountOrigin { kRegular, kDemo };

// What `mentorlog-server user add` asks for.
struct NewAccount {
  std::string login;
  Role role = Role::kMentor;
  std::optional<Uuid> person_id;  // required for mentor, tutor and coordinator; none for admin
  std::string district;           // coordinators only; empty: the only district, if just one
  std::string password;
  AccountOrigin origin = AccountOrigin::kRegular;
};

class Accounts {
 public:
  // REQUIRES: `storage` outlives this object.
  Accounts(Storage& storage, AccountsOptions options);
  ~Accounts();
  Accounts(const Accounts&) = delete;
  Accounts& operator=(const Accounts&) = delete;

  // Signs in: checks the password and makes a token bound to `request.device_id`.
  // Errors:
  //   Unauthenticated: unknown login or wrong password (one message for both, and the same
  //     time spent: an unknown login is checked against a dummy hash).
  //   PermissionDenied: the password is right but the account is disabled.
  //   InvalidInput: the device id is empty or not printable ASCII (at most 128 characters).
  //   Conflict: the device id belongs to another account (the first to sign in with it, or
  //     to push under it, owns it; service.h); the message says what to do.
  //   Unavailable / IoError / Internal: the storage.
  // The first sign-in with a device id binds it to the account.
  Result<sync::LoginResponse> Login(const sync::LoginRequest& request);

  // The session behind a token.
  // Errors: Unauthenticated when the token is unknown, malformed, revoked or expired, or its
  // account is gone (the message asks to sign in again and says the unsynced work stays on
  // the device); PermissionDenied when the account is disabled (Disable revokes its tokens,
  // so only a storage edited by hand gets here); storage errors.
  Result<Session> Authenticate(std::string_view token);

  // Revokes the session's token. Signing out twice is fine.
  Status Logout(const Session& session);

  // Creates an account after checking it (CheckLogin, CheckPassword; a mentor, tutor or
  // coordinator needs `person_id` naming a live Person of the store whose roles include the
  // account's role; a coordinator needs a district the store knows; an admin takes neither).
  // Errors: InvalidInput naming the problem; Conflict when the login is taken; storage errors.
  Result<Account> AddUser(const NewAccount& account);

  // Sets a new password and revokes every token of the account (every device must sign in
  // again). Errors: NotFound (no such login), InvalidInput (CheckPassword), storage errors.
  Status SetPassword(std::string_view login, std::string_view password);

  // Disables the account and revokes its tokens. Disabling twice is fine.
  // Errors: NotFound, storage errors.
  Status Disable(std::string_view login);

  // Every account, ordered by login, with password_hash left empty.
  Result<std::vector<Account>> List();

  const AccountsOptions& options() const { return options_; }

 private:
  class HashSlots;

  Result<std::string> Hash(std::string_view password);
  bool Verify(std::string_view password, const std::string& hash);
  const std::string& DummyHash();

  Storage& storage_;
  AccountsOptions options_;
  const mentorlog::Clock& clock_;
  std::unique_ptr<HashSlots> slots_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

}  // namespace mentorlog::server
