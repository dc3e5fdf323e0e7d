// The school page, in two tabs.
//   Log: status, partner and agreement, transition programme; a timeline of visits,
//     observations and consultations; open recommendations; its network agreements, roadmap
//     items, network events and assignments (lists that add and open the generic record form);
//     teachers (each opens their page).
//   Dashboard: contacts by month (bars), the mean rubric level by term (a line), criteria first
//     vs latest, recommendations, results and the ИОР by year (a sparkline), well-being, risk
//     flags with their evidence, milestones, and the teachers first vs latest (each opens their
//     page). The figures are the core's (AppView::dashboard), formatted by the controller.
//
// [SECTION] Dashboard
// [SECTION] Log
// [SECTION] DrawSchool
#include <imgui.h>

#include <string>

#include "mentorlog/ui/charts.h"
#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {
namespace {

const ImVec4 kUpColour(0.45f, 0.85f, 0.45f, 1);
const ImVec4 kDownColour(1.0f, 0.5f, 0.4f, 1);

void OpenTeacherPage(const std::string& teacher_id, UiState& state, Actions& out) {
  state.back.push_back(state.screen);
  state.screen = Screen::kTeacher;
  state.teacher_id = teacher_id;
  out.push_back(OpenTeacher{teacher_id});
}

// "latest" coloured by its direction from "first".
void LatestText(const std::string& text, float first, float latest) {
  if (latest > first + 1e-3f) {
    ImGui::TextColored(kUpColour, "↑ %s", text.c_str());
  } else if (latest < first - 1e-3f) {
    ImGui::TextColored(kDownColour, "↓ %s", text.c_str());
  } else {
    ImGui::TextUnformatted(text.c_str());
  }
}

bool BeginGrid(const char* id, int columns) {
  return ImGui::BeginTable(id, columns,
                           ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp);
}

void LabelledValues(const char* id, const std::vector<LabelledValue>& rows) {
  if (rows.empty() || !BeginGrid(id, 2)) return;
  for (const LabelledValue& r : rows) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", r.label.c_str());
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", r.value.c_str());
  }
  ImGui::EndTable();
}

}  // namespace

// Criteria first vs latest: a school's or a teacher's (shared with the teacher screen).
void DrawCriterionChanges(const char* id, const std::vector<CriterionChangeRow>& rows, const Translations& t) {
  if (rows.empty() || !BeginGrid(id, 3)) return;
  ImGui::TableSetupColumn(t("dashboard.col.criterion"), ImGuiTableColumnFlags_WidthStretch, 2.5f);
  ImGui::TableSetupColumn(t("dashboard.col.first"), ImGuiTableColumnFlags_WidthStretch, 1.2f);
  ImGui::TableSetupColumn(t("dashboard.col.latest"), ImGuiTableColumnFlags_WidthStretch, 1.2f);
  ImGui::TableHeadersRow();
  for (const CriterionChangeRow& c : rows) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", c.title.c_str());
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", c.first.c_str());
    ImGui::TableNextColumn();
    LatestText(c.latest, c.first_mean, c.latest_mean);
  }
  ImGui::EndTable();
}

// -----------------------------------------------------------------------------------------
// [SECTION] Dashboard
// -----------------------------------------------------------------------------------------

void DrawSchoolDashboard(const SchoolDashboardView& v, UiState& state, const Translations& t, Actions& out) {
  const bool narrow = CurrentLayout().narrow;
  ImGui::TextWrapped("%s", t.Format("dashboard.last_contact", {v.last_contact}).c_str());
  ImGui::TextWrapped("%s", t.Format("dashboard.teachers_observed", {v.teachers_observed}).c_str());

  Heading(t("dashboard.contacts"));
  const bool comma = t.language() == Language::kRussian;
  ChartOptions contacts;
  contacts.decimal_comma = comma;
  contacts.axis_title = t("dashboard.contacts_axis");
  BarChart("dashboard.contacts", v.contacts, v.contact_months, ImVec2(0, ChartHeight(narrow ? 7 : 8)), contacts,
           v.contact_details);

  Heading(t("dashboard.rubric"));
  if (v.rubric_means.empty()) {
    Muted(t("school.none"));
  } else {
    ChartOptions rubric;
    rubric.decimal_comma = comma;
    rubric.value_format = "%.2f";
    rubric.max = v.rubric_max;
    rubric.axis_title = t("dashboard.rubric_axis");
    LineChart("dashboard.rubric", v.rubric_means, v.rubric_terms, ImVec2(0, ChartHeight(narrow ? 7 : 8)), rubric);
  }
  if (!v.criteria.empty()) {
    Heading(t("dashboard.criteria"));
    DrawCriterionChanges("dashboard.criteria", v.criteria, t);
  }

  Heading(t("dashboard.recommendations"));
  LabelledValues("dashboard.recommendations", v.recommendations);

  Heading(t("dashboard.results"));
  ImGui::TextWrapped("%s", t.Format("dashboard.index", {v.result_index_latest}).c_str());
  if (v.result_index.size() > 1) {
    ChartOptions index;
    index.decimal_comma = comma;
    index.value_format = "%.2f";
    index.min = 0;
    index.max = 1;
    Sparkline("dashboard.index", v.result_index, v.result_index_years,
              ImVec2(ImGui::GetFontSize() * 10, ImGui::GetTextLineHeight() * 1.6f), index);
  }
  if (v.results.empty()) {
    Muted(t("school.none"));
  } else if (narrow) {
    for (const ResultRow& r : v.results) {
      const std::string line = r.year + " · " + r.assessment + " · " + r.subject + ": " + r.mean_score + " · " +
                               t("dashboard.col.below") + " " + r.share_below_min;
      ImGui::TextWrapped("%s", line.c_str());
    }
  } else if (BeginGrid("dashboard.results", 7)) {
    for (const char* key :
         {"dashboard.col.year", "dashboard.col.assessment", "dashboard.col.subject", "dashboard.col.participants",
          "dashboard.col.mean", "dashboard.col.below", "dashboard.col.top"}) {
      ImGui::TableSetupColumn(t(key));
    }
    ImGui::TableHeadersRow();
    for (const ResultRow& r : v.results) {
      ImGui::TableNextRow();
      for (const std::string* cell :
           {&r.year, &r.assessment, &r.subject, &r.participants, &r.mean_score, &r.share_below_min, &r.share_top}) {
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(cell->c_str());
      }
    }
    ImGui::EndTable();
  }
  ImGui::TextWrapped("%s", t.Format("dashboard.wellbeing", {v.wellbeing}).c_str());

  Heading(t("dashboard.risks"));
  if (v.risks.empty()) Muted(t("dashboard.no_risks"));
  for (const RiskRow& r : v.risks) {
    ImGui::Bullet();
    ImGui::TextWrapped("%s", r.title.c_str());
    ImGui::Indent();
    Muted(r.evidence.c_str());
    ImGui::Unindent();
  }

  Heading(t("dashboard.milestones"));
  LabelledValues("dashboard.milestones", v.milestones);
  if (!v.rounds.empty()) {
    Heading(t("dashboard.rounds"));
    LabelledValues("dashboard.rounds", v.rounds);
  }

  Heading(t("dashboard.teachers"));
  if (v.teachers.empty()) {
    Muted(t("school.none"));
    return;
  }
  if (!BeginGrid("dashboard.teachers", narrow ? 3 : 5)) return;
  ImGui::TableSetupColumn(t("dashboard.col.teacher"), ImGuiTableColumnFlags_WidthStretch, 2.5f);
  if (!narrow) ImGui::TableSetupColumn(t("dashboard.col.observations"), ImGuiTableColumnFlags_WidthStretch, 1);
  ImGui::TableSetupColumn(t("dashboard.col.first"), ImGuiTableColumnFlags_WidthStretch, 1.5f);
  ImGui::TableSetupColumn(t("dashboard.col.latest"), ImGuiTableColumnFlags_WidthStretch, 1.5f);
  if (!narrow) ImGui::TableSetupColumn(t("dashboard.col.deficits"), ImGuiTableColumnFlags_WidthStretch, 1);
  ImGui::TableHeadersRow();
  for (const TeacherProgressRow& r : v.teachers) {
    ImGui::PushID(r.teacher_id.c_str());
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    if (ImGui::Selectable(r.name.c_str())) OpenTeacherPage(r.teacher_id, state, out);
    Probe("dashboard.teacher/" + r.teacher_id);
    if (!narrow) {
      ImGui::TableNextColumn();
      ImGui::Text("%d", r.observations);
    }
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(r.first.c_str());
    ImGui::TableNextColumn();
    LatestText(r.latest, r.first_mean, r.latest_mean);
    if (!narrow) {
      ImGui::TableNextColumn();
      ImGui::Text("%d", r.open_deficits);
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
}

// -----------------------------------------------------------------------------------------
// [SECTION] Log
// -----------------------------------------------------------------------------------------

namespace {

void DrawSchoolLog(const SchoolView& view, UiState& state, const Translations& t, Actions& out) {
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
    if (!r.warning.empty()) Warning(r.warning.c_str());
    ImGui::PopID();
  }

  // The programme's instruments of this school: each list adds (what only a coordinator writes
  // is offered to a coordinator), each row opens its form.
  if (!view.status_history.empty() || view.may_coordinate) {
    Heading(t("school.status_history"));
    DrawRecordRows("school.status_change", view.status_history, t, out);
    if (view.may_coordinate && Button(t("school.add_status_change"), "school.add/status_change")) {
      OpenNewRecordForm(state, "status_change", view.id, {{"school_id", view.id}}, out);
      return;
    }
  }
  Heading(t("school.agreements"));
  DrawRecordRows("school.agreement", view.agreements, t, out);
  if (view.may_coordinate && Button(t("school.add_agreement"), "school.add/network_agreement")) {
    OpenNewRecordForm(state, "network_agreement", view.id, {{"supported_school_id", view.id}}, out);
    return;
  }
  Heading(t("school.roadmap"));
  DrawRecordRows("school.roadmap_item", view.roadmap, t, out);
  if (Button(t("school.add_roadmap"), "school.add/roadmap_item")) {
    OpenNewRecordForm(state, "roadmap_item", view.id, {{"level", "school"}, {"school_id", view.id}}, out);
    return;
  }
  Heading(t("school.events"));
  DrawRecordRows("school.event", view.events, t, out);
  if (view.may_coordinate && Button(t("school.add_event"), "school.add/network_event")) {
    OpenNewRecordForm(state, "network_event", view.id, {{"organiser_school_id", view.id}}, out);
    return;
  }
  Heading(t("school.assignments"));
  DrawRecordRows("school.assignment", view.assignments, t, out);
  if (view.may_coordinate && Button(t("school.add_assignment"), "school.add/assignment")) {
    OpenNewRecordForm(state, "assignment", view.id, {{"kind", "mentor_school"}, {"school_id", view.id}}, out);
    return;
  }

  Heading(t("school.teachers"));
  for (const PersonRow& p : view.teachers) {
    ImGui::PushID(p.id.c_str());
    if (ImGui::Selectable(p.name.c_str())) OpenTeacherPage(p.id, state, out);
    Probe("school.teacher/" + p.id);
    if (!p.detail.empty()) {
      ImGui::SameLine();
      Muted(p.detail.c_str());
    }
    ImGui::PopID();
  }

  // The history last: it grows without end (the clipper draws only the rows on screen).
  Heading(t("school.timeline"));
  if (view.timeline.empty()) Muted(t("school.none"));
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(view.timeline.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const TimelineEntry& e = view.timeline[static_cast<size_t>(i)];
      // A click opens the record as its form, to correct it. A warning stays on the entry's one
      // line (the clipper needs rows of one height), in the warning colour.
      ImGui::PushID(e.id.c_str());
      if (!e.warning.empty()) ImGui::PushStyleColor(ImGuiCol_Text, kWarningColour);
      const std::string label = e.date + "  " + e.title + (e.warning.empty() ? "" : "  — " + e.warning);
      if (ImGui::Selectable(label.c_str())) out.push_back(OpenRecord{e.id});
      if (!e.warning.empty()) ImGui::PopStyleColor();
      Probe("school.entry/" + e.id);
      ImGui::PopID();
    }
  }
}

// A tab button: the chosen one in the accent colour.
bool TabButton(const char* label, std::string_view probe, bool chosen, int index) {
  if (chosen) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyle().Colors[ImGuiCol_ButtonActive]);
  const bool clicked = RowButton(label, probe, index, 2);
  if (chosen) ImGui::PopStyleColor();
  return clicked;
}

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] DrawSchool
// -----------------------------------------------------------------------------------------

void DrawSchool(const SchoolView& view, const DashboardView* dashboard, bool computing, UiState& state,
                const Translations& t, Actions& out) {
  // The log arrives from the controller a moment after the school is opened; the dashboard's
  // figures are there already.
  const bool log_ready = view.id == state.school_id || state.school_id.empty();
  const SchoolDashboardView* figures = dashboard ? dashboard->FindSchool(state.school_id) : nullptr;
  const std::string& name = log_ready ? view.name : figures ? figures->name : view.name;
  ImGui::TextWrapped("%s", name.c_str());
  if (log_ready) Muted(view.municipality.c_str());

  if (TabButton(t("school.tab.log"), "school.tab.log", !state.school_dashboard, 0)) state.school_dashboard = false;
  if (TabButton(t("school.tab.dashboard"), "school.tab.dashboard", state.school_dashboard, 1)) {
    state.school_dashboard = true;
  }
  ImGui::Separator();

  if (!state.school_dashboard) {
    if (log_ready) DrawSchoolLog(view, state, t, out);
    return;
  }
  if (dashboard == nullptr) {
    Muted(t("district.calculating"));
    return;
  }
  if (computing) Muted(t("district.updating"));
  if (figures == nullptr) {
    Muted(t("dashboard.none"));
    return;
  }
  // The reports of this school, made on the device (no signal needed).
  if (Button(t("report.school_pdf"), "school.report_pdf")) {
    out.push_back(MakeReport{ReportKind::kSchoolPdf, state.school_id, std::nullopt, ""});
  }
  ImGui::SameLine();
  if (Button(t("report.school_xlsx"), "school.report_xlsx")) {
    out.push_back(MakeReport{ReportKind::kSchoolXlsx, state.school_id, std::nullopt, ""});
  }
  DrawSchoolDashboard(*figures, state, t, out);
}

}  // namespace mentorlog::ui
