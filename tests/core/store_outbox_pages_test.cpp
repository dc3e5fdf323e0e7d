// Tests of how the outbox sits in the file: a change of a kilobyte or two stays on the table's
// own leaf pages (no 4 KiB overflow page per write), and the migration that made the outbox a
// rowid table keeps every entry, acknowledged or not. Why it matters: bench/README.md,
// store_write_bench ("the outbox's overflow pages").
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "mentorlog/store/store.h"
#include "test_fixtures.h"

namespace mentorlog::core {
namespace {

using testing::Must;
using testing::RawDb;

class StoreOutboxPagesTest : public testing::StoreFixture {
 protected:
  // A visit whose outbox change is about `summary_bytes` plus 750 bytes long.
  static Visit OutboxPagesVisit(const Uuid& school_id, const Uuid& mentor_id, size_t summary_bytes, int i) {
    Visit v = NewVisit(school_id, mentor_id, Date::FromDays(20'000 + i));
    v.summary = std::string(summary_bytes, 'a') + " " + std::to_string(i);
    return v;
  }
};

// 100 visits whose changes are 1.1 to 3.5 KB: before the fix (a WITHOUT ROWID outbox) each of
// them left all but 489 bytes on an overflow page of its own: every Save wrote one more page,
// and the outbox took twice the pages its bytes need.
TEST_F(StoreOutboxPagesTest, AChangeOfAFewKilobytesTakesNoPageOfItsOwn) {
  const School school = MakeSchool();
  const Person mentor = MakeMentor();
  Must(store().records().InTransaction([&]() -> Status {
    for (int i = 0; i < 100; ++i) {
      RETURN_IF_ERROR(store()
                          .records()
                          .Save(OutboxPagesVisit(school.id, mentor.id, 400 + 24 * static_cast<size_t>(i), i))
                          .status());
    }
    return Status::Ok();
  }),
       "save 100 visits");
  CloseStore();

  RawDb raw(StorePath());
  if (raw.Column("SELECT name FROM pragma_module_list WHERE name = 'dbstat'").empty()) {
    GTEST_SKIP() << "this SQLite has no dbstat table";
  }
  const int64_t page_size = std::stoll(raw.One("PRAGMA page_size"));
  const int64_t min_bytes =
      std::stoll(raw.One("SELECT min(length(payload)) FROM outbox WHERE record_id IN (SELECT id FROM visits)"));
  const int64_t max_bytes =
      std::stoll(raw.One("SELECT max(length(payload)) FROM outbox WHERE record_id IN (SELECT id FROM visits)"));
  ASSERT_GT(min_bytes, 1'100);  // past a WITHOUT ROWID table's local limit (1,002 bytes)
  ASSERT_LT(max_bytes, 3'600);  // under a rowid table's (4,061 bytes)
  const int64_t bytes = std::stoll(raw.One("SELECT sum(length(payload) + length(record_id) + 40) FROM outbox"));
  const int64_t pages = std::stoll(raw.One("SELECT count(*) FROM dbstat WHERE name = 'outbox'"));
  EXPECT_EQ(raw.One("SELECT count(*) FROM dbstat WHERE name = 'outbox' AND pagetype = 'overflow'"), "0");
  // Leaves about 70 % full (rows of 1-3.5 KB on 4 KiB pages) and an interior page or two: 82
  // pages here, 1.4 times the bytes. The WITHOUT ROWID outbox took 117 pages (2.0 times).
  EXPECT_LE(pages * page_size * 10, bytes * 16) << pages << " pages for " << bytes << " bytes";
}

// The migration to the rowid outbox keeps every entry, what was acknowledged and what was not,
// and the op seqs go on without a gap.
TEST_F(StoreOutboxPagesTest, MigrationToTheRowidOutboxKeepsEveryEntry) {
  const School school = MakeSchool();
  const Person mentor = MakeMentor();
  for (int i = 0; i < 3; ++i) (void)Must(store().records().Save(OutboxPagesVisit(school.id, mentor.id, 1'500, i)));
  Must(store().ledger().MarkAcked(3), "MarkAcked");  // the school, the mentor, the first visit
  ASSERT_EQ(Pending(), 2);
  CloseStore();
  {
    RawDb raw(StorePath());
    testing::UndoMigrationsTo(raw, 7);  // before the rowid outbox
    ASSERT_NE(raw.One("SELECT sql FROM sqlite_master WHERE name = 'outbox'").find("WITHOUT ROWID"), std::string::npos);
  }

  OpenStore();
  EXPECT_EQ(store().schema_version(), kLatestSchemaVersion);
  EXPECT_EQ(Pending(), 2);
  const std::vector<OutboxEntry> pending = Outbox();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].change.op_seq, 4u);
  EXPECT_EQ(pending[1].change.op_seq, 5u);
  (void)Must(store().records().Save(OutboxPagesVisit(school.id, mentor.id, 1'500, 3)));
  EXPECT_EQ(Outbox().back().change.op_seq, 6u);
  EXPECT_TRUE(Must(store().ConsistencyProblems()).empty());
  CloseStore();

  RawDb raw(StorePath());
  EXPECT_EQ(raw.One("PRAGMA user_version"), std::to_string(kLatestSchemaVersion));
  EXPECT_EQ(raw.One("SELECT sql FROM sqlite_master WHERE name = 'outbox'").find("WITHOUT ROWID"), std::string::npos);
  EXPECT_EQ(raw.One("SELECT count(*) FROM outbox"), "6");
  EXPECT_EQ(raw.One("SELECT count(*) FROM outbox WHERE acked = 1"), "3");
  EXPECT_EQ(
      raw.Column("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' AND sql IS NOT NULL "
                 "ORDER BY name"),
      (std::vector<std::string>{"outbox_pending", "outbox_record"}));
  EXPECT_EQ(raw.One("PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace mentorlog::core
