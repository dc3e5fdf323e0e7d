// The district view: the programme indicators against their targets (met or not, and the change
// since the previous half-year), the schools lagging first with why (a click opens the school's
// dashboard), the schools with no recent contact, and the mentors' and tutors' workload (a click
// on a name opens their work plan); a button opens the district's roadmap and network events.
// On a mentor's device the store holds their scope, so this is their schools.
//
// [SECTION] Helpers
// [SECTION] DrawDistrict
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "mentorlog/ui/charts.h"
#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {

// -----------------------------------------------------------------------------------------
// [SECTION] Helpers
// -----------------------------------------------------------------------------------------

namespace {

const ImVec4 kMetColour(0.45f, 0.85f, 0.45f, 1);
const ImVec4 kNotMetColour(1.0f, 0.5f, 0.4f, 1);
const ImVec4 kStaleColour(1.0f, 0.7f, 0.3f, 1);

void MarkText(Mark mark, const Translations& t) {
  if (mark == Mark::kNone) {
    ImGui::TextDisabled("%s", t("district.no_target"));
  } else {
    ImGui::TextColored(mark == Mark::kMet ? kMetColour : kNotMetColour, "%s %s", mark == Mark::kMet ? "✓" : "×",
                       t(mark == Mark::kMet ? "district.met" : "district.not_met"));
  }
}

void DrawIndicators(const DistrictDashboardView& d, const Translations& t, bool narrow) {
  Heading(t("district.indicators"));
  for (const IndicatorRow& row : d.indicators) {
    ImGui::PushID(row.code.c_str());
    ImGui::TextWrapped("%s", row.label.c_str());
    const ImU32 fill = ImGui::GetColorU32(row.mark == Mark::kNotMet ? kNotMetColour
                                          : row.mark == Mark::kMet  ? kMetColour
                                                                    : ImGui::GetStyle().Colors[ImGuiCol_PlotHistogram]);
    const float bar = narrow ? ImGui::GetContentRegionAvail().x : ImGui::GetFontSize() * 12;
    ShareBar(("district.indicator_bar/" + row.code).c_str(), row.share, row.target_share, ImVec2(bar, 0), fill);
    if (!narrow) ImGui::SameLine();
    ImGui::TextUnformatted(row.value.c_str());
    Probe("district.indicator/" + row.code);
    ImGui::SameLine();
    if (!row.target.empty()) {
      ImGui::TextDisabled("%s", row.target.c_str());
      if (!narrow) ImGui::SameLine();  // a phone has no room for the mark beside them
    }
    MarkText(row.mark, t);
    if (!row.change.empty()) Muted(row.change.c_str());
    ImGui::Spacing();
    ImGui::PopID();
  }
}

// One school of a list: its name opens its dashboard.
void SchoolLink(const RankedSchoolRow& r, const char* probe_prefix, UiState& state, Actions& out) {
  if (ImGui::Selectable(r.name.c_str(), false, ImGuiSelectableFlags_None)) {
    OpenSchoolPage(r.school_id, /*dashboard=*/true, state, out);
  }
  Probe(std::string(probe_prefix) + r.school_id);
}

void ContactText(const RankedSchoolRow& r) {
  if (r.without_contact) {
    ImGui::TextColored(kStaleColour, "%s", r.contact.c_str());
  } else {
    ImGui::TextUnformatted(r.contact.c_str());
  }
}

// Closed monitoring rounds side by side: a row per figure, a column per round (on a phone, one
// round after another).
void DrawRounds(const DistrictDashboardView& d, const Translations& t, bool narrow) {
  Heading(t("district.rounds"));
  if (d.rounds.empty()) {
    Muted(t("district.rounds_none"));
    return;
  }
  ChartOptions share;
  share.value_format = "%.1f";
  share.decimal_comma = t.language() == Language::kRussian;
  share.axis_title = t("district.round_share_axis");
  // The axis to a round ten above the largest share (at most 100 %): equal shares are not full bars.
  float top = 0;
  for (float v : d.low_results_share) top = std::max(top, v);
  share.max = std::min(100.0f, std::ceil(top * 1.2f / 10.0f) * 10.0f);
  BarChart("district.rounds_share", d.low_results_share, d.low_results_labels, ImVec2(0, ChartHeight(narrow ? 6 : 7)),
           share);
  if (narrow) {
    for (const RoundColumn& round : d.rounds) {
      ImGui::TextWrapped("%s (%s)", round.name.c_str(), round.period.c_str());
      for (size_t i = 0; i < d.round_rows.size() && i < round.values.size(); ++i) {
        ImGui::BulletText("%s: %s", d.round_rows[i].c_str(), round.values[i].c_str());
      }
      ImGui::Spacing();
    }
    return;
  }
  const int columns = static_cast<int>(std::min<size_t>(d.rounds.size(), 60)) + 1;
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("district.rounds", columns, flags)) return;
  ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 2.0f);
  for (int c = 1; c < columns; ++c) {
    ImGui::TableSetupColumn(d.rounds[static_cast<size_t>(c - 1)].name.c_str(), ImGuiTableColumnFlags_WidthStretch,
                            1.0f);
  }
  ImGui::TableHeadersRow();
  for (size_t row = 0; row < d.round_rows.size(); ++row) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", d.round_rows[row].c_str());
    for (int c = 1; c < columns; ++c) {
      ImGui::TableNextColumn();
      const RoundColumn& round = d.rounds[static_cast<size_t>(c - 1)];
      ImGui::TextUnformatted(row < round.values.size() ? round.values[row].c_str() : "");
      Probe("district.round/" + std::to_string(c - 1) + "/" + std::to_string(row));
    }
  }
  ImGui::EndTable();
}

void DrawRanking(const DistrictDashboardView& d, UiState& state, const Translations& t, Actions& out, bool narrow) {
  Heading(t("district.ranking"));
  Muted(t("district.ranking_hint"));
  if (d.ranking.empty()) Muted(t("district.none"));
  if (narrow) {
    for (const RankedSchoolRow& r : d.ranking) {
      ImGui::PushID(r.school_id.c_str());
      SchoolLink(r, "district.school/", state, out);
      std::string line = std::string(t("district.col.index")) + " " + r.index + " · " + r.contact;
      Muted(line.c_str());
      for (const std::string& why : r.why) {
        ImGui::Bullet();
        ImGui::TextWrapped("%s", why.c_str());
      }
      ImGui::Separator();
      ImGui::PopID();
    }
    return;
  }
  const ImGuiTableFlags flags =
      ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
  if (d.ranking.empty() || !ImGui::BeginTable("district.ranking", 6, flags)) return;
  ImGui::TableSetupColumn(t("district.col.school"), ImGuiTableColumnFlags_WidthStretch, 3);
  ImGui::TableSetupColumn(t("district.col.index"), ImGuiTableColumnFlags_WidthStretch, 1.6f);
  ImGui::TableSetupColumn(t("district.col.contact"), ImGuiTableColumnFlags_WidthStretch, 1.2f);
  ImGui::TableSetupColumn(t("district.col.overdue"), ImGuiTableColumnFlags_WidthStretch, 0.8f);
  ImGui::TableSetupColumn(t("district.col.risks"), ImGuiTableColumnFlags_WidthStretch, 0.6f);
  ImGui::TableSetupColumn(t("district.col.why"), ImGuiTableColumnFlags_WidthStretch, 3.5f);
  ImGui::TableHeadersRow();
  for (const RankedSchoolRow& r : d.ranking) {
    ImGui::PushID(r.school_id.c_str());
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::PushTextWrapPos(0.0f);
    SchoolLink(r, "district.school/", state, out);
    ImGui::PopTextWrapPos();
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", r.index.c_str());
    ImGui::TableNextColumn();
    ContactText(r);
    ImGui::TableNextColumn();
    if (r.overdue > 0) {
      ImGui::TextColored(kNotMetColour, "%d", r.overdue);
    } else {
      ImGui::TextUnformatted("0");
    }
    ImGui::TableNextColumn();
    ImGui::Text("%d", r.risks);
    ImGui::TableNextColumn();
    for (const std::string& why : r.why) ImGui::TextWrapped("• %s", why.c_str());
    ImGui::PopID();
  }
  ImGui::EndTable();
}

void DrawNoContact(const DistrictDashboardView& d, UiState& state, const Translations& t, Actions& out) {
  Heading(t.Count("district.no_contact", d.no_contact_days).c_str());
  if (d.no_contact.empty()) Muted(t("district.none"));
  for (const RankedSchoolRow& r : d.no_contact) {
    ImGui::PushID(r.school_id.c_str());
    SchoolLink(r, "district.no_contact/", state, out);
    ImGui::SameLine();
    ContactText(r);
    ImGui::PopID();
  }
}

void DrawWorkload(const DistrictDashboardView& d, UiState& state, const Translations& t, bool narrow, Actions& out) {
  Heading(t("district.workload"));
  if (d.workload.empty()) {
    Muted(t("district.none"));
    return;
  }
  if (narrow) {
    for (const WorkloadRow& w : d.workload) {
      // A click on a name opens that person's work plan.
      ImGui::PushID(w.person_id.c_str());
      if (ImGui::Selectable(w.name.c_str())) OpenPlanPage(w.person_id, state, out);
      ImGui::PopID();
      Probe("district.workload/" + w.person_id);
      const std::string line = w.role + " · " + t("district.col.schools") + " " + std::to_string(w.schools) + " · " +
                               t("district.col.visits") + " " + std::to_string(w.visits) + " · " +
                               t("district.col.observations") + " " + std::to_string(w.observations) + " · " +
                               t("district.col.consultations") + " " + std::to_string(w.consultations) + " · " +
                               t("district.col.open") + " " + std::to_string(w.open_recommendations);
      Muted(line.c_str());
    }
    return;
  }
  const ImGuiTableFlags flags =
      ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("district.workload", 7, flags)) return;
  ImGui::TableSetupColumn(t("district.col.name"), ImGuiTableColumnFlags_WidthStretch, 3);
  ImGui::TableSetupColumn(t("district.col.role"), ImGuiTableColumnFlags_WidthStretch, 1.6f);
  for (const char* key : {"district.col.schools", "district.col.visits", "district.col.observations",
                          "district.col.consultations", "district.col.open"}) {
    ImGui::TableSetupColumn(t(key), ImGuiTableColumnFlags_WidthStretch, 1);
  }
  ImGui::TableHeadersRow();
  for (const WorkloadRow& w : d.workload) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::PushID(w.person_id.c_str());
    if (ImGui::Selectable(w.name.c_str())) OpenPlanPage(w.person_id, state, out);
    ImGui::PopID();
    Probe("district.workload/" + w.person_id);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(w.role.c_str());
    for (int n : {w.schools, w.visits, w.observations, w.consultations, w.open_recommendations}) {
      ImGui::TableNextColumn();
      ImGui::Text("%d", n);
    }
  }
  ImGui::EndTable();
}

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] DrawDistrict
// -----------------------------------------------------------------------------------------

void OpenSchoolPage(const std::string& school_id, bool dashboard, UiState& state, Actions& out) {
  state.back.push_back(state.screen);
  state.screen = Screen::kSchool;
  state.school_id = school_id;
  state.school_dashboard = dashboard;
  out.push_back(OpenSchool{school_id});
}

void DrawDistrict(const DashboardView* dashboard, bool computing, UiState& state, const Translations& t, Actions& out) {
  const bool narrow = CurrentLayout().narrow;
  ImGui::TextWrapped("%s", t("district.title"));
  // The district's own instruments, reachable while the figures are computed.
  if (Button(t("district.programme"), "district.programme")) {
    OpenProgrammePage(state, out);
    return;
  }
  if (dashboard == nullptr) {
    Muted(t("district.calculating"));
    Probe("district.calculating");
    return;
  }
  if (computing) {
    Muted(t("district.updating"));
    Probe("district.updating");
  }
  if (!dashboard->error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kNotMetColour);
    ImGui::TextWrapped("%s", t.Format("district.error", {dashboard->error}).c_str());
    ImGui::PopStyleColor();
  }
  const DistrictDashboardView& d = dashboard->district;
  Muted(t.Format("district.as_of", {d.as_of, d.previous_as_of}).c_str());
  Muted(t.Count("district.summary", d.schools, {std::to_string(d.supported)}).c_str());
  if (Button(t("report.district_xlsx"), "district.report_xlsx")) {
    out.push_back(MakeReport{ReportKind::kDistrictXlsx, "", std::nullopt, ""});
  }

  DrawIndicators(d, t, narrow);
  DrawRounds(d, t, narrow);
  DrawRanking(d, state, t, out, narrow);
  DrawNoContact(d, state, t, out);
  DrawWorkload(d, state, t, narrow, out);
}

}  // namespace mentorlog::ui
