// Recommendations: every one in scope, filtered by school, status, owner, overdue and a search
// (Ctrl+F). The list is clipped (ImGuiListClipper), so 100k rows draw as fast as 20.
#include <imgui.h>

#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {

void DrawRecommendations(const RecommendationsView& view, UiState& state, const Translations& t, Actions& out) {
  RecommendationFilter& f = state.filter;
  bool changed = false;
  const bool narrow = CurrentLayout().narrow;
  if (!narrow) ImGui::Columns(4, "filters", false);
  changed |= ChoiceField(t("recs.school"), &f.school_id, view.schools, "recs.school", t("recs.all"));
  if (!narrow) ImGui::NextColumn();
  static const std::vector<Choice> kStatuses = {{"open", ""}, {"in_progress", ""}, {"done", ""}, {"dropped", ""}};
  std::vector<Choice> statuses = kStatuses;
  for (Choice& c : statuses) c.label = t(("recs.status." + c.code).c_str());
  changed |= ChoiceField(t("recs.status"), &f.status, statuses, "recs.status", t("recs.all"));
  if (!narrow) ImGui::NextColumn();
  changed |= ChoiceField(t("recs.owner"), &f.owner_id, view.owners, "recs.owner", t("recs.all"));
  if (!narrow) ImGui::NextColumn();
  ImGui::Spacing();
  changed |= CheckField(t("recs.overdue_only"), &f.overdue_only, "recs.overdue_only");
  if (!narrow) ImGui::Columns(1);
  if (ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed('F', false)) ImGui::SetKeyboardFocusHere();
  changed |= TextField(t("recs.search"), &f.search, "recs.search");
  if (changed) out.push_back(FilterRecommendations{f});

  ImGui::TextUnformatted(
      t.Format("recs.count", {std::to_string(view.rows.size()), std::to_string(view.total)}).c_str());
  ImGui::Separator();
  ImGui::BeginChild("recs.list");
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(view.rows.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const RecommendationRow& r = view.rows[static_cast<size_t>(i)];
      ImGui::PushID(i);
      if (r.overdue) {
        ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1), "%s", r.due.c_str());
      } else {
        ImGui::TextUnformatted(r.due.c_str());
      }
      ImGui::SameLine(ImGui::GetFontSize() * 7);
      ImGui::TextUnformatted(r.status.c_str());
      ImGui::SameLine(ImGui::GetFontSize() * 13);
      ImGui::TextUnformatted(r.school.c_str());
      ImGui::SameLine();
      ImGui::TextUnformatted(r.text.c_str());
      if (!r.warning.empty()) {  // on the row's line: the clipper needs rows of one height
        ImGui::SameLine();
        ImGui::TextColored(kWarningColour, "— %s", r.warning.c_str());
      }
      ImGui::PopID();
    }
  }
  ImGui::EndChild();
}

}  // namespace mentorlog::ui
