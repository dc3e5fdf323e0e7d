// Drives the real screens with no window: an ImGui context with the real fonts, frames stepped
// by hand, the mouse and keyboard set through ImGuiIO (Dear ImGui 1.86 has no input queue, so
// a press and its release go in separate frames), widgets found by their probe ids.
#pragma once

#include <imgui.h>

#include <functional>
#include <string>
#include <string_view>

#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui::testing {

class UiHarness {
 public:
  // A display of `width` × `height` pixels. Tall by default, so long forms fit unscrolled.
  explicit UiHarness(float width = 1280, float height = 4000);
  ~UiHarness();
  UiHarness(const UiHarness&) = delete;
  UiHarness& operator=(const UiHarness&) = delete;

  // The frame's drawing; called once per Frame().
  void SetDraw(std::function<void()> draw) { draw_ = std::move(draw); }

  // One frame of `seconds`.
  void Frame(float seconds = 1.0f / 60);
  void Frames(int n) {
    for (int i = 0; i < n; ++i) Frame();
  }
  // Moves to the widget, presses, releases (three frames). False when it is not on screen.
  bool Click(std::string_view probe);
  // Clicks the field, then types `utf8` into it. False when it is not on screen.
  bool Type(std::string_view probe, std::string_view utf8);
  // Types `utf8` into whatever has the keyboard focus (no click first).
  void Text(std::string_view utf8);
  // Presses and releases a key (an io.KeyMap index or a letter like 'S'), with Ctrl if asked.
  void Key(int key, bool ctrl = false);
  // Lets `seconds` of ImGui time pass in a few frames.
  void Wait(double seconds);

  bool Visible(std::string_view probe) const { return FindProbe(probe).has_value(); }

 private:
  std::function<void()> draw_;
  ImGuiContext* context_ = nullptr;
};

}  // namespace mentorlog::ui::testing
