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

bool IsAppendOnly(RecordKind kind) {
  return kind == RecordKind::kRecommendationEvent || kind == RecordKind::kRoundResult;
}

LocalText AppendOnlyRefusal(RecordKind kind) {
  if (kind == RecordKind::kRoundResult) {
    return LocalText{"Итоги закрытого этапа мониторинга не изменяются; исправления учтутся в следующем этапе.",
                     "A closed monitoring round's figures are not changed; a correction counts in the next round."};
  }
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
    if (was == nullptr || was->value != f.value) return Status::Conflict(AppendOnlyRefusal(stored.kind));
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

std::vector<PlanMatch::Outcome> PlanMatch::Match(const std::vector<const PlanItem*>& items) const {
  std::vector<Outcome> out(items.size());
  std::vector<size_t> order;
  for (size_t i = 0; i < items.size(); ++i) {
    if (MarkedDone(*items[i], d_)) {
      out[i].done = true;
    } else {
      order.push_back(i);
    }
  }
  // A record usable by a generic item is also usable by a specific one, never the other way: the
  // specific items choose first, and the matching is as large as it can be.
  // One person's plan at a time: a visit two mentors made together fulfils an item of each.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const PlanItem& x = *items[a];
    const PlanItem& y = *items[b];
    if (x.person_id != y.person_id) return x.person_id < y.person_id;
    if (x.teacher_id.has_value() != y.teacher_id.has_value()) return x.teacher_id.has_value();
    return x.planned_on < y.planned_on;
  });
  std::vector<bool> used_visits, used_observations, used_consultations;
  const Uuid* person = nullptr;
  auto take = [&](const auto& records, std::vector<bool>& used, const PlanItem& item) -> std::optional<Date> {
    std::optional<size_t> best;
    for (size_t r = 0; r < records.size(); ++r) {
      if (used[r] || !Fulfils(*records[r], item, d_)) continue;
      if (!best || records[r]->date < records[*best]->date) best = r;
    }
    if (!best) return std::nullopt;
    used[*best] = true;
    return records[*best]->date;
  };
  for (size_t i : order) {
    const PlanItem& item = *items[i];
    if (person == nullptr || *person != item.person_id) {
      person = &item.person_id;
      used_visits.assign(visits_.size(), false);
      used_observations.assign(observations_.size(), false);
      used_consultations.assign(consultations_.size(), false);
    }
    std::optional<Date> by;
    switch (item.activity) {
      case PlanActivity::kVisit:
        by = take(visits_, used_visits, item);
        break;
      case PlanActivity::kObservation:
        by = take(observations_, used_observations, item);
        break;
      case PlanActivity::kConsultation:
        by = take(consultations_, used_consultations, item);
        break;
      case PlanActivity::kEvent:
      case PlanActivity::kOther:
        break;  // marked done only
    }
    out[i].done = by.has_value();
    out[i].by_record_of = by;
  }
  return out;
}

}  // namespace mentorlog::core
