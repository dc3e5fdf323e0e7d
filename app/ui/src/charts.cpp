// Charts drawn with ImDrawList (charts.h).
#include "mentorlog/ui/charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {
namespace {

// The tooltip last shown, and in which frame (ChartTooltipShown).
char g_tooltip[256] = "";
int g_tooltip_frame = -1;

// printf of one float with a format from ChartOptions (the caller's literal).
void FormatValue(char* out, size_t size, const ChartOptions& o, float value) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  std::snprintf(out, size, o.value_format, static_cast<double>(value));
#pragma GCC diagnostic pop
  if (!o.decimal_comma) return;
  for (char* c = out; *c != '\0'; ++c) {
    if (*c == '.' && c > out && c[-1] >= '0' && c[-1] <= '9' && c[1] >= '0' && c[1] <= '9') *c = ',';
  }
}

const std::string* At(std::span<const std::string> list, size_t i) { return i < list.size() ? &list[i] : nullptr; }

void ShowTooltip(const std::string* label, const ChartOptions& o, float value, const std::string* detail) {
  char number[64];
  FormatValue(number, sizeof number, o, value);
  std::snprintf(g_tooltip, sizeof g_tooltip, "%s%s%s", label ? label->c_str() : "", label ? ": " : "", number);
  g_tooltip_frame = ImGui::GetFrameCount();
  ImGui::BeginTooltip();
  ImGui::TextUnformatted(g_tooltip);
  if (detail && !detail->empty()) ImGui::TextUnformatted(detail->c_str());
  ImGui::EndTooltip();
}

struct Plot {
  bool visible = false;
  bool hovered = false;
  ImVec2 min;  // the plotting area, inside the axes
  ImVec2 max;
  float lo = 0;
  float hi = 1;
  float Y(float v) const {
    const float t = std::clamp((v - lo) / (hi - lo), 0.0f, 1.0f);
    return max.y - t * (max.y - min.y);
  }
};

float Top(std::span<const float> values, const ChartOptions& o) {
  if (o.max > o.min) return o.max;
  float top = o.min + 1;
  for (float v : values) top = std::max(top, v);
  return top;
}

// Places the chart as one item, draws the frame, the value axis (bottom, middle, top) and its
// grid lines when `axes`, and leaves room below for the labels.
Plot BeginPlot(const char* id, ImVec2 size, const ChartOptions& o, std::span<const float> values, bool axes) {
  Plot p;
  if (o.axis_title != nullptr) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    ImGui::TextUnformatted(o.axis_title);
    ImGui::PopStyleColor();
  }
  if (size.x <= 0) size.x = std::max(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 4);
  if (size.y <= 0) size.y = axes ? ChartHeight(8) : ImGui::GetTextLineHeight();
  ImGui::PushID(id);
  ImGui::Dummy(size);
  ImGui::PopID();
  Probe(id);
  p.visible = ImGui::IsItemVisible();
  p.hovered = ImGui::IsItemHovered();
  p.min = ImGui::GetItemRectMin();
  p.max = ImGui::GetItemRectMax();
  p.lo = o.min;
  p.hi = Top(values, o);
  if (!axes || !p.visible) return p;

  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 muted = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const ImU32 grid = ImGui::GetColorU32(ImGuiCol_Border);
  const float line = ImGui::GetTextLineHeight();
  char top[64];
  char mid[64];
  char bottom[64];
  FormatValue(top, sizeof top, o, p.hi);
  FormatValue(mid, sizeof mid, o, (p.lo + p.hi) / 2);
  FormatValue(bottom, sizeof bottom, o, p.lo);
  const float axis_w =
      std::max({ImGui::CalcTextSize(top).x, ImGui::CalcTextSize(mid).x, ImGui::CalcTextSize(bottom).x}) +
      ImGui::GetStyle().ItemSpacing.x;
  p.min = ImVec2(p.min.x + axis_w, p.min.y + line * 0.5f);
  p.max = ImVec2(p.max.x, p.max.y - line * 1.25f);
  const char* texts[3] = {bottom, mid, top};
  for (int i = 0; i < 3; ++i) {
    const float y = p.max.y - (p.max.y - p.min.y) * static_cast<float>(i) / 2;
    dl->AddLine(ImVec2(p.min.x, y), ImVec2(p.max.x, y), grid);
    const float w = ImGui::CalcTextSize(texts[i]).x;
    dl->AddText(ImVec2(p.min.x - w - ImGui::GetStyle().ItemSpacing.x / 2, y - line / 2), muted, texts[i]);
  }
  return p;
}

// The labels under `n` slots, thinned so they never overlap; the newest is always shown.
void DrawLabels(const Plot& p, size_t n, std::span<const std::string> labels) {
  if (n == 0 || labels.empty()) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 muted = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const float slot = (p.max.x - p.min.x) / static_cast<float>(n);
  float widest = 0;
  for (size_t i = 0; i < n && i < labels.size(); ++i)
    widest = std::max(widest, ImGui::CalcTextSize(labels[i].c_str()).x);
  const float needed = widest + ImGui::GetStyle().ItemSpacing.x;
  const size_t step = std::max<size_t>(1, static_cast<size_t>(std::ceil(needed / std::max(slot, 1.0f))));
  // From the newest back, so a label pushed in from the right edge still never overlaps.
  float left_of_previous = p.max.x + needed;
  for (size_t k = 0; k < n; k += step) {
    const size_t i = n - 1 - k;
    if (i >= labels.size()) continue;
    const char* text = labels[i].c_str();
    const float w = ImGui::CalcTextSize(text).x;
    float x = p.min.x + slot * (static_cast<float>(i) + 0.5f) - w / 2;
    x = std::clamp(x, p.min.x, std::max(p.min.x, p.max.x - w));
    if (x + w + ImGui::GetStyle().ItemSpacing.x > left_of_previous) continue;
    dl->AddText(ImVec2(x, p.max.y + ImGui::GetTextLineHeight() * 0.2f), muted, text);
    left_of_previous = x;
  }
}

std::string ProbeId(const char* id, size_t i) { return std::string(id) + "/" + std::to_string(i); }

// The point nearest the mouse along x, of `n` points spread over the plot's slots.
int NearestSlot(const Plot& p, size_t n) {
  if (n == 0) return -1;
  const float slot = (p.max.x - p.min.x) / static_cast<float>(n);
  const float x = ImGui::GetIO().MousePos.x - p.min.x;
  const int i = static_cast<int>(std::floor(x / slot));
  return std::clamp(i, 0, static_cast<int>(n) - 1);
}

void LineThrough(const Plot& p, std::span<const float> values, ImU32 colour, float thickness, float dot) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const size_t n = values.size();
  const float slot = (p.max.x - p.min.x) / static_cast<float>(n);
  ImVec2 previous;
  for (size_t i = 0; i < n; ++i) {
    const ImVec2 at(p.min.x + slot * (static_cast<float>(i) + 0.5f), p.Y(values[i]));
    if (i > 0) dl->AddLine(previous, at, colour, thickness);
    if (dot > 0) dl->AddCircleFilled(at, dot, colour, 12);
    previous = at;
  }
}

}  // namespace

float ChartHeight(float lines) { return ImGui::GetTextLineHeightWithSpacing() * lines; }

void BarChart(const char* id, std::span<const float> values, std::span<const std::string> labels, ImVec2 size,
              const ChartOptions& options, std::span<const std::string> details) {
  const Plot p = BeginPlot(id, size, options, values, /*axes=*/true);
  if (!p.visible || values.empty()) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const size_t n = values.size();
  const float slot = (p.max.x - p.min.x) / static_cast<float>(n);
  const float gap = std::max(1.0f, slot * 0.2f);
  const int hovered = p.hovered && ImGui::IsMouseHoveringRect(p.min, ImVec2(p.max.x, p.max.y)) ? NearestSlot(p, n) : -1;
  const ImU32 bar = ImGui::GetColorU32(ImGuiCol_PlotHistogram);
  const ImU32 lit = ImGui::GetColorU32(ImGuiCol_PlotHistogramHovered);
  const bool probes = ProbesEnabled();
  for (size_t i = 0; i < n; ++i) {
    const float x0 = p.min.x + slot * static_cast<float>(i) + gap / 2;
    const float x1 = x0 + slot - gap;
    const ImVec2 a(x0, p.Y(values[i]));
    const ImVec2 b(x1, p.Y(p.lo));
    // A zero still shows as a hairline, so "no contact this month" is seen, not missing.
    dl->AddRectFilled(a, ImVec2(b.x, std::max(b.y, a.y) + (values[i] <= p.lo ? 1.0f : 0.0f)),
                      static_cast<int>(i) == hovered ? lit : bar);
    if (probes) ProbeArea(ProbeId(id, i), ImVec2(x0, p.min.y), ImVec2(x1, p.max.y));
  }
  DrawLabels(p, n, labels);
  if (hovered >= 0) {
    const auto i = static_cast<size_t>(hovered);
    ShowTooltip(At(labels, i), options, values[i], At(details, i));
  }
}

void LineChart(const char* id, std::span<const float> values, std::span<const std::string> labels, ImVec2 size,
               const ChartOptions& options) {
  const Plot p = BeginPlot(id, size, options, values, /*axes=*/true);
  if (!p.visible || values.empty()) return;
  const size_t n = values.size();
  const float thickness = std::max(1.5f, ImGui::GetFontSize() / 8);
  LineThrough(p, values, ImGui::GetColorU32(ImGuiCol_PlotLines), thickness, thickness * 1.6f);
  const float slot = (p.max.x - p.min.x) / static_cast<float>(n);
  if (ProbesEnabled()) {
    for (size_t i = 0; i < n; ++i) {
      ProbeArea(ProbeId(id, i), ImVec2(p.min.x + slot * static_cast<float>(i), p.min.y),
                ImVec2(p.min.x + slot * static_cast<float>(i + 1), p.max.y));
    }
  }
  DrawLabels(p, n, labels);
  if (p.hovered && ImGui::IsMouseHoveringRect(p.min, p.max)) {
    const auto i = static_cast<size_t>(NearestSlot(p, n));
    const ImVec2 at(p.min.x + slot * (static_cast<float>(i) + 0.5f), p.Y(values[i]));
    ImGui::GetWindowDrawList()->AddCircle(at, thickness * 3, ImGui::GetColorU32(ImGuiCol_PlotLinesHovered), 12,
                                          thickness);
    ShowTooltip(At(labels, i), options, values[i], nullptr);
  }
}

void Sparkline(const char* id, std::span<const float> values, std::span<const std::string> labels, ImVec2 size,
               const ChartOptions& options) {
  if (size.x <= 0) size.x = ImGui::GetFontSize() * 6;
  Plot p = BeginPlot(id, size, options, values, /*axes=*/false);
  if (!p.visible || values.empty()) return;
  // A little room so the line and its end dot are not cut by the item's edges.
  const float pad = std::max(2.0f, ImGui::GetFontSize() / 6);
  p.min = ImVec2(p.min.x, p.min.y + pad);
  p.max = ImVec2(p.max.x, p.max.y - pad);
  ChartOptions range = options;
  if (range.max <= range.min) {
    range.min = *std::min_element(values.begin(), values.end());
    range.max = *std::max_element(values.begin(), values.end());
    if (range.max <= range.min) range.max = range.min + 1;
    p.lo = range.min;
    p.hi = range.max;
  }
  const size_t n = values.size();
  const ImU32 colour = ImGui::GetColorU32(ImGuiCol_PlotLines);
  LineThrough(p, values, colour, std::max(1.0f, pad / 2), 0);
  const float slot = (p.max.x - p.min.x) / static_cast<float>(n);
  ImGui::GetWindowDrawList()->AddCircleFilled(
      ImVec2(p.min.x + slot * (static_cast<float>(n) - 0.5f), p.Y(values[n - 1])), pad,
      ImGui::GetColorU32(ImGuiCol_PlotHistogram), 10);
  if (p.hovered) {
    const auto i = static_cast<size_t>(NearestSlot(p, n));
    ShowTooltip(At(labels, i), options, values[i], nullptr);
  }
}

void ShareBar(const char* id, float share, float target, ImVec2 size, ImU32 fill) {
  if (size.x <= 0) size.x = ImGui::GetFontSize() * 8;
  if (size.y <= 0) size.y = ImGui::GetTextLineHeight();
  ImGui::PushID(id);
  ImGui::Dummy(size);
  ImGui::PopID();
  Probe(id);
  if (!ImGui::IsItemVisible()) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float inset = size.y * 0.2f;
  const ImVec2 a(ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y + inset);
  const ImVec2 b(ImGui::GetItemRectMax().x, ImGui::GetItemRectMax().y - inset);
  const float rounding = (b.y - a.y) / 2;
  dl->AddRectFilled(a, b, ImGui::GetColorU32(ImGuiCol_FrameBg), rounding);
  if (share > 0) {
    dl->AddRectFilled(a, ImVec2(a.x + (b.x - a.x) * std::clamp(share, 0.0f, 1.0f), b.y), fill, rounding);
  }
  if (target >= 0) {
    const float x = a.x + (b.x - a.x) * std::clamp(target, 0.0f, 1.0f);
    dl->AddLine(ImVec2(x, a.y - inset), ImVec2(x, b.y + inset), ImGui::GetColorU32(ImGuiCol_Text),
                std::max(1.5f, ImGui::GetFontSize() / 10));
  }
}

std::string_view ChartTooltipShown() {
  if (ImGui::GetCurrentContext() == nullptr || g_tooltip_frame != ImGui::GetFrameCount()) return {};
  return g_tooltip;
}

}  // namespace mentorlog::ui
