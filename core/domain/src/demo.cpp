// The demo district generator (see demo.h).
//
// The district is built in memory step by step and every record goes through RecordWriter::Save and
// friends, so it passes validation like real input. Randomness comes only from DemoRandom
// (std::mt19937_64, whose output the standard fixes, plus our own arithmetic on top of it: the
// standard distributions differ between libraries), and everything is dated from Today().
// The programme's instruments added later (agreements' milestones, roadmap evidence, routes,
// trainings, network events, work plans) draw from a second engine seeded from the same seed,
// so that adding them left every earlier record of a seed as it was.
//
// The texts and the district's make-up are not here: they are the vocabulary of assets/demo
// (demo_vocabulary.h), drawn from by position, so the district is a function of the seed, the
// day and those files.
//
// [SECTION] Random numbers, dates and text helpers
// [SECTION] What the vocabulary means to the generator
// [SECTION] DistrictBuilder: declaration
// [SECTION] DistrictBuilder: schools and people
// [SECTION] DistrictBuilder: visits, observations, consultations
// [SECTION] DistrictBuilder: recommendation progress and deficits
// [SECTION] DistrictBuilder: roadmap, assessment results, context indicators
// [SECTION] DistrictBuilder: routes (ИОМ), trainings, network events, work plans
// [SECTION] CreateDemoDistrict
#include "mentorlog/domain/demo.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "demo_vocabulary.h"
#include "mentorlog/domain/dashboard.h"
#include "mentorlog/domain/rounds.h"
#include "mentorlog/domain/rules.h"

namespace mentorlog::core {

namespace {

using demo::ConsultationText;
using demo::CriterionNotes;
using demo::DemoVocabulary;
using demo::IsAdverse;
using demo::IsLowResults;
using demo::IsSupported;
using demo::LessonTopic;
using demo::RecommendationTemplate;
using demo::RoadmapSpec;
using demo::SchoolRole;
using demo::SchoolSpec;
using demo::SubjectInfo;

// -----------------------------------------------------------------------------------------
// [SECTION] Random numbers, dates and text helpers
// -----------------------------------------------------------------------------------------

// Uniform helpers over std::mt19937_64. Only the engine's raw output is used, so the same
// seed gives the same numbers with every standard library.
class DemoRandom {
 public:
  explicit DemoRandom(uint64_t seed) : engine_(seed) {}

  // An integer in [lo, hi]. The modulo bias is below 2^-50 for our small ranges.
  int Int(int lo, int hi) {
    assert(lo <= hi);
    const uint64_t span = static_cast<uint64_t>(static_cast<int64_t>(hi) - lo) + 1;
    return lo + static_cast<int>(engine_() % span);
  }
  size_t Index(size_t n) {
    assert(n > 0);
    return static_cast<size_t>(engine_() % n);
  }
  // In [0, 1).
  double Real() { return static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0); }
  double Real(double lo, double hi) { return lo + (hi - lo) * Real(); }
  bool Chance(double p) { return Real() < p; }
  // Roughly standard normal: the sum of four uniforms, centred and scaled (Irwin-Hall).
  double Noise() {
    const double sum = Real() + Real() + Real() + Real();
    return (sum - 2.0) * 1.7320508075688772;
  }
  template <class C>
  const auto& Pick(const C& items) {
    return items[Index(std::size(items))];
  }

 private:
  std::mt19937_64 engine_;
};

Date Ymd(int year, int month, int day) {
  Result<Date> d = Date::FromYmd(year, month, day);
  assert(d.ok());
  return d.ok() ? *d : Date();
}

// 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday).
int Weekday(Date d) { return ((d.days() % 7) + 7 + 3) % 7; }

// Saturdays and Sundays move back to the Friday before.
Date Workday(Date d) {
  const int wd = Weekday(d);
  return wd == 5 ? d.AddDays(-1) : wd == 6 ? d.AddDays(-2) : d;
}

Date Earlier(Date a, Date b) { return a < b ? a : b; }
Date Later(Date a, Date b) { return a < b ? b : a; }

// "05.03.2026", as Russian documents write dates.
std::string RuDate(Date d) {
  const auto two = [](int v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  return two(d.day()) + "." + two(d.month()) + "." + std::to_string(d.year());
}

// Replaces every "{key}" in `text`.
std::string Fill(std::string_view text, std::initializer_list<std::pair<std::string_view, std::string_view>> subs) {
  std::string out(text);
  for (const auto& [key, value] : subs) {
    for (size_t at = out.find(key); at != std::string::npos; at = out.find(key, at + value.size())) {
      out.replace(at, key.size(), value);
    }
  }
  return out;
}

// The first UTF-8 character of `s` (all our names start with a Cyrillic letter).
std::string FirstLetter(std::string_view s) {
  if (s.empty()) return {};
  const auto lead = static_cast<unsigned char>(s[0]);
  const size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  return std::string(s.substr(0, std::min(n, s.size())));
}

// `s` with its first letter in lower case (Cyrillic А-Я and Ё, and ASCII), for a sentence
// continued after a colon.
std::string LowerFirst(std::string_view s) {
  std::string out(s);
  if (out.empty()) return out;
  auto* b = reinterpret_cast<unsigned char*>(out.data());
  if (b[0] < 0x80) {
    if (b[0] >= 'A' && b[0] <= 'Z') b[0] = static_cast<unsigned char>(b[0] + ('a' - 'A'));
  } else if (out.size() >= 2 && b[0] == 0xD0) {
    if (b[1] >= 0x90 && b[1] <= 0x9F) {  // А..П -> а..п
      b[1] = static_cast<unsigned char>(b[1] + 0x20);
    } else if (b[1] >= 0xA0 && b[1] <= 0xAF) {  // Р..Я -> р..я
      b[0] = 0xD1;
      b[1] = static_cast<unsigned char>(b[1] - 0x20);
    } else if (b[1] == 0x81) {  // Ё -> ё
      b[0] = 0xD1;
      b[1] = 0x91;
    }
  }
  return out;
}

// Whether a text is about grades 8-11 (the state exams, ВПР in grade 8), so that it is not
// given to a primary-school teacher.
bool AboutUpperGrades(std::string_view text) {
  for (std::string_view marker : {"ОГЭ", "ЕГЭ", "9-х", "8-х", "9-го"}) {
    if (text.find(marker) != std::string_view::npos) return true;
  }
  return false;
}

bool EndsWith(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// "a", "a и b", "a, b и c".
std::string JoinRu(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " и " : ", ";
    out += parts[i];
  }
  return out;
}

std::string JoinSentences(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += ' ';
    out += p;
  }
  return out;
}

// One a line, as the agreements' milestones are kept.
std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    if (!out.empty()) out += '\n';
    out += l;
  }
  return out;
}

double Round(double v, int digits) {
  const double scale = digits == 1 ? 10.0 : digits == 2 ? 100.0 : 1000.0;
  return std::round(v * scale) / scale;
}

double Clamp(double v, double lo, double hi) { return std::max(lo, std::min(hi, v)); }

// -----------------------------------------------------------------------------------------
// [SECTION] What the vocabulary means to the generator
// -----------------------------------------------------------------------------------------

// The vocabulary itself (names, subjects, topics, notes, recommendations, visit texts, the
// district) is data: assets/demo/*.toml, read by demo_vocabulary.cpp. What follows is what the
// generator makes of it.

// The female form of a male surname: «Иванов» → «Иванова», «Ковальский» → «Ковальская».
std::string FemaleSurname(std::string_view male) {
  if (EndsWith(male, "ский") || EndsWith(male, "цкий")) {
    return std::string(male.substr(0, male.size() - std::string_view("ий").size())) + "ая";
  }
  if (EndsWith(male, "ской")) return std::string(male.substr(0, male.size() - std::string_view("ой").size())) + "ая";
  return std::string(male) + "а";
}

// The female form of a male patronymic: the final «ич» becomes «на» (the loader checks it is there).
std::string FemalePatronymic(std::string_view male) {
  return std::string(male.substr(0, male.size() - std::string_view("ич").size())) + "на";
}

// Subjects a mentor rarely observes.
bool IsMinorSubject(std::string_view subject) {
  return subject == "физическая культура" || subject == "ОБЗР" || subject == "музыка" ||
         subject == "изобразительное искусство" || subject == "технология";
}

// How a teacher's typical level differs by criterion: climate and timing come first, formative
// assessment, differentiation and functional literacy last (as the seeds' findings say).
double CriterionOffset(std::string_view code) {
  if (code == "classroom_climate") return 0.5;
  if (code == "time_use") return 0.3;
  if (code == "aims_clear") return 0.2;
  if (code == "pupil_participation") return 0.0;
  if (code == "independent_work") return -0.1;
  if (code == "understanding_checks" || code == "summing_up") return -0.2;
  if (code == "feedback") return -0.3;
  if (code == "differentiation") return -0.5;
  if (code == "functional_literacy") return -0.6;
  return 0.0;
}

// The chance a criterion is marked "not observed" in one lesson.
double NotObservedChance(std::string_view code) {
  if (code == "functional_literacy") return 0.14;
  if (code == "summing_up") return 0.10;
  if (code == "independent_work" || code == "differentiation") return 0.06;
  return 0.03;
}

// A school of grades 1-9 (an ООШ) has no ЕГЭ and no lessons above grade 9.
bool HasUpperGrades(const SchoolSpec& s) { return s.short_name.find("ООШ") == std::string_view::npos; }

// -----------------------------------------------------------------------------------------
// [SECTION] DistrictBuilder: declaration
// -----------------------------------------------------------------------------------------

struct DemoSchool {
  const SchoolSpec* spec = nullptr;
  School record;
  std::vector<size_t> teachers;  // into DistrictBuilder::teachers_
  Person director;               // supported schools only
  Person deputy;                 // supported schools only; also the school coordinator
  std::string director_short;
  std::string deputy_short;
  std::optional<size_t> mentor;            // into mentors_
  std::vector<size_t> tutors;              // into tutors_
  std::vector<size_t> visits;              // into visits_, in date order
  std::vector<std::string_view> problems;  // what visits to this school keep finding
  std::vector<int> template_uses;          // per school recommendation of the vocabulary
  double quality = 0;                      // about -1 (weak results) .. 1 (strong)
};

struct DemoTeacher {
  Person record;
  size_t school = 0;
  std::string short_name;
  double base = 1.5;  // typical rubric level at the start (0..3 scale)
  double growth = 0;  // levels gained per year of support
  int observed = 0;
  int last_template = -1;
  std::vector<size_t> observations;  // into observations_, in date order
};

struct DemoTutor {
  size_t teacher = 0;  // the tutor is a teacher of an effective school
  std::string_view subject;
  std::vector<size_t> schools;
};

struct DemoMentor {
  Person record;
  std::string short_name;
};

struct DemoVisit {
  Uuid id;
  size_t school = 0;
  Date date;
  std::vector<Uuid> visitors;
};

// A visit, an observation or a consultation done by one person: what a work plan's item is
// matched with (same person, school, teacher and calendar month).
struct DemoFact {
  PlanActivity activity = PlanActivity::kVisit;
  Uuid person;
  size_t school = 0;
  std::optional<Uuid> teacher;
  Date date;
};

// A teacher assigned to a tutor (AssignmentKind::kTutorTeacher).
struct DemoTutored {
  size_t tutor = 0;  // into tutors_
  size_t school = 0;
  size_t teacher = 0;  // into teachers_
};

// A deficit, saved once its route says what closed it.
struct DemoDeficit {
  Deficit record;
  size_t teacher = 0;
};

struct DemoObservation {
  Uuid id;
  Date date;
  std::vector<std::optional<int>> levels;  // per rubric criterion, on the demo's 0..3 scale
};

struct DemoRecommendation {
  Uuid id;
  size_t school = 0;
  Date created;
  Date due;
  std::string_view evidence;
};

// A lesson to observe during a visit.
struct PlannedLesson {
  size_t teacher = 0;
  Uuid observer;
  std::string_view subject;  // the teacher's subject, as in a LessonTopic's teacher_subject
};

// Builds the district record by record. REQUIRES: runs inside one RecordWriter::InTransaction.
class DistrictBuilder {
 public:
  // `words` must outlive the builder: the district's records and the builder's own tables
  // point into it.
  DistrictBuilder(RecordWriter& store, const DemoOptions& options, const DemoVocabulary& words, Rubric rubric);

  Status Build();
  const DemoSummary& summary() const { return summary_; }

 private:
  Status AddSchools();
  Status AddPeople();
  Status AddAssignmentsAndAgreements();
  Person NewPerson(bool female, std::vector<Role> roles, std::optional<Uuid> school, std::string& short_name);

  Status AddActivity(size_t school);
  Status AddVisit(size_t school, Date date, bool first);
  std::vector<PlannedLesson> PlanLessons(size_t school, bool mentor_present, const std::vector<size_t>& tutors,
                                         int count);
  Status AddObservation(size_t school, const DemoVisit& visit, const PlannedLesson& lesson);
  Status AddConsultation(size_t school, Date date, ConsultationFormat format, bool management,
                         std::optional<size_t> tutor);
  Status AddTeacherRecommendation(SourceKind source_kind, const Uuid& source, Date date, size_t teacher,
                                  std::string_view weakest_criterion, std::string_view subject);
  Status AddSchoolRecommendation(const Uuid& visit, Date date, size_t school);
  Status AddRecommendation(Recommendation rec, size_t school, std::string_view evidence);

  Status ProgressRecommendations();
  Status ProgressOne(const DemoRecommendation& plan);
  Status AddDeficits();
  Status AddRoadmap();
  Status AddAssessmentResults();
  Status AddContextIndicators();
  Status AddRoutesAndTrainings();
  Status AddTrainings(size_t teacher, std::vector<std::string>& titles);
  Status AddNetworkEvents();
  Status AddWorkPlans();
  Status AddPlanItem(PlanItem item);

  // Saves a copy of `record` and takes back the saved one (with its id). On failure `record`
  // is intact, so the caller can name it in the error.
  template <class R>
  Status Put(R& record) {
    ASSIGN_OR_RETURN(record, store_.Save(record));
    return Status::Ok();
  }

  double YearsSinceStart(Date d) const { return static_cast<double>(d.days() - start_.days()) / 365.0; }
  int64_t RubricLevel(int demo_level) const {
    const double span = static_cast<double>(rubric_.max_level - rubric_.min_level);
    return rubric_.min_level + static_cast<int64_t>(std::lround(demo_level * span / 3.0));
  }
  std::vector<size_t> SchoolTutorsBySubject(size_t school, std::string_view subject) const;
  // The subject named `name` (the loader checks that every subject the vocabulary names exists).
  const SubjectInfo& SubjectOf(std::string_view name) const;
  // The notes of a rubric criterion, or null for a criterion the vocabulary has none for.
  const CriterionNotes* NotesFor(std::string_view code) const;
  // The school year's calendar year of `month` for the year starting in September `school_year`.
  static int YearOf(int school_year, int month) { return month >= 9 ? school_year : school_year + 1; }

  RecordWriter& store_;
  const DemoVocabulary& words_;
  Rubric rubric_;
  DemoRandom rng_;
  DemoRandom more_;  // the instruments' draws (see the file's comment)
  Date today_;
  int start_year_ = 0;  // activity starts on 1 September of this year
  Date start_;
  std::set<std::string> used_names_;

  std::vector<DemoSchool> schools_;
  std::vector<DemoTeacher> teachers_;
  std::vector<DemoTutor> tutors_;
  std::vector<DemoMentor> mentors_;
  std::vector<std::string> coordinators_;  // short names: the education office, the methodological office
  std::vector<DemoVisit> visits_;
  std::vector<DemoObservation> observations_;
  std::vector<DemoRecommendation> recommendations_;
  std::vector<DemoFact> facts_;
  std::vector<DemoTutored> tutored_;
  std::vector<DemoDeficit> deficits_;
  DemoSummary summary_;
};

DistrictBuilder::DistrictBuilder(RecordWriter& store, const DemoOptions& options, const DemoVocabulary& words,
                                 Rubric rubric)
    : store_(store),
      words_(words),
      rubric_(std::move(rubric)),
      rng_(options.seed),
      more_(options.seed ^ 0x9E3779B97F4A7C15ULL),
      today_(store.Today()) {
  // Two whole school years back, plus the current one up to today: from September to May
  // today is in the year that started last September, so go back three Septembers.
  start_year_ = today_.month() <= 5 ? today_.year() - 3 : today_.year() - 2;
  start_ = Ymd(start_year_, 9, 1);
}

const SubjectInfo& DistrictBuilder::SubjectOf(std::string_view name) const {
  for (const auto& s : words_.subjects) {
    if (s.name == name) return s;
  }
  assert(false && "a subject missing from subjects.toml");
  return words_.subjects.front();
}

const CriterionNotes* DistrictBuilder::NotesFor(std::string_view code) const {
  for (const auto& n : words_.criteria) {
    if (n.code == code) return &n;
  }
  return nullptr;
}

Status DistrictBuilder::Build() {
  RETURN_IF_ERROR(AddSchools());
  RETURN_IF_ERROR(AddPeople());
  RETURN_IF_ERROR(AddAssignmentsAndAgreements());
  for (size_t s = 0; s < schools_.size(); ++s) {
    if (IsSupported(schools_[s].spec->role)) RETURN_IF_ERROR(AddActivity(s));
  }
  RETURN_IF_ERROR(ProgressRecommendations());
  RETURN_IF_ERROR(AddDeficits());
  RETURN_IF_ERROR(AddRoadmap());
  RETURN_IF_ERROR(AddAssessmentResults());
  RETURN_IF_ERROR(AddContextIndicators());
  RETURN_IF_ERROR(AddRoutesAndTrainings());
  RETURN_IF_ERROR(AddNetworkEvents());
  RETURN_IF_ERROR(AddWorkPlans());
  return Status::Ok();
}

// -----------------------------------------------------------------------------------------
// [SECTION] DistrictBuilder: schools and people
// -----------------------------------------------------------------------------------------

Status DistrictBuilder::AddSchools() {
  for (size_t i = 0; i < words_.schools.size(); ++i) {
    const SchoolSpec& spec = words_.schools[i];
    DemoSchool s;
    s.spec = &spec;
    School& r = s.record;
    r.code = "3401" + std::string(i + 1 < 10 ? "0" : "") + std::to_string(i + 1);
    r.name = std::string(spec.name);
    r.short_name = std::string(spec.short_name);
    r.municipality = words_.district;
    r.district = words_.district;
    r.settlement = spec.settlement;
    const double km = spec.km * rng_.Real(0.95, 1.05);
    r.distance_km = Round(spec.settlement == Settlement::kRural ? Clamp(km, 20, 90) : km, 1);
    r.pupils = static_cast<int64_t>(std::lround(spec.pupils * rng_.Real(0.93, 1.07)));
    r.teachers = std::max(8, spec.teachers + rng_.Int(-1, 1));
    switch (spec.role) {
      case SchoolRole::kLeader:
        r.statuses = {SchoolStatus::kLeader};
        break;
      case SchoolRole::kLowResults:
        r.statuses = {SchoolStatus::kLowResults};
        break;
      case SchoolRole::kLowResultsAdverse:
        r.statuses = {SchoolStatus::kLowResults, SchoolStatus::kAdverseConditions};
        break;
      case SchoolRole::kAdverse:
        r.statuses = {SchoolStatus::kAdverseConditions};
        break;
      case SchoolRole::kEffective:
      case SchoolRole::kOrdinary:
        break;
    }
    if (!r.statuses.empty()) r.status_year = today_.year();
    if (IsLowResults(spec.role)) r.leader_partner_id = schools_[words_.leader_school].record.id;

    // Transition programmes: adopted in the first autumn by the low-results schools, later or
    // not yet by the adverse-conditions ones.
    std::optional<Date> adopted;
    if (IsLowResults(spec.role)) {
      adopted = Workday(start_.AddDays(rng_.Int(70, 110)));
    } else if (spec.role == SchoolRole::kAdverse && spec.programme_late) {
      adopted = Workday(start_.AddDays(rng_.Int(150, 200)));
    }
    if (adopted && *adopted <= today_) {
      r.transition_programme = TransitionProgramme::kAdopted;
      r.transition_programme_adopted_on = adopted;
    } else if (IsSupported(spec.role)) {
      r.transition_programme = TransitionProgramme::kDrafting;
    }
    r.management_team_trained = IsSupported(spec.role) && !spec.missed_management_seminar;

    switch (spec.role) {
      case SchoolRole::kLeader:
        s.quality = 0.9;
        break;
      case SchoolRole::kEffective:
        s.quality = rng_.Real(0.4, 0.6);
        break;
      case SchoolRole::kOrdinary:
        s.quality = rng_.Real(0.0, 0.3);
        break;
      case SchoolRole::kLowResults:
        s.quality = rng_.Real(-0.95, -0.75);
        break;
      case SchoolRole::kLowResultsAdverse:
        s.quality = -0.95;
        break;
      case SchoolRole::kAdverse:
        s.quality = rng_.Real(-0.55, -0.35);
        break;
    }
    if (IsSupported(spec.role)) {
      std::vector<std::string_view> pool(words_.visit_problems.begin(), words_.visit_problems.end());
      for (int k = 0; k < 6; ++k) {
        const size_t at = rng_.Index(pool.size());
        s.problems.push_back(pool[at]);
        pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(at));
      }
    }
    s.template_uses.assign(words_.school_recommendations.size(), 0);
    RETURN_IF_ERROR(Put(r).WithContext(r.name));
    ++summary_.schools;
    schools_.push_back(std::move(s));
  }
  return Status::Ok();
}

Person DistrictBuilder::NewPerson(bool female, std::vector<Role> roles, std::optional<Uuid> school,
                                  std::string& short_name) {
  std::string surname, name, patronymic, full;
  do {
    const std::string_view male_surname = rng_.Pick(words_.surnames);
    surname = female ? FemaleSurname(male_surname) : std::string(male_surname);
    name = female ? rng_.Pick(words_.female_names) : rng_.Pick(words_.male_names);
    const std::string_view father = rng_.Pick(words_.patronymics);
    patronymic = female ? FemalePatronymic(father) : std::string(father);
    full = surname + " " + name + " " + patronymic;
  } while (!used_names_.insert(full).second);
  short_name = surname + " " + FirstLetter(name) + "." + FirstLetter(patronymic) + ".";
  Person p;
  p.full_name = std::move(full);
  p.roles = std::move(roles);
  p.school_id = school;
  return p;
}

Status DistrictBuilder::AddPeople() {
  const auto& pattern = words_.staff;
  for (size_t s = 0; s < schools_.size(); ++s) {
    DemoSchool& school = schools_[s];
    const size_t first = teachers_.size();
    for (int64_t j = 0; j < school.record.teachers; ++j) {
      const auto& subjects = pattern[static_cast<size_t>(j) % pattern.size()];
      const std::string_view main = subjects.front();
      const bool mostly_men =
          main == "физическая культура" || main == "технология" || main == "физика" || main == "информатика";
      DemoTeacher t;
      t.school = s;
      t.record = NewPerson(rng_.Chance(mostly_men ? 0.45 : 0.88), {Role::kTeacher}, school.record.id, t.short_name);
      for (auto subject : subjects) t.record.subjects.emplace_back(subject);
      if (IsSupported(school.spec->role)) {
        t.base = rng_.Real(0.7, 1.6);
        t.growth = rng_.Chance(0.8) ? rng_.Real(0.25, 0.6) : rng_.Real(-0.05, 0.1);
      } else {
        t.base = rng_.Real(1.6, 2.4);
      }
      teachers_.push_back(std::move(t));
    }
    // Tutors are strong teachers of effective schools: the first teacher of their subject.
    for (const demo::TutorSpec& spec : words_.tutors) {
      if (spec.home != s) continue;
      for (size_t k = first; k < teachers_.size(); ++k) {
        Person& p = teachers_[k].record;
        const bool taken = std::find(p.roles.begin(), p.roles.end(), Role::kTutor) != p.roles.end();
        if (!taken && p.subjects.front() == spec.subject) {
          p.roles.push_back(Role::kTutor);
          tutors_.push_back({k, spec.subject, spec.schools});
          break;
        }
      }
    }
    for (size_t k = first; k < teachers_.size(); ++k) {
      RETURN_IF_ERROR(Put(teachers_[k].record).WithContext(teachers_[k].record.full_name));
      school.teachers.push_back(k);
      ++summary_.teachers;
    }
    if (IsSupported(school.spec->role)) {
      school.director = NewPerson(rng_.Chance(0.7), {Role::kDirector}, school.record.id, school.director_short);
      school.deputy = NewPerson(rng_.Chance(0.9), {Role::kDeputyDirector, Role::kSchoolCoordinator}, school.record.id,
                                school.deputy_short);
      RETURN_IF_ERROR(Put(school.director).WithContext(school.director.full_name));
      RETURN_IF_ERROR(Put(school.deputy).WithContext(school.deputy.full_name));
    }
  }
  if (tutors_.size() != words_.tutors.size()) {
    return Status::InvalidInput(
        "demo: a tutor of district.toml finds no teacher of their subject at their home school (a school's staff is "
        "the first entries of subjects.toml's staff, as many as its teachers)");
  }
  summary_.tutors = static_cast<int64_t>(tutors_.size());

  for (const demo::MentorSpec& spec : words_.mentors) {
    DemoMentor m;
    m.record =
        NewPerson(rng_.Chance(0.6), {Role::kMentor, Role::kDirector}, schools_[spec.home].record.id, m.short_name);
    RETURN_IF_ERROR(Put(m.record).WithContext(m.record.full_name));
    for (size_t s : spec.schools) schools_[s].mentor = mentors_.size();
    mentors_.push_back(std::move(m));
    ++summary_.mentors;
  }
  for (int k = 0; k < 2; ++k) {
    std::string short_name;
    Person c = NewPerson(rng_.Chance(0.8), {Role::kCoordinator}, std::nullopt, short_name);
    RETURN_IF_ERROR(Put(c).WithContext(c.full_name));
    coordinators_.push_back(std::move(short_name));
  }
  for (size_t t = 0; t < tutors_.size(); ++t) {
    for (size_t s : tutors_[t].schools) schools_[s].tutors.push_back(t);
  }
  return Status::Ok();
}

Status DistrictBuilder::AddAssignmentsAndAgreements() {
  const Date order_date = Workday(start_.AddDays(rng_.Int(2, 6)));
  for (size_t s = 0; s < schools_.size(); ++s) {
    const DemoSchool& school = schools_[s];
    if (!IsSupported(school.spec->role)) continue;
    if (school.mentor) {
      Assignment a;
      a.kind = AssignmentKind::kMentorSchool;
      a.assignee_id = mentors_[*school.mentor].record.id;
      a.school_id = school.record.id;
      a.starts_on = order_date;
      RETURN_IF_ERROR(Put(a).WithContext("mentor of " + school.record.name));
    }
    for (size_t t : school.tutors) {
      const DemoTutor& tutor = tutors_[t];
      Assignment a;
      a.kind = AssignmentKind::kTutorSchoolSubject;
      a.assignee_id = teachers_[tutor.teacher].record.id;
      a.school_id = school.record.id;
      a.subject = std::string(tutor.subject);
      a.starts_on = order_date;
      RETURN_IF_ERROR(Put(a).WithContext("tutor of " + school.record.name));
      int assigned = 0;
      for (size_t k : school.teachers) {
        const auto& subjects = teachers_[k].record.subjects;
        if (subjects.front() != tutor.subject || assigned == 3) continue;
        Assignment at;
        at.kind = AssignmentKind::kTutorTeacher;
        at.assignee_id = teachers_[tutor.teacher].record.id;
        at.school_id = school.record.id;
        at.teacher_id = teachers_[k].record.id;
        at.subject = std::string(tutor.subject);
        at.starts_on = order_date;
        RETURN_IF_ERROR(Put(at).WithContext("tutor of " + teachers_[k].record.full_name));
        tutored_.push_back({t, s, k});
        ++assigned;
      }
    }
    if (IsLowResults(school.spec->role)) {
      NetworkAgreement n;
      n.number = "СВ-" + std::to_string(s) + "/" + std::to_string(start_year_ % 100);
      n.signed_on = Workday(start_.AddDays(rng_.Int(12, 40)));
      n.supported_school_id = school.record.id;
      n.leader_school_id = schools_[words_.leader_school].record.id;
      n.model = school.spec->settlement == Settlement::kUrban ? NetworkModel::kHorizontal : NetworkModel::kVertical;
      n.ends_on = Ymd(start_year_ + 3, 8, 31);
      n.subject =
          "Совместная подготовка к ГИА по математике и русскому языку; взаимопосещение уроков; "
          "методические семинары и стажировки педагогов на базе школы-лидера";
      n.partner_kind = PartnerKind::kSchool;
      n.status = AgreementStatus::kActive;
      n.milestones = JoinLines(words_.leader_milestones);
      RETURN_IF_ERROR(Put(n).WithContext("network agreement of " + school.record.name));
      ++summary_.agreements;
    }
  }
  // The other agreements: a school or a social institution as the partner; active, ended or
  // still a draft.
  for (size_t i = 0; i < words_.agreements.size(); ++i) {
    const demo::AgreementSpec& spec = words_.agreements[i];
    const DemoSchool& school = schools_[spec.school];
    NetworkAgreement n;
    n.number =
        "СВ-" + std::to_string(spec.school) + "-" + std::to_string(i + 1) + "/" + std::to_string(start_year_ % 100);
    n.supported_school_id = school.record.id;
    if (spec.partner_school) {
      n.partner_kind = PartnerKind::kSchool;
      n.leader_school_id = schools_[*spec.partner_school].record.id;
    } else {
      n.partner_kind = PartnerKind::kInstitution;
      n.partner_name = spec.partner;
    }
    n.model = spec.model;
    n.subject = spec.subject;
    n.status = spec.status;
    n.milestones = JoinLines(spec.milestones);
    switch (spec.status) {
      case AgreementStatus::kActive:
        n.signed_on = Workday(start_.AddDays(more_.Int(20, 60)));
        n.ends_on = Ymd(start_year_ + 3, 8, 31);
        break;
      case AgreementStatus::kEnded:
        n.signed_on = Workday(start_.AddDays(more_.Int(15, 40)));
        n.ends_on = Ymd(start_year_ + 1, 5, 31);
        break;
      case AgreementStatus::kDraft:
        n.number += " (проект)";
        n.signed_on = Workday(today_.AddDays(-more_.Int(10, 30)));
        break;
    }
    RETURN_IF_ERROR(Put(n).WithContext("network agreement of " + school.record.name));
    ++summary_.agreements;
  }
  return Status::Ok();
}

// -----------------------------------------------------------------------------------------
// [SECTION] DistrictBuilder: visits, observations, consultations
// -----------------------------------------------------------------------------------------

std::vector<size_t> DistrictBuilder::SchoolTutorsBySubject(size_t school, std::string_view subject) const {
  std::vector<size_t> out;
  for (size_t t : schools_[school].tutors) {
    if (tutors_[t].subject == subject) out.push_back(t);
  }
  return out;
}

Status DistrictBuilder::AddActivity(size_t s) {
  // Two visit windows a month (days), term time only: no visits in June to August, none in
  // the first days of January or during the spring and autumn holidays.
  struct Window {
    int month, lo1, hi1, lo2, hi2;
  };
  static constexpr Window kWindows[] = {
      {9, 9, 13, 20, 27}, {10, 6, 14, 16, 24}, {11, 10, 14, 17, 27}, {12, 3, 12, 15, 24}, {1, 13, 17, 20, 29},
      {2, 3, 13, 16, 27}, {3, 3, 13, 16, 20},  {4, 6, 14, 16, 28},   {5, 12, 16, 19, 23},
  };
  for (int sy = start_year_; Ymd(sy, 9, 1) <= today_; ++sy) {
    for (const Window& w : kWindows) {
      const int year = YearOf(sy, w.month);
      for (int slot = 0; slot < 2; ++slot) {
        const int day = slot == 0 ? rng_.Int(w.lo1, w.hi1) : rng_.Int(w.lo2, w.hi2);
        const Date date = Workday(Ymd(year, w.month, day));
        if (date > today_) return Status::Ok();
        const bool first = schools_[s].visits.empty();
        if (!first && rng_.Chance(0.08)) continue;  // the road was closed, a quarantine, ...
        RETURN_IF_ERROR(AddVisit(s, date, first));
      }
      // Between visits: a remote consultation with a teacher, a call with the management.
      const Date remote = Workday(Ymd(year, w.month, rng_.Int(5, 26)));
      if (remote <= today_ && rng_.Chance(0.5) && !schools_[s].tutors.empty()) {
        const size_t tutor = schools_[s].tutors[rng_.Index(schools_[s].tutors.size())];
        RETURN_IF_ERROR(AddConsultation(s, remote, ConsultationFormat::kRemote, false, tutor));
      }
      const Date call = Workday(Ymd(year, w.month, rng_.Int(5, 26)));
      if (call <= today_ && rng_.Chance(0.25)) {
        RETURN_IF_ERROR(AddConsultation(s, call, ConsultationFormat::kPhone, true, std::nullopt));
      }
    }
  }
  return Status::Ok();
}

std::vector<PlannedLesson> DistrictBuilder::PlanLessons(size_t s, bool mentor_present,
                                                        const std::vector<size_t>& tutors, int count) {
  const DemoSchool& school = schools_[s];
  std::vector<PlannedLesson> out;
  std::vector<size_t> picked;
  for (int k = 0; k < count; ++k) {
    const bool by_mentor = tutors.empty() || (mentor_present && k == count - 1 && rng_.Chance(0.4));
    std::optional<size_t> tutor;
    if (!by_mentor) tutor = tutors[static_cast<size_t>(k) % tutors.size()];
    // The candidates: teachers of the tutor's subject (any teacher for a mentor), least
    // observed first, never twice in one visit.
    // A mentor mostly sees lessons of the subjects the school is judged by.
    const bool core_only = !tutor && rng_.Chance(0.9);
    std::vector<size_t> candidates;
    for (size_t t : school.teachers) {
      if (std::find(picked.begin(), picked.end(), t) != picked.end()) continue;
      const auto& subjects = teachers_[t].record.subjects;
      if (tutor && std::find(subjects.begin(), subjects.end(), tutors_[*tutor].subject) == subjects.end()) continue;
      if (core_only && IsMinorSubject(subjects.front())) continue;
      candidates.push_back(t);
    }
    if (candidates.empty() && tutor && out.empty()) {
      // A tutor with no teacher of their subject left still sees one lesson of another.
      tutor.reset();
      for (size_t t : school.teachers) {
        if (std::find(picked.begin(), picked.end(), t) == picked.end()) candidates.push_back(t);
      }
    }
    if (candidates.empty()) continue;
    int least = teachers_[candidates.front()].observed;
    for (size_t t : candidates) least = std::min(least, teachers_[t].observed);
    std::vector<size_t> fair;
    for (size_t t : candidates) {
      if (teachers_[t].observed <= least + 1) fair.push_back(t);
    }
    const size_t teacher = rng_.Pick(fair);
    picked.push_back(teacher);
    PlannedLesson lesson;
    lesson.teacher = teacher;
    if (tutor) {
      lesson.observer = teachers_[tutors_[*tutor].teacher].record.id;
      lesson.subject = tutors_[*tutor].subject;
    } else {
      lesson.observer = mentors_[*school.mentor].record.id;
      const auto& subjects = teachers_[teacher].record.subjects;
      lesson.subject = SubjectOf(rng_.Chance(0.75) ? subjects.front() : subjects[rng_.Index(subjects.size())]).name;
    }
    out.push_back(lesson);
  }
  return out;
}

Status DistrictBuilder::AddVisit(size_t s, Date date, bool first) {
  DemoSchool& school = schools_[s];
  const double years = YearsSinceStart(date);
  const bool mentor_present = first || rng_.Chance(0.5);

  // Who comes: on the first (diagnostic) visit the mentor with the mathematics and Russian
  // tutors; later the mentor, a tutor or two, or both.
  std::vector<size_t> tutors;
  if (first) {
    for (std::string_view subject : {std::string_view("математика"), std::string_view("русский язык")}) {
      const auto found = SchoolTutorsBySubject(s, subject);
      if (!found.empty()) tutors.push_back(found.front());
    }
  } else if (!school.tutors.empty() && (!mentor_present || rng_.Chance(0.35))) {
    // Mathematics and Russian tutors come twice as often.
    std::vector<size_t> weighted;
    for (size_t t : school.tutors) {
      weighted.push_back(t);
      if (tutors_[t].subject == "математика" || tutors_[t].subject == "русский язык") weighted.push_back(t);
    }
    tutors.push_back(rng_.Pick(weighted));
    if (!mentor_present && rng_.Chance(0.3)) {
      const size_t second = rng_.Pick(weighted);
      if (second != tutors.front()) tutors.push_back(second);
    }
  }

  std::vector<VisitPurpose> purposes;
  if (first) {
    purposes = {VisitPurpose::kDiagnostics, VisitPurpose::kLessonObservations};
  } else if (mentor_present) {
    const bool spring = date.month() == 4 || date.month() == 5;
    bool overdue_recs = false;
    for (const auto& r : recommendations_) {
      if (r.school == s && r.due < date) overdue_recs = true;
    }
    if (rng_.Chance(0.6)) purposes.push_back(VisitPurpose::kConsultation);
    if (rng_.Chance(spring ? 0.8 : 0.4)) purposes.push_back(VisitPurpose::kMonitoring);
    if (overdue_recs && rng_.Chance(0.6)) purposes.push_back(VisitPurpose::kFollowUp);
    if (purposes.empty()) purposes.push_back(VisitPurpose::kConsultation);
    purposes.push_back(VisitPurpose::kLessonObservations);
  } else {
    purposes.push_back(VisitPurpose::kLessonObservations);
    if (rng_.Chance(0.3)) purposes.push_back(VisitPurpose::kMethodologicalEvent);
    if (rng_.Chance(0.25)) purposes.push_back(VisitPurpose::kConsultation);
  }
  std::sort(purposes.begin(), purposes.end());

  const std::vector<PlannedLesson> lessons = PlanLessons(s, mentor_present, tutors, first ? 3 : rng_.Int(1, 3));

  Visit v;
  v.school_id = school.record.id;
  v.date = date;
  if (mentor_present) v.visitor_ids.push_back(mentors_[*school.mentor].record.id);
  for (size_t t : tutors) v.visitor_ids.push_back(teachers_[tutors_[t].teacher].record.id);
  v.purposes = purposes;

  std::vector<std::string> observed;
  std::vector<std::string> observed_subjects;
  for (const auto& l : lessons) {
    observed.push_back(teachers_[l.teacher].short_name + " (" + std::string(l.subject) + ")");
    if (std::find(observed_subjects.begin(), observed_subjects.end(), l.subject) == observed_subjects.end()) {
      observed_subjects.emplace_back(l.subject);
    }
  }
  v.met_with = mentor_present
                   ? "Директор " + school.director_short + ", заместитель директора по УВР " + school.deputy_short
                   : "Заместитель директора по УВР " + school.deputy_short;
  if (!observed.empty()) v.met_with += "; учителя " + JoinRu(observed);

  std::vector<std::string> summary;
  for (VisitPurpose p : purposes) {
    switch (p) {
      case VisitPurpose::kDiagnostics:
        summary.emplace_back(
            "Проведена входная управленческая диагностика: изучены результаты ВПР и ГИА за три года, "
            "рабочие программы, план ВСОКО, расписание и кадровый состав.");
        break;
      case VisitPurpose::kConsultation:
        summary.emplace_back(mentor_present ? "Проведена консультация с управленческой командой школы."
                                            : "Проведена консультация для учителей по итогам посещённых уроков.");
        break;
      case VisitPurpose::kLessonObservations:
        summary.push_back("Посещено уроков: " + std::to_string(lessons.size()) + " (" + JoinRu(observed_subjects) +
                          "); после каждого урока проведено обсуждение с учителем.");
        break;
      case VisitPurpose::kMonitoring:
        summary.emplace_back(date.month() == 4 || date.month() == 5
                                 ? "Проанализированы итоги пробных работ и готовность обучающихся к ВПР и ГИА."
                                 : "Проведён мониторинг выполнения программы перехода и плана мероприятий.");
        break;
      case VisitPurpose::kMethodologicalEvent:
        summary.push_back("Проведён методический семинар для педагогов школы «" + rng_.Pick(words_.seminars) + "».");
        break;
      case VisitPurpose::kFollowUp:
        summary.emplace_back(
            "Проверено выполнение рекомендаций предыдущих выездов; по невыполненным согласованы новые сроки.");
        break;
    }
  }
  v.summary = JoinSentences(summary);

  std::vector<std::string> strengths;
  strengths.emplace_back(rng_.Pick(words_.visit_strengths));
  if (years > 0.7 && rng_.Chance(0.6)) strengths.emplace_back(rng_.Pick(words_.visit_progress));
  if (strengths.size() == 1 && rng_.Chance(0.4)) {
    const std::string_view more = rng_.Pick(words_.visit_strengths);
    if (more != strengths.front()) strengths.emplace_back(more);
  }
  v.strengths = JoinSentences(strengths);

  const int problem_count = years < 1.0 ? 2 : rng_.Chance(0.25) ? 0 : 1;
  std::vector<std::string> problems;
  for (int k = 0; k < problem_count; ++k) {
    const std::string_view p = rng_.Pick(school.problems);
    if (std::find(problems.begin(), problems.end(), p) == problems.end()) problems.emplace_back(p);
  }
  v.problems = problems.empty() ? "Новых существенных проблем не выявлено." : JoinSentences(problems);

  RETURN_IF_ERROR(Put(v).WithContext("visit to " + school.record.name + " on " + date.ToString()));
  ++summary_.visits;
  school.visits.push_back(visits_.size());
  visits_.push_back({v.id, s, date, v.visitor_ids});
  for (const Uuid& who : v.visitor_ids) facts_.push_back({PlanActivity::kVisit, who, s, std::nullopt, date});
  const DemoVisit visit = visits_.back();

  for (const auto& lesson : lessons) RETURN_IF_ERROR(AddObservation(s, visit, lesson));

  if (mentor_present) {
    const int count = first ? 2 : rng_.Chance(0.75) ? (rng_.Chance(0.3) ? 2 : 1) : 0;
    for (int k = 0; k < count; ++k) RETURN_IF_ERROR(AddSchoolRecommendation(visit.id, date, s));
  } else if (rng_.Chance(0.25)) {
    RETURN_IF_ERROR(AddSchoolRecommendation(visit.id, date, s));
  }
  if (std::find(purposes.begin(), purposes.end(), VisitPurpose::kConsultation) != purposes.end()) {
    std::optional<size_t> tutor;
    if (!tutors.empty()) tutor = tutors.front();
    RETURN_IF_ERROR(AddConsultation(s, date, ConsultationFormat::kInPerson, mentor_present || !tutor, tutor));
  }
  return Status::Ok();
}

Status DistrictBuilder::AddObservation(size_t s, const DemoVisit& visit, const PlannedLesson& lesson) {
  const DemoSchool& school = schools_[s];
  DemoTeacher& teacher = teachers_[lesson.teacher];
  const double years = YearsSinceStart(visit.date);

  // The lesson: a topic of the subject, within the grades the school teaches.
  std::vector<const LessonTopic*> topics;
  for (const auto& t : words_.topics) {
    if (t.teacher_subject == lesson.subject && (HasUpperGrades(*school.spec) || t.grade <= 9)) topics.push_back(&t);
  }
  if (topics.empty()) return Status::Internal("demo: no lesson topics for " + std::string(lesson.subject));
  const LessonTopic& topic = *rng_.Pick(topics);

  Observation o;
  o.visit_id = visit.id;
  o.school_id = school.record.id;
  o.teacher_id = teacher.record.id;
  o.observer_id = lesson.observer;
  const double kind = rng_.Real();
  o.kind = years > 0.5 && kind < 0.08   ? ObservationKind::kOpenLesson
           : years > 0.3 && kind < 0.14 ? ObservationKind::kPeerVisit
                                        : ObservationKind::kObservation;
  o.subject = std::string(topic.lesson_subject);
  o.grade = topic.grade;
  static constexpr std::string_view kLetters[] = {"А", "Б", "В"};
  const bool parallel_classes = school.record.pupils >= 300;
  o.class_label = std::to_string(topic.grade) + std::string(parallel_classes ? rng_.Pick(kLetters) : kLetters[0]);
  o.date = visit.date;
  o.topic = std::string(topic.text);
  o.rubric_code = rubric_.code;
  o.rubric_version = rubric_.version;

  // Scores: the teacher's level rises slowly with support; a lesson has its own good or bad day.
  const int class_size = parallel_classes
                             ? rng_.Int(18, 27)
                             : std::max(4, static_cast<int>(std::lround(static_cast<double>(school.record.pupils) /
                                                                        11.0 * rng_.Real(0.8, 1.2))));
  const std::string n_text = std::to_string(class_size);
  const std::string k_text = std::to_string(std::max(2, std::min(class_size / 3, rng_.Int(3, 6))));
  const std::string m_text = std::to_string(rng_.Int(8, 15));
  const double lesson_shift = rng_.Noise() * 0.25;
  DemoObservation planned;
  planned.date = visit.date;
  std::vector<ObservationScore> scores;
  std::vector<std::pair<int, const CriterionNotes*>> scored;  // (level, notes) of observed criteria
  for (const RubricCriterion& c : rubric_.criteria) {
    const CriterionNotes* notes = NotesFor(c.code);
    ObservationScore score;
    score.criterion_code = c.code;
    std::optional<int> level;
    if (!rng_.Chance(NotObservedChance(c.code))) {
      const double v =
          teacher.base + CriterionOffset(c.code) + teacher.growth * years + lesson_shift + rng_.Noise() * 0.4;
      level = static_cast<int>(Clamp(std::round(v), 0, 3));
    }
    if (level) {
      score.level = RubricLevel(*level);
      const std::string_view text = notes ? std::string_view(rng_.Pick(notes->evidence[static_cast<size_t>(*level)]))
                                          : std::string_view("См. протокол урока.");
      score.evidence = Fill(text, {{"{n}", n_text}, {"{k}", k_text}, {"{m}", m_text}});
      if (notes) scored.emplace_back(*level, notes);
    } else {
      score.evidence = Fill(rng_.Pick(words_.not_observed_evidence), {{"{m}", std::to_string(rng_.Int(20, 30))}});
    }
    planned.levels.push_back(level);
    scores.push_back(std::move(score));
  }

  // Strengths: the two best criteria at level 2+; growth areas: the two weakest at 1 or below.
  // Ties are broken at random, so no criterion is everyone's "weakest" by its rubric position.
  struct Ranked {
    int level;
    uint64_t tie;
    const CriterionNotes* notes;
  };
  std::vector<Ranked> ranked;
  for (const auto& [level, notes] : scored) {
    ranked.push_back({level, static_cast<uint64_t>(rng_.Int(0, 1 << 30)), notes});
  }
  std::sort(ranked.begin(), ranked.end(),
            [](const Ranked& a, const Ranked& b) { return a.level != b.level ? a.level < b.level : a.tie < b.tie; });
  std::vector<std::string> strengths, growth;
  for (auto it = ranked.rbegin(); it != ranked.rend() && strengths.size() < 2; ++it) {
    if (it->level >= 2) strengths.emplace_back(it->notes->strength);
  }
  for (auto it = ranked.begin(); it != ranked.end() && growth.size() < 2; ++it) {
    if (it->level <= 1) growth.emplace_back(it->notes->growth);
  }
  const std::string_view weakest = ranked.empty() ? std::string_view() : ranked.front().notes->code;
  if (strengths.empty()) strengths.emplace_back(rng_.Pick(words_.generic_strengths));
  if (growth.empty()) growth.emplace_back(rng_.Pick(words_.generic_growth));
  o.strengths = JoinSentences(strengths);
  o.growth_areas = JoinSentences(growth);
  std::string next = "Договорились с учителем: ";
  for (const auto& t : words_.teacher_recommendations) {
    if (t.criterion == weakest) {
      next += LowerFirst(Fill(t.text, {{"{po}", SubjectOf(o.subject).po}}));
      break;
    }
  }
  next += ". Повторное посещение — через 3–4 недели.";
  o.next_steps = weakest.empty() ? "Продолжить работу по ИОМ; повторное посещение — в следующей четверти." : next;
  o.discussion_held = rng_.Chance(0.92);

  ASSIGN_OR_RETURN(Observation saved, SaveObservation(store_, std::move(o), scores));
  ++summary_.observations;
  facts_.push_back({PlanActivity::kObservation, saved.observer_id, s, saved.teacher_id, saved.date});
  planned.id = saved.id;
  teacher.observations.push_back(observations_.size());
  ++teacher.observed;
  observations_.push_back(std::move(planned));

  if (!weakest.empty() && rng_.Chance(teacher.observed == 1 ? 0.7 : 0.5)) {
    RETURN_IF_ERROR(AddTeacherRecommendation(SourceKind::kObservation, saved.id, visit.date, lesson.teacher, weakest,
                                             saved.subject));
  }
  return Status::Ok();
}

Status DistrictBuilder::AddConsultation(size_t s, Date date, ConsultationFormat format, bool management,
                                        std::optional<size_t> tutor) {
  const DemoSchool& school = schools_[s];
  Consultation c;
  c.school_id = school.record.id;
  c.date = date;
  c.format = format;
  std::optional<size_t> teacher;
  std::string po = "по предмету";
  std::vector<const ConsultationText*> texts;
  if (management || !tutor) {
    c.audience = ConsultationAudience::kManagementTeam;
    c.consultant_id = mentors_[*school.mentor].record.id;
    // In the first autumn the transition programme comes first.
    const bool early = YearsSinceStart(date) < 0.35;
    const ConsultationText* first = &rng_.Pick(words_.management_consultations);
    if (early && rng_.Chance(0.5)) {
      std::vector<const ConsultationText*> programme;
      for (const auto& t : words_.management_consultations) {
        if (t.topic == ConsultationTopic::kTransitionProgramme) programme.push_back(&t);
      }
      first = rng_.Pick(programme);
    }
    texts.push_back(first);
    if (rng_.Chance(0.35)) {
      const ConsultationText* second = &rng_.Pick(words_.management_consultations);
      if (second->topic != first->topic) texts.push_back(second);
    }
  } else {
    c.audience = ConsultationAudience::kTeacher;
    c.consultant_id = teachers_[tutors_[*tutor].teacher].record.id;
    std::vector<size_t> candidates;
    for (size_t t : school.teachers) {
      const auto& subjects = teachers_[t].record.subjects;
      if (std::find(subjects.begin(), subjects.end(), tutors_[*tutor].subject) != subjects.end()) {
        candidates.push_back(t);
      }
    }
    if (candidates.empty()) candidates = school.teachers;
    teacher = rng_.Pick(candidates);
    c.teacher_id = teachers_[*teacher].record.id;
    po = SubjectOf(tutors_[*tutor].subject).po;
    const bool primary = tutors_[*tutor].subject == "начальные классы";
    std::vector<const ConsultationText*> fitting;
    for (const auto& t : words_.teacher_consultations) {
      if (!primary || (!AboutUpperGrades(t.question) && !AboutUpperGrades(t.recommendation))) fitting.push_back(&t);
    }
    if (fitting.empty()) {
      return Status::InvalidInput(
          "demo: every teacher_consultation of visits.toml is about grades 8-11; a primary teacher needs one that is "
          "not");
    }
    texts.push_back(rng_.Pick(fitting));
  }
  const std::string due = RuDate(date.AddDays(14));
  std::vector<std::string> questions, advice, follow_ups;
  for (const ConsultationText* t : texts) {
    c.topics.push_back(t->topic);
    questions.emplace_back(t->question);
    advice.emplace_back(t->advice);
    follow_ups.push_back(Fill(t->follow_up, {{"{date}", due}}));
  }
  c.questions = JoinSentences(questions);
  c.advice = JoinSentences(advice);
  c.follow_ups = JoinSentences(follow_ups);
  c.minutes = format == ConsultationFormat::kInPerson ? 5 * rng_.Int(8, 18)
              : format == ConsultationFormat::kRemote ? 5 * rng_.Int(6, 12)
                                                      : 5 * rng_.Int(2, 5);
  RETURN_IF_ERROR(Put(c).WithContext("consultation at " + school.record.name + " on " + date.ToString()));
  ++summary_.consultations;
  facts_.push_back({PlanActivity::kConsultation, c.consultant_id, s, c.teacher_id, date});

  if (rng_.Chance(0.2)) {
    Recommendation r;
    r.source_kind = SourceKind::kConsultation;
    r.source_id = c.id;
    r.school_id = school.record.id;
    r.text = Fill(texts.front()->recommendation, {{"{po}", po}});
    r.created_on = date;
    r.due_on = date.AddDays(rng_.Int(14, 42));
    if (teacher) {
      r.teacher_id = teachers_[*teacher].record.id;
      r.responsible_id = teachers_[*teacher].record.id;
    } else {
      r.responsible_id = rng_.Chance(0.6) ? school.deputy.id : school.director.id;
    }
    RETURN_IF_ERROR(AddRecommendation(std::move(r), s, "Подтверждающие материалы представлены наставнику."));
  }
  return Status::Ok();
}

Status DistrictBuilder::AddTeacherRecommendation(SourceKind source_kind, const Uuid& source, Date date,
                                                 size_t teacher_index, std::string_view weakest_criterion,
                                                 std::string_view subject) {
  DemoTeacher& teacher = teachers_[teacher_index];
  std::vector<int> choices;
  const bool general = rng_.Chance(0.25);
  const bool primary = teacher.record.subjects.front() == "начальные классы";
  for (size_t i = 0; i < words_.teacher_recommendations.size(); ++i) {
    const auto& t = words_.teacher_recommendations[i];
    const bool fits = general ? t.criterion.empty() : t.criterion == weakest_criterion;
    if (!fits || static_cast<int>(i) == teacher.last_template || (primary && AboutUpperGrades(t.text))) continue;
    choices.push_back(static_cast<int>(i));
  }
  if (choices.empty()) return Status::Ok();
  const int chosen = rng_.Pick(choices);
  teacher.last_template = chosen;
  const RecommendationTemplate& t = words_.teacher_recommendations[static_cast<size_t>(chosen)];

  Recommendation r;
  r.source_kind = source_kind;
  r.source_id = source;
  r.school_id = teacher.record.school_id.value_or(Uuid());
  r.teacher_id = teacher.record.id;
  r.responsible_id = teacher.record.id;
  r.text = Fill(t.text, {{"{po}", SubjectOf(subject).po}});
  r.created_on = date;
  r.due_on = date.AddDays(rng_.Int(14, 42));
  return AddRecommendation(std::move(r), teacher.school, t.evidence);
}

Status DistrictBuilder::AddSchoolRecommendation(const Uuid& visit, Date date, size_t s) {
  DemoSchool& school = schools_[s];
  // The least used recommendations of this school first, so that texts vary over the years.
  const int least = *std::min_element(school.template_uses.begin(), school.template_uses.end());
  std::vector<size_t> choices;
  for (size_t i = 0; i < school.template_uses.size(); ++i) {
    if (school.template_uses[i] == least) choices.push_back(i);
  }
  const size_t chosen = rng_.Pick(choices);
  ++school.template_uses[chosen];
  const RecommendationTemplate& t = words_.school_recommendations[chosen];

  Recommendation r;
  r.source_kind = SourceKind::kVisit;
  r.source_id = visit;
  r.school_id = school.record.id;
  r.text = t.text;
  const double who = rng_.Real();
  if (who < 0.6) {
    r.responsible_id = school.deputy.id;
  } else if (who < 0.9) {
    r.responsible_id = school.director.id;
  } else {
    r.responsible_name = "Руководитель школьного методического объединения";
  }
  r.created_on = date;
  r.due_on = date.AddDays(rng_.Int(21, 56));
  return AddRecommendation(std::move(r), s, t.evidence);
}

Status DistrictBuilder::AddRecommendation(Recommendation rec, size_t school, std::string_view evidence) {
  RETURN_IF_ERROR(Put(rec).WithContext("recommendation «" + rec.text + "»"));
  ++summary_.recommendations;
  recommendations_.push_back({rec.id, school, rec.created_on, rec.due_on, evidence});
  return Status::Ok();
}

// -----------------------------------------------------------------------------------------
// [SECTION] DistrictBuilder: recommendation progress and deficits
// -----------------------------------------------------------------------------------------

Status DistrictBuilder::ProgressRecommendations() {
  for (const DemoRecommendation& plan : recommendations_) RETURN_IF_ERROR(ProgressOne(plan));
  return Status::Ok();
}

// Moves one recommendation to where it would be today, each step dated when it happened.
Status DistrictBuilder::ProgressOne(const DemoRecommendation& plan) {
  enum class Outcome { kOpen, kInProgress, kDone, kDropped, kReopened };
  Outcome outcome = Outcome::kDone;
  const int days_since_created = today_.days() - plan.created.days();
  const int days_overdue = today_.days() - plan.due.days();
  const double roll = rng_.Real();
  if (days_overdue <= 0) {
    // Not due yet.
    if (days_since_created < 7) {
      outcome = Outcome::kOpen;
    } else {
      outcome = roll < 0.4 ? Outcome::kOpen : roll < 0.85 ? Outcome::kInProgress : Outcome::kDone;
    }
  } else {
    // Due: most are done; recently due ones are more often still open.
    const double overdue = days_overdue <= 45 ? 0.3 : 0.035;
    if (roll < overdue) {
      outcome = rng_.Chance(0.4) ? Outcome::kOpen : Outcome::kInProgress;
    } else if (roll < overdue + 0.04) {
      outcome = Outcome::kDropped;
    } else if (roll < overdue + 0.08 && days_overdue > 30) {
      outcome = Outcome::kReopened;
    }
  }
  if (outcome == Outcome::kOpen) {
    if (days_overdue > 0) ++summary_.overdue_recommendations;
    return Status::Ok();
  }

  // Most closed ones went through "in progress" first; some were done at once.
  Recommendation rec;
  const Date started = Earlier(today_, plan.created.AddDays(7));
  if (outcome == Outcome::kInProgress || rng_.Chance(0.6)) {
    ASSIGN_OR_RETURN(rec, AdvanceRecommendation(store_, plan.id, RecommendationStatus::kInProgress,
                                                rng_.Pick(words_.progress_notes), std::nullopt, started));
  }
  if (outcome == Outcome::kInProgress) {
    if (days_overdue > 0) ++summary_.overdue_recommendations;
    return Status::Ok();
  }

  // When the work was checked: at the first visit to the school near or after the due date,
  // else on a day before it.
  std::optional<DemoVisit> check;
  const Date earliest = Later(plan.created.AddDays(7), plan.due.AddDays(-10));
  for (size_t v : schools_[plan.school].visits) {
    const DemoVisit& visit = visits_[v];
    if (visit.date >= earliest && visit.date <= Earlier(today_, plan.due.AddDays(21))) {
      check = visit;
      break;
    }
  }
  Date closed;
  std::optional<Uuid> verified;
  if (outcome != Outcome::kDropped && check && rng_.Chance(0.75)) {
    closed = check->date;
    verified = check->id;
  } else {
    const int span = std::max(1, plan.due.days() - plan.created.days());
    closed = Earlier(today_, plan.created.AddDays(rng_.Int(std::max(1, span / 2), span + 5)));
    if (closed <= plan.created) closed = Earlier(today_, plan.created.AddDays(1));
  }

  if (outcome == Outcome::kDropped) {
    return AdvanceRecommendation(store_, plan.id, RecommendationStatus::kDropped, rng_.Pick(words_.drop_notes),
                                 std::nullopt, closed)
        .status()
        .WithContext("recommendation " + plan.id.ToString());
  }
  ASSIGN_OR_RETURN(rec, AdvanceRecommendation(store_, plan.id, RecommendationStatus::kDone,
                                              rng_.Pick(words_.done_notes), verified, closed));
  rec.evidence = std::string(plan.evidence);
  RETURN_IF_ERROR(Put(rec).WithContext("recommendation «" + rec.text + "»"));
  if (outcome != Outcome::kReopened) return Status::Ok();
  const Date reopened = Earlier(today_, closed.AddDays(14));
  ASSIGN_OR_RETURN(rec, ReopenRecommendation(store_, plan.id, rng_.Pick(words_.reopen_reasons), reopened));
  if (rng_.Chance(0.5)) {
    ASSIGN_OR_RETURN(rec, AdvanceRecommendation(store_, plan.id, RecommendationStatus::kInProgress,
                                                rng_.Pick(words_.progress_notes), std::nullopt, reopened));
  }
  // The new term runs from the school's latest visit.
  Date last_visit = closed;
  for (size_t v : schools_[plan.school].visits) last_visit = Later(last_visit, visits_[v].date);
  rec.due_on = Later(rec.due_on, last_visit.AddDays(rng_.Int(21, 35)));
  if (IsOverdue(rec, today_)) ++summary_.overdue_recommendations;
  return Put(rec).WithContext("recommendation «" + rec.text + "»");
}

Status DistrictBuilder::AddDeficits() {
  // Found in lessons: a criterion at level 0-1 may become a deficit, closed when a later
  // lesson (at least six weeks on) shows level 2 or more.
  for (DemoTeacher& teacher : teachers_) {
    if (teacher.observations.empty()) continue;
    std::vector<Deficit> found;
    std::vector<size_t> criterion_of;
    for (size_t o : teacher.observations) {
      const DemoObservation& obs = observations_[o];
      for (size_t c = 0; c < obs.levels.size(); ++c) {
        const auto& level = obs.levels[c];
        if (!level) continue;
        const auto it = std::find(criterion_of.begin(), criterion_of.end(), c);
        if (it != criterion_of.end()) {
          Deficit& d = found[static_cast<size_t>(it - criterion_of.begin())];
          if (!d.closed_on && *level >= 2 && obs.date >= d.found_on.AddDays(45) && rng_.Chance(0.8)) {
            d.closed_on = obs.date;
            d.notes += " Закрыт по итогам посещения урока " + RuDate(obs.date) + ".";
          }
          continue;
        }
        const CriterionNotes* notes = NotesFor(rubric_.criteria[c].code);
        if (notes == nullptr || *level > 1 || found.size() >= 2 || !rng_.Chance(0.25)) continue;
        Deficit d;
        d.teacher_id = teacher.record.id;
        d.area = notes->deficit_area;
        d.found_on = obs.date;
        d.found_by = DeficitSource::kObservation;
        d.observation_id = obs.id;
        const demo::DeficitRemedyNote& remedy = rng_.Pick(words_.remedies);
        d.remedy = remedy.remedy;
        d.notes = remedy.note;
        found.push_back(std::move(d));
        criterion_of.push_back(c);
      }
    }
    const size_t index = static_cast<size_t>(&teacher - teachers_.data());
    for (Deficit& d : found) deficits_.push_back({std::move(d), index});
  }

  // Found by the subject diagnostics at the start of support.
  for (const DemoSchool& school : schools_) {
    if (!IsSupported(school.spec->role) || school.visits.empty()) continue;
    const Date diagnostics = visits_[school.visits.front()].date;
    for (size_t t : school.teachers) {
      const DemoTeacher& teacher = teachers_[t];
      std::vector<std::string_view> areas;
      for (const auto& sd : words_.subject_deficits) {
        if (sd.subject == teacher.record.subjects.front()) areas.push_back(sd.area);
      }
      if (areas.empty() || !rng_.Chance(0.3)) continue;
      Deficit d;
      d.teacher_id = teacher.record.id;
      d.area = std::string(rng_.Pick(areas));
      d.found_on = Workday(diagnostics.AddDays(rng_.Int(7, 30)));
      if (d.found_on > today_) continue;
      d.found_by = rng_.Chance(0.5) ? DeficitSource::kTest : DeficitSource::kDiagnostics;
      d.remedy = rng_.Chance(0.6) ? DeficitRemedy::kCourse : DeficitRemedy::kSeminar;
      d.notes = d.remedy == DeficitRemedy::kCourse
                    ? "Диагностика предметных компетенций ЦНППМ; направлен на КПК (36 ч)."
                    : "Диагностика предметных компетенций ЦНППМ; участие в семинарах школы-лидера.";
      const Date closed = d.found_on.AddDays(rng_.Int(150, 280));
      if (closed <= today_ && rng_.Chance(0.55)) {
        d.closed_on = closed;
        d.notes += " Повторная диагностика " + RuDate(closed) + ": дефицит устранён.";
      }
      deficits_.push_back({std::move(d), t});
    }
  }
  return Status::Ok();  // saved by AddRoutesAndTrainings, with what closed them
}

// -----------------------------------------------------------------------------------------
// [SECTION] DistrictBuilder: roadmap, assessment results, context indicators
// -----------------------------------------------------------------------------------------

Status DistrictBuilder::AddRoadmap() {
  const auto add = [&](const RoadmapSpec& spec, int sy, std::optional<size_t> school) -> Status {
    if (spec.first_year_only && sy != start_year_) return Status::Ok();
    RoadmapItem item;
    item.starts_on = Ymd(YearOf(sy, spec.start_month), spec.start_month, spec.start_day);
    item.ends_on = Ymd(YearOf(sy, spec.end_month), spec.end_month, spec.end_day);
    if (item.starts_on > today_) return Status::Ok();  // only what has begun: nothing dated after today
    item.title = spec.title;
    item.participants = spec.participants;
    item.planned_result = spec.planned_result;
    if (school) {
      const DemoSchool& s = schools_[*school];
      item.level = RoadmapLevel::kSchool;
      item.school_id = s.record.id;
      item.responsible = spec.responsible == "deputy" ? "Заместитель директора по УВР " + s.deputy_short
                                                      : "Директор " + s.director_short;
    } else {
      item.level = RoadmapLevel::kDistrict;
      item.responsible = spec.responsible;
      // The district coordinators: one at the education office, one at the methodological office.
      if (spec.responsible.starts_with("Управление образования")) {
        item.responsible += " (" + coordinators_[0] + ")";
      } else if (spec.responsible.starts_with("Методический кабинет")) {
        item.responsible += " (" + coordinators_[1] + ")";
      }
    }
    if (item.ends_on < today_) {
      if (rng_.Chance(0.06)) {
        item.status = RoadmapStatus::kCancelled;
        item.report = rng_.Pick(words_.roadmap_cancelled);
      } else {
        item.status = RoadmapStatus::kDone;
        item.report = Fill(rng_.Pick(words_.roadmap_reports), {{"{k}", std::to_string(rng_.Int(12, 46))}});
        // Mostly done by the end date, some late (never after today).
        Date done =
            more_.Chance(0.15) ? item.ends_on.AddDays(more_.Int(3, 35)) : item.ends_on.AddDays(-more_.Int(0, 20));
        done = Workday(Later(item.starts_on, Earlier(done, today_)));
        if (done < item.starts_on) done = item.starts_on;
        item.done_on = done;
        const std::string n = std::to_string(more_.Int(3, 180));
        const std::string code = school ? schools_[*school].record.code : std::string();
        item.evidence = Fill(more_.Pick(school ? words_.school_evidence : words_.district_evidence),
                             {{"{n}", n}, {"{date}", RuDate(done)}, {"{code}", code}});
      }
    } else {
      item.status = RoadmapStatus::kInProgress;
      item.report = "Выполняется по графику.";
    }
    RETURN_IF_ERROR(Put(item).WithContext("roadmap item «" + item.title + "»"));
    ++summary_.roadmap_items;
    return Status::Ok();
  };
  for (int sy = start_year_; Ymd(sy, 9, 1) <= today_; ++sy) {
    for (const RoadmapSpec& spec : words_.district_roadmap) RETURN_IF_ERROR(add(spec, sy, std::nullopt));
    for (size_t s = 0; s < schools_.size(); ++s) {
      if (!IsSupported(schools_[s].spec->role)) continue;
      for (const RoadmapSpec& spec : words_.school_roadmap) RETURN_IF_ERROR(add(spec, sy, s));
    }
  }
  return Status::Ok();
}

Status DistrictBuilder::AddAssessmentResults() {
  // The spring before support began (the baseline), then every spring since whose results are
  // out (from July).
  const int last_year = today_.month() >= 7 ? today_.year() : today_.year() - 1;
  struct Line {
    Assessment assessment;
    int grade;
    std::string_view subject;
  };
  static constexpr Line kLines[] = {
      {Assessment::kVpr, 4, "русский язык"},    {Assessment::kVpr, 4, "математика"},
      {Assessment::kVpr, 4, "окружающий мир"},  {Assessment::kVpr, 5, "русский язык"},
      {Assessment::kVpr, 5, "математика"},      {Assessment::kVpr, 6, "русский язык"},
      {Assessment::kVpr, 6, "математика"},      {Assessment::kVpr, 7, "русский язык"},
      {Assessment::kVpr, 7, "математика"},      {Assessment::kVpr, 8, "русский язык"},
      {Assessment::kVpr, 8, "математика"},      {Assessment::kOge, 9, "русский язык"},
      {Assessment::kOge, 9, "математика"},      {Assessment::kOge, 9, "обществознание"},
      {Assessment::kEge, 11, "русский язык"},   {Assessment::kEge, 11, "математика (профильный уровень)"},
      {Assessment::kEge, 11, "обществознание"},
  };
  for (const DemoSchool& school : schools_) {
    const SchoolRole role = school.spec->role;
    const double per_year = IsLowResults(role) ? 0.12 : IsAdverse(role) ? 0.08 : 0.02;
    const double cohort = static_cast<double>(school.record.pupils) / 11.0;
    for (int year = start_year_; year <= last_year; ++year) {
      const double q_year = school.quality + per_year * (year - start_year_) + rng_.Noise() * 0.05;
      for (const Line& line : kLines) {
        if (line.assessment == Assessment::kEge && !HasUpperGrades(*school.spec)) continue;
        double size = cohort * rng_.Real(0.85, 1.1);
        if (line.assessment == Assessment::kEge) size *= (line.subject == "русский язык" ? 0.5 : 0.27);
        if (line.assessment == Assessment::kOge && line.subject == "обществознание") size *= 0.6;
        const int64_t n = std::lround(size);
        if (n < 1) continue;
        const double q =
            q_year + rng_.Noise() * 0.06 + (line.grade == 4 ? 0.2 : 0.0) - (line.subject == "математика" ? 0.05 : 0.0);
        double mean = 0, below = 0, top = 0;
        switch (line.assessment) {
          case Assessment::kVpr:
          case Assessment::kOge:
          case Assessment::kRegional:
            // Mean mark on the five-point scale; shares of «2» and «5».
            mean = Round(Clamp(3.6 + 0.42 * q + rng_.Noise() * 0.05, 2.6, 4.7), 2);
            below = Clamp(0.09 - 0.15 * q + rng_.Noise() * 0.015, 0.0, 0.6);
            top = Clamp(0.16 + 0.13 * q + rng_.Noise() * 0.015, 0.0, 0.6);
            break;
          case Assessment::kEge: {
            // Mean test score; shares below the minimum and of 81+ points.
            const bool maths = line.subject != "русский язык" && line.subject != "обществознание";
            const double base = line.subject == "русский язык" ? 68 : maths ? 55 : 57;
            mean = Round(Clamp(base + 11 * q + rng_.Noise() * 2, 30, 90), 1);
            below = Clamp((line.subject == "русский язык" ? 0.01 : maths ? 0.06 : 0.14) - 0.08 * q, 0.0, 0.5);
            top = Clamp((line.subject == "русский язык" ? 0.12 : 0.05) + 0.08 * q, 0.0, 0.5);
            break;
          }
        }
        // Shares are whole pupils out of the participants.
        const int64_t below_n = std::lround(below * static_cast<double>(n));
        const int64_t top_n = std::min(n - below_n, static_cast<int64_t>(std::lround(top * static_cast<double>(n))));
        AssessmentResult r;
        r.school_id = school.record.id;
        r.year = year;
        r.assessment = line.assessment;
        r.subject = std::string(line.subject);
        r.grade = line.grade;
        r.participants = n;
        r.mean_score = mean;
        r.share_below_min = Round(static_cast<double>(below_n) / static_cast<double>(n), 3);
        r.share_top = Round(static_cast<double>(top_n) / static_cast<double>(n), 3);
        if (r.share_below_min + r.share_top > 1.0) r.share_top = 1.0 - r.share_below_min;
        RETURN_IF_ERROR(Put(r).WithContext("assessment result of " + school.record.name));
        ++summary_.assessment_results;
      }
    }
  }
  return Status::Ok();
}

Status DistrictBuilder::AddContextIndicators() {
  const int last_year = today_.month() >= 7 ? today_.year() : today_.year() - 1;
  for (const DemoSchool& school : schools_) {
    const bool rural = school.spec->settlement == Settlement::kRural;
    const bool adverse = IsAdverse(school.spec->role);
    const bool weak = IsSupported(school.spec->role);
    // The school's character, then a small drift from year to year.
    const double low_income = adverse ? rng_.Real(0.34, 0.48) : rural ? rng_.Real(0.18, 0.3) : rng_.Real(0.07, 0.15);
    const double single_parent = adverse ? rng_.Real(0.28, 0.38) : rng_.Real(0.14, 0.24);
    const double non_native =
        school.spec->role == SchoolRole::kLowResultsAdverse ? rng_.Real(0.14, 0.2) : rng_.Real(0.0, 0.04);
    const double disability = rng_.Real(0.03, weak ? 0.11 : 0.06);
    const double vacancies = weak ? rng_.Int(1, 3) : rng_.Int(0, 1);
    const double outside = rural ? rng_.Real(0.18, 0.38) : rng_.Real(0.02, 0.08);
    const double internet = rural ? rng_.Real(0.3, 0.65) : rng_.Real(0.8, 1.0);
    const double bus = rural ? rng_.Real(0.2, 0.55) : rng_.Real(0.0, 0.04);
    const double higher_ed = adverse ? rng_.Real(0.06, 0.12) : rural ? rng_.Real(0.1, 0.2) : rng_.Real(0.3, 0.5);
    for (int year = start_year_; year <= last_year; ++year) {
      const double k = year - start_year_;
      const auto share = [&](double v, double drift) {
        return Round(Clamp(v + drift * k + rng_.Noise() * 0.01, 0, 1), 2);
      };
      const std::pair<std::string_view, double> values[] = {
          {"low_income_share", share(low_income, -0.01)},
          {"single_parent_share", share(single_parent, 0.0)},
          {"non_native_language_share", share(non_native, 0.005)},
          {"disability_share", share(disability, 0.002)},
          {"teacher_vacancies", std::max(0.0, vacancies - (weak && k >= 2 ? 1 : 0))},
          {"outside_subject_share", share(outside, -0.02)},
          {"internet_quality", share(internet, 0.05)},
          {"bus_transported_share", share(bus, 0.0)},
          {"parents_higher_education_share", share(higher_ed, 0.005)},
      };
      for (const auto& [code, value] : values) {
        ContextIndicator c;
        c.school_id = school.record.id;
        c.year = year;
        c.indicator = std::string(code);
        c.value = value;
        RETURN_IF_ERROR(Put(c).WithContext("context indicator " + c.indicator + " of " + school.record.name));
        ++summary_.context_indicators;
      }
    }
  }
  return Status::Ok();
}

// -----------------------------------------------------------------------------------------
// [SECTION] DistrictBuilder: routes (ИОМ), trainings, network events, work plans
// -----------------------------------------------------------------------------------------

// For each teacher with deficits (most of them), a route of 2-4 items tied to the deficits,
// the first of a deficit by its remedy; a done course is also a completed training. Then the
// deficits are saved with what closed them, and every teacher gets the courses they took in
// the last three years.
Status DistrictBuilder::AddRoutesAndTrainings() {
  const DemoSchool& leader = schools_[words_.leader_school];
  const int school_year = today_.month() >= 9 ? today_.year() : today_.year() - 1;
  const Date this_year = Ymd(school_year, 9, 1);
  const auto spec_of = [&](RouteActivity a) -> const demo::RouteSpec* {
    for (const auto& r : words_.routes) {
      if (r.activity == a) return &r;
    }
    return nullptr;
  };
  std::vector<std::vector<size_t>> by_teacher(teachers_.size());
  for (size_t d = 0; d < deficits_.size(); ++d) by_teacher[deficits_[d].teacher].push_back(d);
  std::vector<std::vector<std::string>> courses_taken(teachers_.size());

  for (size_t t = 0; t < teachers_.size(); ++t) {
    const std::vector<size_t>& mine = by_teacher[t];
    if (mine.empty()) continue;
    const DemoTeacher& teacher = teachers_[t];
    std::string tutor_name;
    for (const DemoTutored& tt : tutored_) {
      if (tt.teacher == t) tutor_name = teachers_[tutors_[tt.tutor].teacher].short_name;
    }
    if (tutor_name.empty() && !schools_[teacher.school].tutors.empty()) {
      tutor_name = teachers_[tutors_[schools_[teacher.school].tutors.front()].teacher].short_name;
    }
    const bool with_route = more_.Chance(0.85);
    const int count = with_route ? more_.Int(2, 4) : 0;
    // Per deficit: the activities used and when the next item may start.
    std::vector<std::vector<RouteActivity>> used(mine.size());
    std::vector<Date> next_start(mine.size());
    for (size_t k = 0; k < mine.size(); ++k) {
      const Deficit& d = deficits_[mine[k]].record;
      Date base = d.found_on.AddDays(more_.Int(7, 21));
      // An open deficit found before this school year: the route is this year's.
      if (!d.closed_on && d.found_on < this_year) base = Later(base, this_year.AddDays(more_.Int(9, 24)));
      next_start[k] = Workday(base);
    }
    std::vector<std::optional<std::string>> closed_by_course(mine.size());
    for (int i = 0; i < count; ++i) {
      const size_t k = static_cast<size_t>(i) % mine.size();
      const Deficit& d = deficits_[mine[k]].record;
      RouteActivity activity = RouteActivity::kMentoring;
      if (used[k].empty()) {
        switch (d.remedy) {
          case DeficitRemedy::kCourse:
            activity = RouteActivity::kCourse;
            break;
          case DeficitRemedy::kSeminar:
            activity = RouteActivity::kSeminar;
            break;
          case DeficitRemedy::kSelfStudy:
            activity = RouteActivity::kSelfStudy;
            break;
          case DeficitRemedy::kTutorSessions:
          case DeficitRemedy::kOther:
            activity = RouteActivity::kMentoring;
            break;
        }
      } else {
        std::vector<RouteActivity> left;
        for (RouteActivity a : {RouteActivity::kPeerVisits, RouteActivity::kSelfStudy, RouteActivity::kSeminar,
                                RouteActivity::kMentoring}) {
          if (std::find(used[k].begin(), used[k].end(), a) == used[k].end() && spec_of(a) != nullptr) {
            left.push_back(a);
          }
        }
        if (left.empty()) continue;
        activity = more_.Pick(left);
      }
      const demo::RouteSpec* spec = spec_of(activity);
      if (spec == nullptr) spec = spec_of(RouteActivity::kMentoring);
      activity = spec->activity;
      used[k].push_back(activity);

      RouteItem item;
      item.teacher_id = teacher.record.id;
      item.deficit_id = d.id;  // nil until saved: set below
      item.activity = activity;
      const demo::CourseSpec* course = nullptr;
      if (activity == RouteActivity::kCourse) {
        // A course of the deficit's area, else a general one.
        std::vector<const demo::CourseSpec*> fitting;
        for (const auto& c : words_.courses) {
          if (c.area == d.area) fitting.push_back(&c);
        }
        if (fitting.empty()) {
          for (const auto& c : words_.courses) {
            if (c.area.empty()) fitting.push_back(&c);
          }
        }
        if (fitting.empty()) fitting.push_back(&words_.courses.front());
        course = more_.Pick(fitting);
      }
      const std::string area = LowerFirst(d.area);
      item.title = Fill(
          spec->title,
          {{"{area}", area},
           {"{tutor}", tutor_name.empty() ? std::string("школы") : tutor_name},
           {"{leader}", leader.record.short_name},
           {"{course}", course ? "«" + course->title + "», " + std::to_string(course->hours) + " ч" : std::string()}});
      const int length = activity == RouteActivity::kCourse       ? more_.Int(25, 50)
                         : activity == RouteActivity::kSeminar    ? more_.Int(20, 45)
                         : activity == RouteActivity::kPeerVisits ? more_.Int(45, 90)
                                                                  : more_.Int(60, 120);
      item.starts_on = next_start[k];
      item.due_on = item.starts_on.AddDays(length);
      next_start[k] = Workday(item.starts_on.AddDays(more_.Int(14, 40)));

      if (d.closed_on && item.starts_on >= *d.closed_on) {
        item.status = RouteItemStatus::kDropped;
        item.result = words_.route_dropped;
      } else if (d.closed_on || item.due_on < today_) {
        // Closed deficits: their items were done; open ones past due: mostly done, some overdue.
        if (!d.closed_on && more_.Chance(0.25)) {
          item.status = more_.Chance(0.5) ? RouteItemStatus::kInProgress : RouteItemStatus::kPlanned;
          item.result = words_.route_overdue;
        } else {
          item.status = RouteItemStatus::kDone;
          Date done = item.due_on.AddDays(more_.Int(-15, 5));
          if (d.closed_on) done = Earlier(done, *d.closed_on);
          done = Earlier(done, today_);
          item.done_on = Later(done, item.starts_on);
          item.result = spec->result;
        }
      } else if (item.starts_on <= today_) {
        item.status = RouteItemStatus::kInProgress;
        item.result = words_.route_in_progress;
      }
      if (item.starts_on > today_ && item.status != RouteItemStatus::kDropped) {
        item.status = RouteItemStatus::kPlanned;
        item.result.clear();
      }
      if (item.status != RouteItemStatus::kDone) item.done_on.reset();

      // The deficit is saved first (once): its id is what the item refers to.
      DemoDeficit& deficit = deficits_[mine[k]];
      if (course != nullptr && item.status == RouteItemStatus::kDone && course->area == d.area) {
        closed_by_course[k] =
            Fill(words_.closed_by_course, {{"{course}", course->title}, {"{hours}", std::to_string(course->hours)}});
      }
      if (course != nullptr && item.status == RouteItemStatus::kDone) {
        Training tr;
        tr.teacher_id = teacher.record.id;
        tr.kind = TrainingKind::kQualification;
        tr.provider = more_.Pick(words_.providers);
        tr.title = course->title;
        tr.hours = course->hours;
        tr.ends_on = *item.done_on;
        tr.starts_on = Earlier(tr.ends_on, Later(item.starts_on, tr.ends_on.AddDays(-std::max(3, course->hours / 4))));
        tr.certificate = "34" + std::to_string(tr.ends_on.year() % 100) + std::to_string(more_.Int(10000000, 99999999));
        RETURN_IF_ERROR(Put(tr).WithContext("training of " + teacher.record.full_name));
        ++summary_.trainings;
        courses_taken[t].push_back(course->title);
      }
      if (deficit.record.id.IsNil()) {
        if (closed_by_course[k] && deficit.record.closed_on) deficit.record.closed_by = *closed_by_course[k];
        if (deficit.record.closed_on && deficit.record.closed_by.empty()) {
          deficit.record.closed_by =
              Fill(deficit.record.found_by == DeficitSource::kObservation ? words_.closed_by_observation
                                                                          : words_.closed_by_diagnostics,
                   {{"{date}", RuDate(*deficit.record.closed_on)}});
        }
        RETURN_IF_ERROR(Put(deficit.record).WithContext("deficit of " + teacher.record.full_name));
      }
      item.deficit_id = deficit.record.id;
      RETURN_IF_ERROR(Put(item).WithContext("route item of " + teacher.record.full_name));
      ++summary_.route_items;
    }
  }
  // The deficits without a route item.
  for (DemoDeficit& deficit : deficits_) {
    if (!deficit.record.id.IsNil()) continue;
    if (deficit.record.closed_on) {
      deficit.record.closed_by =
          Fill(deficit.record.found_by == DeficitSource::kObservation ? words_.closed_by_observation
                                                                      : words_.closed_by_diagnostics,
               {{"{date}", RuDate(*deficit.record.closed_on)}});
    }
    RETURN_IF_ERROR(Put(deficit.record).WithContext("deficit of " + teachers_[deficit.teacher].record.full_name));
  }
  for (size_t t = 0; t < teachers_.size(); ++t) RETURN_IF_ERROR(AddTrainings(t, courses_taken[t]));
  return Status::Ok();
}

// A teacher's other courses: most in the last 12 months, some one to three years back.
Status DistrictBuilder::AddTrainings(size_t t, std::vector<std::string>& titles) {
  const DemoTeacher& teacher = teachers_[t];
  std::vector<std::pair<int, int>> windows;  // days back: [lo, hi]
  if (more_.Chance(0.72)) windows.emplace_back(7, 350);
  for (int k = more_.Int(0, 2); k > 0; --k) windows.emplace_back(380, 1090);
  for (const auto& [lo, hi] : windows) {
    std::vector<const demo::CourseSpec*> left;
    for (const auto& c : words_.courses) {
      if (std::find(titles.begin(), titles.end(), c.title) == titles.end()) left.push_back(&c);
    }
    if (left.empty()) break;
    const demo::CourseSpec& course = *more_.Pick(left);
    Training tr;
    tr.teacher_id = teacher.record.id;
    tr.kind = TrainingKind::kQualification;
    tr.provider = more_.Pick(words_.providers);
    tr.title = course.title;
    tr.hours = course.hours;
    tr.ends_on = Workday(today_.AddDays(-more_.Int(lo, hi)));
    tr.starts_on = tr.ends_on.AddDays(-std::max(3, course.hours / 4));
    tr.certificate = "34" + std::to_string(tr.ends_on.year() % 100) + std::to_string(more_.Int(10000000, 99999999));
    RETURN_IF_ERROR(Put(tr).WithContext("training of " + teacher.record.full_name));
    ++summary_.trainings;
    titles.push_back(course.title);
  }
  return Status::Ok();
}

// The events of the last 12 months, oldest first, none in the summer holidays; each with the
// teachers of its subject (or of any) who came.
Status DistrictBuilder::AddNetworkEvents() {
  // The working days of the last 350 days outside the summer and the new year holidays, oldest
  // first; the events are spread evenly over them.
  std::vector<Date> term;
  for (Date d = today_.AddDays(-350); d <= today_; d = d.AddDays(1)) {
    const int m = d.month();
    const bool summer = (m == 6 && d.day() > 10) || m == 7 || (m == 8 && d.day() < 25);
    const bool new_year = (m == 12 && d.day() > 29) || (m == 1 && d.day() < 10);
    const bool holiday = (m == 2 && d.day() == 23) || (m == 3 && d.day() == 8) || (m == 5 && d.day() == 1) ||
                         (m == 5 && d.day() == 9) || (m == 11 && d.day() == 4);
    if (!summer && !new_year && !holiday && Weekday(d) < 5) term.push_back(d);
  }
  const size_t n = words_.events.size();
  for (size_t i = 0; i < n; ++i) {
    const demo::EventSpec& spec = words_.events[i];
    const size_t slot = term.size() * (2 * i + 1) / (2 * n);
    const size_t jitter = static_cast<size_t>(more_.Int(0, 4));
    const Date held = term[std::min(term.size() - 1, slot + jitter)];
    NetworkEvent e;
    e.title = spec.title;
    e.kind = spec.kind;
    if (spec.organiser) e.organiser_school_id = schools_[*spec.organiser].record.id;
    e.held_on = held;

    std::vector<size_t> candidates;
    for (size_t t = 0; t < teachers_.size(); ++t) {
      const auto& subjects = teachers_[t].record.subjects;
      if (spec.subject.empty() || std::find(subjects.begin(), subjects.end(), spec.subject) != subjects.end()) {
        candidates.push_back(t);
      }
    }
    // Shuffled (Fisher-Yates on our own engine), the first k came.
    for (size_t k = candidates.size(); k > 1; --k) std::swap(candidates[k - 1], candidates[more_.Index(k)]);
    const size_t k =
        std::min(candidates.size(), static_cast<size_t>(spec.subject.empty() ? more_.Int(18, 40) : more_.Int(8, 26)));
    candidates.resize(k);
    e.report = Fill(spec.report, {{"{k}", std::to_string(k)}});
    RETURN_IF_ERROR(Put(e).WithContext("network event «" + e.title + "»"));
    ++summary_.network_events;
    for (size_t t : candidates) {
      EventParticipant p;
      p.event_id = e.id;
      p.teacher_id = teachers_[t].record.id;
      RETURN_IF_ERROR(Put(p).WithContext("participant of «" + e.title + "»"));
      ++summary_.event_participants;
    }
  }
  return Status::Ok();
}

Status DistrictBuilder::AddPlanItem(PlanItem item) {
  RETURN_IF_ERROR(Put(item).WithContext("work plan item «" + item.title + "»"));
  ++summary_.plan_items;
  return Status::Ok();
}

// Each mentor's and tutor's plan for the current half-year. A planned visit, observation or
// consultation takes the date of the one done in its month when there is one (the plan is
// matched by person, school, teacher and month); else it was missed, or is still ahead.
Status DistrictBuilder::AddWorkPlans() {
  const bool autumn = today_.month() >= 7;
  const int year = today_.year();
  std::vector<int> months;
  if (autumn) {
    months = {9, 10, 11, 12};
  } else {
    months = {1, 2, 3, 4, 5};
  }
  const Date half_start = Ymd(year, autumn ? 7 : 1, 1);
  const Date half_end = Ymd(year, autumn ? 12 : 6, autumn ? 31 : 30);
  const auto done_in = [&](PlanActivity a, const Uuid& who, size_t school, const std::optional<Uuid>& teacher,
                           std::optional<int> month) -> std::optional<Date> {
    for (const DemoFact& f : facts_) {
      if (f.activity != a || f.person != who || f.school != school || f.date < half_start || f.date > half_end) {
        continue;
      }
      if (teacher && f.teacher != teacher) continue;
      if (month && f.date.month() != *month) continue;
      return f.date;
    }
    return std::nullopt;
  };
  const auto day_in = [&](int month) { return Workday(Ymd(year, month, more_.Int(6, 26))); };
  const auto event_item = [&](const Uuid& who, size_t school) {
    PlanItem p;
    p.person_id = who;
    p.school_id = schools_[school].record.id;
    p.activity = PlanActivity::kEvent;
    p.title = more_.Pick(words_.plan_events);
    p.planned_on = day_in(more_.Pick(months));
    if (p.planned_on <= today_ && more_.Chance(0.8)) p.done_on = p.planned_on;
    return p;
  };

  for (size_t m = 0; m < mentors_.size(); ++m) {
    const Uuid who = mentors_[m].record.id;
    std::vector<size_t> mine;
    for (size_t s = 0; s < schools_.size(); ++s) {
      if (schools_[s].mentor == m) mine.push_back(s);
    }
    for (size_t s : mine) {
      for (int month : months) {
        PlanItem p;
        p.person_id = who;
        p.school_id = schools_[s].record.id;
        p.activity = PlanActivity::kVisit;
        p.title = words_.plan_visit;
        p.planned_on = done_in(PlanActivity::kVisit, who, s, std::nullopt, month).value_or(day_in(month));
        RETURN_IF_ERROR(AddPlanItem(std::move(p)));
      }
      PlanItem c;
      c.person_id = who;
      c.school_id = schools_[s].record.id;
      c.activity = PlanActivity::kConsultation;
      c.title = words_.plan_management_consultation;
      c.planned_on =
          done_in(PlanActivity::kConsultation, who, s, std::nullopt, std::nullopt).value_or(day_in(more_.Pick(months)));
      RETURN_IF_ERROR(AddPlanItem(std::move(c)));
    }
    if (!mine.empty()) RETURN_IF_ERROR(AddPlanItem(event_item(who, mine.front())));
  }

  for (size_t t = 0; t < tutors_.size(); ++t) {
    const Uuid who = teachers_[tutors_[t].teacher].record.id;
    for (size_t s : tutors_[t].schools) {
      // Two visits to each school: one of the first months, one of the last.
      const size_t half = months.size() / 2;
      for (const int month : {months[more_.Index(half)], months[half + more_.Index(months.size() - half)]}) {
        PlanItem p;
        p.person_id = who;
        p.school_id = schools_[s].record.id;
        p.activity = PlanActivity::kVisit;
        p.title = words_.plan_visit;
        p.planned_on = done_in(PlanActivity::kVisit, who, s, std::nullopt, month).value_or(day_in(month));
        RETURN_IF_ERROR(AddPlanItem(std::move(p)));
      }
      std::optional<size_t> first_teacher;
      for (const DemoTutored& tt : tutored_) {
        if (tt.tutor != t || tt.school != s) continue;
        if (!first_teacher) first_teacher = tt.teacher;
        const DemoTeacher& teacher = teachers_[tt.teacher];
        PlanItem p;
        p.person_id = who;
        p.school_id = schools_[s].record.id;
        p.teacher_id = teacher.record.id;
        p.activity = PlanActivity::kObservation;
        p.title = Fill(words_.plan_observation, {{"{teacher}", teacher.short_name}});
        p.planned_on = done_in(PlanActivity::kObservation, who, s, teacher.record.id, std::nullopt)
                           .value_or(day_in(more_.Pick(months)));
        RETURN_IF_ERROR(AddPlanItem(std::move(p)));
      }
      if (first_teacher) {
        const DemoTeacher& teacher = teachers_[*first_teacher];
        PlanItem p;
        p.person_id = who;
        p.school_id = schools_[s].record.id;
        p.teacher_id = teacher.record.id;
        p.activity = PlanActivity::kConsultation;
        p.title = Fill(words_.plan_teacher_consultation, {{"{teacher}", teacher.short_name}});
        p.planned_on = done_in(PlanActivity::kConsultation, who, s, teacher.record.id, std::nullopt)
                           .value_or(day_in(more_.Pick(months)));
        RETURN_IF_ERROR(AddPlanItem(std::move(p)));
      }
    }
    if (!tutors_[t].schools.empty()) RETURN_IF_ERROR(AddPlanItem(event_item(who, tutors_[t].schools.front())));
  }
  return Status::Ok();
}

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] CreateDemoDistrict
// -----------------------------------------------------------------------------------------

namespace {

// The district's monitoring rounds: last school year's final round (May) and this year's entry
// round (September), each closed the day after it ended when that day has come, so the district
// view has rounds to show side by side. Closed from a dashboard over everything written so far.
Status AddDemoRounds(RecordWriter& store, const DashboardConfig& config) {
  const Date today = store.Today();
  const int year = SchoolYearOf(today);
  struct Planned {
    const char* ru;
    RoundKind kind;
    Date starts_on, ends_on;
  };
  const Planned planned[] = {
      {"Итоговый мониторинг ", RoundKind::kFinal, Date::FromYmd(year, 5, 1).value(),
       Date::FromYmd(year, 5, 31).value()},
      {"Входной мониторинг ", RoundKind::kEntry, Date::FromYmd(year, 9, 1).value(), Date::FromYmd(year, 9, 30).value()},
  };
  std::vector<MonitoringRound> rounds;
  for (const Planned& p : planned) {
    MonitoringRound r;
    const int school_year = SchoolYearOf(p.starts_on);
    r.name = p.ru + std::to_string(school_year) + "/" + std::to_string((school_year + 1) % 100);
    r.kind = p.kind;
    r.starts_on = p.starts_on;
    r.ends_on = p.ends_on;
    ASSIGN_OR_RETURN(r, store.Save(r));
    rounds.push_back(r);
  }
  Dashboard dashboard(config);
  for (RecordKind kind : kAllRecordKinds) {
    RETURN_IF_ERROR(store.ForEachLive(kind, {}, Uuid(), [&](const RecordState& s) { return dashboard.Apply(s); }));
  }
  dashboard.Refresh(today);
  for (const MonitoringRound& r : rounds) {
    if (r.ends_on.AddDays(1) > today) continue;  // still running
    RETURN_IF_ERROR(CloseRound(store, dashboard, r.id, r.ends_on.AddDays(1)).status());
  }
  return Status::Ok();
}

}  // namespace

Result<DemoSummary> CreateDemoDistrict(RecordWriter& store, const DemoOptions& options) {
  const auto refuse_when_not_empty = [&]() -> Status {
    bool any = false;
    const Status walk = store.ForEachLive(RecordKind::kSchool, {}, Uuid(), [&](const RecordState&) {
      any = true;
      return Status::Cancelled("one school is enough");
    });
    if (!any) return walk;
    return Status::InvalidInput(
        LocalText{"В хранилище уже есть данные; для демонстрационного района укажите новую папку --data.",
                  "the store already has data; use a new --data folder"});
  };
  RETURN_IF_ERROR(refuse_when_not_empty());
  ASSIGN_OR_RETURN(std::vector<RubricTemplate> bundled, LoadBundledRubrics(options.assets_dir));
  const RubricTemplate* lesson = nullptr;
  for (const auto& t : bundled) {
    if (t.code == "lesson_observation" && (lesson == nullptr || t.version > lesson->version)) lesson = &t;
  }
  if (lesson == nullptr) {
    const std::string dir = (options.assets_dir / "rubrics").string();
    return Status::NotFound(LocalText{
        "В папке " + dir + " нет шаблона протокола lesson_observation; укажите папку assets MentorLog.",
        "There is no lesson_observation rubric template in " + dir + "; point to MentorLog's assets folder."});
  }
  ASSIGN_OR_RETURN(Rubric rubric, ParseRubric(lesson->body_json, lesson->code));
  // Every text and the district's make-up, read and checked before anything is written.
  ASSIGN_OR_RETURN(const demo::DemoVocabulary words, demo::LoadDemoVocabulary(options.assets_dir));
  ASSIGN_OR_RETURN(const DashboardConfig dashboard_config, LoadDashboardConfig(options.assets_dir));

  DemoSummary summary;
  const Status status = store.InTransaction([&]() -> Status {
    RETURN_IF_ERROR(refuse_when_not_empty());  // again, now under the transaction's lock
    ASSIGN_OR_RETURN(std::vector<RubricTemplate> installed, store.List<RubricTemplate>());
    for (RubricTemplate& t : bundled) {
      const bool present = std::any_of(installed.begin(), installed.end(), [&](const RubricTemplate& i) {
        return i.code == t.code && i.version == t.version;
      });
      if (!present) RETURN_IF_ERROR(store.Save(std::move(t)).status().WithContext("rubric template"));
    }
    DistrictBuilder builder(store, options, words, std::move(rubric));
    RETURN_IF_ERROR(builder.Build());
    summary = builder.summary();
    RETURN_IF_ERROR(AddDemoRounds(store, dashboard_config).WithContext("monitoring rounds"));
    return Status::Ok();
  });
  RETURN_IF_ERROR(status);
  return summary;
}

}  // namespace mentorlog::core
