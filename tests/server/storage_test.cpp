// The storage backends' shared suite (storage.h): every test runs against SQLite and against
// PostgreSQL (MENTORLOG_TEST_PG, see pg_env.h), each in a fresh file or schema.
//
// [SECTION] Fixture and helpers
// [SECTION] Records and seqs
// [SECTION] Range queries and scope filters
// [SECTION] ScanLive
// [SECTION] Scope indexes and devices
// [SECTION] Accounts and tokens
// [SECTION] Transactions and concurrency
// [SECTION] Opening, reopening, damage
// [SECTION] Backend-specific
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "pg_env.h"
#include "storage.h"

namespace mentorlog::server {
namespace {

// -----------------------------------------------------------------------------------------
// [SECTION] Fixture and helpers
// -----------------------------------------------------------------------------------------

constexpr uint64_t kNoUpperBound = std::numeric_limits<uint64_t>::max();

enum class Backend { kSqlite, kPostgres };

void PrintTo(Backend backend, std::ostream* os) { *os << (backend == Backend::kSqlite ? "Sqlite" : "Postgres"); }

// The value of `result`, or a recorded failure and an exception that ends the test.
template <class T>
T Must(Result<T> result, const std::string& what = "") {
  if (!result.ok()) {
    ADD_FAILURE() << what << ": " << result.status().ToString();
    throw std::runtime_error("required step failed: " + what);
  }
  return std::move(result).value();
}

void Must(const Status& status, const std::string& what = "") {
  if (!status.ok()) {
    ADD_FAILURE() << what << ": " << status.ToString();
    throw std::runtime_error("required step failed: " + what);
  }
}

// A version-7-shaped id that sorts by (tag, n), as its text does.
Uuid IdOf(uint8_t tag, uint64_t n) {
  std::array<uint8_t, 16> b{};
  b[0] = 0x01;
  b[1] = tag;
  b[6] = 0x70;
  b[8] = 0x80;
  for (int i = 0; i < 6; ++i) b[static_cast<size_t>(10 + i)] = static_cast<uint8_t>(n >> (40 - 8 * i));
  return Uuid(b);
}

const Uuid kSchoolA = IdOf(0xA0, 1);
const Uuid kSchoolB = IdOf(0xA0, 2);
const Uuid kSchoolC = IdOf(0xA0, 3);

core::FieldClock ClockAt(uint64_t millis, std::string device = "dev-a") {
  return core::FieldClock{core::HlcStamp::FromParts(millis, 0), std::move(device)};
}

RecordState SchoolState(const Uuid& id, const std::string& name, uint64_t millis = 1'000) {
  RecordState s;
  s.kind = core::RecordKind::kSchool;
  s.id = id;
  core::FieldState name_field;
  name_field.field = "name";
  name_field.value = name;
  name_field.clock = ClockAt(millis);
  s.fields.push_back(name_field);
  core::FieldState pupils;
  pupils.field = "pupils";
  pupils.value = int64_t{120};
  pupils.clock = ClockAt(millis, "dev-b");
  pupils.base = ClockAt(millis - 1);
  s.fields.push_back(pupils);
  return s;
}

RecordState Tombstone(const Uuid& id) {
  RecordState s = SchoolState(id, "gone");
  s.deleted = ClockAt(5'000);
  return s;
}

ConflictRecord ConflictOf(const Uuid& id, const Uuid& record) {
  ConflictRecord c;
  c.id = id;
  c.kind = core::RecordKind::kVisit;
  c.record_id = record;
  c.field = "summary";
  c.kept = std::string("kept text");
  c.kept_clock = ClockAt(2'000, "dev-a");
  c.lost = std::string("lost text");
  c.lost_clock = ClockAt(1'999, "dev-b");
  c.reason = core::ConflictReason::kConcurrentEdit;
  c.noticed_millis = 1'700'000'000'000;
  return c;
}

void ExpectSameConflict(const ConflictRecord& a, const ConflictRecord& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.record_id, b.record_id);
  EXPECT_EQ(a.field, b.field);
  EXPECT_EQ(a.kept, b.kept);
  EXPECT_EQ(a.kept_clock, b.kept_clock);
  EXPECT_EQ(a.lost, b.lost);
  EXPECT_EQ(a.lost_clock, b.lost_clock);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.noticed_millis, b.noticed_millis);
}

Account AccountOf(const std::string& login, Role role = Role::kMentor) {
  Account a;
  a.login = login;
  a.role = role;
  a.person_id = IdOf(0xB0, 7);
  a.district = "Северный";
  a.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  a.created_millis = 1'700'000'000'123;
  return a;
}

std::filesystem::path UniqueTempDir() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() / ("mentorlog-storage-test-" + std::to_string(getpid()) + "-" +
                                                       std::to_string(counter++) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  return dir;
}

Status SqliteExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    return Status::IoError("cannot open " + path);
  }
  sqlite3_busy_timeout(db, 5000);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  Status s = rc == SQLITE_OK ? Status::Ok() : Status::IoError(err ? err : "sqlite3_exec failed");
  sqlite3_free(err);
  sqlite3_close(db);
  return s;
}

class StorageTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    dir_ = UniqueTempDir();
    if (GetParam() == Backend::kPostgres) {
      auto pg = TestPgConnstr();
      if (!pg) {
        if (AllowNoPg()) GTEST_SKIP() << NoPgMessage();
        FAIL() << NoPgMessage();
      }
      pg_base_ = *pg;
    }
    location_ = NewEmptyLocation();
    auto opened = OpenAt(location_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    storage_ = std::move(opened).value();
  }

  void TearDown() override {
    storage_.reset();
    schemas_.clear();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  bool pg() const { return GetParam() == Backend::kPostgres; }

  // A new empty database: a file for SQLite, a schema for PostgreSQL (dropped at the end).
  std::string NewEmptyLocation() {
    if (!pg()) return (dir_ / ("server-" + std::to_string(locations_++) + ".db")).string();
    schemas_.push_back(Must(PgTestSchema::Create(pg_base_), "create a test schema"));
    return schemas_.back()->connstr();
  }

  Result<std::unique_ptr<Storage>> OpenAt(const std::string& location, int pool_size = 8) {
    return pg() ? OpenPostgresStorage(location, pool_size) : OpenSqliteStorage(location);
  }

  // Runs raw SQL on a location, bypassing the storage (to damage or age a database).
  Status RawExec(const std::string& location, const std::string& sql) {
    return pg() ? PgExec(location, sql) : SqliteExec(location, sql);
  }

  // A bytes literal in the backend's dialect.
  std::string BytesLiteral(const std::string& hex) const { return pg() ? "'\\x" + hex + "'::bytea" : "X'" + hex + "'"; }

  Status Write(const std::function<Status(StorageTx&)>& fn) { return storage_->Write(fn); }

  // The value `fn` computes inside one Read.
  template <class T>
  Result<T> ReadValue(const std::function<Result<T>(StorageTx&)>& fn) {
    std::optional<T> out;
    Status s = storage_->Read([&](StorageTx& tx) -> Status {
      auto r = fn(tx);
      if (!r.ok()) return r.status();
      out = std::move(r).value();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return std::move(*out);
  }

  // The value `fn` computes inside one Write.
  template <class T>
  Result<T> WriteValue(const std::function<Result<T>(StorageTx&)>& fn) {
    std::optional<T> out;
    Status s = storage_->Write([&](StorageTx& tx) -> Status {
      auto r = fn(tx);
      if (!r.ok()) return r.status();
      out = std::move(r).value();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return std::move(*out);
  }

  uint64_t Put(const RecordState& state, const std::optional<Uuid>& school) {
    return Must(WriteValue<uint64_t>([&](StorageTx& tx) { return tx.PutRecord(state, school); }), "PutRecord");
  }

  std::vector<StoredRecord> Range(const ScopeFilter& filter, uint64_t after = 0, uint64_t upto = kNoUpperBound,
                                  size_t max_rows = 10'000) {
    return Must(ReadValue<std::vector<StoredRecord>>(
                    [&](StorageTx& tx) { return tx.RecordsInRange(filter, after, upto, max_rows); }),
                "RecordsInRange");
  }

  std::vector<Uuid> RangeIds(const ScopeFilter& filter, uint64_t after = 0, uint64_t upto = kNoUpperBound,
                             size_t max_rows = 10'000) {
    std::vector<Uuid> ids;
    for (const auto& r : Range(filter, after, upto, max_rows)) ids.push_back(r.state.id);
    return ids;
  }

  std::filesystem::path dir_;
  std::string pg_base_;
  std::string location_;
  int locations_ = 0;
  std::vector<std::unique_ptr<PgTestSchema>> schemas_;  // outlive storage_ (declared before it)
  std::unique_ptr<Storage> storage_;
};

ScopeFilter Schools(std::vector<Uuid> schools, bool district_wide) {
  ScopeFilter f;
  f.schools = std::move(schools);
  f.include_district_wide = district_wide;
  return f;
}

ScopeFilter AllSchools(bool district_wide) {
  ScopeFilter f;
  f.all_schools = true;
  f.include_district_wide = district_wide;
  return f;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Records and seqs
// -----------------------------------------------------------------------------------------

TEST_P(StorageTest, PutAndLoadRoundTrip) {
  const RecordState live = SchoolState(IdOf(1, 1), "Школа №1");
  const RecordState dead = Tombstone(IdOf(1, 2));
  const uint64_t s1 = Put(live, kSchoolA);
  const uint64_t s2 = Put(dead, std::nullopt);

  auto loaded = Must(ReadValue<std::optional<StoredRecord>>([&](StorageTx& tx) { return tx.LoadRecord(live.id); }));
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->state, live);
  EXPECT_EQ(loaded->school_id, kSchoolA);
  EXPECT_EQ(loaded->seq, s1);

  loaded = Must(ReadValue<std::optional<StoredRecord>>([&](StorageTx& tx) { return tx.LoadRecord(dead.id); }));
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->state, dead);
  EXPECT_EQ(loaded->school_id, std::nullopt);
  EXPECT_EQ(loaded->seq, s2);

  loaded = Must(ReadValue<std::optional<StoredRecord>>([&](StorageTx& tx) { return tx.LoadRecord(IdOf(1, 99)); }));
  EXPECT_FALSE(loaded.has_value());
}

TEST_P(StorageTest, SeqStrictlyIncreasesAcrossRecordsAndConflicts) {
  EXPECT_EQ(Must(ReadValue<uint64_t>([](StorageTx& tx) { return tx.MaxSeq(); })), 0u);
  std::vector<uint64_t> seqs;
  Must(Write([&](StorageTx& tx) -> Status {
    for (int i = 0; i < 3; ++i) {
      ASSIGN_OR_RETURN(uint64_t r, tx.PutRecord(SchoolState(IdOf(1, static_cast<uint64_t>(i)), "s"), kSchoolA));
      seqs.push_back(r);
      ASSIGN_OR_RETURN(uint64_t c, tx.PutConflict(ConflictOf(IdOf(2, static_cast<uint64_t>(i)), IdOf(1, 0)), kSchoolA));
      seqs.push_back(c);
    }
    return Status::Ok();
  }));
  // Replacing a record moves it to a new, higher seq.
  const uint64_t again = Put(SchoolState(IdOf(1, 0), "renamed", 3'000), kSchoolB);
  seqs.push_back(again);
  for (size_t i = 1; i < seqs.size(); ++i) EXPECT_GT(seqs[i], seqs[i - 1]) << "at " << i;
  EXPECT_EQ(Must(ReadValue<uint64_t>([](StorageTx& tx) { return tx.MaxSeq(); })), again);

  auto loaded = Must(ReadValue<std::optional<StoredRecord>>([&](StorageTx& tx) { return tx.LoadRecord(IdOf(1, 0)); }));
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->seq, again);
  EXPECT_EQ(loaded->school_id, kSchoolB);
  EXPECT_EQ(loaded->state, SchoolState(IdOf(1, 0), "renamed", 3'000));
  EXPECT_EQ(Must(ReadValue<int64_t>([](StorageTx& tx) { return tx.CountRecords(); })), 3);

  // A seq is never given twice, even when the rows holding the highest ones are gone.
  Must(RawExec(location_, "DELETE FROM records WHERE seq >= " + std::to_string(seqs[4])));
  EXPECT_EQ(Put(SchoolState(IdOf(1, 9), "later"), kSchoolA), again + 1);
}

TEST_P(StorageTest, MaxSeqInsideAWriteCountsItsOwnSeqs) {
  Put(SchoolState(IdOf(1, 1), "a"), kSchoolA);
  Must(Write([](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(uint64_t before, tx.MaxSeq());
    EXPECT_EQ(before, 1u);
    ASSIGN_OR_RETURN(uint64_t seq, tx.PutConflict(ConflictOf(IdOf(2, 1), IdOf(1, 1)), std::nullopt));
    ASSIGN_OR_RETURN(uint64_t after, tx.MaxSeq());
    EXPECT_EQ(seq, 2u);
    EXPECT_EQ(after, 2u);
    return Status::Ok();
  }));
  EXPECT_EQ(Must(ReadValue<uint64_t>([](StorageTx& tx) { return tx.MaxSeq(); })), 2u);
}

TEST_P(StorageTest, CountRecordsCountsTombstonesToo) {
  Put(SchoolState(IdOf(1, 1), "a"), kSchoolA);
  Put(Tombstone(IdOf(1, 2)), kSchoolA);
  EXPECT_EQ(Must(ReadValue<int64_t>([](StorageTx& tx) { return tx.CountRecords(); })), 2);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Range queries and scope filters
// -----------------------------------------------------------------------------------------

class RangeTest : public StorageTest {
 protected:
  // A: records 0..2; B: 3..4; C: 5; district-wide: 6..7. Seqs follow n.
  void SetUp() override {
    StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    const std::optional<Uuid> schools[] = {kSchoolA, kSchoolA, kSchoolA,     kSchoolB,
                                           kSchoolB, kSchoolC, std::nullopt, std::nullopt};
    for (uint64_t n = 0; n < 8; ++n) seqs_.push_back(Put(SchoolState(IdOf(1, n), "r"), schools[n]));
  }
  static std::vector<Uuid> Ids(std::initializer_list<uint64_t> ns) {
    std::vector<Uuid> out;
    for (uint64_t n : ns) out.push_back(IdOf(1, n));
    return out;
  }
  std::vector<uint64_t> seqs_;
};

TEST_P(RangeTest, FiltersBySchoolListAndDistrictWide) {
  EXPECT_EQ(RangeIds(Schools({kSchoolA}, false)), Ids({0, 1, 2}));
  EXPECT_EQ(RangeIds(Schools({kSchoolA, kSchoolC}, false)), Ids({0, 1, 2, 5}));
  EXPECT_EQ(RangeIds(Schools({kSchoolB}, true)), Ids({3, 4, 6, 7}));
  EXPECT_EQ(RangeIds(Schools({}, true)), Ids({6, 7}));
  EXPECT_EQ(RangeIds(Schools({}, false)), Ids({}));
  EXPECT_EQ(RangeIds(Schools({IdOf(0xA0, 42)}, false)), Ids({}));
}

TEST_P(RangeTest, AllSchoolsLiftsTheSchoolFilterOnly) {
  EXPECT_EQ(RangeIds(AllSchools(true)), Ids({0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(RangeIds(AllSchools(false)), Ids({0, 1, 2, 3, 4, 5}));
}

TEST_P(RangeTest, HonoursBoundsAndMaxRows) {
  EXPECT_EQ(RangeIds(AllSchools(true), seqs_[2], seqs_[5]), Ids({3, 4, 5}));
  EXPECT_EQ(RangeIds(AllSchools(true), seqs_[5]), Ids({6, 7}));
  EXPECT_EQ(RangeIds(AllSchools(true), seqs_[7]), Ids({}));
  EXPECT_EQ(RangeIds(AllSchools(true), 0, kNoUpperBound, 3), Ids({0, 1, 2}));
  EXPECT_EQ(RangeIds(AllSchools(true), seqs_[1], kNoUpperBound, 2), Ids({2, 3}));
  EXPECT_EQ(RangeIds(AllSchools(true), 0, kNoUpperBound, 0), Ids({}));
  EXPECT_EQ(RangeIds(AllSchools(true), seqs_[4], seqs_[4]), Ids({}));
  EXPECT_EQ(RangeIds(AllSchools(true), seqs_[4], seqs_[1]), Ids({}));
  // Rows come with their seq and scope key, ascending.
  const auto rows = Range(Schools({kSchoolB}, true));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].seq, seqs_[3]);
  EXPECT_EQ(rows[0].school_id, kSchoolB);
  EXPECT_EQ(rows[3].seq, seqs_[7]);
  EXPECT_EQ(rows[3].school_id, std::nullopt);
}

TEST_P(RangeTest, TakesAListOfFiveThousandSchools) {
  std::vector<Uuid> many;
  for (uint64_t n = 100; n < 5'100; ++n) many.push_back(IdOf(0xA0, n));
  many.push_back(kSchoolC);
  many.push_back(kSchoolA);
  EXPECT_EQ(RangeIds(Schools(many, false)), Ids({0, 1, 2, 5}));
  size_t live = 0;
  Must(storage_->Read([&](StorageTx& tx) {
    return tx.ScanLive(Schools(many, true), [&](const StoredRecord&) {
      ++live;
      return Status::Ok();
    });
  }));
  EXPECT_EQ(live, 6u);
}

TEST_P(StorageTest, ConflictsInRangeFiltersAndRoundTrips) {
  std::vector<ConflictRecord> conflicts;
  std::vector<uint64_t> seqs;
  const std::optional<Uuid> schools[] = {kSchoolA, kSchoolB, std::nullopt, kSchoolA};
  Must(Write([&](StorageTx& tx) -> Status {
    for (uint64_t n = 0; n < 4; ++n) {
      conflicts.push_back(ConflictOf(IdOf(2, n), IdOf(1, n)));
      ASSIGN_OR_RETURN(uint64_t seq, tx.PutConflict(conflicts.back(), schools[n]));
      seqs.push_back(seq);
      // Records in between share the seq space and do not show up as conflicts.
      ASSIGN_OR_RETURN(uint64_t r, tx.PutRecord(SchoolState(IdOf(1, n), "r"), schools[n]));
      (void)r;
    }
    return Status::Ok();
  }));
  auto in = [&](const ScopeFilter& f, uint64_t after = 0, uint64_t upto = kNoUpperBound, size_t max = 100) {
    return Must(ReadValue<std::vector<StoredConflict>>(
        [&](StorageTx& tx) { return tx.ConflictsInRange(f, after, upto, max); }));
  };
  auto all = in(AllSchools(true));
  ASSERT_EQ(all.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    ExpectSameConflict(all[i].conflict, conflicts[i]);
    EXPECT_EQ(all[i].seq, seqs[i]);
    EXPECT_EQ(all[i].school_id, schools[i]);
  }
  auto a = in(Schools({kSchoolA}, false));
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].seq, seqs[0]);
  EXPECT_EQ(a[1].seq, seqs[3]);
  EXPECT_EQ(in(Schools({}, true)).size(), 1u);
  EXPECT_EQ(in(AllSchools(false)).size(), 3u);
  auto bounded = in(AllSchools(true), seqs[0], seqs[2]);
  ASSERT_EQ(bounded.size(), 2u);
  EXPECT_EQ(bounded[0].seq, seqs[1]);
  EXPECT_EQ(in(AllSchools(true), 0, kNoUpperBound, 1).size(), 1u);
}

// -----------------------------------------------------------------------------------------
// [SECTION] ScanLive
// -----------------------------------------------------------------------------------------

// All schools: pages in id order. A list of schools: each record once, in no particular order.
TEST_P(StorageTest, ScanLivePagesInIdOrderAndSkipsDeleted) {
  constexpr uint64_t kCount = 2'600;
  std::vector<uint64_t> order(kCount);
  for (uint64_t n = 0; n < kCount; ++n) order[n] = n;
  std::shuffle(order.begin(), order.end(), std::mt19937(7));
  auto school_of = [](uint64_t n) -> std::optional<Uuid> {
    if (n % 50 == 0) return std::nullopt;
    return n % 2 ? kSchoolA : kSchoolB;
  };
  auto deleted = [](uint64_t n) { return n % 10 == 3; };
  Must(Write([&](StorageTx& tx) -> Status {
    for (uint64_t n : order) {
      ASSIGN_OR_RETURN(uint64_t seq,
                       tx.PutRecord(deleted(n) ? Tombstone(IdOf(1, n)) : SchoolState(IdOf(1, n), "s"), school_of(n)));
      (void)seq;
    }
    return Status::Ok();
  }));

  auto scan = [&](const ScopeFilter& f) {
    std::vector<Uuid> ids;
    Must(storage_->Read([&](StorageTx& tx) {
      return tx.ScanLive(f, [&](const StoredRecord& r) {
        EXPECT_FALSE(r.state.deleted.has_value());
        ids.push_back(r.state.id);
        return Status::Ok();
      });
    }));
    return ids;
  };
  auto expected = [&](const std::function<bool(uint64_t)>& in_scope) {
    std::vector<Uuid> ids;
    for (uint64_t n = 0; n < kCount; ++n) {
      if (!deleted(n) && in_scope(n)) ids.push_back(IdOf(1, n));
    }
    return ids;
  };
  const auto all = scan(AllSchools(true));
  EXPECT_EQ(all.size(), 2'340u);
  EXPECT_EQ(all, expected([](uint64_t) { return true; }));
  auto sorted = [](std::vector<Uuid> ids) {
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  EXPECT_EQ(sorted(scan(Schools({kSchoolA}, false))), expected([&](uint64_t n) { return school_of(n) == kSchoolA; }));
  EXPECT_EQ(sorted(scan(Schools({kSchoolB}, true))), expected([&](uint64_t n) { return school_of(n) != kSchoolA; }));
  EXPECT_EQ(sorted(scan(Schools({kSchoolA, kSchoolB}, true))), all);
  EXPECT_EQ(scan(Schools({}, false)), std::vector<Uuid>());
}

TEST_P(StorageTest, ScanSchoolGivesOneSchoolsLiveRecordsOrTheDistrictWideOnes) {
  auto school_of = [](uint64_t n) -> std::optional<Uuid> {
    if (n % 5 == 0) return std::nullopt;
    return n % 2 ? kSchoolA : kSchoolB;
  };
  auto deleted = [](uint64_t n) { return n % 7 == 3; };
  Must(Write([&](StorageTx& tx) -> Status {
    for (uint64_t n = 0; n < 300; ++n) {
      ASSIGN_OR_RETURN(uint64_t seq,
                       tx.PutRecord(deleted(n) ? Tombstone(IdOf(2, n)) : SchoolState(IdOf(2, n), "s"), school_of(n)));
      (void)seq;
    }
    return Status::Ok();
  }));
  auto scan = [&](const std::optional<Uuid>& school) {
    std::set<Uuid> ids;
    Must(storage_->Read([&](StorageTx& tx) {
      return tx.ScanSchool(school, [&](const StoredRecord& r) {
        EXPECT_FALSE(r.state.deleted.has_value());
        EXPECT_EQ(r.school_id, school);
        ids.insert(r.state.id);
        return Status::Ok();
      });
    }));
    return ids;
  };
  auto expected = [&](const std::optional<Uuid>& school) {
    std::set<Uuid> ids;
    for (uint64_t n = 0; n < 300; ++n) {
      if (!deleted(n) && school_of(n) == school) ids.insert(IdOf(2, n));
    }
    return ids;
  };
  for (const std::optional<Uuid>& school :
       {std::optional<Uuid>(kSchoolA), std::optional<Uuid>(kSchoolB), std::optional<Uuid>()}) {
    const std::set<Uuid> want = expected(school);
    EXPECT_FALSE(want.empty());
    EXPECT_EQ(scan(school), want);
  }
}

TEST_P(StorageTest, ScanLiveStopsWithTheCallbacksError) {
  Must(Write([&](StorageTx& tx) -> Status {
    for (uint64_t n = 0; n < 1'500; ++n) {
      ASSIGN_OR_RETURN(uint64_t seq, tx.PutRecord(SchoolState(IdOf(1, n), "s"), kSchoolA));
      (void)seq;
    }
    return Status::Ok();
  }));
  int visited = 0;
  Status s = storage_->Read([&](StorageTx& tx) {
    return tx.ScanLive(AllSchools(true), [&](const StoredRecord&) {
      return ++visited == 1'200 ? Status::Cancelled("enough") : Status::Ok();
    });
  });
  EXPECT_EQ(s.code(), StatusCode::kCancelled);
  EXPECT_EQ(s.message(), "enough");
  EXPECT_EQ(visited, 1'200);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Scope indexes and devices
// -----------------------------------------------------------------------------------------

TEST_P(StorageTest, SchoolIndexAnswersDistricts) {
  Must(Write([&](StorageTx& tx) -> Status {
    RETURN_IF_ERROR(tx.PutSchoolIndex(kSchoolB, "Южный", false));
    RETURN_IF_ERROR(tx.PutSchoolIndex(kSchoolA, "Южный", false));
    RETURN_IF_ERROR(tx.PutSchoolIndex(kSchoolC, "Северный", false));
    return tx.PutSchoolIndex(IdOf(0xA0, 9), "Западный", true);
  }));
  EXPECT_EQ(Must(ReadValue<std::vector<Uuid>>([](StorageTx& tx) { return tx.SchoolsOfDistrict("Южный"); })),
            (std::vector<Uuid>{kSchoolA, kSchoolB}));
  EXPECT_EQ(Must(ReadValue<std::vector<std::string>>([](StorageTx& tx) { return tx.Districts(); })),
            (std::vector<std::string>{"Северный", "Южный"}));
  EXPECT_TRUE(
      Must(ReadValue<std::vector<Uuid>>([](StorageTx& tx) { return tx.SchoolsOfDistrict("Западный"); })).empty());

  // Moving and deleting a school updates its row.
  Must(Write([&](StorageTx& tx) -> Status {
    RETURN_IF_ERROR(tx.PutSchoolIndex(kSchoolB, "Северный", false));
    return tx.PutSchoolIndex(kSchoolA, "Южный", true);
  }));
  EXPECT_EQ(Must(ReadValue<std::vector<Uuid>>([](StorageTx& tx) { return tx.SchoolsOfDistrict("Северный"); })),
            (std::vector<Uuid>{kSchoolB, kSchoolC}));
  EXPECT_EQ(Must(ReadValue<std::vector<std::string>>([](StorageTx& tx) { return tx.Districts(); })),
            (std::vector<std::string>{"Северный"}));
}

TEST_P(StorageTest, AssignmentIndexAnswersAssignmentsOfAPerson) {
  const Uuid mentor = IdOf(0xB0, 1);
  AssignmentIndexRow school_row;
  school_row.id = IdOf(3, 2);
  school_row.kind = core::AssignmentKind::kMentorSchool;
  school_row.assignee_id = mentor;
  school_row.school_id = kSchoolA;
  school_row.starts_on = Must(core::Date::FromYmd(2025, 9, 1));
  AssignmentIndexRow teacher_row;
  teacher_row.id = IdOf(3, 1);
  teacher_row.kind = core::AssignmentKind::kTutorTeacher;
  teacher_row.assignee_id = mentor;
  teacher_row.school_id = kSchoolB;
  teacher_row.teacher_id = IdOf(0xB0, 2);
  teacher_row.starts_on = Must(core::Date::FromYmd(2025, 1, 15));
  teacher_row.ends_on = Must(core::Date::FromYmd(2026, 5, 31));
  AssignmentIndexRow gone = school_row;
  gone.id = IdOf(3, 3);
  gone.deleted = true;
  AssignmentIndexRow someone_else = school_row;
  someone_else.id = IdOf(3, 4);
  someone_else.assignee_id = IdOf(0xB0, 3);
  Must(Write([&](StorageTx& tx) -> Status {
    for (const auto* row : {&school_row, &teacher_row, &gone, &someone_else})
      RETURN_IF_ERROR(tx.PutAssignmentIndex(*row));
    return Status::Ok();
  }));
  auto rows = Must(ReadValue<std::vector<AssignmentIndexRow>>([&](StorageTx& tx) { return tx.AssignmentsOf(mentor); }));
  ASSERT_EQ(rows.size(), 2u);
  const AssignmentIndexRow& t = rows[0];  // ordered by id
  EXPECT_EQ(t.id, teacher_row.id);
  EXPECT_EQ(t.kind, core::AssignmentKind::kTutorTeacher);
  EXPECT_EQ(t.assignee_id, mentor);
  EXPECT_EQ(t.school_id, kSchoolB);
  EXPECT_EQ(t.teacher_id, teacher_row.teacher_id);
  EXPECT_EQ(t.starts_on, teacher_row.starts_on);
  EXPECT_EQ(t.ends_on, teacher_row.ends_on);
  EXPECT_FALSE(t.deleted);
  EXPECT_EQ(rows[1].id, school_row.id);
  EXPECT_EQ(rows[1].teacher_id, std::nullopt);
  EXPECT_EQ(rows[1].ends_on, std::nullopt);

  // Deleting an assignment hides it.
  teacher_row.deleted = true;
  Must(Write([&](StorageTx& tx) { return tx.PutAssignmentIndex(teacher_row); }));
  rows = Must(ReadValue<std::vector<AssignmentIndexRow>>([&](StorageTx& tx) { return tx.AssignmentsOf(mentor); }));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].id, school_row.id);
}

TEST_P(StorageTest, DeviceOpSeqStartsAtZeroAndKeepsTheLastValue) {
  EXPECT_EQ(Must(ReadValue<uint64_t>([](StorageTx& tx) { return tx.DeviceOpSeq("dev-a"); })), 0u);
  Must(Write([](StorageTx& tx) { return tx.SetDeviceOpSeq("dev-a", 1, 5); }));
  Must(Write([](StorageTx& tx) { return tx.SetDeviceOpSeq("dev-b", 2, 7); }));
  EXPECT_EQ(Must(ReadValue<uint64_t>([](StorageTx& tx) { return tx.DeviceOpSeq("dev-a"); })), 5u);
  Must(Write([](StorageTx& tx) { return tx.SetDeviceOpSeq("dev-a", 1, 900); }));
  EXPECT_EQ(Must(ReadValue<uint64_t>([](StorageTx& tx) { return tx.DeviceOpSeq("dev-a"); })), 900u);
  EXPECT_EQ(Must(ReadValue<uint64_t>([](StorageTx& tx) { return tx.DeviceOpSeq("dev-b"); })), 7u);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Accounts and tokens
// -----------------------------------------------------------------------------------------

TEST_P(StorageTest, AccountsRoundTripAndUpdate) {
  Account mentor = AccountOf("ivanova");
  Account admin = AccountOf("admin", Role::kAdmin);
  admin.person_id.reset();
  admin.demo = true;
  mentor.id = Must(WriteValue<int64_t>([&](StorageTx& tx) { return tx.CreateAccount(mentor); }));
  admin.id = Must(WriteValue<int64_t>([&](StorageTx& tx) { return tx.CreateAccount(admin); }));
  EXPECT_GT(mentor.id, 0);
  EXPECT_NE(mentor.id, admin.id);

  auto expect_same = [](const Account& a, const Account& b) {
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.login, b.login);
    EXPECT_EQ(a.role, b.role);
    EXPECT_EQ(a.person_id, b.person_id);
    EXPECT_EQ(a.district, b.district);
    EXPECT_EQ(a.password_hash, b.password_hash);
    EXPECT_EQ(a.disabled, b.disabled);
    EXPECT_EQ(a.demo, b.demo);
    EXPECT_EQ(a.created_millis, b.created_millis);
  };
  auto found = Must(ReadValue<std::optional<Account>>([](StorageTx& tx) { return tx.FindAccount("ivanova"); }));
  ASSERT_TRUE(found.has_value());
  expect_same(*found, mentor);
  found = Must(ReadValue<std::optional<Account>>([&](StorageTx& tx) { return tx.FindAccountById(admin.id); }));
  ASSERT_TRUE(found.has_value());
  expect_same(*found, admin);
  EXPECT_FALSE(Must(ReadValue<std::optional<Account>>([](StorageTx& tx) { return tx.FindAccount("Ivanova"); })));
  EXPECT_FALSE(Must(ReadValue<std::optional<Account>>([](StorageTx& tx) { return tx.FindAccountById(999); })));

  mentor.password_hash = "$argon2id$new";
  mentor.disabled = true;
  mentor.role = Role::kCoordinator;
  mentor.person_id = IdOf(0xB0, 8);
  mentor.district = "Южный";
  Account ignored = mentor;
  ignored.login = "renamed";  // login, demo and created_millis are not updated
  ignored.demo = true;
  ignored.created_millis = 1;
  Must(Write([&](StorageTx& tx) { return tx.UpdateAccount(ignored); }));
  auto list = Must(ReadValue<std::vector<Account>>([](StorageTx& tx) { return tx.ListAccounts(); }));
  ASSERT_EQ(list.size(), 2u);
  expect_same(list[0], mentor);
  expect_same(list[1], admin);

  Account missing = mentor;
  missing.id = 999;
  Status s = Write([&](StorageTx& tx) { return tx.UpdateAccount(missing); });
  EXPECT_EQ(s.code(), StatusCode::kNotFound) << s.ToString();
}

TEST_P(StorageTest, DuplicateLoginIsConflictAndChangesNothing) {
  Must(WriteValue<int64_t>([](StorageTx& tx) { return tx.CreateAccount(AccountOf("petrov")); }));
  Status s = Write([](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(uint64_t seq, tx.PutRecord(SchoolState(IdOf(1, 1), "x"), std::nullopt));
    (void)seq;
    return tx.CreateAccount(AccountOf("petrov", Role::kAdmin)).status();
  });
  EXPECT_EQ(s.code(), StatusCode::kConflict) << s.ToString();
  EXPECT_NE(s.message().find("petrov"), std::string::npos) << s.message();
  auto list = Must(ReadValue<std::vector<Account>>([](StorageTx& tx) { return tx.ListAccounts(); }));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].role, Role::kMentor);
  EXPECT_EQ(Must(ReadValue<int64_t>([](StorageTx& tx) { return tx.CountRecords(); })), 0);

  // A caller may handle the conflict and go on in the same transaction.
  Must(Write([](StorageTx& tx) -> Status {
    auto dup = tx.CreateAccount(AccountOf("petrov"));
    if (dup.status().code() != StatusCode::kConflict) return Status::Internal("expected a conflict");
    return tx.CreateAccount(AccountOf("petrov2")).status();
  }));
  EXPECT_EQ(Must(ReadValue<std::vector<Account>>([](StorageTx& tx) { return tx.ListAccounts(); })).size(), 2u);
}

TEST_P(StorageTest, TextWithANulCharacterIsInvalidInputOnBothBackends) {
  Status s = Write([](StorageTx& tx) { return tx.CreateAccount(AccountOf(std::string("bad\0login", 9))).status(); });
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput) << s.ToString();
}

TEST_P(StorageTest, TokensFindRevokeAndRevokeAllOfAnAccount) {
  auto token = [](std::string hash, int64_t account, std::string device) {
    TokenRow t;
    t.token_hash = std::move(hash);
    t.account_id = account;
    t.device_id = std::move(device);
    t.expires_millis = 1'800'000'000'000;
    return t;
  };
  Must(Write([&](StorageTx& tx) -> Status {
    RETURN_IF_ERROR(tx.PutToken(token("aa01", 1, "dev-a")));
    RETURN_IF_ERROR(tx.PutToken(token("aa02", 1, "dev-b")));
    return tx.PutToken(token("bb01", 2, "dev-c"));
  }));
  auto find = [&](const std::string& hash) {
    return Must(ReadValue<std::optional<TokenRow>>([&](StorageTx& tx) { return tx.FindToken(hash); }));
  };
  auto a1 = find("aa01");
  ASSERT_TRUE(a1.has_value());
  EXPECT_EQ(a1->token_hash, "aa01");
  EXPECT_EQ(a1->account_id, 1);
  EXPECT_EQ(a1->device_id, "dev-a");
  EXPECT_EQ(a1->expires_millis, 1'800'000'000'000);
  EXPECT_FALSE(a1->revoked);
  EXPECT_FALSE(find("zz99").has_value());

  Must(Write([](StorageTx& tx) { return tx.RevokeToken("aa01"); }));
  EXPECT_TRUE(find("aa01")->revoked);
  EXPECT_FALSE(find("aa02")->revoked);
  Status missing = Write([](StorageTx& tx) { return tx.RevokeToken("zz99"); });
  EXPECT_EQ(missing.code(), StatusCode::kNotFound) << missing.ToString();

  Must(Write([](StorageTx& tx) { return tx.RevokeTokensOf(1); }));
  EXPECT_TRUE(find("aa02")->revoked);
  EXPECT_FALSE(find("bb01")->revoked);
  Must(Write([](StorageTx& tx) { return tx.RevokeTokensOf(77); }));  // no tokens: fine
}

// -----------------------------------------------------------------------------------------
// [SECTION] Transactions and concurrency
// -----------------------------------------------------------------------------------------

TEST_P(StorageTest, FailingCallbackRollsEverythingBack) {
  Status s = Write([](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(uint64_t seq, tx.PutRecord(SchoolState(IdOf(1, 1), "x"), kSchoolA));
    ASSIGN_OR_RETURN(uint64_t cseq, tx.PutConflict(ConflictOf(IdOf(2, 1), IdOf(1, 1)), kSchoolA));
    (void)seq;
    (void)cseq;
    RETURN_IF_ERROR(tx.PutSchoolIndex(kSchoolA, "Южный", false));
    RETURN_IF_ERROR(tx.SetDeviceOpSeq("dev-a", 1, 10));
    ASSIGN_OR_RETURN(int64_t id, tx.CreateAccount(AccountOf("rolled")));
    (void)id;
    return Status::InvalidInput("the batch is bad");
  });
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(s.message(), "the batch is bad");
  Must(storage_->Read([](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(uint64_t max, tx.MaxSeq());
    EXPECT_EQ(max, 0u);
    ASSIGN_OR_RETURN(auto rec, tx.LoadRecord(IdOf(1, 1)));
    EXPECT_FALSE(rec.has_value());
    ASSIGN_OR_RETURN(auto districts, tx.Districts());
    EXPECT_TRUE(districts.empty());
    ASSIGN_OR_RETURN(uint64_t op, tx.DeviceOpSeq("dev-a"));
    EXPECT_EQ(op, 0u);
    ASSIGN_OR_RETURN(auto account, tx.FindAccount("rolled"));
    EXPECT_FALSE(account.has_value());
    return Status::Ok();
  }));
  // The seq the rolled-back write took is given again: nobody ever saw it.
  EXPECT_EQ(Put(SchoolState(IdOf(1, 2), "y"), kSchoolA), 1u);
}

TEST_P(StorageTest, WritingInsideReadFails) {
  Status s =
      storage_->Read([](StorageTx& tx) { return tx.PutRecord(SchoolState(IdOf(1, 1), "x"), kSchoolA).status(); });
  EXPECT_EQ(s.code(), StatusCode::kInternal) << s.ToString();
  s = storage_->Read([](StorageTx& tx) { return tx.SetDeviceOpSeq("dev-a", 1, 1); });
  EXPECT_EQ(s.code(), StatusCode::kInternal) << s.ToString();
  EXPECT_EQ(Must(ReadValue<int64_t>([](StorageTx& tx) { return tx.CountRecords(); })), 0);
}

// 8 writers put 200 records each while a reader pulls with a moving cursor, as devices do.
// Every record is written once, so a cursor that skipped a seq would never see that record.
TEST_P(StorageTest, ConcurrentWritersGetDistinctSeqsAndACursorNeverSkips) {
  constexpr int kWriters = 8;
  constexpr int kPerWriter = 200;
  std::atomic<bool> writers_done{false};
  std::vector<Uuid> pulled;
  std::vector<uint64_t> pulled_seqs;
  std::string reader_error;
  std::thread reader([&] {
    uint64_t cursor = 0;
    while (true) {
      const bool done_before = writers_done.load();
      std::vector<StoredRecord> page;
      Status s = storage_->Read([&](StorageTx& tx) -> Status {
        ASSIGN_OR_RETURN(page, tx.RecordsInRange(AllSchools(true), cursor, kNoUpperBound, 50));
        return Status::Ok();
      });
      if (!s.ok()) {
        reader_error = s.ToString();
        return;
      }
      for (const auto& r : page) {
        if (r.seq <= cursor) reader_error = "seq " + std::to_string(r.seq) + " at cursor " + std::to_string(cursor);
        cursor = r.seq;
        pulled.push_back(r.state.id);
        pulled_seqs.push_back(r.seq);
      }
      if (page.empty()) {
        if (done_before) return;
        std::this_thread::yield();
      }
    }
  });
  std::vector<std::thread> writers;
  std::vector<std::string> writer_errors(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        const Uuid id = IdOf(static_cast<uint8_t>(w + 1), static_cast<uint64_t>(i));
        Status s =
            storage_->Write([&](StorageTx& tx) { return tx.PutRecord(SchoolState(id, "c"), kSchoolA).status(); });
        if (!s.ok()) {
          writer_errors[static_cast<size_t>(w)] = s.ToString();
          return;
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  writers_done = true;
  reader.join();
  for (const auto& e : writer_errors) EXPECT_EQ(e, "");
  EXPECT_EQ(reader_error, "");

  EXPECT_EQ(pulled.size(), static_cast<size_t>(kWriters * kPerWriter));
  EXPECT_EQ(std::set<Uuid>(pulled.begin(), pulled.end()).size(), static_cast<size_t>(kWriters * kPerWriter));
  EXPECT_EQ(std::set<uint64_t>(pulled_seqs.begin(), pulled_seqs.end()).size(),
            static_cast<size_t>(kWriters * kPerWriter));
  EXPECT_EQ(Must(ReadValue<uint64_t>([](StorageTx& tx) { return tx.MaxSeq(); })),
            static_cast<uint64_t>(kWriters * kPerWriter));
}

// -----------------------------------------------------------------------------------------
// [SECTION] Opening, reopening, damage
// -----------------------------------------------------------------------------------------

TEST_P(StorageTest, ReopeningKeepsTheData) {
  const uint64_t seq = Put(SchoolState(IdOf(1, 1), "kept"), kSchoolA);
  Must(WriteValue<int64_t>([](StorageTx& tx) { return tx.CreateAccount(AccountOf("kept")); }));
  storage_.reset();
  storage_ = Must(OpenAt(location_), "reopen");
  auto loaded = Must(ReadValue<std::optional<StoredRecord>>([](StorageTx& tx) { return tx.LoadRecord(IdOf(1, 1)); }));
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->seq, seq);
  EXPECT_EQ(loaded->state, SchoolState(IdOf(1, 1), "kept"));
  EXPECT_TRUE(Must(ReadValue<std::optional<Account>>([](StorageTx& tx) { return tx.FindAccount("kept"); })));
  EXPECT_EQ(Put(SchoolState(IdOf(1, 2), "next"), kSchoolA), seq + 1);
}

TEST_P(StorageTest, NewerSchemaVersionIsUnsupported) {
  storage_.reset();
  Must(RawExec(location_, "UPDATE meta SET value = '999' WHERE key = 'schema_version'"));
  auto reopened = OpenAt(location_);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(reopened.status().message().find("newer MentorLog server"), std::string::npos)
      << reopened.status().message();
  EXPECT_NE(reopened.status().message().find("Update"), std::string::npos) << reopened.status().message();
}

TEST_P(StorageTest, DamagedSchemaVersionIsCorruption) {
  storage_.reset();
  Must(RawExec(location_, "UPDATE meta SET value = 'one' WHERE key = 'schema_version'"));
  auto reopened = OpenAt(location_);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), StatusCode::kCorruption) << reopened.status().ToString();
}

TEST_P(StorageTest, RefusesADatabaseThatIsNotOurs) {
  const std::string foreign = NewEmptyLocation();
  Must(RawExec(foreign, "CREATE TABLE records (x INTEGER)"));
  auto opened = OpenAt(foreign);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kConflict) << opened.status().ToString();

  // A device's data file has a meta table, but no schema_version.
  const std::string device = NewEmptyLocation();
  Must(RawExec(device,
               "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
               "INSERT INTO meta (key, value) VALUES ('device_id', 'dev-a')"));
  opened = OpenAt(device);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kConflict) << opened.status().ToString();
}

TEST_P(StorageTest, CorruptStateIsCorruptionNamingTheRecord) {
  const Uuid bad = IdOf(1, 1);
  Put(SchoolState(bad, "soon damaged"), kSchoolA);
  Put(SchoolState(IdOf(1, 2), "fine"), kSchoolA);
  Must(RawExec(location_, "UPDATE records SET state = " + BytesLiteral("deadbeef00ff") + " WHERE record_id = '" +
                              bad.ToString() + "'"));
  auto expect_corruption = [&](const Status& s) {
    EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
    EXPECT_NE(s.message().find(bad.ToString()), std::string::npos) << s.message();
  };
  expect_corruption(storage_->Read([&](StorageTx& tx) { return tx.LoadRecord(bad).status(); }));
  expect_corruption(storage_->Read(
      [&](StorageTx& tx) { return tx.RecordsInRange(AllSchools(true), 0, kNoUpperBound, 10).status(); }));
  expect_corruption(storage_->Read(
      [&](StorageTx& tx) { return tx.ScanLive(AllSchools(true), [](const StoredRecord&) { return Status::Ok(); }); }));

  // A state that decodes but belongs to another record is damage too.
  Must(RawExec(location_, "UPDATE records SET state = (SELECT state FROM records WHERE record_id = '" +
                              IdOf(1, 2).ToString() + "') WHERE record_id = '" + bad.ToString() + "'"));
  expect_corruption(storage_->Read([&](StorageTx& tx) { return tx.LoadRecord(bad).status(); }));
}

TEST_P(StorageTest, CorruptConflictIsCorruptionNamingItsSeq) {
  const uint64_t seq = Must(
      WriteValue<uint64_t>([](StorageTx& tx) { return tx.PutConflict(ConflictOf(IdOf(2, 1), IdOf(1, 1)), kSchoolA); }));
  Must(RawExec(location_, "UPDATE conflicts SET body = " + BytesLiteral("00") + " WHERE seq = " + std::to_string(seq)));
  Status s = storage_->Read(
      [](StorageTx& tx) { return tx.ConflictsInRange(AllSchools(true), 0, kNoUpperBound, 10).status(); });
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  EXPECT_NE(s.message().find("seq " + std::to_string(seq)), std::string::npos) << s.message();
}

std::string BackendName(const ::testing::TestParamInfo<Backend>& param_info) {
  return param_info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, RangeTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

// -----------------------------------------------------------------------------------------
// [SECTION] Backend-specific
// -----------------------------------------------------------------------------------------

class SqliteStorageTest : public ::testing::Test {
 protected:
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::filesystem::path dir_ = UniqueTempDir();
  std::string path_ = (dir_ / "server.db").string();
};

TEST_F(SqliteStorageTest, DescribeNamesTheFile) {
  auto storage = Must(OpenSqliteStorage(path_));
  EXPECT_EQ(storage->Describe(), "sqlite:" + path_);
}

TEST_F(SqliteStorageTest, AFileThatIsNotSqliteIsCorruption) {
  std::ofstream(path_, std::ios::binary) << std::string(4096, 'x');
  auto opened = OpenSqliteStorage(path_);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kCorruption) << opened.status().ToString();
}

TEST_F(SqliteStorageTest, AMissingFolderIsIoError) {
  auto opened = OpenSqliteStorage((dir_ / "no" / "such" / "dir" / "server.db").string());
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kIoError) << opened.status().ToString();
}

// Another process holding the write lock: a short hold is waited out, a long one gives up.
TEST_F(SqliteStorageTest, WaitsForAnotherWriterThenGivesUpWithUnavailable) {
  auto storage = Must(OpenSqliteStorage(path_));
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
  });
  Must(storage->Write([](StorageTx& tx) { return tx.SetDeviceOpSeq("dev-a", 1, 1); }));
  release.join();

  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  Status s = storage->Write([](StorageTx& tx) { return tx.SetDeviceOpSeq("dev-a", 1, 2); });
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  // Readers are not blocked by a writer.
  uint64_t op = 0;
  Must(storage->Read([&](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(op, tx.DeviceOpSeq("dev-a"));
    return Status::Ok();
  }));
  EXPECT_EQ(op, 1u);
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
}

class PostgresStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pg = TestPgConnstr();
    if (!pg) {
      if (AllowNoPg()) GTEST_SKIP() << NoPgMessage();
      FAIL() << NoPgMessage();
    }
    base_ = *pg;
    schema_ = Must(PgTestSchema::Create(base_));
  }
  std::string base_;
  std::unique_ptr<PgTestSchema> schema_;
};

TEST_F(PostgresStorageTest, DescribeNeverShowsThePassword) {
  auto storage = Must(OpenPostgresStorage(schema_->connstr()));
  const std::string d = storage->Describe();
  EXPECT_EQ(d.rfind("postgresql:", 0), 0u) << d;
  EXPECT_EQ(d.find("password"), std::string::npos) << d;
  // With a password unlike anything else in the string, it must not appear either.
  const std::string secret = "wrong-secret-42";
  auto refused = OpenPostgresStorage(schema_->connstr() + " password=" + secret);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable) << refused.status().ToString();
  EXPECT_EQ(refused.status().message().find(secret), std::string::npos) << refused.status().message();
}

TEST_F(PostgresStorageTest, NoServerIsUnavailable) {
  auto opened = OpenPostgresStorage("host=127.0.0.1 port=1 user=nobody password=hunter2 dbname=none connect_timeout=2");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kUnavailable) << opened.status().ToString();
  EXPECT_EQ(opened.status().message().find("hunter2"), std::string::npos) << opened.status().message();
}

TEST_F(PostgresStorageTest, AnEmptyPoolIsInvalidInput) {
  auto opened = OpenPostgresStorage(schema_->connstr(), 0);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidInput);
}

// The database server drops every pooled connection between two writes (a restart, a
// failover): the next Write reconnects and succeeds.
TEST_F(PostgresStorageTest, ADroppedConnectionIsReopenedAndTheWriteRetried) {
  const std::string app = "mlt_drop_" + schema_->name();
  auto storage = Must(OpenPostgresStorage(schema_->connstr() + " application_name=" + app, 2));
  Must(storage->Write([](StorageTx& tx) { return tx.SetDeviceOpSeq("dev-a", 1, 1); }));
  Must(PgExec(base_, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + app + "'"));
  // Termination is asynchronous: wait until the backends are gone.
  for (int i = 0; i < 100; ++i) {
    bool gone = false;
    Status s = PgExec(base_, "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = '" + app +
                                 "') THEN RAISE EXCEPTION 'still there'; END IF; END $$");
    gone = s.ok();
    if (gone) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Must(storage->Write([](StorageTx& tx) { return tx.SetDeviceOpSeq("dev-a", 1, 2); }));
  uint64_t op = 0;
  Must(storage->Read([&](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(op, tx.DeviceOpSeq("dev-a"));
    return Status::Ok();
  }));
  EXPECT_EQ(op, 2u);
}

}  // namespace
}  // namespace mentorlog::server
