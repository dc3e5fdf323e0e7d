// The visit form: purpose, whom they met, findings, the school's open recommendations to check
// off or update, new recommendations, and observations and consultations started from here.
#include <imgui.h>

#include <algorithm>

#include "form_parts.h"
#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {
namespace {

RecommendationCheck& CheckFor(VisitForm& form, const std::string& id) {
  auto it = std::find_if(form.checks.begin(), form.checks.end(),
                         [&](const RecommendationCheck& c) { return c.recommendation_id == id; });
  if (it != form.checks.end()) return *it;
  form.checks.push_back({id, "", ""});
  return form.checks.back();
}

// Leave / in progress / done (verified at this visit) / dropped, for one open recommendation.
bool DrawCheck(const RecommendationRow& row, VisitForm& form, const Translations& t) {
  bool changed = false;
  ImGui::PushID(row.id.c_str());
  ImGui::TextWrapped("%s", row.text.c_str());
  std::string meta = row.owner.empty() ? row.due : row.owner + " · " + row.due;
  if (!row.teacher.empty()) meta = row.teacher + " · " + meta;
  meta += " · " + row.status;
  if (row.overdue) meta += " · " + std::string(t("visit.overdue"));
  Muted(meta.c_str());
  if (!row.warning.empty()) Warning(row.warning.c_str());
  RecommendationCheck& check = CheckFor(form, row.id);
  static const char* const kStatuses[] = {"", "in_progress", "done", "dropped"};
  static const char* const kKeys[] = {"visit.check_leave", "visit.check_in_progress", "visit.check_done",
                                      "visit.check_dropped"};
  for (int i = 0; i < 4; ++i) {
    if (i > 0 && !CurrentLayout().narrow) ImGui::SameLine();
    const std::string probe = "visit.check/" + row.id + "/" + (i == 0 ? std::string("leave") : kStatuses[i]);
    if (ImGui::RadioButton((std::string(t(kKeys[i])) + "##" + probe).c_str(), check.new_status == kStatuses[i])) {
      check.new_status = kStatuses[i];
      changed = true;
    }
    Probe(probe);
  }
  if (!check.new_status.empty()) changed |= TextField(t("visit.check_note"), &check.note, "visit.check_note/" + row.id);
  ImGui::Separator();
  ImGui::PopID();
  return changed;
}

// A form started from inside the visit: the same school and date, linked to the visit.
template <class F>
void StartFromVisit(const VisitForm& visit, UiState& state, Actions& out) {
  F f;
  f.visit_id = visit.id;
  f.school_id = visit.school_id;
  f.date = visit.date;
  OpenNewForm(state, std::move(f), out);
}

}  // namespace

void DrawVisitForm(const FormOptions& options, const std::vector<FieldErrorView>& errors, VisitForm& form,
                   UiState& state, const Translations& t, Actions& out) {
  // A new form is dated today (the options are for its school once they arrive).
  if (form.date.empty() && options.school_id == form.school_id) form.date = options.today;
  ImGui::TextUnformatted(t.Format("visit.title", {options.school_name}).c_str());
  bool changed = false;
  // Each field with the reason the last save refused it, if any, under it.
  auto field = [&](bool edited, std::string_view name) {
    changed |= edited;
    FieldError(errors, name, edited, state, "visit");
  };
  OtherErrors(errors, {"date", "purposes", "met_with", "summary", "strengths", "problems"}, "visit");
  field(TextField(t("form.date"), &form.date, "visit.date"), "date");
  field(MultiChoiceField(t("visit.purposes"), &form.purposes, options.visit_purposes, "visit.purpose"), "purposes");
  field(TextField(t("visit.met_with"), &form.met_with, "visit.met_with"), "met_with");
  field(TextField(t("visit.summary"), &form.summary, "visit.summary", 4), "summary");
  field(TextField(t("visit.strengths"), &form.strengths, "visit.strengths", 3), "strengths");
  field(TextField(t("visit.problems"), &form.problems, "visit.problems", 3), "problems");

  Heading(t("visit.open_recommendations"));
  if (options.open_recommendations.empty()) Muted(t("visit.no_open_recommendations"));
  for (const RecommendationRow& row : options.open_recommendations) changed |= DrawCheck(row, form, t);

  changed |= DrawNewRecommendations(form.recommendations, options, t, "visit");

  Heading(t("visit.also"));
  if (Button(t("visit.start_observation"), "visit.start_observation")) {
    StartFromVisit<ObservationForm>(form, state, out);
    return;  // `form` now lives in state.parked
  }
  if (!CurrentLayout().narrow) ImGui::SameLine();
  if (Button(t("visit.start_consultation"), "visit.start_consultation")) {
    StartFromVisit<ConsultationForm>(form, state, out);
    return;
  }
  if (changed) state.Touch(ImGui::GetTime());
  if (DrawFormButtons(form, state, t, out, "visit")) CloseForm(state, out);
}

}  // namespace mentorlog::ui
