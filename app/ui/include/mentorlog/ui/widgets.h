// The few widgets every screen uses, on top of Dear ImGui: buttons, text fields and choices
// that grow into touch targets in a narrow window, and a **probe** per widget so headless
// tests can find it by a stable id and click it.
//
// A probe id names the thing, not its label: "visit.save", "today.start_visit/<school id>".
// Probes are recorded only while enabled (tests), in a table cleared by BeginProbeFrame().
//
// Thread safety: the UI thread only, like ImGui itself.
#pragma once

#include <imgui.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/ui/view.h"

namespace mentorlog::ui {

struct ProbeRect {
  ImVec2 min;
  ImVec2 max;
  ImVec2 Center() const { return ImVec2((min.x + max.x) / 2, (min.y + max.y) / 2); }
};

void EnableProbes(bool on);
void BeginProbeFrame();
// The rectangle of the widget last drawn under `id` this frame, if it was visible.
std::optional<ProbeRect> FindProbe(std::string_view id);
// Records the last ImGui item under `id` (for widgets drawn with ImGui directly).
void Probe(std::string_view id);
// Records a rectangle drawn by hand (a chart's bar) under `id`.
void ProbeArea(std::string_view id, ImVec2 min, ImVec2 max);
// Whether probes are being recorded (tests, screenshots): callers skip making ids otherwise.
bool ProbesEnabled();

// Layout of this frame: one column with large touch targets below kNarrowWidth (state.h).
struct Layout {
  bool narrow = false;
  float row_height = 0;  // of a button or field
};
Layout CurrentLayout();
void SetLayout(const Layout& layout);

bool Button(const char* label, std::string_view probe_id);
// Button `index` of `count` side by side on one line: on a narrow window they share its width
// equally (large targets, one row instead of `count`), otherwise each is as wide as its label.
bool RowButton(const char* label, std::string_view probe_id, int index, int count);
// The one thing to do on this screen: drawn larger and in the accent colour.
bool PrimaryButton(const char* label, std::string_view probe_id);
// A text field over the whole width; `lines` > 1 makes it multi-line. True when edited.
bool TextField(const char* label, std::string* value, std::string_view probe_id, int lines = 1);
// A drop-down of `choices`; `code` is the chosen Choice::code ("" = none). True when changed.
bool ChoiceField(const char* label, std::string* code, const std::vector<Choice>& choices, std::string_view probe_id,
                 const char* none_label = nullptr);
// Check boxes: `codes` holds the chosen ones. True when changed.
bool MultiChoiceField(const char* label, std::vector<std::string>* codes, const std::vector<Choice>& choices,
                      std::string_view probe_id);
bool CheckField(const char* label, bool* value, std::string_view probe_id);
// A section heading.
void Heading(const char* text);
// Text in the muted colour, wrapped.
void Muted(const char* text);
// The colour of a warning: a rule across records that a record breaks (view.h's `warning`).
inline const ImVec4 kWarningColour{0.95f, 0.65f, 0.15f, 1.0f};
// Text in the warning colour, wrapped.
void Warning(const char* text);

}  // namespace mentorlog::ui
