// Tests of the store's three faces (records.h, sync_ledger.h, device_state.h): one connection
// and one transaction under them, whichever face opens it.
#include <gtest/gtest.h>

#include <string>

#include "mentorlog/store/store.h"
#include "test_fixtures.h"

namespace mentorlog::core {
namespace {

using testing::Must;

class StoreFacesTest : public testing::StoreFixture {};

TEST_F(StoreFacesTest, OneTransactionCoversWritesThroughEveryFace) {
  const Status failed = store().ledger().InTransaction([&]() -> Status {
    RETURN_IF_ERROR(store().records().Save(MakeSchool()).status());
    RETURN_IF_ERROR(store().ledger().SetSyncValue("pull_cursor", "c1"));
    DraftEntry draft;
    draft.key = "visit:faces";
    draft.kind = "visit";
    RETURN_IF_ERROR(store().device().SaveDraft(draft));
    return Status::Conflict(std::string("undo it all"));
  });
  EXPECT_EQ(failed.code(), StatusCode::kConflict);
  EXPECT_EQ(Must(store().records().Count(RecordKind::kSchool)), 0);
  EXPECT_EQ(Pending(), 0);
  EXPECT_FALSE(Must(store().ledger().GetSyncValue("pull_cursor")).has_value());
  EXPECT_FALSE(Must(store().device().Draft("visit:faces")).has_value());

  Must(store().records().InTransaction([&]() -> Status {
    RETURN_IF_ERROR(store().records().Save(MakeSchool()).status());
    return store().ledger().SetSyncValue("pull_cursor", "c2");
  }));
  EXPECT_EQ(Must(store().records().Count(RecordKind::kSchool)), 1);
  EXPECT_EQ(Must(store().ledger().GetSyncValue("pull_cursor")), std::optional<std::string>("c2"));
}

TEST_F(StoreFacesTest, FacesShareTheStoresDeviceAndLiveAsLongAsIt) {
  const Store& read_only = store();
  EXPECT_EQ(&read_only.records(), &store().records());
  EXPECT_EQ(&read_only.ledger(), &store().ledger());
  EXPECT_EQ(&read_only.device(), &store().device());
  EXPECT_EQ(store().ledger().device_id(), store().device_id());
  const School school = Must(store().records().Save(MakeSchool()));
  EXPECT_EQ(Must(store().ledger().ClocksOf(RecordKind::kSchool, school.id)).fields.front().second.device_id,
            store().device_id());
}

}  // namespace
}  // namespace mentorlog::core
