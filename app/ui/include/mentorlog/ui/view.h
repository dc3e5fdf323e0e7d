// What the screens draw: plain view-models, already formatted for people.
//
// The controller (app/controller) builds these from the store off the UI thread and swaps a
// whole AppView in between frames; the screens (app/ui) only read them. Each section of an
// AppView is shared between the views published one after another (Section below), so a new
// view copies pointers, never a section's rows. Nothing here knows
// about SQLite, the network or core's types: ids are UUID text, dates are shown text plus an
// ISO "YYYY-MM-DD" where a form needs one, enums are Choice codes (core's enum codes).
//
// Forms are the one exception to "read only": a form's fields live in UiState (state.h), and
// a save sends a copy of them in an Action (action.h).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mentorlog/ui/i18n.h"

namespace mentorlog::ui {

// One section of the view (Today, a school, the recommendations list…), immutable once
// published and shared by every AppView that has not rebuilt it: copying an AppView copies a
// pointer per section. Read it with -> and *; replace it whole (`view.today = BuildToday(…)`)
// or change it through Edit(), which copies it first when another view still holds it.
template <typename T>
class Section {
 public:
  Section() : value_(Empty()) {}
  Section(T value) : value_(std::make_shared<T>(std::move(value))) {}  // NOLINT: a section is its value
  Section& operator=(T value) {
    value_ = std::make_shared<T>(std::move(value));
    return *this;
  }

  const T& operator*() const { return *value_; }
  const T* operator->() const { return value_.get(); }

  // The section to change in place; copied first if any other view holds it.
  T& Edit() {
    if (value_.use_count() != 1) value_ = std::make_shared<T>(*value_);
    return *value_;
  }

  // True when both views hold the same section (not rebuilt between them).
  bool SameAs(const Section& other) const { return value_ == other.value_; }

 private:
  static const std::shared_ptr<T>& Empty() {
    static const std::shared_ptr<T> empty = std::make_shared<T>();  // never edited: Edit copies it
    return empty;
  }

  std::shared_ptr<T> value_;  // never null
};

enum class Screen {
  kFirstRun,         // choose a server and sign in, or work offline
  kToday,            // home: my schools, drafts, start a visit
  kSchool,           // one school: status, timeline, open recommendations, teachers
  kVisit,            // the visit form
  kObservation,      // the lesson observation form
  kConsultation,     // the consultation form
  kRecord,           // the form of a programme instrument (RecordForm: agreement, deficit, route item...)
  kRecommendations,  // all recommendations, with filters
  kTeacher,          // one teacher: observations, rubric levels over time, deficits
  kPlan,             // a mentor's or tutor's work plan for a half-year, against what was done
  kProgramme,        // the district's roadmap and its network events (the coordinator's lists)
  kDistrict,         // the district view: programme indicators, ranking, no contact, workload
  kSettings,
};

// One option of a choice: `code` goes back to the controller, `label` is shown.
struct Choice {
  std::string code;
  std::string label;
};

// ---- Today ------------------------------------------------------------------------------

struct SchoolCard {
  std::string id;
  std::string name;
  std::string municipality;
  std::vector<std::string> statuses;  // translated: "ШНОР", "low results"...
  int days_since_contact = -1;        // -1: no contact recorded yet
  bool without_contact = false;       // none, or none for longer than the district's threshold
  int open_recommendations = 0;
  int overdue_recommendations = 0;
  std::vector<std::string> next_roadmap;  // up to 3 lines: "12.12.2026 — Семинар для ..."
};

// A form saved as a draft and not finished.
struct DraftCard {
  std::string key;      // DraftKey (state.h)
  std::string title;    // "Visit — School No. 3"
  std::string updated;  // "today 10:42"
};

// One saved record of a programme instrument in a list (a school's agreements, a teacher's
// route, what is due on Today); a click opens it in its form (OpenRecord).
struct RecordRow {
  std::string id;
  std::string kind;      // core's RecordKind code
  std::string date;      // shown: the date that matters for the list (due, signed, held...)
  std::string title;     // "Семинар «Формирующее оценивание»"
  std::string detail;    // one line: who, where, what kind
  std::string status;    // shown status, "" when the kind has none
  bool overdue = false;  // due before today and not done
};

struct TodayView {
  std::string user_name;  // empty when working offline without a sign-in
  std::vector<SchoolCard> schools;
  std::vector<DraftCard> drafts;
  // Due in the next 14 days or overdue, soonest first: roadmap items of my schools, route items
  // of my teachers, my plan items not yet done.
  std::vector<RecordRow> due;
  std::string person_id;  // the signed-in person (a new plan item is theirs); "" when none
};

// ---- School, teacher, recommendations -------------------------------------------------

enum class EntryKind { kVisit, kObservation, kConsultation };

struct TimelineEntry {
  EntryKind kind = EntryKind::kVisit;
  std::string id;
  std::string date;    // shown
  std::string title;   // "Visit: diagnostics, monitoring" / "Lesson: maths, 5B — Ivanova A."
  std::string detail;  // one line of its summary
  // The rules across records it breaks as stored (core Records::RuleWarnings), in the UI's
  // language: "" when none. Shown beside it; they never block an edit of another field.
  std::string warning;
};

struct RecommendationRow {
  std::string id;
  std::string school_id;
  std::string school;
  std::string teacher;  // empty when for the whole school
  std::string text;
  std::string owner;
  std::string due;          // shown
  std::string status;       // shown
  std::string status_code;  // core's RecommendationStatus code: "open", "in_progress", "done", "dropped"
  bool overdue = false;
  std::string warning;  // as TimelineEntry::warning: "the due date must be after the observation"
};

struct PersonRow {
  std::string id;
  std::string name;
  std::string detail;  // subjects, or the role
};

struct SchoolView {
  std::string id;
  std::string name;
  std::string municipality;
  std::vector<std::string> statuses;
  std::string leader_partner;           // empty: none
  std::string network_agreement;        // "№ 12 от 01.09.2026", empty: none
  std::string transition_programme;     // shown status
  std::vector<TimelineEntry> timeline;  // newest first
  std::vector<RecommendationRow> open_recommendations;
  std::vector<PersonRow> teachers;
  std::vector<RecordRow> status_history;  // its status changes, the latest first
  std::vector<RecordRow> agreements;      // where it is the supported school or the partner, newest first
  std::vector<RecordRow> roadmap;         // its school-level roadmap items, by start
  std::vector<RecordRow> events;          // network events it organised, newest first
  std::vector<RecordRow> assignments;     // mentors and tutors assigned to it
  bool may_coordinate = true;             // offer what only a coordinator writes (agreements, events, assignments)
};

struct CriterionSeries {
  std::string code;
  std::string title;
  std::vector<std::string> dates;  // shown, oldest first
  std::vector<int> levels;         // -1: not observed
};

struct TeacherView {
  std::string id;
  std::string name;
  std::string school;
  std::string subjects;
  std::vector<TimelineEntry> observations;  // newest first
  std::vector<CriterionSeries> rubric;      // levels over time, per criterion
  std::string school_id;
  std::vector<RecordRow> deficits;   // by the date found
  std::vector<RecordRow> route;      // the individual route (ИОМ), by due date
  std::vector<RecordRow> trainings;  // completed courses, newest first
  bool may_coordinate = true;        // offer assigning a tutor (a coordinator's)
};

// ---- Work plan --------------------------------------------------------------------------

// One school of a work plan: what was planned there in the half-year, and what was done.
struct PlanSchoolRow {
  std::string school_id;
  std::string name;
  int planned = 0;  // plan items in the half-year
  int done = 0;     // of them, done (marked, or fulfilled by a record: rules.h PlanMatch)
  // What the person recorded there in the half-year, planned or not: "визитов: 3 · наблюдений
  // уроков: 2"; "" when nothing.
  std::string recorded;
  std::vector<RecordRow> items;  // by planned date; status "выполнено 12.10.2026", overdue...
};

// A mentor's or tutor's plan for a half-year (January–June or July–December) against what was
// done: per school, the items and what the person recorded there.
struct PlanView {
  std::string person_id;
  std::string person_name;
  std::string half;            // "2-е полугодие 2026"
  std::string half_start;      // its first day, ISO: the previous and next are six months away
  std::vector<Choice> people;  // mentors and tutors, by name, to see another's plan
  int planned = 0;
  int done = 0;
  int overdue = 0;                     // planned before today and not done
  std::vector<PlanSchoolRow> schools;  // by name: those in the plan, then those only visited
};

// The district's own instruments: its roadmap (district-level items) and every network event.
struct ProgrammeView {
  std::vector<RecordRow> roadmap;   // district-level items: still to do by start, then the rest latest first
  std::vector<RecordRow> events;    // network events, newest first, with their participants
  std::vector<RecordRow> rounds;    // monitoring rounds, the latest end first
  std::vector<Choice> open_rounds;  // the rounds not closed yet (id, name), for their Close buttons
  bool may_coordinate = true;       // offer adding and closing (a coordinator's)
};

struct RecommendationsView {
  std::vector<RecommendationRow> rows;  // already filtered by the UiState's filter
  int64_t total = 0;                    // before filtering
  std::vector<Choice> schools;          // for the filter
  std::vector<Choice> owners;
};

// ---- Dashboards -------------------------------------------------------------------------
// Built by the controller from core::Dashboard (core/dashboard.h; definitions in
// docs/metrics.md) on its dashboard thread, already formatted; charts get plain series.

enum class Mark { kNone, kMet, kNotMet };  // an indicator against its target

struct IndicatorRow {
  std::string code;    // core's ProgrammeIndicatorCode
  std::string label;   // "Supported schools in a network partnership"
  std::string value;   // "67% (4 of 6)", or "—" when nothing to count
  std::string target;  // "target ≥ 50%", "" when none
  std::string change;  // "+17 pp since 30.06.2026", "" when no previous value
  Mark mark = Mark::kNone;
  float share = -1;         // 0..1 for the bar; < 0: none
  float target_share = -1;  // 0..1; < 0: none
};

struct RankedSchoolRow {
  std::string school_id;
  std::string name;
  std::string index;             // "0.12 · low (2026)", "—" when not ranked
  std::string contact;           // "41 days ago", "never"
  int days_since_contact = -1;   // -1: never
  bool without_contact = false;  // none, or none for longer than no_contact_days
  int overdue = 0;
  int risks = 0;
  std::vector<std::string> why;  // lagging reasons
};

struct WorkloadRow {
  std::string person_id;
  std::string name;
  std::string role;  // "mentor", "tutor", "mentor, tutor" (translated)
  int schools = 0;
  int visits = 0;
  int observations = 0;
  int consultations = 0;
  int open_recommendations = 0;
};

// A closed monitoring round, one column of the rounds side by side (its frozen figures).
struct RoundColumn {
  std::string name;                 // "Входной мониторинг 2027/28"
  std::string period;               // "01.09.2027 – 30.09.2027"
  std::vector<std::string> values;  // one per DistrictDashboardView::round_rows: "43% (3 of 7)", "—"
};

struct DistrictDashboardView {
  std::string as_of;           // shown date
  std::string previous_as_of;  // the end of the previous half-year, shown
  int schools = 0;
  int supported = 0;
  int no_contact_days = 30;
  std::vector<IndicatorRow> indicators;
  std::vector<RankedSchoolRow> ranking;     // lagging first
  std::vector<RankedSchoolRow> no_contact;  // longest first
  std::vector<WorkloadRow> workload;        // by name
  std::vector<std::string> round_rows;      // the rows' labels: schools, low-results, supported, each indicator
  std::vector<RoundColumn> rounds;          // closed rounds, oldest first
  // The low-results share (%) at each closed round, then now: the chart above the table.
  std::vector<float> low_results_share;
  std::vector<std::string> low_results_labels;  // the rounds' names, then "now"
};

// A rubric figure's first and latest mean (a criterion of a school or of a teacher).
struct CriterionChangeRow {
  std::string code;
  std::string title;   // the rubric's words, or the code
  std::string first;   // "1.50 (2025/26 T1)"
  std::string latest;  // "2.25 (2026/27 T1)"
  float first_mean = 0;
  float latest_mean = 0;
};

struct TeacherProgressRow {
  std::string teacher_id;
  std::string name;
  int observations = 0;
  std::string first;   // "1.50 (12.09.2025)", "—" when not observed with a level
  std::string latest;  // "2.25 (14.11.2026)"
  float first_mean = 0;
  float latest_mean = 0;
  int open_deficits = 0;
  std::vector<CriterionChangeRow> criteria;  // first vs latest observation of each criterion
};

struct LabelledValue {
  std::string label;
  std::string value;
};

struct RiskRow {
  std::string title;
  std::string evidence;  // "teacher_vacancies = 3 > 0"
};

struct ResultRow {
  std::string year;
  std::string assessment;  // "ОГЭ"
  std::string subject;
  std::string participants;
  std::string mean_score;
  std::string share_below_min;  // "12%"
  std::string share_top;
};

struct SchoolDashboardView {
  std::string school_id;
  std::string name;
  std::string last_contact;       // "41 days ago (12.10.2026)", "never"
  std::string teachers_observed;  // "5 of 12 this school year (42%)"
  // Contacts (visits + observations + consultations) by month, the 12 months up to today.
  std::vector<float> contacts;
  std::vector<std::string> contact_months;   // "Dec 25" / "дек 25"
  std::vector<std::string> contact_details;  // per month: "2 visits, 1 observation, 0 consultations"
  // The mean rubric level of each term with observations, oldest first.
  std::vector<float> rubric_means;
  std::vector<std::string> rubric_terms;  // "2025/26 T1"
  float rubric_max = 3;                   // the rubric's highest level: the chart's top
  std::vector<CriterionChangeRow> criteria;
  std::vector<LabelledValue> recommendations;  // open, overdue, done, dropped, completion, median days
  std::vector<ResultRow> results;              // by year, assessment, subject
  std::vector<float> result_index;             // ИОР by year, oldest first
  std::vector<std::string> result_index_years;
  std::string result_index_latest;  // "0.42 · below average (2026)", "—"
  std::string wellbeing;            // "0.61", "—"
  std::vector<RiskRow> risks;
  std::vector<LabelledValue> milestones;
  // The closed monitoring rounds it was in, oldest first: "Входной мониторинг (30.09.2026)" →
  // "ШНОР · ИОР 0.42 · risk flags: 2", as frozen when the round closed.
  std::vector<LabelledValue> rounds;
  std::vector<TeacherProgressRow> teachers;  // by name
};

// What the dashboards show: published as one immutable snapshot, shared between AppViews.
struct DashboardView {
  DistrictDashboardView district;
  std::vector<SchoolDashboardView> schools;  // by name
  std::string error;                         // why the figures could not be computed; "" when fine

  const SchoolDashboardView* FindSchool(std::string_view school_id) const;
  const TeacherProgressRow* FindTeacher(std::string_view teacher_id) const;
};

// ---- What forms choose from -----------------------------------------------------------

struct CriterionView {
  std::string code;
  std::string domain;
  std::string title;
  std::vector<std::string> levels;  // descriptor per level, from 0
};

struct RubricView {
  std::string code;
  int64_t version = 0;
  std::string title;
  std::vector<CriterionView> criteria;
};

// Everything a form for one school offers to choose from.
struct FormOptions {
  std::string school_id;
  std::string school_name;
  std::string today;  // YYYY-MM-DD on the device: a new form's date
  std::vector<Choice> visit_purposes;
  std::vector<Choice> people;    // who can own a recommendation, or be met
  std::vector<Choice> teachers;  // of this school
  std::vector<Choice> subjects;
  std::vector<Choice> consultation_audiences;
  std::vector<Choice> consultation_formats;
  std::vector<Choice> consultation_topics;
  std::vector<RecommendationRow> open_recommendations;  // of this school, to check off
  RubricView rubric;                                    // the newest lesson observation rubric
};

// A person, school or record a generic form offers to choose, with the group it belongs to:
// a teacher's school (the checklist groups by it), a deficit's teacher.
struct GroupedChoice {
  std::string code;
  std::string label;
  std::string group;        // an id: the school of a teacher, the teacher of a deficit
  std::string group_label;  // shown above the group
};

// What the generic record form (RecordForm, record_spec.h) chooses from, whatever its kind.
struct RecordOptions {
  std::string today;  // YYYY-MM-DD: a new form's dates
  // Vocabularies by "<kind>.<field>" ("network_agreement.model"): core's codes and labels.
  std::map<std::string, std::vector<Choice>, std::less<>> vocabularies;
  std::vector<Choice> schools;          // by name
  std::vector<GroupedChoice> teachers;  // grouped by school, by name within it
  std::vector<Choice> people;           // mentors, tutors, coordinators, by name
  std::vector<GroupedChoice> deficits;  // of the form school's teachers, grouped by teacher
};

// A field the last save of the open form refused, and why, in the UI's language.
struct FieldErrorView {
  std::string field;  // the field's name (record_spec.h)
  std::string text;
};

// ---- Sync ------------------------------------------------------------------------------

struct RejectedRow {
  std::string what;    // "Visit of 12.11.2026, School No. 3"
  std::string reason;  // the server's reason, in the UI's language
  std::string when;
};

struct ConflictRow {
  std::string id;
  std::string what;  // "Visit of 12.11.2026: summary"
  std::string kept;  // the value now in the record
  std::string lost;  // the value that lost
  std::string who;   // "device 3fa2…, 12.11.2026 14:02"
};

struct SyncView {
  bool signed_in = false;
  std::string server;  // empty: offline only
  std::string user;
  int64_t pending = 0;
  std::string last_success;  // "today 10:42", empty: never
  std::string last_error;    // what went wrong and what to do; empty: nothing
  std::vector<RejectedRow> rejected;
  std::vector<ConflictRow> conflicts;
};

// A sync while it runs; the default: no sync is running. Published apart from SyncView, so a
// progress report does not copy the lists of rejected changes and conflicts.
struct SyncRun {
  bool running = false;
  float progress = 0;         // 0..1 while running
  std::string progress_text;  // "Sending: batch 3, 1,500 records, 212 KB"
};

struct SettingsView {
  std::string language;  // "ru" / "en"
  float text_scale = 1.0f;
  std::string server;      // the server signed in to (shown; changed by signing in)
  bool signed_in = false;  // false: "Sign in to a server" instead of "Sign out"
  bool auto_sync = false;  // sync by itself when online; otherwise only on demand
};

// The whole picture for one frame. Sections the current screen does not need may be stale.
struct AppView {
  uint64_t version = 0;  // grows with every rebuild
  // Nobody has signed in on this device, "work offline" was not chosen and the store has no
  // school: the app starts on the first-run screen.
  bool first_run = false;
  Section<TodayView> today;
  Section<SchoolView> school;
  Section<TeacherView> teacher;
  Section<PlanView> plan;
  Section<ProgrammeView> programme;
  Section<RecommendationsView> recommendations;
  Section<FormOptions> form;
  Section<RecordOptions> record_options;
  Section<SyncView> sync;
  SyncRun sync_run;
  Section<SettingsView> settings;
  // The dashboards as last computed; null until the first computation is done. While a newer
  // one is being computed (after a save or a sync) `dashboard_computing` is true and the last
  // figures stay shown.
  std::shared_ptr<const DashboardView> dashboard;
  bool dashboard_computing = false;
  std::string notice;  // a one-line message after an action ("Visit saved"), or an error
  bool notice_is_error = false;
  // The record the last successful SaveForm wrote, and a count of such saves: the form of that
  // record closes once per save (UiState::handled_save_seq).
  std::string saved_form_id;
  uint64_t saved_form_seq = 0;
  // The fields the last refused save of the form `form_errors_id` got wrong, each shown next to
  // its field; empty after a successful save.
  std::string form_errors_id;
  std::vector<FieldErrorView> form_errors;
  // The screens' words in the settings' language (a change in Settings shows at once); null
  // until the controller has published a view.
  std::shared_ptr<const Translations> texts;
};

}  // namespace mentorlog::ui

namespace mentorlog::ui {

// Every text an AppView would show (names, labels, messages), for checks that the font draws
// all of them (fonts.h FontCovers) and for screenshots' reports.
std::vector<std::string> TextsOf(const AppView& view);

}  // namespace mentorlog::ui
