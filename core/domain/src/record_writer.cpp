// The writes made of several records, over any RecordWriter (record_writer.h).
#include "mentorlog/domain/record_writer.h"

#include <algorithm>
#include <string>

#include "mentorlog/domain/enums.h"

namespace mentorlog::core {

Status NoSuchRecord(RecordKind kind, const Uuid& id, bool to_delete) {
  const LocalText what = EnumLocalLabel(kind);
  return Status::NotFound(
      LocalText{to_delete ? "Нет записи «" + what.ru + "» " + id.ToString() + " для удаления."
                          : "Не найдено: " + what.ru + " " + id.ToString() + ".",
                "There is no " + what.en + " " + id.ToString() + (to_delete ? " to delete." : ".")});
}

Status DeletedRecordRefusal() {
  return Status::NotFound(
      LocalText{"Эта запись удалена; её нельзя изменить.", "This record was deleted; it cannot be edited."});
}

Status IdOfAnotherKind(const Uuid& id, RecordKind other) {
  const LocalText what = EnumLocalLabel(other);
  return Status::InvalidInput(LocalText{"Идентификатор " + id.ToString() + " уже занят: " + what.ru + ".",
                                        "The id " + id.ToString() + " already belongs to a " + what.en + "."});
}

Result<Observation> SaveObservation(RecordWriter& writer, Observation observation,
                                    std::vector<ObservationScore>& scores) {
  Observation saved;
  std::vector<ObservationScore> result = scores;
  RETURN_IF_ERROR(writer.InTransaction([&]() -> Status {
    ASSIGN_OR_RETURN(saved, writer.Save(observation));
    ASSIGN_OR_RETURN(std::vector<ObservationScore> existing,
                     writer.ListBy<ObservationScore>("observation_id", saved.id));
    for (auto& score : result) {
      score.observation_id = saved.id;
      for (const auto& old : existing) {
        if (old.criterion_code == score.criterion_code) score.id = old.id;
      }
      ASSIGN_OR_RETURN(score, writer.Save(score));
    }
    for (const auto& old : existing) {
      const bool kept = std::any_of(result.begin(), result.end(),
                                    [&](const auto& s) { return s.criterion_code == old.criterion_code; });
      if (!kept) RETURN_IF_ERROR(writer.Delete(RecordKind::kObservationScore, old.id));
    }
    return Status::Ok();
  }));
  scores = std::move(result);
  return saved;
}

Result<Recommendation> AdvanceRecommendation(RecordWriter& writer, const Uuid& id, RecommendationStatus to,
                                             std::string_view note, std::optional<Uuid> verified_visit_id,
                                             std::optional<Date> on) {
  const Date day = on.value_or(writer.Today());
  Recommendation out;
  RETURN_IF_ERROR(writer.InTransaction([&]() -> Status {
    ASSIGN_OR_RETURN(Recommendation rec, writer.Get<Recommendation>(id));
    if (!IsForwardStatusMove(rec.status, to)) {
      const LocalText from = EnumLocalLabel(rec.status);
      const LocalText next = EnumLocalLabel(to);
      return Status::Conflict(LocalText{"Статус нельзя сменить с «" + from.ru + "» на «" + next.ru +
                                            "»: он меняется только вперёд. Чтобы вернуться к работе, возобновите "
                                            "рекомендацию.",
                                        "The status cannot go from «" + from.en + "» to «" + next.en +
                                            "»; a status only moves forward. Reopen it to work on it again."});
    }
    rec.status = to;
    if (to == RecommendationStatus::kDone || to == RecommendationStatus::kDropped) rec.closed_on = day;
    if (verified_visit_id) rec.verified_visit_id = verified_visit_id;
    ASSIGN_OR_RETURN(out, writer.Save(rec));
    RecommendationEvent event;
    event.recommendation_id = id;
    event.kind = verified_visit_id ? RecommendationEventKind::kVerified : RecommendationEventKind::kStatusChange;
    event.date = day;
    event.text = std::string(EnumCode(to)) + (note.empty() ? "" : ": " + std::string(note));
    return writer.Save(event).status();
  }));
  return out;
}

Result<Recommendation> ReopenRecommendation(RecordWriter& writer, const Uuid& id, std::string_view reason,
                                            std::optional<Date> on) {
  const Date day = on.value_or(writer.Today());
  Recommendation out;
  RETURN_IF_ERROR(writer.InTransaction([&]() -> Status {
    ASSIGN_OR_RETURN(Recommendation rec, writer.Get<Recommendation>(id));
    if (rec.status != RecommendationStatus::kDone && rec.status != RecommendationStatus::kDropped) {
      return Status::Conflict(LocalText{"Возобновить можно только выполненную или снятую рекомендацию.",
                                        "Only a done or dropped recommendation can be reopened."});
    }
    if (reason.find_first_not_of(' ') == std::string_view::npos) {
      return Status::InvalidInput(
          LocalText{"Укажите, почему рекомендация возобновлена.", "Say why the recommendation is reopened."});
    }
    rec.status = RecommendationStatus::kOpen;
    rec.reopen_count += 1;
    rec.closed_on.reset();
    rec.verified_visit_id.reset();  // verified no longer: it is open again
    ASSIGN_OR_RETURN(out, writer.Save(rec, EditAction::kReopen));
    RecommendationEvent event;
    event.recommendation_id = id;
    event.kind = RecommendationEventKind::kReopen;
    event.date = day;
    event.text = std::string(reason);
    return writer.Save(event).status();
  }));
  return out;
}

}  // namespace mentorlog::core
