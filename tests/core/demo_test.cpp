// Tests of the demo district generator: its size, that it is a function of the seed and the
// day, that every record passes the store's checks, that nothing happens after today, and that
// missing or broken assets (the rubrics, the vocabulary of assets/demo) are refused before
// anything is written.
//
// [SECTION] Fixture
// [SECTION] Size and summary
// [SECTION] Determinism
// [SECTION] Errors
// [SECTION] Consistency and dates
// [SECTION] Content
// [SECTION] The programme's instruments
#include "mentorlog/domain/demo.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "mentorlog/domain/records.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/store/store.h"
#include "test_fixtures.h"

namespace mentorlog::core {
namespace {

using testing::Must;
using testing::TempDir;

// -----------------------------------------------------------------------------------------
// [SECTION] Fixture
// -----------------------------------------------------------------------------------------

// 2026-11-20T10:00:00Z.
constexpr int64_t kNovember20 = 1'795'168'800'000;
constexpr int64_t kDayMillis = 86'400'000;

class DemoTest : public ::testing::Test {
 protected:
  // The default demo (seed 20251, 2026-11-20), made once for the suite: most tests only read
  // it, and making a district is the slow part of this suite (seconds under the sanitizers).
  static void SetUpTestSuite() {
    shared_ = new Shared;
    shared_->store = OpenStoreIn(shared_->dir, "shared.sqlite", shared_->clock);
    shared_->summary = Must(CreateDemoDistrict(shared_->store->records(), Options()), "CreateDemoDistrict");
  }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }
  static const Store& Demo() { return *shared_->store; }
  static const DemoSummary& DemoSummaryOf() { return shared_->summary; }

  std::unique_ptr<Store> OpenStore(std::string_view file) { return OpenStoreIn(dir_, file, clock_); }

  static DemoOptions Options(uint64_t seed = 20251) {
    DemoOptions options;
    options.seed = seed;
    options.assets_dir = MENTORLOG_ASSETS_DIR;
    return options;
  }

  // A copy of the bundled assets the demo reads (the rubrics and the demo vocabulary) in this
  // test's folder, made anew on each call, for a test to break one file of.
  std::filesystem::path CopyOfAssets() const {
    const std::filesystem::path copy = dir_.path() / "assets";
    std::filesystem::remove_all(copy);
    std::filesystem::create_directories(copy);
    for (const char* folder : {"rubrics", "demo"}) {
      std::filesystem::copy(std::filesystem::path(MENTORLOG_ASSETS_DIR) / folder, copy / folder,
                            std::filesystem::copy_options::recursive);
    }
    return copy;
  }

  // Replaces the first `from` in `file` with `to`.
  static void Replace(const std::filesystem::path& file, std::string_view from, std::string_view to) {
    std::stringstream text;
    text << std::ifstream(file, std::ios::binary).rdbuf();
    std::string changed = text.str();
    const size_t at = changed.find(from);
    ASSERT_NE(at, std::string::npos) << file << " has no " << from;
    changed.replace(at, from.size(), to);
    std::ofstream(file, std::ios::binary | std::ios::trunc) << changed;
  }

  // That the store has no record at all: a refused demo wrote nothing, not even the rubrics.
  static void ExpectNothingWritten(const Store& store) {
    EXPECT_EQ(Must(store.ledger().PendingCount(), "PendingCount"), 0);
    EXPECT_EQ(Must(store.records().Count(RecordKind::kSchool), "Count"), 0);
    EXPECT_EQ(Must(store.records().Count(RecordKind::kRubricTemplate), "Count"), 0);
  }

  TempDir dir_;
  mentorlog::FakeClock clock_{kNovember20};

 private:
  static std::unique_ptr<Store> OpenStoreIn(const TempDir& dir, std::string_view file, mentorlog::FakeClock& clock) {
    StoreOptions options;
    options.path = dir.path() / file;
    options.device_id = "demo-device";
    options.clock = &clock;
    return Must(Store::Open(options), "Store::Open");
  }

  struct Shared {
    TempDir dir;
    mentorlog::FakeClock clock{kNovember20};
    std::unique_ptr<Store> store;
    DemoSummary summary;
  };
  static inline Shared* shared_ = nullptr;
};

template <class R>
std::vector<R> All(const Store& store) {
  return Must(store.records().List<R>(), "List");
}

bool HasRole(const Person& p, Role role) { return std::find(p.roles.begin(), p.roles.end(), role) != p.roles.end(); }

bool HasStatus(const School& s, SchoolStatus status) {
  return std::find(s.statuses.begin(), s.statuses.end(), status) != s.statuses.end();
}

bool OverdueByHand(const Recommendation& r, Date today) {
  return (r.status == RecommendationStatus::kOpen || r.status == RecommendationStatus::kInProgress) && r.due_on < today;
}

// What the demo says, independent of the record ids (which are new on every run).
struct Content {
  std::vector<std::string> school_names;
  std::vector<std::string> teacher_names;
  std::vector<std::string> visit_dates;
  std::vector<std::string> recommendation_texts;
  std::vector<std::string> instruments;  // agreements, route items, trainings, events, plan items

  friend bool operator==(const Content&, const Content&) = default;
};

Content ContentOf(const Store& store) {
  Content c;
  for (const auto& s : All<School>(store)) c.school_names.push_back(s.name);
  for (const auto& p : All<Person>(store)) {
    if (HasRole(p, Role::kTeacher)) c.teacher_names.push_back(p.full_name);
  }
  for (const auto& v : All<Visit>(store)) c.visit_dates.push_back(v.date.ToString() + " " + v.summary);
  for (const auto& r : All<Recommendation>(store)) c.recommendation_texts.push_back(r.due_on.ToString() + " " + r.text);
  for (const auto& n : All<NetworkAgreement>(store)) {
    c.instruments.push_back(n.signed_on.ToString() + " " + n.partner_name + " " + n.milestones);
  }
  for (const auto& r : All<RouteItem>(store)) {
    c.instruments.push_back(r.starts_on.ToString() + " " + std::string(EnumCode(r.status)) + " " + r.title);
  }
  for (const auto& t : All<Training>(store)) c.instruments.push_back(t.ends_on.ToString() + " " + t.certificate);
  for (const auto& e : All<NetworkEvent>(store)) c.instruments.push_back(e.held_on.ToString() + " " + e.report);
  for (const auto& p : All<PlanItem>(store)) c.instruments.push_back(p.planned_on.ToString() + " " + p.title);
  for (const auto& d : All<Deficit>(store)) c.instruments.push_back(d.area + " " + d.closed_by);
  for (const auto& i : All<RoadmapItem>(store)) c.instruments.push_back(i.title + " " + i.evidence);
  for (auto* list : {&c.school_names, &c.teacher_names, &c.visit_dates, &c.recommendation_texts, &c.instruments}) {
    std::sort(list->begin(), list->end());
  }
  return c;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Size and summary
// -----------------------------------------------------------------------------------------

TEST_F(DemoTest, CreatesADistrictOfTheExpectedSize) {
  const Store* store = &Demo();
  const DemoSummary& summary = DemoSummaryOf();

  EXPECT_GE(summary.schools, 13);
  EXPECT_LE(summary.schools, 15);
  EXPECT_GE(summary.teachers, 180);
  EXPECT_LE(summary.teachers, 220);
  EXPECT_EQ(summary.mentors, 4);
  EXPECT_EQ(summary.tutors, 6);
  EXPECT_GT(summary.visits, 100);
  EXPECT_GT(summary.observations, summary.visits);
  EXPECT_GT(summary.consultations, 50);
  EXPECT_GT(summary.recommendations, 200);
  EXPECT_GT(summary.overdue_recommendations, 0);
  EXPECT_LT(summary.overdue_recommendations, summary.recommendations / 5);
  EXPECT_GT(summary.assessment_results, 0);
  EXPECT_GT(summary.context_indicators, 0);
  EXPECT_GT(summary.roadmap_items, 0);

  const auto schools = All<School>(*store);
  const auto count = [&](SchoolStatus status) {
    return std::count_if(schools.begin(), schools.end(), [&](const School& s) { return HasStatus(s, status); });
  };
  EXPECT_EQ(count(SchoolStatus::kLowResults), 3);
  EXPECT_EQ(count(SchoolStatus::kLeader), 1);
  EXPECT_EQ(count(SchoolStatus::kAdverseConditions), 3);  // one of them is also low-results
  const auto rural =
      std::count_if(schools.begin(), schools.end(), [](const School& s) { return s.settlement == Settlement::kRural; });
  EXPECT_GE(rural, 5);
  EXPECT_LE(rural, 9);
  for (const auto& s : schools) {
    EXPECT_GE(s.pupils, 40) << s.name;
    EXPECT_LE(s.pupils, 900) << s.name;
    EXPECT_GE(s.teachers, 8) << s.name;
    EXPECT_LE(s.teachers, 60) << s.name;
    if (s.settlement == Settlement::kRural) {
      EXPECT_GE(s.distance_km, 20) << s.name;
      EXPECT_LE(s.distance_km, 90) << s.name;
    }
  }
}

TEST_F(DemoTest, SummaryEqualsTheStoreCounts) {
  const Store* store = &Demo();
  const DemoSummary& summary = DemoSummaryOf();
  const auto count = [&](RecordKind kind) { return Must(store->records().Count(kind), "Count"); };

  EXPECT_EQ(summary.schools, count(RecordKind::kSchool));
  EXPECT_EQ(summary.visits, count(RecordKind::kVisit));
  EXPECT_EQ(summary.observations, count(RecordKind::kObservation));
  EXPECT_EQ(summary.consultations, count(RecordKind::kConsultation));
  EXPECT_EQ(summary.recommendations, count(RecordKind::kRecommendation));
  EXPECT_EQ(summary.assessment_results, count(RecordKind::kAssessmentResult));
  EXPECT_EQ(summary.context_indicators, count(RecordKind::kContextIndicator));
  EXPECT_EQ(summary.roadmap_items, count(RecordKind::kRoadmapItem));
  EXPECT_EQ(summary.agreements, count(RecordKind::kNetworkAgreement));
  EXPECT_EQ(summary.route_items, count(RecordKind::kRouteItem));
  EXPECT_EQ(summary.trainings, count(RecordKind::kTraining));
  EXPECT_EQ(summary.network_events, count(RecordKind::kNetworkEvent));
  EXPECT_EQ(summary.event_participants, count(RecordKind::kEventParticipant));
  EXPECT_EQ(summary.plan_items, count(RecordKind::kPlanItem));

  const auto people = All<Person>(*store);
  const auto with_role = [&](Role role) {
    return static_cast<int64_t>(
        std::count_if(people.begin(), people.end(), [&](const Person& p) { return HasRole(p, role); }));
  };
  EXPECT_EQ(summary.teachers, with_role(Role::kTeacher));
  EXPECT_EQ(summary.mentors, with_role(Role::kMentor));
  EXPECT_EQ(summary.tutors, with_role(Role::kTutor));
  EXPECT_GE(with_role(Role::kCoordinator), 1);

  const auto recs = All<Recommendation>(*store);
  const Date today = store->records().Today();
  EXPECT_EQ(summary.overdue_recommendations,
            std::count_if(recs.begin(), recs.end(), [&](const Recommendation& r) { return OverdueByHand(r, today); }));

  // The school's teacher count is its staff as people.
  std::map<Uuid, int64_t> staff;
  for (const auto& p : people) {
    if (HasRole(p, Role::kTeacher) && p.school_id) ++staff[*p.school_id];
  }
  for (const auto& s : All<School>(*store)) EXPECT_EQ(s.teachers, staff[s.id]) << s.name;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Determinism
// -----------------------------------------------------------------------------------------

TEST_F(DemoTest, SameSeedGivesTheSameDistrict) {
  auto again = OpenStore("again.sqlite");
  const DemoSummary b = Must(CreateDemoDistrict(again->records(), Options()), "second run");
  EXPECT_EQ(DemoSummaryOf(), b);
  const Content ca = ContentOf(Demo());
  const Content cb = ContentOf(*again);
  EXPECT_EQ(ca.school_names, cb.school_names);
  EXPECT_EQ(ca.teacher_names, cb.teacher_names);
  EXPECT_EQ(ca.visit_dates, cb.visit_dates);
  EXPECT_EQ(ca.recommendation_texts, cb.recommendation_texts);
  EXPECT_EQ(ca.instruments, cb.instruments);
}

TEST_F(DemoTest, OtherSeedGivesAnotherDistrict) {
  auto other = OpenStore("other.sqlite");
  Must(CreateDemoDistrict(other->records(), Options(2)), "seed 2");
  const Content ca = ContentOf(Demo());
  const Content cb = ContentOf(*other);
  EXPECT_NE(ca.teacher_names, cb.teacher_names);
  EXPECT_NE(ca.visit_dates, cb.visit_dates);
  EXPECT_NE(ca.recommendation_texts, cb.recommendation_texts);
  EXPECT_NE(ca.instruments, cb.instruments);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Errors
// -----------------------------------------------------------------------------------------

TEST_F(DemoTest, SecondRunOnTheSameStoreFailsWithInvalidInput) {
  auto store = OpenStore("demo.sqlite");
  Must(CreateDemoDistrict(store->records(), Options()), "first run");
  const int64_t visits = Must(store->records().Count(RecordKind::kVisit), "Count");
  const int64_t pending = Must(store->ledger().PendingCount(), "PendingCount");

  const Result<DemoSummary> again = CreateDemoDistrict(store->records(), Options());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(again.status().message().find("--data"), std::string::npos) << again.status().message();
  EXPECT_EQ(Must(store->records().Count(RecordKind::kVisit), "Count"), visits);
  EXPECT_EQ(Must(store->ledger().PendingCount(), "PendingCount"), pending);
}

TEST_F(DemoTest, StoreWithDataIsRefusedInEnglishToo) {
  auto store = OpenStore("demo.sqlite");
  School s;
  s.code = "1";
  s.name = "A school";
  s.municipality = "A district";
  Must(store->records().Save(std::move(s)), "save school");
  const Result<DemoSummary> result = CreateDemoDistrict(store->records(), Options());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(result.status().message(), "the store already has data; use a new --data folder");
}

TEST_F(DemoTest, MissingAssetsFolderFailsAndWritesNothing) {
  auto store = OpenStore("demo.sqlite");
  DemoOptions options = Options();
  options.assets_dir = dir_.path() / "no-such-assets";
  const Result<DemoSummary> result = CreateDemoDistrict(store->records(), options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kIoError) << result.status().message();
  EXPECT_EQ(Must(store->ledger().PendingCount(), "PendingCount"), 0);
}

TEST_F(DemoTest, AssetsWithoutTheLessonRubricFailWithNotFound) {
  auto store = OpenStore("demo.sqlite");
  std::filesystem::create_directories(dir_.path() / "empty-assets" / "rubrics");
  DemoOptions options = Options();
  options.assets_dir = dir_.path() / "empty-assets";
  const Result<DemoSummary> result = CreateDemoDistrict(store->records(), options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kNotFound) << result.status().message();
  EXPECT_EQ(Must(store->ledger().PendingCount(), "PendingCount"), 0);
}

// Each file of assets/demo, missing: NotFound naming the file, and nothing written.
TEST_F(DemoTest, MissingVocabularyFileFailsWithNotFoundAndWritesNothing) {
  auto store = OpenStore("demo.sqlite");
  for (const char* file : {"names.toml", "subjects.toml", "topics.toml", "criterion_notes.toml", "recommendations.toml",
                           "visits.toml", "district.toml", "instruments.toml"}) {
    SCOPED_TRACE(file);
    DemoOptions options = Options();
    options.assets_dir = CopyOfAssets();
    std::filesystem::remove(options.assets_dir / "demo" / file);
    const Result<DemoSummary> result = CreateDemoDistrict(store->records(), options);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), StatusCode::kNotFound) << result.status().message();
    EXPECT_NE(result.status().message().find(file), std::string::npos) << result.status().message();
    ExpectNothingWritten(*store);
  }
}

// A vocabulary file broken in one place: InvalidInput naming the file, its line and the key,
// and nothing written.
TEST_F(DemoTest, MalformedVocabularyFileFailsWithInvalidInputAndWritesNothing) {
  struct Breakage {
    const char* file;
    std::string_view from;
    std::string_view to;
    std::string_view says;
  };
  const Breakage breakages[] = {
      // Not TOML.
      {"names.toml", "surnames = [", "surnames = [,", "names.toml:"},
      // A key missing, misspelt, or of the wrong kind.
      {"topics.toml", "grade = 1, ", "", "topics.grade is missing"},
      {"district.toml", "km = 1.2", "kms = 1.2", "school.kms is not a key the demo reads"},
      {"criterion_notes.toml", "code = \"aims_clear\"", "code = 7", "criterion.code must be a non-empty text"},
      {"visits.toml", "topic = \"transition_programme\"", "topic = \"programme\"",
       "management_consultation.topic \"programme\" is none of"},
      // A placeholder the generator does not fill in.
      {"recommendations.toml", "карты уроков {po}", "карты уроков {subject}",
       "teacher.text has the placeholder {subject}"},
      // A reference to nothing, and a supported school left without a mentor.
      {"district.toml", "subject = \"математика\"", "subject = \"матеметика\"",
       "tutor.subject «матеметика» is not a subject of subjects.toml"},
      {"district.toml", "schools = [\"СОШ № 5\"]", "schools = [\"СОШ № 3\"]",
       "the supported school «СОШ № 5» has 0 mentors"},
      // An adverse-conditions school left without an active agreement, an unknown organiser.
      {"instruments.toml", "status = \"active\"", "status = \"draft\"",
       "the supported school «Каменнобродская СОШ» has no active agreement"},
      {"instruments.toml", "organiser = \"СОШ № 2\"", "organiser = \"СОШ № 22\"",
       "event.organiser «СОШ № 22» is not the short_name of a school"},
  };
  auto store = OpenStore("demo.sqlite");
  for (const Breakage& b : breakages) {
    SCOPED_TRACE(b.says);
    DemoOptions options = Options();
    options.assets_dir = CopyOfAssets();
    const std::filesystem::path file = options.assets_dir / "demo" / b.file;
    ASSERT_NO_FATAL_FAILURE(Replace(file, b.from, b.to));
    const Result<DemoSummary> result = CreateDemoDistrict(store->records(), options);
    ASSERT_FALSE(result.ok());
    const std::string message = result.status().message();
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidInput) << message;
    // "<file>:<line>: ..."
    const std::string prefix = file.string() + ":";
    EXPECT_TRUE(message.starts_with(prefix) && message.size() > prefix.size() &&
                std::isdigit(static_cast<unsigned char>(message[prefix.size()])))
        << message;
    EXPECT_NE(message.find(b.says), std::string::npos) << message;
    ExpectNothingWritten(*store);
  }
}

TEST_F(DemoTest, InstalledRubricsAreKept) {
  auto store = OpenStore("demo.sqlite");
  auto bundled = Must(LoadBundledRubrics(MENTORLOG_ASSETS_DIR), "LoadBundledRubrics");
  const size_t n = bundled.size();
  for (auto& t : bundled) Must(store->records().Save(std::move(t)), "save rubric");
  Must(CreateDemoDistrict(store->records(), Options()), "CreateDemoDistrict");
  EXPECT_EQ(Must(store->records().Count(RecordKind::kRubricTemplate), "Count"), static_cast<int64_t>(n));
}

// -----------------------------------------------------------------------------------------
// [SECTION] Consistency and dates
// -----------------------------------------------------------------------------------------

TEST_F(DemoTest, StoreChecksPass) {
  const Store* store = &Demo();
  EXPECT_EQ(Must(store->ConsistencyProblems(), "ConsistencyProblems"), std::vector<std::string>{});
  EXPECT_EQ(Must(store->IntegrityCheck(), "IntegrityCheck"), "ok");
}

// Every date at which something happened is today or earlier (deadlines may be later).
void ExpectNothingAfter(const Store& store, Date today) {
  const auto check = [&](Date d, std::string_view what) { EXPECT_LE(d, today) << what << " " << d.ToString(); };
  for (const auto& s : All<School>(store)) {
    if (s.transition_programme_adopted_on) check(*s.transition_programme_adopted_on, "programme adopted");
  }
  for (const auto& a : All<Assignment>(store)) check(a.starts_on, "assignment");
  for (const auto& n : All<NetworkAgreement>(store)) check(n.signed_on, "agreement");
  for (const auto& v : All<Visit>(store)) check(v.date, "visit");
  for (const auto& o : All<Observation>(store)) check(o.date, "observation");
  for (const auto& c : All<Consultation>(store)) check(c.date, "consultation");
  for (const auto& r : All<Recommendation>(store)) {
    check(r.created_on, "recommendation");
    if (r.closed_on) {
      check(*r.closed_on, "recommendation closed");
      EXPECT_GT(*r.closed_on, r.created_on) << r.text;
    }
    EXPECT_GT(r.due_on, r.created_on) << r.text;
  }
  for (const auto& e : All<RecommendationEvent>(store)) check(e.date, "recommendation event");
  for (const auto& d : All<Deficit>(store)) {
    check(d.found_on, "deficit");
    if (d.closed_on) check(*d.closed_on, "deficit closed");
  }
  for (const auto& i : All<RoadmapItem>(store)) {
    check(i.starts_on, "roadmap item");
    if (i.done_on) check(*i.done_on, "roadmap item done");
  }
  for (const auto& r : All<RouteItem>(store)) {
    if (r.done_on) check(*r.done_on, "route item done");
  }
  for (const auto& t : All<Training>(store)) check(t.ends_on, "training");
  for (const auto& e : All<NetworkEvent>(store)) check(e.held_on, "network event");
  for (const auto& p : All<PlanItem>(store)) {
    if (p.done_on) check(*p.done_on, "plan item done");
  }
  for (const auto& r : All<AssessmentResult>(store)) EXPECT_LE(r.year, today.year());
  for (const auto& c : All<ContextIndicator>(store)) EXPECT_LE(c.year, today.year());
}

TEST_F(DemoTest, NothingIsDatedAfterToday) {
  const Store* store = &Demo();
  ExpectNothingAfter(*store, store->records().Today());
}

// Today in spring, in summer and on the first days of a school year: still valid, still two
// school years of history, still something overdue.
TEST_F(DemoTest, WorksOnAnyDayOfTheYear) {
  // 2026-03-16, 2026-07-20, 2026-09-02, 2027-01-11.
  for (const int64_t shift_days : {-249, -123, -79, 52}) {
    SCOPED_TRACE(shift_days);
    clock_.Set(kNovember20 + shift_days * kDayMillis);
    auto store = OpenStore("day" + std::to_string(shift_days) + ".sqlite");
    const DemoSummary summary = Must(CreateDemoDistrict(store->records(), Options()), "CreateDemoDistrict");
    EXPECT_GT(summary.overdue_recommendations, 0);
    ExpectNothingAfter(*store, store->records().Today());
    const auto visits = All<Visit>(*store);
    ASSERT_FALSE(visits.empty());
    const auto first =
        std::min_element(visits.begin(), visits.end(), [](const Visit& a, const Visit& b) { return a.date < b.date; });
    EXPECT_GE(store->records().Today().days() - first->date.days(), 2 * 365 - 100) << first->date.ToString();
    EXPECT_TRUE(Must(store->ConsistencyProblems(), "ConsistencyProblems").empty());
  }
}

// -----------------------------------------------------------------------------------------
// [SECTION] Content
// -----------------------------------------------------------------------------------------

TEST_F(DemoTest, ObservationsHaveAFullSetOfScores) {
  const Store* store = &Demo();
  const auto observations = All<Observation>(*store);
  ASSERT_FALSE(observations.empty());
  std::map<Uuid, std::vector<ObservationScore>> by_observation;
  for (auto& s : All<ObservationScore>(*store)) by_observation[s.observation_id].push_back(s);
  int not_observed = 0;
  int scored = 0;
  for (const auto& o : observations) {
    const auto& scores = by_observation[o.id];
    EXPECT_EQ(scores.size(), 10u) << o.topic;
    for (const auto& s : scores) {
      EXPECT_FALSE(s.evidence.empty());
      if (!s.level) {
        ++not_observed;
        continue;
      }
      ++scored;
      EXPECT_GE(*s.level, 0);
      EXPECT_LE(*s.level, 3);
    }
    EXPECT_FALSE(o.topic.empty());
    EXPECT_FALSE(o.class_label.empty());
    ASSERT_TRUE(o.visit_id.has_value());
  }
  EXPECT_GT(not_observed, 0);
  EXPECT_GT(scored, 8 * not_observed);
}

TEST_F(DemoTest, LevelsRiseOverTime) {
  const Store* store = &Demo();
  std::map<Uuid, Date> date_of;
  for (const auto& o : All<Observation>(*store)) date_of[o.id] = o.date;
  Date first = store->records().Today();
  for (const auto& [id, d] : date_of) first = std::min(first, d);
  double early_sum = 0, late_sum = 0;
  int early_n = 0, late_n = 0;
  for (const auto& s : All<ObservationScore>(*store)) {
    if (!s.level) continue;
    const int age = date_of[s.observation_id].days() - first.days();
    if (age < 180) {
      early_sum += static_cast<double>(*s.level);
      ++early_n;
    } else if (age > 540) {
      late_sum += static_cast<double>(*s.level);
      ++late_n;
    }
  }
  ASSERT_GT(early_n, 0);
  ASSERT_GT(late_n, 0);
  EXPECT_GT(late_sum / late_n, early_sum / early_n + 0.3);
}

TEST_F(DemoTest, RecommendationsAreVariedAndMostlyClosed) {
  const Store* store = &Demo();
  const auto recs = All<Recommendation>(*store);
  std::set<std::string> texts;
  std::map<RecommendationStatus, int> by_status;
  int reopened = 0;
  int verified = 0;
  for (const auto& r : recs) {
    texts.insert(r.text);
    ++by_status[r.status];
    if (r.reopen_count > 0) ++reopened;
    if (r.verified_visit_id) ++verified;
    const int days = r.due_on.days() - r.created_on.days();
    if (r.reopen_count == 0) {
      EXPECT_GE(days, 14) << r.text;
      EXPECT_LE(days, 56) << r.text;
    }
    if (r.status == RecommendationStatus::kDone) {
      EXPECT_TRUE(r.closed_on.has_value()) << r.text;
      EXPECT_FALSE(r.evidence.empty()) << r.text;
    }
  }
  EXPECT_GE(texts.size(), 30u);
  EXPECT_GT(by_status[RecommendationStatus::kDone], static_cast<int>(recs.size()) / 2);
  EXPECT_GT(by_status[RecommendationStatus::kInProgress], 0);
  EXPECT_GT(by_status[RecommendationStatus::kOpen], 0);
  EXPECT_GT(by_status[RecommendationStatus::kDropped], 0);
  EXPECT_GT(reopened, 0);
  EXPECT_GT(verified, 0);
  // Closing dates are spread over the years, not stamped with today.
  std::set<int32_t> closing_days;
  for (const auto& r : recs) {
    if (r.closed_on) closing_days.insert(r.closed_on->days());
  }
  EXPECT_GT(closing_days.size(), 50u);
}

TEST_F(DemoTest, SupportedSchoolsHaveMentorsTutorsAndProgrammes) {
  const Store* store = &Demo();
  const auto schools = All<School>(*store);
  const auto assignments = All<Assignment>(*store);
  const auto agreements = All<NetworkAgreement>(*store);
  Uuid leader;
  for (const auto& s : schools) {
    if (HasStatus(s, SchoolStatus::kLeader)) leader = s.id;
  }
  for (const auto& s : schools) {
    const bool supported = HasStatus(s, SchoolStatus::kLowResults) || HasStatus(s, SchoolStatus::kAdverseConditions);
    if (!supported) continue;
    const auto has = [&](AssignmentKind kind) {
      return std::any_of(assignments.begin(), assignments.end(),
                         [&](const Assignment& a) { return a.school_id == s.id && a.kind == kind; });
    };
    EXPECT_TRUE(has(AssignmentKind::kMentorSchool)) << s.name;
    EXPECT_TRUE(has(AssignmentKind::kTutorTeacher)) << s.name;
    EXPECT_TRUE(has(AssignmentKind::kTutorSchoolSubject)) << s.name;
    if (HasStatus(s, SchoolStatus::kLowResults)) {
      EXPECT_EQ(s.transition_programme, TransitionProgramme::kAdopted) << s.name;
      EXPECT_EQ(s.leader_partner_id, std::optional<Uuid>(leader)) << s.name;
      EXPECT_TRUE(std::any_of(agreements.begin(), agreements.end(), [&](const NetworkAgreement& n) {
        return n.supported_school_id == s.id && n.leader_school_id == leader;
      })) << s.name;
    }
  }
  EXPECT_GT(Must(store->records().Count(RecordKind::kDeficit), "Count"), 0);
  const auto deficits = All<Deficit>(*store);
  EXPECT_TRUE(std::any_of(deficits.begin(), deficits.end(), [](const Deficit& d) { return d.closed_on.has_value(); }));
  const auto roadmap = All<RoadmapItem>(*store);
  EXPECT_TRUE(std::any_of(roadmap.begin(), roadmap.end(),
                          [](const RoadmapItem& i) { return i.level == RoadmapLevel::kDistrict; }));
  EXPECT_TRUE(std::any_of(roadmap.begin(), roadmap.end(),
                          [](const RoadmapItem& i) { return i.level == RoadmapLevel::kSchool; }));
}

TEST_F(DemoTest, LowResultsSchoolsScoreLowerAndImprove) {
  const Store* store = &Demo();
  std::set<Uuid> low;
  for (const auto& s : All<School>(*store)) {
    if (HasStatus(s, SchoolStatus::kLowResults)) low.insert(s.id);
  }
  // Mean ВПР mark by (low-results?, year).
  std::map<std::pair<bool, int64_t>, std::pair<double, int>> means;
  for (const auto& r : All<AssessmentResult>(*store)) {
    if (r.assessment != Assessment::kVpr) continue;
    auto& [sum, n] = means[{low.count(r.school_id) > 0, r.year}];
    sum += r.mean_score;
    ++n;
  }
  int64_t first_year = INT64_MAX, last_year = 0;
  for (const auto& [key, value] : means) {
    first_year = std::min(first_year, key.second);
    last_year = std::max(last_year, key.second);
  }
  ASSERT_LT(first_year, last_year);
  const auto mean = [&](bool is_low, int64_t year) {
    const auto& [sum, n] = means[{is_low, year}];
    return n == 0 ? 0.0 : sum / n;
  };
  for (int64_t year = first_year; year <= last_year; ++year) EXPECT_LT(mean(true, year), mean(false, year) - 0.2);
  EXPECT_GT(mean(true, last_year), mean(true, first_year));
}

// -----------------------------------------------------------------------------------------
// [SECTION] The programme's instruments
// -----------------------------------------------------------------------------------------

TEST_F(DemoTest, InstrumentsArePresentInPlausibleAmounts) {
  const DemoSummary& s = DemoSummaryOf();
  EXPECT_GE(s.agreements, 6);  // one per supported school, one ended, one draft
  EXPECT_LE(s.agreements, 12);
  EXPECT_GE(s.route_items, 80);
  EXPECT_LE(s.route_items, 400);
  EXPECT_GE(s.trainings, 200);
  EXPECT_LE(s.trainings, 700);
  EXPECT_GE(s.network_events, 8);
  EXPECT_LE(s.network_events, 15);
  EXPECT_GE(s.event_participants, 8 * s.network_events);
  EXPECT_LE(s.event_participants, 40 * s.network_events);
  EXPECT_GE(s.plan_items, 60);
  EXPECT_LE(s.plan_items, 400);
  // The demo stays of a reasonable size.
  EXPECT_LE(s.route_items + s.trainings + s.network_events + s.event_participants + s.plan_items, 2500);
}

TEST_F(DemoTest, EverySupportedSchoolHasAnActiveAgreementWithMilestones) {
  const Store* store = &Demo();
  std::set<Uuid> schools;
  for (const auto& s : All<School>(*store)) schools.insert(s.id);
  const auto agreements = All<NetworkAgreement>(*store);
  std::map<AgreementStatus, int> by_status;
  int institutions = 0;
  for (const auto& n : agreements) {
    ++by_status[n.status];
    EXPECT_EQ(schools.count(n.supported_school_id), 1u) << n.number;
    EXPECT_FALSE(n.milestones.empty()) << n.number;
    EXPECT_FALSE(n.subject.empty()) << n.number;
    if (n.partner_kind == PartnerKind::kSchool) {
      ASSERT_TRUE(n.leader_school_id.has_value()) << n.number;
      EXPECT_EQ(schools.count(*n.leader_school_id), 1u) << n.number;
    } else {
      EXPECT_FALSE(n.leader_school_id.has_value()) << n.number;
      EXPECT_FALSE(n.partner_name.empty()) << n.number;
      if (n.status == AgreementStatus::kActive) ++institutions;
    }
    if (n.status == AgreementStatus::kEnded) {
      ASSERT_TRUE(n.ends_on.has_value()) << n.number;
      EXPECT_LT(*n.ends_on, store->records().Today()) << n.number;
    }
  }
  EXPECT_GE(by_status[AgreementStatus::kEnded], 1);
  EXPECT_GE(by_status[AgreementStatus::kDraft], 1);
  EXPECT_GE(institutions, 1);
  EXPECT_LE(institutions, 2);
  for (const auto& s : All<School>(*store)) {
    if (!HasStatus(s, SchoolStatus::kLowResults) && !HasStatus(s, SchoolStatus::kAdverseConditions)) continue;
    EXPECT_TRUE(std::any_of(agreements.begin(), agreements.end(), [&](const NetworkAgreement& n) {
      return n.supported_school_id == s.id && n.status == AgreementStatus::kActive;
    })) << s.name;
  }
}

TEST_F(DemoTest, DoneRoadmapItemsHaveTheirDateAndEvidence) {
  int done = 0, on_time = 0, late = 0;
  for (const auto& i : All<RoadmapItem>(Demo())) {
    if (i.status != RoadmapStatus::kDone) {
      EXPECT_FALSE(i.done_on.has_value()) << i.title;
      continue;
    }
    ++done;
    ASSERT_TRUE(i.done_on.has_value()) << i.title;
    EXPECT_GE(*i.done_on, i.starts_on) << i.title;
    EXPECT_FALSE(i.evidence.empty()) << i.title;
    (*i.done_on <= i.ends_on ? on_time : late)++;
  }
  ASSERT_GT(done, 0);
  EXPECT_GT(late, 0);
  EXPECT_GT(on_time, 3 * late);
}

TEST_F(DemoTest, ClosedDeficitsSayWhatClosedThem) {
  int closed = 0, by_course = 0;
  for (const auto& d : All<Deficit>(Demo())) {
    if (!d.closed_on) {
      EXPECT_TRUE(d.closed_by.empty()) << d.area;
      continue;
    }
    ++closed;
    EXPECT_FALSE(d.closed_by.empty()) << d.area;
    if (d.closed_by.starts_with("Курсы")) ++by_course;
  }
  EXPECT_GT(closed, 0);
  EXPECT_GT(by_course, 0);
}

TEST_F(DemoTest, RoutesAreTiedToTheTeachersDeficits) {
  const Store* store = &Demo();
  const Date today = store->records().Today();
  std::map<Uuid, Deficit> deficits;
  std::set<Uuid> with_deficit;
  for (const auto& d : All<Deficit>(*store)) {
    deficits[d.id] = d;
    with_deficit.insert(d.teacher_id);
  }
  std::map<Uuid, int> items_of;
  std::map<RouteItemStatus, int> by_status;
  std::set<RouteActivity> activities;
  int overdue = 0;
  for (const auto& r : All<RouteItem>(*store)) {
    ++items_of[r.teacher_id];
    ++by_status[r.status];
    activities.insert(r.activity);
    ASSERT_TRUE(r.deficit_id.has_value()) << r.title;
    ASSERT_EQ(deficits.count(*r.deficit_id), 1u) << r.title;
    EXPECT_EQ(deficits[*r.deficit_id].teacher_id, r.teacher_id) << r.title;
    EXPECT_GT(r.due_on, r.starts_on) << r.title;
    EXPECT_EQ(r.status == RouteItemStatus::kDone, r.done_on.has_value()) << r.title;
    if (r.status == RouteItemStatus::kDone) {
      EXPECT_FALSE(r.result.empty()) << r.title;
    }
    if ((r.status == RouteItemStatus::kPlanned || r.status == RouteItemStatus::kInProgress) && r.due_on < today) {
      ++overdue;
    }
  }
  int routed = 0;
  for (const Uuid& t : with_deficit) {
    if (items_of.count(t) == 0) continue;
    ++routed;
    EXPECT_GE(items_of[t], 1);
    EXPECT_LE(items_of[t], 4);
  }
  EXPECT_EQ(routed, static_cast<int>(items_of.size()));  // only teachers with deficits have routes
  EXPECT_GT(routed, static_cast<int>(with_deficit.size()) * 7 / 10);
  EXPECT_GT(overdue, 0);
  EXPECT_LT(overdue, static_cast<int>(All<RouteItem>(*store).size()) / 4);
  EXPECT_GT(by_status[RouteItemStatus::kDone], 0);
  EXPECT_GT(by_status[RouteItemStatus::kInProgress], 0);
  EXPECT_GE(activities.size(), 4u);
}

TEST_F(DemoTest, MostTeachersTookACourseInTheLastYear) {
  const Store* store = &Demo();
  const Date today = store->records().Today();
  std::set<Uuid> teachers;
  for (const auto& p : All<Person>(*store)) {
    if (HasRole(p, Role::kTeacher)) teachers.insert(p.id);
  }
  std::set<Uuid> recent;
  std::set<std::string> providers;
  for (const auto& t : All<Training>(*store)) {
    EXPECT_EQ(teachers.count(t.teacher_id), 1u) << t.title;
    EXPECT_GE(t.hours, 16) << t.title;
    EXPECT_LE(t.hours, 72) << t.title;
    EXPECT_FALSE(t.certificate.empty()) << t.title;
    EXPECT_GE(t.ends_on, today.AddDays(-3 * 366)) << t.title;
    providers.insert(t.provider);
    if (t.ends_on >= today.AddDays(-365)) recent.insert(t.teacher_id);
  }
  EXPECT_GE(providers.size(), 3u);
  const double share = static_cast<double>(recent.size()) / static_cast<double>(teachers.size());
  EXPECT_GE(share, 0.6);
  EXPECT_LE(share, 0.9);
}

TEST_F(DemoTest, NetworkEventsCoverAboutHalfTheTeachers) {
  const Store* store = &Demo();
  const Date today = store->records().Today();
  std::set<Uuid> teachers, schools;
  for (const auto& p : All<Person>(*store)) {
    if (HasRole(p, Role::kTeacher)) teachers.insert(p.id);
  }
  for (const auto& s : All<School>(*store)) schools.insert(s.id);
  std::map<Uuid, int> participants;
  std::set<NetworkEventKind> kinds;
  for (const auto& e : All<NetworkEvent>(*store)) {
    participants[e.id] = 0;
    kinds.insert(e.kind);
    EXPECT_GE(e.held_on, today.AddDays(-366)) << e.title;
    if (e.organiser_school_id) {
      EXPECT_EQ(schools.count(*e.organiser_school_id), 1u) << e.title;
    }
  }
  std::set<Uuid> covered;
  std::set<std::pair<Uuid, Uuid>> pairs;
  for (const auto& p : All<EventParticipant>(*store)) {
    ASSERT_EQ(participants.count(p.event_id), 1u);
    ++participants[p.event_id];
    EXPECT_EQ(teachers.count(p.teacher_id), 1u);
    EXPECT_TRUE(pairs.insert({p.event_id, p.teacher_id}).second) << "a teacher twice at one event";
    covered.insert(p.teacher_id);
  }
  for (const auto& [event, n] : participants) {
    EXPECT_GE(n, 8);
    EXPECT_LE(n, 40);
  }
  EXPECT_GE(kinds.size(), 4u);
  const double share = static_cast<double>(covered.size()) / static_cast<double>(teachers.size());
  EXPECT_GE(share, 0.4);
  EXPECT_LE(share, 0.9);
}

// The work plans of the current half-year: every mentor and tutor has one; some planned
// visits, observations and consultations were done (a record of the same person, school,
// teacher and month), some were missed, some are still ahead.
TEST_F(DemoTest, WorkPlansAreMatchedBySomeOfWhatWasDone) {
  const Store* store = &Demo();
  const Date today = store->records().Today();
  const auto month_of = [](Date d) { return d.year() * 12 + d.month(); };
  // (activity, person, school, teacher or nil, month) of what was done.
  std::set<std::tuple<PlanActivity, Uuid, Uuid, Uuid, int>> done;
  for (const auto& v : All<Visit>(*store)) {
    for (const Uuid& who : v.visitor_ids)
      done.insert({PlanActivity::kVisit, who, v.school_id, Uuid(), month_of(v.date)});
  }
  for (const auto& o : All<Observation>(*store)) {
    done.insert({PlanActivity::kObservation, o.observer_id, o.school_id, o.teacher_id, month_of(o.date)});
  }
  for (const auto& c : All<Consultation>(*store)) {
    done.insert(
        {PlanActivity::kConsultation, c.consultant_id, c.school_id, c.teacher_id.value_or(Uuid()), month_of(c.date)});
  }
  std::set<Uuid> planners;
  for (const auto& p : All<Person>(*store)) {
    if (HasRole(p, Role::kMentor) || HasRole(p, Role::kTutor)) planners.insert(p.id);
  }
  std::set<Uuid> schools;
  for (const auto& s : All<School>(*store)) schools.insert(s.id);
  std::set<Uuid> with_plan;
  int matched = 0, missed = 0, ahead = 0, events = 0;
  for (const auto& p : All<PlanItem>(*store)) {
    with_plan.insert(p.person_id);
    EXPECT_EQ(planners.count(p.person_id), 1u) << p.title;
    EXPECT_EQ(schools.count(p.school_id), 1u) << p.title;
    EXPECT_FALSE(p.title.empty());
    EXPECT_EQ(p.planned_on.year(), today.year()) << p.title;
    EXPECT_EQ(p.planned_on.month() >= 7, today.month() >= 7) << p.title;  // this half-year
    if (p.activity == PlanActivity::kEvent || p.activity == PlanActivity::kOther) {
      ++events;
      continue;
    }
    EXPECT_FALSE(p.done_on.has_value()) << p.title;
    if (done.count({p.activity, p.person_id, p.school_id, p.teacher_id.value_or(Uuid()), month_of(p.planned_on)})) {
      ++matched;
    } else if (month_of(p.planned_on) < month_of(today)) {
      ++missed;
    } else if (p.planned_on > today) {
      ++ahead;
    }
  }
  EXPECT_EQ(with_plan, planners);
  EXPECT_GT(matched, 0);
  EXPECT_GT(missed, 0);
  EXPECT_GT(ahead, 0);
  EXPECT_GE(events, static_cast<int>(planners.size()));
}

}  // namespace
}  // namespace mentorlog::core
