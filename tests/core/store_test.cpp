// Tests of the local store's repository API: ids, round trips, field clocks and the outbox,
// tombstones, recommendation rules, observations with scores, migrations and file checks.
//
// [SECTION] Ids and round trips
// [SECTION] Clocks and the outbox
// [SECTION] Transactions and op seq
// [SECTION] Deletes
// [SECTION] Recommendations
// [SECTION] Observations and scores
// [SECTION] Migrations and the file
// [SECTION] Checks and languages
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "mentorlog/store/store.h"
#include "migrations.h"
#include "test_fixtures.h"

namespace mentorlog::core {
namespace {

using testing::FieldNames;
using testing::FieldValues;
using testing::kStartMillis;
using testing::kUndoMigration;
using testing::Must;
using testing::RawDb;
using testing::UndoMigrationsTo;

class StoreTest : public testing::StoreFixture {
 protected:
  // The clock of `field` in `clocks`; fails the test when absent.
  static FieldClock ClockOf(const RecordClocks& clocks, std::string_view field) {
    for (const auto& [name, clock] : clocks.fields) {
      if (name == field) return clock;
    }
    ADD_FAILURE() << "no clock for field " << field;
    return {};
  }

  std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  // The observation fixture: a school, its teacher, a mentor and the rubric.
  struct ObservationWorld {
    School school;
    Person teacher;
    Person mentor;
  };
  ObservationWorld MakeObservationWorld() {
    ObservationWorld w;
    w.school = MakeSchool();
    w.teacher = MakeTeacher(w.school.id);
    w.mentor = MakeMentor();
    InstallRubric();
    return w;
  }
  static Observation NewObservation(const ObservationWorld& w) {
    Observation o;
    o.school_id = w.school.id;
    o.teacher_id = w.teacher.id;
    o.observer_id = w.mentor.id;
    o.subject = "математика";
    o.grade = 7;
    o.class_label = "7Б";
    o.date = Date::FromDays(20'400);
    o.topic = "Линейные уравнения";
    o.rubric_code = std::string(testing::kRubricCode);
    o.rubric_version = 1;
    o.strengths = "Чёткая постановка цели";
    o.growth_areas = "Обратная связь";
    o.next_steps = "Взаимопосещение";
    o.discussion_held = true;
    return o;
  }
  static ObservationScore Score(std::string criterion, std::optional<int64_t> level, std::string evidence = "") {
    ObservationScore s;
    s.criterion_code = std::move(criterion);
    s.level = level;
    s.evidence = std::move(evidence);
    return s;
  }
};

// -----------------------------------------------------------------------------------------
// [SECTION] Ids and round trips
// -----------------------------------------------------------------------------------------

TEST_F(StoreTest, SaveWithNilIdMakesUuidV7) {
  const School school = MakeSchool();
  EXPECT_FALSE(school.id.IsNil());
  EXPECT_EQ(school.id.version(), 7);
  EXPECT_EQ(school.id.bytes()[8] & 0xC0, 0x80) << "variant bits must be 10";
  // The first 48 bits are the clock's milliseconds.
  uint64_t ms = 0;
  for (size_t i = 0; i < 6; ++i) ms = (ms << 8) | school.id.bytes()[i];
  EXPECT_EQ(ms, static_cast<uint64_t>(kStartMillis));
}

TEST_F(StoreTest, IdsSortByCreation) {
  std::vector<Uuid> created;
  for (int i = 0; i < 20; ++i) {
    clock_.Advance(1);
    created.push_back(MakeSchool(std::to_string(100 + i)).id);
  }
  EXPECT_TRUE(std::is_sorted(created.begin(), created.end()));
  const auto listed = Must(store().records().List<School>());
  ASSERT_EQ(listed.size(), created.size());
  for (size_t i = 0; i < listed.size(); ++i) EXPECT_EQ(listed[i].id, created[i]) << "position " << i;
}

// Bulk imports and SaveObservation make many records within one millisecond; List's
// "ordered by id (= creation time)" must hold for them too.
TEST_F(StoreTest, IdsSortByCreationWithinOneMillisecond) {
  std::vector<Uuid> created;
  for (int i = 0; i < 20; ++i) created.push_back(MakeSchool(std::to_string(100 + i)).id);
  EXPECT_TRUE(std::is_sorted(created.begin(), created.end()))
      << "ids made in the same millisecond must still sort by creation (List orders by id)";
  std::vector<Uuid> listed;
  for (const School& s : Must(store().records().List<School>())) listed.push_back(s.id);
  EXPECT_EQ(listed, created) << "List order is not creation order";
}

TEST_F(StoreTest, SchoolRoundTripsEveryField) {
  const School partner = MakeSchool("900", "МБОУ «Лицей № 2»");
  School s;
  s.code = "102";
  s.name = "МКОУ «Основная школа с. Берёзовка»";
  s.short_name = "ООШ Берёзовка";
  s.municipality = "Северный район";
  s.settlement = Settlement::kUrban;
  s.distance_km = 87.25;
  s.pupils = 45;
  s.teachers = 9;
  s.statuses = {SchoolStatus::kLowResults, SchoolStatus::kAdverseConditions};
  s.status_year = 2025;
  s.leader_partner_id = partner.id;
  s.transition_programme = TransitionProgramme::kAdopted;
  s.transition_programme_adopted_on = Must(Date::Parse("2025-09-01"));
  s.management_team_trained = true;
  s.district = "Северный";
  const School saved = Must(store().records().Save(s));

  const School got = Must(store().records().Get<School>(saved.id));
  EXPECT_EQ(got.id, saved.id);
  EXPECT_EQ(FieldValues(got), FieldValues(s));
  EXPECT_EQ(got.name, s.name);
  EXPECT_EQ(got.statuses, s.statuses);
  EXPECT_EQ(got.leader_partner_id, partner.id);
  EXPECT_EQ(got.transition_programme_adopted_on, s.transition_programme_adopted_on);
  EXPECT_DOUBLE_EQ(got.distance_km, 87.25);
  EXPECT_TRUE(got.management_team_trained);

  const auto all = Must(store().records().List<School>());
  ASSERT_EQ(all.size(), 2u);
  const auto it = std::find_if(all.begin(), all.end(), [&](const School& x) { return x.id == saved.id; });
  ASSERT_NE(it, all.end());
  EXPECT_EQ(FieldValues(*it), FieldValues(s));
}

TEST_F(StoreTest, PersonAndVisitRoundTripEveryField) {
  const School school = MakeSchool();
  const Person teacher = MakeTeacher(school.id);
  const Person mentor = MakeMentor();

  const Person got_teacher = Must(store().records().Get<Person>(teacher.id));
  EXPECT_EQ(FieldValues(got_teacher), FieldValues(teacher));
  EXPECT_EQ(got_teacher.subjects, (std::vector<std::string>{"математика", "физика"}));
  EXPECT_EQ(got_teacher.school_id, school.id);
  const Person got_mentor = Must(store().records().Get<Person>(mentor.id));
  EXPECT_FALSE(got_mentor.school_id.has_value());
  EXPECT_EQ(FieldValues(got_mentor), FieldValues(mentor));

  Visit v = NewVisit(school.id, mentor.id, Must(Date::Parse("14.03.2025")));
  v.visitor_ids.push_back(teacher.id);
  v.purposes = {VisitPurpose::kFollowUp, VisitPurpose::kMonitoring, VisitPurpose::kConsultation};
  v.summary = "Строка 1\nСтрока 2; «кавычки» и 'апострофы'";
  const Visit saved = Must(store().records().Save(v));
  const Visit got = Must(store().records().Get<Visit>(saved.id));
  EXPECT_EQ(FieldValues(got), FieldValues(v));
  EXPECT_EQ(got.visitor_ids, v.visitor_ids);
  EXPECT_EQ(got.purposes, v.purposes);
  EXPECT_EQ(got.summary, v.summary);
  EXPECT_EQ(got.date.ToString(), "2025-03-14");

  const auto visits = Must(store().records().List<Visit>());
  ASSERT_EQ(visits.size(), 1u);
  EXPECT_EQ(FieldValues(visits[0]), FieldValues(v));
}

TEST_F(StoreTest, RecommendationRoundTripsEveryField) {
  const School school = MakeSchool();
  const Person teacher = MakeTeacher(school.id);
  const Person mentor = MakeMentor();
  const Visit visit = Must(store().records().Save(NewVisit(school.id, mentor.id)));

  Recommendation r = NewRecommendation(visit);
  r.teacher_id = teacher.id;
  r.responsible_id = mentor.id;
  r.responsible_name = "";
  r.status = RecommendationStatus::kInProgress;
  r.evidence = "План мероприятий";
  r.verified_visit_id = visit.id;
  const Recommendation saved = Must(store().records().Save(r));
  const Recommendation got = Must(store().records().Get<Recommendation>(saved.id));
  EXPECT_EQ(FieldValues(got), FieldValues(r));
  EXPECT_EQ(got.teacher_id, teacher.id);
  EXPECT_EQ(got.status, RecommendationStatus::kInProgress);
  EXPECT_FALSE(got.closed_on.has_value());
  EXPECT_EQ(got.due_on, visit.date.AddDays(30));
}

// -----------------------------------------------------------------------------------------
// [SECTION] Clocks and the outbox
// -----------------------------------------------------------------------------------------

TEST_F(StoreTest, EveryWriteHasClocksAndOutboxEntry) {
  const School school = MakeSchool();
  const RecordClocks clocks = Must(store().ledger().ClocksOf(RecordKind::kSchool, school.id));
  EXPECT_EQ(clocks.kind, RecordKind::kSchool);
  EXPECT_EQ(clocks.record_id, school.id);
  EXPECT_FALSE(clocks.deleted.has_value());
  const auto names = FieldNames<School>();
  ASSERT_EQ(clocks.fields.size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(clocks.fields[i].first, names[i]);
    EXPECT_EQ(clocks.fields[i].second.device_id, "dev-a");
    EXPECT_EQ(clocks.fields[i].second.stamp.millis(), static_cast<uint64_t>(kStartMillis));
  }

  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);
  const Change& c = outbox[0].change;
  EXPECT_FALSE(outbox[0].acked);
  EXPECT_EQ(c.device_id, "dev-a");
  EXPECT_EQ(c.op_seq, 1u);
  EXPECT_EQ(c.kind, RecordKind::kSchool);
  EXPECT_EQ(c.record_id, school.id);
  EXPECT_EQ(c.op, ChangeOp::kUpsert);
  ASSERT_EQ(c.fields.size(), names.size());
  const auto values = FieldValues(school);
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(c.fields[i].field, names[i]);
    EXPECT_EQ(c.fields[i].value, values[i]) << names[i];
    EXPECT_EQ(c.fields[i].stamp, c.stamp);
  }
  EXPECT_EQ(c.stamp, clocks.fields[0].second.stamp);
}

TEST_F(StoreTest, UpdateStampsOnlyTheChangedFields) {
  School school = MakeSchool();
  const RecordClocks before = Must(store().ledger().ClocksOf(RecordKind::kSchool, school.id));
  const int64_t pending_before = Pending();

  clock_.Advance(60'000);
  school.name = "МБОУ «Средняя школа № 1 им. А. С. Пушкина»";
  school.pupils = 330;
  school = Must(store().records().Save(school));

  const RecordClocks after = Must(store().ledger().ClocksOf(RecordKind::kSchool, school.id));
  ASSERT_EQ(after.fields.size(), before.fields.size());
  for (size_t i = 0; i < after.fields.size(); ++i) {
    const std::string& name = after.fields[i].first;
    if (name == "name" || name == "pupils") {
      EXPECT_GT(after.fields[i].second, before.fields[i].second) << name;
      EXPECT_EQ(after.fields[i].second.stamp.millis(), static_cast<uint64_t>(kStartMillis + 60'000)) << name;
    } else {
      EXPECT_EQ(after.fields[i].second, before.fields[i].second) << name << " was not changed";
    }
  }

  EXPECT_EQ(Pending(), pending_before + 1);
  const auto outbox = Outbox();
  ASSERT_FALSE(outbox.empty());
  const Change& c = outbox.back().change;
  EXPECT_EQ(c.record_id, school.id);
  EXPECT_EQ(c.op, ChangeOp::kUpsert);
  ASSERT_EQ(c.fields.size(), 2u);
  EXPECT_EQ(c.fields[0].field, "name");
  EXPECT_EQ(c.fields[0].value, FieldValue(school.name));
  EXPECT_EQ(c.fields[1].field, "pupils");
  EXPECT_EQ(c.fields[1].value, FieldValue(int64_t{330}));
  EXPECT_EQ(c.stamp, ClockOf(after, "name").stamp);
}

TEST_F(StoreTest, SavingAnUnchangedRecordWritesNothing) {
  const School school = MakeSchool();
  const RecordClocks before = Must(store().ledger().ClocksOf(RecordKind::kSchool, school.id));
  const int64_t pending = Pending();
  clock_.Advance(1000);

  const School again = Must(store().records().Save(school));
  EXPECT_EQ(again.id, school.id);
  EXPECT_EQ(Pending(), pending);
  const RecordClocks after = Must(store().ledger().ClocksOf(RecordKind::kSchool, school.id));
  EXPECT_EQ(after.fields, before.fields);
  // A fresh copy read back from the store is unchanged too.
  (void)Must(store().records().Save(Must(store().records().Get<School>(school.id))));
  EXPECT_EQ(Pending(), pending);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Transactions and op seq
// -----------------------------------------------------------------------------------------

std::vector<uint64_t> OpSeqs(const std::vector<OutboxEntry>& outbox) {
  std::vector<uint64_t> seqs;
  for (const auto& e : outbox) seqs.push_back(e.change.op_seq);
  return seqs;
}

TEST_F(StoreTest, OpSeqCountsWithoutGapsAcrossReopen) {
  School a = MakeSchool("1");
  (void)MakeSchool("2");
  a.name = "Переименована";
  a = Must(store().records().Save(a));
  EXPECT_EQ(OpSeqs(Outbox()), (std::vector<uint64_t>{1, 2, 3}));

  CloseStore();
  OpenStore();
  (void)MakeSchool("3");
  Must(store().records().Delete(RecordKind::kSchool, a.id));
  EXPECT_EQ(OpSeqs(Outbox()), (std::vector<uint64_t>{1, 2, 3, 4, 5}));
  for (const auto& e : Outbox()) EXPECT_EQ(e.change.device_id, "dev-a");
}

TEST_F(StoreTest, FailedSaveInTransactionLeavesNoTrace) {
  const School school = MakeSchool();
  const Person mentor = MakeMentor();
  const int64_t pending = Pending();
  const auto visits_before = Must(store().records().Count(RecordKind::kVisit, true));

  // The failing Save is the transaction's result: everything in it is rolled back.
  Uuid written_then_rolled_back;
  Status s = store().records().InTransaction([&]() -> Status {
    ASSIGN_OR_RETURN(Visit ok_visit, store().records().Save(NewVisit(school.id, mentor.id)));
    written_then_rolled_back = ok_visit.id;
    Visit bad = NewVisit(school.id, mentor.id);
    bad.visitor_ids.clear();  // "Say who visited."
    return store().records().Save(bad).status();
  });
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput) << s.ToString();
  EXPECT_EQ(Must(store().records().Count(RecordKind::kVisit, true)), visits_before);
  EXPECT_EQ(Pending(), pending);
  EXPECT_EQ(store().records().Get<Visit>(written_then_rolled_back).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(store().ledger().ClocksOf(RecordKind::kVisit, written_then_rolled_back).ok());

  // The failed Save is ignored and the transaction goes on: only the good writes count.
  s = store().records().InTransaction([&]() -> Status {
    Visit bad = NewVisit(school.id, mentor.id);
    bad.date = Date::FromDays(40'000);  // in the future
    EXPECT_EQ(store().records().Save(bad).status().code(), StatusCode::kInvalidInput);
    return store().records().Save(NewVisit(school.id, mentor.id)).status();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Must(store().records().Count(RecordKind::kVisit, true)), visits_before + 1);
  EXPECT_EQ(Pending(), pending + 1);

  // A conflict raised inside the nested write rolls back only that write.
  const Visit v = Must(store().records().Save(NewVisit(school.id, mentor.id)));
  Recommendation rec = Must(store().records().Save(NewRecommendation(v)));
  rec = Must(store().records().AdvanceRecommendation(rec.id, RecommendationStatus::kDone, ""));
  s = store().records().InTransaction([&]() -> Status {
    Recommendation back = rec;
    back.status = RecommendationStatus::kOpen;
    EXPECT_EQ(store().records().Save(back).status().code(), StatusCode::kConflict);
    return store().records().Save(NewVisit(school.id, mentor.id)).status();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();

  const auto seqs = OpSeqs(Outbox());
  for (size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], i + 1) << "gap in op_seq";
  EXPECT_TRUE(Must(store().ConsistencyProblems()).empty());
}

TEST_F(StoreTest, RolledBackTransactionFreesItsOpSeqs) {
  const School school = MakeSchool();
  const Person mentor = MakeMentor();
  Status s = store().records().InTransaction([&]() -> Status {
    for (int i = 0; i < 3; ++i) RETURN_IF_ERROR(store().records().Save(NewVisit(school.id, mentor.id)).status());
    return Status::Conflict("changed my mind");
  });
  EXPECT_EQ(s.code(), StatusCode::kConflict);
  (void)Must(store().records().Save(NewVisit(school.id, mentor.id)));
  EXPECT_EQ(OpSeqs(Outbox()), (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_TRUE(Must(store().ConsistencyProblems()).empty());
}

// One call writes row, clocks and outbox entry together: when the outbox insert fails (a
// trigger stands in for a full disk), the row and its clocks are undone too, alone or nested.
TEST_F(StoreTest, AFailedOutboxWriteUndoesTheRowAndItsClocks) {
  const School school = MakeSchool();
  const Person mentor = MakeMentor();
  Visit visit = Must(store().records().Save(NewVisit(school.id, mentor.id)));
  const RecordClocks clocks_before = Must(store().ledger().ClocksOf(RecordKind::kVisit, visit.id));
  const int64_t pending = Pending();
  CloseStore();
  {
    RawDb raw(StorePath());
    raw.Exec("CREATE TRIGGER injected_failure BEFORE INSERT ON outbox WHEN NEW.kind = " +
             std::to_string(static_cast<int>(RecordKind::kVisit)) + " BEGIN SELECT RAISE(ABORT, 'injected'); END");
  }
  OpenStore();

  EXPECT_FALSE(store().records().Save(NewVisit(school.id, mentor.id)).ok());
  Visit edited = visit;
  edited.summary = "Не сохранится";
  EXPECT_FALSE(store().records().Save(edited).ok());
  EXPECT_FALSE(store().records().Delete(RecordKind::kVisit, visit.id).ok());
  // Inside a transaction, a write that fails half-way fails the whole transaction: school 777
  // is rolled back with it, and the caller is told.
  Status s = store().records().InTransaction([&]() -> Status {
    EXPECT_FALSE(store().records().Save(edited).ok());
    return store().records().Save(MakeSchool("777")).status();
  });
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("injected"), std::string::npos) << s.ToString();
  // A nested scope after the half-done write cannot clear the poison and let it commit.
  s = store().records().InTransaction([&]() -> Status {
    EXPECT_FALSE(store().records().Save(edited).ok());
    EXPECT_FALSE(
        store().records().InTransaction([&] { return store().records().Save(MakeSchool("778")).status(); }).ok());
    return Status::Ok();
  });
  EXPECT_FALSE(s.ok());
  // A refused write (validation) leaves the transaction usable.
  s = store().records().InTransaction([&]() -> Status {
    Visit future = NewVisit(school.id, mentor.id);
    future.date = store().records().Today().AddDays(3);
    EXPECT_EQ(store().records().Save(future).status().code(), StatusCode::kInvalidInput);
    return store().records().Save(MakeSchool("777")).status();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();

  EXPECT_EQ(Must(store().records().Count(RecordKind::kVisit, true)), 1);
  EXPECT_EQ(FieldValues(Must(store().records().Get<Visit>(visit.id))), FieldValues(visit));
  const RecordClocks clocks_after = Must(store().ledger().ClocksOf(RecordKind::kVisit, visit.id));
  EXPECT_EQ(clocks_after.fields, clocks_before.fields);
  EXPECT_FALSE(clocks_after.deleted.has_value());
  EXPECT_EQ(Pending(), pending + 1);  // school 777

  CloseStore();
  {
    RawDb raw(StorePath());
    raw.Exec("DROP TRIGGER injected_failure");
  }
  OpenStore();
  visit = Must(store().records().Save(edited));
  const auto seqs = OpSeqs(Outbox());
  for (size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], i + 1) << "gap in op_seq";
  EXPECT_TRUE(Must(store().ConsistencyProblems()).empty());
}

// "A Store may be shared between threads": concurrent writers still give one gap-free outbox.
TEST_F(StoreTest, ThreadsSharingAStoreKeepItConsistent) {
  const School school = MakeSchool();
  const Person mentor = MakeMentor();
  constexpr int kThreads = 4;
  constexpr int kWritesEach = 20;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesEach; ++i) {
        auto v = store().records().Save(NewVisit(school.id, mentor.id, Date::FromDays(20'000 + t)));
        if (!v.ok()) {
          ++failures;
          continue;
        }
        v->summary = "правка " + std::to_string(i);
        if (!store().records().Save(*v).ok()) ++failures;
        if (i % 10 == 0 && !store().records().Delete(RecordKind::kVisit, v->id).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Must(store().records().Count(RecordKind::kVisit, true)), kThreads * kWritesEach);
  EXPECT_EQ(Pending(), 2 + kThreads * kWritesEach * 2 + kThreads * (kWritesEach / 10));
  const auto seqs = OpSeqs(Outbox());
  for (size_t i = 0; i < seqs.size(); ++i) ASSERT_EQ(seqs[i], i + 1);
  EXPECT_TRUE(Must(store().ConsistencyProblems()).empty());
}

TEST_F(StoreTest, TheStoreKeepsItsDeviceIdAndRefusesAnother) {
  CloseStore();
  StoreOptions other = Options();
  other.device_id = "dev-b";
  const auto refused = Store::Open(other);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(refused.status().message().find("dev-a"), std::string::npos) << refused.status().ToString();

  StoreOptions own = Options();
  own.device_id.clear();  // what the CLI and the app do: the store knows its device
  OpenStore(own);
  EXPECT_EQ(store().device_id(), "dev-a");
}

TEST_F(StoreTest, ANewStoreIsANewDevice) {
  // A device whose data file was deleted must not reuse the old id: its op seqs restart at 1
  // and the server would skip them as replays of what it already has.
  CloseStore();
  StoreOptions fresh = Options();
  fresh.path = dir_.path() / "fresh.sqlite";
  fresh.device_id.clear();
  OpenStore(fresh);
  const std::string first = store().device_id();
  EXPECT_EQ(first.size(), 32u);
  EXPECT_EQ(first.find_first_not_of("0123456789abcdef"), std::string::npos) << first;
  CloseStore();
  OpenStore(fresh);
  EXPECT_EQ(store().device_id(), first);  // kept across reopen
  CloseStore();

  std::filesystem::remove(fresh.path);
  OpenStore(fresh);
  EXPECT_NE(store().device_id(), first);
  EXPECT_EQ(store().device_id().size(), 32u);
}

TEST_F(StoreTest, OpenErrors) {
  StoreOptions missing_dir = Options();
  missing_dir.path = dir_.path() / "no" / "such" / "dir" / "store.sqlite";
  const auto opened = Store::Open(missing_dir);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kIoError) << opened.status().ToString();
  EXPECT_NE(opened.status().message().find("no/such/dir"), std::string::npos) << opened.status().ToString();
}

TEST_F(StoreTest, LookupsSkipTombstones) {
  const School school = MakeSchool("555");
  const Person teacher = MakeTeacher(school.id);
  EXPECT_EQ(Must(store().records().KindOf(school.id)), RecordKind::kSchool);
  EXPECT_EQ(Must(store().records().KindOf(teacher.id)), RecordKind::kPerson);
  EXPECT_EQ(store().ledger().ClocksOf(RecordKind::kPerson, school.id).status().code(), StatusCode::kNotFound);
  Must(store().records().Delete(RecordKind::kPerson, teacher.id));
  Must(store().records().Delete(RecordKind::kSchool, school.id));
  EXPECT_FALSE(Must(store().records().KindOf(school.id)).has_value());
  EXPECT_FALSE(Must(store().records().KindOf(teacher.id)).has_value());
  EXPECT_FALSE(Must(store().records().KindOf(Uuid::MakeV7(kStartMillis))).has_value());
}

// -----------------------------------------------------------------------------------------
// [SECTION] Deletes
// -----------------------------------------------------------------------------------------

TEST_F(StoreTest, DeleteMakesATombstone) {
  const School school = MakeSchool();
  const Person mentor = MakeMentor();
  const Visit keep = Must(store().records().Save(NewVisit(school.id, mentor.id)));
  const Visit gone = Must(store().records().Save(NewVisit(school.id, mentor.id)));
  clock_.Advance(5);
  Must(store().records().Delete(RecordKind::kVisit, gone.id));

  EXPECT_EQ(store().records().Get<Visit>(gone.id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store().records().Get<Visit>(keep.id).ok());
  EXPECT_EQ(Must(store().records().Count(RecordKind::kVisit)), 1);
  EXPECT_EQ(Must(store().records().Count(RecordKind::kVisit, /*include_deleted=*/true)), 2);
  const auto listed = Must(store().records().List<Visit>());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, keep.id);

  const RecordClocks clocks = Must(store().ledger().ClocksOf(RecordKind::kVisit, gone.id));
  ASSERT_TRUE(clocks.deleted.has_value());
  EXPECT_EQ(clocks.deleted->device_id, "dev-a");
  EXPECT_EQ(clocks.deleted->stamp.millis(), static_cast<uint64_t>(kStartMillis + 5));
  EXPECT_GT(clocks.deleted->stamp, ClockOf(clocks, "summary").stamp);

  const Change last = Outbox().back().change;
  EXPECT_EQ(last.op, ChangeOp::kDelete);
  EXPECT_EQ(last.kind, RecordKind::kVisit);
  EXPECT_EQ(last.record_id, gone.id);
  EXPECT_TRUE(last.fields.empty());
  EXPECT_EQ(last.stamp, clocks.deleted->stamp);

  // A tombstone stays one.
  const int64_t pending = Pending();
  Visit edit = gone;
  edit.summary = "Правка удалённой записи";
  EXPECT_EQ(store().records().Save(edit).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store().records().Save(gone).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store().records().Delete(RecordKind::kVisit, gone.id).code(), StatusCode::kNotFound);
  EXPECT_EQ(store().records().Delete(RecordKind::kVisit, Uuid::MakeV7(kStartMillis)).code(), StatusCode::kNotFound);
  EXPECT_EQ(Pending(), pending);
  EXPECT_TRUE(Must(store().ConsistencyProblems()).empty());
}

// -----------------------------------------------------------------------------------------
// [SECTION] Recommendations
// -----------------------------------------------------------------------------------------

class StoreRecommendationTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    school_ = MakeSchool();
    mentor_ = MakeMentor();
    visit_ = Must(store().records().Save(NewVisit(school_.id, mentor_.id)));
  }
  std::vector<RecommendationEvent> EventsOf(const Uuid& rec_id) {
    std::vector<RecommendationEvent> out;
    for (auto& e : Must(store().records().List<RecommendationEvent>())) {
      if (e.recommendation_id == rec_id) out.push_back(std::move(e));
    }
    return out;
  }
  School school_;
  Person mentor_;
  Visit visit_;
};

TEST_F(StoreRecommendationTest, StatusMovesForward) {
  Recommendation rec = Must(store().records().Save(NewRecommendation(visit_)));
  EXPECT_EQ(rec.status, RecommendationStatus::kOpen);
  rec.status = RecommendationStatus::kInProgress;
  rec = Must(store().records().Save(rec));
  EXPECT_EQ(Must(store().records().Get<Recommendation>(rec.id)).status, RecommendationStatus::kInProgress);

  rec = Must(store().records().AdvanceRecommendation(rec.id, RecommendationStatus::kDone, "сделано", visit_.id));
  EXPECT_EQ(rec.status, RecommendationStatus::kDone);
  EXPECT_EQ(rec.closed_on, store().records().Today());
  EXPECT_EQ(rec.verified_visit_id, visit_.id);
  const Recommendation stored = Must(store().records().Get<Recommendation>(rec.id));
  EXPECT_EQ(FieldValues(stored), FieldValues(rec));
  const auto events = EventsOf(rec.id);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, RecommendationEventKind::kVerified);
  EXPECT_EQ(events[0].date, store().records().Today());
}

TEST_F(StoreRecommendationTest, StatusNeverMovesBackward) {
  Recommendation rec = Must(store().records().Save(NewRecommendation(visit_)));
  rec = Must(store().records().AdvanceRecommendation(rec.id, RecommendationStatus::kInProgress, ""));
  const int64_t pending = Pending();

  Recommendation back = rec;
  back.status = RecommendationStatus::kOpen;
  const Status via_save = store().records().Save(back).status();
  EXPECT_EQ(via_save.code(), StatusCode::kConflict) << via_save.ToString();
  EXPECT_EQ(store().records().AdvanceRecommendation(rec.id, RecommendationStatus::kOpen, "").status().code(),
            StatusCode::kConflict);
  EXPECT_EQ(store().records().AdvanceRecommendation(rec.id, RecommendationStatus::kInProgress, "").status().code(),
            StatusCode::kConflict);

  rec = Must(store().records().AdvanceRecommendation(rec.id, RecommendationStatus::kDone, ""));
  const int64_t pending_done = Pending();
  EXPECT_EQ(pending_done, pending + 2);  // the recommendation and its event
  back = rec;
  back.status = RecommendationStatus::kInProgress;
  EXPECT_EQ(store().records().Save(back).status().code(), StatusCode::kConflict);
  EXPECT_EQ(store().records().AdvanceRecommendation(rec.id, RecommendationStatus::kDropped, "").status().code(),
            StatusCode::kConflict);
  EXPECT_EQ(store().records().AdvanceRecommendation(rec.id, RecommendationStatus::kInProgress, "").status().code(),
            StatusCode::kConflict);
  EXPECT_EQ(Pending(), pending_done);
  EXPECT_EQ(Must(store().records().Get<Recommendation>(rec.id)).status, RecommendationStatus::kDone);
}

TEST_F(StoreRecommendationTest, ReopenIsTheOnlyWayBack) {
  Recommendation rec = Must(store().records().Save(NewRecommendation(visit_)));
  EXPECT_EQ(store().records().ReopenRecommendation(rec.id, "ещё не сделано").status().code(), StatusCode::kConflict);

  rec = Must(store().records().AdvanceRecommendation(rec.id, RecommendationStatus::kDone, ""));
  clock_.Advance(1);  // history is listed by id; see IdsSortByCreationWithinOneMillisecond
  rec = Must(store().records().ReopenRecommendation(rec.id, "на повторном выезде не подтвердилось"));
  EXPECT_EQ(rec.status, RecommendationStatus::kOpen);
  EXPECT_EQ(rec.reopen_count, 1);
  EXPECT_FALSE(rec.closed_on.has_value());
  const Recommendation stored = Must(store().records().Get<Recommendation>(rec.id));
  EXPECT_EQ(stored.status, RecommendationStatus::kOpen);
  EXPECT_EQ(stored.reopen_count, 1);

  const auto events = EventsOf(rec.id);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, RecommendationEventKind::kStatusChange);
  EXPECT_EQ(events[1].kind, RecommendationEventKind::kReopen);
  EXPECT_EQ(events[1].text, "на повторном выезде не подтвердилось");

  // A reopen needs a reason; a deleted recommendation cannot be moved at all.
  rec = Must(store().records().AdvanceRecommendation(rec.id, RecommendationStatus::kDone, ""));
  const int64_t pending = Pending();
  EXPECT_EQ(store().records().ReopenRecommendation(rec.id, "  ").status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(Pending(), pending);
  clock_.Advance(1);
  rec = Must(store().records().ReopenRecommendation(rec.id, "ещё раз"));
  EXPECT_EQ(rec.reopen_count, 2);

  // Reopened, it moves forward again.
  rec = Must(store().records().AdvanceRecommendation(rec.id, RecommendationStatus::kInProgress, ""));
  EXPECT_EQ(store().records().ReopenRecommendation(rec.id, "причина").status().code(), StatusCode::kConflict);
  Must(store().records().Delete(RecordKind::kRecommendation, rec.id));
  EXPECT_EQ(store().records().AdvanceRecommendation(rec.id, RecommendationStatus::kDone, "").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store().records().ReopenRecommendation(rec.id, "причина").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Must(store().ConsistencyProblems()).empty());
}

TEST_F(StoreRecommendationTest, ReopenCountChangesOnlyThroughReopen) {
  Recommendation rec = Must(store().records().Save(NewRecommendation(visit_)));
  const int64_t pending = Pending();
  Recommendation bumped = rec;
  bumped.reopen_count = 1;
  EXPECT_EQ(store().records().Save(bumped).status().code(), StatusCode::kConflict);

  rec = Must(store().records().AdvanceRecommendation(rec.id, RecommendationStatus::kDropped, ""));
  Recommendation sneaky = rec;  // "reopen" by hand: back to open with a bumped count
  sneaky.status = RecommendationStatus::kOpen;
  sneaky.reopen_count = 1;
  EXPECT_EQ(store().records().Save(sneaky).status().code(), StatusCode::kConflict);
  EXPECT_EQ(Pending(), pending + 2);
  EXPECT_EQ(Must(store().records().Get<Recommendation>(rec.id)).reopen_count, 0);
}

TEST_F(StoreRecommendationTest, HistoryEntriesCannotBeEdited) {
  Recommendation rec = Must(store().records().Save(NewRecommendation(visit_)));
  RecommendationEvent comment;
  comment.recommendation_id = rec.id;
  comment.kind = RecommendationEventKind::kComment;
  comment.date = store().records().Today();
  comment.text = "Обсудили с завучем";
  comment = Must(store().records().Save(comment));
  const int64_t pending = Pending();

  RecommendationEvent edited = comment;
  edited.text = "Переписанная история";
  EXPECT_EQ(store().records().Save(edited).status().code(), StatusCode::kConflict);
  EXPECT_EQ(Must(store().records().Get<RecommendationEvent>(comment.id)).text, "Обсудили с завучем");
  EXPECT_EQ(Pending(), pending);
  // Saving it unchanged is not an edit.
  EXPECT_TRUE(store().records().Save(comment).ok());
}

// -----------------------------------------------------------------------------------------
// [SECTION] Observations and scores
// -----------------------------------------------------------------------------------------

TEST_F(StoreTest, SaveObservationWithScores) {
  const ObservationWorld w = MakeObservationWorld();
  std::vector<ObservationScore> scores = {Score("aims_clear", 2, "цель на доске"), Score("time_use", 1),
                                          Score("feedback", std::nullopt, "не было ситуации")};
  const Observation obs = Must(store().records().SaveObservation(NewObservation(w), scores));
  EXPECT_FALSE(obs.id.IsNil());
  for (const auto& s : scores) {
    EXPECT_FALSE(s.id.IsNil());
    EXPECT_EQ(s.observation_id, obs.id);
  }
  auto stored = Must(store().records().ScoresOf(obs.id));
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(FieldValues(Must(store().records().Get<Observation>(obs.id))), FieldValues(obs));

  // Re-save: one level changed, "feedback" removed, one unchanged.
  const Uuid removed_id = scores[2].id;
  const int64_t pending = Pending();
  clock_.Advance(1000);
  std::vector<ObservationScore> again = {Score("aims_clear", 2, "цель на доске"), Score("time_use", 3)};
  const Observation obs2 = Must(store().records().SaveObservation(obs, again));
  EXPECT_EQ(obs2.id, obs.id);
  EXPECT_EQ(again[0].id, scores[0].id);
  EXPECT_EQ(again[1].id, scores[1].id);
  EXPECT_EQ(Pending(), pending + 2) << "one changed score and one tombstone";

  stored = Must(store().records().ScoresOf(obs.id));
  ASSERT_EQ(stored.size(), 2u);
  for (const auto& s : stored) {
    if (s.criterion_code == "time_use") {
      EXPECT_EQ(s.level, 3);
    } else if (s.criterion_code == "aims_clear") {
      EXPECT_EQ(s.level, 2);
    }
    EXPECT_NE(s.criterion_code, "feedback");
  }
  EXPECT_EQ(store().records().Get<ObservationScore>(removed_id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Must(store().records().Count(RecordKind::kObservationScore)), 2);
  EXPECT_EQ(Must(store().records().Count(RecordKind::kObservationScore, true)), 3);
  EXPECT_TRUE(Must(store().ledger().ClocksOf(RecordKind::kObservationScore, removed_id)).deleted.has_value());
  const RecordClocks unchanged = Must(store().ledger().ClocksOf(RecordKind::kObservationScore, scores[0].id));
  EXPECT_EQ(ClockOf(unchanged, "level").stamp.millis(), static_cast<uint64_t>(kStartMillis));
  const RecordClocks changed = Must(store().ledger().ClocksOf(RecordKind::kObservationScore, scores[1].id));
  EXPECT_EQ(ClockOf(changed, "level").stamp.millis(), static_cast<uint64_t>(kStartMillis + 1000));
  EXPECT_EQ(ClockOf(changed, "evidence").stamp.millis(), static_cast<uint64_t>(kStartMillis));
  EXPECT_TRUE(Must(store().ConsistencyProblems()).empty());
}

// Templates are versioned: installing version 2 (a 0..4 scale, one criterion renamed) does
// not change how observations scored with version 1 are checked.
TEST_F(StoreTest, ScoresKeepTheTemplateVersionTheyWereMadeWith) {
  const ObservationWorld w = MakeObservationWorld();
  RubricTemplate v1;
  for (const auto& t : Must(store().records().List<RubricTemplate>())) {
    if (t.code == testing::kRubricCode && t.version == 1) v1 = t;
  }
  ASSERT_FALSE(v1.body_json.empty());
  RubricTemplate v2 = v1;
  v2.id = Uuid();
  v2.version = 2;
  std::string body = v1.body_json;
  auto replace = [&](std::string_view from, std::string_view to) {
    const size_t at = body.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    body.replace(at, from.size(), to);
  };
  replace(R"("version": 1)", R"("version": 2)");
  replace(R"("max": 3)", R"("max": 4)");
  // A fifth level label and a fifth descriptor for every criterion.
  // Levels are listed in order: the new one goes last (the level list holds no nested arrays).
  const size_t levels_end = body.find(']', body.find(R"("levels": [)"));
  ASSERT_NE(levels_end, std::string::npos);
  body.insert(levels_end, R"(, {"level": 4, "label": {"ru": "Образцово", "en": "Exemplary"}})");
  for (size_t at = body.find(R"("descriptors": [)"); at != std::string::npos;
       at = body.find(R"("descriptors": [)", at + 1)) {
    body.insert(at + 16, R"({"level": 4, "text": {"ru": "Образцово", "en": "Exemplary"}}, )");
  }
  v2.body_json = body;
  ASSERT_TRUE(ParseRubric(v2.body_json, "v2").ok()) << ParseRubric(v2.body_json, "v2").status().ToString();
  Must(store().records().Save(v2));

  Observation old_obs = NewObservation(w);  // rubric_version 1
  std::vector<ObservationScore> four = {Score("aims_clear", 4)};
  EXPECT_EQ(store().records().SaveObservation(old_obs, four).status().code(), StatusCode::kInvalidInput);
  Observation new_obs = NewObservation(w);
  new_obs.rubric_version = 2;
  std::vector<ObservationScore> four_again = {Score("aims_clear", 4)};
  const Observation saved = Must(store().records().SaveObservation(new_obs, four_again));
  EXPECT_EQ(Must(store().records().Get<Observation>(saved.id)).rubric_version, 2);
  std::vector<ObservationScore> three = {Score("aims_clear", 3)};
  EXPECT_EQ(Must(store().records().SaveObservation(NewObservation(w), three)).rubric_version, 1);
}

TEST_F(StoreTest, ScoreLevelOutsideTheScaleWritesNothing) {
  const ObservationWorld w = MakeObservationWorld();
  const int64_t pending = Pending();
  for (int64_t bad_level : {int64_t{4}, int64_t{-1}}) {
    std::vector<ObservationScore> scores = {Score("aims_clear", 2), Score("time_use", bad_level)};
    const auto result = store().records().SaveObservation(NewObservation(w), scores);
    ASSERT_FALSE(result.ok()) << "level " << bad_level;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidInput) << result.status().ToString();
    EXPECT_NE(result.status().message().find(std::to_string(bad_level)), std::string::npos)
        << result.status().ToString();
    EXPECT_EQ(Must(store().records().Count(RecordKind::kObservation, true)), 0);
    EXPECT_EQ(Must(store().records().Count(RecordKind::kObservationScore, true)), 0);
    EXPECT_EQ(Pending(), pending);
  }
  // And on an existing observation: the bad re-save leaves the stored scores as they were.
  std::vector<ObservationScore> good = {Score("aims_clear", 2)};
  const Observation obs = Must(store().records().SaveObservation(NewObservation(w), good));
  const int64_t pending_good = Pending();
  Observation changed = obs;
  changed.topic = "Другая тема";
  std::vector<ObservationScore> bad = {Score("aims_clear", 7)};
  EXPECT_EQ(store().records().SaveObservation(changed, bad).status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(Must(store().records().Get<Observation>(obs.id)).topic, obs.topic);
  EXPECT_EQ(Must(store().records().ScoresOf(obs.id))[0].level, 2);
  EXPECT_EQ(Pending(), pending_good);
  EXPECT_TRUE(Must(store().ConsistencyProblems()).empty());
}

// -----------------------------------------------------------------------------------------
// [SECTION] Migrations and the file
// -----------------------------------------------------------------------------------------

TEST_F(StoreTest, NewStoreIsAtTheLatestSchema) {
  // A migration added without raising kLatestSchemaVersion would never run.
  EXPECT_EQ(static_cast<size_t>(kLatestSchemaVersion), Migrations().size());
  EXPECT_EQ(store().schema_version(), kLatestSchemaVersion);
  RawDb raw(StorePath());
  EXPECT_EQ(raw.One("PRAGMA user_version"), std::to_string(kLatestSchemaVersion));
}

TEST_F(StoreTest, WalModeIsOn) {
  (void)MakeSchool();
  RawDb raw(StorePath());
  EXPECT_EQ(raw.One("PRAGMA journal_mode"), "wal");
}

TEST_F(StoreTest, OlderSchemaMigratesWithDataIntact) {
  ASSERT_EQ(std::size(kUndoMigration), static_cast<size_t>(kLatestSchemaVersion - 1))
      << "a new migration needs its undo in test_fixtures.h";
  for (int from = 1; from < kLatestSchemaVersion; ++from) {
    SCOPED_TRACE("from schema " + std::to_string(from));
    CloseStore();
    std::filesystem::remove(StorePath());
    OpenStore();
    const School school = MakeSchool();
    const Person mentor = MakeMentor();
    const Visit visit = Must(store().records().Save(NewVisit(school.id, mentor.id)));
    const Visit deleted = Must(store().records().Save(NewVisit(school.id, mentor.id)));
    Must(store().records().Delete(RecordKind::kVisit, deleted.id));
    CloseStore();
    {
      RawDb raw(StorePath());
      UndoMigrationsTo(raw, from);
    }

    OpenStore();
    EXPECT_EQ(store().schema_version(), kLatestSchemaVersion);
    EXPECT_EQ(FieldValues(Must(store().records().Get<School>(school.id))), FieldValues(school));
    EXPECT_EQ(FieldValues(Must(store().records().Get<Person>(mentor.id))), FieldValues(mentor));
    EXPECT_EQ(FieldValues(Must(store().records().Get<Visit>(visit.id))), FieldValues(visit));
    EXPECT_EQ(store().records().Get<Visit>(deleted.id).status().code(), StatusCode::kNotFound);
    EXPECT_EQ(Must(store().records().Count(RecordKind::kVisit, true)), 2);
    EXPECT_EQ(OpSeqs(Outbox()), (std::vector<uint64_t>{1, 2, 3, 4, 5}));
    (void)Must(store().records().Save(NewVisit(school.id, mentor.id)));
    EXPECT_EQ(Outbox().back().change.op_seq, 6u);
    // Migration 7 numbered the records for the change feed, oldest stamp first.
    std::vector<Uuid> fed;
    (void)Must(store().records().ChangesSince(0, 100, [&](const RecordState& s) {
      fed.push_back(s.id);
      return Status::Ok();
    }));
    EXPECT_EQ(fed.size(), 5u);
    if (fed.size() == 5u) {
      EXPECT_EQ(fed[0], school.id);
      EXPECT_EQ(fed[3], deleted.id);
    }
    EXPECT_TRUE(Must(store().ConsistencyProblems()).empty());
    RawDb raw(StorePath());
    EXPECT_EQ(raw.One("PRAGMA user_version"), std::to_string(kLatestSchemaVersion));
    EXPECT_EQ(raw.One("PRAGMA integrity_check"), "ok");
  }
}

TEST_F(StoreTest, NewerStoreIsRefusedAndLeftAlone) {
  (void)MakeSchool();
  CloseStore();
  {
    RawDb raw(StorePath());
    raw.Exec("PRAGMA user_version = 99");
  }
  const std::string bytes_before = ReadFile(StorePath());

  auto opened = Store::Open(Options());
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(opened.status().message(Language::kEnglish).find("newer"), std::string::npos) << opened.status().message();
  EXPECT_NE(opened.status().message(Language::kRussian).find("новой"), std::string::npos)
      << opened.status().message(Language::kRussian);
  EXPECT_EQ(ReadFile(StorePath()), bytes_before);
  RawDb raw(StorePath());
  EXPECT_EQ(raw.One("PRAGMA user_version"), "99");
}

TEST_F(StoreTest, ForeignSqliteFileIsCorruption) {
  CloseStore();
  const auto path = dir_.path() / "other.sqlite";
  {
    RawDb raw(path);
    raw.Exec("CREATE TABLE invoices (n INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5)");
  }
  StoreOptions options = Options();
  options.path = path;
  auto opened = Store::Open(options);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kCorruption) << opened.status().ToString();
  RawDb raw(path);
  EXPECT_EQ(raw.One("SELECT count(*) FROM sqlite_master"), "1") << "nothing of ours written into it";
  EXPECT_EQ(raw.One("PRAGMA user_version"), "0");
}

TEST_F(StoreTest, RandomBytesFileIsAnErrorNotACrash) {
  CloseStore();
  std::mt19937 rng(20261120);
  for (int round = 0; round < 5; ++round) {
    const auto path = dir_.path() / ("noise" + std::to_string(round) + ".sqlite");
    std::string noise(static_cast<size_t>(4096 * (round + 1)), '\0');
    for (char& c : noise) c = static_cast<char>(rng() & 0xFF);
    if (round == 4) noise.replace(0, 16, std::string("SQLite format 3\0", 16));  // a plausible header
    {
      std::ofstream out(path, std::ios::binary);
      out << noise;
    }
    StoreOptions options = Options();
    options.path = path;
    auto opened = Store::Open(options);
    EXPECT_FALSE(opened.ok()) << "round " << round;
    if (!opened.ok()) {
      EXPECT_TRUE(opened.status().code() == StatusCode::kCorruption || opened.status().code() == StatusCode::kIoError)
          << opened.status().ToString();
    }
  }
}

TEST_F(StoreTest, TableColumnsMatchRecordTraits) {
  RawDb raw(StorePath());
  for (RecordKind kind : kAllRecordKinds) {
    VisitKind(kind, [&]<class R>() {
      std::vector<std::string> expected = {"id", "deleted"};
      for (auto& n : FieldNames<R>()) expected.push_back(n);
      const std::string table(RecordTraits<R>::kTable);
      EXPECT_EQ(table, KindTable(kind));
      EXPECT_EQ(raw.Column("SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid"), expected) << table;
    });
  }
}

// -----------------------------------------------------------------------------------------
// [SECTION] Checks and languages
// -----------------------------------------------------------------------------------------

TEST_F(StoreTest, ConsistentAfterAMixOfWrites) {
  const ObservationWorld w = MakeObservationWorld();
  std::vector<Visit> visits;
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(1);
    visits.push_back(Must(store().records().Save(NewVisit(w.school.id, w.mentor.id, Date::FromDays(20'000 + i)))));
  }
  visits[1].summary = "Исправлено";
  visits[1] = Must(store().records().Save(visits[1]));
  Must(store().records().Delete(RecordKind::kVisit, visits[2].id));
  Must(store().records().InTransaction([&]() -> Status {
    ASSIGN_OR_RETURN(Recommendation r, store().records().Save(NewRecommendation(visits[0])));
    ASSIGN_OR_RETURN(r, store().records().AdvanceRecommendation(r.id, RecommendationStatus::kDone, ""));
    return store().records().ReopenRecommendation(r.id, "снова").status();
  }));
  std::vector<ObservationScore> scores = {Score("aims_clear", 1), Score("feedback", 0)};
  const Observation obs = Must(store().records().SaveObservation(NewObservation(w), scores));
  scores = {Score("aims_clear", 3)};
  (void)Must(store().records().SaveObservation(obs, scores));
  (void)store().records().InTransaction([&]() -> Status {
    RETURN_IF_ERROR(store().records().Delete(RecordKind::kVisit, visits[3].id));
    return Status::Internal("rolled back on purpose");
  });
  Must(store().records().Delete(RecordKind::kPerson, w.teacher.id));

  EXPECT_EQ(Must(store().IntegrityCheck()), "ok");
  const auto problems = Must(store().ConsistencyProblems());
  EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
  const auto seqs = OpSeqs(Outbox());
  for (size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], i + 1);
}

// The checker the crash test relies on does find damage.
TEST_F(StoreTest, ConsistencyProblemsFindsDamage) {
  const School a = MakeSchool("1");
  const School b = MakeSchool("2");
  const School c = MakeSchool("3");
  CloseStore();
  {
    RawDb raw(StorePath());
    raw.Exec("DELETE FROM record_clocks WHERE record_id = '" + a.id.ToString() + "'");
    raw.Exec("DELETE FROM outbox WHERE record_id = '" + b.id.ToString() + "'");
    raw.Exec("UPDATE schools SET deleted = 1 WHERE id = '" + c.id.ToString() + "'");
  }
  OpenStore();
  const auto problems = Must(store().ConsistencyProblems());
  auto mentions = [&](const Uuid& id, std::string_view what) {
    return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) {
      return p.find(id.ToString()) != std::string::npos && p.find(what) != std::string::npos;
    });
  };
  EXPECT_TRUE(mentions(a.id, "without clocks")) << ::testing::PrintToString(problems);
  EXPECT_TRUE(mentions(b.id, "without an outbox entry")) << ::testing::PrintToString(problems);
  EXPECT_TRUE(mentions(c.id, "tombstone")) << ::testing::PrintToString(problems);
  EXPECT_TRUE(std::any_of(problems.begin(), problems.end(), [](const std::string& p) {
    return p.find("gap") != std::string::npos;
  })) << ::testing::PrintToString(problems);
}

// An id belongs to one record of one kind: a Save under another kind must not take over the
// other record's clocks.
TEST_F(StoreTest, SaveWithTheIdOfAnotherKindIsRefused) {
  const School school = MakeSchool();
  Person p;
  p.id = school.id;  // as an import or a buggy client might send
  p.full_name = "Сидоров Пётр";
  p.roles = {Role::kMentor};
  const auto saved = store().records().Save(p);
  EXPECT_FALSE(saved.ok()) << "a person was saved under a school's id";
  const auto problems = Must(store().ConsistencyProblems());
  EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
  const RecordClocks clocks = Must(store().ledger().ClocksOf(RecordKind::kSchool, school.id));
  std::vector<std::string> clock_names;
  for (const auto& [name, clock] : clocks.fields) clock_names.push_back(name);
  EXPECT_EQ(clock_names, FieldNames<School>()) << "the school's field clocks were replaced";
}

TEST_F(StoreTest, ValidationMessagesFollowTheLanguage) {
  const School school = MakeSchool();
  Visit bad = NewVisit(school.id, Uuid());
  bad.visitor_ids.clear();
  bad.purposes.clear();

  // One refusal, in both languages: whoever shows it picks the language then.
  const Status refused = store().records().Save(bad).status();
  const std::string in_ru = refused.message(Language::kRussian);
  const std::string in_en = refused.message(Language::kEnglish);
  EXPECT_EQ(refused.code(), StatusCode::kInvalidInput);
  EXPECT_NE(in_ru, in_en);
  EXPECT_NE(in_ru.find("Укажите, кто выезжал"), std::string::npos) << in_ru;
  EXPECT_NE(in_en.find("Say who visited"), std::string::npos) << in_en;
  // Every problem is listed, not just the first.
  EXPECT_NE(in_en.find("Choose the purpose"), std::string::npos) << in_en;
  // Store-level errors are in both languages too.
  Must(store().records().Delete(RecordKind::kSchool, school.id));
  const Status gone = store().records().Delete(RecordKind::kSchool, school.id);
  EXPECT_EQ(gone.code(), StatusCode::kNotFound);
  EXPECT_NE(gone.message(Language::kEnglish), gone.message(Language::kRussian));
  EXPECT_NE(gone.message(Language::kEnglish).find("There is no"), std::string::npos) << gone.message();
}

// Found by the crash test: deleting the visit a recommendation came from must not freeze the
// recommendation (its source's date is still known from the tombstone).
TEST_F(StoreRecommendationTest, RecommendationOfADeletedVisitCanStillMove) {
  Recommendation rec = Must(store().records().Save(NewRecommendation(visit_)));
  ASSERT_TRUE(store().records().Delete(RecordKind::kVisit, visit_.id).ok());
  rec = Must(store().records().AdvanceRecommendation(rec.id, RecommendationStatus::kInProgress, "в работе"));
  EXPECT_EQ(rec.status, RecommendationStatus::kInProgress);
  rec.text += " (уточнено)";
  EXPECT_TRUE(store().records().Save(rec).ok());
}

TEST_F(StoreRecommendationTest, StepsCanBeDatedWhenTheyHappened) {
  Recommendation rec = Must(store().records().Save(NewRecommendation(visit_)));
  const Date yesterday = store().records().Today().AddDays(-1);
  rec = Must(store().records().AdvanceRecommendation(rec.id, RecommendationStatus::kDone, "", std::nullopt, yesterday));
  EXPECT_EQ(rec.closed_on, yesterday);
  ASSERT_EQ(EventsOf(rec.id).size(), 1u);
  EXPECT_EQ(EventsOf(rec.id)[0].date, yesterday);

  // Not in the future, and not before the recommendation was given; nothing is written.
  const int64_t pending = Pending();
  EXPECT_EQ(
      store().records().ReopenRecommendation(rec.id, "ещё раз", store().records().Today().AddDays(1)).status().code(),
      StatusCode::kInvalidInput);
  Recommendation other = Must(store().records().Save(NewRecommendation(visit_)));
  EXPECT_EQ(
      store()
          .records()
          .AdvanceRecommendation(other.id, RecommendationStatus::kDone, "", std::nullopt, other.created_on.AddDays(-1))
          .status()
          .code(),
      StatusCode::kInvalidInput);
  EXPECT_EQ(Pending(), pending + 1);  // only `other` itself
}

}  // namespace
}  // namespace mentorlog::core
