// The school page: status, partner and agreement, transition programme; a timeline of visits,
// observations and consultations; open recommendations; teachers (each opens their page).
#include <imgui.h>

#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {

void DrawSchool(const SchoolView& view, UiState& state, const Translations& t, Actions& out) {
  ImGui::TextWrapped("%s", view.name.c_str());
  Muted(view.municipality.c_str());
  for (const std::string& s : view.statuses) {
    ImGui::Bullet();
    ImGui::TextUnformatted(s.c_str());
  }
  if (!view.leader_partner.empty()) ImGui::TextWrapped("%s", t.Format("school.partner", {view.leader_partner}).c_str());
  if (!view.network_agreement.empty()) {
    ImGui::TextWrapped("%s", t.Format("school.agreement", {view.network_agreement}).c_str());
  }
  ImGui::TextWrapped("%s", t.Format("school.transition", {view.transition_programme}).c_str());

  if (PrimaryButton(t("today.start_visit"), "school.start_visit")) {
    VisitForm form;
    form.school_id = view.id;
    OpenNewForm(state, std::move(form), out);
    return;
  }

  Heading(t("school.open_recommendations"));
  if (view.open_recommendations.empty()) Muted(t("school.none"));
  for (const RecommendationRow& r : view.open_recommendations) {
    ImGui::PushID(r.id.c_str());
    ImGui::TextWrapped("%s", r.text.c_str());
    std::string meta = r.owner + " · " + r.due + " · " + r.status;
    Muted(meta.c_str());
    ImGui::PopID();
  }

  Heading(t("school.timeline"));
  if (view.timeline.empty()) Muted(t("school.none"));
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(view.timeline.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const TimelineEntry& e = view.timeline[static_cast<size_t>(i)];
      // A click opens the record as its form, to correct it.
      ImGui::PushID(e.id.c_str());
      if (ImGui::Selectable((e.date + "  " + e.title).c_str())) out.push_back(OpenRecord{e.id});
      Probe("school.entry/" + e.id);
      ImGui::PopID();
    }
  }

  Heading(t("school.teachers"));
  for (const PersonRow& p : view.teachers) {
    ImGui::PushID(p.id.c_str());
    if (ImGui::Selectable(p.name.c_str())) {
      state.back.push_back(state.screen);
      state.screen = Screen::kTeacher;
      state.teacher_id = p.id;
      out.push_back(OpenTeacher{p.id});
    }
    Probe("school.teacher/" + p.id);
    if (!p.detail.empty()) {
      ImGui::SameLine();
      Muted(p.detail.c_str());
    }
    ImGui::PopID();
  }
}

}  // namespace mentorlog::ui
