// The screens. Each is a function of the view-model and the UI state that pushes Actions; none
// touches the store, the network or a thread (DESIGN.md, "The app"). One file per screen in
// app/ui/src/ (screen_<name>.cpp); DrawApp (app.cpp) frames them with the sync bar.
//
// Thread safety: the UI thread only.
#pragma once

#include "mentorlog/ui/action.h"
#include "mentorlog/ui/i18n.h"
#include "mentorlog/ui/state.h"
#include "mentorlog/ui/view.h"

namespace mentorlog::ui {

// One frame of the whole app, filling the main viewport. Handles the keyboard shortcuts
// (Ctrl+S save, Ctrl+F search, Esc out of a text field, back or close) and saves a form's draft
// at every edit.
void DrawApp(const AppView& view, UiState& state, const Translations& t, Actions& out);

void DrawSyncBar(const SyncView& view, const SyncRun& run, UiState& state, const Translations& t, Actions& out);
void DrawSyncPanel(const SyncView& view, UiState& state, const Translations& t, Actions& out);
void DrawFirstRun(const AppView& view, UiState& state, const Translations& t, Actions& out);
void DrawToday(const TodayView& view, UiState& state, const Translations& t, Actions& out);
// The school: its log (status, timeline, open recommendations, teachers) or, with
// state.school_dashboard, its dashboard from `dashboard` (null: not computed yet).
void DrawSchool(const SchoolView& view, const DashboardView* dashboard, bool computing, UiState& state,
                const Translations& t, Actions& out);
// The dashboard part of the school screen alone.
void DrawSchoolDashboard(const SchoolDashboardView& view, UiState& state, const Translations& t, Actions& out);
// `progress`: the teacher's rubric criteria first vs latest, from the dashboards (may be null).
void DrawTeacher(const TeacherView& view, const TeacherProgressRow* progress, UiState& state, const Translations& t,
                 Actions& out);
// The district's roadmap and network events (ProgrammeView), and how the district view opens it.
void DrawProgramme(const ProgrammeView& view, UiState& state, const Translations& t, Actions& out);
void OpenProgrammePage(UiState& state, Actions& out);
// A mentor's or tutor's work plan for a half-year against what was done (PlanView).
void DrawPlan(const PlanView& view, UiState& state, const Translations& t, Actions& out);
// Opens the work plan of `person_id` ("": mine) for the current half-year.
void OpenPlanPage(const std::string& person_id, UiState& state, Actions& out);
// The district view: the programme indicators against their targets, the schools lagging
// first (a click opens the school's dashboard), schools with no contact, workload. `dashboard`
// null: "Calculating…"; `computing`: newer figures are on their way.
void DrawDistrict(const DashboardView* dashboard, bool computing, UiState& state, const Translations& t, Actions& out);
// A table of rubric criteria, first vs latest (a school's or a teacher's), the latest marked
// up or down.
void DrawCriterionChanges(const char* id, const std::vector<CriterionChangeRow>& rows, const Translations& t);
// Opens a school's page on its dashboard (from the district) or its log.
void OpenSchoolPage(const std::string& school_id, bool dashboard, UiState& state, Actions& out);
void DrawRecommendations(const RecommendationsView& view, UiState& state, const Translations& t, Actions& out);
void DrawSettings(const SettingsView& view, UiState& state, const Translations& t, Actions& out);
// The forms edit state.form in place and set state.dirty when a field changes; `errors`: the
// fields the form's last save got wrong, each drawn under its field.
void DrawVisitForm(const FormOptions& options, const std::vector<FieldErrorView>& errors, VisitForm& form,
                   UiState& state, const Translations& t, Actions& out);
// `errors`: the fields its last save got wrong, each drawn under its field.
void DrawObservationForm(const FormOptions& options, const std::vector<FieldErrorView>& errors, ObservationForm& form,
                         UiState& state, const Translations& t, Actions& out);
void DrawConsultationForm(const FormOptions& options, const std::vector<FieldErrorView>& errors, ConsultationForm& form,
                          UiState& state, const Translations& t, Actions& out);
// The generic form of a programme instrument (record_spec.h); `errors`: the fields its last
// save got wrong, each drawn under its field.
void DrawRecordForm(const RecordOptions& options, const std::vector<FieldErrorView>& errors, RecordForm& form,
                    UiState& state, const Translations& t, Actions& out);
// A list of saved instruments, each row wrapped and opening its record's form (OpenRecord);
// rows are probed as "<probe_prefix>/<id>".
void DrawRecordRows(const std::string& probe_prefix, const std::vector<RecordRow>& rows, const Translations& t,
                    Actions& out);

// Opens a new form (with a fresh id, so its draft and its record share it) on the form screen.
void OpenNewForm(UiState& state, Form form, Actions& out);
// Opens a new generic form of `kind` for `school_id` (its options), with `prefill` over the
// kind's initial values (record_spec.h NewRecordForm).
void OpenNewRecordForm(UiState& state, std::string_view kind, std::string school_id,
                       std::map<std::string, std::string> prefill, Actions& out);
// Leaves the open form and goes back. What was typed stays as a draft (listed on Today).
void CloseForm(UiState& state, Actions& out);
// A new record id (UUIDv7 text), made on the device.
std::string NewRecordId();

}  // namespace mentorlog::ui
