// Charts for the dashboards, drawn with ImGui's draw list (no chart library): bars, a line over
// time, and a sparkline. Each takes plain series from a view-model (view.h) and labels already
// in the UI's language; sizes follow the font size (the display scale and the user's text
// size), and hovering a bar or a point shows its exact value in a tooltip.
//
// A chart is one ImGui item (hover, scrolling and probes treat it as one), recorded as the probe
// `id`; each bar or point is also a probe "`id`/<index>" so headless tests can point at it.
// Drawing allocates nothing per frame (text is formatted into stack buffers).
//
// Thread safety: the UI thread only, like ImGui itself.
#pragma once

#include <imgui.h>

#include <span>
#include <string>
#include <string_view>

namespace mentorlog::ui {

struct ChartOptions {
  const char* value_format = "%.0f";  // printf format of one float: tooltips and the axis
  float min = 0;                      // the axis' bottom
  float max = 0;                      // the axis' top; <= min: the largest value (at least min + 1)
  const char* axis_title = nullptr;   // drawn above the chart ("Contacts"); null: none
  bool decimal_comma = false;         // "1,50" (Russian) rather than "1.50"
};

// A chart's size: `size.x` <= 0 takes the width left on the line; `size.y` <= 0 is eight text
// lines. ChartHeight(lines) is `lines` text lines at the current font size.
float ChartHeight(float lines);

// One bar per value, labelled below (labels thinned when they would overlap). `labels` and
// `details` may be shorter than `values` (missing ones are blank); a hovered bar's tooltip is
// "label: value", then its detail line if any.
void BarChart(const char* id, std::span<const float> values, std::span<const std::string> labels, ImVec2 size,
              const ChartOptions& options = {}, std::span<const std::string> details = {});

// A line through the values with a dot on each, labelled below like BarChart; the hovered
// point's tooltip is "label: value".
void LineChart(const char* id, std::span<const float> values, std::span<const std::string> labels, ImVec2 size,
               const ChartOptions& options = {});

// A small line with no axes, for a row of a table (size.y <= 0: one text line); the last value
// is marked. Hover shows "label: value" of the nearest point.
void Sparkline(const char* id, std::span<const float> values, std::span<const std::string> labels, ImVec2 size,
               const ChartOptions& options = {});

// A share (0..1) as a filled bar against its target (a tick; `target` < 0: none), for a row of
// a table; size.y <= 0 is one text line.
void ShareBar(const char* id, float share, float target, ImVec2 size, ImU32 fill);

// The text of the tooltip a chart showed in the latest frame ("" when none), for tests.
std::string_view ChartTooltipShown();

}  // namespace mentorlog::ui
