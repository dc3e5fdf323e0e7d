// Accounts (sync/server/accounts.h): password hashes, tokens and their lifecycle, the checks
// of `user add`, on an SQLite central store in a temporary folder.
//
// [SECTION] Fixture
// [SECTION] Passwords, tokens, messages
// [SECTION] AddUser
// [SECTION] Login and Authenticate
// [SECTION] Logout, SetPassword, Disable, List
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "accounts.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/store/store.h"
#include "service.h"
#include "storage.h"

namespace mentorlog::server {
namespace {

// -----------------------------------------------------------------------------------------
// [SECTION] Fixture
// -----------------------------------------------------------------------------------------

template <class T>
T Must(Result<T> result, const std::string& what) {
  if (!result.ok()) {
    ADD_FAILURE() << what << ": " << result.status().ToString();
    throw std::runtime_error("required step failed: " + what);
  }
  return std::move(result).value();
}

void Must(const Status& status, const std::string& what) {
  if (!status.ok()) {
    ADD_FAILURE() << what << ": " << status.ToString();
    throw std::runtime_error("required step failed: " + what);
  }
}

constexpr int64_t kStartMillis = 1'767'225'600'000;  // 2026-01-01
constexpr char kDistrict[] = "Тестовый район";
constexpr char kPassword[] = "correct horse battery";
// libsodium's smallest Argon2id parameters: the tests check the logic, not the cost.
constexpr uint64_t kFastOps = 1;
constexpr size_t kFastMem = 8192;

bool IsBilingual(const Status& s) {
  const std::string& en = s.message(Language::kEnglish);
  const std::string& ru = s.message(Language::kRussian);
  return en != ru && !en.empty() && ru.find("\xD0") != std::string::npos;
}

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/mentorlog-accounts-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    storage_ = Must(OpenSqliteStorage((dir_ / "central.db").string()), "open the central store");
    service_ = std::make_unique<SyncService>(*storage_, ServiceOptions{});
    accounts_ = MakeAccounts();

    // A small district: a school, its teacher, a mentor, a tutor and a coordinator.
    core::StoreOptions options;
    options.path = dir_ / "local.db";
    options.device_id = "accounts-test-device";
    store_ = Must(core::Store::Open(options), "open a local store");
    core::School school;
    school.code = "T-001";
    school.name = "Школа №1";
    school.municipality = "Тестовый";
    school.district = kDistrict;
    school_ = Must(store_->records().Save(school), "save the school");
    teacher_ = SavePerson("Учитель Иван Иванович", {core::Role::kTeacher}, school_.id);
    mentor_ = SavePerson("Наставник Мария Петровна", {core::Role::kMentor}, std::nullopt);
    tutor_ = SavePerson("Тьютор Анна Сергеевна", {core::Role::kTutor}, std::nullopt);
    coordinator_ = SavePerson("Координатор Олег Ильич", {core::Role::kCoordinator}, std::nullopt);
    Ingest();
  }

  void TearDown() override {
    accounts_.reset();
    service_.reset();
    storage_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::unique_ptr<Accounts> MakeAccounts(uint64_t opslimit = kFastOps, int max_concurrent = 4) {
    AccountsOptions o;
    o.clock = &clock_;
    o.argon2_opslimit = opslimit;
    o.argon2_memlimit_bytes = kFastMem;
    o.max_concurrent_hashes = max_concurrent;
    return std::make_unique<Accounts>(*storage_, o);
  }

  core::Person SavePerson(const std::string& name, std::vector<core::Role> roles, std::optional<Uuid> school) {
    core::Person p;
    p.full_name = name;
    p.roles = std::move(roles);
    p.school_id = school;
    return Must(store_->records().Save(p), "save " + name);
  }

  void Ingest() { Must(service_->IngestStore(*store_), "ingest the local store"); }

  Account Add(const std::string& login, Role role, std::optional<Uuid> person, std::string district = "") {
    return Must(accounts_->AddUser(NewAccount{login, role, person, std::move(district), kPassword}), "add " + login);
  }

  Status AddStatus(const std::string& login, Role role, std::optional<Uuid> person, std::string district = "",
                   std::string password = kPassword) {
    return accounts_->AddUser(NewAccount{login, role, person, std::move(district), std::move(password)}).status();
  }

  sync::LoginResponse SignIn(const std::string& login, const std::string& device = "device-1") {
    return Must(accounts_->Login(sync::LoginRequest{login, kPassword, device}), "sign in as " + login);
  }

  std::optional<Account> Stored(const std::string& login) {
    std::optional<Account> a;
    Must(storage_->Read([&](StorageTx& tx) -> Status {
      ASSIGN_OR_RETURN(a, tx.FindAccount(login));
      return Status::Ok();
    }),
         "find " + login);
    return a;
  }

  mentorlog::FakeClock clock_{kStartMillis};
  std::filesystem::path dir_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<SyncService> service_;
  std::unique_ptr<Accounts> accounts_;
  std::unique_ptr<core::Store> store_;
  core::School school_;
  core::Person teacher_, mentor_, tutor_, coordinator_;
};

// -----------------------------------------------------------------------------------------
// [SECTION] Passwords, tokens, messages
// -----------------------------------------------------------------------------------------

TEST(PasswordTest, HashVerifiesOnlyTheRightPassword) {
  const std::string hash = Must(HashPassword("пароль-из-слов", kFastOps, kFastMem), "hash");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_TRUE(VerifyPassword("пароль-из-слов", hash));
  EXPECT_FALSE(VerifyPassword("пароль-из-слов ", hash));
  EXPECT_FALSE(VerifyPassword("", hash));
  EXPECT_FALSE(VerifyPassword("пароль-из-слов", ""));
  EXPECT_FALSE(VerifyPassword("пароль-из-слов", hash.substr(0, hash.size() - 4)));
  EXPECT_FALSE(VerifyPassword("пароль-из-слов", "not a hash at all"));
  // Two hashes of one password differ (random salt), and both verify.
  const std::string again = Must(HashPassword("пароль-из-слов", kFastOps, kFastMem), "hash again");
  EXPECT_NE(hash, again);
  EXPECT_TRUE(VerifyPassword("пароль-из-слов", again));
}

TEST(PasswordTest, DefaultParametersAreInteractiveArgon2id) {
  const std::string hash =
      Must(HashPassword("a password", kDefaultArgon2Opslimit, kDefaultArgon2MemlimitBytes), "hash with defaults");
  EXPECT_NE(hash.find("$argon2id$v=19$m=65536,t=2,"), std::string::npos) << hash;
  EXPECT_TRUE(VerifyPassword("a password", hash));
}

TEST(PasswordTest, TokenHashIsHexSha256) {
  EXPECT_EQ(TokenHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(TokenHash("").size(), 64u);
}

TEST(PasswordTest, LoginCharsetAndLength) {
  for (const char* ok :
       {"ab", "ivanova.ma", "mentor_1", "a-b", "0123456789012345678901234567890123456789012345678901234567890123"}) {
    EXPECT_TRUE(CheckLogin(ok).ok()) << ok;
  }
  for (const char* bad : {"", "a", "Ivanova", "ива", "a b", "a@b", "a/b",
                          "01234567890123456789012345678901234567890123456789012345678901234"}) {
    const Status s = CheckLogin(bad);
    EXPECT_EQ(s.code(), StatusCode::kInvalidInput) << bad;
    EXPECT_TRUE(IsBilingual(s)) << s.message();
  }
}

TEST(PasswordTest, PasswordLengthCountsCharactersNotBytes) {
  EXPECT_TRUE(CheckPassword("12345678").ok());
  EXPECT_EQ(CheckPassword("1234567").code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(CheckPassword("пароль12").ok());                            // 8 characters, 14 bytes
  EXPECT_EQ(CheckPassword("пароль1").code(), StatusCode::kInvalidInput);  // 7 characters, 13 bytes
  EXPECT_EQ(CheckPassword(std::string(kMaxPasswordBytes + 1, 'x')).code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(CheckPassword(std::string(kMaxPasswordBytes, 'x')).ok());
  EXPECT_TRUE(IsBilingual(CheckPassword("short")));
}

TEST(PasswordTest, BilingualMessagesSplitBack) {
  // Both halves travel in the Status and come back apart (the HTTP layer answers both).
  const Status s = Status::Unauthenticated(Bilingual("Sign in again.", "Войдите снова. / Б"));
  EXPECT_EQ(s.message(Language::kEnglish), "Sign in again.");
  EXPECT_EQ(s.message(Language::kRussian), "Войдите снова. / Б");
  // A single text (the storage's) reads the same in both.
  const Status single = Status::Unavailable("database is locked");
  EXPECT_EQ(single.message(Language::kEnglish), "database is locked");
  EXPECT_EQ(single.message(Language::kRussian), "database is locked");
}

// -----------------------------------------------------------------------------------------
// [SECTION] AddUser
// -----------------------------------------------------------------------------------------

TEST_F(AccountsTest, AddsEachRoleWithItsPerson) {
  const Account m = Add("mentor.one", Role::kMentor, mentor_.id);
  EXPECT_GT(m.id, 0);
  EXPECT_EQ(m.person_id, mentor_.id);
  EXPECT_TRUE(m.password_hash.empty());  // never handed out
  EXPECT_EQ(m.created_millis, kStartMillis);
  Add("tutor.one", Role::kTutor, tutor_.id);
  const Account c = Add("coord.one", Role::kCoordinator, coordinator_.id);
  EXPECT_EQ(c.district, kDistrict);  // the only district
  const Account a = Add("admin", Role::kAdmin, std::nullopt);
  EXPECT_FALSE(a.person_id.has_value());

  const std::optional<Account> stored = Stored("mentor.one");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->role, Role::kMentor);
  EXPECT_FALSE(stored->demo);
  EXPECT_TRUE(VerifyPassword(kPassword, stored->password_hash));
}

TEST_F(AccountsTest, DemoAccountsAreMarked) {
  ASSERT_TRUE(
      accounts_->AddUser(NewAccount{"demo.admin", Role::kAdmin, std::nullopt, "", kPassword, AccountOrigin::kDemo})
          .ok());
  EXPECT_TRUE(Stored("demo.admin")->demo);
}

TEST_F(AccountsTest, AddRefusesBadLoginsAndPasswords) {
  EXPECT_EQ(AddStatus("Mentor", Role::kMentor, mentor_.id).code(), StatusCode::kInvalidInput);
  EXPECT_EQ(AddStatus("m", Role::kMentor, mentor_.id).code(), StatusCode::kInvalidInput);
  const Status short_password = AddStatus("mentor.one", Role::kMentor, mentor_.id, "", "1234567");
  EXPECT_EQ(short_password.code(), StatusCode::kInvalidInput);
  EXPECT_NE(short_password.message().find("at least 8"), std::string::npos) << short_password.message();
  EXPECT_FALSE(Stored("mentor.one").has_value());
}

TEST_F(AccountsTest, AddRefusesATakenLogin) {
  Add("mentor.one", Role::kMentor, mentor_.id);
  const Status s = AddStatus("mentor.one", Role::kTutor, tutor_.id);
  EXPECT_EQ(s.code(), StatusCode::kConflict);
  EXPECT_TRUE(IsBilingual(s)) << s.message();
  EXPECT_EQ(Stored("mentor.one")->role, Role::kMentor);
}

TEST_F(AccountsTest, PeopleRolesNeedAPerson) {
  for (Role role : {Role::kMentor, Role::kTutor, Role::kCoordinator}) {
    const Status s = AddStatus("someone", role, std::nullopt);
    EXPECT_EQ(s.code(), StatusCode::kInvalidInput) << sync::RoleCode(role);
    EXPECT_NE(s.message().find("--person"), std::string::npos) << s.message();
  }
}

TEST_F(AccountsTest, ThePersonMustExistAndBeLive) {
  const Uuid unknown = Uuid::MakeV7(kStartMillis);
  const Status s = AddStatus("mentor.one", Role::kMentor, unknown);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_NE(s.message().find(unknown.ToString()), std::string::npos) << s.message();
  EXPECT_TRUE(IsBilingual(s));
  // A school's id is not a person's.
  EXPECT_EQ(AddStatus("mentor.one", Role::kMentor, school_.id).code(), StatusCode::kInvalidInput);
  // A deleted person cannot get an account.
  Must(store_->records().Delete(core::RecordKind::kPerson, mentor_.id), "delete the mentor");
  Ingest();
  EXPECT_EQ(AddStatus("mentor.one", Role::kMentor, mentor_.id).code(), StatusCode::kInvalidInput);
}

TEST_F(AccountsTest, ThePersonMustHaveTheRole) {
  const Status teacher_as_mentor = AddStatus("teacher.one", Role::kMentor, teacher_.id);
  EXPECT_EQ(teacher_as_mentor.code(), StatusCode::kInvalidInput);
  EXPECT_NE(teacher_as_mentor.message().find("Учитель Иван Иванович"), std::string::npos)
      << teacher_as_mentor.message();
  EXPECT_EQ(AddStatus("mentor.as.tutor", Role::kTutor, mentor_.id).code(), StatusCode::kInvalidInput);
  EXPECT_EQ(AddStatus("tutor.as.coord", Role::kCoordinator, tutor_.id).code(), StatusCode::kInvalidInput);
  EXPECT_EQ(AddStatus("coord.as.mentor", Role::kMentor, coordinator_.id).code(), StatusCode::kInvalidInput);
}

TEST_F(AccountsTest, AnAdminActsAsNoPersonAndOnlyCoordinatorsHaveADistrict) {
  EXPECT_EQ(AddStatus("admin", Role::kAdmin, coordinator_.id).code(), StatusCode::kInvalidInput);
  EXPECT_EQ(AddStatus("mentor.one", Role::kMentor, mentor_.id, kDistrict).code(), StatusCode::kInvalidInput);
  EXPECT_EQ(AddStatus("admin", Role::kAdmin, std::nullopt, kDistrict).code(), StatusCode::kInvalidInput);
}

TEST_F(AccountsTest, ACoordinatorsDistrictMustExist) {
  const Status s = AddStatus("coord.one", Role::kCoordinator, coordinator_.id, "Другой район");
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_NE(s.message().find(kDistrict), std::string::npos) << "lists the known districts: " << s.message();
  EXPECT_EQ(Add("coord.one", Role::kCoordinator, coordinator_.id, kDistrict).district, kDistrict);
}

TEST_F(AccountsTest, ACoordinatorMustChooseAmongSeveralDistricts) {
  core::School other;
  other.code = "T-002";
  other.name = "Школа №2";
  other.municipality = "Другой";
  other.district = "Второй район";
  Must(store_->records().Save(other).status(), "save a school of another district");
  Ingest();
  const Status s = AddStatus("coord.one", Role::kCoordinator, coordinator_.id);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_NE(s.message().find("Второй район"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("--district"), std::string::npos) << s.message();
  EXPECT_EQ(Add("coord.two", Role::kCoordinator, coordinator_.id, "Второй район").district, "Второй район");
}

TEST(AccountsEmptyStoreTest, ACoordinatorNeedsSchoolsFirst) {
  char pattern[] = "/tmp/mentorlog-accounts-test-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::filesystem::path dir = pattern;
  {
    auto storage = Must(OpenSqliteStorage((dir / "central.db").string()), "open");
    SyncService service(*storage, ServiceOptions{});
    core::StoreOptions options;
    options.path = dir / "local.db";
    options.device_id = "accounts-test-device";
    auto store = Must(core::Store::Open(options), "open a local store");
    core::Person coordinator;
    coordinator.full_name = "Координатор без школ";
    coordinator.roles = {core::Role::kCoordinator};
    coordinator = Must(store->records().Save(coordinator), "save the coordinator");
    Must(service.IngestStore(*store, "Заречный"), "ingest");

    AccountsOptions o;
    o.argon2_opslimit = kFastOps;
    o.argon2_memlimit_bytes = kFastMem;
    Accounts accounts(*storage, o);
    const Status s = accounts.AddUser(NewAccount{"coord", Role::kCoordinator, coordinator.id, "", kPassword}).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
    EXPECT_NE(s.message().find("import the schools first"), std::string::npos) << s.message();
    // An admin needs neither a person nor a school.
    EXPECT_TRUE(accounts.AddUser(NewAccount{"admin", Role::kAdmin, std::nullopt, "", kPassword}).ok());
  }
  std::filesystem::remove_all(dir);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Login and Authenticate
// -----------------------------------------------------------------------------------------

TEST_F(AccountsTest, LoginGivesATokenBoundToTheDevice) {
  Add("mentor.one", Role::kMentor, mentor_.id);
  const sync::LoginResponse r = SignIn("mentor.one", "device-a");
  ASSERT_EQ(r.token.size(), 64u);
  EXPECT_EQ(r.token.find_first_not_of("0123456789abcdef"), std::string::npos) << r.token;
  EXPECT_EQ(r.role, Role::kMentor);
  EXPECT_EQ(r.person_id, mentor_.id);
  EXPECT_EQ(r.display_name, "Наставник Мария Петровна");
  EXPECT_EQ(r.expires_millis, kStartMillis + kDefaultTokenLifetimeMillis);

  // Only the token's hash is stored.
  std::optional<TokenRow> row;
  Must(storage_->Read([&](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(row, tx.FindToken(TokenHash(r.token)));
    return Status::Ok();
  }),
       "find the token");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->device_id, "device-a");
  EXPECT_FALSE(row->revoked);
  std::optional<TokenRow> raw;
  Must(storage_->Read([&](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(raw, tx.FindToken(r.token));
    return Status::Ok();
  }),
       "look the raw token up");
  EXPECT_FALSE(raw.has_value());

  const Session s = Must(accounts_->Authenticate(r.token), "authenticate");
  EXPECT_EQ(s.account.login, "mentor.one");
  EXPECT_EQ(s.device_id, "device-a");
  EXPECT_EQ(s.token_hash, TokenHash(r.token));
  EXPECT_TRUE(s.account.password_hash.empty());

  // Two sign-ins, two tokens.
  EXPECT_NE(SignIn("mentor.one", "device-a").token, r.token);
}

TEST_F(AccountsTest, AdminDisplayNameIsTheLogin) {
  Add("admin", Role::kAdmin, std::nullopt);
  const sync::LoginResponse r = SignIn("admin");
  EXPECT_EQ(r.display_name, "admin");
  EXPECT_TRUE(r.person_id.IsNil());
  EXPECT_EQ(r.role, Role::kAdmin);
}

TEST_F(AccountsTest, LoginForgivesCaseAndSpaces) {
  Add("mentor.one", Role::kMentor, mentor_.id);
  EXPECT_TRUE(accounts_->Login(sync::LoginRequest{"  Mentor.One ", kPassword, "device-1"}).ok());
}

TEST_F(AccountsTest, UnknownLoginAndWrongPasswordLookTheSame) {
  Add("mentor.one", Role::kMentor, mentor_.id);
  const Status wrong = accounts_->Login(sync::LoginRequest{"mentor.one", "wrong password", "d"}).status();
  const Status unknown = accounts_->Login(sync::LoginRequest{"nobody", kPassword, "d"}).status();
  const Status too_long =
      accounts_->Login(sync::LoginRequest{"mentor.one", std::string(kMaxPasswordBytes + 1, 'x'), "d"}).status();
  EXPECT_EQ(wrong.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(unknown.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong.message(), unknown.message());
  EXPECT_EQ(too_long.message(), unknown.message());
  EXPECT_TRUE(IsBilingual(wrong)) << wrong.message();
}

TEST_F(AccountsTest, LoginRefusesABadDeviceId) {
  Add("mentor.one", Role::kMentor, mentor_.id);
  for (const std::string& device :
       {std::string(), std::string("has space"), std::string(129, 'd'), std::string("нет-ascii")}) {
    const Status s = accounts_->Login(sync::LoginRequest{"mentor.one", kPassword, device}).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidInput) << device;
  }
}

TEST_F(AccountsTest, TokensExpire) {
  Add("mentor.one", Role::kMentor, mentor_.id);
  const sync::LoginResponse r = SignIn("mentor.one");
  clock_.Set(r.expires_millis - 1);
  EXPECT_TRUE(accounts_->Authenticate(r.token).ok());
  clock_.Set(r.expires_millis);
  const Status s = accounts_->Authenticate(r.token).status();
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(s.message().find("expired"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("stays on this device"), std::string::npos) << s.message();
  EXPECT_TRUE(IsBilingual(s));
  // Signing in again gives a token that lasts from now.
  EXPECT_EQ(SignIn("mentor.one").expires_millis, r.expires_millis + kDefaultTokenLifetimeMillis);
}

TEST_F(AccountsTest, TokenLifetimeIsConfigurable) {
  AccountsOptions o = accounts_->options();
  o.token_lifetime_millis = 3'600'000;
  Accounts hourly(*storage_, o);
  Add("mentor.one", Role::kMentor, mentor_.id);
  const auto r = Must(hourly.Login(sync::LoginRequest{"mentor.one", kPassword, "d"}), "sign in");
  EXPECT_EQ(r.expires_millis, kStartMillis + 3'600'000);
  clock_.Advance(3'600'000);
  EXPECT_EQ(hourly.Authenticate(r.token).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(AccountsTest, MalformedAndUnknownTokensAreRefused) {
  Add("mentor.one", Role::kMentor, mentor_.id);
  const std::string token = SignIn("mentor.one").token;
  std::string upper = token;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& bad : {std::string(), std::string("abc"), token + "0", token.substr(1), upper,
                                 std::string(64, '0'), std::string(64, 'z')}) {
    const Status s = accounts_->Authenticate(bad).status();
    EXPECT_EQ(s.code(), StatusCode::kUnauthenticated) << bad;
    EXPECT_TRUE(IsBilingual(s)) << s.message();
  }
}

TEST_F(AccountsTest, ALoginRehashesAnOldHash) {
  Add("mentor.one", Role::kMentor, mentor_.id);  // opslimit 1
  const std::string before = Stored("mentor.one")->password_hash;
  EXPECT_NE(before.find(",t=1,"), std::string::npos) << before;
  auto stronger = MakeAccounts(/*opslimit=*/2);
  ASSERT_TRUE(stronger->Login(sync::LoginRequest{"mentor.one", kPassword, "d"}).ok());
  const std::string after = Stored("mentor.one")->password_hash;
  EXPECT_NE(after.find(",t=2,"), std::string::npos) << after;
  EXPECT_TRUE(VerifyPassword(kPassword, after));
  // The tokens made before stay valid: a rehash is not a password change.
  EXPECT_TRUE(stronger->Login(sync::LoginRequest{"mentor.one", kPassword, "d"}).ok());
}

TEST_F(AccountsTest, ManySimultaneousLoginsAllSucceedThroughFewHashSlots) {
  Add("mentor.one", Role::kMentor, mentor_.id);
  auto narrow = MakeAccounts(kFastOps, /*max_concurrent=*/2);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      if (narrow->Login(sync::LoginRequest{"mentor.one", kPassword, "device-" + std::to_string(i)}).ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 16);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Logout, SetPassword, Disable, List
// -----------------------------------------------------------------------------------------

TEST_F(AccountsTest, LogoutRevokesOnlyThatToken) {
  Add("mentor.one", Role::kMentor, mentor_.id);
  const std::string a = SignIn("mentor.one", "device-a").token;
  const std::string b = SignIn("mentor.one", "device-b").token;
  const Session session = Must(accounts_->Authenticate(a), "authenticate a");
  ASSERT_TRUE(accounts_->Logout(session).ok());
  const Status s = accounts_->Authenticate(a).status();
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(s.message().find("signed out"), std::string::npos) << s.message();
  EXPECT_TRUE(accounts_->Authenticate(b).ok());
  EXPECT_TRUE(accounts_->Logout(session).ok());  // twice is fine
}

TEST_F(AccountsTest, SetPasswordRevokesEveryTokenOfTheAccount) {
  Add("mentor.one", Role::kMentor, mentor_.id);
  Add("tutor.one", Role::kTutor, tutor_.id);
  const std::string a = SignIn("mentor.one", "device-a").token;
  const std::string b = SignIn("mentor.one", "device-b").token;
  const std::string other = SignIn("tutor.one").token;
  ASSERT_TRUE(accounts_->SetPassword("mentor.one", "a new password").ok());
  EXPECT_EQ(accounts_->Authenticate(a).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(accounts_->Authenticate(b).status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(accounts_->Authenticate(other).ok());
  EXPECT_EQ(accounts_->Login(sync::LoginRequest{"mentor.one", kPassword, "d"}).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_TRUE(accounts_->Login(sync::LoginRequest{"mentor.one", "a new password", "d"}).ok());
}

TEST_F(AccountsTest, SetPasswordChecksItsInput) {
  Add("mentor.one", Role::kMentor, mentor_.id);
  EXPECT_EQ(accounts_->SetPassword("nobody", "a new password").code(), StatusCode::kNotFound);
  EXPECT_EQ(accounts_->SetPassword("mentor.one", "short").code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(accounts_->Login(sync::LoginRequest{"mentor.one", kPassword, "d"}).ok());
}

TEST_F(AccountsTest, DisableRevokesTokensAndRefusesSignIn) {
  Add("mentor.one", Role::kMentor, mentor_.id);
  const std::string token = SignIn("mentor.one").token;
  ASSERT_TRUE(accounts_->Disable("mentor.one").ok());
  EXPECT_TRUE(Stored("mentor.one")->disabled);
  EXPECT_EQ(accounts_->Authenticate(token).status().code(), StatusCode::kUnauthenticated);

  const Status right = accounts_->Login(sync::LoginRequest{"mentor.one", kPassword, "d"}).status();
  EXPECT_EQ(right.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(right.message().find("account is disabled, ask your coordinator"), std::string::npos) << right.message();
  EXPECT_TRUE(IsBilingual(right));
  // Without the right password nobody learns that the account is disabled.
  EXPECT_EQ(accounts_->Login(sync::LoginRequest{"mentor.one", "wrong password", "d"}).status().code(),
            StatusCode::kUnauthenticated);

  EXPECT_TRUE(accounts_->Disable("mentor.one").ok());  // twice is fine
  EXPECT_EQ(accounts_->Disable("nobody").code(), StatusCode::kNotFound);
}

TEST_F(AccountsTest, ListIsSortedAndHasNoHashes) {
  Add("tutor.one", Role::kTutor, tutor_.id);
  Add("admin", Role::kAdmin, std::nullopt);
  Add("mentor.one", Role::kMentor, mentor_.id);
  const std::vector<Account> all = Must(accounts_->List(), "list");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].login, "admin");
  EXPECT_EQ(all[1].login, "mentor.one");
  EXPECT_EQ(all[2].login, "tutor.one");
  for (const Account& a : all) EXPECT_TRUE(a.password_hash.empty()) << a.login;
}

}  // namespace
}  // namespace mentorlog::server
