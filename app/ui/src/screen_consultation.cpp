// The consultation form: date, with whom (management team or a teacher), format, minutes,
// topics, questions, advice, follow-ups, new recommendations.
#include <imgui.h>

#include "form_parts.h"
#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {

void DrawConsultationForm(const FormOptions& options, ConsultationForm& form, UiState& state, const Translations& t,
                          Actions& out) {
  // A new form is dated today (the options are for its school once they arrive).
  if (form.date.empty() && options.school_id == form.school_id) form.date = options.today;
  ImGui::TextUnformatted(t.Format("consultation.title", {options.school_name}).c_str());
  bool changed = false;
  changed |= TextField(t("form.date"), &form.date, "consultation.date");
  changed |=
      ChoiceField(t("consultation.audience"), &form.audience, options.consultation_audiences, "consultation.audience");
  if (form.audience == "teacher") {
    changed |= ChoiceField(t("consultation.teacher"), &form.teacher_id, options.teachers, "consultation.teacher");
  }
  changed |= ChoiceField(t("consultation.format"), &form.format, options.consultation_formats, "consultation.format");
  changed |= TextField(t("consultation.minutes"), &form.minutes, "consultation.minutes");
  changed |=
      MultiChoiceField(t("consultation.topics"), &form.topics, options.consultation_topics, "consultation.topic");
  changed |= TextField(t("consultation.questions"), &form.questions, "consultation.questions", 3);
  changed |= TextField(t("consultation.advice"), &form.advice, "consultation.advice", 3);
  changed |= TextField(t("consultation.follow_ups"), &form.follow_ups, "consultation.follow_ups", 2);
  changed |= DrawNewRecommendations(form.recommendations, options, t, "consultation");
  if (changed) state.Touch(ImGui::GetTime());
  if (DrawFormButtons(form, state, t, out, "consultation")) CloseForm(state, out);
}

}  // namespace mentorlog::ui
