// Tests of the store's drafts: forms kept as typed, local to the device (never synced).
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "mentorlog/store/store.h"
#include "test_fixtures.h"

namespace mentorlog::core {
namespace {

using testing::Must;

class StoreDraftsTest : public testing::StoreFixture {
 protected:
  static DraftEntry NewDraft(std::string key, std::string title = "Выезд — Школа № 1") {
    DraftEntry d;
    d.key = std::move(key);
    d.kind = "visit";
    d.title = std::move(title);
    d.payload = R"({"summary":"Обсудили программу перехода"})";
    return d;
  }
};

TEST_F(StoreDraftsTest, SaveStampsTheClockAndReadsBack) {
  DraftEntry d = NewDraft("visit:a");
  d.updated_millis = 42;  // ignored: the store stamps it
  Must(store().device().SaveDraft(d), "SaveDraft");
  std::optional<DraftEntry> got = Must(store().device().Draft("visit:a"), "Draft");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->key, "visit:a");
  EXPECT_EQ(got->kind, "visit");
  EXPECT_EQ(got->title, "Выезд — Школа № 1");
  EXPECT_EQ(got->payload, d.payload);
  EXPECT_EQ(got->updated_millis, testing::kStartMillis);
}

TEST_F(StoreDraftsTest, MissingDraftIsNullopt) {
  EXPECT_FALSE(Must(store().device().Draft("visit:none"), "Draft").has_value());
}

TEST_F(StoreDraftsTest, SaveReplacesTheDraftUnderTheSameKey) {
  Must(store().device().SaveDraft(NewDraft("visit:a", "first")), "SaveDraft");
  clock_.Advance(1000);
  DraftEntry second = NewDraft("visit:a", "second");
  second.payload = "{}";
  Must(store().device().SaveDraft(second), "SaveDraft");
  auto all = Must(store().device().Drafts(), "Drafts");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].title, "second");
  EXPECT_EQ(all[0].payload, "{}");
  EXPECT_EQ(all[0].updated_millis, testing::kStartMillis + 1000);
}

TEST_F(StoreDraftsTest, DraftsAreNewestFirst) {
  Must(store().device().SaveDraft(NewDraft("visit:old")), "SaveDraft");
  clock_.Advance(60'000);
  Must(store().device().SaveDraft(NewDraft("observation:new")), "SaveDraft");
  clock_.Advance(60'000);
  Must(store().device().SaveDraft(NewDraft("visit:old")), "SaveDraft");  // touched again: newest now
  auto all = Must(store().device().Drafts(), "Drafts");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].key, "visit:old");
  EXPECT_EQ(all[1].key, "observation:new");
}

TEST_F(StoreDraftsTest, DeleteRemovesTheDraftAndAMissingOneIsOk) {
  Must(store().device().SaveDraft(NewDraft("visit:a")), "SaveDraft");
  Must(store().device().DeleteDraft("visit:a"), "DeleteDraft");
  EXPECT_FALSE(Must(store().device().Draft("visit:a"), "Draft").has_value());
  EXPECT_TRUE(store().device().DeleteDraft("visit:a").ok());
  EXPECT_TRUE(Must(store().device().Drafts(), "Drafts").empty());
}

TEST_F(StoreDraftsTest, EmptyKeyIsInvalidInput) {
  const Status s = store().device().SaveDraft(NewDraft(""));
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(s.message(Language::kRussian), "У черновика должен быть ключ.");
  EXPECT_EQ(s.message(Language::kEnglish), "A draft needs a key.");
  EXPECT_TRUE(Must(store().device().Drafts(), "Drafts").empty());
}

TEST_F(StoreDraftsTest, DraftSurvivesClosingAndReopeningTheStore) {
  Must(store().device().SaveDraft(NewDraft("visit:a")), "SaveDraft");
  CloseStore();
  OpenStore();
  std::optional<DraftEntry> got = Must(store().device().Draft("visit:a"), "Draft");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->payload, R"({"summary":"Обсудили программу перехода"})");
}

TEST_F(StoreDraftsTest, DraftsWriteNoOutboxEntriesAndNoClocks) {
  const int64_t before = Pending();
  Must(store().device().SaveDraft(NewDraft("visit:a")), "SaveDraft");
  Must(store().device().SaveDraft(NewDraft("visit:a")), "SaveDraft");
  Must(store().device().DeleteDraft("visit:a"), "DeleteDraft");
  EXPECT_EQ(Pending(), before);
  EXPECT_TRUE(Must(store().ConsistencyProblems(), "ConsistencyProblems").empty());
  testing::RawDb raw(StorePath());
  EXPECT_EQ(raw.One("SELECT count(*) FROM record_clocks"), "0");
}

// A draft written inside a transaction that fails is rolled back with it.
TEST_F(StoreDraftsTest, DraftInAFailedTransactionIsRolledBack) {
  const Status s = store().records().InTransaction([&]() -> Status {
    RETURN_IF_ERROR(store().device().SaveDraft(NewDraft("visit:a")));
    return Status::Conflict("stop");
  });
  EXPECT_EQ(s.code(), StatusCode::kConflict);
  EXPECT_FALSE(Must(store().device().Draft("visit:a"), "Draft").has_value());
}

}  // namespace
}  // namespace mentorlog::core
