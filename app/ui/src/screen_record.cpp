// The generic record form: any programme instrument (record_spec.h) drawn from its field
// table, each refused field's reason under it; a network event's participants as a filterable
// checklist of teachers grouped by school. And the lists of such records the school, teacher and
// Today screens show (DrawRecordRows).
#include <imgui.h>

#include <algorithm>
#include <string>

#include "form_parts.h"
#include "mentorlog/ui/record_spec.h"
#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {
namespace {

// The choices of a grouped list whose group is `group` (all of them when `group` is empty).
std::vector<Choice> InGroup(const std::vector<GroupedChoice>& all, const std::string& group) {
  std::vector<Choice> out;
  for (const GroupedChoice& c : all) {
    if (group.empty() || c.group == group) out.push_back({c.code, c.label});
  }
  return out;
}

// `s` in lower case: ASCII and Cyrillic (А-Я, Ё), so "сидор" finds "Сидорова".
std::string Lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (c == 0xD0 && i + 1 < s.size()) {
      const auto n = static_cast<unsigned char>(s[i + 1]);
      if (n >= 0x90 && n <= 0x9F) {  // А-П -> а-п
        out += '\xD0';
        out += static_cast<char>(n + 0x20);
      } else if (n >= 0xA0 && n <= 0xAF) {  // Р-Я -> р-я
        out += '\xD1';
        out += static_cast<char>(n - 0x20);
      } else if (n == 0x81) {  // Ё -> ё
        out += "\xD1\x91";
      } else {
        out += static_cast<char>(c);
        out += static_cast<char>(n);
      }
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

bool FoldedContains(const std::string& haystack, const std::string& needle) {
  if (needle.empty()) return true;
  return Lower(haystack).find(Lower(needle)) != std::string::npos;
}

// The participants' checklist: teachers grouped by school, narrowed by a filter (a name or a
// school), each group with "all" and "none".
bool DrawParticipants(const RecordOptions& options, RecordForm& form, UiState& state, const Translations& t) {
  bool changed = false;
  Heading(t.Format("record.participants", {std::to_string(form.participants.size())}).c_str());
  TextField(t("record.participants_filter"), &state.participant_filter, "record.participants.filter");
  auto chosen = [&](const std::string& id) {
    return std::find(form.participants.begin(), form.participants.end(), id) != form.participants.end();
  };
  const float height = ImGui::GetTextLineHeightWithSpacing() * (CurrentLayout().narrow ? 12.0f : 16.0f);
  ImGui::BeginChild("participants", ImVec2(0, height), true);
  size_t i = 0;
  const std::vector<GroupedChoice>& all = options.teachers;
  while (i < all.size()) {
    size_t end = i;
    while (end < all.size() && all[end].group == all[i].group) ++end;
    const bool school_matches = FoldedContains(all[i].group_label, state.participant_filter);
    std::vector<size_t> shown;
    for (size_t k = i; k < end; ++k) {
      if (school_matches || FoldedContains(all[k].label, state.participant_filter)) shown.push_back(k);
    }
    if (!shown.empty()) {
      ImGui::PushID(all[i].group.c_str());
      ImGui::TextWrapped("%s", all[i].group_label.c_str());
      const std::string group_probe = "record.participants.all/" + all[i].group;
      if (ImGui::SmallButton((std::string(t("record.participants_all")) + "##all").c_str())) {
        for (size_t k : shown) {
          if (!chosen(all[k].code)) form.participants.push_back(all[k].code);
        }
        changed = true;
      }
      Probe(group_probe);
      ImGui::SameLine();
      if (ImGui::SmallButton((std::string(t("record.participants_none")) + "##none").c_str())) {
        for (size_t k : shown) {
          std::erase(form.participants, all[k].code);
        }
        changed = true;
      }
      Probe("record.participants.none/" + all[i].group);
      for (size_t k : shown) {
        bool on = chosen(all[k].code);
        const std::string probe = "record.participant/" + all[k].code;
        if (ImGui::Checkbox((all[k].label + "##" + probe).c_str(), &on)) {
          if (on) {
            form.participants.push_back(all[k].code);
          } else {
            std::erase(form.participants, all[k].code);
          }
          changed = true;
        }
        Probe(probe);
      }
      ImGui::PopID();
    }
    i = end;
  }
  ImGui::EndChild();
  return changed;
}

}  // namespace

void DrawRecordForm(const RecordOptions& options, const std::vector<FieldErrorView>& errors, RecordForm& form,
                    UiState& state, const Translations& t, Actions& out) {
  const RecordSpec* spec = FindRecordSpec(form.kind);
  ImGui::TextWrapped("%s", RecordKindLabel(t, form.kind));
  if (spec == nullptr) {
    Muted(t("record.unknown_kind"));
    if (DrawFormButtons(form, state, t, out, "record")) CloseForm(state, out);
    return;
  }
  bool changed = false;
  for (const FieldSpec& f : spec->fields) {
    const std::string name(f.name);
    // A new form's dates start at today (once the options have arrived).
    if (f.initial == "today" && form.Get(name).empty() && !options.today.empty()) form.values[name] = options.today;
    if (!FieldShown(f, form)) continue;
    ImGui::PushID(name.c_str());
    const char* label = RecordFieldLabel(t, form.kind, name);
    const std::string probe = "record." + name;
    std::string& value = form.values[name];
    const std::string before = value;
    const char* none = f.optional ? t("record.none") : nullptr;
    switch (f.widget) {
      case FieldWidget::kText:
      case FieldWidget::kNumber:
        changed |= TextField(label, &value, probe);
        break;
      case FieldWidget::kMultiline:
        changed |= TextField(label, &value, probe, 3);
        break;
      case FieldWidget::kDate:
        changed |= TextField(label, &value, probe);
        Muted(t("record.date_hint"));
        break;
      case FieldWidget::kYesNo: {
        bool on = value == "1";
        if (CheckField(label, &on, probe)) {
          value = on ? "1" : "0";
          changed = true;
        }
        break;
      }
      case FieldWidget::kChoice: {
        static const std::vector<Choice> kNone;
        auto it = options.vocabularies.find(form.kind + "." + name);
        changed |= ChoiceField(label, &value, it == options.vocabularies.end() ? kNone : it->second, probe, none);
        break;
      }
      case FieldWidget::kChoices: {
        static const std::vector<Choice> kNone;
        auto it = options.vocabularies.find(form.kind + "." + name);
        std::vector<std::string> codes;
        for (size_t at = 0; at < value.size();) {
          const size_t nl = std::min(value.find('\n', at), value.size());
          if (nl > at) codes.push_back(value.substr(at, nl - at));
          at = nl + 1;
        }
        if (MultiChoiceField(label, &codes, it == options.vocabularies.end() ? kNone : it->second, probe)) {
          changed = true;
          value.clear();
          for (const std::string& c : codes) value += (value.empty() ? "" : "\n") + c;
        }
        break;
      }
      case FieldWidget::kSchool:
        changed |= ChoiceField(label, &value, options.schools, probe, none);
        break;
      case FieldWidget::kPerson:
        changed |= ChoiceField(label, &value, options.people, probe, none);
        break;
      case FieldWidget::kTeacher: {
        // A school's teachers: the school the field follows, else the one the form is for.
        const std::string& school = f.filter_by.empty() ? form.school_id : form.Get(std::string(f.filter_by));
        changed |= ChoiceField(label, &value, InGroup(options.teachers, school), probe, none);
        break;
      }
      case FieldWidget::kDeficit:
        changed |=
            ChoiceField(label, &value, InGroup(options.deficits, form.Get(std::string(f.filter_by))), probe, none);
        break;
    }
    if (value != before) state.fixed_fields.insert(name);
    for (const FieldErrorView& e : errors) {
      if (e.field != name || state.fixed_fields.count(name) != 0) continue;  // gone once the field is edited
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1));
      ImGui::TextWrapped("%s", e.text.c_str());
      ImGui::PopStyleColor();
      Probe("record.error/" + name);
    }
    ImGui::PopID();
  }
  // Errors of fields the form does not show (a rule about the record as a whole).
  for (const FieldErrorView& e : errors) {
    const bool shown = std::any_of(spec->fields.begin(), spec->fields.end(),
                                   [&](const FieldSpec& f) { return f.name == e.field && FieldShown(f, form); });
    if (shown) continue;
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1));
    ImGui::TextWrapped("%s", e.text.c_str());
    ImGui::PopStyleColor();
    Probe("record.error/" + e.field);
  }
  if (spec->participants) changed |= DrawParticipants(options, form, state, t);
  if (changed) state.Touch(ImGui::GetTime());
  if (DrawFormButtons(form, state, t, out, "record")) CloseForm(state, out);
}

void DrawRecordRows(const std::string& probe_prefix, const std::vector<RecordRow>& rows, const Translations& t,
                    Actions& out) {
  if (rows.empty()) Muted(t("school.none"));
  for (const RecordRow& r : rows) {
    ImGui::PushID(r.id.c_str());
    // Wrapped lines, so a long title stays readable on a phone; a click anywhere on the row
    // opens the record in its form.
    ImGui::BeginGroup();
    if (r.overdue) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1));
    ImGui::TextWrapped("%s", ((r.date.empty() ? "" : r.date + "  ") + r.title).c_str());
    if (r.overdue) ImGui::PopStyleColor();
    std::string meta = r.detail;
    if (!r.status.empty()) meta += (meta.empty() ? "" : " · ") + r.status;
    if (r.overdue) meta += (meta.empty() ? "" : " · ") + std::string(t("record.overdue"));
    if (!meta.empty()) Muted(meta.c_str());
    ImGui::EndGroup();
    if (ImGui::IsItemHovered()) {
      ImGui::GetWindowDrawList()->AddRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
                                          ImGui::GetColorU32(ImGuiCol_ButtonHovered));
      if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) out.push_back(OpenRecord{r.id});
    }
    Probe(probe_prefix + "/" + r.id);
    ImGui::Separator();
    ImGui::PopID();
  }
}

}  // namespace mentorlog::ui
