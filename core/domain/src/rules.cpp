// The programme's shared rules (rules.h).
#include "mentorlog/domain/rules.h"

#include <algorithm>
#include <string>

#include "mentorlog/domain/validation.h"  // IsForwardStatusMove

namespace mentorlog::core {

bool IsOpen(RecommendationStatus status) {
  return status == RecommendationStatus::kOpen || status == RecommendationStatus::kInProgress;
}

bool IsOverdue(const Recommendation& r, Date today) { return IsOpen(r.status) && r.due_on < today; }

bool IsAppendOnly(RecordKind kind) { return kind == RecordKind::kRecommendationEvent; }

LocalText AppendOnlyRefusal() {
  return LocalText{"Записи истории не изменяются; добавьте новый комментарий.",
                   "History entries cannot be changed; add a new comment instead."};
}

Status CheckEdit(const Recommendation& old, const Recommendation& next, EditAction action) {
  if (next.reopen_count != old.reopen_count && action != EditAction::kReopen) {
    return Status::Conflict(LocalText{"Рекомендацию можно возобновить только действием «Возобновить».",
                                      "A recommendation is reopened only with the Reopen action."});
  }
  if (action == EditAction::kSave && next.status != old.status && !IsForwardStatusMove(old.status, next.status)) {
    const LocalText from = EnumLocalLabel(old.status);
    const LocalText to = EnumLocalLabel(next.status);
    return Status::Conflict(LocalText{
        "Статус нельзя вернуть из «" + from.ru + "» в «" + to.ru + "». Чтобы снова работать над ней, возобновите её.",
        "The status cannot go back from «" + from.en + "» to «" + to.en + "». To work on it again, reopen it."});
  }
  return Status::Ok();
}

Status CheckEdit(const RecordState& stored, const RecordState& change) {
  if (!IsAppendOnly(stored.kind) || stored.deleted) return Status::Ok();
  for (const FieldState& f : change.fields) {
    const FieldState* was = stored.Find(f.field);
    if (was == nullptr || was->value != f.value) return Status::Conflict(AppendOnlyRefusal());
  }
  return Status::Ok();
}

std::optional<int> DaysSinceContact(std::optional<Date> last_contact, Date today) {
  if (!last_contact) return std::nullopt;
  return today.days() - last_contact->days();
}

bool WithoutContact(std::optional<int> days_since_contact, int no_contact_days) {
  return !days_since_contact || *days_since_contact > no_contact_days;
}

bool MarkedDone(const PlanItem& item, Date d) { return item.done_on && *item.done_on <= d; }

namespace {
// Dated by `d`, in the calendar month the item was planned for.
bool InPlannedMonth(Date date, const PlanItem& item, Date d) {
  return date <= d && date.year() == item.planned_on.year() && date.month() == item.planned_on.month();
}
bool TeacherFits(const std::optional<Uuid>& teacher, const PlanItem& item) {
  return !item.teacher_id || (teacher && *teacher == *item.teacher_id);
}
}  // namespace

bool Fulfils(const Visit& visit, const PlanItem& item, Date d) {
  return item.activity == PlanActivity::kVisit && visit.school_id == item.school_id &&
         InPlannedMonth(visit.date, item, d) &&
         std::find(visit.visitor_ids.begin(), visit.visitor_ids.end(), item.person_id) != visit.visitor_ids.end();
}

bool Fulfils(const Observation& observation, const PlanItem& item, Date d) {
  return item.activity == PlanActivity::kObservation && observation.school_id == item.school_id &&
         observation.observer_id == item.person_id && InPlannedMonth(observation.date, item, d) &&
         TeacherFits(observation.teacher_id, item);
}

bool Fulfils(const Consultation& consultation, const PlanItem& item, Date d) {
  return item.activity == PlanActivity::kConsultation && consultation.school_id == item.school_id &&
         consultation.consultant_id == item.person_id && InPlannedMonth(consultation.date, item, d) &&
         TeacherFits(consultation.teacher_id, item);
}

}  // namespace mentorlog::core
