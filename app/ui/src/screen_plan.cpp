// The work plan: a mentor's or tutor's plan for a half-year against what was done. Whose plan
// (mine by default; a coordinator picks anyone), the half-year and the ones around it, the
// count done of planned, and per school its items (a click opens one) and what the person
// recorded there, planned or not.
#include <imgui.h>

#include <string>

#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {
namespace {

// The first day of the half-year six months before or after `half_start` (YYYY-MM-01).
std::string ShiftHalf(const std::string& half_start, int direction) {
  if (half_start.size() < 7) return {};
  int year = std::stoi(half_start.substr(0, 4));
  int month = std::stoi(half_start.substr(5, 2)) + 6 * direction;
  if (month > 12) month -= 12, ++year;
  if (month < 1) month += 12, --year;
  return std::to_string(year) + (month < 10 ? "-0" : "-") + std::to_string(month) + "-01";
}

}  // namespace

void OpenPlanPage(const std::string& person_id, UiState& state, Actions& out) {
  if (state.screen != Screen::kPlan) state.back.push_back(state.screen);
  state.screen = Screen::kPlan;
  state.plan_person_id = person_id;
  state.plan_day.clear();
  out.push_back(OpenPlan{person_id, ""});
}

void DrawPlan(const PlanView& view, UiState& state, const Translations& t, Actions& out) {
  const Layout layout = CurrentLayout();
  std::string person = view.person_id;
  if (ChoiceField(t("plan.person"), &person, view.people, "plan.person", t("plan.choose_person"))) {
    state.plan_person_id = person;
    out.push_back(OpenPlan{person, state.plan_day});
  }
  ImGui::TextUnformatted(view.half.c_str());
  Probe("plan.half");
  auto move = [&](int direction) {
    state.plan_day = ShiftHalf(view.half_start, direction);
    out.push_back(OpenPlan{state.plan_person_id, state.plan_day});
  };
  if (RowButton(t("plan.previous"), "plan.previous", 0, 2)) move(-1);
  if (RowButton(t("plan.next"), "plan.next", 1, 2)) move(+1);
  if (view.person_id.empty()) {
    Muted(t("plan.nobody"));
    return;
  }

  std::string summary = t.Format("plan.summary", {std::to_string(view.done), std::to_string(view.planned)});
  if (view.overdue > 0) summary += " · " + t.Format("plan.overdue", {std::to_string(view.overdue)});
  ImGui::TextWrapped("%s", summary.c_str());
  Probe("plan.summary");
  if (Button(t("plan.add"), "plan.add")) {
    OpenNewRecordForm(state, "plan_item", "", {{"person_id", view.person_id}}, out);
    return;
  }
  if (view.schools.empty()) Muted(t("plan.empty"));
  for (const PlanSchoolRow& s : view.schools) {
    ImGui::PushID(s.school_id.c_str());
    Heading(s.name.c_str());
    std::string line = t.Format("plan.school_done", {std::to_string(s.done), std::to_string(s.planned)});
    if (!s.recorded.empty()) line += (layout.narrow ? "\n" : " · ") + t.Format("plan.recorded", {s.recorded});
    Muted(line.c_str());
    Probe("plan.school/" + s.school_id);
    if (!s.items.empty()) DrawRecordRows("plan.item", s.items, t, out);
    ImGui::PopID();
  }
}

}  // namespace mentorlog::ui
