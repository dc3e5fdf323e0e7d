// Shared by the central store's suites: a storage of either backend (the same tests run
// against SQLite and PostgreSQL), a small district, and devices that sync with a SyncService
// in process (the HTTP and fault suites drive real processes instead).
//
// Thread safety: one fixture per test.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/test_fixtures.h"
#include "mentorlog/store/store.h"
#include "mentorlog/sync/device.h"
#include "mentorlog/sync/protocol.h"
#include "server/pg_env.h"
#include "service.h"
#include "storage.h"

namespace mentorlog::server::testing {

using core::testing::Must;
using core::testing::TempDir;

// Parameter: "Sqlite" or "Postgres".
class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "Postgres") {
      auto base = TestPgConnstr();
      if (!base) {
        if (AllowNoPg()) GTEST_SKIP() << NoPgMessage();
        FAIL() << NoPgMessage();
      }
      pg_ = Must(PgTestSchema::Create(*base), "PgTestSchema::Create");
      storage_ = Must(OpenPostgresStorage(pg_->connstr(), 4), "OpenPostgresStorage");
    } else {
      storage_ = Must(OpenSqliteStorage((dir_.path() / "central.db").string()), "OpenSqliteStorage");
    }
    service_ = std::make_unique<SyncService>(*storage_, ServiceOptions{&clock_, 5 * 60 * 1000, nullptr});
  }
  void TearDown() override {
    service_.reset();
    storage_.reset();
    pg_.reset();
  }

  // The arguments that point mentorlog-server at this test's storage.
  std::vector<std::string> ServerStorageArgs() const {
    if (pg_) return {"--pg", pg_->connstr()};
    return {"--db", (dir_.path() / "central.db").string()};
  }

  TempDir dir_;
  mentorlog::FakeClock clock_{core::testing::kStartMillis};
  std::unique_ptr<PgTestSchema> pg_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<SyncService> service_;
};

inline std::string BackendName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

// A device: its own store, synced with the service in process through the device half of
// sync (device.h), exactly as SyncClient does over HTTP.
class Device {
 public:
  Device(const std::filesystem::path& dir, std::string device_id, const mentorlog::Clock& clock) {
    core::StoreOptions o;
    o.path = dir / (device_id + ".sqlite");
    o.device_id = device_id;
    o.clock = &clock;
    store_ = Must(core::Store::Open(o), "open device store");
  }
  core::Store& store() { return *store_; }
  const std::string& id() const { return store_->device_id(); }

  // Pushes everything pending; returns the rejections.
  std::vector<sync::Rejection> Push(SyncService& service, const Session& session, size_t batch = 100) {
    std::vector<sync::Rejection> rejected;
    while (true) {
      auto changes = Must(sync::NextPushBatch(store_->ledger(), batch, 1 << 20), "NextPushBatch");
      if (changes.empty()) break;
      Session s = session;
      s.device_id = id();
      auto answer = Must(service.Push(s, sync::PushRequest{id(), changes}), "Push");
      Must(sync::ApplyPushResponse(store_->ledger(), changes, answer, 0), "ApplyPushResponse");
      rejected.insert(rejected.end(), answer.rejected.begin(), answer.rejected.end());
      if (answer.acked_op_seq < changes.front().op_seq) {
        ADD_FAILURE() << "the server did not advance";
        break;
      }
    }
    return rejected;
  }

  // Pulls until caught up; returns the number of batches.
  int Pull(SyncService& service, const Session& session, uint32_t rows = 200) {
    int batches = 0;
    while (true) {
      auto cursor = Must(store_->ledger().GetSyncValue(sync::kCursorKey), "cursor");
      sync::PullRequest req{id(), cursor.value_or(""), rows, sync::kDefaultBatchBytes};
      Session s = session;
      s.device_id = id();
      auto answer = Must(service.Pull(s, req), "Pull");
      Must(sync::ApplyPullResponse(store_->ledger(), answer, 0), "ApplyPullResponse");
      ++batches;
      if (!answer.more) break;
      if (batches > 100000) {
        ADD_FAILURE() << "pull does not end";
        break;
      }
    }
    return batches;
  }

  void Sync(SyncService& service, const Session& session) {
    Push(service, session);
    Pull(service, session);
  }

  std::string Hash() { return Must(sync::DeviceStateHash(*store_), "DeviceStateHash"); }

 private:
  std::unique_ptr<core::Store> store_;
};

// Two small schools in one district, a mentor for each, a tutor, a coordinator: written in a
// local store and ingested, as `mentorlog-server import` does.
struct MiniDistrict {
  core::Uuid school1, school2, other_district_school;
  core::Uuid mentor1, mentor2, tutor, coordinator;
  core::Uuid teacher1, teacher2;
  core::Uuid assignment1;  // mentor1 -> school1
  Account mentor1_account, mentor2_account, tutor_account, coordinator_account, admin_account;

  static MiniDistrict Create(SyncService& service, Storage& storage, const std::filesystem::path& dir,
                             const mentorlog::Clock& clock) {
    MiniDistrict d;
    core::StoreOptions o;
    o.path = dir / "seed.sqlite";
    o.device_id = "seed-" + core::Uuid::MakeV7(clock.NowMillis()).ToString();
    o.clock = &clock;
    auto store = Must(core::Store::Open(o), "seed store");
    auto school = [&](std::string code, std::string district) {
      core::School s;
      s.code = std::move(code);
      s.name = "МБОУ «Школа " + s.code + "»";
      s.short_name = "Школа " + s.code;
      s.municipality = district;
      s.district = std::move(district);
      s.pupils = 100;
      s.teachers = 10;
      return Must(store->records().Save(std::move(s)), "school").id;
    };
    auto person = [&](std::string name, core::Role role, std::optional<core::Uuid> school_id) {
      core::Person p;
      p.full_name = std::move(name);
      p.roles = {role};
      p.school_id = school_id;
      if (role == core::Role::kTeacher) p.subjects = {"математика"};
      return Must(store->records().Save(std::move(p)), "person").id;
    };
    d.school1 = school("101", "Заречный");
    d.school2 = school("102", "Заречный");
    d.other_district_school = school("201", "Нагорный");
    d.mentor1 = person("Петров Сергей Иванович", core::Role::kMentor, std::nullopt);
    d.mentor2 = person("Сидорова Анна Павловна", core::Role::kMentor, std::nullopt);
    d.tutor = person("Кузнецова Ольга Петровна", core::Role::kTutor, std::nullopt);
    d.coordinator = person("Орлова Елена Викторовна", core::Role::kCoordinator, std::nullopt);
    d.teacher1 = person("Иванова Мария Петровна", core::Role::kTeacher, d.school1);
    d.teacher2 = person("Смирнов Олег Олегович", core::Role::kTeacher, d.school2);
    const core::Date start = core::Date::FromUnixMillis(clock.NowMillis(), 0).AddDays(-100);
    auto assign = [&](core::AssignmentKind kind, core::Uuid who, core::Uuid school_id,
                      std::optional<core::Uuid> teacher) {
      core::Assignment a;
      a.kind = kind;
      a.assignee_id = who;
      a.school_id = school_id;
      a.teacher_id = teacher;
      a.starts_on = start;
      return Must(store->records().Save(std::move(a)), "assignment").id;
    };
    d.assignment1 = assign(core::AssignmentKind::kMentorSchool, d.mentor1, d.school1, std::nullopt);
    assign(core::AssignmentKind::kMentorSchool, d.mentor2, d.school2, std::nullopt);
    assign(core::AssignmentKind::kTutorTeacher, d.tutor, d.school2, d.teacher2);
    Must(service.IngestStore(*store, "Заречный"), "ingest");

    auto account = [&](std::string login, Role role, std::optional<core::Uuid> person_id) {
      Account a;
      a.login = std::move(login);
      a.role = role;
      a.person_id = person_id;
      a.district = role == Role::kCoordinator ? "Заречный" : "";
      a.password_hash = "not-a-hash";
      Status s = storage.Write([&](StorageTx& tx) -> Status {
        ASSIGN_OR_RETURN(a.id, tx.CreateAccount(a));
        return Status::Ok();
      });
      Must(s, "create account");
      return a;
    };
    d.mentor1_account = account("mentor1", Role::kMentor, d.mentor1);
    d.mentor2_account = account("mentor2", Role::kMentor, d.mentor2);
    d.tutor_account = account("tutor", Role::kTutor, d.tutor);
    d.coordinator_account = account("coordinator", Role::kCoordinator, d.coordinator);
    d.admin_account = account("admin", Role::kAdmin, std::nullopt);
    return d;
  }
};

inline Session SessionOf(const Account& account) { return Session{account, "", ""}; }

}  // namespace mentorlog::server::testing
