// The district's programme: its monitoring rounds (a coordinator closes an open one here), its
// roadmap (district-level items) and every network event, each a list whose rows open the
// record's form and, for a coordinator, a button that adds one. Reached from the district view.
#include <imgui.h>

#include <string>

#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {

void OpenProgrammePage(UiState& state, Actions& out) {
  if (state.screen != Screen::kProgramme) state.back.push_back(state.screen);
  state.screen = Screen::kProgramme;
  out.push_back(OpenProgramme{});
}

void DrawProgramme(const ProgrammeView& view, UiState& state, const Translations& t, Actions& out) {
  Heading(t("programme.rounds"));
  DrawRecordRows("programme.round", view.rounds, t, out);
  if (view.may_coordinate) {
    for (const Choice& round : view.open_rounds) {
      if (Button(t.Format("programme.close_round", {round.label}).c_str(), "programme.close/" + round.code)) {
        out.push_back(CloseRound{round.code});
      }
    }
    if (Button(t("programme.add_round"), "programme.add/monitoring_round")) {
      OpenNewRecordForm(state, "monitoring_round", "", {}, out);
      return;
    }
  }
  Heading(t("programme.roadmap"));
  DrawRecordRows("programme.roadmap_item", view.roadmap, t, out);
  if (view.may_coordinate && Button(t("programme.add_roadmap"), "programme.add/roadmap_item")) {
    OpenNewRecordForm(state, "roadmap_item", "", {{"level", "district"}}, out);
    return;
  }
  Heading(t("programme.events"));
  if (view.may_coordinate && Button(t("programme.add_event"), "programme.add/network_event")) {
    OpenNewRecordForm(state, "network_event", "", {}, out);
    return;
  }
  DrawRecordRows("programme.event", view.events, t, out);
}

}  // namespace mentorlog::ui
