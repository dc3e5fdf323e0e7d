// Accounts, passwords and tokens (accounts.h).
//
// [SECTION] Messages
// [SECTION] Passwords and tokens
// [SECTION] Accounts

#include "accounts.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <semaphore>
#include <variant>

#include "mentorlog/domain/record_state.h"
#include "mentorlog/domain/records.h"

namespace mentorlog::server {

// -----------------------------------------------------------------------------------------
// [SECTION] Messages
// -----------------------------------------------------------------------------------------

LocalText Bilingual(std::string_view en, std::string_view ru) { return LocalText{std::string(ru), std::string(en)}; }

namespace {

Status WrongPassword() {
  return Status::Unauthenticated(Bilingual("Wrong login or password. Check both and try again.",
                                           "Неверный логин или пароль. Проверьте их и попробуйте ещё раз."));
}

Status AccountDisabled() {
  return Status::PermissionDenied(Bilingual("This account is disabled, ask your coordinator.",
                                            "Эта учётная запись отключена, обратитесь к координатору."));
}

Status SignInAgain(std::string_view why_en, std::string_view why_ru) {
  return Status::Unauthenticated(Bilingual(
      std::string(why_en) + " Sign in again; your unsynced work stays on this device until then.",
      std::string(why_ru) + " Войдите снова; несинхронизированные записи до тех пор остаются на этом устройстве."));
}

// -----------------------------------------------------------------------------------------
// [SECTION] Passwords and tokens
// -----------------------------------------------------------------------------------------

void EnsureSodium() {
  static const int ready = sodium_init();  // thread-safe once; 1 when already initialised
  (void)ready;
}

std::string ToHex(const unsigned char* bytes, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();  // the terminating NUL
  return out;
}

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

size_t Utf8Chars(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u; }));
}

// What people type on a phone: "Ivanova " is "ivanova".
std::string NormalizeLogin(std::string_view login) {
  while (!login.empty() && (login.front() == ' ' || login.front() == '\t')) login.remove_prefix(1);
  while (!login.empty() && (login.back() == ' ' || login.back() == '\t')) login.remove_suffix(1);
  std::string out(login);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Status CheckDeviceId(std::string_view device_id) {
  const bool printable = std::all_of(device_id.begin(), device_id.end(), [](char c) { return c > 0x20 && c < 0x7F; });
  if (device_id.empty() || device_id.size() > 128 || !printable) {
    return Status::InvalidInput(
        Bilingual("The device id must be 1 to 128 printable ASCII characters without spaces.",
                  "Идентификатор устройства должен состоять из 1–128 печатных символов ASCII без пробелов."));
  }
  return Status::Ok();
}

std::string TextField(const RecordState& state, std::string_view field) {
  const core::FieldState* f = state.Find(field);
  if (f == nullptr) return {};
  const auto* text = std::get_if<std::string>(&f->value);
  return text != nullptr ? *text : std::string();
}

core::Role CoreRoleOf(Role role) {
  switch (role) {
    case Role::kMentor:
      return core::Role::kMentor;
    case Role::kTutor:
      return core::Role::kTutor;
    case Role::kCoordinator:
    case Role::kAdmin:
      break;
  }
  return core::Role::kCoordinator;
}

std::string JoinQuoted(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "«" : ", «") + item + "»";
  return out;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password, uint64_t opslimit, size_t memlimit_bytes) {
  EnsureSodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), opslimit, memlimit_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Internal("Argon2id hashing failed (out of memory for " + std::to_string(memlimit_bytes >> 20) +
                            " MiB?)");
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  EnsureSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string TokenHash(std::string_view token) {
  EnsureSodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(token.data()), token.size());
  return ToHex(digest.data(), digest.size());
}

Status CheckLogin(std::string_view login) {
  const bool charset = std::all_of(login.begin(), login.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
  if (login.size() < 2 || login.size() > 64 || !charset) {
    return Status::InvalidInput(Bilingual(
        "The login «" + std::string(login) +
            "» is not allowed: use 2 to 64 lowercase Latin letters, digits, '.', '_' or '-' (e.g. ivanova.ma).",
        "Логин «" + std::string(login) +
            "» не подходит: нужно от 2 до 64 строчных латинских букв, цифр или знаков '.', '_', '-' (например, "
            "ivanova.ma)."));
  }
  return Status::Ok();
}

Status CheckPassword(std::string_view password) {
  if (Utf8Chars(password) < kMinPasswordChars) {
    return Status::InvalidInput(
        Bilingual("The password is too short: use at least " + std::to_string(kMinPasswordChars) + " characters.",
                  "Пароль слишком короткий: нужно не меньше " + std::to_string(kMinPasswordChars) + " символов."));
  }
  if (password.size() > kMaxPasswordBytes) {
    return Status::InvalidInput(
        Bilingual("The password is too long: use at most " + std::to_string(kMaxPasswordBytes) + " bytes.",
                  "Пароль слишком длинный: допустимо не больше " + std::to_string(kMaxPasswordBytes) + " байт."));
  }
  return Status::Ok();
}

// -----------------------------------------------------------------------------------------
// [SECTION] Accounts
// -----------------------------------------------------------------------------------------

// Turns for Argon2id: each hash holds one while it runs.
class Accounts::HashSlots {
 public:
  explicit HashSlots(int n) : slots_(std::max(1, n)) {}
  void Acquire() { slots_.acquire(); }
  void Release() { slots_.release(); }

 private:
  std::counting_semaphore<> slots_;
};

Accounts::Accounts(Storage& storage, AccountsOptions options)
    : storage_(storage),
      options_(options),
      clock_(options_.clock != nullptr ? *options_.clock : platform::DefaultClock()),
      slots_(std::make_unique<HashSlots>(options_.max_concurrent_hashes)) {
  EnsureSodium();
}

Accounts::~Accounts() = default;

Result<std::string> Accounts::Hash(std::string_view password) {
  slots_->Acquire();
  Result<std::string> hash = HashPassword(password, options_.argon2_opslimit, options_.argon2_memlimit_bytes);
  slots_->Release();
  return hash;
}

bool Accounts::Verify(std::string_view password, const std::string& hash) {
  slots_->Acquire();
  const bool match = VerifyPassword(password, hash);
  slots_->Release();
  return match;
}

const std::string& Accounts::DummyHash() {
  std::call_once(dummy_once_, [this] {
    std::array<unsigned char, 16> random{};
    randombytes_buf(random.data(), random.size());
    auto hash = Hash(ToHex(random.data(), random.size()));
    dummy_hash_ = hash.ok() ? *hash : std::string();
  });
  return dummy_hash_;
}

namespace {

Status DeviceOfAnotherAccount() {
  return Status::Conflict(
      Bilingual("This device already syncs the records of another account. Sign in with that account, or use a "
                "separate data folder for each account (mentorlog --data FOLDER).",
                "С этого устройства уже синхронизируются записи другой учётной записи. Войдите под той учётной "
                "записью или заведите для каждой учётной записи свою папку данных (mentorlog --data ПАПКА)."));
}

}  // namespace

Result<sync::LoginResponse> Accounts::Login(const sync::LoginRequest& request) {
  RETURN_IF_ERROR(CheckDeviceId(request.device_id));
  const std::string login = NormalizeLogin(request.login);
  std::optional<Account> account;
  RETURN_IF_ERROR(storage_.Read([&](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(account, tx.FindAccount(login));
    return Status::Ok();
  }));
  if (!account || request.password.size() > kMaxPasswordBytes) {
    // The same work as a real check, so the answer's timing does not tell which logins exist.
    (void)Verify(std::string_view(request.password).substr(0, kMaxPasswordBytes), DummyHash());
    return WrongPassword();
  }
  if (!Verify(request.password, account->password_hash)) return WrongPassword();
  if (account->disabled) return AccountDisabled();

  // Hashes made with other parameters than today's are upgraded while the password is at hand.
  std::optional<std::string> rehashed;
  if (crypto_pwhash_str_needs_rehash(account->password_hash.c_str(), options_.argon2_opslimit,
                                     options_.argon2_memlimit_bytes) != 0) {
    if (auto h = Hash(request.password); h.ok()) rehashed = *h;
  }

  std::array<unsigned char, 32> random{};
  randombytes_buf(random.data(), random.size());
  sync::LoginResponse response;
  response.token = ToHex(random.data(), random.size());
  response.expires_millis = clock_.NowMillis() + options_.token_lifetime_millis;
  response.role = account->role;
  response.person_id = account->person_id.value_or(Uuid());
  response.display_name = account->login;

  RETURN_IF_ERROR(storage_.Write([&](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(std::optional<Account> current, tx.FindAccountById(account->id));
    // The password changed while we checked the old one: that sign-in no longer counts.
    if (!current || current->password_hash != account->password_hash) return WrongPassword();
    if (current->disabled) return AccountDisabled();
    // A device id belongs to the first account that signs in with it (service.h).
    ASSIGN_OR_RETURN(std::optional<int64_t> owner, tx.DeviceOwner(request.device_id));
    if (owner && *owner != current->id) return DeviceOfAnotherAccount();
    if (!owner) RETURN_IF_ERROR(tx.SetDeviceOpSeq(request.device_id, current->id, 0));
    if (rehashed) {
      current->password_hash = *rehashed;
      RETURN_IF_ERROR(tx.UpdateAccount(*current));
    }
    RETURN_IF_ERROR(
        tx.PutToken(TokenRow{TokenHash(response.token), current->id, request.device_id, response.expires_millis,
                             /*revoked=*/false}));
    if (current->person_id) {
      ASSIGN_OR_RETURN(std::optional<StoredRecord> person, tx.LoadRecord(*current->person_id));
      if (person && !person->state.deleted && person->state.kind == core::RecordKind::kPerson) {
        std::string name = TextField(person->state, "full_name");
        if (!name.empty()) response.display_name = std::move(name);
      }
    }
    return Status::Ok();
  }));
  return response;
}

Result<Session> Accounts::Authenticate(std::string_view token) {
  if (token.size() != 64 || !IsLowerHex(token)) {
    return SignInAgain("This device's sign-in is not valid.", "Вход с этого устройства недействителен.");
  }
  Session session;
  session.token_hash = TokenHash(token);
  const int64_t now = clock_.NowMillis();
  RETURN_IF_ERROR(storage_.Read([&](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(std::optional<TokenRow> row, tx.FindToken(session.token_hash));
    if (!row) {
      return SignInAgain("The server does not know this device's sign-in.", "Сервер не знает вход с этого устройства.");
    }
    if (row->revoked) {
      return SignInAgain("This device was signed out (a sign-out, or a new password).",
                         "С этого устройства был выполнен выход (выход из учётной записи или смена пароля).");
    }
    if (row->expires_millis <= now) {
      return SignInAgain("The sign-in on this device has expired.", "Срок входа на этом устройстве истёк.");
    }
    ASSIGN_OR_RETURN(std::optional<Account> account, tx.FindAccountById(row->account_id));
    if (!account) {
      return SignInAgain("The account of this sign-in no longer exists.",
                         "Учётной записи, с которой выполнен вход, больше нет.");
    }
    if (account->disabled) return AccountDisabled();
    session.account = std::move(*account);
    session.account.password_hash.clear();
    session.device_id = row->device_id;
    return Status::Ok();
  }));
  return session;
}

Status Accounts::Logout(const Session& session) {
  return storage_.Write([&](StorageTx& tx) { return tx.RevokeToken(session.token_hash); });
}

Result<Account> Accounts::AddUser(const NewAccount& n) {
  RETURN_IF_ERROR(CheckLogin(n.login));
  RETURN_IF_ERROR(CheckPassword(n.password));
  const std::string role(sync::RoleCode(n.role));
  if (n.role == Role::kAdmin && n.person_id) {
    return Status::InvalidInput(Bilingual("An admin account acts as no person: leave out --person.",
                                          "Учётная запись администратора не связана с человеком: уберите --person."));
  }
  if (n.role != Role::kAdmin && !n.person_id) {
    return Status::InvalidInput(
        Bilingual("A " + role + " account needs the id of their Person record in the central store (--person ID).",
                  "Учётной записи с ролью " + role +
                      " нужен идентификатор записи человека в центральном хранилище (--person ID)."));
  }
  if (n.role != Role::kCoordinator && !n.district.empty()) {
    return Status::InvalidInput(Bilingual("Only a coordinator account has a district: leave out --district.",
                                          "Район указывается только для координатора: уберите --district."));
  }
  ASSIGN_OR_RETURN(std::string hash, Hash(n.password));

  Account account;
  account.login = n.login;
  account.role = n.role;
  account.person_id = n.person_id;
  account.district = n.district;
  account.password_hash = std::move(hash);
  account.demo = n.origin == AccountOrigin::kDemo;
  account.created_millis = clock_.NowMillis();

  RETURN_IF_ERROR(storage_.Write([&](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(std::optional<Account> existing, tx.FindAccount(n.login));
    if (existing) {
      return Status::Conflict(Bilingual("The login «" + n.login + "» is taken; choose another.",
                                        "Логин «" + n.login + "» уже занят; выберите другой."));
    }
    if (n.person_id) {
      const std::string id = n.person_id->ToString();
      ASSIGN_OR_RETURN(std::optional<StoredRecord> stored, tx.LoadRecord(*n.person_id));
      if (!stored || stored->state.deleted || stored->state.kind != core::RecordKind::kPerson) {
        return Status::InvalidInput(
            Bilingual("No person has the id " + id +
                          " in the central store. Import the people first (mentorlog-server import people FILE).",
                      "В центральном хранилище нет человека с идентификатором " + id +
                          ". Сначала загрузите людей (mentorlog-server import people FILE)."));
      }
      ASSIGN_OR_RETURN(core::Person person, core::RecordFromState<core::Person>(stored->state));
      if (std::find(person.roles.begin(), person.roles.end(), CoreRoleOf(n.role)) == person.roles.end()) {
        std::vector<std::string> en_roles, ru_roles;
        for (core::Role r : person.roles) {
          en_roles.emplace_back(core::EnumLabel(r, Language::kEnglish));
          ru_roles.emplace_back(core::EnumLabel(r, Language::kRussian));
        }
        return Status::InvalidInput(Bilingual(
            person.full_name + " (" + id + ") does not have the role «" +
                std::string(core::EnumLabel(CoreRoleOf(n.role), Language::kEnglish)) + "»; their roles: " +
                (en_roles.empty() ? "none" : JoinQuoted(en_roles)) + ". Add the role to the person first.",
            person.full_name + " (" + id + ") не имеет роли «" +
                std::string(core::EnumLabel(CoreRoleOf(n.role), Language::kRussian)) +
                "»; роли: " + (ru_roles.empty() ? "нет" : JoinQuoted(ru_roles)) + ". Сначала добавьте роль."));
      }
    }
    if (n.role == Role::kCoordinator) {
      ASSIGN_OR_RETURN(std::vector<std::string> districts, tx.Districts());
      if (account.district.empty()) {
        if (districts.empty()) {
          return Status::InvalidInput(
              Bilingual("The central store has no schools yet, so no district: import the schools first.",
                        "В центральном хранилище ещё нет школ, а значит и районов: сначала загрузите школы."));
        }
        if (districts.size() > 1) {
          return Status::InvalidInput(Bilingual(
              "The central store has several districts (" + JoinQuoted(districts) + "): choose one with --district.",
              "В центральном хранилище несколько районов (" + JoinQuoted(districts) + "): укажите один в --district."));
        }
        account.district = districts.front();
      } else if (std::find(districts.begin(), districts.end(), account.district) == districts.end()) {
        return Status::InvalidInput(
            Bilingual("No school of the central store is in the district «" + account.district +
                          "»; the districts are: " + (districts.empty() ? "none yet" : JoinQuoted(districts)) + ".",
                      "Ни одна школа центрального хранилища не относится к району «" + account.district +
                          "»; районы: " + (districts.empty() ? "пока нет" : JoinQuoted(districts)) + "."));
      }
    }
    ASSIGN_OR_RETURN(account.id, tx.CreateAccount(account));
    return Status::Ok();
  }));
  account.password_hash.clear();
  return account;
}

namespace {

Status NoSuchLogin(std::string_view login) {
  return Status::NotFound(Bilingual("There is no account «" + std::string(login) + "».",
                                    "Учётной записи «" + std::string(login) + "» нет."));
}

}  // namespace

Status Accounts::SetPassword(std::string_view login, std::string_view password) {
  RETURN_IF_ERROR(CheckPassword(password));
  ASSIGN_OR_RETURN(std::string hash, Hash(password));
  return storage_.Write([&](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(std::optional<Account> account, tx.FindAccount(std::string(login)));
    if (!account) return NoSuchLogin(login);
    account->password_hash = hash;
    RETURN_IF_ERROR(tx.UpdateAccount(*account));
    return tx.RevokeTokensOf(account->id);
  });
}

Status Accounts::Disable(std::string_view login) {
  return storage_.Write([&](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(std::optional<Account> account, tx.FindAccount(std::string(login)));
    if (!account) return NoSuchLogin(login);
    account->disabled = true;
    RETURN_IF_ERROR(tx.UpdateAccount(*account));
    return tx.RevokeTokensOf(account->id);
  });
}

Result<std::vector<Account>> Accounts::List() {
  std::vector<Account> accounts;
  RETURN_IF_ERROR(storage_.Read([&](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(accounts, tx.ListAccounts());
    return Status::Ok();
  }));
  for (auto& a : accounts) a.password_hash.clear();
  std::sort(accounts.begin(), accounts.end(), [](const Account& a, const Account& b) { return a.login < b.login; });
  return accounts;
}

}  // namespace mentorlog::server
