// The teacher page: the rubric criteria first vs latest (from the dashboards); the deficits, the
// individual route (ИОМ) and the courses, each a list that adds and opens the generic record
// form; rubric levels over time (one sparkline per criterion) and the observations.
#include <imgui.h>

#include <string>

#include "mentorlog/ui/charts.h"
#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {

namespace {

// The teacher's deficits, route (ИОМ) and courses, and a tutor to assign. True when a form was
// opened (the page is left).
bool DrawInstruments(const TeacherView& view, UiState& state, const Translations& t, Actions& out) {
  const bool ready = view.id == state.teacher_id || state.teacher_id.empty();
  if (!ready) return false;  // the page of the teacher just opened arrives a moment later
  auto add = [&](const char* label, std::string_view kind) {
    if (!Button(label, "teacher.add/" + std::string(kind))) return false;
    OpenNewRecordForm(state, kind, view.school_id, {{"teacher_id", view.id}}, out);
    return true;
  };
  Heading(t("teacher.deficits"));
  DrawRecordRows("teacher.deficit", view.deficits, t, out);
  if (add(t("teacher.add_deficit"), "deficit")) return true;
  Heading(t("teacher.route"));
  DrawRecordRows("teacher.route_item", view.route, t, out);
  if (add(t("teacher.add_route_item"), "route_item")) return true;
  Heading(t("teacher.trainings"));
  DrawRecordRows("teacher.training", view.trainings, t, out);
  if (add(t("teacher.add_training"), "training")) return true;
  if (view.may_coordinate && Button(t("teacher.assign_tutor"), "teacher.add/assignment")) {
    OpenNewRecordForm(state, "assignment", view.school_id,
                      {{"kind", "tutor_teacher"}, {"school_id", view.school_id}, {"teacher_id", view.id}}, out);
    return true;
  }
  return false;
}

}  // namespace

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

  // First what a tutor works on: the deficits, the route (ИОМ) and the courses, lists that add
  // and open the record form; then the lessons observed.
  if (DrawInstruments(view, state, t, out)) return;

  Heading(t("teacher.rubric"));
  if (view.rubric.empty()) Muted(t("teacher.no_observations"));
  for (const CriterionSeries& c : view.rubric) {
    std::vector<float> values;
    for (int level : c.levels) values.push_back(level < 0 ? 0.0f : static_cast<float>(level));
    ImGui::TextWrapped("%s", c.title.c_str());
    if (!values.empty()) {
      ChartOptions options;
      options.max = 3;  // the rubric's levels: 0..3
      Sparkline(("teacher.rubric/" + c.code).c_str(), values, c.dates, ImVec2(-FLT_MIN, ChartHeight(2)), options);
    }
  }

  Heading(t("teacher.observations"));
  for (const TimelineEntry& e : view.observations) {
    ImGui::TextUnformatted(e.date.c_str());
    ImGui::SameLine();
    ImGui::TextWrapped("%s", e.title.c_str());
    if (!e.warning.empty()) Warning(e.warning.c_str());
  }
}

}  // namespace mentorlog::ui
