// The sync bar (always on top: pending changes, last success, progress, the button) and the
// sync panel (the error and what to do, the rejected list, the conflicts to resolve).
#include <imgui.h>

#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {

void DrawSyncBar(const SyncView& view, const SyncRun& run, UiState& state, const Translations& t, Actions& out) {
  const bool narrow = CurrentLayout().narrow;
  if (run.running) {
    ImGui::ProgressBar(run.progress, ImVec2(narrow ? -FLT_MIN : ImGui::GetFontSize() * 16, 0),
                       run.progress_text.c_str());
    Probe("sync.progress");
    if (!narrow) ImGui::SameLine();
    if (Button(t("sync.cancel"), "sync.cancel")) out.push_back(CancelSync{});
  } else {
    const std::string pending = t.Count("sync.pending", view.pending);
    ImGui::TextUnformatted(pending.c_str());
    Probe("sync.pending");
    if (!narrow) ImGui::SameLine();
    const std::string last =
        view.last_success.empty() ? std::string(t("sync.never")) : t.Format("sync.last_success", {view.last_success});
    Muted(last.c_str());
    if (!narrow) ImGui::SameLine();
    if (view.server.empty()) {
      Muted(t("sync.offline_only"));
    } else if (Button(t("sync.now"), "sync.now")) {
      out.push_back(StartSync{});
    }
  }
  if (!narrow) ImGui::SameLine();
  const bool attention = !view.last_error.empty() || !view.rejected.empty() || !view.conflicts.empty();
  if (attention) ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.65f, 0.3f, 0.15f, 1));
  const std::string details = attention ? t.Format("sync.details_attention", {std::to_string(view.rejected.size()),
                                                                              std::to_string(view.conflicts.size())})
                                        : std::string(t("sync.details"));
  if (Button(details.c_str(), "sync.details")) state.sync_panel_open = !state.sync_panel_open;
  if (attention) ImGui::PopStyleColor();
}

void DrawSyncPanel(const SyncView& view, UiState& state, const Translations& t, Actions& out) {
  Heading(t("sync.panel"));
  if (!view.server.empty()) ImGui::TextWrapped("%s", t.Format("sync.server", {view.server, view.user}).c_str());
  if (!view.last_error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1));
    ImGui::TextWrapped("%s", view.last_error.c_str());
    ImGui::PopStyleColor();
    Probe("sync.error");
  }

  Heading(t("sync.rejected"));
  if (view.rejected.empty()) Muted(t("sync.none_rejected"));
  for (size_t i = 0; i < view.rejected.size(); ++i) {
    const RejectedRow& r = view.rejected[i];
    ImGui::PushID(static_cast<int>(i));
    ImGui::TextWrapped("%s", r.what.c_str());
    Probe("sync.rejected/" + std::to_string(i));
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.7f, 0.3f, 1));
    ImGui::TextWrapped("%s", r.reason.c_str());
    ImGui::PopStyleColor();
    Probe("sync.rejected_reason/" + std::to_string(i));
    Muted(r.when.c_str());
    ImGui::Separator();
    ImGui::PopID();
  }

  Heading(t("sync.conflicts"));
  if (view.conflicts.empty()) Muted(t("sync.none_conflicts"));
  for (const ConflictRow& c : view.conflicts) {
    ImGui::PushID(c.id.c_str());
    ImGui::TextWrapped("%s", c.what.c_str());
    ImGui::TextWrapped("%s %s", t("sync.kept"), c.kept.c_str());
    ImGui::TextWrapped("%s %s", t("sync.lost"), c.lost.c_str());
    Muted(c.who.c_str());
    if (Button(t("sync.keep_current"), "sync.keep/" + c.id)) out.push_back(DismissConflict{c.id});
    if (!CurrentLayout().narrow) ImGui::SameLine();
    if (Button(t("sync.take_other"), "sync.take/" + c.id)) out.push_back(ResolveConflict{c.id, c.lost});
    if (!CurrentLayout().narrow) ImGui::SameLine();
    if (Button(t("sync.merge"), "sync.merge/" + c.id)) {
      state.merging_conflict_id = c.id;
      state.merge_text = c.kept + "\n" + c.lost;
    }
    if (state.merging_conflict_id == c.id) {
      TextField(t("sync.merged_text"), &state.merge_text, "sync.merge_text/" + c.id, 4);
      if (PrimaryButton(t("sync.use_merged"), "sync.use_merged/" + c.id)) {
        out.push_back(ResolveConflict{c.id, state.merge_text});
        state.merging_conflict_id.clear();
        state.merge_text.clear();
      }
    }
    ImGui::Separator();
    ImGui::PopID();
  }
  if (Button(t("sync.close_panel"), "sync.close_panel")) state.sync_panel_open = false;
}

}  // namespace mentorlog::ui
