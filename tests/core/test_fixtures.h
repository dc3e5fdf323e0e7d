// Shared fixture for the store's tests: a temporary directory, a FakeClock at
// 2026-11-20T10:00Z, a Store with device id "dev-a", and helpers that create the records most
// tests need (a school, a teacher of it, a mentor, the bundled rubric, a visit).
//
// Helpers that must succeed report the failure with ADD_FAILURE and then throw, so the test
// stops there (gtest turns the exception into a failure of that test) instead of running on
// with a default-constructed record.
//
// Thread safety: one fixture per test, used by the test's thread only.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/field_codec.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/domain/rubric.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/store/store.h"

namespace mentorlog::core::testing {

// 2026-11-20T10:00:00Z.
inline constexpr int64_t kStartMillis = 1'795'168'800'000;
inline constexpr std::string_view kDeviceA = "dev-a";
inline constexpr std::string_view kRubricCode = "lesson_observation";

// Unix millis at noon UTC of a day.
inline int64_t NoonMillis(int year, int month, int day) {
  return int64_t{Date::FromYmd(year, month, day)->days()} * 86'400'000 + 12 * 3'600'000;
}

// The value of `result`, or a recorded failure and an exception that ends the test.
template <class T>
T Must(Result<T> result, std::string_view what = "") {
  if (!result.ok()) {
    ADD_FAILURE() << what << (what.empty() ? "" : ": ") << result.status().ToString();
    throw std::runtime_error("required step failed: " + std::string(what) + " " + result.status().ToString());
  }
  return std::move(result).value();
}

inline void Must(const Status& status, std::string_view what = "") {
  if (!status.ok()) {
    ADD_FAILURE() << what << (what.empty() ? "" : ": ") << status.ToString();
    throw std::runtime_error("required step failed: " + std::string(what) + " " + status.ToString());
  }
}

// Every field of `r` as the store writes it (RecordTraits order), for whole-record comparisons.
template <class R>
std::vector<FieldValue> FieldValues(const R& r) {
  std::vector<FieldValue> out;
  ForEachFieldDef<R>([&](const auto& def) {
    using T = std::remove_cvref_t<decltype(r.*(def.member))>;
    out.push_back(FieldCodec<T>::Encode(r.*(def.member)));
  });
  return out;
}

template <class R>
std::vector<std::string> FieldNames() {
  std::vector<std::string> names;
  ForEachFieldDef<R>([&](const auto& def) { names.emplace_back(def.name); });
  return names;
}

// A raw SQLite connection, for looking at (or damaging) a store file behind its back.
class RawDb {
 public:
  explicit RawDb(const std::filesystem::path& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "sqlite3_open_v2(" << path << "): " << sqlite3_errmsg(db_);
    }
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << (err ? err : "?");
    }
    sqlite3_free(err);
  }
  // The first column of every row of `sql`, as text.
  std::vector<std::string> Column(const std::string& sql) {
    std::vector<std::string> out;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return out;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(st, 0);
      out.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
    sqlite3_finalize(st);
    return out;
  }
  std::string One(const std::string& sql) {
    auto col = Column(sql);
    return col.empty() ? std::string("<no row>") : col.front();
  }
  sqlite3* raw() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// What each migration added, undone (index v - 2 undoes migration v): today's store taken back
// to schema v - 1 holds what a MentorLog of that schema wrote, since the record tables are
// migration 1's. So the store writes at its latest schema only, and the migrations are tested
// on the files the older programs left.
inline constexpr const char* kUndoMigration[] = {
    "DROP INDEX visits_school_date; DROP INDEX observations_school_date; DROP INDEX observations_teacher;"
    "DROP INDEX observation_scores_observation; DROP INDEX consultations_school_date;"
    "DROP INDEX recommendations_school_status; DROP INDEX recommendation_events_rec; DROP INDEX schools_code;"
    "DROP INDEX people_school; DROP INDEX people_code; DROP INDEX assessment_results_key;"
    "DROP INDEX context_indicators_key; DROP INDEX outbox_record;",
    "DROP TABLE sync_state; DROP TABLE conflicts; DROP TABLE rejected; DROP INDEX outbox_pending;"
    "ALTER TABLE record_clocks DROP COLUMN pulled;",
    "DROP INDEX outbox_pending; CREATE INDEX outbox_pending ON outbox (op_seq) WHERE acked = 0;",
    "DROP TABLE drafts; DROP INDEX assignments_assignee; DROP INDEX roadmap_items_school;"
    "DROP INDEX deficits_teacher; DROP INDEX network_agreements_supported;",
    "DROP INDEX record_clocks_max_hlc;",
    "DROP INDEX record_clocks_local_seq; ALTER TABLE record_clocks DROP COLUMN local_seq;",
    "CREATE TABLE outbox_without_rowid (device_id TEXT NOT NULL, op_seq INTEGER NOT NULL, kind INTEGER NOT NULL,"
    " record_id TEXT NOT NULL, op INTEGER NOT NULL, hlc INTEGER NOT NULL, payload BLOB NOT NULL,"
    " acked INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (device_id, op_seq)) WITHOUT ROWID;"
    "INSERT INTO outbox_without_rowid SELECT device_id, op_seq, kind, record_id, op, hlc, payload, acked FROM outbox;"
    "DROP TABLE outbox; ALTER TABLE outbox_without_rowid RENAME TO outbox;"
    "CREATE INDEX outbox_record ON outbox (record_id, hlc);"
    "CREATE INDEX outbox_pending ON outbox (op_seq, acked) WHERE acked = 0;",
    "INSERT INTO sync_state (key, value) SELECT 'app_language', language FROM device_settings "
    "WHERE language IS NOT NULL;"
    "INSERT INTO sync_state (key, value) SELECT 'app_text_scale', printf('%.2f', text_scale) FROM device_settings;"
    "INSERT INTO sync_state (key, value) SELECT 'app_auto_sync', auto_sync FROM device_settings;"
    "INSERT INTO sync_state (key, value) SELECT 'app_work_offline', '1' FROM device_settings WHERE work_offline;"
    "DROP TABLE device_settings;",
    "DROP TABLE route_items; DROP TABLE trainings; DROP TABLE network_events; DROP TABLE event_participants;"
    "DROP TABLE plan_items; ALTER TABLE deficits DROP COLUMN closed_by;"
    "ALTER TABLE roadmap_items DROP COLUMN done_on; ALTER TABLE roadmap_items DROP COLUMN evidence;"
    "CREATE TABLE network_agreements_9 (id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,"
    " number TEXT NOT NULL, signed_on TEXT NOT NULL, supported_school_id TEXT NOT NULL,"
    " leader_school_id TEXT NOT NULL, model TEXT NOT NULL, ends_on TEXT, subject TEXT NOT NULL);"
    "INSERT INTO network_agreements_9 SELECT id, deleted, number, signed_on, supported_school_id, leader_school_id,"
    " model, ends_on, subject FROM network_agreements WHERE leader_school_id IS NOT NULL;"
    "DROP TABLE network_agreements; ALTER TABLE network_agreements_9 RENAME TO network_agreements;"
    "CREATE INDEX network_agreements_supported ON network_agreements (supported_school_id);",
    "DROP TABLE monitoring_rounds; DROP TABLE round_results; DROP TABLE status_changes;",
};

// Takes a closed store file back to schema `version`, as a MentorLog of that schema left it.
inline void UndoMigrationsTo(RawDb& raw, int version) {
  for (int v = static_cast<int>(std::size(kUndoMigration)) + 1; v > version; --v) raw.Exec(kUndoMigration[v - 2]);
  raw.Exec("PRAGMA user_version = " + std::to_string(version));
}

// A fresh temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mentorlog-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override { OpenStore(); }
  void TearDown() override { store_.reset(); }

  std::filesystem::path StorePath() const { return dir_.path() / "store.sqlite"; }

  StoreOptions Options() const {
    StoreOptions options;
    options.path = StorePath();
    options.device_id = std::string(kDeviceA);
    options.clock = &clock_;
    return options;
  }

  void OpenStore(StoreOptions options) {
    store_.reset();
    store_ = Must(Store::Open(options), "Store::Open");
  }
  void OpenStore() { OpenStore(Options()); }
  void CloseStore() { store_.reset(); }
  Store& store() { return *store_; }

  int64_t Pending() { return Must(store_->ledger().PendingCount(), "PendingCount"); }
  // Every outbox entry not yet acknowledged, in op_seq order.
  std::vector<OutboxEntry> Outbox() { return Must(store_->ledger().PendingChanges(1'000'000), "PendingChanges"); }

  // ---- Records most tests need --------------------------------------------------------

  School MakeSchool(std::string code = "101", std::string name = "МБОУ «Школа № 1»") {
    School s;
    s.code = std::move(code);
    s.name = std::move(name);
    s.short_name = "Школа № 1";
    s.municipality = "Заречный район";
    s.district = "Заречный";
    s.settlement = Settlement::kRural;
    s.distance_km = 42.5;
    s.pupils = 312;
    s.teachers = 27;
    s.statuses = {SchoolStatus::kLowResults};
    s.status_year = 2026;
    return Must(store_->records().Save(std::move(s)), "save school");
  }

  Person MakeTeacher(const Uuid& school_id, std::string name = "Иванова Мария Петровна") {
    Person p;
    p.full_name = std::move(name);
    p.roles = {Role::kTeacher};
    p.school_id = school_id;
    p.subjects = {"математика", "физика"};
    p.email = "ivanova@example.org";
    return Must(store_->records().Save(std::move(p)), "save teacher");
  }

  Person MakeMentor(std::string name = "Петров Сергей Иванович") {
    Person p;
    p.full_name = std::move(name);
    p.roles = {Role::kMentor};
    p.phone = "+7 900 000-00-00";
    return Must(store_->records().Save(std::move(p)), "save mentor");
  }

  // Installs the rubric templates shipped in assets/rubrics.
  void InstallRubric() {
    auto templates = Must(LoadBundledRubrics(MENTORLOG_ASSETS_DIR), "LoadBundledRubrics");
    ASSERT_FALSE(templates.empty());
    for (auto& t : templates) Must(store_->records().Save(std::move(t)), "save rubric template");
  }

  // A visit (not saved) by `mentor` to `school` on `date`.
  static Visit NewVisit(const Uuid& school_id, const Uuid& mentor_id, Date date = Date::FromDays(20'000)) {
    Visit v;
    v.school_id = school_id;
    v.date = date;
    v.visitor_ids = {mentor_id};
    v.purposes = {VisitPurpose::kDiagnostics, VisitPurpose::kLessonObservations};
    v.met_with = "директор, заместитель по УВР";
    v.summary = "Посетили три урока, обсудили программу перехода.";
    v.strengths = "Сплочённый коллектив";
    v.problems = "Низкая мотивация обучающихся 8-х классов";
    return v;
  }

  // A recommendation (not saved) coming from `visit`.
  static Recommendation NewRecommendation(const Visit& visit, std::string text = "Провести открытые уроки") {
    Recommendation r;
    r.source_kind = SourceKind::kVisit;
    r.source_id = visit.id;
    r.school_id = visit.school_id;
    r.text = std::move(text);
    r.responsible_name = "Заместитель директора по УВР";
    r.created_on = visit.date;
    r.due_on = visit.date.AddDays(30);
    return r;
  }

  TempDir dir_;
  mentorlog::FakeClock clock_{kStartMillis};
  std::unique_ptr<Store> store_;
};

}  // namespace mentorlog::core::testing
