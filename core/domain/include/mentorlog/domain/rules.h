// The programme's rules about records that several places need: the store, the central
// store, the dashboards, the screens and the reports call these, and none of them says the
// rule again in its own words (a rule written where it is used drifts: "overdue" was once
// defined in four places).
//
// The store's SQL that counts overdue recommendations (Records::ActivityOf) cannot call C++; a
// test (rules_test.cpp) checks that it counts what IsOverdue says.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/enums.h"
#include "mentorlog/domain/record_state.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/domain/rubric.h"  // LocalText
#include "mentorlog/domain/types.h"

namespace mentorlog::core {

// Open or in progress: someone still has to act on it.
bool IsOpen(RecommendationStatus status);

// Open and due before `today` (a recommendation due today is not overdue yet).
bool IsOverdue(const Recommendation& r, Date today);

// Records of this kind are created once and never edited (the recommendation's history:
// comments, status changes, reopenings; a closed round's results). Deleting one is allowed.
bool IsAppendOnly(RecordKind kind);
// What the store and the central store say when an edit of such a record is refused.
LocalText AppendOnlyRefusal(RecordKind kind);

// How a stored record is being changed: a save of the record, or a reopening of a
// recommendation (Records::ReopenRecommendation, the only way its status goes back).
enum class EditAction { kSave, kReopen };

// The rules about changing the stored `old` into `next`: a record of an append-only kind is
// never edited; a recommendation's status only moves forward (open -> in progress -> done or
// dropped) and its reopen count changes only by a reopening. Conflict when the change breaks
// one; Ok otherwise.
template <class R>
Status CheckEdit(const R& old, const R& next, EditAction action) {
  (void)old, (void)next, (void)action;
  if (IsAppendOnly(RecordTraits<R>::kKind)) return Status::Conflict(AppendOnlyRefusal(RecordTraits<R>::kKind));
  return Status::Ok();
}
Status CheckEdit(const Recommendation& old, const Recommendation& next, EditAction action);

// CheckEdit's rule for a writer that holds records as states (the central store's push):
// `change` (a partial state) over the stored `stored` is an edit of an append-only entry when
// the entry is live and the change gives any of its fields another value, or a field it lacks.
// Conflict (AppendOnlyRefusal) then; Ok otherwise (a retried push of the same values included).
Status CheckEdit(const RecordState& stored, const RecordState& change);

// [SECTION] Contact

// Days from the last contact with a school (a visit, lesson observation or consultation) to
// `today`; nullopt when there was none.
std::optional<int> DaysSinceContact(std::optional<Date> last_contact, Date today);

// The default of `no_contact_days` (assets/dashboard.toml): a school nobody has visited,
// observed or consulted for more days than this is "without contact".
inline constexpr int kDefaultNoContactDays = 30;

// Whether a school is without contact: never contacted, or not for more than `no_contact_days`.
bool WithoutContact(std::optional<int> days_since_contact, int no_contact_days);

// [SECTION] Work plans

// A work plan's item is done by `d` when it was marked done by then, or when a record of its
// activity fulfils it: a visit, an observation or a consultation by the plan's person at its
// school (and with its teacher, when the item names one), dated by `d` in the calendar month
// planned. The dashboards' plan_items_done (docs/metrics.md) and Today's due list both ask this.
bool MarkedDone(const PlanItem& item, Date d);
bool Fulfils(const Visit& visit, const PlanItem& item, Date d);
bool Fulfils(const Observation& observation, const PlanItem& item, Date d);
bool Fulfils(const Consultation& consultation, const PlanItem& item, Date d);

// Which of one school's plan items are done by `d`, each record fulfilling at most one item: two
// visits planned for October need two visits (Fulfils alone would count one visit twice). An
// item marked done needs no record and takes none. Items that name a teacher are matched before
// those that do not, so an observation of Ivanova goes to "observe Ivanova" rather than to
// "observe a lesson"; within that, earlier planned first, each taking the earliest record that
// fits. The dashboards' plan_items_done, Today's due list and the work plan screen ask this.
class PlanMatch {
 public:
  explicit PlanMatch(Date d) : d_(d) {}
  void Add(const Visit& v) { visits_.push_back(&v); }
  void Add(const Observation& o) { observations_.push_back(&o); }
  void Add(const Consultation& c) { consultations_.push_back(&c); }
  // One per item, in the order of `items`: done, and the date of the record that did it
  // (nullopt when not done, or marked done).
  struct Outcome {
    bool done = false;
    std::optional<Date> by_record_of;
  };
  std::vector<Outcome> Match(const std::vector<const PlanItem*>& items) const;

 private:
  Date d_;
  std::vector<const Visit*> visits_;
  std::vector<const Observation*> observations_;
  std::vector<const Consultation*> consultations_;
};

}  // namespace mentorlog::core
