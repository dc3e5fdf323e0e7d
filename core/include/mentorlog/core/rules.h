// The programme's rules about records that several places need: the store, the central
// store, the dashboards, the screens and the reports call these, and none of them says the
// rule again in its own words (a rule written where it is used drifts: "overdue" was once
// defined in four places).
//
// The store's SQL that counts overdue recommendations (Store::ActivityOf) cannot call C++; a
// test (rules_test.cpp) checks that it counts what IsOverdue says.
//
// Thread safety: pure functions.
#pragma once

#include "mentorlog/core/enums.h"
#include "mentorlog/core/records.h"
#include "mentorlog/core/rubric.h"  // LocalText
#include "mentorlog/core/types.h"

namespace mentorlog::core {

// Open or in progress: someone still has to act on it.
bool IsOpen(RecommendationStatus status);

// Open and due before `today` (a recommendation due today is not overdue yet).
bool IsOverdue(const Recommendation& r, Date today);

// Records of this kind are created once and never edited (the recommendation's history:
// comments, status changes, reopenings). Deleting one is allowed.
bool IsAppendOnly(RecordKind kind);
// What the store and the central store say when an edit of such a record is refused.
LocalText AppendOnlyRefusal();

}  // namespace mentorlog::core
