#include "ui_harness.h"

#include <gtest/gtest.h>

#include "mentorlog/ui/fonts.h"

namespace mentorlog::ui::testing {

UiHarness::UiHarness(float width, float height) {
  IMGUI_CHECKVERSION();
  context_ = ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.LogFilename = nullptr;
  io.DisplaySize = ImVec2(width, height);
  io.DeltaTime = 1.0f / 60;
  // What a platform backend does: key indices for the named keys (GLFW's codes for letters).
  io.KeyMap[ImGuiKey_Tab] = 258;
  io.KeyMap[ImGuiKey_Enter] = 257;
  io.KeyMap[ImGuiKey_Escape] = 256;
  io.KeyMap[ImGuiKey_Backspace] = 259;
  io.KeyMap[ImGuiKey_LeftArrow] = 263;
  io.KeyMap[ImGuiKey_RightArrow] = 262;
  io.KeyMap[ImGuiKey_UpArrow] = 265;
  io.KeyMap[ImGuiKey_DownArrow] = 264;
  io.KeyMap[ImGuiKey_A] = 'A';
  io.KeyMap[ImGuiKey_C] = 'C';
  io.KeyMap[ImGuiKey_V] = 'V';
  io.KeyMap[ImGuiKey_X] = 'X';
  auto font = LoadFonts(MENTORLOG_ASSETS_DIR, kBaseFontPixels);
  EXPECT_TRUE(font.ok()) << font.status().ToString();
  unsigned char* pixels = nullptr;
  int w = 0;
  int h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  EnableProbes(true);
}

UiHarness::~UiHarness() {
  EnableProbes(false);
  ImGui::DestroyContext(context_);
}

void UiHarness::Frame(float seconds) {
  ImGui::GetIO().DeltaTime = seconds;
  ImGui::NewFrame();
  if (draw_) draw_();
  ImGui::Render();
}

bool UiHarness::Click(std::string_view probe) {
  auto rect = FindProbe(probe);
  if (!rect) return false;
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = rect->Center();
  io.MouseDown[0] = false;
  Frame();
  io.MouseDown[0] = true;
  Frame();
  io.MouseDown[0] = false;
  Frame();
  Frame();  // what the click changed is drawn, and its probes recorded
  return true;
}

bool UiHarness::Type(std::string_view probe, std::string_view utf8) {
  if (!Click(probe)) return false;
  Text(utf8);
  return true;
}

void UiHarness::Text(std::string_view utf8) {
  ImGui::GetIO().AddInputCharactersUTF8(std::string(utf8).c_str());
  Frame();
  Frame();
}

void UiHarness::Key(int key, bool ctrl) {
  ImGuiIO& io = ImGui::GetIO();
  io.KeyCtrl = ctrl;
  io.KeysDown[key] = true;
  Frame();
  io.KeysDown[key] = false;
  io.KeyCtrl = false;
  Frame();
}

void UiHarness::Wait(double seconds) {
  const int steps = 4;
  for (int i = 0; i < steps; ++i) Frame(static_cast<float>(seconds / steps));
}

}  // namespace mentorlog::ui::testing
