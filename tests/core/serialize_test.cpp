// Tests for serialize.h: round trips of every record type and of Change in both formats, the
// JSON shape, and decoders fed truncated, bit-flipped, random and forged input.
//
// [SECTION] Samples: one fully filled value per record type, and Change
// [SECTION] Every record type (typed tests)
// [SECTION] Change round trips and the JSON shape
// [SECTION] Damaged, forged and hostile input

#include "mentorlog/domain/serialize.h"
#include "mentorlog/domain/field_codec.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace mentorlog::core {
namespace {

// -----------------------------------------------------------------------------------------
// [SECTION] Samples
// -----------------------------------------------------------------------------------------

// A UUIDv7-shaped id whose last byte is n.
Uuid TestId(uint8_t n) {
  return Uuid(std::array<uint8_t, 16>{0x01, 0x95, 0x8f, 0x3a, 0x7b, 0x20, 0x7c, 0x3d, 0x8e, 0x4f, 0x00, 0x00, 0x00,
                                      0x00, 0x00, n});
}

Date D(int year, int month, int day) { return Date::FromYmd(year, month, day).value(); }

// Every field differs from its default, every optional is set, every list has several
// elements, and the text is Cyrillic with quotes, escapes and control characters.
template <class R>
R Sample();

template <>
School Sample<School>() {
  School s;
  s.id = TestId(1);
  s.code = "SCH-042";
  s.name = "МБОУ «Средняя общеобразовательная школа № 3» села Ёлкино";
  s.short_name = "СОШ № 3";
  s.municipality = "Ёлкинский муниципальный район";
  s.settlement = Settlement::kUrban;
  s.distance_km = 42.125;
  s.pupils = 311;
  s.teachers = 27;
  s.statuses = {SchoolStatus::kLowResults, SchoolStatus::kAdverseConditions};
  s.status_year = 2024;
  s.leader_partner_id = TestId(2);
  s.transition_programme = TransitionProgramme::kAdopted;
  s.transition_programme_adopted_on = D(2024, 9, 1);
  s.management_team_trained = true;
  s.district = "Северный";
  return s;
}

template <>
Person Sample<Person>() {
  Person p;
  p.id = TestId(3);
  p.code = "T-0007";
  p.full_name = "Ёлкина Анна Сергеевна";
  p.roles = {Role::kTeacher, Role::kTutor, Role::kDeputyDirector};
  p.school_id = TestId(1);
  p.subjects = {"математика", "физика", "информатика"};
  p.email = "anna@example.ru";
  p.phone = "+7 900 000-00-07";
  return p;
}

template <>
Assignment Sample<Assignment>() {
  Assignment a;
  a.id = TestId(4);
  a.kind = AssignmentKind::kTutorSchoolSubject;
  a.assignee_id = TestId(5);
  a.school_id = TestId(1);
  a.teacher_id = TestId(3);
  a.subject = "русский язык";
  a.starts_on = D(2024, 9, 1);
  a.ends_on = D(2025, 5, 31);
  return a;
}

template <>
Visit Sample<Visit>() {
  Visit v;
  v.id = TestId(6);
  v.school_id = TestId(1);
  v.date = D(2025, 3, 14);
  v.visitor_ids = {TestId(5), TestId(7), TestId(8)};
  v.purposes = {VisitPurpose::kDiagnostics, VisitPurpose::kLessonObservations, VisitPurpose::kFollowUp};
  v.met_with = "директор, заместитель по УВР";
  v.summary = "Итоги: «всё по плану»\nвторая строка \"в кавычках\" \\ и\tтабуляция \x01";
  v.strengths = "сильная команда";
  v.problems = "нет учителя физики";
  return v;
}

template <>
Observation Sample<Observation>() {
  Observation o;
  o.id = TestId(9);
  o.visit_id = TestId(6);
  o.school_id = TestId(1);
  o.teacher_id = TestId(3);
  o.observer_id = TestId(5);
  o.kind = ObservationKind::kOpenLesson;
  o.subject = "химия";
  o.grade = 9;
  o.class_label = "9Б";
  o.date = D(2025, 3, 14);
  o.topic = "Окислительно-восстановительные реакции";
  o.rubric_code = "lesson";
  o.rubric_version = 3;
  o.strengths = "чёткие цели урока";
  o.growth_areas = "обратная связь";
  o.next_steps = "взаимопосещение";
  o.discussion_held = true;
  return o;
}

template <>
ObservationScore Sample<ObservationScore>() {
  ObservationScore s;
  s.id = TestId(10);
  s.observation_id = TestId(9);
  s.criterion_code = "goals";
  s.level = 3;
  s.evidence = "цели записаны на доске";
  return s;
}

template <>
Consultation Sample<Consultation>() {
  Consultation c;
  c.id = TestId(11);
  c.school_id = TestId(1);
  c.date = D(2025, 2, 28);
  c.consultant_id = TestId(5);
  c.audience = ConsultationAudience::kTeacher;
  c.teacher_id = TestId(3);
  c.format = ConsultationFormat::kRemote;
  c.minutes = 45;
  c.topics = {ConsultationTopic::kExamPreparation, ConsultationTopic::kParents, ConsultationTopic::kOther};
  c.questions = "как готовить к ОГЭ";
  c.advice = "пробные работы раз в месяц";
  c.follow_ups = "прислать график";
  return c;
}

template <>
Recommendation Sample<Recommendation>() {
  Recommendation r;
  r.id = TestId(12);
  r.source_kind = SourceKind::kObservation;
  r.source_id = TestId(9);
  r.school_id = TestId(1);
  r.teacher_id = TestId(3);
  r.text = "Вводить самооценку в конце урока";
  r.responsible_id = TestId(13);
  r.responsible_name = "завуч";
  r.created_on = D(2025, 3, 14);
  r.due_on = D(2025, 4, 30);
  r.status = RecommendationStatus::kInProgress;
  r.reopen_count = 2;
  r.evidence = "протокол посещения";
  r.verified_visit_id = TestId(6);
  r.closed_on = D(2025, 4, 28);
  return r;
}

template <>
RecommendationEvent Sample<RecommendationEvent>() {
  RecommendationEvent e;
  e.id = TestId(14);
  e.recommendation_id = TestId(12);
  e.kind = RecommendationEventKind::kStatusChange;
  e.date = D(2025, 4, 1);
  e.author_id = TestId(5);
  e.text = "переведено в работу";
  return e;
}

template <>
Deficit Sample<Deficit>() {
  Deficit d;
  d.id = TestId(15);
  d.teacher_id = TestId(3);
  d.area = "формирующее оценивание";
  d.found_on = D(2025, 1, 20);
  d.found_by = DeficitSource::kTest;
  d.observation_id = TestId(9);
  d.remedy = DeficitRemedy::kCourse;
  d.closed_on = D(2025, 6, 1);
  d.notes = "курс ИРО, 36 часов";
  d.closed_by = "курсы «Формирующее оценивание», 36 ч";
  return d;
}

template <>
RoadmapItem Sample<RoadmapItem>() {
  RoadmapItem i;
  i.id = TestId(16);
  i.title = "Семинар для управленческих команд";
  i.level = RoadmapLevel::kSchool;
  i.school_id = TestId(1);
  i.starts_on = D(2025, 3, 1);
  i.ends_on = D(2025, 3, 31);
  i.responsible = "методист";
  i.participants = "директора ШНОР";
  i.planned_result = "планы перехода утверждены";
  i.status = RoadmapStatus::kInProgress;
  i.report = "проведено 2 из 3 занятий";
  i.done_on = D(2025, 3, 28);
  i.evidence = "протокол № 4 от 28.03.2025";
  return i;
}

template <>
NetworkAgreement Sample<NetworkAgreement>() {
  NetworkAgreement a;
  a.id = TestId(17);
  a.number = "СВ-12/2025";
  a.signed_on = D(2025, 1, 15);
  a.supported_school_id = TestId(1);
  a.leader_school_id = TestId(2);
  a.model = NetworkModel::kVertical;
  a.ends_on = D(2026, 1, 14);
  a.subject = "взаимопосещения уроков математики";
  a.partner_kind = PartnerKind::kInstitution;
  a.partner_name = "МБУК «Межпоселенческая библиотека»";
  a.status = AgreementStatus::kEnded;
  a.milestones = "план совместных мероприятий\nотчёт за полугодие";
  return a;
}

template <>
AssessmentResult Sample<AssessmentResult>() {
  AssessmentResult r;
  r.id = TestId(18);
  r.school_id = TestId(1);
  r.year = 2024;
  r.assessment = Assessment::kOge;
  r.subject = "математика";
  r.grade = 9;
  r.participants = 58;
  r.mean_score = 3.4137931034482758;
  r.share_below_min = 0.1;
  r.share_top = 1.0 / 3.0;
  return r;
}

template <>
ContextIndicator Sample<ContextIndicator>() {
  ContextIndicator c;
  c.id = TestId(19);
  c.school_id = TestId(1);
  c.year = 2025;
  c.indicator = "low_income_share";
  c.value = 0.27;
  return c;
}

template <>
RubricTemplate Sample<RubricTemplate>() {
  RubricTemplate t;
  t.id = TestId(20);
  t.code = "lesson";
  t.version = 2;
  t.title_ru = "Протокол посещения урока";
  t.title_en = "Lesson observation";
  t.body_json = R"({"criteria": [{"code": "goals", "ru": "Цели урока", "levels": 4}]})";
  return t;
}

template <>
RouteItem Sample<RouteItem>() {
  RouteItem r;
  r.id = TestId(21);
  r.teacher_id = TestId(3);
  r.deficit_id = TestId(15);
  r.activity = RouteActivity::kPeerVisits;
  r.title = "Посетить 3 урока учителя-наставника";
  r.starts_on = D(2025, 2, 1);
  r.due_on = D(2025, 4, 30);
  r.status = RouteItemStatus::kDone;
  r.done_on = D(2025, 4, 20);
  r.result = "составлен банк приёмов обратной связи";
  return r;
}

template <>
Training Sample<Training>() {
  Training t;
  t.id = TestId(22);
  t.teacher_id = TestId(3);
  t.kind = TrainingKind::kRetraining;
  t.provider = "ГАУ ДПО «Институт развития образования»";
  t.title = "Формирующее оценивание на уроках математики";
  t.hours = 36;
  t.starts_on = D(2025, 3, 10);
  t.ends_on = D(2025, 3, 21);
  t.certificate = "772412345678";
  return t;
}

template <>
NetworkEvent Sample<NetworkEvent>() {
  NetworkEvent e;
  e.id = TestId(23);
  e.title = "Методический день «Смысловое чтение»";
  e.kind = NetworkEventKind::kMethodologicalDay;
  e.organiser_school_id = TestId(2);
  e.held_on = D(2025, 2, 14);
  e.report = "5 открытых уроков, 42 участника";
  return e;
}

template <>
EventParticipant Sample<EventParticipant>() {
  EventParticipant p;
  p.id = TestId(24);
  p.event_id = TestId(23);
  p.teacher_id = TestId(3);
  return p;
}

template <>
PlanItem Sample<PlanItem>() {
  PlanItem p;
  p.id = TestId(25);
  p.person_id = TestId(4);
  p.school_id = TestId(1);
  p.teacher_id = TestId(3);
  p.activity = PlanActivity::kEvent;
  p.planned_on = D(2025, 3, 12);
  p.title = "Мастер-класс для учителей начальных классов";
  p.done_on = D(2025, 3, 12);
  return p;
}

template <>
MonitoringRound Sample<MonitoringRound>() {
  MonitoringRound r;
  r.id = TestId(26);
  r.name = "Промежуточный мониторинг 2025/26";
  r.kind = RoundKind::kInterim;
  r.starts_on = D(2026, 1, 10);
  r.ends_on = D(2026, 1, 31);
  r.school_ids = {TestId(1), TestId(2)};
  r.closed_on = D(2026, 2, 1);
  r.district_figures = "roadmap_due=4\nroadmap_on_time=3\n";
  return r;
}

template <>
RoundResult Sample<RoundResult>() {
  RoundResult r;
  r.id = TestId(27);
  r.round_id = TestId(26);
  r.school_id = TestId(1);
  r.statuses = {SchoolStatus::kLowResults, SchoolStatus::kAdverseConditions};
  r.figures = "in_partnership=1\nresult_index=0.4375\nteachers=12\n";
  r.risks = {"teacher_shortage", "learning_failure"};
  return r;
}

template <>
StatusChange Sample<StatusChange>() {
  StatusChange c;
  c.id = TestId(28);
  c.school_id = TestId(1);
  c.changed_on = D(2026, 1, 20);
  c.statuses = {SchoolStatus::kLowResults, SchoolStatus::kAdverseConditions};
  c.reason = "Приказ № 12 от 20.01.2026";
  c.round_id = TestId(26);
  return c;
}

// The sample with every optional unset, every list and text empty.
template <class R>
R SparseSample() {
  R r = Sample<R>();
  ForEachFieldDef<R>([&](const auto& def) {
    auto& field = r.*def.member;
    using T = std::remove_cvref_t<decltype(field)>;
    if constexpr (IsOptional<T>::value || IsVector<T>::value || std::is_same_v<T, std::string>) field = T{};
  });
  return r;
}

template <class R>
void ExpectSameRecord(const R& want, const R& got) {
  EXPECT_EQ(want.id.ToString(), got.id.ToString());
  ForEachFieldDef<R>(
      [&](const auto& def) { EXPECT_TRUE(want.*def.member == got.*def.member) << "field " << def.name << " differs"; });
}

Change SampleChange() {
  Change c;
  c.device_id = "планшет-07";
  c.op_seq = 1234567890123;
  c.kind = RecordKind::kVisit;
  c.record_id = TestId(6);
  c.op = ChangeOp::kUpsert;
  c.stamp = HlcStamp::FromParts(1741948800000, 7);
  c.fields = {
      {"met_with", FieldValue{std::monostate{}}, c.stamp, {}},
      {"grade", FieldValue{int64_t{9}}, c.stamp, {}},
      {"pupils", FieldValue{std::numeric_limits<int64_t>::max()}, c.stamp, {}},
      {"minutes", FieldValue{std::numeric_limits<int64_t>::min()}, c.stamp, {}},
      {"distance_km", FieldValue{42.125}, c.stamp, {}},
      {"share_top", FieldValue{1.0 / 3.0}, c.stamp, {}},
      {"tiny", FieldValue{5e-324}, c.stamp, {}},
      {"huge", FieldValue{-1.7976931348623157e308}, c.stamp, {}},
      {"summary", FieldValue{std::string("Итоги: «всё хорошо»\n\"кавычки\" \\ \t\x01")}, c.stamp, {}},
      {"problems", FieldValue{std::string()}, HlcStamp::FromParts(1741948800001, 0), {}},
  };
  return c;
}

template <class T>
T MustDecodeBinary(std::string_view bytes) {
  auto decoded = DecodeBinary<T>(bytes);
  EXPECT_TRUE(decoded.ok()) << decoded.status().message();
  return decoded.ok() ? std::move(decoded).value() : T{};
}

template <class T>
T MustDecodeJson(std::string_view json) {
  auto decoded = DecodeJson<T>(json);
  EXPECT_TRUE(decoded.ok()) << decoded.status().message() << "\n" << json;
  return decoded.ok() ? std::move(decoded).value() : T{};
}

// Both decoders, for the input-only tests: returns the status of each.
template <class T>
void ExpectCorruptBinary(std::string_view bytes, std::string_view why) {
  auto decoded = DecodeBinary<T>(bytes);
  ASSERT_FALSE(decoded.ok()) << why;
  EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption) << why << ": " << decoded.status().message();
  EXPECT_FALSE(decoded.status().message().empty()) << why;
}

template <class T>
void ExpectCorruptJson(std::string_view json, std::string_view why) {
  auto decoded = DecodeJson<T>(json);
  ASSERT_FALSE(decoded.ok()) << why;
  EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption) << why << ": " << decoded.status().message();
  EXPECT_FALSE(decoded.status().message().empty()) << why;
}

// Every strict prefix of a complete encoding is refused: both formats end with something the
// decoder needs (the last field's bytes, the closing brace).
template <class T>
void ExpectEveryPrefixRejected(const T& value) {
  const std::string binary = EncodeBinary(value);
  for (size_t n = 0; n < binary.size(); ++n) {
    EXPECT_FALSE(DecodeBinary<T>(std::string_view(binary).substr(0, n)).ok()) << "binary prefix of " << n;
  }
  const std::string json = EncodeJson(value);
  for (size_t n = 0; n < json.size(); ++n) {
    EXPECT_FALSE(DecodeJson<T>(std::string_view(json).substr(0, n)).ok()) << "JSON prefix of " << n;
  }
}

// Decodes each encoding with one bit flipped. Success is allowed (a flipped letter is still
// text); a crash, a sanitizer report or an exception is not.
template <class T>
void DecodeEveryBitFlip(const T& value, size_t json_stride_bits) {
  std::string binary = EncodeBinary(value);
  for (size_t bit = 0; bit < binary.size() * 8; ++bit) {
    binary[bit / 8] = static_cast<char>(binary[bit / 8] ^ (1 << (bit % 8)));
    const bool ok = DecodeBinary<T>(binary).ok();
    static_cast<void>(ok);
    binary[bit / 8] = static_cast<char>(binary[bit / 8] ^ (1 << (bit % 8)));
  }
  std::string json = EncodeJson(value);
  for (size_t bit = 0; bit < json.size() * 8; bit += json_stride_bits) {
    json[bit / 8] = static_cast<char>(json[bit / 8] ^ (1 << (bit % 8)));
    const bool ok = DecodeJson<T>(json).ok();
    static_cast<void>(ok);
    json[bit / 8] = static_cast<char>(json[bit / 8] ^ (1 << (bit % 8)));
  }
}

void PutLittleEndian(std::string& bytes, size_t offset, uint64_t value, size_t width) {
  ASSERT_LE(offset + width, bytes.size());
  for (size_t i = 0; i < width; ++i) bytes[offset + i] = static_cast<char>(value >> (8 * i));
}

std::string Replace(std::string text, std::string_view from, std::string_view to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "«" << from << "» not in " << text;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string Key(std::string_view name) { return "\"" + std::string(name) + "\":"; }

// -----------------------------------------------------------------------------------------
// [SECTION] Every record type
// -----------------------------------------------------------------------------------------

template <class R>
class SerializeRecordTest : public ::testing::Test {};

using RecordTypes =
    ::testing::Types<School, Person, Assignment, Visit, Observation, ObservationScore, Consultation, Recommendation,
                     RecommendationEvent, Deficit, RoadmapItem, NetworkAgreement, AssessmentResult, ContextIndicator,
                     RubricTemplate, RouteItem, Training, NetworkEvent, EventParticipant, PlanItem, MonitoringRound,
                     RoundResult, StatusChange>;

// "observation_score" -> "ObservationScore", so the test names read SerializeRecordTest/Visit.
class RecordTypeNames {
 public:
  template <class R>
  static std::string GetName(int) {
    std::string name;
    bool upper = true;
    for (char c : EnumCode(RecordTraits<R>::kKind)) {
      if (c == '_') {
        upper = true;
        continue;
      }
      name += upper ? static_cast<char>(c - 'a' + 'A') : c;
      upper = false;
    }
    return name;
  }
};

TYPED_TEST_SUITE(SerializeRecordTest, RecordTypes, RecordTypeNames);

// Keeps the samples honest when a field is added to records.h.
TYPED_TEST(SerializeRecordTest, SampleSetsEveryField) {
  const TypeParam sample = Sample<TypeParam>();
  const TypeParam empty{};
  EXPECT_FALSE(sample.id == empty.id);
  ForEachFieldDef<TypeParam>([&](const auto& def) {
    EXPECT_FALSE(sample.*def.member == empty.*def.member) << "the sample leaves " << def.name << " at its default";
    using T = std::remove_cvref_t<decltype(sample.*def.member)>;
    if constexpr (IsVector<T>::value) {
      EXPECT_GE((sample.*def.member).size(), 2u) << def.name;
    }
  });
}

TYPED_TEST(SerializeRecordTest, RoundTripsBinary) {
  for (const TypeParam& value : {Sample<TypeParam>(), SparseSample<TypeParam>()}) {
    ExpectSameRecord(value, MustDecodeBinary<TypeParam>(EncodeBinary(value)));
  }
}

TYPED_TEST(SerializeRecordTest, RoundTripsJson) {
  for (const TypeParam& value : {Sample<TypeParam>(), SparseSample<TypeParam>()}) {
    ExpectSameRecord(value, MustDecodeJson<TypeParam>(EncodeJson(value)));
  }
}

TYPED_TEST(SerializeRecordTest, JsonNamesEveryFieldWithIdFirst) {
  const std::string json = EncodeJson(Sample<TypeParam>());
  const size_t version_at = json.find(Key("cereal_class_version"));
  const size_t id_at = json.find(Key("id"));
  ASSERT_NE(version_at, std::string::npos) << json;
  ASSERT_NE(id_at, std::string::npos) << json;
  EXPECT_LT(version_at, id_at);
  EXPECT_EQ(json.find(Key("value0")), std::string::npos) << "cereal named something itself: " << json;
  ForEachFieldDef<TypeParam>([&](const auto& def) {
    const size_t at = json.find(Key(def.name));
    EXPECT_NE(at, std::string::npos) << def.name << " missing in " << json;
    EXPECT_GT(at, id_at) << def.name;
  });
}

TYPED_TEST(SerializeRecordTest, EveryTruncatedPrefixIsRejected) { ExpectEveryPrefixRejected(Sample<TypeParam>()); }

TYPED_TEST(SerializeRecordTest, BitFlipsNeverCrash) {
  DecodeEveryBitFlip(Sample<TypeParam>(), /*json_stride_bits=*/7);  // JSON: a different bit of most bytes
}

TYPED_TEST(SerializeRecordTest, EachDecoderRejectsTheOtherFormat) {
  const TypeParam value = Sample<TypeParam>();
  ExpectCorruptJson<TypeParam>(EncodeBinary(value), "binary given to the JSON decoder");
  ExpectCorruptBinary<TypeParam>(EncodeJson(value), "JSON given to the binary decoder");
}

// -----------------------------------------------------------------------------------------
// [SECTION] Change round trips and the JSON shape
// -----------------------------------------------------------------------------------------

TEST(SerializeTest, ChangeRoundTripsBinaryWithEveryFieldValueKind) {
  const Change change = SampleChange();
  EXPECT_EQ(MustDecodeBinary<Change>(EncodeBinary(change)), change);
}

TEST(SerializeTest, ChangeRoundTripsJsonWithEveryFieldValueKind) {
  const Change change = SampleChange();
  EXPECT_EQ(MustDecodeJson<Change>(EncodeJson(change)), change);
}

TEST(SerializeTest, DeleteChangeRoundTrips) {
  Change change;
  change.device_id = "d";
  change.op_seq = 1;
  change.kind = RecordKind::kRubricTemplate;
  change.record_id = TestId(99);
  change.op = ChangeOp::kDelete;
  change.stamp = HlcStamp{std::numeric_limits<uint64_t>::max()};
  EXPECT_EQ(MustDecodeBinary<Change>(EncodeBinary(change)), change);
  EXPECT_EQ(MustDecodeJson<Change>(EncodeJson(change)), change);
}

TEST(SerializeTest, NonFiniteRealsRoundTrip) {
  Change change = SampleChange();
  change.fields = {{"a", FieldValue{std::numeric_limits<double>::quiet_NaN()}, {}, {}},
                   {"b", FieldValue{std::numeric_limits<double>::infinity()}, {}, {}},
                   {"c", FieldValue{-std::numeric_limits<double>::infinity()}, {}, {}}};
  for (const Change& got :
       {MustDecodeBinary<Change>(EncodeBinary(change)), MustDecodeJson<Change>(EncodeJson(change))}) {
    ASSERT_EQ(got.fields.size(), 3u);
    EXPECT_TRUE(std::isnan(std::get<double>(got.fields[0].value)));
    EXPECT_EQ(std::get<double>(got.fields[1].value), std::numeric_limits<double>::infinity());
    EXPECT_EQ(std::get<double>(got.fields[2].value), -std::numeric_limits<double>::infinity());
  }
}

TEST(SerializeTest, JsonWritesIdsDatesAndEnumsAsText) {
  const Visit visit = Sample<Visit>();
  const std::string json = EncodeJson(visit);
  EXPECT_NE(json.find("\"cereal_class_version\": 1"), std::string::npos) << json;
  EXPECT_NE(json.find("\"id\": \"01958f3a-7b20-7c3d-8e4f-000000000006\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"date\": \"2025-03-14\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"" + std::string(EnumCode(VisitPurpose::kLessonObservations)) + "\""), std::string::npos)
      << json;
  EXPECT_NE(json.find("\"met_with\": \"директор, заместитель по УВР\""), std::string::npos) << json;
}

TEST(SerializeTest, JsonTagsFieldValues) {
  const std::string json = EncodeJson(SampleChange());
  EXPECT_NE(json.find("\"op_seq\": 1234567890123"), std::string::npos) << json;
  EXPECT_NE(json.find("\"kind\": \"visit\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"op\": \"upsert\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"type\": \"null\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"type\": \"integer\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"type\": \"real\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"type\": \"text\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"value\": 9"), std::string::npos) << json;
}

TEST(SerializeTest, EmptyOptionalIsNullInJson) {
  const std::string json = EncodeJson(SparseSample<Assignment>());
  EXPECT_NE(json.find("\"teacher_id\": null"), std::string::npos) << json;
  EXPECT_NE(json.find("\"ends_on\": null"), std::string::npos) << json;
}

TEST(SerializeTest, JsonKeysMayComeInAnyOrder) {
  const std::string json = R"({"stamp": 5, "fields": [{"stamp": 5, "value": {"value": 9, "type": "integer"},
      "field": "grade", "cereal_class_version": 1}], "op": "delete", "record_id":
      "01958f3a-7b20-7c3d-8e4f-000000000001", "kind": "visit", "op_seq": 7, "device_id": "d",
      "cereal_class_version": 1})";
  const Change got = MustDecodeJson<Change>(json);
  EXPECT_EQ(got.device_id, "d");
  EXPECT_EQ(got.op_seq, 7u);
  EXPECT_EQ(got.op, ChangeOp::kDelete);
  ASSERT_EQ(got.fields.size(), 1u);
  EXPECT_EQ(got.fields[0].value, FieldValue{int64_t{9}});
}

TEST(SerializeTest, JsonAcceptsEnumLabels) {
  const std::string json =
      Replace(EncodeJson(Sample<School>()), "\"settlement\": \"urban\"", "\"settlement\": \"Село\"");
  EXPECT_EQ(MustDecodeJson<School>(json).settlement, Settlement::kRural);
}

// Uuid 16 bytes, Date 4, enum 4, lengths 8, one byte-order byte and a 4-byte version.
TEST(SerializeTest, BinaryUsesCompactForms) {
  const Visit v = Sample<Visit>();
  const size_t texts = v.met_with.size() + v.summary.size() + v.strengths.size() + v.problems.size();
  const size_t expected = 1 + 4 + 16 + 16 + 4 + (8 + 16 * 3) + (8 + 4 * 3) + (4 * 8 + texts);
  EXPECT_EQ(EncodeBinary(v).size(), expected);
  EXPECT_EQ(EncodeBinary(v)[0], '\x01') << "always written little-endian";
}

TEST(SerializeTest, BigEndianInputIsDecoded) {
  std::string bytes;
  auto put = [&](uint64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) bytes += static_cast<char>(value >> (8 * i));
  };
  bytes += '\0';  // big-endian
  put(1, 4);      // Change version
  put(3, 8);
  bytes += "abc";
  put(0x0102030405060708u, 8);
  put(static_cast<uint64_t>(RecordKind::kVisit), 4);
  const Uuid record_id = TestId(6);
  for (uint8_t b : record_id.bytes()) bytes += static_cast<char>(b);
  put(static_cast<uint64_t>(ChangeOp::kDelete), 4);
  put(1, 8);  // one field
  put(1, 4);  // FieldChange version
  put(5, 8);
  bytes += "grade";
  put(1, 1);  // integer
  put(static_cast<uint64_t>(int64_t{-2}), 8);
  put(0x0A0B0C0D0E0F1011u, 8);
  put(0x1112131415161718u, 8);

  const Change got = MustDecodeBinary<Change>(bytes);
  EXPECT_EQ(got.device_id, "abc");
  EXPECT_EQ(got.op_seq, 0x0102030405060708u);
  EXPECT_EQ(got.kind, RecordKind::kVisit);
  EXPECT_EQ(got.record_id, record_id);
  EXPECT_EQ(got.op, ChangeOp::kDelete);
  ASSERT_EQ(got.fields.size(), 1u);
  EXPECT_EQ(got.fields[0].field, "grade");
  EXPECT_EQ(got.fields[0].value, FieldValue{int64_t{-2}});
  EXPECT_EQ(got.fields[0].stamp.value, 0x0A0B0C0D0E0F1011u);
  EXPECT_EQ(got.stamp.value, 0x1112131415161718u);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Damaged, forged and hostile input
// -----------------------------------------------------------------------------------------

TEST(SerializeTest, EmptyInputIsCorruption) {
  ExpectCorruptBinary<Change>("", "empty binary");
  ExpectCorruptJson<Change>("", "empty JSON");
  ExpectCorruptBinary<Visit>("", "empty binary");
  ExpectCorruptJson<Visit>("", "empty JSON");
}

TEST(SerializeTest, EveryTruncatedChangeIsRejected) { ExpectEveryPrefixRejected(SampleChange()); }

TEST(SerializeTest, TruncationMessageNamesTheFieldAndOffset) {
  const std::string bytes = EncodeBinary(Sample<Visit>()).substr(0, 40);
  auto decoded = DecodeBinary<Visit>(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().message(),
            "the visit is damaged or truncated: date: needs 4 bytes at offset 37 but only 3 are left");
}

TEST(SerializeTest, ChangeBitFlipsNeverCrash) { DecodeEveryBitFlip(SampleChange(), /*json_stride_bits=*/1); }

TEST(SerializeTest, RandomBytesNeverCrashTheDecoders) {
  std::mt19937 rng(20250314);
  std::uniform_int_distribution<int> length(0, 300);
  std::uniform_int_distribution<int> byte(0, 255);
  int decoded = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string bytes(static_cast<size_t>(length(rng)), '\0');
    for (char& c : bytes) c = static_cast<char>(byte(rng));
    for (const Status& s : {DecodeBinary<Change>(bytes).status(), DecodeJson<Change>(bytes).status()}) {
      if (s.ok()) {
        ++decoded;
      } else {
        EXPECT_TRUE(s.code() == StatusCode::kCorruption || s.code() == StatusCode::kUnsupported) << s.message();
      }
    }
  }
  EXPECT_LT(decoded, 10);
}

// Random tails after a valid header, so the decoder gets past the first bytes.
TEST(SerializeTest, RandomBodiesAfterAValidHeaderNeverCrash) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> length(0, 400);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> small(0, 3);
  for (int i = 0; i < 2000; ++i) {
    std::string bytes("\x01\x01\x00\x00\x00", 5);
    const size_t n = static_cast<size_t>(length(rng));
    for (size_t k = 0; k < n; ++k) bytes += static_cast<char>(small(rng) == 0 ? byte(rng) : small(rng));
    const Status s = DecodeBinary<Change>(bytes).status();
    if (!s.ok()) {
      EXPECT_TRUE(s.code() == StatusCode::kCorruption || s.code() == StatusCode::kUnsupported) << s.message();
    }
  }
}

// JSON-looking soup from the tokens our JSON uses.
TEST(SerializeTest, RandomJsonTokensNeverCrash) {
  static constexpr std::string_view kTokens[] = {"{",
                                                 "}",
                                                 "[",
                                                 "]",
                                                 ":",
                                                 ",",
                                                 "\"cereal_class_version\"",
                                                 "\"device_id\"",
                                                 "\"op_seq\"",
                                                 "\"kind\"",
                                                 "\"record_id\"",
                                                 "\"op\"",
                                                 "\"fields\"",
                                                 "\"stamp\"",
                                                 "\"field\"",
                                                 "\"value\"",
                                                 "\"type\"",
                                                 "\"integer\"",
                                                 "\"real\"",
                                                 "\"text\"",
                                                 "\"null\"",
                                                 "\"visit\"",
                                                 "\"upsert\"",
                                                 "\"01958f3a-7b20-7c3d-8e4f-000000000001\"",
                                                 "1",
                                                 "0",
                                                 "-1",
                                                 "1.5e3",
                                                 "18446744073709551615",
                                                 "-9223372036854775809",
                                                 "null",
                                                 "true",
                                                 "false",
                                                 "NaN",
                                                 "\"\\u0416\"",
                                                 "\"\\uD800\"",
                                                 " "};
  std::mt19937 rng(99);
  std::uniform_int_distribution<size_t> pick(0, std::size(kTokens) - 1);
  std::uniform_int_distribution<int> length(1, 80);
  for (int i = 0; i < 2000; ++i) {
    std::string json = "{";
    for (int k = length(rng); k > 0; --k) json += kTokens[pick(rng)];
    const Status s = DecodeJson<Change>(json).status();
    if (!s.ok()) {
      EXPECT_TRUE(s.code() == StatusCode::kCorruption || s.code() == StatusCode::kUnsupported) << s.message();
    }
  }
}

// Under AddressSanitizer a resize() to 2^60 aborts with allocation-size-too-big, so passing
// here also shows that no allocation was attempted.
TEST(SerializeTest, ForgedHugeLengthPrefixIsCorruption) {
  const Change change = SampleChange();
  const std::string good = EncodeBinary(change);
  constexpr uint64_t kHuge = uint64_t{1} << 60;

  std::string text_length = good;  // device_id's length, right after byte order and version
  PutLittleEndian(text_length, 5, kHuge, 8);
  auto decoded = DecodeBinary<Change>(text_length);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
  EXPECT_NE(decoded.status().message().find("device_id: a length of 1152921504606846976 is more than"),
            std::string::npos)
      << decoded.status().message();

  const size_t fields_at = 5 + 8 + change.device_id.size() + 8 + 4 + 16 + 4;
  std::string list_length = good;
  PutLittleEndian(list_length, fields_at, kHuge, 8);
  ExpectCorruptBinary<Change>(list_length, "forged list length");

  // A count the remaining bytes could almost hold is allowed through the SizeTag check, but
  // the list grows only as elements decode, so it fails on the data, not on memory.
  std::string plausible = good;
  PutLittleEndian(plausible, fields_at, good.size() - fields_at - 8, 8);
  ExpectCorruptBinary<Change>(plausible, "list longer than its elements");

  std::string nested = good;  // the first field's text value length: past the FieldChange header
  const size_t first_field_at = fields_at + 8 + 4;
  PutLittleEndian(nested, first_field_at, kHuge, 8);
  ExpectCorruptBinary<Change>(nested, "forged nested length");
}

TEST(SerializeTest, BinaryValuesOutOfRangeAreCorruption) {
  const Change change = SampleChange();
  const std::string good = EncodeBinary(change);
  const size_t kind_at = 5 + 8 + change.device_id.size() + 8;
  const size_t op_at = kind_at + 4 + 16;
  const size_t fields_at = op_at + 4;

  std::string bad_kind = good;
  PutLittleEndian(bad_kind, kind_at, 999, 4);
  auto decoded = DecodeBinary<Change>(bad_kind);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
  EXPECT_NE(decoded.status().message().find("kind: 999 is not one of"), std::string::npos)
      << decoded.status().message();

  std::string negative_kind = good;
  PutLittleEndian(negative_kind, kind_at, 0xFFFFFFFFu, 4);
  ExpectCorruptBinary<Change>(negative_kind, "kind -1");

  std::string bad_op = good;
  PutLittleEndian(bad_op, op_at, 2, 4);
  ExpectCorruptBinary<Change>(bad_op, "op 2");

  std::string bad_value_kind = good;  // fields[0]: version (4), name (8 + 8 bytes), then the kind
  PutLittleEndian(bad_value_kind, fields_at + 8 + 4 + 8 + change.fields[0].field.size(), 9, 1);
  ExpectCorruptBinary<Change>(bad_value_kind, "FieldValue kind 9");

  std::string bad_byte_order = good;
  bad_byte_order[0] = '\x02';
  ExpectCorruptBinary<Change>(bad_byte_order, "byte-order byte 2");

  const ObservationScore score = Sample<ObservationScore>();
  std::string bad_flag = EncodeBinary(score);  // `level`'s presence byte
  PutLittleEndian(bad_flag, 5 + 16 + 16 + 8 + score.criterion_code.size(), 2, 1);
  ExpectCorruptBinary<ObservationScore>(bad_flag, "optional flag 2");

  std::string bad_date = EncodeBinary(Sample<Visit>());
  PutLittleEndian(bad_date, 5 + 16 + 16, uint64_t{1} << 30, 4);
  ExpectCorruptBinary<Visit>(bad_date, "date far outside the calendar");
}

TEST(SerializeTest, TrailingBytesAreCorruption) {
  ExpectCorruptBinary<Change>(EncodeBinary(SampleChange()) + '\0', "a byte after the end");
  ExpectCorruptJson<Change>(EncodeJson(SampleChange()) + "x", "text after the object");
  ExpectCorruptJson<Change>(EncodeJson(SampleChange()) + "{}", "a second object");
  MustDecodeJson<Change>(EncodeJson(SampleChange()) + "\n  ");  // whitespace is fine
}

TEST(SerializeTest, NewerVersionIsUnsupported) {
  std::string binary = EncodeBinary(Sample<Visit>());
  PutLittleEndian(binary, 1, 2, 4);
  auto decoded = DecodeBinary<Visit>(binary);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kUnsupported) << decoded.status().message();

  const std::string json = EncodeJson(SampleChange());
  const std::string root = Replace(json, "\"cereal_class_version\": 1", "\"cereal_class_version\": 2");
  EXPECT_EQ(DecodeJson<Change>(root).status().code(), StatusCode::kUnsupported);

  // A field change is at format 2 (2 added `base`).
  const size_t nested_at = json.find("\"cereal_class_version\": 2", json.find(Key("fields")));
  ASSERT_NE(nested_at, std::string::npos);
  std::string nested = json;
  nested.replace(nested_at, std::strlen("\"cereal_class_version\": 2"), "\"cereal_class_version\": 7");
  EXPECT_EQ(DecodeJson<Change>(nested).status().code(), StatusCode::kUnsupported);

  ExpectCorruptJson<Change>(Replace(json, "\"cereal_class_version\": 1", "\"cereal_class_version\": 0"), "version 0");
}

TEST(SerializeTest, InputOverTheLimitIsRefused) {
  const std::string big(kMaxDecodeBytes + 1, ' ');
  auto binary = DecodeBinary<Visit>(big);
  ASSERT_FALSE(binary.ok());
  EXPECT_EQ(binary.status().code(), StatusCode::kCorruption);
  EXPECT_NE(binary.status().message().find("more than the"), std::string::npos) << binary.status().message();
  ExpectCorruptJson<Change>(big, "JSON over the limit");
}

TEST(SerializeTest, JsonWithWrongTypesIsCorruption) {
  const std::string valid = R"({"cereal_class_version": 1, "device_id": "d", "op_seq": 7, "kind": "visit",)"
                            R"( "record_id": "01958f3a-7b20-7c3d-8e4f-000000000001", "op": "upsert",)"
                            R"( "fields": [{"cereal_class_version": 1, "field": "grade",)"
                            R"( "value": {"type": "integer", "value": 9}, "stamp": 5}], "stamp": 5})";
  MustDecodeJson<Change>(valid);

  const struct {
    std::string_view from;
    std::string_view to;
    std::string_view message_has;
  } kCases[] = {
      {"\"op_seq\": 7", "\"op_seq\": \"7\"", "op_seq: expected a whole number from 0 up"},
      {"\"op_seq\": 7", "\"op_seq\": -7", "op_seq"},
      {"\"op_seq\": 7", "\"op_seq\": 7.5", "op_seq"},
      {"\"kind\": \"visit\"", "\"kind\": \"planet\"", "kind: «planet» is not one of: school, person"},
      {"\"kind\": \"visit\"", "\"kind\": 3", "kind: expected a string"},
      {"\"op\": \"upsert\"", "\"op\": \"merge\"", "op: «merge» is not one of: upsert, delete"},
      {"\"record_id\": \"01958f3a", "\"record_id\": \"x1958f3a", "record_id: «x1958f3a"},
      {"\"record_id\": \"01958f3a-7b20-7c3d-8e4f-000000000001\"", "\"record_id\": null", "record_id"},
      {"\"record_id\"", "\"recordid\"", "record_id: missing"},
      {"\"cereal_class_version\": 1, \"device_id\"", "\"device_id\"", "cereal_class_version: missing"},
      {"\"device_id\": \"d\"", "\"device_id\": 5", "device_id: expected a string"},
      {"\"fields\": [", "\"fields\": [5, ", "fields[0]"},
      {"\"fields\": [{\"cereal_class_version\": 1, \"field\": \"grade\", \"value\": {\"type\": \"integer\", "
       "\"value\": 9}, \"stamp\": 5}]",
       "\"fields\": {}", "fields: expected a list"},
      {"\"type\": \"integer\"", "\"type\": \"blob\"", "fields[0].value.type: «blob» is not one of"},
      {"\"value\": 9", "\"value\": \"9\"", "fields[0].value.value: expected a whole number"},
      {"\"value\": 9", "\"value\": 9.5", "fields[0].value.value"},
      {"\"value\": {\"type\": \"integer\", \"value\": 9}", "\"value\": \"9\"", "fields[0].value: expected an object"},
      {"\"stamp\": 5}]", "\"stamp\": \"5\"}]", "fields[0].stamp"},
      {"], \"stamp\": 5}", "], \"stamp\": [5]}", "stamp: expected a whole number from 0 up"},
  };
  for (const auto& c : kCases) {
    const std::string json = Replace(valid, c.from, c.to);
    auto decoded = DecodeJson<Change>(json);
    ASSERT_FALSE(decoded.ok()) << json;
    EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption) << json;
    EXPECT_NE(decoded.status().message().find(c.message_has), std::string::npos)
        << "message: " << decoded.status().message() << "\njson: " << json;
  }

  const std::string visit = EncodeJson(Sample<Visit>());
  ExpectCorruptJson<Visit>(Replace(visit, "\"2025-03-14\"", "\"2025-13-45\""), "month 13");
  ExpectCorruptJson<Visit>(Replace(visit, "\"2025-03-14\"", "\"14 марта\""), "a date in words");
  ExpectCorruptJson<Visit>(Replace(visit, "\"diagnostics\"", "\"dancing\""), "an unknown purpose");
  ExpectCorruptJson<Visit>(Replace(visit, "\"visitor_ids\": [", "\"visitor_ids\": [null, "), "null in a list of ids");
}

TEST(SerializeTest, MalformedJsonIsCorruption) {
  static constexpr char kNulInString[] = "{\"device_id\": \"d\0\"}";
  const std::string deep = "{\"device_id\": " + std::string(1'000'000, '[') + std::string(1'000'000, ']') + "}";
  const std::string long_number = "{\"op_seq\": " + std::string(100'000, '1') + "}";
  const std::string_view kCases[] = {
      "",
      "   ",
      "{",
      "}",
      "[]",
      "null",
      "42",
      "\"text\"",
      "{\"a\":}",
      "{\"a\": 1,}",
      "{} {}",
      std::string_view(kNulInString, sizeof(kNulInString) - 1),
      std::string_view("{}\0garbage", 10),
      "{\"device_id\": \"unterminated",
      "{\"device_id\": \"\\x\"}",
      "{\"device_id\": \"\\uD800\"}",
      "\xEF\xBB\xBF{}",
      "{\"a\": NaN}",
      "{'device_id': 'd'}",
      deep,
      long_number,
  };
  for (std::string_view json : kCases) ExpectCorruptJson<Change>(json, json.substr(0, 40));
}

}  // namespace
}  // namespace mentorlog::core
