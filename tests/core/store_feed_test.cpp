// The store's change feed (Records::ChangesSince): every write of a record, local or pulled, in
// the order written, each record once at its newest write; nothing for a write that did not
// happen.
#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "test_fixtures.h"

namespace mentorlog::core::testing {
namespace {

class StoreFeedTest : public StoreFixture {
 protected:
  // The records written after `after`, and the number to ask after next.
  struct Feed {
    std::vector<RecordState> states;
    uint64_t next = 0;
    std::vector<Uuid> Ids() const {
      std::vector<Uuid> ids;
      for (const RecordState& s : states) ids.push_back(s.id);
      return ids;
    }
  };
  Feed Since(uint64_t after, size_t limit = 1000) {
    Feed feed;
    feed.next = Must(store().records().ChangesSince(after, limit, [&](const RecordState& s) {
      feed.states.push_back(s);
      return Status::Ok();
    }));
    return feed;
  }
};

TEST_F(StoreFeedTest, ListsEachWriteInOrderAndEachRecordOnceAtItsNewest) {
  Feed empty = Since(0);
  EXPECT_TRUE(empty.states.empty());
  EXPECT_EQ(empty.next, 0u);
  EXPECT_EQ(Must(store().records().LastChange()), 0u);

  School school = MakeSchool();
  const Person mentor = MakeMentor();
  const Visit visit = Must(store().records().Save(NewVisit(school.id, mentor.id)));
  Feed first = Since(0);
  EXPECT_EQ(first.Ids(), (std::vector<Uuid>{school.id, mentor.id, visit.id}));
  ASSERT_EQ(first.states.size(), 3u);
  EXPECT_EQ(first.states[0].kind, RecordKind::kSchool);
  EXPECT_EQ(first.states[0].fields.size(), FieldCount<School>());
  EXPECT_EQ(std::get<std::string>(first.states[0].Find("name")->value), school.name);
  EXPECT_FALSE(first.states[0].deleted);
  EXPECT_EQ(Since(first.next).states.size(), 0u) << "nothing after the last one read";
  EXPECT_EQ(Since(first.next).next, first.next);
  EXPECT_EQ(Must(store().records().LastChange()), first.next);

  // An edit moves the school after the others; an unchanged save writes nothing.
  school.name = "МБОУ «Школа № 2»";
  Must(store().records().Save(school));
  Must(store().records().Save(mentor));
  Feed edited = Since(first.next);
  EXPECT_EQ(edited.Ids(), (std::vector<Uuid>{school.id}));
  ASSERT_EQ(edited.states.size(), 1u);
  EXPECT_EQ(std::get<std::string>(edited.states[0].Find("name")->value), "МБОУ «Школа № 2»");
  EXPECT_EQ(Since(0).Ids(), (std::vector<Uuid>{mentor.id, visit.id, school.id}));

  // A delete comes as its tombstone.
  Must(store().records().Delete(RecordKind::kVisit, visit.id));
  Feed deleted = Since(edited.next);
  ASSERT_EQ(deleted.states.size(), 1u);
  EXPECT_EQ(deleted.states[0].id, visit.id);
  EXPECT_TRUE(deleted.states[0].deleted);
  EXPECT_TRUE(deleted.states[0].fields.empty());
}

TEST_F(StoreFeedTest, PagesTogetherAreTheWholeFeed) {
  const School school = MakeSchool();
  const Person mentor = MakeMentor();
  std::vector<Uuid> written = {school.id, mentor.id};
  for (int i = 0; i < 7; ++i) written.push_back(Must(store().records().Save(NewVisit(school.id, mentor.id))).id);
  std::vector<Uuid> paged;
  uint64_t cursor = 0;
  int pages = 0;
  while (true) {
    Feed page = Since(cursor, 3);
    if (page.states.empty()) break;
    EXPECT_LE(page.states.size(), 3u);
    for (const Uuid& id : page.Ids()) paged.push_back(id);
    EXPECT_GT(page.next, cursor);
    cursor = page.next;
    ++pages;
  }
  EXPECT_EQ(paged, written);
  EXPECT_EQ(pages, 3);
}

TEST_F(StoreFeedTest, AWriteThatDidNotHappenIsNotListed) {
  const School school = MakeSchool();
  const Person mentor = MakeMentor();
  const uint64_t cursor = Since(0).next;

  // Refused by validation.
  Visit bad = NewVisit(school.id, mentor.id);
  bad.visitor_ids.clear();
  EXPECT_FALSE(store().records().Save(bad).ok());
  // Rolled back with its transaction.
  Status rolled = store().records().InTransaction([&]() -> Status {
    RETURN_IF_ERROR(store().records().Save(NewVisit(school.id, mentor.id)).status());
    return Status::Cancelled("the user closed the form");
  });
  EXPECT_EQ(rolled.code(), StatusCode::kCancelled);
  EXPECT_TRUE(Since(cursor).states.empty());
  EXPECT_EQ(Must(store().records().LastChange()), cursor);

  // The next write is listed after the cursor all the same.
  const Visit saved = Must(store().records().Save(NewVisit(school.id, mentor.id)));
  EXPECT_EQ(Since(cursor).Ids(), (std::vector<Uuid>{saved.id}));
}

TEST_F(StoreFeedTest, PulledStatesAreListedAsTheyLanded) {
  const School school = MakeSchool();
  const uint64_t cursor = Since(0).next;
  RecordState pulled;
  pulled.kind = RecordKind::kSchool;
  pulled.id = Uuid::MakeV7(kStartMillis);
  // Stamped before the local school: the feed follows the order written here, not the stamps.
  const FieldClock remote{HlcStamp::FromParts(kStartMillis - 3'600'000, 0), "dev-b"};
  pulled.fields = {{"code", std::string("777"), remote, {}}, {"name", std::string("Школа с сервера"), remote, {}}};
  Must(store().ledger().InTransaction([&] { return store().ledger().ApplyState(pulled); }));
  Feed feed = Since(cursor);
  ASSERT_EQ(feed.states.size(), 1u);
  EXPECT_EQ(feed.states[0].id, pulled.id);
  EXPECT_EQ(std::get<std::string>(feed.states[0].Find("name")->value), "Школа с сервера");
  EXPECT_EQ(Since(0).Ids(), (std::vector<Uuid>{school.id, pulled.id}));

  pulled.deleted = FieldClock{HlcStamp::FromParts(kStartMillis + 7'200'000, 0), "dev-b"};
  pulled.fields.clear();
  Must(store().ledger().InTransaction([&] { return store().ledger().ApplyState(pulled); }));
  Feed tombstone = Since(feed.next);
  ASSERT_EQ(tombstone.states.size(), 1u);
  EXPECT_TRUE(tombstone.states[0].deleted);
}

TEST_F(StoreFeedTest, TheFeedOutlivesTheProcess) {
  const School school = MakeSchool();
  const uint64_t cursor = Since(0).next;
  CloseStore();
  OpenStore();
  const Person mentor = MakeMentor();
  Feed after = Since(cursor);
  EXPECT_EQ(after.Ids(), (std::vector<Uuid>{mentor.id}));
  EXPECT_GT(after.next, cursor);
  EXPECT_EQ(Since(0).Ids(), (std::vector<Uuid>{school.id, mentor.id}));
}

// The app's first dashboards scan the whole store page by page (Records::ScanLiveStates): the
// same records as ForEachLiveState, with the store free for other calls between pages and
// while the reader works.
TEST_F(StoreFeedTest, AScanInPagesGivesEveryLiveRecordAndLeavesTheStoreFreeMeanwhile) {
  const School school = MakeSchool();
  const Person mentor = MakeMentor();
  std::vector<Uuid> visits;
  for (int i = 0; i < 7; ++i) visits.push_back(Must(store().records().Save(NewVisit(school.id, mentor.id))).id);
  Must(store().records().Delete(RecordKind::kVisit, visits[3]));

  auto ids = [&](auto scan) {
    std::vector<std::pair<RecordKind, Uuid>> out;
    Must(scan([&](const RecordState& s) {
      out.emplace_back(s.kind, s.id);
      return Status::Ok();
    }));
    return out;
  };
  const auto whole = ids([&](const auto& fn) { return store().records().ForEachLiveState(fn); });
  ASSERT_EQ(whole.size(), 8u);  // the school, the mentor, six visits
  for (size_t page : {1u, 2u, 3u, 6u, 1000u}) {
    EXPECT_EQ(ids([&](const auto& fn) { return store().records().ScanLiveStates(page, fn); }), whole)
        << "pages of " << page;
  }

  // Another thread's call is served while the reader holds a record (ForEachLiveState would
  // keep it waiting until the scan ends: it holds the lock while its reader runs).
  // (Declared out here: were it blocked, waiting for it inside the reader would never end.)
  std::future<Result<int64_t>> count;
  bool served = false;
  Must(store().records().ScanLiveStates(2, [&](const RecordState&) {
    if (count.valid()) return Status::Ok();
    count = std::async(std::launch::async, [&] { return store().records().Count(RecordKind::kVisit); });
    served = count.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
    return Status::Ok();
  }));
  EXPECT_TRUE(served) << "the store stayed locked while the scan's reader ran";
  EXPECT_EQ(Must(count.get()), 6);

  // A reader's error ends the scan with it.
  int seen = 0;
  const Status stopped = store().records().ScanLiveStates(
      2, [&](const RecordState&) { return ++seen == 3 ? Status::Cancelled("enough") : Status::Ok(); });
  EXPECT_EQ(stopped.code(), StatusCode::kCancelled);
  EXPECT_EQ(seen, 3);
}

}  // namespace
}  // namespace mentorlog::core::testing
