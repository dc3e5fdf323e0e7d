// The consultation form: date, with whom (management team or a teacher), format, minutes,
// topics, questions, advice, follow-ups, new recommendations.
#include <imgui.h>

#include "form_parts.h"
#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {

void DrawConsultationForm(const FormOptions& options, const std::vector<FieldErrorView>& errors, ConsultationForm& form,
                          UiState& state, const Translations& t, Actions& out) {
  // A new form is dated today (the options are for its school once they arrive).
  if (form.date.empty() && options.school_id == form.school_id) form.date = options.today;
  ImGui::TextUnformatted(t.Format("consultation.title", {options.school_name}).c_str());
  bool changed = false;
  // Each field with the reason the last save refused it, if any, under it.
  auto field = [&](bool edited, std::string_view name) {
    changed |= edited;
    FieldError(errors, name, edited, state, "consultation");
  };
  const bool teacher_shown = form.audience == "teacher";
  OtherErrors(errors,
              {"date", "audience", teacher_shown ? "teacher_id" : "", "format", "minutes", "topics", "questions",
               "advice", "follow_ups"},
              "consultation");
  field(TextField(t("form.date"), &form.date, "consultation.date"), "date");
  field(
      ChoiceField(t("consultation.audience"), &form.audience, options.consultation_audiences, "consultation.audience"),
      "audience");
  if (teacher_shown) {
    field(ChoiceField(t("consultation.teacher"), &form.teacher_id, options.teachers, "consultation.teacher"),
          "teacher_id");
  }
  field(ChoiceField(t("consultation.format"), &form.format, options.consultation_formats, "consultation.format"),
        "format");
  field(TextField(t("consultation.minutes"), &form.minutes, "consultation.minutes"), "minutes");
  field(MultiChoiceField(t("consultation.topics"), &form.topics, options.consultation_topics, "consultation.topic"),
        "topics");
  field(TextField(t("consultation.questions"), &form.questions, "consultation.questions", 3), "questions");
  field(TextField(t("consultation.advice"), &form.advice, "consultation.advice", 3), "advice");
  field(TextField(t("consultation.follow_ups"), &form.follow_ups, "consultation.follow_ups", 2), "follow_ups");
  changed |= DrawNewRecommendations(form.recommendations, options, t, "consultation");
  if (changed) state.Touch(ImGui::GetTime());
  if (DrawFormButtons(form, state, t, out, "consultation")) CloseForm(state, out);
}

}  // namespace mentorlog::ui
