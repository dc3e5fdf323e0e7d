// The sync benchmarks' shared setup (sync_bench_common.h).
//
// [SECTION] Folders, clock, machine
// [SECTION] The data set: text pools
// [SECTION] The data set: field work
// [SECTION] The data set: JSONL
// [SECTION] The central store in process
// [SECTION] Devices and figures

#include "sync_bench_common.h"

#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

// Every rapidjson user in a program must see the same RAPIDJSON_ASSERT (see the header):
// take core's configuration, not rapidjson's defaults.
#include "rapidjson_config.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "mentorlog/base/random.h"
#include "mentorlog/domain/demo.h"
#include "mentorlog/domain/rubric.h"
#include "mentorlog/domain/serialize.h"

namespace mentorlog::bench {

using core::Uuid;

// -----------------------------------------------------------------------------------------
// [SECTION] Folders, clock, machine
// -----------------------------------------------------------------------------------------

void Must(const Status& s, std::string_view what) {
  if (s.ok()) return;
  std::fprintf(stderr, "benchmark setup failed: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
               s.ToString().c_str());
  std::exit(3);
}

TempDir::TempDir(std::string_view prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) Must(Status::IoError("mkdtemp " + pattern), "temporary folder");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

namespace {

int64_t RealMillis() { return platform::DefaultClock().NowMillis(); }

int64_t BenchDayMillis() {
  static const int64_t millis = [] {
    auto day = core::Date::Parse(kBenchDay);
    return day.ok() ? int64_t{day->days()} * 86'400'000 : 0;
  }();
  return millis;
}

}  // namespace

DayClock::DayClock() : start_real_(RealMillis()) {}

int64_t DayClock::NowMillis() const {
  const int64_t elapsed = std::max<int64_t>(0, RealMillis() - start_real_);
  // Behind the real clock whatever the day: on kBenchDay itself, before midnight plus the time
  // the process has run; on later days, days behind.
  return std::min(BenchDayMillis() + elapsed, RealMillis());
}

double LoadAverage() {
  double load[1] = {0};
  if (getloadavg(load, 1) != 1) return -1;
  return load[0];
}

std::string MachineLine() {
  std::string model = "unknown CPU";
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) model = line.substr(line.find_first_not_of(' ', colon + 1));
      break;
    }
  }
  double load[3] = {0, 0, 0};
  const int got = getloadavg(load, 3);
  char buf[256];
  std::snprintf(buf, sizeof buf, "%ld × %s, load average %.2f %.2f %.2f", sysconf(_SC_NPROCESSORS_ONLN), model.c_str(),
                got > 0 ? load[0] : -1.0, got > 1 ? load[1] : -1.0, got > 2 ? load[2] : -1.0);
  return buf;
}

int64_t PeakRssBytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return int64_t{usage.ru_maxrss} * 1024;
}

// -----------------------------------------------------------------------------------------
// [SECTION] The data set: text pools
// -----------------------------------------------------------------------------------------

namespace {

// Uniform helpers over the engine's raw output, so the same seed gives the same numbers with
// every standard library (the standard's distributions differ between them).
class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}
  int Int(int lo, int hi) {  // inclusive
    const uint64_t span = static_cast<uint64_t>(static_cast<int64_t>(hi) - lo) + 1;
    return lo + static_cast<int>(engine_() % span);
  }
  size_t Index(size_t n) { return static_cast<size_t>(engine_() % n); }
  bool Chance(double p) { return static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0) < p; }
  template <class T>
  const T& Pick(const std::vector<T>& v) {
    return v[Index(v.size())];
  }

 private:
  std::mt19937_64 engine_;
};

// The demo's texts of one field. Make() returns a text shaped like one of them (empty when it
// was empty, the same number of sentences otherwise), each sentence drawn from all of them:
// the demo's lengths and vocabulary, without repeating its texts verbatim.
class TextPool {
 public:
  void Add(const std::string& text) { texts_.push_back(text); }

  // Sorts (the demo's record order depends on random id bits) and splits into sentences.
  void Finish() {
    std::sort(texts_.begin(), texts_.end());
    for (const std::string& t : texts_) {
      for (std::string& s : Sentences(t)) sentences_.push_back(std::move(s));
    }
  }

  std::string Make(Random& rng) const {
    if (texts_.empty()) return {};
    const std::string& model = rng.Pick(texts_);
    const size_t n = Sentences(model).size();
    if (n <= 1 || sentences_.size() < 2) return n == 0 ? std::string() : rng.Pick(texts_);
    std::string out;
    for (size_t i = 0; i < n; ++i) {
      if (!out.empty()) out += ' ';
      out += rng.Pick(sentences_);
    }
    return out;
  }

  bool empty() const { return texts_.empty(); }

 private:
  // Split after ". ", "! " or "? ".
  static std::vector<std::string> Sentences(const std::string& text) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t i = 0; i + 1 < text.size(); ++i) {
      const char c = text[i];
      if ((c == '.' || c == '!' || c == '?') && text[i + 1] == ' ') {
        out.push_back(text.substr(start, i + 1 - start));
        start = i + 2;
      }
    }
    if (start < text.size()) out.push_back(text.substr(start));
    return out;
  }

  std::vector<std::string> texts_;
  std::vector<std::string> sentences_;
};

// -----------------------------------------------------------------------------------------
// [SECTION] The data set: field work
// -----------------------------------------------------------------------------------------

bool Has(const std::vector<core::Role>& roles, core::Role role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

// 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday).
int Weekday(core::Date d) { return ((d.days() % 7) + 7 + 3) % 7; }

class FieldWork {
 public:
  FieldWork(core::Store& store, uint64_t seed) : store_(store), rng_(seed) {}

  Status Load() {
    today_ = store_.records().Today();
    ASSIGN_OR_RETURN(std::vector<core::Person> people, store_.records().List<core::Person>());
    std::sort(people.begin(), people.end(), [](const auto& a, const auto& b) { return a.full_name < b.full_name; });
    for (const core::Person& p : people) {
      if (Has(p.roles, core::Role::kTeacher) && p.school_id) teachers_[*p.school_id].push_back(p);
    }
    ASSIGN_OR_RETURN(std::vector<core::Visit> visits, store_.records().List<core::Visit>());
    std::sort(visits.begin(), visits.end(), [](const auto& a, const auto& b) {
      return std::tie(a.date, a.summary, a.met_with) < std::tie(b.date, b.summary, b.met_with);
    });
    for (const core::Visit& v : visits) {
      visits_by_school_[v.school_id].push_back(v);
      visit_met_with_.Add(v.met_with);
      visit_summary_.Add(v.summary);
      visit_strengths_.Add(v.strengths);
      visit_problems_.Add(v.problems);
    }
    for (const auto& entry : visits_by_school_) {
      if (!teachers_[entry.first].empty()) schools_.push_back(entry.first);
    }
    // Schools in the order of their first demo visit's content, not of their random ids.
    std::sort(schools_.begin(), schools_.end(), [&](const Uuid& a, const Uuid& b) {
      const auto& va = visits_by_school_[a].front();
      const auto& vb = visits_by_school_[b].front();
      return std::tie(va.date, va.summary) < std::tie(vb.date, vb.summary);
    });

    ASSIGN_OR_RETURN(std::vector<core::Observation> observations, store_.records().List<core::Observation>());
    std::sort(observations.begin(), observations.end(), [](const auto& a, const auto& b) {
      return std::tie(a.date, a.topic, a.strengths) < std::tie(b.date, b.topic, b.strengths);
    });
    for (const core::Observation& o : observations) {
      observation_kinds_.push_back(o.kind);
      observation_topic_.Add(o.topic);
      observation_strengths_.Add(o.strengths);
      observation_growth_.Add(o.growth_areas);
      observation_next_.Add(o.next_steps);
      rubric_code_ = o.rubric_code;
      rubric_version_ = o.rubric_version;
    }
    ASSIGN_OR_RETURN(std::vector<core::ObservationScore> scores, store_.records().List<core::ObservationScore>());
    for (const auto& s : scores) {
      score_evidence_.Add(s.evidence);
      ++scores_seen_;
      if (!s.level) ++scores_unobserved_;
    }
    ASSIGN_OR_RETURN(std::vector<core::Consultation> consultations, store_.records().List<core::Consultation>());
    std::sort(consultations.begin(), consultations.end(), [](const auto& a, const auto& b) {
      return std::tie(a.date, a.questions, a.advice) < std::tie(b.date, b.questions, b.advice);
    });
    for (const core::Consultation& c : consultations) {
      consultations_by_school_[c.school_id].push_back(c);
      consultation_questions_.Add(c.questions);
      consultation_advice_.Add(c.advice);
      consultation_follow_ups_.Add(c.follow_ups);
    }
    ASSIGN_OR_RETURN(std::vector<core::Recommendation> recommendations, store_.records().List<core::Recommendation>());
    for (const core::Recommendation& r : recommendations) {
      recommendation_text_.Add(r.text);
      if (!r.responsible_id) recommendation_responsible_.Add(r.responsible_name);
    }
    ASSIGN_OR_RETURN(std::vector<core::RecommendationEvent> events, store_.records().List<core::RecommendationEvent>());
    for (const auto& e : events) {
      if (e.kind == core::RecommendationEventKind::kComment) comment_text_.Add(e.text);
    }
    for (TextPool* pool : {&visit_met_with_, &visit_summary_, &visit_strengths_, &visit_problems_, &observation_topic_,
                           &observation_strengths_, &observation_growth_, &observation_next_, &score_evidence_,
                           &consultation_questions_, &consultation_advice_, &consultation_follow_ups_,
                           &recommendation_text_, &recommendation_responsible_, &comment_text_}) {
      pool->Finish();
    }

    ASSIGN_OR_RETURN(std::vector<core::RubricTemplate> templates, store_.records().List<core::RubricTemplate>());
    for (const auto& t : templates) {
      if (t.code != rubric_code_ || t.version != rubric_version_) continue;
      ASSIGN_OR_RETURN(rubric_, core::ParseRubric(t.body_json, t.code));
    }
    if (schools_.empty() || rubric_.criteria.empty() || observation_kinds_.empty()) {
      return Status::Internal("the demo district has no supported school with teachers, visits and observations");
    }
    return Status::Ok();
  }

  // Writes field work until `budget` more records exist; transactions of about 1,000 records.
  Status Run(int64_t budget) {
    budget_ = budget;
    while (budget_ > 0) {
      RETURN_IF_ERROR(store_.records().InTransaction([&]() -> Status {
        const int64_t stop = std::max<int64_t>(0, budget_ - 1000);
        while (budget_ > stop) RETURN_IF_ERROR(OneVisit(Plan{}));
        return Status::Ok();
      }));
    }
    return Status::Ok();
  }

  // One day as `day` says, in one transaction. Returns the number of records written.
  Result<int64_t> Day(const DayOfWork& day, const Uuid& visitor, std::optional<Uuid> school) {
    if (school && (visits_by_school_[*school].empty() || teachers_[*school].empty())) {
      return Status::NotFound("the school has no visits or no teachers in this store");
    }
    Plan plan;
    plan.school = school;
    plan.visitor = visitor;
    plan.today = true;
    plan.lessons = day.observations;
    plan.scores = day.scores_per_observation;
    plan.consultations = day.consultations;
    plan.recommendations = day.recommendations;
    plan.comments = day.comments;
    budget_ = INT64_MAX;
    RETURN_IF_ERROR(store_.records().InTransaction([&] { return OneVisit(plan); }));
    return INT64_MAX - budget_;
  }

 private:
  // A workday in the two school years before today.
  core::Date RandomWorkday() {
    core::Date d = today_.AddDays(-rng_.Int(0, 700));
    const int wd = Weekday(d);
    return wd >= 5 ? d.AddDays(-(wd - 4)) : d;
  }
  core::Date DateSince(core::Date from) {
    if (from >= today_) return today_;
    return from.AddDays(rng_.Int(0, std::min(60, today_.days() - from.days())));
  }

  // What one visit brings; -1 = drawn at random (as the data set does).
  struct Plan {
    std::optional<Uuid> school;   // nullopt: a random supported school
    std::optional<Uuid> visitor;  // nullopt: the visitors of one of the school's demo visits
    bool today = false;           // dated today, not on a random day
    int lessons = -1;             // 1..3
    int scores = -1;              // per observation; -1: one per rubric criterion
    int consultations = -1;       // 0..1, one chance in two
    int recommendations = -1;     // 1..2
    int comments = -1;            // per recommendation, one chance in three; else the first `comments` get one
  };

  // One day at a school: a visit, its lesson observations with their scores, maybe a
  // consultation, a recommendation or two, maybe a comment on one of them.
  Status OneVisit(const Plan& plan) {
    const Uuid school = plan.school ? *plan.school : rng_.Pick(schools_);
    const core::Visit& model = rng_.Pick(visits_by_school_[school]);
    core::Visit v;
    v.school_id = school;
    v.date = plan.today ? today_ : RandomWorkday();
    v.visitor_ids = plan.visitor ? std::vector<Uuid>{*plan.visitor} : model.visitor_ids;
    v.purposes = model.purposes;
    v.met_with = visit_met_with_.Make(rng_);
    v.summary = visit_summary_.Make(rng_);
    v.strengths = visit_strengths_.Make(rng_);
    v.problems = visit_problems_.Make(rng_);
    ASSIGN_OR_RETURN(v, store_.records().Save(std::move(v)));
    --budget_;

    std::vector<core::Observation> observed;
    const int lessons = plan.lessons >= 0 ? plan.lessons : rng_.Int(1, 3);
    for (int i = 0; i < lessons && budget_ > 0; ++i) {
      const core::Person& teacher = rng_.Pick(teachers_[school]);
      core::Observation o;
      o.visit_id = v.id;
      o.school_id = school;
      o.teacher_id = teacher.id;
      o.observer_id = rng_.Pick(v.visitor_ids);
      o.kind = rng_.Pick(observation_kinds_);
      o.subject = teacher.subjects.empty() ? std::string("математика") : rng_.Pick(teacher.subjects);
      o.grade = rng_.Int(1, 11);
      static const std::vector<std::string> kLetters = {"А", "Б", "В", "Г"};
      o.class_label = std::to_string(o.grade) + rng_.Pick(kLetters);
      o.date = v.date;
      o.topic = observation_topic_.Make(rng_);
      o.rubric_code = rubric_code_;
      o.rubric_version = rubric_version_;
      o.strengths = observation_strengths_.Make(rng_);
      o.growth_areas = observation_growth_.Make(rng_);
      o.next_steps = observation_next_.Make(rng_);
      o.discussion_held = rng_.Chance(0.85);
      std::vector<core::ObservationScore> scores;
      const double unobserved =
          scores_seen_ > 0 ? static_cast<double>(scores_unobserved_) / static_cast<double>(scores_seen_) : 0.1;
      for (const core::RubricCriterion& c : rubric_.criteria) {
        if (static_cast<int64_t>(scores.size()) + 1 >= budget_) break;  // the observation itself counts too
        if (plan.scores >= 0 && static_cast<int>(scores.size()) >= plan.scores) break;
        core::ObservationScore s;
        s.criterion_code = c.code;
        if (!rng_.Chance(unobserved)) {
          s.level = rng_.Int(static_cast<int>(rubric_.min_level), static_cast<int>(rubric_.max_level));
        }
        s.evidence = score_evidence_.Make(rng_);
        scores.push_back(std::move(s));
      }
      ASSIGN_OR_RETURN(o, store_.records().SaveObservation(std::move(o), scores));
      budget_ -= 1 + static_cast<int64_t>(scores.size());
      observed.push_back(std::move(o));
    }

    if (budget_ > 0 && (plan.consultations >= 0 ? plan.consultations > 0 : rng_.Chance(0.5))) {
      core::Consultation c;
      c.school_id = school;
      c.date = v.date;
      const auto& models = consultations_by_school_[school];
      const core::Consultation* cm = models.empty() ? nullptr : &rng_.Pick(models);
      c.consultant_id = cm && !plan.visitor ? cm->consultant_id : v.visitor_ids.front();
      c.format = cm ? cm->format : core::ConsultationFormat::kInPerson;
      c.topics = cm ? cm->topics : std::vector<core::ConsultationTopic>{core::ConsultationTopic::kOther};
      if (rng_.Chance(0.4)) {
        c.audience = core::ConsultationAudience::kTeacher;
        c.teacher_id = rng_.Pick(teachers_[school]).id;
      }
      c.minutes = 15 * rng_.Int(2, 6);
      c.questions = consultation_questions_.Make(rng_);
      c.advice = consultation_advice_.Make(rng_);
      c.follow_ups = consultation_follow_ups_.Make(rng_);
      RETURN_IF_ERROR(store_.records().Save(std::move(c)).status());
      --budget_;
    }

    const int given = plan.recommendations >= 0 ? plan.recommendations : rng_.Int(1, 2);
    for (int i = 0; i < given && budget_ > 0; ++i) {
      core::Recommendation r;
      r.school_id = school;
      if (!observed.empty() && rng_.Chance(0.6)) {
        const core::Observation& o = rng_.Pick(observed);
        r.source_kind = core::SourceKind::kObservation;
        r.source_id = o.id;
        r.teacher_id = o.teacher_id;
        r.created_on = o.date;
      } else {
        r.source_kind = core::SourceKind::kVisit;
        r.source_id = v.id;
        r.created_on = v.date;
      }
      r.text = recommendation_text_.Make(rng_);
      if (r.teacher_id && rng_.Chance(0.5)) {
        r.responsible_id = r.teacher_id;
      } else {
        r.responsible_name = recommendation_responsible_.Make(rng_);
        if (r.responsible_name.empty()) r.responsible_name = "Заместитель директора по УВР";
      }
      r.due_on = r.created_on.AddDays(rng_.Int(14, 60));
      ASSIGN_OR_RETURN(r, store_.records().Save(std::move(r)));
      --budget_;
      if (budget_ > 0 && (plan.comments >= 0 ? i < plan.comments : rng_.Chance(0.3))) {
        core::RecommendationEvent e;
        e.recommendation_id = r.id;
        e.kind = core::RecommendationEventKind::kComment;
        e.date = DateSince(r.created_on);
        e.author_id = rng_.Pick(v.visitor_ids);
        e.text = comment_text_.Make(rng_);
        if (e.text.empty()) e.text = "Работа идёт по плану";
        RETURN_IF_ERROR(store_.records().Save(std::move(e)).status());
        --budget_;
      }
    }
    return Status::Ok();
  }

  core::Store& store_;
  Random rng_;
  core::Date today_;
  int64_t budget_ = 0;
  std::vector<Uuid> schools_;  // supported: with demo visits and teachers
  std::map<Uuid, std::vector<core::Person>> teachers_;
  std::map<Uuid, std::vector<core::Visit>> visits_by_school_;
  std::map<Uuid, std::vector<core::Consultation>> consultations_by_school_;
  std::vector<core::ObservationKind> observation_kinds_;
  std::string rubric_code_;
  int64_t rubric_version_ = 0;
  core::Rubric rubric_;
  int64_t scores_seen_ = 0;
  int64_t scores_unobserved_ = 0;
  TextPool visit_met_with_, visit_summary_, visit_strengths_, visit_problems_;
  TextPool observation_topic_, observation_strengths_, observation_growth_, observation_next_;
  TextPool score_evidence_;
  TextPool consultation_questions_, consultation_advice_, consultation_follow_ups_;
  TextPool recommendation_text_, recommendation_responsible_, comment_text_;
};

}  // namespace

Result<int64_t> WriteDayOfWork(core::Store& store, const DayOfWork& day, const core::Uuid& visitor,
                               std::optional<core::Uuid> school, uint64_t seed) {
  FieldWork work(store, seed);
  RETURN_IF_ERROR(work.Load());
  return work.Day(day, visitor, school);
}

Result<int64_t> CountLiveRecords(const core::Store& store) {
  int64_t total = 0;
  for (core::RecordKind kind : core::kAllRecordKinds) {
    ASSIGN_OR_RETURN(int64_t n, store.records().Count(kind));
    total += n;
  }
  return total;
}

Result<DatasetSummary> BuildDataset(core::Store& store, const DatasetOptions& options) {
  core::DemoOptions demo;
  demo.seed = options.seed;
  RETURN_IF_ERROR(core::CreateDemoDistrict(store.records(), demo).status());
  DatasetSummary summary;
  ASSIGN_OR_RETURN(summary.demo_records, CountLiveRecords(store));
  if (options.records > summary.demo_records) {
    FieldWork work(store, options.seed);
    RETURN_IF_ERROR(work.Load());
    RETURN_IF_ERROR(work.Run(options.records - summary.demo_records));
  }
  for (core::RecordKind kind : core::kAllRecordKinds) {
    ASSIGN_OR_RETURN(int64_t n, store.records().Count(kind));
    if (n > 0) summary.by_kind[std::string(core::KindTable(kind))] = n;
    summary.records += n;
  }
  ASSIGN_OR_RETURN(summary.changes, store.ledger().PendingCount());
  return summary;
}

// -----------------------------------------------------------------------------------------
// [SECTION] The data set: JSONL
// -----------------------------------------------------------------------------------------

namespace {

// One line: "_id" and "kind" first, then every field but cereal's version key.
Result<std::string> JsonDoc(std::string_view kind_code, const std::string& encoded) {
  rapidjson::Document doc;
  doc.Parse(encoded.data(), encoded.size());
  if (doc.HasParseError() || !doc.IsObject()) return Status::Internal("EncodeJson gave no JSON object");
  const rapidjson::Value* record = &doc;
  if (!doc.HasMember("id") && doc.MemberCount() == 1 && doc.MemberBegin()->value.IsObject()) {
    record = &doc.MemberBegin()->value;  // a root wrapped in cereal's "value0"
  }
  const auto id = record->FindMember("id");
  if (id == record->MemberEnd() || !id->value.IsString()) return Status::Internal("EncodeJson gave no \"id\"");
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  writer.StartObject();
  writer.Key("_id");
  id->value.Accept(writer);
  writer.Key("kind");
  writer.String(kind_code.data(), static_cast<rapidjson::SizeType>(kind_code.size()));
  for (auto m = record->MemberBegin(); m != record->MemberEnd(); ++m) {
    const std::string_view name(m->name.GetString(), m->name.GetStringLength());
    if (name == "id" || name == "cereal_class_version") continue;
    writer.Key(m->name.GetString(), m->name.GetStringLength());
    m->value.Accept(writer);
  }
  writer.EndObject();
  return std::string(out.GetString(), out.GetSize());
}

}  // namespace

Result<int64_t> WriteJsonl(const core::Store& store, const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IoError("cannot write " + path.string());
  int64_t lines = 0;
  for (core::RecordKind kind : core::kAllRecordKinds) {
    Status s = core::VisitKind(kind, [&]<class R>() -> Status {
      ASSIGN_OR_RETURN(std::vector<R> records, store.records().List<R>());
      for (const R& r : records) {
        ASSIGN_OR_RETURN(std::string line, JsonDoc(core::EnumCode(kind), core::EncodeJson(r)));
        out << line << '\n';
        ++lines;
      }
      return Status::Ok();
    });
    RETURN_IF_ERROR(s);
  }
  out.flush();
  if (!out) return Status::IoError("cannot write " + path.string());
  return lines;
}

Result<DistrictOwner> FindDistrictOwner(const core::Store& store) {
  DistrictOwner owner;
  ASSIGN_OR_RETURN(std::vector<core::School> schools, store.records().List<core::School>());
  std::map<std::string, int> districts;
  for (const auto& s : schools) ++districts[s.district];
  if (districts.empty()) return Status::NotFound("the store has no schools");
  owner.district = std::max_element(districts.begin(), districts.end(), [](const auto& a, const auto& b) {
                     return a.second < b.second;
                   })->first;
  for (const auto& s : schools) {
    if (s.district == owner.district) owner.schools.push_back(s.id);
  }
  ASSIGN_OR_RETURN(std::vector<core::Person> people, store.records().List<core::Person>());
  std::sort(people.begin(), people.end(), [](const auto& a, const auto& b) { return a.full_name < b.full_name; });
  for (const auto& p : people) {
    if (Has(p.roles, core::Role::kCoordinator)) {
      owner.coordinator_id = p.id;
      return owner;
    }
  }
  return Status::NotFound("the store has no coordinator");
}

// -----------------------------------------------------------------------------------------
// [SECTION] The central store in process
// -----------------------------------------------------------------------------------------

std::string_view BackendName(Backend backend) { return backend == Backend::kSqlite ? "SQLite" : "PostgreSQL"; }

Result<std::unique_ptr<Central>> Central::Open(const CentralOptions& options) {
  std::unique_ptr<Central> c(new Central());
  c->options_ = options;
  if (options.backend == Backend::kSqlite) {
    ASSIGN_OR_RETURN(c->storage_, server::OpenSqliteStorage(options.sqlite_path.string()));
  } else {
    ASSIGN_OR_RETURN(c->storage_, server::OpenPostgresStorage(options.pg_connstr, options.threads));
  }
  server::ServiceOptions service;
  service.log_warning = [](const std::string& line) { std::fprintf(stderr, "server: %s\n", line.c_str()); };
  c->service_ = std::make_unique<server::SyncService>(*c->storage_, service);
  c->accounts_ = std::make_unique<server::Accounts>(*c->storage_, server::AccountsOptions{});
  return c;
}

Central::~Central() { StopHttp(); }

Status Central::StartHttp() {
  if (http_) return Status::Ok();
  server::HttpServerOptions o;
  o.threads = options_.threads;
  http_ = std::make_unique<server::HttpServer>(*storage_, *service_, *accounts_, o);
  Status s = http_->Start();
  if (!s.ok()) http_.reset();
  return s;
}

void Central::StopHttp() {
  if (http_) http_->Stop();
  http_.reset();
}

int Central::port() const { return http_ ? http_->port() : 0; }
std::string Central::url() const { return "http://127.0.0.1:" + std::to_string(port()); }

Result<server::Account> Central::AddAccount(const std::string& login, sync::Role role,
                                            std::optional<core::Uuid> person_id, const std::string& district) {
  server::Account a;
  a.login = login;
  a.role = role;
  a.person_id = person_id;
  a.district = district;
  a.password_hash = "!bench: no password";
  a.created_millis = RealMillis();
  RETURN_IF_ERROR(storage_->Write([&](server::StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(a.id, tx.CreateAccount(a));
    return Status::Ok();
  }));
  return a;
}

Result<std::string> Central::IssueToken(const server::Account& account, const std::string& device_id) {
  std::array<unsigned char, 32> raw{};
  RETURN_IF_ERROR(mentorlog::RandomBytes(raw.data(), raw.size()));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char b : raw) {
    token += kHex[b >> 4];
    token += kHex[b & 15];
  }
  server::TokenRow row{server::TokenHash(token), account.id, device_id,
                       RealMillis() + server::kDefaultTokenLifetimeMillis, false};
  RETURN_IF_ERROR(storage_->Write([&](server::StorageTx& tx) { return tx.PutToken(row); }));
  return token;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Devices and figures
// -----------------------------------------------------------------------------------------

Result<std::unique_ptr<core::Store>> OpenDevice(const std::filesystem::path& path, const std::string& device_id,
                                                const mentorlog::Clock* clock) {
  core::StoreOptions o;
  o.path = path;
  o.device_id = device_id;
  o.clock = clock;
  return core::Store::Open(o);
}

double Quantile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = std::ceil(p * static_cast<double>(values.size()));
  const size_t at = static_cast<size_t>(std::clamp(rank, 1.0, static_cast<double>(values.size()))) - 1;
  return values[at];
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t m = values.size() / 2;
  return values.size() % 2 ? values[m] : (values[m - 1] + values[m]) / 2;
}

std::string Thousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string Bytes(int64_t n) {
  char buf[32];
  const double v = static_cast<double>(n);
  if (n >= 1'000'000) {
    std::snprintf(buf, sizeof buf, "%.2f MB", v / 1e6);
  } else if (n >= 1'000) {
    std::snprintf(buf, sizeof buf, "%.1f kB", v / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(n));
  }
  return buf;
}

std::string EnvOr(const char* name, std::string_view fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : std::string(fallback);
}

}  // namespace mentorlog::bench
