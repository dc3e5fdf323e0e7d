// The programme's shared rules (rules.h).
#include "mentorlog/core/rules.h"

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

}  // namespace mentorlog::core
