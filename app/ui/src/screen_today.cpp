// Today: the drafts not finished; what is due in the next 14 days (roadmap items, route items,
// my plan items; a new plan item; my work plan); my schools (days since the last contact, open and overdue
// recommendations, next roadmap items), and a one-click start of a visit.
#include <imgui.h>

#include <string>

#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {
namespace {

std::string DaysText(const SchoolCard& s, const Translations& t) {
  if (s.days_since_contact < 0) return t("today.no_contact");
  if (s.days_since_contact == 0) return t("today.contact_today");
  return t.Count("today.days_since", s.days_since_contact);
}

void StartVisit(const std::string& school_id, UiState& state, Actions& out) {
  VisitForm form;
  form.school_id = school_id;
  OpenNewForm(state, std::move(form), out);
}

}  // namespace

void DrawToday(const TodayView& view, UiState& state, const Translations& t, Actions& out) {
  const Layout layout = CurrentLayout();
  if (!view.user_name.empty()) ImGui::TextUnformatted(t.Format("today.hello", {view.user_name}).c_str());

  if (!view.drafts.empty()) {
    Heading(t("today.drafts"));
    for (const DraftCard& d : view.drafts) {
      ImGui::PushID(d.key.c_str());
      ImGui::TextWrapped("%s", d.title.c_str());
      Muted(d.updated.c_str());
      if (Button(t("today.continue"), "today.draft/" + d.key)) out.push_back(OpenDraft{d.key});
      if (!layout.narrow) ImGui::SameLine();
      if (Button(t("today.discard"), "today.discard/" + d.key)) out.push_back(DiscardDraft{d.key});
      ImGui::PopID();
    }
  }

  // What is due in the next 14 days, and overdue: roadmap items, route items, my plan.
  Heading(t("today.due"));
  DrawRecordRows("today.due", view.due, t, out);
  if (Button(t("today.add_plan_item"), "today.add/plan_item")) {
    OpenNewRecordForm(state, "plan_item", "", {{"person_id", view.person_id}}, out);
    return;
  }
  if (!layout.narrow) ImGui::SameLine();
  if (Button(t("today.my_plan"), "today.my_plan")) {
    OpenPlanPage("", state, out);
    return;
  }

  Heading(t("today.my_schools"));
  if (view.schools.empty()) Muted(t("today.no_schools"));
  for (const SchoolCard& s : view.schools) {
    ImGui::PushID(s.id.c_str());
    ImGui::BeginGroup();
    ImGui::TextWrapped("%s", s.name.c_str());
    std::string line = s.municipality;
    for (const std::string& status : s.statuses) line += (line.empty() ? "" : " · ") + status;
    Muted(line.c_str());
    ImGui::PushStyleColor(ImGuiCol_Text,
                          s.without_contact ? ImVec4(1.0f, 0.7f, 0.3f, 1) : ImGui::GetStyle().Colors[ImGuiCol_Text]);
    ImGui::TextUnformatted(DaysText(s, t).c_str());
    ImGui::PopStyleColor();
    Probe("today.days/" + s.id);
    if (!layout.narrow) ImGui::SameLine();
    ImGui::TextUnformatted(t.Count("today.recommendations", s.open_recommendations).c_str());
    if (s.overdue_recommendations > 0) {
      ImGui::SameLine();
      ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1), "%s",
                         t.Format("today.overdue", {std::to_string(s.overdue_recommendations)}).c_str());
    }
    for (const std::string& item : s.next_roadmap) {
      ImGui::Bullet();
      ImGui::TextWrapped("%s", item.c_str());
    }
    if (PrimaryButton(t("today.start_visit"), "today.start_visit/" + s.id)) StartVisit(s.id, state, out);
    if (!layout.narrow) ImGui::SameLine();
    if (Button(t("today.open_school"), "today.open_school/" + s.id)) {
      OpenSchoolPage(s.id, /*dashboard=*/false, state, out);  // its log: the visits, what is open
    }
    ImGui::EndGroup();
    ImGui::Separator();
    ImGui::PopID();
  }
}

}  // namespace mentorlog::ui
