// Validation rules, one function per record kind. Messages are bilingual and name the fix.
#include "mentorlog/domain/validation.h"

#include <algorithm>

#include "mentorlog/domain/rounds.h"

namespace mentorlog::core {

namespace {

class Errors {
 public:
  // A rule the record must satisfy by itself.
  void Add(std::string_view field, std::string en, std::string ru) {
    list_.push_back({std::string(field), std::move(en), std::move(ru), RuleSpan::kRecord});
  }
  // A rule that spans records or depends on the device's clock (validation.h).
  void Across(std::string_view field, std::string en, std::string ru) {
    list_.push_back({std::string(field), std::move(en), std::move(ru), RuleSpan::kAcrossRecords});
  }
  void Required(std::string_view field, const std::string& value, std::string_view what_en, std::string_view what_ru) {
    if (value.find_first_not_of(" \t\r\n") == std::string::npos) {
      Add(field, "Fill in " + std::string(what_en) + ".", "Заполните поле «" + std::string(what_ru) + "».");
    }
  }
  void NotAfterToday(std::string_view field, const Date& date, const ValidationContext& ctx, std::string_view what_en,
                     std::string_view what_ru) {
    if (date > ctx.Today()) {
      Across(field,
             "The " + std::string(what_en) + " date " + date.ToString() + " is in the future; today is " +
                 ctx.Today().ToString() + ".",
             "Дата (" + std::string(what_ru) + ") " + date.ToString() + " ещё не наступила; сегодня " +
                 ctx.Today().ToString() + ".");
    }
  }
  void SchoolExists(std::string_view field, const Uuid& id, const ValidationContext& ctx) {
    if (id.IsNil()) {
      Add(field, "Choose a school.", "Выберите школу.");
    } else if (!ctx.FindSchool(id)) {
      Across(field,
             "The chosen school is not on this device: it was deleted, or has not come with a sync yet. Choose "
             "the school again, or sync first.",
             "Выбранной школы нет на этом устройстве: её удалили или она ещё не пришла с синхронизацией. Выберите "
             "школу заново или сначала синхронизируйте.");
    }
  }
  // The person exists; when `role` is given they must have it.
  std::optional<Person> PersonExists(std::string_view field, const Uuid& id, const ValidationContext& ctx,
                                     std::optional<Role> role = std::nullopt) {
    if (id.IsNil()) {
      if (role == Role::kTeacher) {
        Add(field, "Choose the teacher.", "Выберите учителя.");
      } else {
        Add(field, "Choose a person.", "Выберите человека.");
      }
      return std::nullopt;
    }
    auto p = ctx.FindPerson(id);
    if (!p) {
      Across(field,
             "The chosen person is not on this device: they were deleted, or have not come with a sync yet. "
             "Choose them again, or sync first.",
             "Выбранного человека нет на этом устройстве: запись удалили или она ещё не пришла с синхронизацией. "
             "Выберите заново или сначала синхронизируйте.");
      return std::nullopt;
    }
    if (role && std::find(p->roles.begin(), p->roles.end(), *role) == p->roles.end()) {
      Across(field, p->full_name + " is not a " + std::string(EnumLabel(*role, Language::kEnglish)) + ".",
             p->full_name + " не является: " + std::string(EnumLabel(*role, Language::kRussian)) + ".");
    }
    return p;
  }
  // A teacher who belongs to the school.
  void TeacherOfSchool(std::string_view field, const Uuid& teacher_id, const Uuid& school_id,
                       const ValidationContext& ctx) {
    auto p = PersonExists(field, teacher_id, ctx, Role::kTeacher);
    if (!p || school_id.IsNil()) return;
    if (!p->school_id || *p->school_id != school_id) {
      const auto school = ctx.FindSchool(school_id);
      const std::string name = school ? school->name : school_id.ToString();
      Across(field, p->full_name + " does not teach at " + name + ". Choose a teacher of this school.",
             p->full_name + " не работает в школе «" + name + "». Выберите учителя этой школы.");
    }
  }
  void Range(std::string_view field, double value, double lo, double hi, std::string_view what_en,
             std::string_view what_ru) {
    if (!(value >= lo && value <= hi)) {  // also catches NaN
      Add(field,
          "The " + std::string(what_en) + " " + FieldValueToString(value) + " must be between " +
              FieldValueToString(lo) + " and " + FieldValueToString(hi) + ".",
          "Значение «" + std::string(what_ru) + "» " + FieldValueToString(value) + " должно быть от " +
              FieldValueToString(lo) + " до " + FieldValueToString(hi) + ".");
    }
  }
  // A year between 2000 and 2100, and (a rule of the device's clock) not after next year.
  void Year(std::string_view field, int64_t year, const ValidationContext& ctx) {
    Range(field, static_cast<double>(year), 2000, 2100, "year", "год");
    const int64_t last = ctx.Today().year() + 1;
    if (year > last && year <= 2100) {
      Across(field, "The year " + std::to_string(year) + " is after " + std::to_string(last) + ".",
             "Год " + std::to_string(year) + " позже " + std::to_string(last) + ".");
    }
  }
  void Order(std::string_view field, const Date& first, const Date& then, std::string_view en, std::string_view ru) {
    if (then < first)
      Add(field, std::string(en) + " (" + then.ToString() + " < " + first.ToString() + ").",
          std::string(ru) + " (" + then.ToString() + " < " + first.ToString() + ").");
  }

  // Every text and text-list field of `r` (text.h's rule), through the field table.
  template <class R>
  void Texts(const R& r) {
    for (FieldError& err : CheckRecordTexts(r)) list_.push_back(std::move(err));
  }

  ValidationErrors Take() { return std::move(list_); }

 private:
  ValidationErrors list_;
};

template <class E>
bool Has(const std::vector<E>& v, E e) {
  return std::find(v.begin(), v.end(), e) != v.end();
}

// A leader school is not also a supported one (ШНОР, ШНСУ): a school's own statuses, a status
// change, a round's frozen statuses.
void StatusesConsistent(Errors& e, std::string_view field, const std::vector<SchoolStatus>& statuses) {
  if (Has(statuses, SchoolStatus::kLeader) &&
      (Has(statuses, SchoolStatus::kLowResults) || Has(statuses, SchoolStatus::kAdverseConditions))) {
    e.Add(field, "A leader school cannot also be a low-results or adverse-conditions school.",
          "Школа-лидер не может одновременно быть ШНОР или ШНСУ.");
  }
}

}  // namespace

ValidationErrors Validate(const School& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  e.Required("code", r.code, "the school code", "код ОО");
  e.Required("name", r.name, "the school name", "наименование");
  e.Required("municipality", r.municipality, "the municipality", "муниципалитет");
  e.Range("distance_km", r.distance_km, 0, 2000, "distance in km", "расстояние, км");
  e.Range("pupils", static_cast<double>(r.pupils), 0, 10000, "number of pupils", "обучающихся");
  e.Range("teachers", static_cast<double>(r.teachers), 0, 1000, "number of teachers", "педагогов");
  if (!r.statuses.empty())
    e.Range("status_year", static_cast<double>(r.status_year), 2000, 2100, "status year", "год статуса");
  StatusesConsistent(e, "statuses", r.statuses);
  if (r.leader_partner_id) {
    if (*r.leader_partner_id == r.id) {
      e.Add("leader_partner_id", "A school cannot be its own leader partner.",
            "Школа не может быть своим партнёром-лидером.");
    } else {
      e.SchoolExists("leader_partner_id", *r.leader_partner_id, ctx);
    }
  }
  if (r.transition_programme_adopted_on) {
    e.NotAfterToday("transition_programme_adopted_on", *r.transition_programme_adopted_on, ctx,
                    "transition programme adoption", "утверждения программы перехода");
  }
  return e.Take();
}

ValidationErrors Validate(const Person& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  e.Required("full_name", r.full_name, "the full name", "ФИО");
  if (r.roles.empty()) e.Add("roles", "Choose at least one role.", "Укажите хотя бы одну роль.");
  const bool school_staff = Has(r.roles, Role::kTeacher) || Has(r.roles, Role::kSchoolCoordinator) ||
                            Has(r.roles, Role::kDirector) || Has(r.roles, Role::kDeputyDirector);
  if (school_staff && !r.school_id) {
    e.Add("school_id", "Teachers and school staff need their school.",
          "Для учителей и сотрудников школы укажите школу.");
  }
  if (r.school_id) e.SchoolExists("school_id", *r.school_id, ctx);
  if (!r.email.empty() && r.email.find('@') == std::string::npos) {
    e.Add("email", "«" + r.email + "» is not an e-mail address.", "«" + r.email + "» — не адрес электронной почты.");
  }
  return e.Take();
}

ValidationErrors Validate(const Assignment& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  const Role role = r.kind == AssignmentKind::kMentorSchool ? Role::kMentor : Role::kTutor;
  e.PersonExists("assignee_id", r.assignee_id, ctx, role);
  e.SchoolExists("school_id", r.school_id, ctx);
  if (r.kind == AssignmentKind::kTutorTeacher) {
    if (!r.teacher_id) {
      e.Add("teacher_id", "Choose the teacher the tutor works with.", "Выберите учителя, с которым работает тьютор.");
    } else {
      e.TeacherOfSchool("teacher_id", *r.teacher_id, r.school_id, ctx);
    }
  }
  if (r.kind == AssignmentKind::kTutorSchoolSubject) e.Required("subject", r.subject, "the subject", "предмет");
  if (r.ends_on)
    e.Order("ends_on", r.starts_on, *r.ends_on, "The assignment ends before it starts",
            "Закрепление заканчивается раньше, чем начинается");
  return e.Take();
}

ValidationErrors Validate(const Visit& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  e.SchoolExists("school_id", r.school_id, ctx);
  e.NotAfterToday("date", r.date, ctx, "visit", "выезда");
  if (r.visitor_ids.empty()) e.Add("visitor_ids", "Say who visited.", "Укажите, кто выезжал.");
  for (const Uuid& v : r.visitor_ids) e.PersonExists("visitor_ids", v, ctx);
  if (r.purposes.empty()) e.Add("purposes", "Choose the purpose of the visit.", "Укажите цель выезда.");
  return e.Take();
}

ValidationErrors Validate(const Observation& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  e.SchoolExists("school_id", r.school_id, ctx);
  e.TeacherOfSchool("teacher_id", r.teacher_id, r.school_id, ctx);
  e.PersonExists("observer_id", r.observer_id, ctx);
  e.NotAfterToday("date", r.date, ctx, "observation", "посещения урока");
  e.Required("subject", r.subject, "the subject", "предмет");
  if (r.grade == 0) {
    e.Add("grade", "Enter the class's grade, from 1 to 11.", "Укажите класс: число от 1 до 11.");
  } else {
    e.Range("grade", static_cast<double>(r.grade), 1, 11, "grade", "класс");
  }
  if (!ctx.FindRubric(r.rubric_code, r.rubric_version)) {
    e.Across("rubric_code",
             "The rubric «" + r.rubric_code + "» version " + std::to_string(r.rubric_version) + " is not installed.",
             "Шаблон протокола «" + r.rubric_code + "» версии " + std::to_string(r.rubric_version) + " не установлен.");
  }
  return e.Take();
}

ValidationErrors Validate(const ObservationScore& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  const auto obs = ctx.FindObservation(r.observation_id);
  if (!obs) {
    e.Across("observation_id", "Save the observation before its scores.", "Сначала сохраните посещение урока.");
    return e.Take();
  }
  const auto rubric = ctx.FindRubric(obs->rubric_code, obs->rubric_version);
  if (!rubric) return e.Take();  // reported on the observation itself
  const RubricCriterion* criterion = rubric->FindCriterion(r.criterion_code);
  if (criterion == nullptr) {
    e.Across("criterion_code", "The rubric has no criterion «" + r.criterion_code + "».",
             "В шаблоне нет критерия «" + r.criterion_code + "».");
  }
  if (r.level && (*r.level < rubric->min_level || *r.level > rubric->max_level)) {
    const std::string name = criterion ? criterion->title.en : r.criterion_code;
    const std::string name_ru = criterion ? criterion->title.ru : r.criterion_code;
    const std::string range = std::to_string(rubric->min_level) + ".." + std::to_string(rubric->max_level);
    e.Across("level", "Level " + std::to_string(*r.level) + " for «" + name + "» is outside the scale " + range + ".",
             "Уровень " + std::to_string(*r.level) + " по критерию «" + name_ru + "» вне шкалы " + range + ".");
  }
  return e.Take();
}

ValidationErrors Validate(const Consultation& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  e.SchoolExists("school_id", r.school_id, ctx);
  e.PersonExists("consultant_id", r.consultant_id, ctx);
  e.NotAfterToday("date", r.date, ctx, "consultation", "консультации");
  e.Range("minutes", static_cast<double>(r.minutes), 1, 600, "duration in minutes", "продолжительность, мин");
  if (r.topics.empty()) e.Add("topics", "Choose the topic.", "Укажите тему консультации.");
  if (r.audience == ConsultationAudience::kTeacher) {
    if (!r.teacher_id) {
      e.Add("teacher_id", "Choose the teacher consulted.", "Выберите учителя.");
    } else {
      e.TeacherOfSchool("teacher_id", *r.teacher_id, r.school_id, ctx);
    }
  }
  return e.Take();
}

ValidationErrors Validate(const Recommendation& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  e.Required("text", r.text, "the recommendation", "текст рекомендации");
  e.SchoolExists("school_id", r.school_id, ctx);
  if (r.teacher_id) e.TeacherOfSchool("teacher_id", *r.teacher_id, r.school_id, ctx);
  if (!r.responsible_id && r.responsible_name.find_first_not_of(" \t\r\n") == std::string::npos) {
    e.Add("responsible_id", "Say who is responsible.", "Укажите ответственного.");
  }
  if (r.responsible_id) e.PersonExists("responsible_id", *r.responsible_id, ctx);
  const auto source_date = ctx.SourceDate(r.source_kind, r.source_id);
  if (!source_date) {
    e.Across("source_id",
             "The " + std::string(EnumLabel(r.source_kind, Language::kEnglish)) +
                 " this recommendation comes from is not in this store.",
             "Не найден источник рекомендации (" + std::string(EnumLabel(r.source_kind, Language::kRussian)) + ").");
  } else if (r.due_on <= *source_date) {
    e.Across("due_on",
             "The due date " + r.due_on.ToString() + " must be after the " +
                 std::string(EnumLabel(r.source_kind, Language::kEnglish)) + " (" + source_date->ToString() + ").",
             "Срок " + r.due_on.ToString() + " должен быть позже даты, когда рекомендация дана (" +
                 source_date->ToString() + ").");
  }
  if (r.closed_on) {
    e.NotAfterToday("closed_on", *r.closed_on, ctx, "closing", "закрытия");
    e.Order("closed_on", r.created_on, *r.closed_on, "The recommendation is closed before it was given",
            "Рекомендация закрыта раньше, чем дана");
  }
  if (r.reopen_count < 0)
    e.Add("reopen_count", "The reopen count cannot be negative.", "Число возобновлений не может быть отрицательным.");
  return e.Take();
}

ValidationErrors Validate(const RecommendationEvent& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  if (r.recommendation_id.IsNil()) e.Add("recommendation_id", "Choose the recommendation.", "Выберите рекомендацию.");
  if (r.kind == RecommendationEventKind::kComment || r.kind == RecommendationEventKind::kReopen) {
    e.Required("text", r.text, "the text", "текст");
  }
  e.NotAfterToday("date", r.date, ctx, "entry", "записи");
  return e.Take();
}

ValidationErrors Validate(const Deficit& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  e.PersonExists("teacher_id", r.teacher_id, ctx, Role::kTeacher);
  e.Required("area", r.area, "the competence area", "область компетенций");
  e.NotAfterToday("found_on", r.found_on, ctx, "finding", "выявления");
  if (r.closed_on) {
    e.Order("closed_on", r.found_on, *r.closed_on, "The deficit is closed before it was found",
            "Дефицит закрыт раньше, чем выявлен");
    e.NotAfterToday("closed_on", *r.closed_on, ctx, "closing", "закрытия");
  }
  if (r.observation_id && !ctx.FindObservation(*r.observation_id)) {
    e.Across("observation_id",
             "The lesson observation this deficit was found at is not on this device: it was deleted, or has "
             "not come with a sync yet.",
             "Посещения урока, на котором выявлен дефицит, нет на этом устройстве: его удалили или оно ещё не "
             "пришло с синхронизацией.");
  }
  return e.Take();
}

ValidationErrors Validate(const RoadmapItem& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  e.Required("title", r.title, "the title", "наименование мероприятия");
  e.Order("ends_on", r.starts_on, r.ends_on, "The item ends before it starts",
          "Мероприятие заканчивается раньше, чем начинается");
  // A done item may lack done_on: items stored before it existed have none (docs/metrics.md
  // counts them as done, not as done on time).
  if (r.done_on) e.NotAfterToday("done_on", *r.done_on, ctx, "completion", "выполнения");
  if (r.level == RoadmapLevel::kSchool) {
    if (!r.school_id) {
      e.Add("school_id", "A school-level item needs its school.", "Для школьного мероприятия укажите школу.");
    } else {
      e.SchoolExists("school_id", *r.school_id, ctx);
    }
  }
  return e.Take();
}

ValidationErrors Validate(const NetworkAgreement& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  e.Required("number", r.number, "the agreement number", "номер договора");
  e.NotAfterToday("signed_on", r.signed_on, ctx, "signature", "заключения договора");
  e.SchoolExists("supported_school_id", r.supported_school_id, ctx);
  if (r.partner_kind == PartnerKind::kSchool) {
    if (!r.leader_school_id) {
      e.Add("leader_school_id", "Choose the partner school.", "Выберите школу-партнёра.");
    } else {
      e.SchoolExists("leader_school_id", *r.leader_school_id, ctx);
      if (*r.leader_school_id == r.supported_school_id) {
        e.Add("leader_school_id", "The partner must be another school.", "Школа-партнёр должна быть другой школой.");
      }
    }
  } else {
    e.Required("partner_name", r.partner_name, "the partner institution's name", "наименование организации-партнёра");
    if (r.leader_school_id) {
      e.Add("leader_school_id",
            "An institution partner has no partner school; clear the school or choose a school partner.",
            "У договора с социальным институтом нет школы-партнёра; уберите школу или выберите партнёром школу.");
    }
  }
  if (r.ends_on)
    e.Order("ends_on", r.signed_on, *r.ends_on, "The agreement ends before it is signed",
            "Договор заканчивается раньше, чем заключён");
  return e.Take();
}

ValidationErrors Validate(const RouteItem& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  e.PersonExists("teacher_id", r.teacher_id, ctx, Role::kTeacher);
  e.Required("title", r.title, "what the teacher will do", "содержание пункта маршрута");
  e.Order("due_on", r.starts_on, r.due_on, "The item is due before it starts", "Срок пункта раньше его начала");
  if (r.status == RouteItemStatus::kDone && !r.done_on) {
    e.Add("done_on", "Say when the item was done.", "Укажите, когда пункт выполнен.");
  }
  if (r.done_on) {
    e.Order("done_on", r.starts_on, *r.done_on, "The item is done before it starts",
            "Пункт выполнен раньше своего начала");
    e.NotAfterToday("done_on", *r.done_on, ctx, "completion", "выполнения");
  }
  return e.Take();
}

ValidationErrors Validate(const Training& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  e.PersonExists("teacher_id", r.teacher_id, ctx, Role::kTeacher);
  e.Required("title", r.title, "the course title", "название программы");
  e.Required("provider", r.provider, "who ran the course", "организация, проводившая обучение");
  e.Range("hours", static_cast<double>(r.hours), 1, 2000, "number of hours", "объём, часов");
  e.Order("ends_on", r.starts_on, r.ends_on, "The course ends before it starts",
          "Обучение заканчивается раньше, чем начинается");
  e.NotAfterToday("ends_on", r.ends_on, ctx, "completion", "окончания обучения");
  return e.Take();
}

ValidationErrors Validate(const NetworkEvent& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  e.Required("title", r.title, "the event's title", "название мероприятия");
  if (r.organiser_school_id) e.SchoolExists("organiser_school_id", *r.organiser_school_id, ctx);
  return e.Take();
}

ValidationErrors Validate(const EventParticipant& r, const ValidationContext& ctx) {
  Errors e;
  if (r.event_id.IsNil()) {
    e.Add("event_id", "Choose the event.", "Выберите мероприятие.");
  } else if (!ctx.FindEvent(r.event_id)) {
    e.Across("event_id", "The network event is not on this device: it was deleted, or has not come with a sync yet.",
             "Сетевого мероприятия нет на этом устройстве: его удалили или оно ещё не пришло с синхронизацией.");
  }
  e.PersonExists("teacher_id", r.teacher_id, ctx, Role::kTeacher);
  return e.Take();
}

ValidationErrors Validate(const PlanItem& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  e.PersonExists("person_id", r.person_id, ctx);
  e.SchoolExists("school_id", r.school_id, ctx);
  if (r.teacher_id) e.TeacherOfSchool("teacher_id", *r.teacher_id, r.school_id, ctx);
  if ((r.activity == PlanActivity::kEvent || r.activity == PlanActivity::kOther)) {
    e.Required("title", r.title, "what is planned", "что запланировано");
  }
  if (r.done_on) e.NotAfterToday("done_on", *r.done_on, ctx, "completion", "выполнения");
  return e.Take();
}

namespace {
// The round a record names: none is refused; one not on this device is a rule across records.
void RoundExists(Errors& e, std::string_view field, const Uuid& id, const ValidationContext& ctx) {
  if (id.IsNil()) {
    e.Add(field, "Choose the monitoring round.", "Выберите этап мониторинга.");
  } else if (!ctx.FindRound(id)) {
    e.Across(field, "The monitoring round is not on this device: it was deleted, or has not come with a sync yet.",
             "Этапа мониторинга нет на этом устройстве: его удалили или он ещё не пришёл с синхронизацией.");
  }
}
// A round's figures read as "name=value" lines (rounds.h).
void FiguresReadable(Errors& e, std::string_view field, const std::string& text, std::string_view whose_en,
                     std::string_view whose_ru) {
  if (ParseRoundFigures(text).ok()) return;
  e.Add(field, "The " + std::string(whose_en) + " figures are not lines of the form name=number.",
        "Показатели " + std::string(whose_ru) + " записаны не строками вида имя=число.");
}
}  // namespace

ValidationErrors Validate(const MonitoringRound& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  e.Required("name", r.name, "the round's name", "название этапа");
  e.Order("ends_on", r.starts_on, r.ends_on, "The round ends before it starts",
          "Этап заканчивается раньше, чем начинается");
  if (r.closed_on) {
    e.Order("closed_on", r.starts_on, *r.closed_on, "The round is closed before it starts",
            "Этап закрыт раньше, чем начался");
    e.NotAfterToday("closed_on", *r.closed_on, ctx, "closing", "закрытия этапа");
  }
  for (const Uuid& school : r.school_ids) {
    e.SchoolExists("school_ids", school, ctx);
  }
  FiguresReadable(e, "district_figures", r.district_figures, "district's", "района");
  return e.Take();
}

ValidationErrors Validate(const RoundResult& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  RoundExists(e, "round_id", r.round_id, ctx);
  e.SchoolExists("school_id", r.school_id, ctx);
  StatusesConsistent(e, "statuses", r.statuses);
  FiguresReadable(e, "figures", r.figures, "school's", "школы");
  return e.Take();
}

ValidationErrors Validate(const StatusChange& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  e.SchoolExists("school_id", r.school_id, ctx);
  e.Required("reason", r.reason, "the reason (an order, a round's results)", "основание (приказ, итоги мониторинга)");
  StatusesConsistent(e, "statuses", r.statuses);
  if (r.round_id) RoundExists(e, "round_id", *r.round_id, ctx);
  return e.Take();
}

ValidationErrors Validate(const AssessmentResult& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  e.SchoolExists("school_id", r.school_id, ctx);
  e.Year("year", r.year, ctx);
  e.Required("subject", r.subject, "the subject", "предмет");
  e.Range("grade", static_cast<double>(r.grade), 1, 11, "grade", "класс");
  e.Range("participants", static_cast<double>(r.participants), 0, 10000, "number of participants", "участников");
  e.Range("mean_score", r.mean_score, 0, 100, "mean score", "средний балл");
  e.Range("share_below_min", r.share_below_min, 0, 1, "share below the minimum", "доля ниже минимума");
  e.Range("share_top", r.share_top, 0, 1, "share of top marks", "доля высоких результатов");
  if (r.share_below_min + r.share_top > 1.0 + 1e-9) {
    e.Add("share_top", "The share below the minimum and the share of top marks add up to more than 1.",
          "Доля ниже минимума и доля высоких результатов в сумме больше 1.");
  }
  return e.Take();
}

ValidationErrors Validate(const ContextIndicator& r, const ValidationContext& ctx) {
  Errors e;
  e.Texts(r);
  e.SchoolExists("school_id", r.school_id, ctx);
  e.Year("year", r.year, ctx);
  const auto known = KnownContextIndicators();
  const auto it = std::find_if(known.begin(), known.end(), [&](const auto& k) { return k.code == r.indicator; });
  if (it == known.end()) {
    std::string choices;
    for (const auto& k : known) choices += (choices.empty() ? "" : ", ") + std::string(k.code);
    e.Add("indicator", "«" + r.indicator + "» is not a known indicator: " + choices + ".",
          "«" + r.indicator + "» — неизвестный показатель. Допустимо: " + choices + ".");
  } else if (it->is_share) {
    e.Range("value", r.value, 0, 1, "share", "доля");
  } else {
    e.Range("value", r.value, 0, 1e6, "value", "значение");
  }
  return e.Take();
}

ValidationErrors Validate(const RubricTemplate& r, const ValidationContext& /*ctx*/) {
  Errors e;
  e.Texts(r);
  auto rubric = ParseRubric(r.body_json, r.code);
  if (!rubric.ok()) {
    e.Add("body_json", rubric.status().message(), "Шаблон протокола повреждён: " + rubric.status().message());
  } else if (rubric->code != r.code || rubric->version != r.version) {
    e.Add("version", "The template's code and version do not match its file.",
          "Код и версия шаблона не совпадают с файлом.");
  }
  return e.Take();
}

std::optional<FieldError> CheckFieldText(std::string_view field, std::string_view text) {
  std::optional<TextFault> fault = FindTextFault(text);
  if (!fault) return std::nullopt;
  return FieldError{std::string(field), std::move(fault->en), std::move(fault->ru), RuleSpan::kRecord};
}

ValidationErrors CheckStateTexts(const RecordState& state) {
  ValidationErrors errors;
  for (const FieldState& f : state.fields) {
    const auto* text = std::get_if<std::string>(&f.value);
    if (text == nullptr) continue;
    if (auto err = CheckFieldText(f.field, *text)) errors.push_back(std::move(*err));
  }
  return errors;
}

bool IsForwardStatusMove(RecommendationStatus from, RecommendationStatus to) {
  if (from == RecommendationStatus::kDone || from == RecommendationStatus::kDropped) return false;
  return static_cast<int>(to) > static_cast<int>(from);
}

ValidationErrors Refusing(ValidationErrors errors, const std::vector<std::string_view>* written) {
  if (written == nullptr) return errors;
  std::erase_if(errors, [&](const FieldError& e) {
    return e.span == RuleSpan::kAcrossRecords && std::find(written->begin(), written->end(), e.field) == written->end();
  });
  return errors;
}

Status ToStatus(const ValidationErrors& errors) {
  if (errors.empty()) return Status::Ok();
  LocalText msg;
  for (const auto& err : errors) {
    if (!msg.en.empty()) {
      msg.en += "\n";
      msg.ru += "\n";
    }
    msg.en += err.en;
    msg.ru += err.ru;
  }
  return Status::InvalidInput(std::move(msg));
}

}  // namespace mentorlog::core
