// CentralWriter: the import and the demo written straight into the central store, by the same
// rules as on a device, all or nothing per transaction. Both backends.
#include "central_writer.h"

#include <gtest/gtest.h>

#include <string>

#include "mentorlog/domain/import.h"
#include "mentorlog/domain/record_writer.h"
#include "sync_fixture.h"

namespace mentorlog::server::testing {
namespace {

class CentralWriterTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    district_ = MiniDistrict::Create(*service_, *storage_, dir_.path(), clock_);
  }

  std::unique_ptr<CentralWriter> Writer() {
    return std::make_unique<CentralWriter>(*storage_, *service_, "Заречный", clock_);
  }

  uint64_t MaxSeq() {
    uint64_t seq = 0;
    Must(storage_->Read([&](StorageTx& tx) -> Status {
      ASSIGN_OR_RETURN(seq, tx.MaxSeq());
      return Status::Ok();
    }));
    return seq;
  }

  core::Visit NewVisit(const Uuid& school, std::string summary) {
    core::Visit v;
    v.school_id = school;
    v.date = core::Date::FromUnixMillis(clock_.NowMillis(), 0).AddDays(-1);
    v.visitor_ids = {district_.mentor1};
    v.purposes = {core::VisitPurpose::kDiagnostics};
    v.summary = std::move(summary);
    return v;
  }

  MiniDistrict district_;
};

TEST_P(CentralWriterTest, AnImportMatchesTheCentralStoresRecordsAndDevicesPullIt) {
  const std::string csv =
      "code,name,municipality,district,settlement,distance_km,pupils,teachers\n"
      "101,МБОУ «Школа 101»,Заречный,Заречный,rural,12.5,130,10\n"  // pupils 100 -> 130
      "103,Школа №3,Заречный,Заречный,rural,40,60,9\n";
  auto writer = Writer();
  const core::ImportReport report =
      Must(core::ImportCsv(*writer, core::RecordKind::kSchool, csv, "schools.csv", core::BadRowPolicy::kRejectFile));
  EXPECT_TRUE(report.committed);
  EXPECT_EQ(report.inserted, 1);
  EXPECT_EQ(report.updated, 1) << "school 101 was matched by its code in the central store";
  EXPECT_EQ(writer->sent(), 2u);
  EXPECT_TRUE(writer->refused().empty());

  // The coordinator's device gets both, and agrees with the server.
  Device laptop(dir_.path(), "laptop", clock_);
  laptop.Sync(*service_, SessionOf(district_.coordinator_account));
  EXPECT_EQ(Must(laptop.store().records().Get<core::School>(district_.school1)).pupils, 130);
  const auto schools = Must(laptop.store().records().List<core::School>());
  EXPECT_EQ(std::count_if(schools.begin(), schools.end(), [](const auto& s) { return s.code == "103"; }), 1);
  EXPECT_EQ(laptop.Hash(), Must(service_->StateHash(district_.coordinator_account)));

  // The same file again changes nothing and sends nothing.
  auto again = Writer();
  const uint64_t seq = MaxSeq();
  const core::ImportReport same =
      Must(core::ImportCsv(*again, core::RecordKind::kSchool, csv, "schools.csv", core::BadRowPolicy::kRejectFile));
  EXPECT_EQ(same.unchanged, 2);
  EXPECT_EQ(again->sent(), 0u);
  EXPECT_EQ(MaxSeq(), seq);
}

TEST_P(CentralWriterTest, AFileWithABadRowSendsNothingUnlessTheGoodRowsAreAskedFor) {
  const std::string csv =
      "code,name,municipality,district,settlement,distance_km,pupils,teachers\n"
      "104,Школа №4,Заречный,Заречный,rural,5,50,8\n"
      "105,Школа №5,Заречный,Заречный,rural,5,не число,8\n";
  const uint64_t seq = MaxSeq();
  auto writer = Writer();
  const core::ImportReport refused =
      Must(core::ImportCsv(*writer, core::RecordKind::kSchool, csv, "schools.csv", core::BadRowPolicy::kRejectFile));
  EXPECT_FALSE(refused.committed);
  EXPECT_EQ(refused.bad_rows, 1);
  EXPECT_EQ(writer->sent(), 0u);
  EXPECT_EQ(MaxSeq(), seq) << "nothing reached the central store";

  const core::ImportReport good =
      Must(core::ImportCsv(*writer, core::RecordKind::kSchool, csv, "schools.csv", core::BadRowPolicy::kSkipBad));
  EXPECT_TRUE(good.committed);
  EXPECT_EQ(good.inserted, 1);
  EXPECT_EQ(writer->sent(), 1u);
  EXPECT_GT(MaxSeq(), seq);
}

TEST_P(CentralWriterTest, ReadsSeeUnsentWritesAndAFailedNestedTransactionUndoesOnlyItsOwn) {
  auto writer = Writer();
  const uint64_t seq = MaxSeq();
  core::Visit kept;
  core::Visit undone;
  Must(writer->InTransaction([&]() -> Status {
    ASSIGN_OR_RETURN(kept, writer->Save(NewVisit(district_.school1, "остаётся")));
    EXPECT_EQ(MaxSeq(), seq) << "nothing is sent before the outermost transaction ends";
    EXPECT_EQ(Must(writer->Get<core::Visit>(kept.id)).summary, "остаётся") << "but it is read back";
    const Status inner = writer->InTransaction([&]() -> Status {
      ASSIGN_OR_RETURN(undone, writer->Save(NewVisit(district_.school1, "отменяется")));
      return Status::Conflict("the inner part fails");
    });
    EXPECT_EQ(inner.code(), StatusCode::kConflict);
    EXPECT_EQ(writer->Get<core::Visit>(undone.id).status().code(), StatusCode::kNotFound);
    return Status::Ok();
  }));
  EXPECT_EQ(writer->sent(), 1u);
  EXPECT_EQ(Must(Writer()->Get<core::Visit>(kept.id)).summary, "остаётся");
  EXPECT_EQ(Writer()->Get<core::Visit>(undone.id).status().code(), StatusCode::kNotFound);

  // A failed outermost transaction sends nothing at all.
  const uint64_t after = MaxSeq();
  EXPECT_FALSE(writer
                   ->InTransaction([&]() -> Status {
                     RETURN_IF_ERROR(writer->Save(NewVisit(district_.school1, "никогда")).status());
                     return Status::Cancelled("stopped");
                   })
                   .ok());
  EXPECT_EQ(MaxSeq(), after);
}

TEST_P(CentralWriterTest, TheDevicesRulesRefuseTheSameWritesHere) {
  auto writer = Writer();
  const uint64_t seq = MaxSeq();
  // Validation: a visit to a school that does not exist.
  core::Visit lost = NewVisit(Uuid::MakeV7(clock_.NowMillis()), "никуда");
  EXPECT_EQ(writer->Save(lost).status().code(), StatusCode::kInvalidInput);

  // The forward-only status and the append-only history (rules.h).
  core::Visit visit = Must(writer->Save(NewVisit(district_.school1, "выезд")));
  core::Recommendation r;
  r.source_kind = core::SourceKind::kVisit;
  r.source_id = visit.id;
  r.school_id = district_.school1;
  r.text = "Провести педсовет";
  r.responsible_name = "Директор";
  r.created_on = visit.date;
  r.due_on = visit.date.AddDays(10);
  r = Must(writer->Save(r));
  r = Must(core::AdvanceRecommendation(*writer, r.id, core::RecommendationStatus::kDone, "сделано"));
  EXPECT_EQ(
      core::AdvanceRecommendation(*writer, r.id, core::RecommendationStatus::kInProgress, "назад").status().code(),
      StatusCode::kConflict);
  r.status = core::RecommendationStatus::kOpen;
  EXPECT_EQ(writer->Save(r).status().code(), StatusCode::kConflict) << "back only by reopening";
  r = Must(core::ReopenRecommendation(*writer, r.id, "не доделано"));
  EXPECT_EQ(r.status, core::RecommendationStatus::kOpen);
  EXPECT_EQ(r.reopen_count, 1);
  auto events = Must(writer->ListBy<core::RecommendationEvent>("recommendation_id", r.id));
  ASSERT_EQ(events.size(), 2u);
  events[0].text = "переписано";
  EXPECT_EQ(writer->Save(events[0]).status().code(), StatusCode::kConflict);
  EXPECT_TRUE(writer->refused().empty()) << "the central store took every write the rules allowed";
  EXPECT_GT(MaxSeq(), seq);

  // The mentor's device sees the same history.
  Device laptop(dir_.path(), "laptop", clock_);
  laptop.Sync(*service_, SessionOf(district_.mentor1_account));
  EXPECT_EQ(Must(laptop.store().records().Get<core::Recommendation>(r.id)).reopen_count, 1);
  EXPECT_EQ(Must(laptop.store().records().ListBy<core::RecommendationEvent>("recommendation_id", r.id)).size(), 2u);
  Must(writer->Delete(core::RecordKind::kVisit, visit.id));
  laptop.Sync(*service_, SessionOf(district_.mentor1_account));
  EXPECT_EQ(laptop.store().records().Get<core::Visit>(visit.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(writer->Delete(core::RecordKind::kVisit, visit.id).code(), StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, CentralWriterTest, ::testing::Values("Sqlite", "Postgres"), BackendName);

}  // namespace
}  // namespace mentorlog::server::testing
