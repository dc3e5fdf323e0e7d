// The lesson observation form: teacher, subject, grade and class, topic; the rubric from its
// template (each criterion with its level descriptors, "not observed", evidence); strengths,
// growth areas, next steps, the post-lesson discussion; new recommendations.
//
// Quick to fill by keyboard (Tab moves on; the level of a focused criterion is its radio row)
// or by touch (levels are large buttons in a narrow window).
#include <imgui.h>

#include <algorithm>

#include "form_parts.h"
#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {
namespace {

ScoreInput& ScoreFor(ObservationForm& form, const std::string& code) {
  auto it = std::find_if(form.scores.begin(), form.scores.end(),
                         [&](const ScoreInput& s) { return s.criterion_code == code; });
  if (it != form.scores.end()) return *it;
  form.scores.push_back({code, -1, ""});
  return form.scores.back();
}

bool DrawCriterion(const CriterionView& c, ObservationForm& form, const Translations& t) {
  bool changed = false;
  ImGui::PushID(c.code.c_str());
  ImGui::TextWrapped("%s", c.title.c_str());
  Muted(c.domain.c_str());
  ScoreInput& score = ScoreFor(form, c.code);
  const bool narrow = CurrentLayout().narrow;
  for (int level = -1; level < static_cast<int>(c.levels.size()); ++level) {
    if (level > -1 && !narrow) ImGui::SameLine();
    const std::string probe = "observation.level/" + c.code + "/" + (level < 0 ? "none" : std::to_string(level));
    const std::string label = level < 0 ? std::string(t("observation.not_observed")) : std::to_string(level);
    if (ImGui::RadioButton((label + "##" + probe).c_str(), score.level == level)) {
      score.level = level;
      changed = true;
    }
    Probe(probe);
    if (level >= 0 && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", c.levels[static_cast<size_t>(level)].c_str());
  }
  // The descriptor of the chosen level, so the mentor sees what the number means.
  if (score.level >= 0 && score.level < static_cast<int>(c.levels.size())) {
    Muted(c.levels[static_cast<size_t>(score.level)].c_str());
  }
  changed |= TextField(t("observation.evidence"), &score.evidence, "observation.evidence/" + c.code);
  ImGui::Separator();
  ImGui::PopID();
  return changed;
}

}  // namespace

void DrawObservationForm(const FormOptions& options, const std::vector<FieldErrorView>& errors, ObservationForm& form,
                         UiState& state, const Translations& t, Actions& out) {
  // A new form is dated today (the options are for its school once they arrive).
  if (form.date.empty() && options.school_id == form.school_id) form.date = options.today;
  ImGui::TextUnformatted(t.Format("observation.title", {options.school_name}).c_str());
  bool changed = false;
  // Each field with the reason the last save refused it, if any, under it.
  auto field = [&](bool edited, std::string_view name) {
    changed |= edited;
    FieldError(errors, name, edited, state, "observation");
  };
  OtherErrors(errors, {"teacher_id", "subject", "grade", "class_label", "date", "topic"}, "observation");
  field(ChoiceField(t("observation.teacher"), &form.teacher_id, options.teachers, "observation.teacher"), "teacher_id");
  field(ChoiceField(t("observation.subject"), &form.subject, options.subjects, "observation.subject"), "subject");
  field(TextField(t("observation.grade"), &form.grade, "observation.grade"), "grade");
  field(TextField(t("observation.class"), &form.class_label, "observation.class"), "class_label");
  field(TextField(t("form.date"), &form.date, "observation.date"), "date");
  field(TextField(t("observation.topic"), &form.topic, "observation.topic"), "topic");

  if (form.rubric_code.empty() && !options.rubric.code.empty()) {
    form.rubric_code = options.rubric.code;
    form.rubric_version = options.rubric.version;
  }
  Heading(options.rubric.title.empty() ? t("observation.rubric") : options.rubric.title.c_str());
  if (options.rubric.criteria.empty()) Muted(t("observation.no_rubric"));
  for (const CriterionView& c : options.rubric.criteria) changed |= DrawCriterion(c, form, t);

  Heading(t("observation.conclusions"));
  changed |= TextField(t("observation.strengths"), &form.strengths, "observation.strengths", 3);
  changed |= TextField(t("observation.growth_areas"), &form.growth_areas, "observation.growth_areas", 3);
  changed |= TextField(t("observation.next_steps"), &form.next_steps, "observation.next_steps", 3);
  changed |= CheckField(t("observation.discussion_held"), &form.discussion_held, "observation.discussion_held");

  changed |= DrawNewRecommendations(form.recommendations, options, t, "observation");
  if (changed) state.Touch(ImGui::GetTime());
  // A deficit seen in this lesson, recorded at once: the observation is saved first (the deficit
  // refers to it), then waits underneath, its draft kept as it was.
  if (Button(t("observation.add_deficit"), "observation.add_deficit")) {
    out.push_back(SaveForm{Form(form), state.draft_key});
    state.dirty = false;  // what was typed goes in that save, not in a draft after it
    OpenNewRecordForm(state, "deficit", form.school_id,
                      {{"teacher_id", form.teacher_id},
                       {"observation_id", form.id},
                       {"found_by", "observation"},
                       {"found_on", form.date}},
                      out);
    return;
  }
  // Saves the observation, then writes the teacher's feedback sheet from it (offline).
  if (Button(t("report.feedback_pdf"), "observation.feedback_pdf")) {
    out.push_back(MakeReport{ReportKind::kFeedbackPdf, form.id, Form(form), state.draft_key});
  }
  if (DrawFormButtons(form, state, t, out, "observation")) CloseForm(state, out);
}

}  // namespace mentorlog::ui
