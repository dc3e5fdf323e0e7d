// The generic record form's fields, per kind, as data: one table (record_spec.cpp) says which
// fields each programme instrument's form shows, with which widget, and which show only for a
// choice of another field (an agreement's partner school or institution name). The screen
// (screen_record.cpp) draws any kind from it; the controller (form_apply.cpp) converts the
// values through core's field table and clears the fields the form hides.
//
// A field's label is the UI's words under "record.<kind>.<field>" when that key exists, else
// "record.field.<field>" (RecordFieldLabel).
//
// Thread safety: constant data and pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "mentorlog/ui/i18n.h"
#include "mentorlog/ui/state.h"

namespace mentorlog::ui {

enum class FieldWidget {
  kText,       // one line
  kMultiline,  // a few lines
  kDate,       // YYYY-MM-DD as typed
  kNumber,     // a whole number
  kYesNo,      // "1" / "0"
  kChoice,     // a code of the field's vocabulary (RecordOptions::vocabularies["<kind>.<field>"])
  kChoices,    // codes of the field's vocabulary, one a line (check boxes)
  kSchool,     // a school (RecordOptions::schools)
  kTeacher,    // a teacher (RecordOptions::teachers)
  kPerson,     // a mentor, tutor or coordinator (RecordOptions::people)
  kDeficit,    // one of a teacher's deficits (RecordOptions::deficits)
};

struct FieldSpec {
  std::string_view name;  // the field's name in core's field table (RecordTraits)
  FieldWidget widget = FieldWidget::kText;
  // Shown only while the field `shown_if` holds `shown_value` (a hidden field is saved empty).
  std::string_view shown_if = {};
  std::string_view shown_value = {};
  // For kTeacher and kDeficit: only the choices whose group is the value of this field (a
  // school's teachers, a teacher's deficits).
  std::string_view filter_by = {};
  bool optional = false;  // a choice that may be left empty; a date that may be left blank
  // The value of a new form: a code, or "today" for a date.
  std::string_view initial = {};
};

struct RecordSpec {
  std::string_view kind;  // core's RecordKind code
  std::span<const FieldSpec> fields;
  bool participants = false;  // a network event: the checklist of participating teachers
};

// Every kind the generic form covers, in the order of the issue.
std::span<const RecordSpec> RecordSpecs();
// The spec of `kind`; null when the generic form does not cover it.
const RecordSpec* FindRecordSpec(std::string_view kind);
// Whether `field` is shown for the values `form` holds now.
bool FieldShown(const FieldSpec& field, const RecordForm& form);
// A new form of `kind` with its initial values ("today" dates are left empty: the screen fills
// them from RecordOptions::today) and `prefill` over them.
RecordForm NewRecordForm(std::string_view kind, std::map<std::string, std::string> prefill = {});
// A field's label: the words under "record.<kind>.<field>", else "record.field.<field>".
const char* RecordFieldLabel(const Translations& t, std::string_view kind, std::string_view field);
// The kind's name ("Network agreement"): the words under "record.kind.<kind>".
const char* RecordKindLabel(const Translations& t, std::string_view kind);

}  // namespace mentorlog::ui
