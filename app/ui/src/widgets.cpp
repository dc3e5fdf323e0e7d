#include "mentorlog/ui/widgets.h"

#include <imgui_stdlib.h>

#include <algorithm>

#include "mentorlog/ui/state.h"

namespace mentorlog::ui {
namespace {

struct ProbeTable {
  bool enabled = false;
  std::map<std::string, ProbeRect, std::less<>> rects;
};

ProbeTable& Probes() {
  static ProbeTable table;  // the UI thread's; tests enable it
  return table;
}

Layout& CurrentLayoutRef() {
  static Layout layout;
  return layout;
}

// "label##probe": the label shown, the probe id keeps the ImGui id unique and stable.
std::string Id(const char* label, std::string_view probe_id) {
  std::string id(label);
  id += "##";
  id += probe_id;
  return id;
}

float FieldWidth() { return -FLT_MIN; }

}  // namespace

void EnableProbes(bool on) { Probes().enabled = on; }
void BeginProbeFrame() { Probes().rects.clear(); }

std::optional<ProbeRect> FindProbe(std::string_view id) {
  const auto& rects = Probes().rects;
  auto it = rects.find(id);
  if (it == rects.end()) return std::nullopt;
  return it->second;
}

void Probe(std::string_view id) {
  if (!Probes().enabled || !ImGui::IsItemVisible()) return;
  Probes().rects[std::string(id)] = ProbeRect{ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
}

void ProbeArea(std::string_view id, ImVec2 min, ImVec2 max) {
  if (!Probes().enabled) return;
  Probes().rects[std::string(id)] = ProbeRect{min, max};
}

bool ProbesEnabled() { return Probes().enabled; }

Layout CurrentLayout() { return CurrentLayoutRef(); }
void SetLayout(const Layout& layout) { CurrentLayoutRef() = layout; }

bool Button(const char* label, std::string_view probe_id) {
  const Layout& l = CurrentLayoutRef();
  const bool clicked = ImGui::Button(Id(label, probe_id).c_str(), ImVec2(l.narrow ? -FLT_MIN : 0, l.row_height));
  Probe(probe_id);
  return clicked;
}

bool RowButton(const char* label, std::string_view probe_id, int index, int count) {
  const Layout& l = CurrentLayoutRef();
  if (index > 0) ImGui::SameLine();
  float width = 0;
  if (l.narrow) {
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float line = ImGui::GetWindowContentRegionMax().x - ImGui::GetWindowContentRegionMin().x;
    width = (line - spacing * static_cast<float>(count - 1)) / static_cast<float>(count);
  }
  // Narrow buttons keep their height but give their sides to the label ("Рекомендации").
  if (l.narrow) ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(2, ImGui::GetStyle().FramePadding.y));
  const bool clicked = ImGui::Button(Id(label, probe_id).c_str(), ImVec2(width, l.row_height));
  if (l.narrow) ImGui::PopStyleVar();
  Probe(probe_id);
  return clicked;
}

bool PrimaryButton(const char* label, std::string_view probe_id) {
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.16f, 0.45f, 0.75f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.22f, 0.53f, 0.85f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImVec4(0.12f, 0.38f, 0.65f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  const bool clicked = Button(label, probe_id);
  ImGui::PopStyleColor(4);
  return clicked;
}

bool TextField(const char* label, std::string* value, std::string_view probe_id, int lines) {
  ImGui::TextWrapped("%s", label);  // a long label on a phone
  ImGui::SetNextItemWidth(FieldWidth());
  const std::string id = "##" + std::string(probe_id);
  bool changed = false;
  if (lines > 1) {
    const float height = ImGui::GetTextLineHeight() * static_cast<float>(lines) + ImGui::GetStyle().FramePadding.y * 2;
    changed = ImGui::InputTextMultiline(id.c_str(), value, ImVec2(-FLT_MIN, height));
  } else {
    changed = ImGui::InputText(id.c_str(), value);
  }
  Probe(probe_id);
  return changed;
}

bool ChoiceField(const char* label, std::string* code, const std::vector<Choice>& choices, std::string_view probe_id,
                 const char* none_label) {
  ImGui::TextWrapped("%s", label);  // a long label on a phone
  ImGui::SetNextItemWidth(FieldWidth());
  const auto current = std::find_if(choices.begin(), choices.end(), [&](const Choice& c) { return c.code == *code; });
  const char* preview = current != choices.end() ? current->label.c_str() : (none_label ? none_label : "");
  bool changed = false;
  const std::string id = "##" + std::string(probe_id);
  if (ImGui::BeginCombo(id.c_str(), preview)) {
    if (none_label != nullptr && ImGui::Selectable(none_label, code->empty())) {
      code->clear();
      changed = true;
    }
    for (const Choice& c : choices) {
      ImGui::PushID(c.code.c_str());
      if (ImGui::Selectable(c.label.c_str(), c.code == *code)) {
        *code = c.code;
        changed = true;
      }
      Probe(std::string(probe_id) + "/" + c.code);
      ImGui::PopID();
    }
    ImGui::EndCombo();
  }
  Probe(probe_id);
  return changed;
}

bool MultiChoiceField(const char* label, std::vector<std::string>* codes, const std::vector<Choice>& choices,
                      std::string_view probe_id) {
  ImGui::TextUnformatted(label);
  bool changed = false;
  for (const Choice& c : choices) {
    bool on = std::find(codes->begin(), codes->end(), c.code) != codes->end();
    const std::string item = std::string(probe_id) + "/" + c.code;
    if (ImGui::Checkbox(Id(c.label.c_str(), item).c_str(), &on)) {
      if (on) {
        codes->push_back(c.code);
      } else {
        codes->erase(std::remove(codes->begin(), codes->end(), c.code), codes->end());
      }
      changed = true;
    }
    Probe(item);
  }
  return changed;
}

bool CheckField(const char* label, bool* value, std::string_view probe_id) {
  const bool changed = ImGui::Checkbox(Id(label, probe_id).c_str(), value);
  Probe(probe_id);
  return changed;
}

void Heading(const char* text) {
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.55f, 0.75f, 1.0f, 1.0f));
  ImGui::TextWrapped("%s", text);  // a long heading on a phone
  ImGui::PopStyleColor();
  ImGui::Separator();
}

void Muted(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

void Warning(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, kWarningColour);
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

}  // namespace mentorlog::ui
