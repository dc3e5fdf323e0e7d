// RunWorkload: reproducible, bounded by `ops`, and writing only what validation accepts.
#include "workload.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/test_fixtures.h"

namespace mentorlog::core {
namespace {

using testing::Must;

// A small district: three schools with two teachers each, two mentors, a tutor, a
// coordinator, and the bundled rubric.
struct District {
  std::vector<Uuid> schools;
  std::vector<Uuid> mentors;
  Uuid tutor;
  Uuid coordinator;
};

District BuildDistrict(Store& store) {
  District d;
  for (auto& t : Must(LoadBundledRubrics(MENTORLOG_ASSETS_DIR), "rubrics"))
    Must(store.records().Save(std::move(t)), "rubric");
  for (int i = 1; i <= 3; ++i) {
    School s;
    s.code = "W-" + std::to_string(i);
    s.name = "МБОУ «Школа № " + std::to_string(i) + "»";
    s.municipality = "Заречный район";
    s.district = "Заречный";
    s.pupils = 200;
    s.teachers = 20;
    d.schools.push_back(Must(store.records().Save(std::move(s)), "school").id);
    for (int j = 1; j <= 2; ++j) {
      Person t;
      t.full_name = "Учитель " + std::to_string(i) + "-" + std::to_string(j);
      t.roles = {Role::kTeacher};
      t.school_id = d.schools.back();
      t.subjects = {j == 1 ? "математика" : "русский язык"};
      Must(store.records().Save(std::move(t)), "teacher");
    }
  }
  for (const char* name : {"Петров Олег Иванович", "Сидорова Анна Павловна"}) {
    Person m;
    m.full_name = name;
    m.roles = {Role::kMentor};
    d.mentors.push_back(Must(store.records().Save(std::move(m)), "mentor").id);
  }
  Person tutor;
  tutor.full_name = "Тьютор Ирина Сергеевна";
  tutor.roles = {Role::kTutor};
  d.tutor = Must(store.records().Save(std::move(tutor)), "tutor").id;
  Person coordinator;
  coordinator.full_name = "Координатор Елена Викторовна";
  coordinator.roles = {Role::kCoordinator};
  d.coordinator = Must(store.records().Save(std::move(coordinator)), "coordinator").id;
  return d;
}

// A store in its own folder, on the fixture's fake clock.
struct OpenedStore {
  testing::TempDir dir;
  std::unique_ptr<Store> store;
};

std::unique_ptr<OpenedStore> OpenFresh(const mentorlog::Clock& clock) {
  auto out = std::make_unique<OpenedStore>();
  StoreOptions options;
  options.path = out->dir.path() / "store.sqlite";
  options.device_id = "dev-w";
  options.clock = &clock;
  out->store = Must(Store::Open(options), "Store::Open");
  return out;
}

// Every live record as text, with each id replaced by its rank among the store's ids. Ids
// made in one process sort in creation order, so two stores built by the same steps give the
// same ranks: equal texts mean equal content and equal references.
std::vector<std::string> Projection(const Store& store) {
  std::vector<RecordState> states;
  Must(store.records().ForEachLiveState([&](const RecordState& s) {
    states.push_back(s);
    return Status::Ok();
  }),
       "ForEachLiveState");
  // Every id the store ever wrote (deleted records are still referred to), from its outbox:
  // these stores never pushed.
  std::vector<Uuid> ids;
  for (const auto& e : Must(store.ledger().PendingChanges(10'000'000), "PendingChanges"))
    ids.push_back(e.change.record_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::map<std::string, std::string> rank;
  for (size_t i = 0; i < ids.size(); ++i) rank[ids[i].ToString()] = "#" + std::to_string(i);
  auto replace_ids = [&](std::string text) {
    for (size_t at = 0; at + 36 <= text.size(); ++at) {
      if (text[at + 8] != '-' || text[at + 13] != '-' || text[at + 18] != '-' || text[at + 23] != '-') continue;
      auto it = rank.find(text.substr(at, 36));
      if (it != rank.end()) text.replace(at, 36, it->second);
    }
    return text;
  };
  std::vector<std::string> out;
  for (const auto& s : states) {
    std::string line = std::string(KindTable(s.kind)) + " " + rank[s.id.ToString()];
    for (const auto& f : s.fields) line += " " + f.field + "=" + replace_ids(FieldValueToString(f.value));
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The lines only one side has (at most 5 of each), for a readable failure.
std::string Difference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> only_a;
  std::vector<std::string> only_b;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only_a));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(only_b));
  std::string out = std::to_string(only_a.size()) + " line(s) only in the first, " + std::to_string(only_b.size()) +
                    " only in the second\n";
  for (size_t i = 0; i < std::min<size_t>(5, only_a.size()); ++i) out += "  < " + only_a[i] + "\n";
  for (size_t i = 0; i < std::min<size_t>(5, only_b.size()); ++i) out += "  > " + only_b[i] + "\n";
  return out;
}

class WorkloadTest : public testing::StoreFixture {};

TEST_F(WorkloadTest, SameStoreAndSeedGiveTheSameOperations) {
  auto a = OpenFresh(clock_);
  auto b = OpenFresh(clock_);
  BuildDistrict(*a->store);
  BuildDistrict(*b->store);
  ASSERT_TRUE(Projection(*a->store) == Projection(*b->store))  // the starting points agree
      << Difference(Projection(*a->store), Projection(*b->store));

  const WorkloadOptions options{.seed = 42, .ops = 400, .as_person = std::nullopt};
  const WorkloadReport ra = Must(RunWorkload(a->store->records(), options), "workload a");
  const WorkloadReport rb = Must(RunWorkload(b->store->records(), options), "workload b");
  EXPECT_EQ(ra, rb);
  EXPECT_GT(ra.created, 0);
  EXPECT_GT(ra.edited, 0);
  EXPECT_GT(ra.deleted, 0);
  for (RecordKind kind : kAllRecordKinds) {
    EXPECT_EQ(Must(a->store->records().Count(kind, true), "count a"),
              Must(b->store->records().Count(kind, true), "count b"))
        << KindTable(kind);
  }
  EXPECT_TRUE(Projection(*a->store) == Projection(*b->store))
      << Difference(Projection(*a->store), Projection(*b->store));
  EXPECT_EQ(Must(a->store->ledger().PendingCount(), "pending a"), Must(b->store->ledger().PendingCount(), "pending b"));

  // Another seed, another stream.
  auto c = OpenFresh(clock_);
  BuildDistrict(*c->store);
  Must(RunWorkload(c->store->records(), {.seed = 43, .ops = 400, .as_person = std::nullopt}), "workload c");
  EXPECT_FALSE(Projection(*a->store) == Projection(*c->store));
}

TEST_F(WorkloadTest, RespectsOpsAndWritesOnlyValidRecords) {
  const District d = BuildDistrict(store());
  const int64_t pending_before = Pending();
  const WorkloadReport r =
      Must(RunWorkload(store().records(), {.seed = 7, .ops = 300, .as_person = std::nullopt}), "workload");
  EXPECT_EQ(r.created + r.edited + r.deleted + r.skipped, 300);
  EXPECT_GT(Pending(), pending_before);
  EXPECT_TRUE(Must(store().ConsistencyProblems(), "ConsistencyProblems").empty());
  EXPECT_EQ(Must(store().IntegrityCheck(), "IntegrityCheck"), "ok");

  // Only the schools and people that were there; dates within the last 60 days.
  EXPECT_EQ(Must(store().records().Count(RecordKind::kSchool), "schools"), 3);
  EXPECT_EQ(Must(store().records().Count(RecordKind::kPerson), "people"), 10);
  const std::set<Uuid> schools(d.schools.begin(), d.schools.end());
  const Date today = store().records().Today();
  const auto visits = Must(store().records().List<Visit>(), "visits");
  ASSERT_FALSE(visits.empty());
  for (const Visit& v : visits) {
    EXPECT_TRUE(schools.count(v.school_id));
    EXPECT_LE(v.date, today);
    EXPECT_GE(v.date, today.AddDays(-59));
    // Still valid as stored: saving it unchanged validates it and writes nothing.
    EXPECT_TRUE(store().records().Save(v).ok());
  }
  for (const Observation& o : Must(store().records().List<Observation>(), "observations")) {
    EXPECT_TRUE(schools.count(o.school_id));
    EXPECT_TRUE(store().records().Save(o).ok());
    for (const ObservationScore& s : Must(store().records().ScoresOf(o.id), "scores"))
      EXPECT_TRUE(store().records().Save(s).ok());
  }
  for (const Consultation& c : Must(store().records().List<Consultation>(), "consultations")) {
    EXPECT_TRUE(schools.count(c.school_id));
    EXPECT_TRUE(store().records().Save(c).ok());
  }
  EXPECT_GT(Must(store().records().Count(RecordKind::kRecommendation), "recommendations"), 0);
  EXPECT_GT(Must(store().records().Count(RecordKind::kObservationScore), "scores"), 0);
  EXPECT_GT(Must(store().records().Count(RecordKind::kRecommendationEvent), "events"), 0);
}

TEST_F(WorkloadTest, WorksAsThePersonGiven) {
  const District d = BuildDistrict(store());
  const Uuid me = d.mentors[1];
  Must(RunWorkload(store().records(), {.seed = 3, .ops = 150, .as_person = me}), "workload");
  for (const Visit& v : Must(store().records().List<Visit>(), "visits"))
    EXPECT_EQ(v.visitor_ids, std::vector<Uuid>{me});
  for (const Observation& o : Must(store().records().List<Observation>(), "observations")) EXPECT_EQ(o.observer_id, me);
  for (const Consultation& c : Must(store().records().List<Consultation>(), "consultations"))
    EXPECT_EQ(c.consultant_id, me);

  // Someone not in the store: any person with the right role instead.
  const Uuid stranger = Must(Uuid::Parse("01890000-0000-7000-8000-0000000000ff"), "uuid");
  Must(RunWorkload(store().records(), {.seed = 4, .ops = 100, .as_person = stranger}), "workload");
  const std::set<Uuid> visitors = {d.mentors[0], d.mentors[1], d.tutor};
  for (const Visit& v : Must(store().records().List<Visit>(), "visits")) {
    for (const Uuid& id : v.visitor_ids) EXPECT_TRUE(visitors.count(id));
  }
}

TEST_F(WorkloadTest, AStoreWithoutSchoolsSkipsEverything) {
  const int64_t pending_before = Pending();
  const WorkloadReport r =
      Must(RunWorkload(store().records(), {.seed = 1, .ops = 25, .as_person = std::nullopt}), "workload");
  EXPECT_EQ(r, (WorkloadReport{0, 0, 0, 25}));
  EXPECT_EQ(Pending(), pending_before);
  const WorkloadReport none =
      Must(RunWorkload(store().records(), {.seed = 1, .ops = 0, .as_person = std::nullopt}), "zero");
  EXPECT_EQ(none, WorkloadReport{});
}

}  // namespace
}  // namespace mentorlog::core
