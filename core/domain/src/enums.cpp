// The vocabularies' codes and labels. Codes are stored and sent: never change one; add.
#include "mentorlog/domain/enums.h"

#include <array>
#include <span>
#include <string>

#include "mentorlog/domain/records.h"

namespace mentorlog::core {

#define MENTORLOG_ENUM_TABLE(E, ...)                          \
  template <>                                                 \
  std::span<const EnumEntry<E>> EnumEntries<E>() {            \
    static constexpr EnumEntry<E> kEntries[] = {__VA_ARGS__}; \
    return kEntries;                                          \
  }

using RK = RecordKind;
MENTORLOG_ENUM_TABLE(
    RecordKind, {RK::kSchool, "school", "школа", "school"}, {RK::kPerson, "person", "человек", "person"},
    {RK::kAssignment, "assignment", "закрепление", "assignment"}, {RK::kVisit, "visit", "выезд", "visit"},
    {RK::kObservation, "observation", "посещение урока", "lesson observation"},
    {RK::kObservationScore, "observation_score", "оценка по критерию", "criterion score"},
    {RK::kConsultation, "consultation", "консультация", "consultation"},
    {RK::kRecommendation, "recommendation", "рекомендация", "recommendation"},
    {RK::kRecommendationEvent, "recommendation_event", "запись истории рекомендации", "recommendation event"},
    {RK::kDeficit, "deficit", "профессиональный дефицит", "professional deficit"},
    {RK::kRoadmapItem, "roadmap_item", "мероприятие дорожной карты", "roadmap item"},
    {RK::kNetworkAgreement, "network_agreement", "договор о сетевом взаимодействии", "network agreement"},
    {RK::kAssessmentResult, "assessment_result", "результат оценочной процедуры", "assessment result"},
    {RK::kContextIndicator, "context_indicator", "контекстный показатель", "context indicator"},
    {RK::kRubricTemplate, "rubric_template", "шаблон протокола", "rubric template"},
    {RK::kRouteItem, "route_item", "пункт индивидуального маршрута", "route item"},
    {RK::kTraining, "training", "повышение квалификации", "training"},
    {RK::kNetworkEvent, "network_event", "сетевое мероприятие", "network event"},
    {RK::kEventParticipant, "event_participant", "участник сетевого мероприятия", "event participant"},
    {RK::kPlanItem, "plan_item", "пункт плана работы", "work plan item"},
    {RK::kMonitoringRound, "monitoring_round", "этап мониторинга", "monitoring round"},
    {RK::kRoundResult, "round_result", "итог школы в мониторинге", "school's round result"},
    {RK::kStatusChange, "status_change", "изменение статуса школы", "school status change"})

MENTORLOG_ENUM_TABLE(Settlement, {Settlement::kUrban, "urban", "город", "urban"},
                     {Settlement::kRural, "rural", "село", "rural"})

MENTORLOG_ENUM_TABLE(SchoolStatus, {SchoolStatus::kLowResults, "low_results", "ШНОР", "low results"},
                     {SchoolStatus::kAdverseConditions, "adverse_conditions", "ШНСУ", "adverse conditions"},
                     {SchoolStatus::kLeader, "leader", "школа-лидер", "leader"})

MENTORLOG_ENUM_TABLE(TransitionProgramme, {TransitionProgramme::kNone, "none", "нет", "none"},
                     {TransitionProgramme::kDrafting, "drafting", "разрабатывается", "drafting"},
                     {TransitionProgramme::kAdopted, "adopted", "утверждена", "adopted"},
                     {TransitionProgramme::kCompleted, "completed", "выполнена", "completed"})

MENTORLOG_ENUM_TABLE(Role, {Role::kTeacher, "teacher", "учитель", "teacher"},
                     {Role::kMentor, "mentor", "наставник", "mentor"}, {Role::kTutor, "tutor", "тьютор", "tutor"},
                     {Role::kCoordinator, "coordinator", "координатор", "coordinator"},
                     {Role::kSchoolCoordinator, "school_coordinator", "школьный координатор", "school coordinator"},
                     {Role::kDirector, "director", "директор", "director"},
                     {Role::kDeputyDirector, "deputy_director", "заместитель директора", "deputy director"})

MENTORLOG_ENUM_TABLE(AssignmentKind,
                     {AssignmentKind::kMentorSchool, "mentor_school", "наставник — школа", "mentor to school"},
                     {AssignmentKind::kTutorTeacher, "tutor_teacher", "тьютор — учитель", "tutor to teacher"},
                     {AssignmentKind::kTutorSchoolSubject, "tutor_school_subject", "тьютор — школа и предмет",
                      "tutor to school and subject"})

MENTORLOG_ENUM_TABLE(VisitPurpose, {VisitPurpose::kDiagnostics, "diagnostics", "диагностика", "diagnostics"},
                     {VisitPurpose::kConsultation, "consultation", "консультирование", "consultation"},
                     {VisitPurpose::kLessonObservations, "lesson_observations", "посещение уроков",
                      "lesson observations"},
                     {VisitPurpose::kMonitoring, "monitoring", "мониторинг", "monitoring"},
                     {VisitPurpose::kMethodologicalEvent, "methodological_event", "методическое мероприятие",
                      "methodological event"},
                     {VisitPurpose::kFollowUp, "follow_up", "проверка выполнения рекомендаций", "follow-up check"})

MENTORLOG_ENUM_TABLE(ObservationKind,
                     {ObservationKind::kObservation, "observation", "посещение урока", "lesson observation"},
                     {ObservationKind::kPeerVisit, "peer_visit", "взаимопосещение", "peer visit"},
                     {ObservationKind::kOpenLesson, "open_lesson", "открытый урок", "open lesson"})

MENTORLOG_ENUM_TABLE(ConsultationAudience,
                     {ConsultationAudience::kManagementTeam, "management_team", "управленческая команда",
                      "management team"},
                     {ConsultationAudience::kTeacher, "teacher", "учитель", "teacher"})

MENTORLOG_ENUM_TABLE(ConsultationFormat, {ConsultationFormat::kInPerson, "in_person", "очно", "in person"},
                     {ConsultationFormat::kRemote, "remote", "дистанционно", "remote"},
                     {ConsultationFormat::kPhone, "phone", "по телефону", "phone"})

using CT = ConsultationTopic;
MENTORLOG_ENUM_TABLE(ConsultationTopic,
                     {CT::kTransitionProgramme, "transition_programme", "программа перехода", "transition programme"},
                     {CT::kInternalQuality, "internal_quality", "ВСОКО", "internal quality assessment"},
                     {CT::kExamPreparation, "exam_preparation", "подготовка к ГИА/ВПР", "exam preparation"},
                     {CT::kPupilsAtRisk, "pupils_at_risk", "обучающиеся группы риска", "pupils at risk"},
                     {CT::kProfessionalDevelopment, "professional_development", "план профессионального развития",
                      "professional development plan"},
                     {CT::kParents, "parents", "работа с родителями", "parents"},
                     {CT::kNetworkPartnership, "network_partnership", "сетевое партнёрство", "network partnership"},
                     {CT::kDocuments, "documents", "документация", "documents"},
                     {CT::kOther, "other", "другое", "other"})

MENTORLOG_ENUM_TABLE(SourceKind, {SourceKind::kVisit, "visit", "выезд", "visit"},
                     {SourceKind::kObservation, "observation", "посещение урока", "lesson observation"},
                     {SourceKind::kConsultation, "consultation", "консультация", "consultation"})

MENTORLOG_ENUM_TABLE(RecommendationStatus, {RecommendationStatus::kOpen, "open", "открыта", "open"},
                     {RecommendationStatus::kInProgress, "in_progress", "в работе", "in progress"},
                     {RecommendationStatus::kDone, "done", "выполнена", "done"},
                     {RecommendationStatus::kDropped, "dropped", "снята", "dropped"})

MENTORLOG_ENUM_TABLE(RecommendationEventKind, {RecommendationEventKind::kComment, "comment", "комментарий", "comment"},
                     {RecommendationEventKind::kStatusChange, "status_change", "смена статуса", "status change"},
                     {RecommendationEventKind::kReopen, "reopen", "возобновлена", "reopened"},
                     {RecommendationEventKind::kVerified, "verified", "проверена на выезде", "verified at a visit"})

MENTORLOG_ENUM_TABLE(DeficitSource,
                     {DeficitSource::kObservation, "observation", "посещение урока", "lesson observation"},
                     {DeficitSource::kDiagnostics, "diagnostics", "диагностика", "diagnostics"},
                     {DeficitSource::kSelfAssessment, "self_assessment", "самоанализ", "self-assessment"},
                     {DeficitSource::kTest, "test", "тестирование", "test"})

MENTORLOG_ENUM_TABLE(DeficitRemedy, {DeficitRemedy::kCourse, "course", "курсы повышения квалификации", "course"},
                     {DeficitRemedy::kTutorSessions, "tutor_sessions", "занятия с тьютором", "tutor sessions"},
                     {DeficitRemedy::kSeminar, "seminar", "семинар", "seminar"},
                     {DeficitRemedy::kSelfStudy, "self_study", "самообразование", "self-study"},
                     {DeficitRemedy::kOther, "other", "другое", "other"})

MENTORLOG_ENUM_TABLE(RoadmapLevel, {RoadmapLevel::kDistrict, "district", "муниципальный", "district"},
                     {RoadmapLevel::kSchool, "school", "школьный", "school"})

MENTORLOG_ENUM_TABLE(RoadmapStatus, {RoadmapStatus::kPlanned, "planned", "запланировано", "planned"},
                     {RoadmapStatus::kInProgress, "in_progress", "выполняется", "in progress"},
                     {RoadmapStatus::kDone, "done", "выполнено", "done"},
                     {RoadmapStatus::kCancelled, "cancelled", "отменено", "cancelled"})

MENTORLOG_ENUM_TABLE(NetworkModel, {NetworkModel::kHorizontal, "horizontal", "горизонтальная", "horizontal"},
                     {NetworkModel::kVertical, "vertical", "вертикальная", "vertical"})

MENTORLOG_ENUM_TABLE(RoundKind, {RoundKind::kEntry, "entry", "входной", "entry"},
                     {RoundKind::kInterim, "interim", "промежуточный", "interim"},
                     {RoundKind::kFinal, "final", "итоговый", "final"})

MENTORLOG_ENUM_TABLE(PartnerKind, {PartnerKind::kSchool, "school", "школа", "school"},
                     {PartnerKind::kInstitution, "institution", "социальный институт", "social institution"})

MENTORLOG_ENUM_TABLE(AgreementStatus, {AgreementStatus::kDraft, "draft", "проект", "draft"},
                     {AgreementStatus::kActive, "active", "действует", "active"},
                     {AgreementStatus::kEnded, "ended", "прекращён", "ended"})

MENTORLOG_ENUM_TABLE(RouteActivity, {RouteActivity::kCourse, "course", "курсы повышения квалификации", "course"},
                     {RouteActivity::kSeminar, "seminar", "семинар", "seminar"},
                     {RouteActivity::kMentoring, "mentoring", "наставничество", "mentoring"},
                     {RouteActivity::kPeerVisits, "peer_visits", "взаимопосещение уроков", "peer visits"},
                     {RouteActivity::kSelfStudy, "self_study", "самообразование", "self-study"},
                     {RouteActivity::kOther, "other", "другое", "other"})

MENTORLOG_ENUM_TABLE(RouteItemStatus, {RouteItemStatus::kPlanned, "planned", "запланировано", "planned"},
                     {RouteItemStatus::kInProgress, "in_progress", "выполняется", "in progress"},
                     {RouteItemStatus::kDone, "done", "выполнено", "done"},
                     {RouteItemStatus::kDropped, "dropped", "отменено", "dropped"})

MENTORLOG_ENUM_TABLE(TrainingKind,
                     {TrainingKind::kQualification, "qualification", "повышение квалификации", "qualification"},
                     {TrainingKind::kRetraining, "retraining", "профессиональная переподготовка", "retraining"})

MENTORLOG_ENUM_TABLE(NetworkEventKind, {NetworkEventKind::kSeminar, "seminar", "семинар", "seminar"},
                     {NetworkEventKind::kMethodologicalDay, "methodological_day", "методический день",
                      "methodological day"},
                     {NetworkEventKind::kMasterClass, "master_class", "мастер-класс", "master class"},
                     {NetworkEventKind::kOpenLesson, "open_lesson", "открытый урок", "open lesson"},
                     {NetworkEventKind::kRoundTable, "round_table", "круглый стол", "round table"},
                     {NetworkEventKind::kConference, "conference", "конференция", "conference"},
                     {NetworkEventKind::kOther, "other", "другое", "other"})

MENTORLOG_ENUM_TABLE(PlanActivity, {PlanActivity::kVisit, "visit", "выезд", "visit"},
                     {PlanActivity::kObservation, "observation", "посещение урока", "lesson observation"},
                     {PlanActivity::kConsultation, "consultation", "консультация", "consultation"},
                     {PlanActivity::kEvent, "event", "мероприятие", "event"},
                     {PlanActivity::kOther, "other", "другое", "other"})

MENTORLOG_ENUM_TABLE(Assessment, {Assessment::kVpr, "vpr", "ВПР", "VPR"}, {Assessment::kOge, "oge", "ОГЭ", "OGE"},
                     {Assessment::kEge, "ege", "ЕГЭ", "EGE"},
                     {Assessment::kRegional, "regional", "региональная", "regional"})

#undef MENTORLOG_ENUM_TABLE

std::string FoldCase(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      continue;
    }
    if (i + 1 < utf8.size()) {
      const auto c2 = static_cast<unsigned char>(utf8[i + 1]);
      if (c == 0xD0 && c2 >= 0x90 && c2 <= 0x9F) {  // А..П -> а..п
        out += static_cast<char>(0xD0);
        out += static_cast<char>(c2 + 0x20);
        ++i;
        continue;
      }
      if (c == 0xD0 && c2 >= 0xA0 && c2 <= 0xAF) {  // Р..Я -> р..я
        out += static_cast<char>(0xD1);
        out += static_cast<char>(c2 - 0x20);
        ++i;
        continue;
      }
      if (c == 0xD0 && c2 == 0x81) {  // Ё -> ё
        out += static_cast<char>(0xD1);
        out += static_cast<char>(0x91);
        ++i;
        continue;
      }
    }
    out += static_cast<char>(c);
  }
  size_t b = out.find_first_not_of(" \t\r\n");
  size_t e = out.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : out.substr(b, e - b + 1);
}

namespace {
// 'ё' as 'е': people often type «прекращен» for «прекращён».
std::string WithoutYo(std::string s) {
  for (size_t at = s.find("\u0451"); at != std::string::npos; at = s.find("\u0451", at)) s.replace(at, 2, "\u0435");
  return s;
}

// The text as a spreadsheet's author may have typed it, reduced to its words: case, ё, hyphens
// and dashes, punctuation, quotes and runs of spaces do not matter ("Школа-лидер", "школа
// лидер", "ШКОЛА  ЛИДЕР." are one).
std::string Loose(std::string_view text) {
  std::string s = WithoutYo(FoldCase(text));
  for (std::string_view mark : {"\u2013", "\u2014", "\u00ab", "\u00bb"}) {  // – — « »
    for (size_t at = s.find(mark); at != std::string::npos; at = s.find(mark, at)) s.replace(at, mark.size(), " ");
  }
  std::string out;
  for (char c : s) {
    const bool gap =
        c == ' ' || c == '-' || c == '_' || c == ',' || c == '.' || c == '"' || c == '(' || c == ')' || c == '\t';
    if (gap) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Other words for a value that people write: the seeds' own terms and a spreadsheet's short
// forms, in Loose form. docs/import.md lists them.
template <class E>
struct EnumAlias {
  E value;
  std::string_view loose;
};
template <class E>
std::span<const EnumAlias<E>> EnumAliases() {
  return {};
}
template <>
std::span<const EnumAlias<SchoolStatus>> EnumAliases<SchoolStatus>() {
  using S = SchoolStatus;
  static constexpr EnumAlias<S> kAliases[] = {
      // 000 and 002 call the schools in adverse conditions ШССУ and ШСУ, 001 and 003 ШНСУ.
      {S::kLowResults, "шнор"},
      {S::kLowResults, "школа с низкими образовательными результатами"},
      {S::kLowResults, "школа с низкими результатами обучения"},
      {S::kLowResults, "низкие образовательные результаты"},
      {S::kLowResults, "низкие результаты"},
      {S::kAdverseConditions, "шнсу"},
      {S::kAdverseConditions, "шссу"},
      {S::kAdverseConditions, "шсу"},
      {S::kAdverseConditions, "школа функционирующая в неблагоприятных социальных условиях"},
      {S::kAdverseConditions, "школа функционирующая в сложных социальных условиях"},
      {S::kAdverseConditions, "школа в сложном социальном контексте"},
      {S::kAdverseConditions, "неблагоприятные социальные условия"},
      {S::kAdverseConditions, "сложные социальные условия"},
      {S::kLeader, "лидер"},
      {S::kLeader, "школа лидер"},
      {S::kLeader, "leader school"},
  };
  return kAliases;
}
}  // namespace

template <class E>
std::optional<E> EnumFromText(std::string_view text) {
  const std::string folded = FoldCase(text);
  const std::string plain = WithoutYo(folded);
  for (const auto& e : EnumEntries<E>()) {
    if (folded == e.code || plain == WithoutYo(FoldCase(e.ru)) || folded == FoldCase(e.en)) return e.value;
  }
  // "in progress" vs "in_progress": accept spaces and hyphens for underscores.
  std::string underscored = folded;
  for (char& c : underscored) {
    if (c == ' ' || c == '-') c = '_';
  }
  for (const auto& e : EnumEntries<E>()) {
    if (underscored == e.code) return e.value;
  }
  // The labels and the other words people write, typed loosely.
  const std::string loose = Loose(text);
  if (loose.empty()) return std::nullopt;
  for (const auto& e : EnumEntries<E>()) {
    if (loose == Loose(e.ru) || loose == Loose(e.en)) return e.value;
  }
  for (const auto& a : EnumAliases<E>()) {
    if (loose == a.loose) return a.value;
  }
  return std::nullopt;
}

template <class E>
std::string EnumChoices(Language language) {
  std::string s;
  for (const auto& e : EnumEntries<E>()) {
    if (!s.empty()) s += ", ";
    s += language == Language::kRussian ? e.ru : e.code;
  }
  return s;
}

#define MENTORLOG_ENUM_INSTANTIATE(E)                          \
  template std::optional<E> EnumFromText<E>(std::string_view); \
  template std::string EnumChoices<E>(Language);
MENTORLOG_ENUM_INSTANTIATE(RecordKind)
MENTORLOG_ENUM_INSTANTIATE(Settlement)
MENTORLOG_ENUM_INSTANTIATE(SchoolStatus)
MENTORLOG_ENUM_INSTANTIATE(TransitionProgramme)
MENTORLOG_ENUM_INSTANTIATE(Role)
MENTORLOG_ENUM_INSTANTIATE(AssignmentKind)
MENTORLOG_ENUM_INSTANTIATE(VisitPurpose)
MENTORLOG_ENUM_INSTANTIATE(ObservationKind)
MENTORLOG_ENUM_INSTANTIATE(ConsultationAudience)
MENTORLOG_ENUM_INSTANTIATE(ConsultationFormat)
MENTORLOG_ENUM_INSTANTIATE(ConsultationTopic)
MENTORLOG_ENUM_INSTANTIATE(SourceKind)
MENTORLOG_ENUM_INSTANTIATE(RecommendationStatus)
MENTORLOG_ENUM_INSTANTIATE(RecommendationEventKind)
MENTORLOG_ENUM_INSTANTIATE(DeficitSource)
MENTORLOG_ENUM_INSTANTIATE(DeficitRemedy)
MENTORLOG_ENUM_INSTANTIATE(RoadmapLevel)
MENTORLOG_ENUM_INSTANTIATE(RoadmapStatus)
MENTORLOG_ENUM_INSTANTIATE(NetworkModel)
MENTORLOG_ENUM_INSTANTIATE(Assessment)
MENTORLOG_ENUM_INSTANTIATE(PartnerKind)
MENTORLOG_ENUM_INSTANTIATE(AgreementStatus)
MENTORLOG_ENUM_INSTANTIATE(RouteActivity)
MENTORLOG_ENUM_INSTANTIATE(RouteItemStatus)
MENTORLOG_ENUM_INSTANTIATE(TrainingKind)
MENTORLOG_ENUM_INSTANTIATE(NetworkEventKind)
MENTORLOG_ENUM_INSTANTIATE(PlanActivity)
MENTORLOG_ENUM_INSTANTIATE(RoundKind)
#undef MENTORLOG_ENUM_INSTANTIATE

// [SECTION] Record kinds

std::string_view KindTable(RecordKind kind) {
  return VisitKind(kind, []<class R>() { return RecordTraits<R>::kTable; });
}

std::optional<RecordKind> KindFromName(std::string_view name) {
  for (RecordKind k : kAllRecordKinds) {
    if (name == KindTable(k) || name == EnumCode(k)) return k;
  }
  // Common English plurals and the CLI's shorter words.
  if (name == "observations") return RecordKind::kObservation;
  if (name == "assessments" || name == "results") return RecordKind::kAssessmentResult;
  if (name == "indicators" || name == "context") return RecordKind::kContextIndicator;
  if (name == "rubrics") return RecordKind::kRubricTemplate;
  if (name == "roadmap") return RecordKind::kRoadmapItem;
  if (name == "agreements") return RecordKind::kNetworkAgreement;
  if (name == "route" || name == "routes") return RecordKind::kRouteItem;
  if (name == "courses") return RecordKind::kTraining;
  if (name == "events") return RecordKind::kNetworkEvent;
  if (name == "participants") return RecordKind::kEventParticipant;
  if (name == "plan" || name == "plans" || name == "work_plan") return RecordKind::kPlanItem;
  if (name == "persons" || name == "teachers") return RecordKind::kPerson;
  if (name == "rounds" || name == "round" || name == "monitoring") return RecordKind::kMonitoringRound;
  if (name == "statuses" || name == "status_history") return RecordKind::kStatusChange;
  return std::nullopt;
}

std::span<const ContextIndicatorInfo> KnownContextIndicators() {
  static constexpr ContextIndicatorInfo kInfo[] = {
      {"low_income_share", "доля обучающихся из малоимущих семей", "share of pupils from low-income families", true},
      {"single_parent_share", "доля обучающихся из неполных семей", "share of pupils from single-parent families",
       true},
      {"non_native_language_share", "доля обучающихся, для которых русский язык не родной",
       "share of pupils whose home language is not Russian", true},
      {"disability_share", "доля обучающихся с ОВЗ", "share of pupils with disabilities", true},
      {"teacher_vacancies", "число вакансий педагогов", "teacher vacancies", false},
      {"outside_subject_share", "доля педагогов, ведущих непрофильные предметы",
       "share of teachers teaching outside their subject", true},
      {"internet_quality", "качество интернета (0 — нет, 1 — хорошее)", "internet quality (0 none .. 1 good)", true},
      {"bus_transported_share", "доля подвозимых обучающихся", "share of pupils brought by school bus", true},
      {"parents_higher_education_share", "доля родителей с высшим образованием",
       "share of parents with higher education", true},
  };
  return kInfo;
}

}  // namespace mentorlog::core
