// The closed vocabularies of the domain (DOMAIN.md), each with its stable code (stored, sent,
// exported) and its Russian and English labels (shown, and accepted on import).
//
// Thread safety: constant tables.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "mentorlog/base/language.h"

namespace mentorlog::core {

enum class RecordKind {
  kSchool,
  kPerson,
  kAssignment,
  kVisit,
  kObservation,
  kObservationScore,
  kConsultation,
  kRecommendation,
  kRecommendationEvent,
  kDeficit,
  kRoadmapItem,
  kNetworkAgreement,
  kAssessmentResult,
  kContextIndicator,
  kRubricTemplate,
  kRouteItem,
  kTraining,
  kNetworkEvent,
  kEventParticipant,
  kPlanItem,
  kMonitoringRound,
  kRoundResult,
  kStatusChange,
};

enum class Settlement { kUrban, kRural };
enum class SchoolStatus { kLowResults, kAdverseConditions, kLeader };
enum class TransitionProgramme { kNone, kDrafting, kAdopted, kCompleted };
enum class Role { kTeacher, kMentor, kTutor, kCoordinator, kSchoolCoordinator, kDirector, kDeputyDirector };
enum class AssignmentKind { kMentorSchool, kTutorTeacher, kTutorSchoolSubject };
enum class VisitPurpose {
  kDiagnostics,
  kConsultation,
  kLessonObservations,
  kMonitoring,
  kMethodologicalEvent,
  kFollowUp
};
enum class ObservationKind { kObservation, kPeerVisit, kOpenLesson };
enum class ConsultationAudience { kManagementTeam, kTeacher };
enum class ConsultationFormat { kInPerson, kRemote, kPhone };
enum class ConsultationTopic {
  kTransitionProgramme,
  kInternalQuality,
  kExamPreparation,
  kPupilsAtRisk,
  kProfessionalDevelopment,
  kParents,
  kNetworkPartnership,
  kDocuments,
  kOther,
};
enum class SourceKind { kVisit, kObservation, kConsultation };
// Ordered: a status only moves forward (open < in progress < done | dropped).
enum class RecommendationStatus { kOpen, kInProgress, kDone, kDropped };
enum class RecommendationEventKind { kComment, kStatusChange, kReopen, kVerified };
enum class DeficitSource { kObservation, kDiagnostics, kSelfAssessment, kTest };
enum class DeficitRemedy { kCourse, kTutorSessions, kSeminar, kSelfStudy, kOther };
enum class RoadmapLevel { kDistrict, kSchool };
enum class RoadmapStatus { kPlanned, kInProgress, kDone, kCancelled };
enum class NetworkModel { kHorizontal, kVertical };
// A network agreement's partner: a leader school, or a social institution (a library, a sports
// school, a university: seed 003's «социальные институты»).
enum class PartnerKind { kSchool, kInstitution };
enum class AgreementStatus { kDraft, kActive, kEnded };
// An item of a teacher's individual educational route (ИОМ).
enum class RouteActivity { kCourse, kSeminar, kMentoring, kPeerVisits, kSelfStudy, kOther };
enum class RouteItemStatus { kPlanned, kInProgress, kDone, kDropped };
// Повышение квалификации or профессиональная переподготовка.
enum class TrainingKind { kQualification, kRetraining };
enum class NetworkEventKind {
  kSeminar,
  kMethodologicalDay,
  kMasterClass,
  kOpenLesson,
  kRoundTable,
  kConference,
  kOther,
};
// What a work plan's item plans; a visit, an observation or a consultation is found done by
// the record of that kind (docs/metrics.md), the others by their done date.
enum class PlanActivity { kVisit, kObservation, kConsultation, kEvent, kOther };
enum class Assessment { kVpr, kOge, kEge, kRegional };
// A monitoring round of the programme (004): входной, промежуточный, итоговый.
enum class RoundKind { kEntry, kInterim, kFinal };

// One entry of a vocabulary.
template <class E>
struct EnumEntry {
  E value;
  std::string_view code;  // stable, ASCII snake_case
  std::string_view ru;
  std::string_view en;
};

// Specialised for every enum above in enums.cpp.
template <class E>
std::span<const EnumEntry<E>> EnumEntries();

// "visit", "low_results", ...
template <class E>
std::string_view EnumCode(E value) {
  for (const auto& e : EnumEntries<E>()) {
    if (e.value == value) return e.code;
  }
  return "?";
}

template <class E>
std::string_view EnumLabel(E value, Language language) {
  for (const auto& e : EnumEntries<E>()) {
    if (e.value == value) return language == Language::kRussian ? e.ru : e.en;
  }
  return "?";
}

// The label in both languages, for messages kept as a LocalText (base/status.h).
template <class E>
LocalText EnumLocalLabel(E value) {
  for (const auto& e : EnumEntries<E>()) {
    if (e.value == value) return LocalText{std::string(e.ru), std::string(e.en)};
  }
  return LocalText{"?", "?"};
}

// Accepts the code, or the Russian or English label, in any letter case and with
// surrounding spaces ("село", "Rural", "rural" all give kRural); then, with hyphens, dashes,
// punctuation and spacing ignored, the labels and the other words people write for a value
// (a school's status: ШССУ and ШСУ for ШНСУ, «лидер», «школа лидер»; docs/import.md).
template <class E>
std::optional<E> EnumFromText(std::string_view text);

// "urban, rural" or "город, село": the accepted values, for error messages.
template <class E>
std::string EnumChoices(Language language);

// Lowercases ASCII and Cyrillic (А-Я, Ё) in UTF-8 and trims spaces.
std::string FoldCase(std::string_view utf8);

}  // namespace mentorlog::core
