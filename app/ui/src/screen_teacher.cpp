// The teacher page: the rubric criteria first vs latest (from the dashboards), observations,
// rubric levels over time (one sparkline row per criterion); the deficits, the individual route
// (ИОМ) and the courses, each a list that adds and opens the generic record form.
#include <imgui.h>

#include <string>

#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {

void DrawTeacher(const TeacherView& view, const TeacherProgressRow* progress, UiState& state, const Translations& t,
                 Actions& out) {
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

  // The teacher's deficits, route (ИОМ) and courses: lists that add and open the record form.
  const bool ready = view.id == state.teacher_id || state.teacher_id.empty();
  if (!ready) return;  // the page of the teacher just opened arrives a moment later
  auto add = [&](const char* label, std::string_view kind) {
    if (!Button(label, "teacher.add/" + std::string(kind))) return false;
    OpenNewRecordForm(state, kind, view.school_id, {{"teacher_id", view.id}}, out);
    return true;
  };
  Heading(t("teacher.deficits"));
  DrawRecordRows("teacher.deficit", view.deficits, t, out);
  if (add(t("teacher.add_deficit"), "deficit")) return;
  Heading(t("teacher.route"));
  DrawRecordRows("teacher.route_item", view.route, t, out);
  if (add(t("teacher.add_route_item"), "route_item")) return;
  Heading(t("teacher.trainings"));
  DrawRecordRows("teacher.training", view.trainings, t, out);
  if (add(t("teacher.add_training"), "training")) return;
  if (Button(t("teacher.assign_tutor"), "teacher.add/assignment")) {
    OpenNewRecordForm(state, "assignment", view.school_id,
                      {{"kind", "tutor_teacher"}, {"school_id", view.school_id}, {"teacher_id", view.id}}, out);
  }
}

}  // namespace mentorlog::ui
