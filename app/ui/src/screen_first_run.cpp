// First run: choose a server and sign in, or work offline with a local store and add a server
// later (Settings).
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {

void DrawFirstRun(const AppView& view, UiState& state, const Translations& t, Actions& out) {
  if (state.sign_in_sent && view.sync->signed_in) {  // signed in (and the first sync has started)
    state.sign_in_sent = false;
    state.screen = Screen::kToday;
    return;
  }
  Heading(t("first.welcome"));
  Muted(t("first.explain"));
  TextField(t("first.server"), &state.login_server, "first.server");
  TextField(t("first.login"), &state.login_user, "first.login");
  ImGui::TextUnformatted(t("first.password"));
  ImGui::SetNextItemWidth(-FLT_MIN);
  ImGui::InputText("##first.password", &state.login_password, ImGuiInputTextFlags_Password);
  Probe("first.password");
  if (PrimaryButton(t("first.sign_in"), "first.sign_in")) {
    out.push_back(SignIn{state.login_server, state.login_user, state.login_password});
    state.sign_in_sent = true;
    std::fill(state.login_password.begin(), state.login_password.end(), '\0');
    state.login_password.clear();
  }
  if (!view.sync->last_error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1));
    ImGui::TextWrapped("%s", view.sync->last_error.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::Spacing();
  if (Button(t("first.offline"), "first.offline")) {
    out.push_back(WorkOffline{});
    state.screen = Screen::kToday;
  }
  Muted(t("first.offline_hint"));
}

}  // namespace mentorlog::ui
