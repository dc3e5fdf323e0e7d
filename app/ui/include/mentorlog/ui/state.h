// What the UI keeps between frames: where the user is, the filters, and the forms being filled.
//
// Forms hold plain text as typed (a date is "YYYY-MM-DD" text until saved), so a draft can be
// stored and restored exactly (EncodeForm / DecodeForm) and validation happens in the core when
// the form is saved. Owned by the UI thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "mentorlog/ui/view.h"

namespace mentorlog::ui {

// A recommendation written in a form, not saved yet.
struct NewRecommendation {
  std::string text;
  std::string teacher_id;  // empty: for the whole school
  std::string owner_id;    // a person, or empty with owner_name
  std::string owner_name;
  std::string due_on;  // YYYY-MM-DD
};

// What the visit does with one of the school's open recommendations.
struct RecommendationCheck {
  std::string recommendation_id;
  std::string new_status;  // "" (leave), "in_progress", "done" (verified at this visit), "dropped"
  std::string note;        // evidence or comment
};

struct VisitForm {
  std::string id;  // empty: a new visit
  std::string school_id;
  std::string date;
  std::vector<std::string> purposes;  // VisitPurpose codes
  std::vector<std::string> met_with_ids;
  std::string met_with;  // free text besides the people chosen
  std::string summary;
  std::string strengths;
  std::string problems;
  std::vector<RecommendationCheck> checks;
  std::vector<NewRecommendation> recommendations;
};

struct ScoreInput {
  std::string criterion_code;
  int level = -1;  // -1: not observed
  std::string evidence;
};

struct ObservationForm {
  std::string id;
  std::string visit_id;  // when started from a visit
  std::string school_id;
  std::string teacher_id;
  std::string kind = "observation";  // ObservationKind code
  std::string subject;
  std::string grade;  // "5"
  std::string class_label;
  std::string date;
  std::string topic;
  std::string rubric_code;
  int64_t rubric_version = 0;
  std::vector<ScoreInput> scores;
  std::string strengths;
  std::string growth_areas;
  std::string next_steps;
  bool discussion_held = false;
  std::vector<NewRecommendation> recommendations;
};

struct ConsultationForm {
  std::string id;
  std::string visit_id;
  std::string school_id;
  std::string date;
  std::string audience = "management_team";  // ConsultationAudience code
  std::string teacher_id;
  std::string format = "in_person";  // ConsultationFormat code
  std::string minutes;
  std::vector<std::string> topics;  // ConsultationTopic codes
  std::string questions;
  std::string advice;
  std::string follow_ups;
  std::vector<NewRecommendation> recommendations;
};

// One form for every programme instrument (a network agreement, a roadmap item, a deficit, a
// route item, a training, a network event, a plan item, an assignment): the record's fields as
// typed text by their names in core's field table, described per kind by record_spec.h.
// Saving converts each value through that table, so a field not in `values` keeps what the
// record holds (a default when it is new).
struct RecordForm {
  std::string id;                             // the record's id (a new form gets a fresh one before its first draft)
  std::string kind;                           // core's RecordKind code: "network_agreement", "deficit"...
  std::string school_id;                      // the school the form was opened for (its options); may be empty
  std::map<std::string, std::string> values;  // field name -> text as typed
  // A network event's participating teachers (ids): saved as one EventParticipant each.
  std::vector<std::string> participants;

  const std::string& Get(const std::string& field) const {
    static const std::string kEmpty;
    auto it = values.find(field);
    return it == values.end() ? kEmpty : it->second;
  }
};

using Form = std::variant<VisitForm, ObservationForm, ConsultationForm, RecordForm>;

// The key a form's draft is stored under: "<kind>:<record id or 'new-' + a UUID>".
std::string DraftKey(const Form& form);
// A form as text for the drafts table, and back. DecodeForm refuses anything it did not write.
std::string EncodeForm(const Form& form);
std::optional<Form> DecodeForm(std::string_view text);

struct RecommendationFilter {
  std::string school_id;  // "" = all
  std::string status;     // "" = all, or a status code
  std::string owner_id;   // "" = all
  bool overdue_only = false;
  std::string search;  // Ctrl+F
};

struct UiState {
  Screen screen = Screen::kToday;
  std::string school_id;          // kSchool
  bool school_dashboard = false;  // kSchool shows the school's dashboard, not its log
  std::string teacher_id;         // kTeacher
  std::string plan_person_id;     // kPlan: whose ("": mine)
  std::string plan_day;           // kPlan: a day of the half-year shown (ISO; "": today's)
  std::vector<Screen> back;       // Esc goes back

  // The open form and its draft key (DraftKey). A form with edits not yet in a draft is
  // `dirty` (DrawApp saves the draft a moment after the last keystroke); one changed since it
  // was opened or saved is `edited` (leaving it asks first).
  std::optional<Form> form;
  std::string draft_key;
  bool dirty = false;
  bool edited = false;
  double last_edit_time = 0;      // ImGui time of the last keystroke in the form
  bool confirm_leave = false;     // "leave without saving?" is showing
  uint64_t handled_save_seq = 0;  // AppView::saved_form_seq already acted on

  // Forms left open underneath (a visit, while one of its observations is filled in); closing
  // the top form brings the one below back.
  struct ParkedForm {
    Form form;
    std::string draft_key;
    bool edited = false;
  };
  std::vector<ParkedForm> parked;

  // Marks the form changed now.
  void Touch(double now) {
    dirty = true;
    edited = true;
    last_edit_time = now;
  }

  RecommendationFilter filter;
  std::string participant_filter;  // a network event's checklist of teachers, as typed
  // Fields of the open form edited since its last save was sent: their errors from that save
  // are no longer shown (the user is fixing them). Cleared when a save is sent.
  std::set<std::string> fixed_fields;
  std::optional<SettingsView> settings_edit;  // while the settings screen is open
  std::string merge_text;                     // the conflict being merged by hand, as typed
  std::string merging_conflict_id;
  bool sync_panel_open = false;
  float width = 0;  // of the window, in pixels, this frame (one column below kNarrowWidth)

  // First run
  std::string login_server;
  std::string login_user;
  std::string login_password;  // cleared after the sign-in action is sent
  bool sign_in_sent = false;   // on the first-run screen: Today follows once signed in
};

// Below this many pixels wide, everything is one column with large touch targets.
inline constexpr float kNarrowWidth = 700.0f;

}  // namespace mentorlog::ui
