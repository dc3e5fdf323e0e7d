// Settings: language, text size, whether to sync by itself when online, and the server (signing
// in to one, or out).
#include <imgui.h>

#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {

void DrawSettings(const SettingsView& view, UiState& state, const Translations& t, Actions& out) {
  if (!state.settings_edit) state.settings_edit = view;
  SettingsView& editing = *state.settings_edit;
  const std::vector<Choice> languages = {{"ru", "Русский"}, {"en", "English"}};
  ChoiceField(t("settings.language"), &editing.language, languages, "settings.language");
  ImGui::TextUnformatted(t("settings.text_size"));
  ImGui::SetNextItemWidth(-FLT_MIN);
  ImGui::SliderFloat("##settings.text_size", &editing.text_scale, 0.8f, 2.0f, "%.1f×");
  Probe("settings.text_size");
  CheckField(t("settings.auto_sync"), &editing.auto_sync, "settings.auto_sync");
  Muted(t("settings.auto_sync_hint"));
  if (PrimaryButton(t("settings.apply"), "settings.apply")) out.push_back(ChangeSettings{editing});

  // The server: added (or changed) by signing in, which the first-run screen does.
  Heading(t("settings.server"));
  ImGui::TextWrapped("%s", view.server.empty() ? t("settings.no_server") : view.server.c_str());
  if (view.signed_in) {
    if (Button(t("settings.sign_out"), "settings.sign_out")) out.push_back(SignOut{});
  } else if (Button(t("settings.sign_in"), "settings.sign_in")) {
    state.login_server = view.server;
    state.back.push_back(state.screen);
    state.screen = Screen::kFirstRun;
  }
}

}  // namespace mentorlog::ui
