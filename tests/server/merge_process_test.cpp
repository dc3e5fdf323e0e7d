// The merge cases of service_test.cpp with real processes on 127.0.0.1: mentorlog-server on
// each storage backend and mentorlog-cli devices (process_fixture.h). Records are written on
// a device by opening its store in this process while no CLI runs on it, then synced by
// `mentorlog-cli sync`. Each case ends "converged" (the devices and the server print the same
// state hash for the same account) and "nothing lost" (no device has a change left to send,
// and every committed change is on the server or, when it lost, kept as a conflict or a
// rejection).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "server/process_fixture.h"

namespace mentorlog::server::testing {
namespace {

using namespace std::chrono_literals;
using core::Uuid;

constexpr int64_t kDay = 24LL * 3600 * 1000;
constexpr int64_t kYear = 365 * kDay;

std::string ClockOffset(int64_t millis) { return "MENTORLOG_CLOCK_OFFSET_MS=" + std::to_string(millis); }

class MergeProcessTest : public ProcessTest {
 protected:
  core::Visit SaveVisit(const std::filesystem::path& data, const Uuid& school, const Uuid& mentor,
                        std::string summary = "Первый выезд", int days_ago = 1) {
    auto store = OpenDeviceStore(data);
    core::Visit v;
    v.school_id = school;
    v.date = store->records().Today().AddDays(-days_ago);
    v.visitor_ids = {mentor};
    v.purposes = {core::VisitPurpose::kDiagnostics};
    v.summary = std::move(summary);
    return Must(store->records().Save(std::move(v)), "save visit");
  }

  core::Visit GetVisit(const std::filesystem::path& data, const Uuid& id) {
    return Must(OpenDeviceStore(data)->records().Get<core::Visit>(id), "get visit");
  }

  void EditSummary(const std::filesystem::path& data, const Uuid& id, std::string summary) {
    auto store = OpenDeviceStore(data);
    core::Visit v = Must(store->records().Get<core::Visit>(id));
    v.summary = std::move(summary);
    Must(store->records().Save(v));
  }

  // What the server holds for `login`, seen by a device that has never synced before.
  std::filesystem::path FreshView(const std::string& name, const std::string& login) {
    auto data = NewDevice(name, login);
    EXPECT_EQ(Cli(data, {"sync"}), 0);
    return data;
  }

  void ExpectConverged(const std::vector<std::filesystem::path>& devices, const std::string& login) {
    const std::string server = ServerHash(login);
    for (const auto& d : devices) {
      EXPECT_EQ(Pending(d), 0) << d.filename() << ": every committed change reached the server";
      EXPECT_EQ(DeviceHash(d), server) << d.filename() << " as " << login;
      ExpectConsistent(d, d.filename().string());
    }
  }
};

TEST_P(MergeProcessTest, ConcurrentEditsOfOneFieldKeepTheLoserAsAConflict) {
  auto a = NewDevice("laptop", "mentor1");
  auto b = NewDevice("tablet", "mentor1");
  auto office = NewDevice("office", "coordinator");  // another account that sees the school
  ASSERT_EQ(Cli(a, {"sync"}), 0);
  const core::Visit v = SaveVisit(a, district_.school1, district_.mentor1);
  ASSERT_EQ(Cli(a, {"sync"}), 0);
  ASSERT_EQ(Cli(b, {"sync"}), 0);

  // Both edit the summary offline; the tablet's edit is the later one.
  EditSummary(a, v.id, "версия ноутбука");
  std::this_thread::sleep_for(20ms);
  {
    auto store = OpenDeviceStore(b);
    core::Visit vb = Must(store->records().Get<core::Visit>(v.id));
    vb.summary = "версия планшета";
    vb.problems = "только на планшете";
    Must(store->records().Save(vb));
  }

  std::string out;
  ASSERT_EQ(Cli(a, {"sync"}), 0);
  ASSERT_EQ(Cli(b, {"sync"}), 0);
  ASSERT_EQ(Cli(a, {"sync"}, &out), 0);
  EXPECT_NE(out.find("conflicts 1"), std::string::npos) << "the laptop hears that its edit lost: " << out;
  ASSERT_EQ(Cli(office, {"sync"}), 0);

  for (const auto& d : {a, b, office}) {
    const core::Visit got = GetVisit(d, v.id);
    EXPECT_EQ(got.summary, "версия планшета") << d.filename() << ": the later edit wins";
    EXPECT_EQ(got.problems, "только на планшете") << d.filename() << ": other fields merge";
    auto conflicts = Must(OpenDeviceStore(d)->ledger().Conflicts());
    ASSERT_EQ(conflicts.size(), 1u) << d.filename();
    EXPECT_EQ(conflicts[0].record_id, v.id);
    EXPECT_EQ(conflicts[0].field, "summary");
    EXPECT_EQ(std::get<std::string>(conflicts[0].lost), "версия ноутбука") << d.filename();
    EXPECT_EQ(std::get<std::string>(conflicts[0].kept), "версия планшета") << d.filename();
    EXPECT_EQ(conflicts[0].reason, core::ConflictReason::kConcurrentEdit);
  }
  ASSERT_EQ(Cli(a, {"conflicts"}, &out), 0);
  EXPECT_NE(out.find("lost: «версия ноутбука»"), std::string::npos) << out;
  EXPECT_NE(out.find("Conflicts: 1"), std::string::npos) << out;
  ExpectConverged({a, b}, "mentor1");
  ExpectConverged({office}, "coordinator");
}

TEST_P(MergeProcessTest, StatusDoneAndAnOfflineNoteEditBothSurvive) {
  auto a = NewDevice("laptop", "mentor1");
  auto b = NewDevice("tablet", "mentor1");
  ASSERT_EQ(Cli(a, {"sync"}), 0);
  const core::Visit v = SaveVisit(a, district_.school1, district_.mentor1);
  core::Recommendation r;
  {
    auto store = OpenDeviceStore(a);
    r.source_kind = core::SourceKind::kVisit;
    r.source_id = v.id;
    r.school_id = district_.school1;
    r.text = "Провести открытые уроки";
    r.responsible_name = "Завуч";
    r.created_on = v.date;
    r.due_on = v.date.AddDays(30);
    r = Must(store->records().Save(r));
  }
  ASSERT_EQ(Cli(a, {"sync"}), 0);
  ASSERT_EQ(Cli(b, {"sync"}), 0);

  // The laptop closes it; the tablet, offline, edits its text and moves it to "in progress".
  Must(OpenDeviceStore(a)->records().AdvanceRecommendation(r.id, core::RecommendationStatus::kDone, "проведены"));
  {
    auto store = OpenDeviceStore(b);
    core::Recommendation rb = Must(store->records().Get<core::Recommendation>(r.id));
    rb.evidence = "протоколы двух уроков";
    Must(store->records().Save(rb));
    Must(store->records().AdvanceRecommendation(r.id, core::RecommendationStatus::kInProgress, "начали"));
  }

  ASSERT_EQ(Cli(b, {"sync"}), 0);
  ASSERT_EQ(Cli(a, {"sync"}), 0);
  ASSERT_EQ(Cli(b, {"sync"}), 0);
  auto fresh = FreshView("fresh", "mentor1");
  for (const auto& d : {a, b, fresh}) {
    auto store = OpenDeviceStore(d);
    const core::Recommendation got = Must(store->records().Get<core::Recommendation>(r.id));
    EXPECT_EQ(got.status, core::RecommendationStatus::kDone) << d.filename() << ": a status never goes back";
    EXPECT_EQ(got.evidence, "протоколы двух уроков") << d.filename() << ": the offline edit survives";
    auto events = Must(store->records().List<core::RecommendationEvent>());
    ASSERT_EQ(events.size(), 2u) << d.filename() << ": history is append-only";
    std::vector<std::string> notes;
    for (const auto& e : events) notes.push_back(e.text);
    std::sort(notes.begin(), notes.end());
    EXPECT_EQ(notes, (std::vector<std::string>{"done: проведены", "in_progress: начали"})) << d.filename();
  }
  ExpectConverged({a, b, fresh}, "mentor1");
}

TEST_P(MergeProcessTest, ABatchDeliveredThreeTimesOrAfterAGapChangesNothing) {
  auto a = NewDevice("laptop", "mentor1");
  ASSERT_EQ(Cli(a, {"sync"}), 0);
  std::vector<Uuid> ids;
  for (int i = 0; i < 6; ++i) {
    ids.push_back(SaveVisit(a, district_.school1, district_.mentor1, "выезд " + std::to_string(i)).id);
  }
  ASSERT_EQ(Pending(a), 6);
  // Copies of the device before it syncs: the same device id and the same op seqs, so each
  // copy delivers the same batch again.
  std::vector<std::filesystem::path> replays;
  for (int i = 1; i <= 3; ++i) {
    replays.push_back(dir_.path() / ("replay" + std::to_string(i)));
    std::filesystem::copy(a, replays.back(), std::filesystem::copy_options::recursive);
  }
  // And one whose first two changes are gone: its batch arrives with a gap in the op seqs.
  const auto gap = dir_.path() / "gap";
  std::filesystem::copy(a, gap, std::filesystem::copy_options::recursive);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((gap / "mentorlog.db").c_str(), &db), SQLITE_OK);
    const char* sql =
        "DELETE FROM outbox WHERE op_seq IN (SELECT op_seq FROM outbox WHERE acked = 0 ORDER BY op_seq LIMIT 2)";
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    EXPECT_EQ(sqlite3_changes(db), 2);
    sqlite3_close(db);
  }
  ASSERT_EQ(Pending(gap), 4);

  // The batch after the gap comes first: nothing in it is applied, and the client stops.
  {
    CliRun run(gap, {"sync"});
    EXPECT_NE(run.Wait(), 0) << run.out();
    EXPECT_NE(run.err().find("acknowledged changes up to number"), std::string::npos) << run.err();
  }
  auto check = FreshView("check", "mentor1");
  EXPECT_EQ(Must(OpenDeviceStore(check)->records().Count(core::RecordKind::kVisit)), 0)
      << "nothing past the gap was applied";

  std::string out;
  ASSERT_EQ(Cli(a, {"sync"}, &out), 0);
  EXPECT_NE(out.find("rejected 0"), std::string::npos) << out;
  // A later edit on another device: a replayed create of this visit, if it were merged again,
  // would be a concurrent edit of the summary and leave a conflict behind. (Not on `a` itself:
  // the copies share its device id, and a device is not sent its own changes back.)
  auto b = NewDevice("tablet", "mentor1");
  ASSERT_EQ(Cli(b, {"sync"}), 0);
  EditSummary(b, ids[0], "выезд 0, исправлен");
  ASSERT_EQ(Cli(b, {"sync"}), 0);
  const std::string after = ServerHash("mentor1");

  for (const auto& replay : replays) {
    ASSERT_EQ(Cli(replay, {"sync"}, &out), 0) << replay.filename();
    EXPECT_NE(out.find("rejected 0, pulled"), std::string::npos) << out;
    EXPECT_EQ(ServerHash("mentor1"), after) << replay.filename() << ": the replay changed nothing";
  }
  ASSERT_EQ(Cli(gap, {"sync"}, &out), 0) << "the rest of the gapped batch is now a replay";
  EXPECT_EQ(ServerHash("mentor1"), after);

  ASSERT_EQ(Cli(check, {"sync"}), 0);
  auto store = OpenDeviceStore(check);
  EXPECT_EQ(Must(store->records().Count(core::RecordKind::kVisit)), 6) << "no duplicates";
  EXPECT_EQ(Must(store->records().Get<core::Visit>(ids[0])).summary, "выезд 0, исправлен");
  EXPECT_TRUE(Must(store->ledger().Conflicts()).empty()) << "no replay was merged again";
  store.reset();
  EXPECT_EQ(Pending(gap), 0);
  EXPECT_EQ(DeviceHash(gap), after);  // its outbox was cut by hand: no consistency check
  ASSERT_EQ(Cli(a, {"sync"}), 0);
  std::vector<std::filesystem::path> devices = {a, b, check};
  devices.insert(devices.end(), replays.begin(), replays.end());
  for (const auto& d : devices) EXPECT_TRUE(Must(OpenDeviceStore(d)->ledger().Conflicts()).empty()) << d.filename();
  ExpectConverged(devices, "mentor1");
}

TEST_P(MergeProcessTest, ClocksAYearAheadOrBehindCannotWinOrLoseUnfairly) {
  const std::vector<std::string> ahead = {ClockOffset(kYear)};
  const std::vector<std::string> behind = {ClockOffset(-kYear)};
  auto ok = NewDevice("ok", "mentor1");
  auto fast = NewDevice("fast", "mentor1");
  auto slow = NewDevice("slow", "mentor1");
  ASSERT_EQ(Cli(ok, {"sync"}), 0);
  // Dated 400 days back: in the past on every device's clock, so each may edit it.
  const core::Visit v = SaveVisit(ok, district_.school1, district_.mentor1, "выезд", 400);
  ASSERT_EQ(Cli(ok, {"sync"}), 0);
  ASSERT_EQ(Cli(fast, {"sync"}, nullptr, ahead), 0);
  ASSERT_EQ(Cli(slow, {"sync"}, nullptr, behind), 0);
  const std::string fast_id = OpenDeviceStore(fast)->device_id();

  // The fast device edits first, stamped a year ahead; the server clamps the stamp.
  std::string out;
  ASSERT_EQ(
      Cli(fast, {"edit", v.id.ToString(), "--json", "-"}, &out, ahead, R"({"summary": "с часами на год вперёд"})"), 0);
  {
    auto pending = Must(OpenDeviceStore(fast)->ledger().PendingChanges(10));
    ASSERT_EQ(pending.size(), 1u);
    const int64_t now = platform::DefaultClock().NowMillis();
    EXPECT_GT(static_cast<int64_t>(pending[0].change.stamp.millis()), now + kYear - kDay)
        << "MENTORLOG_CLOCK_OFFSET_MS moved the device's clock";
  }
  ASSERT_EQ(Cli(fast, {"sync"}, nullptr, ahead), 0);
  EXPECT_NE(server_->Log().find("clamped 1 change(s) from device " + fast_id), std::string::npos)
      << server_->LogTail(20);
  EXPECT_EQ(GetVisit(fast, v.id).summary, "с часами на год вперёд");

  // A later edit on a correct clock wins over it everywhere.
  std::this_thread::sleep_for(20ms);
  ASSERT_EQ(Cli(ok, {"sync"}), 0);
  EditSummary(ok, v.id, "позже, с верными часами");
  ASSERT_EQ(Cli(ok, {"sync"}), 0);
  ASSERT_EQ(Cli(fast, {"sync"}, nullptr, ahead), 0);
  EXPECT_EQ(GetVisit(fast, v.id).summary, "позже, с верными часами") << "a year ahead did not win";

  // The slow device saw the latest stamps when it pulled, so its next edit still comes later.
  ASSERT_EQ(Cli(slow, {"sync"}, nullptr, behind), 0);
  ASSERT_EQ(
      Cli(slow, {"edit", v.id.ToString(), "--json", "-"}, &out, behind, R"({"summary": "с часами на год назад"})"), 0);
  ASSERT_EQ(Cli(slow, {"sync"}, nullptr, behind), 0);
  ASSERT_EQ(Cli(ok, {"sync"}), 0);
  EXPECT_EQ(GetVisit(ok, v.id).summary, "с часами на год назад") << "a year behind did not lose";
  // Its clock jumps back another 30 days between two edits: its own edits keep their order.
  ASSERT_EQ(Cli(slow, {"edit", v.id.ToString(), "--json", "-"}, &out, {ClockOffset(-kYear - 30 * kDay)},
                R"({"summary": "после скачка часов назад"})"),
            0);
  ASSERT_EQ(Cli(slow, {"sync"}, nullptr, {ClockOffset(-kYear - 30 * kDay)}), 0);
  ASSERT_EQ(Cli(fast, {"sync"}, nullptr, ahead), 0);
  ASSERT_EQ(Cli(ok, {"sync"}), 0);
  for (const auto& d : {fast, slow, ok}) {
    EXPECT_EQ(GetVisit(d, v.id).summary, "после скачка часов назад") << d.filename();
    EXPECT_TRUE(Must(OpenDeviceStore(d)->ledger().Conflicts()).empty()) << d.filename() << ": sequential edits";
  }
  ExpectConverged({fast, slow, ok}, "mentor1");
}

TEST_P(MergeProcessTest, ReassignmentBackfillsTheNewSchoolAndRejectsEditsOfTheOldOne) {
  auto office = NewDevice("office", "coordinator");
  auto mentor = NewDevice("mentor", "mentor1");
  ASSERT_EQ(Cli(office, {"sync"}), 0);
  ASSERT_EQ(Cli(mentor, {"sync"}), 0);
  const core::Visit v = SaveVisit(mentor, district_.school1, district_.mentor1);
  ASSERT_EQ(Cli(mentor, {"sync"}), 0);
  // Records of school 2 exist before the mentor is given it.
  SaveVisit(office, district_.school2, district_.mentor2, "выезд другого наставника");
  ASSERT_EQ(Cli(office, {"sync"}), 0);
  ASSERT_FALSE(OpenDeviceStore(mentor)->records().Get<core::School>(district_.school2).ok())
      << "not the mentor's school yet";

  // Offline, the mentor edits the school-1 visit; meanwhile the coordinator moves them.
  EditSummary(mentor, v.id, "правка после переназначения");
  ASSERT_EQ(Cli(office, {"sync"}), 0);
  {
    auto store = OpenDeviceStore(office);
    core::Assignment old = Must(store->records().Get<core::Assignment>(district_.assignment1));
    old.ends_on = store->records().Today().AddDays(-1);
    Must(store->records().Save(old));
    core::Assignment now;
    now.kind = core::AssignmentKind::kMentorSchool;
    now.assignee_id = district_.mentor1;
    now.school_id = district_.school2;
    now.starts_on = store->records().Today();
    Must(store->records().Save(now));
  }
  std::string out;
  ASSERT_EQ(Cli(office, {"sync"}, &out), 0);
  EXPECT_NE(out.find("rejected 0"), std::string::npos) << out;

  ASSERT_EQ(Cli(mentor, {"sync"}, &out), 0);
  EXPECT_NE(out.find("rejected 1"), std::string::npos) << out;
  {
    auto store = OpenDeviceStore(mentor);
    auto rejected = Must(store->ledger().Rejected());
    ASSERT_EQ(rejected.size(), 1u) << "the refused edit is kept on the device";
    EXPECT_EQ(rejected[0].code, "permission");
    EXPECT_EQ(rejected[0].record_id, v.id);
    EXPECT_EQ(Must(store->ledger().PendingCount()), 0) << "the queue is not blocked";
    EXPECT_TRUE(store->records().Get<core::School>(district_.school2).ok()) << "the new school is back-filled";
    bool found = false;
    for (const auto& visit : Must(store->records().List<core::Visit>())) {
      found = found || visit.summary == "выезд другого наставника";
    }
    EXPECT_TRUE(found) << "with its history from before the reassignment";
  }
  ASSERT_EQ(Cli(mentor, {"rejected"}, &out), 0);
  EXPECT_NE(out.find(v.id.ToString()), std::string::npos) << out;
  EXPECT_NE(out.find("permission: "), std::string::npos) << out;
  EXPECT_NE(out.find("Rejected changes: 1"), std::string::npos) << out;
  ExpectConverged({mentor}, "mentor1");

  // A later change in the new school goes through.
  const core::Visit later = SaveVisit(mentor, district_.school2, district_.mentor1, "первый выезд в новую школу");
  ASSERT_EQ(Cli(mentor, {"sync"}, &out), 0);
  EXPECT_NE(out.find("rejected 0"), std::string::npos) << out;
  ASSERT_EQ(Cli(office, {"sync"}), 0);
  {
    auto store = OpenDeviceStore(office);
    EXPECT_EQ(Must(store->records().Count(core::RecordKind::kVisit)), 3);
    EXPECT_EQ(Must(store->records().Get<core::Visit>(later.id)).summary, "первый выезд в новую школу");
    EXPECT_EQ(Must(store->records().Get<core::Visit>(v.id)).summary, "Первый выезд")
        << "the refused edit was not applied";
  }
  ExpectConverged({mentor}, "mentor1");
  ExpectConverged({office}, "coordinator");
}

TEST_P(MergeProcessTest, DeleteWinsOverAConcurrentEditEverywhere) {
  auto a = NewDevice("laptop", "mentor1");
  auto b = NewDevice("tablet", "mentor1");
  ASSERT_EQ(Cli(a, {"sync"}), 0);
  // The first visit is edited before it is deleted, the second after: delete wins either way.
  const core::Visit first = SaveVisit(a, district_.school1, district_.mentor1, "первый");
  const core::Visit second = SaveVisit(a, district_.school1, district_.mentor1, "второй");
  ASSERT_EQ(Cli(a, {"sync"}), 0);
  ASSERT_EQ(Cli(b, {"sync"}), 0);

  EditSummary(b, first.id, "правка удалённой записи");
  std::this_thread::sleep_for(20ms);
  {
    auto store = OpenDeviceStore(a);
    Must(store->records().Delete(core::RecordKind::kVisit, first.id));
    Must(store->records().Delete(core::RecordKind::kVisit, second.id));
  }
  std::this_thread::sleep_for(20ms);
  EditSummary(b, second.id, "правка после удаления");

  ASSERT_EQ(Cli(a, {"sync"}), 0);
  ASSERT_EQ(Cli(b, {"sync"}), 0);
  ASSERT_EQ(Cli(a, {"sync"}), 0);
  auto fresh = FreshView("fresh", "mentor1");
  for (const auto& d : {a, b, fresh}) {
    auto store = OpenDeviceStore(d);
    EXPECT_FALSE(store->records().Get<core::Visit>(first.id).ok()) << d.filename() << ": deleted everywhere";
    EXPECT_FALSE(store->records().Get<core::Visit>(second.id).ok()) << d.filename() << ": deleted everywhere";
    EXPECT_EQ(Must(store->records().Count(core::RecordKind::kVisit)), 0) << d.filename();
    auto conflicts = Must(store->ledger().Conflicts());
    ASSERT_EQ(conflicts.size(), 2u) << d.filename();
    std::vector<std::string> lost;
    for (const auto& c : conflicts) {
      EXPECT_EQ(c.reason, core::ConflictReason::kEditAfterDelete) << d.filename();
      lost.push_back(std::get<std::string>(c.lost));
    }
    std::sort(lost.begin(), lost.end());
    EXPECT_EQ(lost, (std::vector<std::string>{"правка после удаления", "правка удалённой записи"}))
        << d.filename() << ": the edits are not lost";
  }
  std::string out;
  ASSERT_EQ(Cli(b, {"conflicts"}, &out), 0);
  EXPECT_NE(out.find("edited after it was deleted"), std::string::npos) << out;
  ExpectConverged({a, b, fresh}, "mentor1");
}

INSTANTIATE_TEST_SUITE_P(Backends, MergeProcessTest, ::testing::Values("Sqlite", "Postgres"), BackendName);

}  // namespace
}  // namespace mentorlog::server::testing
