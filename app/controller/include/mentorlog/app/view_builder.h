// The view-models the screens draw (ui/view.h), built from the store. Pure functions of the
// store's content and a BuildContext: no threads, no ImGui, no network.
//
// Shown text comes from the core (core::EnumLabel, the core's bilingual messages, a rubric's
// ru/en texts) or from the translation table (keys "view.*" in assets/i18n/<lang>/views.tsv).
// Dates are shown as DD.MM.YYYY; times of day in the clock's local time.
//
// Each builder reads the records of the one school or teacher it shows (Records::ListBy), not
// the whole district, except where the view is the whole district (Today of a coordinator,
// the recommendations list).
//
// Thread safety: pure functions; the Store is shared as Store allows. Call them off the UI
// thread (the controller's worker does).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/domain/rules.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/store/store.h"
#include "mentorlog/ui/i18n.h"
#include "mentorlog/ui/state.h"
#include "mentorlog/ui/view.h"

namespace mentorlog::app {

struct BuildContext {
  // The signed-in person; nullopt when working offline without a sign-in.
  std::optional<core::Uuid> person_id;
  Language language = Language::kRussian;             // of enum labels, rubric texts, numbers
  const ui::Translations* tr = nullptr;               // REQUIRES: set, outlives the call
  const mentorlog::Clock* clock = nullptr;            // for times of day ("today 10:42"); null: DefaultClock()
  int no_contact_days = core::kDefaultNoContactDays;  // DashboardConfig's: when a school is without contact
  // Writes the district's records (sync::CoordinatorOnlyKind, network events, the district's
  // roadmap): a coordinator, or a device not signed in (no central store refuses them there).
  bool may_coordinate = true;
};

// "20.11.2026".
std::string ShowDate(const core::Date& date);
// A school's statuses as shown: "ШНОР, ШНСУ", or "an ordinary school" (school.status_none) for none.
std::string StatusText(const std::vector<core::SchoolStatus>& statuses, const BuildContext& ctx);
// "today 10:42" (view.today_at) when `millis` is on today's local date, else "20.11.2026 10:42".
std::string ShowTime(int64_t millis, const BuildContext& ctx);

// Home: the person's schools (through Assignment records active today: mentor -> school,
// tutor -> teacher's school, tutor -> school + subject), or every school for a coordinator or
// when nobody is signed in; each with days since its last visit, observation or consultation,
// its open and overdue recommendations, and its next three roadmap items not done or
// cancelled (the school's and the district's), by start date. Then the drafts, newest first.
// Schools are ordered by name. What is due within kDueDays or overdue, soonest first: the
// school-level roadmap items of those schools not done or cancelled (by their end), the route
// items not done or dropped of their teachers (and of the teachers a tutor is assigned), and the
// person's plan items not done.
Result<ui::TodayView> BuildTodayView(const core::Store& store, const BuildContext& ctx);

// One school: statuses, partner, agreement, transition programme, its timeline (newest
// first), open recommendations (by due date), teachers (by name), and its instruments: network
// agreements where it is the supported school or the partner (newest first; the other side
// named), school-level roadmap items (by start), network events it organised (newest first),
// assignments (by start).
// Errors: NotFound when the school does not exist; InvalidInput for an id that is not one.
Result<ui::SchoolView> BuildSchoolView(const core::Records& store, const BuildContext& ctx, std::string_view school_id);

// One teacher: observations (newest first), rubric levels per criterion over time (oldest
// first, from ObservationScore; -1 = not observed), deficits (by the date found), route items
// (by due date), trainings (newest first).
Result<ui::TeacherView> BuildTeacherView(const core::Records& store, const BuildContext& ctx,
                                         std::string_view teacher_id);

// The work plan of `person_id` (empty: the signed-in person's; with none, an empty plan) for
// the half-year holding `day` (nullopt: today's): per school, the items by planned date, each
// done (marked, or fulfilled by a record: rules.h PlanMatch, as at today or the half-year's
// end, whichever is first), overdue or still planned, and what the person recorded there;
// schools by name, those with nothing planned but something recorded after them. The choices
// of person: every mentor and tutor, by name.
// Errors: NotFound when the person does not exist; InvalidInput for an id that is not one.
Result<ui::PlanView> BuildPlanView(const core::Records& store, const BuildContext& ctx, std::string_view person_id,
                                   std::optional<Date> day);

// The district's roadmap (district-level items: those planned or in progress by start, then
// the rest latest first) and every network event (newest first, with its number of
// participants).
Result<ui::ProgrammeView> BuildProgrammeView(const core::Records& store, const BuildContext& ctx);

// Every recommendation that passes `filter` (overdue first, then by due date), the total
// before filtering, and the choices for the filter.
Result<ui::RecommendationsView> BuildRecommendationsView(const core::Records& store, const BuildContext& ctx,
                                                         const ui::RecommendationFilter& filter);

// What a form for `school_id` offers: vocabularies, the school's people and teachers, their
// subjects, its open recommendations and the newest "lesson_observation" rubric.
Result<ui::FormOptions> BuildFormOptions(const core::Records& store, const BuildContext& ctx,
                                         std::string_view school_id);

// What the generic record form offers, whatever its kind: every vocabulary of the kinds of
// ui/record_spec.h (by "<kind>.<field>", from core's EnumEntries), the schools, the teachers
// grouped by school, the mentors, tutors and coordinators, and the deficits of `school_id`'s
// teachers ("" : none), grouped by teacher.
Result<ui::RecordOptions> BuildRecordOptions(const core::Records& store, const BuildContext& ctx,
                                             std::string_view school_id);

// How many days ahead Today lists what is due.
inline constexpr int kDueDays = 14;

// The sync state kept in the store: pending changes, last success and error, server and user,
// rejected changes (reason in ctx.lang) and open conflicts. `signed_in` says whether a token
// is kept (the store does not know); running and progress are the controller's to fill.
Result<ui::SyncView> BuildSyncView(const core::Store& store, const BuildContext& ctx, bool signed_in);

// The title a draft of `form` is listed under: "Visit — School No. 3".
std::string DraftTitle(const core::Records& store, const BuildContext& ctx, const ui::Form& form);

}  // namespace mentorlog::app
