// Tests for mentorlog/domain/validation.h: every rule of validation.cpp, for every record kind.
//
// A valid record of each kind passes with no errors; then each test breaks one thing and
// checks that exactly the expected field is reported, with a message in both languages.
// Validate() asks a ValidationContext about other records; FakeContext answers from maps.
//
// [SECTION] FakeContext and helpers
// [SECTION] Fixture: a small district
// [SECTION] School
// [SECTION] Person
// [SECTION] Assignment
// [SECTION] Visit
// [SECTION] Observation
// [SECTION] ObservationScore
// [SECTION] Consultation
// [SECTION] Recommendation
// [SECTION] RecommendationEvent
// [SECTION] Deficit
// [SECTION] RoadmapItem
// [SECTION] NetworkAgreement
// [SECTION] AssessmentResult
// [SECTION] ContextIndicator
// [SECTION] RubricTemplate
// [SECTION] Enum fields from text (FieldCodec<E>)
// [SECTION] IsForwardStatusMove and ToStatus
#include "mentorlog/domain/validation.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/enums.h"
#include "mentorlog/domain/field_codec.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/domain/rubric.h"
#include "mentorlog/domain/types.h"

namespace mentorlog::core {
namespace {

// -----------------------------------------------------------------------------------------
// [SECTION] FakeContext and helpers
// -----------------------------------------------------------------------------------------

// An in-memory ValidationContext. Not thread-safe; each test owns its own.
class FakeContext final : public ValidationContext {
 public:
  Date Today() const override { return today_; }
  void SetToday(Date today) { today_ = today; }

  std::optional<School> FindSchool(const Uuid& id) const override { return Find(schools_, id); }
  std::optional<Person> FindPerson(const Uuid& id) const override { return Find(people_, id); }
  std::optional<Observation> FindObservation(const Uuid& id) const override { return Find(observations_, id); }
  std::optional<NetworkEvent> FindEvent(const Uuid& id) const override { return Find(events_, id); }
  std::optional<MonitoringRound> FindRound(const Uuid& id) const override { return Find(rounds_, id); }

  std::optional<Date> SourceDate(SourceKind kind, const Uuid& id) const override {
    const auto it = source_dates_.find({kind, id});
    if (it == source_dates_.end()) return std::nullopt;
    return it->second;
  }

  std::optional<Rubric> FindRubric(std::string_view code, int64_t version) const override {
    const auto it = rubrics_.find({std::string(code), version});
    if (it == rubrics_.end()) return std::nullopt;
    return it->second;
  }

  void AddSchool(const School& s) { schools_[s.id] = s; }
  void AddPerson(const Person& p) { people_[p.id] = p; }
  void AddEvent(const NetworkEvent& e) { events_[e.id] = e; }
  void AddRound(const MonitoringRound& r) { rounds_[r.id] = r; }
  // Also records the observation's date as a recommendation source.
  void AddObservation(const Observation& o) {
    observations_[o.id] = o;
    source_dates_[{SourceKind::kObservation, o.id}] = o.date;
  }
  void SetSourceDate(SourceKind kind, const Uuid& id, Date date) { source_dates_[{kind, id}] = date; }
  void AddRubric(const Rubric& r) { rubrics_[{r.code, r.version}] = r; }

 private:
  template <class R>
  static std::optional<R> Find(const std::map<Uuid, R>& m, const Uuid& id) {
    const auto it = m.find(id);
    if (it == m.end()) return std::nullopt;
    return it->second;
  }

  Date today_;
  std::map<Uuid, School> schools_;
  std::map<Uuid, Person> people_;
  std::map<Uuid, Observation> observations_;
  std::map<Uuid, NetworkEvent> events_;
  std::map<Uuid, MonitoringRound> rounds_;
  std::map<std::pair<SourceKind, Uuid>, Date> source_dates_;
  std::map<std::pair<std::string, int64_t>, Rubric> rubrics_;
};

// A fixed, readable, version-7-shaped id: ...-0000-00000000000n.
Uuid IdOf(uint8_t n) {
  std::array<uint8_t, 16> b{};
  b[6] = 0x70;
  b[8] = 0x80;
  b[15] = n;
  return Uuid(b);
}

Date D(int year, int month, int day) {
  auto d = Date::FromYmd(year, month, day);
  EXPECT_TRUE(d.ok()) << d.status().message();
  return d.ok() ? *d : Date();
}

std::string Describe(const ValidationErrors& errors) {
  if (errors.empty()) return "(no errors)";
  std::string s;
  for (const auto& e : errors) s += "\n  [" + e.field + "] en: " + e.en + " | ru: " + e.ru;
  return s;
}

// Succeeds when the errors are exactly on `fields` (in order, repeats allowed) and every
// message is non-empty in English and in Russian.
::testing::AssertionResult OnlyOn(const ValidationErrors& errors, std::initializer_list<std::string_view> fields) {
  std::vector<std::string> got;
  for (const auto& e : errors) got.push_back(e.field);
  const std::vector<std::string> want(fields.begin(), fields.end());
  if (got != want) {
    std::string w;
    for (const auto& f : want) w += (w.empty() ? "" : ", ") + f;
    return ::testing::AssertionFailure() << "expected errors on {" << w << "}, got:" << Describe(errors);
  }
  for (const auto& e : errors) {
    if (e.en.empty() || e.ru.empty()) {
      return ::testing::AssertionFailure() << "an empty message on «" << e.field << "»:" << Describe(errors);
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult NoErrors(const ValidationErrors& errors) {
  if (errors.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected no errors, got:" << Describe(errors);
}

// The first error's message on `field` in `language`, or "" when there is none.
std::string MessageOn(const ValidationErrors& errors, std::string_view field, Language language) {
  for (const auto& e : errors) {
    if (e.field == field) return e.In(language);
  }
  return "";
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Fixture: a small district
// -----------------------------------------------------------------------------------------

// Two schools (a supported one and its leader partner), their staff, a mentor and a tutor,
// one visit, one observation, one consultation and an installed 0..3 rubric. Today is
// 2025-03-14.
class ValidationTest : public ::testing::Test {
 protected:
  static constexpr std::string_view kRubricCode = "lesson_observation";

  const Uuid kSchoolA = IdOf(1);
  const Uuid kSchoolB = IdOf(2);
  const Uuid kUnknown = IdOf(99);
  const Uuid kTeacherA = IdOf(10);
  const Uuid kTeacherB = IdOf(11);
  const Uuid kDirectorA = IdOf(12);
  const Uuid kMentor = IdOf(13);
  const Uuid kTutor = IdOf(14);
  const Uuid kVisit = IdOf(20);
  const Uuid kObservation = IdOf(21);
  const Uuid kConsultation = IdOf(22);
  const Uuid kRecommendation = IdOf(23);

  const Date kToday = D(2025, 3, 14);
  const Date kVisitDate = D(2025, 3, 3);
  const Date kConsultationDate = D(2025, 3, 5);

  void SetUp() override {
    ctx_.SetToday(kToday);

    School a;
    a.id = kSchoolA;
    a.code = "740101";
    a.name = "МОУ СОШ с. Кременкуль";
    a.municipality = "Сосновский район";
    a.settlement = Settlement::kRural;
    a.distance_km = 25;
    a.pupils = 300;
    a.teachers = 25;
    a.statuses = {SchoolStatus::kLowResults, SchoolStatus::kAdverseConditions};
    a.status_year = 2024;
    a.leader_partner_id = kSchoolB;
    ctx_.AddSchool(a);

    School b;
    b.id = kSchoolB;
    b.code = "740202";
    b.name = "Лицей № 11";
    b.municipality = "Челябинск";
    b.settlement = Settlement::kUrban;
    b.statuses = {SchoolStatus::kLeader};
    b.status_year = 2024;
    ctx_.AddSchool(b);

    ctx_.AddPerson(MakePerson(kTeacherA, "Иванова Анна Петровна", {Role::kTeacher}, kSchoolA));
    ctx_.AddPerson(MakePerson(kTeacherB, "Петров Борис Ильич", {Role::kTeacher}, kSchoolB));
    ctx_.AddPerson(MakePerson(kDirectorA, "Сидоров Дмитрий Олегович", {Role::kDirector}, kSchoolA));
    ctx_.AddPerson(MakePerson(kMentor, "Кузнецова Мария Ивановна", {Role::kMentor}, std::nullopt));
    ctx_.AddPerson(MakePerson(kTutor, "Смирнова Татьяна Юрьевна", {Role::kTutor}, std::nullopt));

    ctx_.SetSourceDate(SourceKind::kVisit, kVisit, kVisitDate);
    ctx_.SetSourceDate(SourceKind::kConsultation, kConsultation, kConsultationDate);
    ctx_.AddObservation(ValidObservation());
    ctx_.AddRubric(SmallRubric());
  }

  static Person MakePerson(const Uuid& id, std::string name, std::vector<Role> roles, std::optional<Uuid> school) {
    Person p;
    p.id = id;
    p.full_name = std::move(name);
    p.roles = std::move(roles);
    p.school_id = school;
    return p;
  }

  // The installed rubric: lesson_observation v1, levels 0..3, two criteria.
  static Rubric SmallRubric() {
    Rubric r;
    r.code = std::string(kRubricCode);
    r.version = 1;
    r.title = {"Карта наблюдения урока", "Lesson observation rubric"};
    r.min_level = 0;
    r.max_level = 3;
    for (int64_t l = 0; l <= 3; ++l)
      r.levels.push_back({l, {"уровень " + std::to_string(l), "level " + std::to_string(l)}});
    r.not_observed = {"Не наблюдалось", "Not observed"};
    r.domains = {{"aims", {"Цели", "Aims"}}};
    for (const auto& [code, ru, en] : {std::tuple{"aims_clear", "Цель урока понятна", "Lesson aim made clear"},
                                       std::tuple{"time_use", "Время используется эффективно", "Time used well"}}) {
      RubricCriterion c;
      c.code = code;
      c.domain = "aims";
      c.title = {ru, en};
      c.descriptors.assign(4, LocalText{"описание", "descriptor"});
      r.criteria.push_back(std::move(c));
    }
    return r;
  }

  School ValidSchool() const { return *ctx_.FindSchool(kSchoolA); }

  Person ValidPerson() const {
    Person p = MakePerson(IdOf(30), "Орлова Елена Викторовна", {Role::kTeacher}, kSchoolA);
    p.subjects = {"математика"};
    p.email = "orlova@school.example";
    return p;
  }

  Assignment ValidAssignment() const {
    Assignment a;
    a.id = IdOf(31);
    a.kind = AssignmentKind::kMentorSchool;
    a.assignee_id = kMentor;
    a.school_id = kSchoolA;
    a.starts_on = D(2024, 9, 1);
    a.ends_on = D(2025, 5, 31);
    return a;
  }

  Visit ValidVisit() const {
    Visit v;
    v.id = IdOf(32);
    v.school_id = kSchoolA;
    v.date = kVisitDate;
    v.visitor_ids = {kMentor, kTutor};
    v.purposes = {VisitPurpose::kDiagnostics, VisitPurpose::kLessonObservations};
    v.summary = "Посетили два урока, провели встречу с администрацией.";
    return v;
  }

  Observation ValidObservation() const {
    Observation o;
    o.id = kObservation;
    o.visit_id = kVisit;
    o.school_id = kSchoolA;
    o.teacher_id = kTeacherA;
    o.observer_id = kMentor;
    o.subject = "математика";
    o.grade = 7;
    o.class_label = "7Б";
    o.date = kVisitDate;
    o.rubric_code = std::string(kRubricCode);
    o.rubric_version = 1;
    return o;
  }

  ObservationScore ValidScore() const {
    ObservationScore s;
    s.id = IdOf(33);
    s.observation_id = kObservation;
    s.criterion_code = "aims_clear";
    s.level = 2;
    s.evidence = "Цель записана на доске.";
    return s;
  }

  Consultation ValidConsultation() const {
    Consultation c;
    c.id = IdOf(34);
    c.school_id = kSchoolA;
    c.date = kConsultationDate;
    c.consultant_id = kMentor;
    c.audience = ConsultationAudience::kManagementTeam;
    c.minutes = 60;
    c.topics = {ConsultationTopic::kTransitionProgramme};
    return c;
  }

  Recommendation ValidRecommendation() const {
    Recommendation r;
    r.id = kRecommendation;
    r.source_kind = SourceKind::kVisit;
    r.source_id = kVisit;
    r.school_id = kSchoolA;
    r.text = "Разработать план ликвидации предметных дефицитов по математике.";
    r.responsible_id = kDirectorA;
    r.created_on = kVisitDate;
    r.due_on = D(2025, 4, 1);
    return r;
  }

  RecommendationEvent ValidEvent() const {
    RecommendationEvent e;
    e.id = IdOf(35);
    e.recommendation_id = kRecommendation;
    e.kind = RecommendationEventKind::kComment;
    e.date = kToday;
    e.author_id = kMentor;
    e.text = "План получен, на согласовании.";
    return e;
  }

  Deficit ValidDeficit() const {
    Deficit d;
    d.id = IdOf(36);
    d.teacher_id = kTeacherA;
    d.area = "формирующее оценивание";
    d.found_on = kVisitDate;
    d.found_by = DeficitSource::kObservation;
    d.observation_id = kObservation;
    return d;
  }

  RoadmapItem ValidRoadmapItem() const {
    RoadmapItem r;
    r.id = IdOf(37);
    r.title = "Семинар по функциональной грамотности";
    r.level = RoadmapLevel::kSchool;
    r.school_id = kSchoolA;
    r.starts_on = D(2025, 4, 10);
    r.ends_on = D(2025, 4, 11);
    return r;
  }

  NetworkAgreement ValidAgreement() const {
    NetworkAgreement a;
    a.id = IdOf(38);
    a.number = "СВ-12/2024";
    a.signed_on = D(2024, 9, 15);
    a.supported_school_id = kSchoolA;
    a.leader_school_id = kSchoolB;
    a.ends_on = D(2025, 8, 31);
    return a;
  }

  AssessmentResult ValidResult() const {
    AssessmentResult r;
    r.id = IdOf(39);
    r.school_id = kSchoolA;
    r.year = 2024;
    r.assessment = Assessment::kVpr;
    r.subject = "математика";
    r.grade = 5;
    r.participants = 28;
    r.mean_score = 11.5;
    r.share_below_min = 0.25;
    r.share_top = 0.1;
    return r;
  }

  ContextIndicator ValidIndicator() const {
    ContextIndicator c;
    c.id = IdOf(40);
    c.school_id = kSchoolA;
    c.year = 2024;
    c.indicator = "low_income_share";
    c.value = 0.4;
    return c;
  }

  // A small but complete template body whose code and version are lesson_observation v1.
  static std::string SmallRubricJson() {
    std::string descriptors;
    for (int l = 0; l <= 3; ++l) {
      descriptors += std::string(l ? "," : "") + R"({"level":)" + std::to_string(l) +
                     R"(,"text":{"ru":"описание","en":"descriptor"}})";
    }
    std::string levels;
    for (int l = 0; l <= 3; ++l) {
      levels += std::string(l ? "," : "") + R"({"level":)" + std::to_string(l) + R"(,"label":{"ru":"у","en":"l"}})";
    }
    return R"({"code":"lesson_observation","version":1,"title":{"ru":"Карта","en":"Rubric"},)"
           R"("scale":{"min":0,"max":3,"levels":[)" +
           levels +
           R"(],"not_observed":{"ru":"Не наблюдалось","en":"Not observed"}},)"
           R"("domains":[{"code":"aims","title":{"ru":"Цели","en":"Aims"}}],)"
           R"("criteria":[{"code":"aims_clear","domain":"aims","title":{"ru":"Цель","en":"Aim"},"descriptors":[)" +
           descriptors + "]}]}";
  }

  RubricTemplate ValidTemplate() const {
    RubricTemplate t;
    t.id = IdOf(41);
    t.code = std::string(kRubricCode);
    t.version = 1;
    t.title_ru = "Карта";
    t.title_en = "Rubric";
    t.body_json = SmallRubricJson();
    return t;
  }

  FakeContext ctx_;
};

// -----------------------------------------------------------------------------------------
// [SECTION] School
// -----------------------------------------------------------------------------------------

TEST_F(ValidationTest, SchoolValidPasses) {
  EXPECT_TRUE(NoErrors(Validate(ValidSchool(), ctx_)));
  EXPECT_TRUE(NoErrors(Validate(*ctx_.FindSchool(kSchoolB), ctx_)));
}

TEST_F(ValidationTest, SchoolCodeRequired) {
  School s = ValidSchool();
  s.code = "";
  EXPECT_TRUE(OnlyOn(Validate(s, ctx_), {"code"}));
  s.code = " \t ";
  EXPECT_TRUE(OnlyOn(Validate(s, ctx_), {"code"}));
}

TEST_F(ValidationTest, SchoolNameRequired) {
  School s = ValidSchool();
  s.name = "\n";
  const auto errors = Validate(s, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"name"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "name", Language::kRussian), "наименование"));
}

TEST_F(ValidationTest, SchoolMunicipalityRequired) {
  School s = ValidSchool();
  s.municipality.clear();
  EXPECT_TRUE(OnlyOn(Validate(s, ctx_), {"municipality"}));
}

TEST_F(ValidationTest, SchoolAllRequiredFieldsReportedTogether) {
  School s = ValidSchool();
  s.code.clear();
  s.name.clear();
  s.municipality.clear();
  EXPECT_TRUE(OnlyOn(Validate(s, ctx_), {"code", "name", "municipality"}));
}

TEST_F(ValidationTest, SchoolCountsAndDistanceInRange) {
  School s = ValidSchool();
  s.distance_km = -1;
  EXPECT_TRUE(OnlyOn(Validate(s, ctx_), {"distance_km"}));
  s.distance_km = 2000;
  EXPECT_TRUE(NoErrors(Validate(s, ctx_)));
  s.distance_km = 2000.5;
  EXPECT_TRUE(OnlyOn(Validate(s, ctx_), {"distance_km"}));

  s = ValidSchool();
  s.pupils = -1;
  EXPECT_TRUE(OnlyOn(Validate(s, ctx_), {"pupils"}));
  s.pupils = 10001;
  EXPECT_TRUE(OnlyOn(Validate(s, ctx_), {"pupils"}));

  s = ValidSchool();
  s.teachers = 1001;
  const auto errors = Validate(s, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"teachers"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "teachers", Language::kEnglish), "1001"));
  EXPECT_TRUE(Contains(MessageOn(errors, "teachers", Language::kEnglish), "between 0 and 1000"));
}

TEST_F(ValidationTest, SchoolStatusYearCheckedOnlyWithStatuses) {
  School s = ValidSchool();
  s.status_year = 0;
  EXPECT_TRUE(OnlyOn(Validate(s, ctx_), {"status_year"}));
  s.status_year = 2101;
  EXPECT_TRUE(OnlyOn(Validate(s, ctx_), {"status_year"}));
  s.statuses.clear();
  s.status_year = 0;  // An ordinary school has no status year.
  EXPECT_TRUE(NoErrors(Validate(s, ctx_)));
}

TEST_F(ValidationTest, SchoolLeaderCannotAlsoHaveLowResults) {
  School s = ValidSchool();
  s.statuses = {SchoolStatus::kLeader, SchoolStatus::kLowResults};
  EXPECT_TRUE(OnlyOn(Validate(s, ctx_), {"statuses"}));
  s.statuses = {SchoolStatus::kAdverseConditions, SchoolStatus::kLeader};
  EXPECT_TRUE(OnlyOn(Validate(s, ctx_), {"statuses"}));
  s.statuses = {SchoolStatus::kLowResults, SchoolStatus::kAdverseConditions};  // ШНОР and ШНСУ together are fine.
  EXPECT_TRUE(NoErrors(Validate(s, ctx_)));
}

TEST_F(ValidationTest, SchoolLeaderPartnerNotItself) {
  School s = ValidSchool();
  s.leader_partner_id = s.id;
  EXPECT_TRUE(OnlyOn(Validate(s, ctx_), {"leader_partner_id"}));
}

TEST_F(ValidationTest, SchoolLeaderPartnerMustExist) {
  School s = ValidSchool();
  s.leader_partner_id = kUnknown;
  const auto errors = Validate(s, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"leader_partner_id"}));
  // Says what happened and what to do, never the id (a person cannot use it).
  EXPECT_TRUE(Contains(MessageOn(errors, "leader_partner_id", Language::kEnglish), "not on this device"));
  EXPECT_TRUE(Contains(MessageOn(errors, "leader_partner_id", Language::kRussian), "Выберите школу заново"));
  EXPECT_FALSE(Contains(MessageOn(errors, "leader_partner_id", Language::kEnglish), kUnknown.ToString()));
  s.leader_partner_id = std::nullopt;
  EXPECT_TRUE(NoErrors(Validate(s, ctx_)));
}

TEST_F(ValidationTest, SchoolTransitionProgrammeNotAdoptedInFuture) {
  School s = ValidSchool();
  s.transition_programme = TransitionProgramme::kAdopted;
  s.transition_programme_adopted_on = kToday;
  EXPECT_TRUE(NoErrors(Validate(s, ctx_)));
  s.transition_programme_adopted_on = kToday.AddDays(1);
  const auto errors = Validate(s, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"transition_programme_adopted_on"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "transition_programme_adopted_on", Language::kEnglish), "2025-03-15"));
  EXPECT_TRUE(Contains(MessageOn(errors, "transition_programme_adopted_on", Language::kRussian), "2025-03-14"));
}

// -----------------------------------------------------------------------------------------
// [SECTION] Person
// -----------------------------------------------------------------------------------------

TEST_F(ValidationTest, PersonValidPasses) {
  EXPECT_TRUE(NoErrors(Validate(ValidPerson(), ctx_)));
  // A mentor works for the district, not a school.
  EXPECT_TRUE(NoErrors(Validate(*ctx_.FindPerson(kMentor), ctx_)));
}

TEST_F(ValidationTest, PersonFullNameRequired) {
  Person p = ValidPerson();
  p.full_name = "   ";
  const auto errors = Validate(p, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"full_name"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "full_name", Language::kRussian), "ФИО"));
}

TEST_F(ValidationTest, PersonRolesRequired) {
  Person p = ValidPerson();
  p.roles.clear();
  EXPECT_TRUE(OnlyOn(Validate(p, ctx_), {"roles"}));
}

TEST_F(ValidationTest, PersonSchoolRequiredForTeachersAndSchoolStaff) {
  for (Role role : {Role::kTeacher, Role::kDirector, Role::kDeputyDirector, Role::kSchoolCoordinator}) {
    Person p = ValidPerson();
    p.roles = {Role::kMentor, role};
    p.school_id = std::nullopt;
    EXPECT_TRUE(OnlyOn(Validate(p, ctx_), {"school_id"})) << EnumCode(role);
  }
  for (Role role : {Role::kMentor, Role::kTutor, Role::kCoordinator}) {
    Person p = ValidPerson();
    p.roles = {role};
    p.school_id = std::nullopt;
    EXPECT_TRUE(NoErrors(Validate(p, ctx_))) << EnumCode(role);
  }
}

TEST_F(ValidationTest, PersonSchoolMustExist) {
  Person p = ValidPerson();
  p.school_id = kUnknown;
  EXPECT_TRUE(OnlyOn(Validate(p, ctx_), {"school_id"}));
  p.school_id = Uuid();
  const auto errors = Validate(p, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"school_id"}));
  EXPECT_EQ(MessageOn(errors, "school_id", Language::kEnglish), "Choose a school.");
}

TEST_F(ValidationTest, PersonEmailNeedsAtSign) {
  Person p = ValidPerson();
  p.email = "orlova.school.example";
  const auto errors = Validate(p, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"email"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "email", Language::kRussian), "orlova.school.example"));
  p.email.clear();  // E-mail is optional.
  EXPECT_TRUE(NoErrors(Validate(p, ctx_)));
}

// -----------------------------------------------------------------------------------------
// [SECTION] Assignment
// -----------------------------------------------------------------------------------------

TEST_F(ValidationTest, AssignmentValidPasses) {
  EXPECT_TRUE(NoErrors(Validate(ValidAssignment(), ctx_)));

  Assignment tutor_teacher = ValidAssignment();
  tutor_teacher.kind = AssignmentKind::kTutorTeacher;
  tutor_teacher.assignee_id = kTutor;
  tutor_teacher.teacher_id = kTeacherA;
  EXPECT_TRUE(NoErrors(Validate(tutor_teacher, ctx_)));

  Assignment tutor_subject = ValidAssignment();
  tutor_subject.kind = AssignmentKind::kTutorSchoolSubject;
  tutor_subject.assignee_id = kTutor;
  tutor_subject.subject = "русский язык";
  tutor_subject.ends_on = std::nullopt;
  EXPECT_TRUE(NoErrors(Validate(tutor_subject, ctx_)));
}

TEST_F(ValidationTest, AssignmentAssigneeMustHaveRole) {
  Assignment a = ValidAssignment();
  a.assignee_id = kTutor;  // A mentor-to-school assignment needs a mentor.
  auto errors = Validate(a, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"assignee_id"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "assignee_id", Language::kEnglish), "Смирнова Татьяна Юрьевна"));
  EXPECT_TRUE(Contains(MessageOn(errors, "assignee_id", Language::kRussian), "наставник"));

  a.kind = AssignmentKind::kTutorSchoolSubject;
  a.subject = "физика";
  a.assignee_id = kMentor;  // And a tutor assignment needs a tutor.
  errors = Validate(a, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"assignee_id"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "assignee_id", Language::kEnglish), "tutor"));
}

TEST_F(ValidationTest, AssignmentAssigneeMustExist) {
  Assignment a = ValidAssignment();
  a.assignee_id = kUnknown;
  EXPECT_TRUE(OnlyOn(Validate(a, ctx_), {"assignee_id"}));
  a.assignee_id = Uuid();
  const auto errors = Validate(a, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"assignee_id"}));
  EXPECT_EQ(MessageOn(errors, "assignee_id", Language::kRussian), "Выберите человека.");
}

TEST_F(ValidationTest, AssignmentSchoolMustExist) {
  Assignment a = ValidAssignment();
  a.school_id = Uuid();
  EXPECT_TRUE(OnlyOn(Validate(a, ctx_), {"school_id"}));
  a.school_id = kUnknown;
  EXPECT_TRUE(OnlyOn(Validate(a, ctx_), {"school_id"}));
}

TEST_F(ValidationTest, AssignmentTutorTeacherNeedsTeacher) {
  Assignment a = ValidAssignment();
  a.kind = AssignmentKind::kTutorTeacher;
  a.assignee_id = kTutor;
  a.teacher_id = std::nullopt;
  EXPECT_TRUE(OnlyOn(Validate(a, ctx_), {"teacher_id"}));
}

TEST_F(ValidationTest, AssignmentTeacherMustBelongToSchool) {
  Assignment a = ValidAssignment();
  a.kind = AssignmentKind::kTutorTeacher;
  a.assignee_id = kTutor;
  a.teacher_id = kTeacherB;
  const auto errors = Validate(a, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"teacher_id"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "teacher_id", Language::kEnglish), "Петров Борис Ильич"));
  EXPECT_TRUE(Contains(MessageOn(errors, "teacher_id", Language::kRussian), "Петров Борис Ильич"));
}

TEST_F(ValidationTest, AssignmentTeacherMustHaveTeacherRole) {
  Assignment a = ValidAssignment();
  a.kind = AssignmentKind::kTutorTeacher;
  a.assignee_id = kTutor;
  a.teacher_id = kDirectorA;
  const auto errors = Validate(a, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"teacher_id"}));
  EXPECT_TRUE(
      Contains(MessageOn(errors, "teacher_id", Language::kEnglish), "Сидоров Дмитрий Олегович is not a teacher"));
}

TEST_F(ValidationTest, AssignmentSubjectRequiredForSchoolSubject) {
  Assignment a = ValidAssignment();
  a.kind = AssignmentKind::kTutorSchoolSubject;
  a.assignee_id = kTutor;
  a.subject = " ";
  EXPECT_TRUE(OnlyOn(Validate(a, ctx_), {"subject"}));
}

TEST_F(ValidationTest, AssignmentEndsBeforeStartRejected) {
  Assignment a = ValidAssignment();
  a.ends_on = a.starts_on.AddDays(-1);
  const auto errors = Validate(a, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"ends_on"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "ends_on", Language::kEnglish), "2024-08-31 < 2024-09-01"));
  a.ends_on = a.starts_on;  // A one-day assignment is fine.
  EXPECT_TRUE(NoErrors(Validate(a, ctx_)));
}

// -----------------------------------------------------------------------------------------
// [SECTION] Visit
// -----------------------------------------------------------------------------------------

TEST_F(ValidationTest, VisitValidPasses) { EXPECT_TRUE(NoErrors(Validate(ValidVisit(), ctx_))); }

TEST_F(ValidationTest, VisitDatedTodayPasses) {
  Visit v = ValidVisit();
  v.date = kToday;
  EXPECT_TRUE(NoErrors(Validate(v, ctx_)));
}

TEST_F(ValidationTest, VisitNotDatedAfterToday) {
  Visit v = ValidVisit();
  v.date = kToday.AddDays(1);
  const auto errors = Validate(v, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"date"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "date", Language::kEnglish), "in the future"));
  EXPECT_TRUE(Contains(MessageOn(errors, "date", Language::kRussian), "ещё не наступила"));
}

TEST_F(ValidationTest, VisitTodayFollowsTheContextClock) {
  Visit v = ValidVisit();
  v.date = kToday.AddDays(1);
  ctx_.SetToday(kToday.AddDays(1));
  EXPECT_TRUE(NoErrors(Validate(v, ctx_)));
}

TEST_F(ValidationTest, VisitSchoolMustExist) {
  Visit v = ValidVisit();
  v.school_id = kUnknown;
  EXPECT_TRUE(OnlyOn(Validate(v, ctx_), {"school_id"}));
}

TEST_F(ValidationTest, VisitNeedsVisitors) {
  Visit v = ValidVisit();
  v.visitor_ids.clear();
  EXPECT_TRUE(OnlyOn(Validate(v, ctx_), {"visitor_ids"}));
  v.visitor_ids = {kMentor, kUnknown};
  EXPECT_TRUE(OnlyOn(Validate(v, ctx_), {"visitor_ids"}));
}

TEST_F(ValidationTest, VisitNeedsPurpose) {
  Visit v = ValidVisit();
  v.purposes.clear();
  EXPECT_TRUE(OnlyOn(Validate(v, ctx_), {"purposes"}));
}

// -----------------------------------------------------------------------------------------
// [SECTION] Observation
// -----------------------------------------------------------------------------------------

TEST_F(ValidationTest, ObservationValidPasses) {
  EXPECT_TRUE(NoErrors(Validate(ValidObservation(), ctx_)));
  Observation o = ValidObservation();
  o.date = kToday;
  EXPECT_TRUE(NoErrors(Validate(o, ctx_)));
}

TEST_F(ValidationTest, ObservationTeacherMustBelongToSchool) {
  Observation o = ValidObservation();
  o.teacher_id = kTeacherB;
  const auto errors = Validate(o, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"teacher_id"}));
  const std::string en = MessageOn(errors, "teacher_id", Language::kEnglish);
  const std::string ru = MessageOn(errors, "teacher_id", Language::kRussian);
  EXPECT_TRUE(Contains(en, "Петров Борис Ильич")) << en;
  EXPECT_TRUE(Contains(en, "МОУ СОШ с. Кременкуль")) << en;
  EXPECT_TRUE(Contains(ru, "Петров Борис Ильич")) << ru;
  EXPECT_TRUE(Contains(ru, "Выберите учителя этой школы")) << ru;
}

TEST_F(ValidationTest, ObservationTeacherMustHaveTeacherRole) {
  Observation o = ValidObservation();
  o.teacher_id = kDirectorA;
  const auto errors = Validate(o, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"teacher_id"}));
  EXPECT_TRUE(
      Contains(MessageOn(errors, "teacher_id", Language::kRussian), "Сидоров Дмитрий Олегович не является: учитель"));
}

TEST_F(ValidationTest, ObservationTeacherMustExist) {
  Observation o = ValidObservation();
  o.teacher_id = Uuid();
  EXPECT_TRUE(OnlyOn(Validate(o, ctx_), {"teacher_id"}));
  o.teacher_id = kUnknown;
  EXPECT_TRUE(OnlyOn(Validate(o, ctx_), {"teacher_id"}));
}

TEST_F(ValidationTest, ObservationObserverMustExist) {
  Observation o = ValidObservation();
  o.observer_id = kUnknown;
  EXPECT_TRUE(OnlyOn(Validate(o, ctx_), {"observer_id"}));
}

TEST_F(ValidationTest, ObservationSchoolMustExist) {
  Observation o = ValidObservation();
  o.school_id = Uuid();
  // Without a school there is nothing to compare the teacher's school with.
  EXPECT_TRUE(OnlyOn(Validate(o, ctx_), {"school_id"}));
}

TEST_F(ValidationTest, ObservationNotDatedAfterToday) {
  Observation o = ValidObservation();
  o.date = kToday.AddDays(30);
  EXPECT_TRUE(OnlyOn(Validate(o, ctx_), {"date"}));
}

TEST_F(ValidationTest, ObservationSubjectRequired) {
  Observation o = ValidObservation();
  o.subject.clear();
  EXPECT_TRUE(OnlyOn(Validate(o, ctx_), {"subject"}));
}

TEST_F(ValidationTest, ObservationGradeFromOneToEleven) {
  Observation o = ValidObservation();
  for (int64_t grade : {1, 11}) {
    o.grade = grade;
    EXPECT_TRUE(NoErrors(Validate(o, ctx_))) << grade;
  }
  for (int64_t grade : {0, 12, -3}) {
    o.grade = grade;
    EXPECT_TRUE(OnlyOn(Validate(o, ctx_), {"grade"})) << grade;
  }
}

TEST_F(ValidationTest, ObservationRubricMustBeInstalled) {
  Observation o = ValidObservation();
  o.rubric_version = 2;
  auto errors = Validate(o, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"rubric_code"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "rubric_code", Language::kEnglish), "«lesson_observation» version 2"));
  o.rubric_version = 1;
  o.rubric_code = "";
  EXPECT_TRUE(OnlyOn(Validate(o, ctx_), {"rubric_code"}));
}

// -----------------------------------------------------------------------------------------
// [SECTION] ObservationScore
// -----------------------------------------------------------------------------------------

TEST_F(ValidationTest, ObservationScoreLevelsWithinScalePass) {
  ObservationScore s = ValidScore();
  for (int64_t level = 0; level <= 3; ++level) {
    s.level = level;
    EXPECT_TRUE(NoErrors(Validate(s, ctx_))) << level;
  }
}

TEST_F(ValidationTest, ObservationScoreNotObservedPasses) {
  ObservationScore s = ValidScore();
  s.level = std::nullopt;
  EXPECT_TRUE(NoErrors(Validate(s, ctx_)));
}

TEST_F(ValidationTest, ObservationScoreLevelOutsideScaleRejected) {
  ObservationScore s = ValidScore();
  for (int64_t level : {4, -1, 100}) {
    s.level = level;
    const auto errors = Validate(s, ctx_);
    EXPECT_TRUE(OnlyOn(errors, {"level"})) << level;
    EXPECT_TRUE(Contains(MessageOn(errors, "level", Language::kEnglish), "0..3")) << level;
    EXPECT_TRUE(Contains(MessageOn(errors, "level", Language::kEnglish), "Lesson aim made clear")) << level;
    EXPECT_TRUE(Contains(MessageOn(errors, "level", Language::kRussian), "Цель урока понятна")) << level;
  }
}

TEST_F(ValidationTest, ObservationScoreUnknownCriterionRejected) {
  ObservationScore s = ValidScore();
  s.criterion_code = "homework_checked";
  auto errors = Validate(s, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"criterion_code"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "criterion_code", Language::kEnglish), "«homework_checked»"));
  // An unknown criterion with an out-of-scale level reports both.
  s.level = 7;
  errors = Validate(s, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"criterion_code", "level"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "level", Language::kEnglish), "homework_checked"));
}

TEST_F(ValidationTest, ObservationScoreNeedsSavedObservation) {
  ObservationScore s = ValidScore();
  s.observation_id = kUnknown;
  s.level = 9;  // Not checked: without the observation there is no scale.
  EXPECT_TRUE(OnlyOn(Validate(s, ctx_), {"observation_id"}));
}

TEST_F(ValidationTest, ObservationScoreWithUninstalledRubricLeftToObservation) {
  Observation o = ValidObservation();
  o.id = IdOf(50);
  o.rubric_version = 7;
  ctx_.AddObservation(o);
  ObservationScore s = ValidScore();
  s.observation_id = o.id;
  s.level = 9;
  // The missing rubric is reported once, on the observation.
  EXPECT_TRUE(NoErrors(Validate(s, ctx_)));
  EXPECT_TRUE(OnlyOn(Validate(o, ctx_), {"rubric_code"}));
}

TEST_F(ValidationTest, ObservationScoreUsesTheObservationsRubricScale) {
  Rubric wide = SmallRubric();
  wide.version = 2;
  wide.min_level = 1;
  wide.max_level = 5;
  ctx_.AddRubric(wide);
  Observation o = ValidObservation();
  o.id = IdOf(51);
  o.rubric_version = 2;
  ctx_.AddObservation(o);

  ObservationScore s = ValidScore();
  s.observation_id = o.id;
  s.level = 5;
  EXPECT_TRUE(NoErrors(Validate(s, ctx_)));
  s.level = 0;
  const auto errors = Validate(s, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"level"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "level", Language::kRussian), "1..5"));
}

// -----------------------------------------------------------------------------------------
// [SECTION] Consultation
// -----------------------------------------------------------------------------------------

TEST_F(ValidationTest, ConsultationValidPasses) {
  EXPECT_TRUE(NoErrors(Validate(ValidConsultation(), ctx_)));
  Consultation c = ValidConsultation();
  c.audience = ConsultationAudience::kTeacher;
  c.teacher_id = kTeacherA;
  c.date = kToday;
  EXPECT_TRUE(NoErrors(Validate(c, ctx_)));
}

TEST_F(ValidationTest, ConsultationNotDatedAfterToday) {
  Consultation c = ValidConsultation();
  c.date = kToday.AddDays(1);
  EXPECT_TRUE(OnlyOn(Validate(c, ctx_), {"date"}));
}

TEST_F(ValidationTest, ConsultationSchoolAndConsultantMustExist) {
  Consultation c = ValidConsultation();
  c.school_id = kUnknown;
  EXPECT_TRUE(OnlyOn(Validate(c, ctx_), {"school_id"}));
  c = ValidConsultation();
  c.consultant_id = Uuid();
  EXPECT_TRUE(OnlyOn(Validate(c, ctx_), {"consultant_id"}));
}

TEST_F(ValidationTest, ConsultationMinutesFromOneToSixHundred) {
  Consultation c = ValidConsultation();
  for (int64_t minutes : {1, 600}) {
    c.minutes = minutes;
    EXPECT_TRUE(NoErrors(Validate(c, ctx_))) << minutes;
  }
  for (int64_t minutes : {0, 601}) {
    c.minutes = minutes;
    EXPECT_TRUE(OnlyOn(Validate(c, ctx_), {"minutes"})) << minutes;
  }
}

TEST_F(ValidationTest, ConsultationNeedsTopic) {
  Consultation c = ValidConsultation();
  c.topics.clear();
  EXPECT_TRUE(OnlyOn(Validate(c, ctx_), {"topics"}));
}

TEST_F(ValidationTest, ConsultationWithTeacherNeedsTeacher) {
  Consultation c = ValidConsultation();
  c.audience = ConsultationAudience::kTeacher;
  c.teacher_id = std::nullopt;
  EXPECT_TRUE(OnlyOn(Validate(c, ctx_), {"teacher_id"}));
}

TEST_F(ValidationTest, ConsultationTeacherMustBelongToSchool) {
  Consultation c = ValidConsultation();
  c.audience = ConsultationAudience::kTeacher;
  c.teacher_id = kTeacherB;
  const auto errors = Validate(c, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"teacher_id"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "teacher_id", Language::kEnglish), "Петров Борис Ильич"));
  EXPECT_TRUE(Contains(MessageOn(errors, "teacher_id", Language::kRussian), "Петров Борис Ильич"));

  c.teacher_id = kDirectorA;
  EXPECT_TRUE(OnlyOn(Validate(c, ctx_), {"teacher_id"}));
}

// -----------------------------------------------------------------------------------------
// [SECTION] Recommendation
// -----------------------------------------------------------------------------------------

TEST_F(ValidationTest, RecommendationValidPasses) {
  EXPECT_TRUE(NoErrors(Validate(ValidRecommendation(), ctx_)));

  Recommendation from_observation = ValidRecommendation();
  from_observation.source_kind = SourceKind::kObservation;
  from_observation.source_id = kObservation;
  from_observation.teacher_id = kTeacherA;
  from_observation.responsible_id = kTeacherA;
  EXPECT_TRUE(NoErrors(Validate(from_observation, ctx_)));

  Recommendation from_consultation = ValidRecommendation();
  from_consultation.source_kind = SourceKind::kConsultation;
  from_consultation.source_id = kConsultation;
  from_consultation.responsible_id = std::nullopt;
  from_consultation.responsible_name = "Завуч по УВР";
  EXPECT_TRUE(NoErrors(Validate(from_consultation, ctx_)));
}

TEST_F(ValidationTest, RecommendationTextRequired) {
  Recommendation r = ValidRecommendation();
  r.text = " \r\n";
  const auto errors = Validate(r, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"text"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "text", Language::kRussian), "текст рекомендации"));
}

TEST_F(ValidationTest, RecommendationDueDateStrictlyAfterSource) {
  const std::pair<SourceKind, Uuid> sources[] = {{SourceKind::kVisit, kVisit},
                                                 {SourceKind::kObservation, kObservation},
                                                 {SourceKind::kConsultation, kConsultation}};
  for (const auto& [kind, id] : sources) {
    Recommendation r = ValidRecommendation();
    r.source_kind = kind;
    r.source_id = id;
    const Date source_date = *ctx_.SourceDate(kind, id);
    r.due_on = source_date.AddDays(1);
    EXPECT_TRUE(NoErrors(Validate(r, ctx_))) << EnumCode(kind);

    r.due_on = source_date;  // The same day is not "after".
    auto errors = Validate(r, ctx_);
    EXPECT_TRUE(OnlyOn(errors, {"due_on"})) << EnumCode(kind);
    EXPECT_TRUE(Contains(MessageOn(errors, "due_on", Language::kEnglish), source_date.ToString())) << EnumCode(kind);
    EXPECT_TRUE(Contains(MessageOn(errors, "due_on", Language::kEnglish), EnumLabel(kind, Language::kEnglish)))
        << EnumCode(kind);
    EXPECT_TRUE(Contains(MessageOn(errors, "due_on", Language::kRussian), source_date.ToString())) << EnumCode(kind);

    r.due_on = source_date.AddDays(-10);
    EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"due_on"})) << EnumCode(kind);
  }
}

TEST_F(ValidationTest, RecommendationSourceMustExist) {
  Recommendation r = ValidRecommendation();
  r.source_kind = SourceKind::kConsultation;
  r.source_id = kVisit;  // A visit's id, looked up as a consultation.
  const auto errors = Validate(r, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"source_id"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "source_id", Language::kEnglish), "consultation"));
  EXPECT_TRUE(Contains(MessageOn(errors, "source_id", Language::kRussian), "консультация"));
}

TEST_F(ValidationTest, RecommendationSchoolMustExist) {
  Recommendation r = ValidRecommendation();
  r.school_id = kUnknown;
  EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"school_id"}));
}

TEST_F(ValidationTest, RecommendationTeacherMustBelongToSchool) {
  Recommendation r = ValidRecommendation();
  r.teacher_id = kTeacherB;
  const auto errors = Validate(r, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"teacher_id"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "teacher_id", Language::kEnglish), "Петров Борис Ильич"));
  EXPECT_TRUE(Contains(MessageOn(errors, "teacher_id", Language::kRussian), "Петров Борис Ильич"));
  r.teacher_id = kMentor;  // Not a teacher at all.
  EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"teacher_id", "teacher_id"}));
}

TEST_F(ValidationTest, RecommendationNeedsResponsible) {
  Recommendation r = ValidRecommendation();
  r.responsible_id = std::nullopt;
  r.responsible_name = "  ";
  EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"responsible_id"}));
  r.responsible_name = "Методист ИМЦ";
  EXPECT_TRUE(NoErrors(Validate(r, ctx_)));
  r.responsible_id = kUnknown;
  EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"responsible_id"}));
}

TEST_F(ValidationTest, RecommendationNotClosedInFuture) {
  Recommendation r = ValidRecommendation();
  r.status = RecommendationStatus::kDone;
  r.closed_on = kToday;
  EXPECT_TRUE(NoErrors(Validate(r, ctx_)));
  r.closed_on = kToday.AddDays(1);
  EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"closed_on"}));
}

TEST_F(ValidationTest, RecommendationReopenCountNotNegative) {
  Recommendation r = ValidRecommendation();
  r.reopen_count = -1;
  EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"reopen_count"}));
  r.reopen_count = 2;
  EXPECT_TRUE(NoErrors(Validate(r, ctx_)));
}

// -----------------------------------------------------------------------------------------
// [SECTION] RecommendationEvent
// -----------------------------------------------------------------------------------------

TEST_F(ValidationTest, RecommendationEventValidPasses) {
  EXPECT_TRUE(NoErrors(Validate(ValidEvent(), ctx_)));
  RecommendationEvent e = ValidEvent();
  e.kind = RecommendationEventKind::kStatusChange;
  e.text.clear();  // A status change needs no comment.
  EXPECT_TRUE(NoErrors(Validate(e, ctx_)));
}

TEST_F(ValidationTest, RecommendationEventNeedsRecommendation) {
  RecommendationEvent e = ValidEvent();
  e.recommendation_id = Uuid();
  EXPECT_TRUE(OnlyOn(Validate(e, ctx_), {"recommendation_id"}));
}

TEST_F(ValidationTest, RecommendationEventCommentAndReopenNeedText) {
  for (auto kind : {RecommendationEventKind::kComment, RecommendationEventKind::kReopen}) {
    RecommendationEvent e = ValidEvent();
    e.kind = kind;
    e.text = "\t";
    EXPECT_TRUE(OnlyOn(Validate(e, ctx_), {"text"})) << EnumCode(kind);
  }
}

TEST_F(ValidationTest, RecommendationEventNotDatedAfterToday) {
  RecommendationEvent e = ValidEvent();
  e.date = kToday.AddDays(1);
  EXPECT_TRUE(OnlyOn(Validate(e, ctx_), {"date"}));
}

// -----------------------------------------------------------------------------------------
// [SECTION] Deficit
// -----------------------------------------------------------------------------------------

TEST_F(ValidationTest, DeficitValidPasses) {
  EXPECT_TRUE(NoErrors(Validate(ValidDeficit(), ctx_)));
  Deficit d = ValidDeficit();
  d.found_on = kToday;
  d.closed_on = kToday;
  EXPECT_TRUE(NoErrors(Validate(d, ctx_)));
}

TEST_F(ValidationTest, DeficitTeacherMustBeTeacher) {
  Deficit d = ValidDeficit();
  d.teacher_id = kMentor;
  const auto errors = Validate(d, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"teacher_id"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "teacher_id", Language::kEnglish), "Кузнецова Мария Ивановна"));
  d.teacher_id = kUnknown;
  EXPECT_TRUE(OnlyOn(Validate(d, ctx_), {"teacher_id"}));
}

TEST_F(ValidationTest, AParticipantNeedsItsEventOnTheDevice) {
  NetworkEvent event;
  event.id = IdOf(60);
  event.title = "Семинар «Формирующее оценивание»";
  event.held_on = kVisitDate;
  EventParticipant p;
  p.id = IdOf(61);
  p.event_id = event.id;
  p.teacher_id = kTeacherA;
  const auto missing = Validate(p, ctx_);
  EXPECT_TRUE(OnlyOn(missing, {"event_id"}));
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].span, RuleSpan::kAcrossRecords) << "refused only when the event is what the save changes";
  ctx_.AddEvent(event);
  EXPECT_TRUE(NoErrors(Validate(p, ctx_)));
  p.event_id = Uuid();
  EXPECT_TRUE(OnlyOn(Validate(p, ctx_), {"event_id"}));
}

TEST_F(ValidationTest, DeficitAreaRequired) {
  Deficit d = ValidDeficit();
  d.area.clear();
  EXPECT_TRUE(OnlyOn(Validate(d, ctx_), {"area"}));
}

TEST_F(ValidationTest, DeficitNotFoundAfterToday) {
  Deficit d = ValidDeficit();
  d.found_on = kToday.AddDays(1);
  EXPECT_TRUE(OnlyOn(Validate(d, ctx_), {"found_on"}));
}

TEST_F(ValidationTest, DeficitClosedBeforeFoundRejected) {
  Deficit d = ValidDeficit();
  d.closed_on = d.found_on.AddDays(-1);
  EXPECT_TRUE(OnlyOn(Validate(d, ctx_), {"closed_on"}));
}

TEST_F(ValidationTest, DeficitNotClosedAfterToday) {
  Deficit d = ValidDeficit();
  d.closed_on = kToday.AddDays(1);
  EXPECT_TRUE(OnlyOn(Validate(d, ctx_), {"closed_on"}));
}

TEST_F(ValidationTest, DeficitObservationMustExist) {
  Deficit d = ValidDeficit();
  d.observation_id = kUnknown;
  const auto errors = Validate(d, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"observation_id"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "observation_id", Language::kEnglish), "not on this device"));
  EXPECT_FALSE(Contains(MessageOn(errors, "observation_id", Language::kRussian), kUnknown.ToString()));
  d.observation_id = std::nullopt;
  EXPECT_TRUE(NoErrors(Validate(d, ctx_)));
}

// -----------------------------------------------------------------------------------------
// [SECTION] RoadmapItem
// -----------------------------------------------------------------------------------------

TEST_F(ValidationTest, RoadmapItemValidPasses) {
  EXPECT_TRUE(NoErrors(Validate(ValidRoadmapItem(), ctx_)));
  RoadmapItem r = ValidRoadmapItem();
  r.level = RoadmapLevel::kDistrict;
  r.school_id = std::nullopt;
  r.ends_on = r.starts_on;
  EXPECT_TRUE(NoErrors(Validate(r, ctx_)));
}

TEST_F(ValidationTest, RoadmapItemTitleRequired) {
  RoadmapItem r = ValidRoadmapItem();
  r.title.clear();
  EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"title"}));
}

TEST_F(ValidationTest, RoadmapItemEndsBeforeStartRejected) {
  RoadmapItem r = ValidRoadmapItem();
  r.ends_on = r.starts_on.AddDays(-1);
  EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"ends_on"}));
}

TEST_F(ValidationTest, RoadmapItemSchoolLevelNeedsSchool) {
  RoadmapItem r = ValidRoadmapItem();
  r.school_id = std::nullopt;
  EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"school_id"}));
  r.school_id = kUnknown;
  EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"school_id"}));
}

// -----------------------------------------------------------------------------------------
// [SECTION] NetworkAgreement
// -----------------------------------------------------------------------------------------

TEST_F(ValidationTest, NetworkAgreementValidPasses) {
  EXPECT_TRUE(NoErrors(Validate(ValidAgreement(), ctx_)));
  NetworkAgreement a = ValidAgreement();
  a.ends_on = std::nullopt;
  a.signed_on = kToday;
  EXPECT_TRUE(NoErrors(Validate(a, ctx_)));
}

TEST_F(ValidationTest, NetworkAgreementNumberRequired) {
  NetworkAgreement a = ValidAgreement();
  a.number = "";
  const auto errors = Validate(a, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"number"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "number", Language::kRussian), "номер договора"));
}

TEST_F(ValidationTest, NetworkAgreementNotSignedAfterToday) {
  NetworkAgreement a = ValidAgreement();
  a.signed_on = kToday.AddDays(1);
  a.ends_on = std::nullopt;
  EXPECT_TRUE(OnlyOn(Validate(a, ctx_), {"signed_on"}));
}

TEST_F(ValidationTest, NetworkAgreementLeaderMustBeAnotherSchool) {
  NetworkAgreement a = ValidAgreement();
  a.leader_school_id = a.supported_school_id;
  EXPECT_TRUE(OnlyOn(Validate(a, ctx_), {"leader_school_id"}));
}

TEST_F(ValidationTest, NetworkAgreementSchoolsMustExist) {
  NetworkAgreement a = ValidAgreement();
  a.supported_school_id = kUnknown;
  EXPECT_TRUE(OnlyOn(Validate(a, ctx_), {"supported_school_id"}));
  a = ValidAgreement();
  a.leader_school_id = kUnknown;
  EXPECT_TRUE(OnlyOn(Validate(a, ctx_), {"leader_school_id"}));
}

TEST_F(ValidationTest, NetworkAgreementEndsBeforeSignedRejected) {
  NetworkAgreement a = ValidAgreement();
  a.ends_on = a.signed_on.AddDays(-1);
  EXPECT_TRUE(OnlyOn(Validate(a, ctx_), {"ends_on"}));
}

// -----------------------------------------------------------------------------------------
// [SECTION] AssessmentResult
// -----------------------------------------------------------------------------------------

TEST_F(ValidationTest, AssessmentResultValidPasses) {
  EXPECT_TRUE(NoErrors(Validate(ValidResult(), ctx_)));
  AssessmentResult r = ValidResult();
  r.share_below_min = 0.6;
  r.share_top = 0.4;  // Exactly 1 is fine.
  r.year = kToday.year() + 1;
  EXPECT_TRUE(NoErrors(Validate(r, ctx_)));
  r.share_below_min = 0.7;
  r.share_top = 0.2 + 0.1;  // 0.7 + 0.30000000000000004: rounding is not an error.
  EXPECT_TRUE(NoErrors(Validate(r, ctx_)));
}

TEST_F(ValidationTest, AssessmentResultSharesBetweenZeroAndOne) {
  AssessmentResult r = ValidResult();
  r.share_below_min = -0.1;
  EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"share_below_min"}));
  r = ValidResult();
  r.share_below_min = 0;
  r.share_top = 1.5;  // Out of range, and the sum is over 1 too.
  EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"share_top", "share_top"}));
  r.share_top = -0.5;
  EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"share_top"}));
}

TEST_F(ValidationTest, AssessmentResultSharesSumAtMostOne) {
  AssessmentResult r = ValidResult();
  r.share_below_min = 0.7;
  r.share_top = 0.4;
  const auto errors = Validate(r, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"share_top"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "share_top", Language::kEnglish), "more than 1"));
}

TEST_F(ValidationTest, AssessmentResultGradeFromOneToEleven) {
  AssessmentResult r = ValidResult();
  r.grade = 11;
  EXPECT_TRUE(NoErrors(Validate(r, ctx_)));
  for (int64_t grade : {0, 12}) {
    r.grade = grade;
    EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"grade"})) << grade;
  }
}

TEST_F(ValidationTest, AssessmentResultYearNotBeyondNextYear) {
  AssessmentResult r = ValidResult();
  r.year = kToday.year() + 2;
  EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"year"}));
  r.year = 1999;
  EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"year"}));
}

TEST_F(ValidationTest, AssessmentResultOtherFields) {
  AssessmentResult r = ValidResult();
  r.subject.clear();
  EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"subject"}));
  r = ValidResult();
  r.participants = -1;
  EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"participants"}));
  r = ValidResult();
  r.mean_score = 100.5;
  EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"mean_score"}));
  r = ValidResult();
  r.school_id = Uuid();
  EXPECT_TRUE(OnlyOn(Validate(r, ctx_), {"school_id"}));
}

// -----------------------------------------------------------------------------------------
// [SECTION] ContextIndicator
// -----------------------------------------------------------------------------------------

TEST_F(ValidationTest, ContextIndicatorValidPasses) {
  EXPECT_TRUE(NoErrors(Validate(ValidIndicator(), ctx_)));
  ContextIndicator c = ValidIndicator();
  c.indicator = "teacher_vacancies";  // A count, not a share.
  c.value = 3;
  EXPECT_TRUE(NoErrors(Validate(c, ctx_)));
}

TEST_F(ValidationTest, ContextIndicatorUnknownCodeRejected) {
  ContextIndicator c = ValidIndicator();
  c.indicator = "poverty";
  const auto errors = Validate(c, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"indicator"}));
  const std::string en = MessageOn(errors, "indicator", Language::kEnglish);
  EXPECT_TRUE(Contains(en, "«poverty»")) << en;
  for (const auto& known : KnownContextIndicators()) EXPECT_TRUE(Contains(en, known.code)) << known.code;
  EXPECT_TRUE(Contains(MessageOn(errors, "indicator", Language::kRussian), "неизвестный показатель"));
}

TEST_F(ValidationTest, ContextIndicatorShareBetweenZeroAndOne) {
  ContextIndicator c = ValidIndicator();
  for (double v : {0.0, 1.0}) {
    c.value = v;
    EXPECT_TRUE(NoErrors(Validate(c, ctx_))) << v;
  }
  for (double v : {1.5, -0.01}) {
    c.value = v;
    EXPECT_TRUE(OnlyOn(Validate(c, ctx_), {"value"})) << v;
  }
}

TEST_F(ValidationTest, ContextIndicatorCountNotNegative) {
  ContextIndicator c = ValidIndicator();
  c.indicator = "teacher_vacancies";
  c.value = -1;
  EXPECT_TRUE(OnlyOn(Validate(c, ctx_), {"value"}));
}

TEST_F(ValidationTest, ContextIndicatorYearAndSchool) {
  ContextIndicator c = ValidIndicator();
  c.year = kToday.year() + 2;
  EXPECT_TRUE(OnlyOn(Validate(c, ctx_), {"year"}));
  c = ValidIndicator();
  c.school_id = kUnknown;
  EXPECT_TRUE(OnlyOn(Validate(c, ctx_), {"school_id"}));
}

// -----------------------------------------------------------------------------------------
// [SECTION] RubricTemplate
// -----------------------------------------------------------------------------------------

TEST_F(ValidationTest, RubricTemplateValidPasses) { EXPECT_TRUE(NoErrors(Validate(ValidTemplate(), ctx_))); }

TEST_F(ValidationTest, RubricTemplateBrokenBodyRejected) {
  RubricTemplate t = ValidTemplate();
  t.body_json = t.body_json.substr(0, t.body_json.size() / 2);
  auto errors = Validate(t, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"body_json"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "body_json", Language::kEnglish), "not valid JSON"));
  EXPECT_TRUE(Contains(MessageOn(errors, "body_json", Language::kEnglish), "lesson_observation"));

  t.body_json = R"({"code":"lesson_observation","version":1})";  // Valid JSON, not a template.
  errors = Validate(t, ctx_);
  EXPECT_TRUE(OnlyOn(errors, {"body_json"}));
  EXPECT_TRUE(Contains(MessageOn(errors, "body_json", Language::kEnglish), "«title»"));

  t.body_json.clear();
  EXPECT_TRUE(OnlyOn(Validate(t, ctx_), {"body_json"}));
}

TEST_F(ValidationTest, RubricTemplateCodeAndVersionMustMatchBody) {
  RubricTemplate t = ValidTemplate();
  t.version = 2;
  EXPECT_TRUE(OnlyOn(Validate(t, ctx_), {"version"}));
  t = ValidTemplate();
  t.code = "lesson_observation_short";
  EXPECT_TRUE(OnlyOn(Validate(t, ctx_), {"version"}));
}

// -----------------------------------------------------------------------------------------
// [SECTION] Enum fields from text (FieldCodec<E>)
// -----------------------------------------------------------------------------------------

TEST(ValidationEnumTextTest, AcceptsCodesAndLabelsInBothLanguages) {
  Settlement settlement = Settlement::kUrban;
  ASSERT_TRUE(FieldCodec<Settlement>::FromText("село", settlement).ok());
  EXPECT_EQ(settlement, Settlement::kRural);
  settlement = Settlement::kRural;
  ASSERT_TRUE(FieldCodec<Settlement>::FromText(" Город ", settlement).ok());
  EXPECT_EQ(settlement, Settlement::kUrban);
  ASSERT_TRUE(FieldCodec<Settlement>::FromText("RURAL", settlement).ok());
  EXPECT_EQ(settlement, Settlement::kRural);

  Assessment assessment = Assessment::kVpr;
  ASSERT_TRUE(FieldCodec<Assessment>::FromText("ЕГЭ", assessment).ok());
  EXPECT_EQ(assessment, Assessment::kEge);
  ASSERT_TRUE(FieldCodec<Assessment>::FromText("огэ", assessment).ok());
  EXPECT_EQ(assessment, Assessment::kOge);

  RecommendationStatus status = RecommendationStatus::kOpen;
  ASSERT_TRUE(FieldCodec<RecommendationStatus>::FromText("в работе", status).ok());
  EXPECT_EQ(status, RecommendationStatus::kInProgress);
  status = RecommendationStatus::kOpen;
  ASSERT_TRUE(FieldCodec<RecommendationStatus>::FromText("В работе", status).ok());
  EXPECT_EQ(status, RecommendationStatus::kInProgress);
  status = RecommendationStatus::kOpen;
  ASSERT_TRUE(FieldCodec<RecommendationStatus>::FromText("in-progress", status).ok());
  EXPECT_EQ(status, RecommendationStatus::kInProgress);
  ASSERT_TRUE(FieldCodec<RecommendationStatus>::FromText("снята", status).ok());
  EXPECT_EQ(status, RecommendationStatus::kDropped);

  SchoolStatus school_status = SchoolStatus::kLeader;
  ASSERT_TRUE(FieldCodec<SchoolStatus>::FromText("шнор", school_status).ok());
  EXPECT_EQ(school_status, SchoolStatus::kLowResults);

  // 'е' for 'ё', as people type it («прекращён»).
  AgreementStatus agreement = AgreementStatus::kActive;
  ASSERT_TRUE(FieldCodec<AgreementStatus>::FromText("Прекращен", agreement).ok());
  EXPECT_EQ(agreement, AgreementStatus::kEnded);
  agreement = AgreementStatus::kActive;
  ASSERT_TRUE(FieldCodec<AgreementStatus>::FromText("прекращён", agreement).ok());
  EXPECT_EQ(agreement, AgreementStatus::kEnded);
}

TEST(ValidationEnumTextTest, ASchoolsStatusIsReadInTheSeedsTermsAndAsPeopleTypeIt) {
  using S = SchoolStatus;
  const std::vector<std::pair<const char*, S>> cases = {
      {"ШНОР", S::kLowResults},
      {"шнор ", S::kLowResults},
      {"Школа с низкими образовательными результатами", S::kLowResults},
      {"школа с низкими результатами обучения", S::kLowResults},
      {"ШНСУ", S::kAdverseConditions},
      {"ШССУ", S::kAdverseConditions},  // 000
      {"шсу", S::kAdverseConditions},   // 002
      {"Школа, функционирующая в сложных социальных условиях", S::kAdverseConditions},
      {"школа-лидер", S::kLeader},
      {"Школа лидер", S::kLeader},
      {"ШКОЛА  —  ЛИДЕР.", S::kLeader},
      {"лидер", S::kLeader},
      {"Leader", S::kLeader},
      {"low-results", S::kLowResults},
  };
  for (const auto& [text, want] : cases) {
    const auto got = EnumFromText<S>(text);
    ASSERT_TRUE(got.has_value()) << text;
    EXPECT_EQ(*got, want) << text;
  }
  for (const char* text : {"", "  ", "школа", "лидеры", "ШНОРР", "-"}) {
    EXPECT_FALSE(EnumFromText<S>(text).has_value()) << text;
  }
}

TEST(ValidationEnumTextTest, UnknownTextListsTheChoices) {
  Settlement settlement = Settlement::kUrban;
  const Status s = FieldCodec<Settlement>::FromText("деревня", settlement);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(Contains(s.message(), "«деревня»")) << s.message();
  EXPECT_TRUE(Contains(s.message(), "urban, rural")) << s.message();
  EXPECT_TRUE(Contains(s.message(), "город, село")) << s.message();
  EXPECT_EQ(settlement, Settlement::kUrban);  // Left as it was.

  RecommendationStatus status = RecommendationStatus::kOpen;
  const Status st = FieldCodec<RecommendationStatus>::FromText("closed", status);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(Contains(st.message(), "open, in_progress, done, dropped")) << st.message();
  EXPECT_TRUE(Contains(st.message(), "в работе")) << st.message();

  Assessment assessment = Assessment::kVpr;
  EXPECT_FALSE(FieldCodec<Assessment>::FromText("", assessment).ok());
  EXPECT_FALSE(FieldCodec<Assessment>::Decode(FieldValue(int64_t{2}), assessment).ok());
}

TEST(ValidationEnumTextTest, ListsSplitAndRejectUnknownItems) {
  std::vector<SchoolStatus> statuses;
  ASSERT_TRUE(FieldCodec<std::vector<SchoolStatus>>::FromText("ШНОР; ШНСУ", statuses).ok());
  EXPECT_EQ(statuses, (std::vector<SchoolStatus>{SchoolStatus::kLowResults, SchoolStatus::kAdverseConditions}));

  std::vector<Role> roles;
  const Status s = FieldCodec<std::vector<Role>>::FromText("учитель; завхоз", roles);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(Contains(s.message(), "«завхоз»")) << s.message();
}

// -----------------------------------------------------------------------------------------
// [SECTION] IsForwardStatusMove and ToStatus
// -----------------------------------------------------------------------------------------

TEST(ValidationStatusTest, ForwardStatusMoves) {
  using RS = RecommendationStatus;
  EXPECT_TRUE(IsForwardStatusMove(RS::kOpen, RS::kInProgress));
  EXPECT_TRUE(IsForwardStatusMove(RS::kInProgress, RS::kDone));
  EXPECT_TRUE(IsForwardStatusMove(RS::kOpen, RS::kDone));
  EXPECT_TRUE(IsForwardStatusMove(RS::kOpen, RS::kDropped));
  EXPECT_TRUE(IsForwardStatusMove(RS::kInProgress, RS::kDropped));
}

TEST(ValidationStatusTest, StatusNeverMovesBackward) {
  using RS = RecommendationStatus;
  EXPECT_FALSE(IsForwardStatusMove(RS::kDone, RS::kOpen));
  EXPECT_FALSE(IsForwardStatusMove(RS::kInProgress, RS::kOpen));
  EXPECT_FALSE(IsForwardStatusMove(RS::kDone, RS::kInProgress));
  EXPECT_FALSE(IsForwardStatusMove(RS::kDropped, RS::kDone));
  EXPECT_FALSE(IsForwardStatusMove(RS::kDropped, RS::kOpen));
  EXPECT_FALSE(IsForwardStatusMove(RS::kDone, RS::kDropped));  // Both are final.
}

TEST(ValidationStatusTest, StayingPutIsNotAMove) {
  for (const auto& e : EnumEntries<RecommendationStatus>()) {
    EXPECT_FALSE(IsForwardStatusMove(e.value, e.value)) << e.code;
  }
}

TEST(ValidationStatusTest, ToStatusOkWithoutErrors) { EXPECT_TRUE(ToStatus({}).ok()); }

TEST(ValidationStatusTest, ToStatusJoinsMessagesInChosenLanguage) {
  const ValidationErrors errors = {
      {"text", "Fill in the recommendation.", "Заполните поле «текст рекомендации»."},
      {"due_on", "The due date is too early.", "Срок слишком ранний."},
  };
  const Status s = ToStatus(errors);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(s.message(Language::kEnglish), "Fill in the recommendation.\nThe due date is too early.");
  EXPECT_EQ(s.message(Language::kRussian), "Заполните поле «текст рекомендации».\nСрок слишком ранний.");
}

TEST_F(ValidationTest, ToStatusFromRealErrors) {
  Recommendation r = ValidRecommendation();
  r.text.clear();
  r.due_on = kVisitDate;
  const auto errors = Validate(r, ctx_);
  ASSERT_TRUE(OnlyOn(errors, {"text", "due_on"}));
  const Status s = ToStatus(errors);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message(Language::kRussian), errors[0].ru + "\n" + errors[1].ru);
  EXPECT_EQ(s.message(Language::kEnglish), errors[0].en + "\n" + errors[1].en);
}

// Regression: NaN compared false with both bounds and slipped through every range check.
TEST_F(ValidationTest, AssessmentResultNaNIsRejected) {
  AssessmentResult r = ValidResult();
  r.share_below_min = std::numeric_limits<double>::quiet_NaN();
  r.mean_score = std::numeric_limits<double>::quiet_NaN();
  const auto errors = Validate(r, ctx_);
  EXPECT_FALSE(MessageOn(errors, "share_below_min", Language::kEnglish).empty());
  EXPECT_FALSE(MessageOn(errors, "mean_score", Language::kRussian).empty());
}

}  // namespace
}  // namespace mentorlog::core
