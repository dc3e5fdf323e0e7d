// A fixture for tests of the real screens: DrawApp over `view_` in the headless harness
// (ui_harness.h) with the English words, and the actions the screens sent.
//
// Thread safety: one test's thread.
#pragma once

#include <gtest/gtest.h>

#include <utility>
#include <variant>
#include <vector>

#include "mentorlog/ui/screens.h"
#include "ui_harness.h"

namespace mentorlog::ui::testing {

class ScreensFixture : public ::testing::Test {
 protected:
  // The view the screens start with.
  virtual AppView InitialView() = 0;

  void SetUp() override {
    auto loaded = Translations::Load(MENTORLOG_ASSETS_DIR "/i18n", "en");
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    t_ = std::move(loaded).value();
    view_ = InitialView();
    ui_.SetDraw([this] { DrawApp(view_, state_, t_, actions_); });
    ui_.Frames(2);
  }

  // Every action of type A the screens sent, in order.
  template <class A>
  std::vector<A> Sent() const {
    std::vector<A> out;
    for (const Action& a : actions_) {
      if (auto* x = std::get_if<A>(&a)) out.push_back(*x);
    }
    return out;
  }

  UiHarness ui_;
  Translations t_;
  AppView view_;
  UiState state_;
  Actions actions_;
};

}  // namespace mentorlog::ui::testing
