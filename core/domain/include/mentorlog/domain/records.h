// The typed records of DOMAIN.md, one struct per kind, and their field tables.
//
// Every record has an `id` (UUIDv7 made on the device). Its other fields are listed in its
// RecordTraits<R>::kFields: the one place that says which columns the store writes, which
// fields carry a clock, what CSV/JSON export shows and what a sync change carries. The
// store's migrations create the columns; a test checks that the two agree.
//
// [SECTION] Records
// [SECTION] Field tables (RecordTraits)
// [SECTION] Generic access (ForEachField, kind dispatch)
//
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "mentorlog/domain/enums.h"
#include "mentorlog/domain/types.h"

namespace mentorlog::core {

// -----------------------------------------------------------------------------------------
// [SECTION] Records
// -----------------------------------------------------------------------------------------

struct School {
  Uuid id;
  std::string code;  // the region's school code (natural key on import)
  std::string name;
  std::string short_name;
  std::string municipality;
  Settlement settlement = Settlement::kRural;
  double distance_km = 0;  // to the district centre
  int64_t pupils = 0;
  int64_t teachers = 0;
  std::vector<SchoolStatus> statuses;  // for status_year; empty = an ordinary school
  int64_t status_year = 0;
  std::optional<Uuid> leader_partner_id;  // the leader school it is paired with
  TransitionProgramme transition_programme = TransitionProgramme::kNone;
  std::optional<Date> transition_programme_adopted_on;
  bool management_team_trained = false;
  std::string district;  // the district (муниципальный район) it belongs to
};

struct Person {
  Uuid id;
  std::string code;  // optional external code (табельный номер, СНИЛС-free); natural key on import
  std::string full_name;
  std::vector<Role> roles;
  std::optional<Uuid> school_id;  // required for teachers and school staff
  std::vector<std::string> subjects;
  std::string email;
  std::string phone;
};

// A mentor assigned to a school, a tutor to a teacher, or a tutor to a school and subject.
struct Assignment {
  Uuid id;
  AssignmentKind kind = AssignmentKind::kMentorSchool;
  Uuid assignee_id;  // the mentor or tutor
  Uuid school_id;
  std::optional<Uuid> teacher_id;  // kTutorTeacher
  std::string subject;             // kTutorSchoolSubject
  Date starts_on;
  std::optional<Date> ends_on;
};

// A field trip to a school (выезд в ОО).
struct Visit {
  Uuid id;
  Uuid school_id;
  Date date;
  std::vector<Uuid> visitor_ids;
  std::vector<VisitPurpose> purposes;
  std::string met_with;  // whom they met, free text
  std::string summary;
  std::string strengths;
  std::string problems;
};

// One lesson seen (посещение урока), scored with a rubric template of a given version.
struct Observation {
  Uuid id;
  std::optional<Uuid> visit_id;
  Uuid school_id;
  Uuid teacher_id;
  Uuid observer_id;
  ObservationKind kind = ObservationKind::kObservation;
  std::string subject;
  int64_t grade = 0;        // 1..11
  std::string class_label;  // "5Б"
  Date date;
  std::string topic;
  std::string rubric_code;
  int64_t rubric_version = 0;
  std::string strengths;
  std::string growth_areas;
  std::string next_steps;
  bool discussion_held = false;
};

// The level given to one rubric criterion in one observation. No level = "not observed".
struct ObservationScore {
  Uuid id;
  Uuid observation_id;
  std::string criterion_code;
  std::optional<int64_t> level;
  std::string evidence;
};

struct Consultation {
  Uuid id;
  Uuid school_id;
  Date date;
  Uuid consultant_id;
  ConsultationAudience audience = ConsultationAudience::kManagementTeam;
  std::optional<Uuid> teacher_id;  // when the audience is a teacher
  ConsultationFormat format = ConsultationFormat::kInPerson;
  int64_t minutes = 0;
  std::vector<ConsultationTopic> topics;
  std::string questions;
  std::string advice;
  std::string follow_ups;
};

// An action item with an owner and a due date (адресная рекомендация).
struct Recommendation {
  Uuid id;
  SourceKind source_kind = SourceKind::kVisit;
  Uuid source_id;
  Uuid school_id;
  std::optional<Uuid> teacher_id;
  std::string text;
  std::optional<Uuid> responsible_id;
  std::string responsible_name;  // when the owner is not a person in the system
  Date created_on;
  Date due_on;
  RecommendationStatus status = RecommendationStatus::kOpen;
  // How many times it was reopened. The status order is (reopen_count, status), so a reopen
  // is the only way "back" and it is explicit (Repository::ReopenRecommendation).
  int64_t reopen_count = 0;
  std::string evidence;
  std::optional<Uuid> verified_visit_id;
  std::optional<Date> closed_on;
};

// Append-only history of a recommendation: comments, status changes, reopenings.
struct RecommendationEvent {
  Uuid id;
  Uuid recommendation_id;
  RecommendationEventKind kind = RecommendationEventKind::kComment;
  Date date;
  std::optional<Uuid> author_id;
  std::string text;
};

// A teacher's professional deficit and how it is being closed.
struct Deficit {
  Uuid id;
  Uuid teacher_id;
  std::string area;  // competence area
  Date found_on;
  DeficitSource found_by = DeficitSource::kObservation;
  std::optional<Uuid> observation_id;
  DeficitRemedy remedy = DeficitRemedy::kTutorSessions;
  std::optional<Date> closed_on;
  std::string notes;
  std::string closed_by;  // what closed it ("курсы «Формирующее оценивание», 36 ч")
};

// An event of the roadmap (мероприятие дорожной карты).
struct RoadmapItem {
  Uuid id;
  std::string title;
  RoadmapLevel level = RoadmapLevel::kDistrict;
  std::optional<Uuid> school_id;  // when the level is a school
  Date starts_on;
  Date ends_on;
  std::string responsible;
  std::string participants;
  std::string planned_result;
  RoadmapStatus status = RoadmapStatus::kPlanned;
  std::string report;
  std::optional<Date> done_on;  // when it was done (status done): "done on time" compares it with ends_on
  std::string evidence;         // evidence of execution: a protocol, an order, a link
};

// A network agreement (договор о сетевом взаимодействии) between a supported school and a
// partner: a leader school, or a social institution named in `partner_name`.
struct NetworkAgreement {
  Uuid id;
  std::string number;
  Date signed_on;
  Uuid supported_school_id;
  std::optional<Uuid> leader_school_id;  // the partner when partner_kind is a school
  NetworkModel model = NetworkModel::kHorizontal;
  std::optional<Date> ends_on;
  std::string subject;  // what the partnership covers
  PartnerKind partner_kind = PartnerKind::kSchool;
  std::string partner_name;  // the institution («МБУК «Межпоселенческая библиотека»»)
  AgreementStatus status = AgreementStatus::kActive;
  std::string milestones;  // the agreed steps, one a line
};

// An item of a teacher's individual educational route (ИОМ, индивидуальный план
// профессионального развития), usually tied to one of their deficits.
struct RouteItem {
  Uuid id;
  Uuid teacher_id;
  std::optional<Uuid> deficit_id;
  RouteActivity activity = RouteActivity::kCourse;
  std::string title;
  Date starts_on;
  Date due_on;
  RouteItemStatus status = RouteItemStatus::kPlanned;
  std::optional<Date> done_on;
  std::string result;  // what came of it
};

// A completed course of a teacher (повышение квалификации, переподготовка).
struct Training {
  Uuid id;
  Uuid teacher_id;
  TrainingKind kind = TrainingKind::kQualification;
  std::string provider;  // «ГАУ ДПО «Институт развития образования»»
  std::string title;
  int64_t hours = 0;
  Date starts_on;
  Date ends_on;             // completed on
  std::string certificate;  // the certificate's number
};

// A seminar, methodological day, master class, open lesson… of the network (сетевое
// мероприятие). District-wide: the coordinator records it; its participants are
// EventParticipant records.
struct NetworkEvent {
  Uuid id;
  std::string title;
  NetworkEventKind kind = NetworkEventKind::kSeminar;
  std::optional<Uuid> organiser_school_id;  // none: the district office organised it
  Date held_on;
  std::string report;
};

// One teacher at one network event. A record of its own (not a list in the event), so that
// two devices adding participants at once both keep theirs.
struct EventParticipant {
  Uuid id;
  Uuid event_id;
  Uuid teacher_id;
};

// An item of a mentor's or tutor's work plan for a half-year (план работы): a planned visit,
// observation, consultation or other activity at a school (and with a teacher).
struct PlanItem {
  Uuid id;
  Uuid person_id;  // whose plan
  Uuid school_id;
  std::optional<Uuid> teacher_id;
  PlanActivity activity = PlanActivity::kVisit;
  Date planned_on;
  std::string title;
  std::optional<Date> done_on;  // events and other activities; visits and the like are matched (docs/metrics.md)
};

// A monitoring round of the programme (мониторинг: входной, промежуточный, итоговый; 000:
// «не реже 2 раз в год»), district-wide. Its figures are taken as of `ends_on`; closing it
// (`closed_on`) freezes each of its schools' figures as RoundResult records
// (Dashboard::FreezeRound), which later rounds compare with and later corrections never rewrite.
struct MonitoringRound {
  Uuid id;
  std::string name;  // «Входной мониторинг 2026/27»
  RoundKind kind = RoundKind::kEntry;
  Date starts_on;
  Date ends_on;
  std::vector<Uuid> school_ids;  // the schools monitored; empty = every school of the district
  std::optional<Date> closed_on;
  std::string district_figures;  // the district's own figures frozen at closing (dashboard.h RoundFigures)
};

// One school's figures as they were when its round was closed. Written once, never edited
// (rules.h IsAppendOnly): a correction made later does not rewrite a round.
struct RoundResult {
  Uuid id;
  Uuid round_id;
  Uuid school_id;
  std::vector<SchoolStatus> statuses;  // at the round's end date
  std::string figures;                 // "name=value" lines (dashboard.h RoundFigures)
  std::vector<std::string> risks;      // the risk directions flagged (codes)
};

// A school's status from a date on: it entered or left the ШНОР/ШНСУ list, became a leader, or
// left the programme (no status). Before its first change a school has School::statuses (the
// list of status_year); rules.h StatusesOn says which applies on a date.
struct StatusChange {
  Uuid id;
  Uuid school_id;
  Date changed_on;
  std::vector<SchoolStatus> statuses;  // empty = an ordinary school, out of the programme's lists
  std::string reason;            // «приказ № 112 от 20.01.2027, по итогам мониторинга»
  std::optional<Uuid> round_id;  // the round whose results decided it
};

// One line of a regional results spreadsheet.
struct AssessmentResult {
  Uuid id;
  Uuid school_id;
  int64_t year = 0;
  Assessment assessment = Assessment::kVpr;
  std::string subject;
  int64_t grade = 0;
  int64_t participants = 0;
  double mean_score = 0;
  double share_below_min = 0;  // 0..1
  double share_top = 0;        // 0..1
};

// One context indicator of a school for a year (share of low-income families, ...).
struct ContextIndicator {
  Uuid id;
  Uuid school_id;
  int64_t year = 0;
  std::string indicator;  // a code from KnownContextIndicators()
  double value = 0;
};

// A versioned rubric template. `body_json` is the template file's JSON (see rubric.h);
// templates are never edited once released: a change is a new version.
struct RubricTemplate {
  Uuid id;
  std::string code;
  int64_t version = 0;
  std::string title_ru;
  std::string title_en;
  std::string body_json;
};

// Context indicators the importer and the indices know: code, ru, en, is a share (0..1).
struct ContextIndicatorInfo {
  std::string_view code;
  std::string_view ru;
  std::string_view en;
  bool is_share;
};
std::span<const ContextIndicatorInfo> KnownContextIndicators();

// -----------------------------------------------------------------------------------------
// [SECTION] Field tables (RecordTraits)
// -----------------------------------------------------------------------------------------

template <class R, class T>
struct FieldDef {
  std::string_view name;  // column name and JSON/CSV key
  T R::*member;
};

template <class R>
struct RecordTraits;

#define MENTORLOG_F(R, name) \
  FieldDef<R, decltype(R::name)> { #name, &R::name }

template <>
struct RecordTraits<School> {
  static constexpr RecordKind kKind = RecordKind::kSchool;
  static constexpr std::string_view kTable = "schools";
  static constexpr auto kFields = std::make_tuple(
      MENTORLOG_F(School, code), MENTORLOG_F(School, name), MENTORLOG_F(School, short_name),
      MENTORLOG_F(School, municipality), MENTORLOG_F(School, settlement), MENTORLOG_F(School, distance_km),
      MENTORLOG_F(School, pupils), MENTORLOG_F(School, teachers), MENTORLOG_F(School, statuses),
      MENTORLOG_F(School, status_year), MENTORLOG_F(School, leader_partner_id),
      MENTORLOG_F(School, transition_programme), MENTORLOG_F(School, transition_programme_adopted_on),
      MENTORLOG_F(School, management_team_trained), MENTORLOG_F(School, district));
};

template <>
struct RecordTraits<Person> {
  static constexpr RecordKind kKind = RecordKind::kPerson;
  static constexpr std::string_view kTable = "people";
  static constexpr auto kFields =
      std::make_tuple(MENTORLOG_F(Person, code), MENTORLOG_F(Person, full_name), MENTORLOG_F(Person, roles),
                      MENTORLOG_F(Person, school_id), MENTORLOG_F(Person, subjects), MENTORLOG_F(Person, email),
                      MENTORLOG_F(Person, phone));
};

template <>
struct RecordTraits<Assignment> {
  static constexpr RecordKind kKind = RecordKind::kAssignment;
  static constexpr std::string_view kTable = "assignments";
  static constexpr auto kFields = std::make_tuple(MENTORLOG_F(Assignment, kind), MENTORLOG_F(Assignment, assignee_id),
                                                  MENTORLOG_F(Assignment, school_id),
                                                  MENTORLOG_F(Assignment, teacher_id), MENTORLOG_F(Assignment, subject),
                                                  MENTORLOG_F(Assignment, starts_on), MENTORLOG_F(Assignment, ends_on));
};

template <>
struct RecordTraits<Visit> {
  static constexpr RecordKind kKind = RecordKind::kVisit;
  static constexpr std::string_view kTable = "visits";
  static constexpr auto kFields =
      std::make_tuple(MENTORLOG_F(Visit, school_id), MENTORLOG_F(Visit, date), MENTORLOG_F(Visit, visitor_ids),
                      MENTORLOG_F(Visit, purposes), MENTORLOG_F(Visit, met_with), MENTORLOG_F(Visit, summary),
                      MENTORLOG_F(Visit, strengths), MENTORLOG_F(Visit, problems));
};

template <>
struct RecordTraits<Observation> {
  static constexpr RecordKind kKind = RecordKind::kObservation;
  static constexpr std::string_view kTable = "observations";
  static constexpr auto kFields = std::make_tuple(
      MENTORLOG_F(Observation, visit_id), MENTORLOG_F(Observation, school_id), MENTORLOG_F(Observation, teacher_id),
      MENTORLOG_F(Observation, observer_id), MENTORLOG_F(Observation, kind), MENTORLOG_F(Observation, subject),
      MENTORLOG_F(Observation, grade), MENTORLOG_F(Observation, class_label), MENTORLOG_F(Observation, date),
      MENTORLOG_F(Observation, topic), MENTORLOG_F(Observation, rubric_code), MENTORLOG_F(Observation, rubric_version),
      MENTORLOG_F(Observation, strengths), MENTORLOG_F(Observation, growth_areas), MENTORLOG_F(Observation, next_steps),
      MENTORLOG_F(Observation, discussion_held));
};

template <>
struct RecordTraits<ObservationScore> {
  static constexpr RecordKind kKind = RecordKind::kObservationScore;
  static constexpr std::string_view kTable = "observation_scores";
  static constexpr auto kFields =
      std::make_tuple(MENTORLOG_F(ObservationScore, observation_id), MENTORLOG_F(ObservationScore, criterion_code),
                      MENTORLOG_F(ObservationScore, level), MENTORLOG_F(ObservationScore, evidence));
};

template <>
struct RecordTraits<Consultation> {
  static constexpr RecordKind kKind = RecordKind::kConsultation;
  static constexpr std::string_view kTable = "consultations";
  static constexpr auto kFields = std::make_tuple(
      MENTORLOG_F(Consultation, school_id), MENTORLOG_F(Consultation, date), MENTORLOG_F(Consultation, consultant_id),
      MENTORLOG_F(Consultation, audience), MENTORLOG_F(Consultation, teacher_id), MENTORLOG_F(Consultation, format),
      MENTORLOG_F(Consultation, minutes), MENTORLOG_F(Consultation, topics), MENTORLOG_F(Consultation, questions),
      MENTORLOG_F(Consultation, advice), MENTORLOG_F(Consultation, follow_ups));
};

template <>
struct RecordTraits<Recommendation> {
  static constexpr RecordKind kKind = RecordKind::kRecommendation;
  static constexpr std::string_view kTable = "recommendations";
  static constexpr auto kFields =
      std::make_tuple(MENTORLOG_F(Recommendation, source_kind), MENTORLOG_F(Recommendation, source_id),
                      MENTORLOG_F(Recommendation, school_id), MENTORLOG_F(Recommendation, teacher_id),
                      MENTORLOG_F(Recommendation, text), MENTORLOG_F(Recommendation, responsible_id),
                      MENTORLOG_F(Recommendation, responsible_name), MENTORLOG_F(Recommendation, created_on),
                      MENTORLOG_F(Recommendation, due_on), MENTORLOG_F(Recommendation, status),
                      MENTORLOG_F(Recommendation, reopen_count), MENTORLOG_F(Recommendation, evidence),
                      MENTORLOG_F(Recommendation, verified_visit_id), MENTORLOG_F(Recommendation, closed_on));
};

template <>
struct RecordTraits<RecommendationEvent> {
  static constexpr RecordKind kKind = RecordKind::kRecommendationEvent;
  static constexpr std::string_view kTable = "recommendation_events";
  static constexpr auto kFields =
      std::make_tuple(MENTORLOG_F(RecommendationEvent, recommendation_id), MENTORLOG_F(RecommendationEvent, kind),
                      MENTORLOG_F(RecommendationEvent, date), MENTORLOG_F(RecommendationEvent, author_id),
                      MENTORLOG_F(RecommendationEvent, text));
};

template <>
struct RecordTraits<Deficit> {
  static constexpr RecordKind kKind = RecordKind::kDeficit;
  static constexpr std::string_view kTable = "deficits";
  static constexpr auto kFields = std::make_tuple(
      MENTORLOG_F(Deficit, teacher_id), MENTORLOG_F(Deficit, area), MENTORLOG_F(Deficit, found_on),
      MENTORLOG_F(Deficit, found_by), MENTORLOG_F(Deficit, observation_id), MENTORLOG_F(Deficit, remedy),
      MENTORLOG_F(Deficit, closed_on), MENTORLOG_F(Deficit, notes), MENTORLOG_F(Deficit, closed_by));
};

template <>
struct RecordTraits<RoadmapItem> {
  static constexpr RecordKind kKind = RecordKind::kRoadmapItem;
  static constexpr std::string_view kTable = "roadmap_items";
  static constexpr auto kFields = std::make_tuple(
      MENTORLOG_F(RoadmapItem, title), MENTORLOG_F(RoadmapItem, level), MENTORLOG_F(RoadmapItem, school_id),
      MENTORLOG_F(RoadmapItem, starts_on), MENTORLOG_F(RoadmapItem, ends_on), MENTORLOG_F(RoadmapItem, responsible),
      MENTORLOG_F(RoadmapItem, participants), MENTORLOG_F(RoadmapItem, planned_result),
      MENTORLOG_F(RoadmapItem, status), MENTORLOG_F(RoadmapItem, report), MENTORLOG_F(RoadmapItem, done_on),
      MENTORLOG_F(RoadmapItem, evidence));
};

template <>
struct RecordTraits<NetworkAgreement> {
  static constexpr RecordKind kKind = RecordKind::kNetworkAgreement;
  static constexpr std::string_view kTable = "network_agreements";
  static constexpr auto kFields =
      std::make_tuple(MENTORLOG_F(NetworkAgreement, number), MENTORLOG_F(NetworkAgreement, signed_on),
                      MENTORLOG_F(NetworkAgreement, supported_school_id),
                      MENTORLOG_F(NetworkAgreement, leader_school_id), MENTORLOG_F(NetworkAgreement, model),
                      MENTORLOG_F(NetworkAgreement, ends_on), MENTORLOG_F(NetworkAgreement, subject),
                      MENTORLOG_F(NetworkAgreement, partner_kind), MENTORLOG_F(NetworkAgreement, partner_name),
                      MENTORLOG_F(NetworkAgreement, status), MENTORLOG_F(NetworkAgreement, milestones));
};

template <>
struct RecordTraits<RouteItem> {
  static constexpr RecordKind kKind = RecordKind::kRouteItem;
  static constexpr std::string_view kTable = "route_items";
  static constexpr auto kFields = std::make_tuple(
      MENTORLOG_F(RouteItem, teacher_id), MENTORLOG_F(RouteItem, deficit_id), MENTORLOG_F(RouteItem, activity),
      MENTORLOG_F(RouteItem, title), MENTORLOG_F(RouteItem, starts_on), MENTORLOG_F(RouteItem, due_on),
      MENTORLOG_F(RouteItem, status), MENTORLOG_F(RouteItem, done_on), MENTORLOG_F(RouteItem, result));
};

template <>
struct RecordTraits<Training> {
  static constexpr RecordKind kKind = RecordKind::kTraining;
  static constexpr std::string_view kTable = "trainings";
  static constexpr auto kFields =
      std::make_tuple(MENTORLOG_F(Training, teacher_id), MENTORLOG_F(Training, kind), MENTORLOG_F(Training, provider),
                      MENTORLOG_F(Training, title), MENTORLOG_F(Training, hours), MENTORLOG_F(Training, starts_on),
                      MENTORLOG_F(Training, ends_on), MENTORLOG_F(Training, certificate));
};

template <>
struct RecordTraits<NetworkEvent> {
  static constexpr RecordKind kKind = RecordKind::kNetworkEvent;
  static constexpr std::string_view kTable = "network_events";
  static constexpr auto kFields = std::make_tuple(
      MENTORLOG_F(NetworkEvent, title), MENTORLOG_F(NetworkEvent, kind), MENTORLOG_F(NetworkEvent, organiser_school_id),
      MENTORLOG_F(NetworkEvent, held_on), MENTORLOG_F(NetworkEvent, report));
};

template <>
struct RecordTraits<EventParticipant> {
  static constexpr RecordKind kKind = RecordKind::kEventParticipant;
  static constexpr std::string_view kTable = "event_participants";
  static constexpr auto kFields =
      std::make_tuple(MENTORLOG_F(EventParticipant, event_id), MENTORLOG_F(EventParticipant, teacher_id));
};

template <>
struct RecordTraits<PlanItem> {
  static constexpr RecordKind kKind = RecordKind::kPlanItem;
  static constexpr std::string_view kTable = "plan_items";
  static constexpr auto kFields =
      std::make_tuple(MENTORLOG_F(PlanItem, person_id), MENTORLOG_F(PlanItem, school_id),
                      MENTORLOG_F(PlanItem, teacher_id), MENTORLOG_F(PlanItem, activity),
                      MENTORLOG_F(PlanItem, planned_on), MENTORLOG_F(PlanItem, title), MENTORLOG_F(PlanItem, done_on));
};

template <>
struct RecordTraits<AssessmentResult> {
  static constexpr RecordKind kKind = RecordKind::kAssessmentResult;
  static constexpr std::string_view kTable = "assessment_results";
  static constexpr auto kFields =
      std::make_tuple(MENTORLOG_F(AssessmentResult, school_id), MENTORLOG_F(AssessmentResult, year),
                      MENTORLOG_F(AssessmentResult, assessment), MENTORLOG_F(AssessmentResult, subject),
                      MENTORLOG_F(AssessmentResult, grade), MENTORLOG_F(AssessmentResult, participants),
                      MENTORLOG_F(AssessmentResult, mean_score), MENTORLOG_F(AssessmentResult, share_below_min),
                      MENTORLOG_F(AssessmentResult, share_top));
};

template <>
struct RecordTraits<ContextIndicator> {
  static constexpr RecordKind kKind = RecordKind::kContextIndicator;
  static constexpr std::string_view kTable = "context_indicators";
  static constexpr auto kFields =
      std::make_tuple(MENTORLOG_F(ContextIndicator, school_id), MENTORLOG_F(ContextIndicator, year),
                      MENTORLOG_F(ContextIndicator, indicator), MENTORLOG_F(ContextIndicator, value));
};

template <>
struct RecordTraits<RubricTemplate> {
  static constexpr RecordKind kKind = RecordKind::kRubricTemplate;
  static constexpr std::string_view kTable = "rubric_templates";
  static constexpr auto kFields = std::make_tuple(
      MENTORLOG_F(RubricTemplate, code), MENTORLOG_F(RubricTemplate, version), MENTORLOG_F(RubricTemplate, title_ru),
      MENTORLOG_F(RubricTemplate, title_en), MENTORLOG_F(RubricTemplate, body_json));
};

template <>
struct RecordTraits<MonitoringRound> {
  static constexpr RecordKind kKind = RecordKind::kMonitoringRound;
  static constexpr std::string_view kTable = "monitoring_rounds";
  static constexpr auto kFields = std::make_tuple(
      MENTORLOG_F(MonitoringRound, name), MENTORLOG_F(MonitoringRound, kind), MENTORLOG_F(MonitoringRound, starts_on),
      MENTORLOG_F(MonitoringRound, ends_on), MENTORLOG_F(MonitoringRound, school_ids),
      MENTORLOG_F(MonitoringRound, closed_on), MENTORLOG_F(MonitoringRound, district_figures));
};

template <>
struct RecordTraits<RoundResult> {
  static constexpr RecordKind kKind = RecordKind::kRoundResult;
  static constexpr std::string_view kTable = "round_results";
  static constexpr auto kFields = std::make_tuple(
      MENTORLOG_F(RoundResult, round_id), MENTORLOG_F(RoundResult, school_id), MENTORLOG_F(RoundResult, statuses),
      MENTORLOG_F(RoundResult, figures), MENTORLOG_F(RoundResult, risks));
};

template <>
struct RecordTraits<StatusChange> {
  static constexpr RecordKind kKind = RecordKind::kStatusChange;
  static constexpr std::string_view kTable = "status_changes";
  static constexpr auto kFields = std::make_tuple(
      MENTORLOG_F(StatusChange, school_id), MENTORLOG_F(StatusChange, changed_on), MENTORLOG_F(StatusChange, statuses),
      MENTORLOG_F(StatusChange, reason), MENTORLOG_F(StatusChange, round_id));
};

#undef MENTORLOG_F

// -----------------------------------------------------------------------------------------
// [SECTION] Generic access
// -----------------------------------------------------------------------------------------

// Calls f(field_def) for each field of R, in table order.
template <class R, class F>
constexpr void ForEachFieldDef(F&& f) {
  std::apply([&](const auto&... defs) { (f(defs), ...); }, RecordTraits<R>::kFields);
}

template <class R>
constexpr size_t FieldCount() {
  return std::tuple_size_v<decltype(RecordTraits<R>::kFields)>;
}

// Every record type, in RecordKind order: the one list of them. VisitKind, kAllRecordKinds and
// the explicit instantiations (store.cpp, record_json.cpp) and the fuzz targets expand it, so a
// new kind is added here once. X(R) is called with each type name.
// clang-format off
#define MENTORLOG_RECORD_TYPES(X)\
  X(School)                     \
  X(Person)                     \
  X(Assignment)                 \
  X(Visit)                      \
  X(Observation)                \
  X(ObservationScore)           \
  X(Consultation)               \
  X(Recommendation)             \
  X(RecommendationEvent)        \
  X(Deficit)                    \
  X(RoadmapItem)                \
  X(NetworkAgreement)           \
  X(AssessmentResult)           \
  X(ContextIndicator)           \
  X(RubricTemplate)             \
  X(RouteItem)                  \
  X(Training)                   \
  X(NetworkEvent)               \
  X(EventParticipant)           \
  X(PlanItem)                   \
  X(MonitoringRound)            \
  X(RoundResult)                \
  X(StatusChange)
// clang-format on

// Calls f.template operator()<R>() with the record type of `kind`.
template <class F>
decltype(auto) VisitKind(RecordKind kind, F&& f) {
  switch (kind) {
#define MENTORLOG_VISIT_KIND_CASE(R) \
  case RecordTraits<R>::kKind:       \
    return f.template operator()<R>();
    MENTORLOG_RECORD_TYPES(MENTORLOG_VISIT_KIND_CASE)
#undef MENTORLOG_VISIT_KIND_CASE
  }
  return f.template operator()<School>();  // unreachable for valid kinds
}

inline constexpr RecordKind kAllRecordKinds[] = {
#define MENTORLOG_RECORD_KIND_OF(R) RecordTraits<R>::kKind,
    MENTORLOG_RECORD_TYPES(MENTORLOG_RECORD_KIND_OF)
#undef MENTORLOG_RECORD_KIND_OF
};
// How many kinds there are; their RecordKind values are 0 .. kRecordKindCount - 1 in list order.
inline constexpr size_t kRecordKindCount = std::size(kAllRecordKinds);
static_assert([] {
  for (size_t i = 0; i < kRecordKindCount; ++i) {
    if (static_cast<size_t>(kAllRecordKinds[i]) != i) return false;
  }
  return true;
}());

// "schools", "visits", ...: the table name, also the CLI's KIND word.
std::string_view KindTable(RecordKind kind);
// Accepts the table name ("visits") or the singular code ("visit").
std::optional<RecordKind> KindFromName(std::string_view name);

}  // namespace mentorlog::core
