// What the screens draw: plain view-models, already formatted for people.
//
// The controller (app/controller) builds these from the store off the UI thread and swaps a
// whole AppView in between frames; the screens (app/ui) only read them. Nothing here knows
// about SQLite, the network or core's types: ids are UUID text, dates are shown text plus an
// ISO "YYYY-MM-DD" where a form needs one, enums are Choice codes (core's enum codes).
//
// Forms are the one exception to "read only": a form's fields live in UiState (state.h), and
// a save sends a copy of them in an Action (action.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mentorlog/ui/i18n.h"

namespace mentorlog::ui {

enum class Screen {
  kFirstRun,         // choose a server and sign in, or work offline
  kToday,            // home: my schools, drafts, start a visit
  kSchool,           // one school: status, timeline, open recommendations, teachers
  kVisit,            // the visit form
  kObservation,      // the lesson observation form
  kConsultation,     // the consultation form
  kRecommendations,  // all recommendations, with filters
  kTeacher,          // one teacher: observations, rubric levels over time, deficits
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

struct TodayView {
  std::string user_name;  // empty when working offline without a sign-in
  std::vector<SchoolCard> schools;
  std::vector<DraftCard> drafts;
};

// ---- School, teacher, recommendations -------------------------------------------------

enum class EntryKind { kVisit, kObservation, kConsultation };

struct TimelineEntry {
  EntryKind kind = EntryKind::kVisit;
  std::string id;
  std::string date;    // shown
  std::string title;   // "Visit: diagnostics, monitoring" / "Lesson: maths, 5B — Ivanova A."
  std::string detail;  // one line of its summary
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
  std::vector<std::string> deficits;        // "Assessment for learning — since 12.10.2026 (tutor sessions)"
};

struct RecommendationsView {
  std::vector<RecommendationRow> rows;  // already filtered by the UiState's filter
  int64_t total = 0;                    // before filtering
  std::vector<Choice> schools;          // for the filter
  std::vector<Choice> owners;
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
  bool running = false;
  float progress = 0;         // 0..1 while running
  std::string progress_text;  // "Sending: batch 3, 1,500 records, 212 KB"
  std::vector<RejectedRow> rejected;
  std::vector<ConflictRow> conflicts;
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
  TodayView today;
  SchoolView school;
  TeacherView teacher;
  RecommendationsView recommendations;
  FormOptions form;
  SyncView sync;
  SettingsView settings;
  std::string notice;  // a one-line message after an action ("Visit saved"), or an error
  bool notice_is_error = false;
  // The record the last successful SaveForm wrote, and a count of such saves: the form of that
  // record closes once per save (UiState::handled_save_seq).
  std::string saved_form_id;
  uint64_t saved_form_seq = 0;
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
