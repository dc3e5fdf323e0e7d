// The teacher page: the rubric criteria first vs latest (from the dashboards), observations,
// rubric levels over time (one sparkline row per criterion), deficits.
#include <imgui.h>

#include <string>

#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {

void DrawTeacher(const TeacherView& view, const TeacherProgressRow* progress, UiState&, const Translations& t,
                 Actions&) {
  ImGui::TextWrapped("%s", view.name.c_str());
  Muted((view.school + " · " + view.subjects).c_str());

  if (progress != nullptr && !progress->criteria.empty()) {
    Heading(t("teacher.progress"));
    ImGui::TextUnformatted((std::string(t("dashboard.col.first")) + ": " + progress->first + " · " +
                            t("dashboard.col.latest") + ": " + progress->latest)
                               .c_str());
    Probe("teacher.progress");
    DrawCriterionChanges("teacher.criteria", progress->criteria, t);
  }

  Heading(t("teacher.rubric"));
  if (view.rubric.empty()) Muted(t("teacher.no_observations"));
  for (const CriterionSeries& c : view.rubric) {
    std::vector<float> values;
    for (int level : c.levels) values.push_back(level < 0 ? 0.0f : static_cast<float>(level));
    ImGui::TextWrapped("%s", c.title.c_str());
    if (!values.empty()) {
      ImGui::PlotLines(("##" + c.code).c_str(), values.data(), static_cast<int>(values.size()), 0, nullptr, 0.0f, 3.0f,
                       ImVec2(-FLT_MIN, ImGui::GetTextLineHeight() * 2));
    }
  }

  Heading(t("teacher.observations"));
  for (const TimelineEntry& e : view.observations) {
    ImGui::TextUnformatted(e.date.c_str());
    ImGui::SameLine();
    ImGui::TextWrapped("%s", e.title.c_str());
    if (!e.warning.empty()) Warning(e.warning.c_str());
  }

  Heading(t("teacher.deficits"));
  if (view.deficits.empty()) Muted(t("school.none"));
  for (const std::string& d : view.deficits) {
    ImGui::Bullet();
    ImGui::TextWrapped("%s", d.c_str());
  }
}

}  // namespace mentorlog::ui
