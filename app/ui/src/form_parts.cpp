#include "form_parts.h"

#include <imgui.h>

#include <algorithm>

#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {

bool DrawNewRecommendations(std::vector<NewRecommendation>& recs, const FormOptions& options, const Translations& t,
                            const std::string& probe_prefix) {
  bool changed = false;
  Heading(t("form.new_recommendations"));
  for (size_t i = 0; i < recs.size(); ++i) {
    NewRecommendation& r = recs[i];
    const std::string p = probe_prefix + ".rec" + std::to_string(i);
    ImGui::PushID(static_cast<int>(i));
    changed |= TextField(t("form.rec_text"), &r.text, p + ".text", 2);
    changed |= ChoiceField(t("form.rec_owner"), &r.owner_id, options.people, p + ".owner", t("form.rec_owner_none"));
    if (r.owner_id.empty()) changed |= TextField(t("form.rec_owner_name"), &r.owner_name, p + ".owner_name");
    changed |= TextField(t("form.rec_due"), &r.due_on, p + ".due");
    changed |=
        ChoiceField(t("form.rec_teacher"), &r.teacher_id, options.teachers, p + ".teacher", t("form.rec_whole_school"));
    if (Button(t("form.rec_remove"), p + ".remove")) {
      recs.erase(recs.begin() + static_cast<std::ptrdiff_t>(i));
      changed = true;
      ImGui::PopID();
      break;
    }
    ImGui::Separator();
    ImGui::PopID();
  }
  if (Button(t("form.rec_add"), probe_prefix + ".rec_add")) {
    recs.emplace_back();
    changed = true;
  }
  return changed;
}

void FieldError(const std::vector<FieldErrorView>& errors, std::string_view field, bool edited, UiState& state,
                const std::string& probe_prefix) {
  if (edited) state.fixed_fields.insert(std::string(field));
  if (state.fixed_fields.count(std::string(field)) != 0) return;
  for (const FieldErrorView& e : errors) {
    if (e.field != field) continue;
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1));
    ImGui::TextWrapped("%s", e.text.c_str());
    ImGui::PopStyleColor();
    Probe(probe_prefix + ".error/" + std::string(field));
  }
}

void OtherErrors(const std::vector<FieldErrorView>& errors, std::initializer_list<std::string_view> shown,
                 const std::string& probe_prefix) {
  for (const FieldErrorView& e : errors) {
    if (std::find(shown.begin(), shown.end(), e.field) != shown.end()) continue;
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1));
    ImGui::TextWrapped("%s", e.text.c_str());
    ImGui::PopStyleColor();
    Probe(probe_prefix + ".error/" + e.field);
  }
}

bool DrawFormButtons(const Form& form, UiState& state, const Translations& t, Actions& out,
                     const std::string& probe_prefix) {
  ImGui::Spacing();
  ImGui::Separator();
  if (PrimaryButton(t("form.save"), probe_prefix + ".save")) {
    state.fixed_fields.clear();
    out.push_back(SaveForm{form, state.draft_key});
  }
  if (!CurrentLayout().narrow) ImGui::SameLine();
  bool close = false;
  if (Button(t("form.close"), probe_prefix + ".close")) {
    if (state.edited) {
      state.confirm_leave = true;
    } else {
      close = true;
    }
  }
  Muted(t("form.draft_hint"));
  return close;
}

}  // namespace mentorlog::ui
