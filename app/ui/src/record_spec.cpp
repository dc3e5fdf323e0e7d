// The generic record form's fields per kind (record_spec.h).
#include "mentorlog/ui/record_spec.h"

#include <array>

namespace mentorlog::ui {
namespace {

using W = FieldWidget;

constexpr std::array kAgreement = {
    FieldSpec{"number", W::kText},
    FieldSpec{"signed_on", W::kDate, {}, {}, {}, false, "today"},
    FieldSpec{"supported_school_id", W::kSchool},
    FieldSpec{"partner_kind", W::kChoice, {}, {}, {}, false, "school"},
    FieldSpec{"leader_school_id", W::kSchool, "partner_kind", "school"},
    FieldSpec{"partner_name", W::kText, "partner_kind", "institution"},
    FieldSpec{"model", W::kChoice, {}, {}, {}, false, "horizontal"},
    FieldSpec{"status", W::kChoice, {}, {}, {}, false, "active"},
    FieldSpec{"ends_on", W::kDate, {}, {}, {}, true},
    FieldSpec{"subject", W::kMultiline},
    FieldSpec{"milestones", W::kMultiline},
};

constexpr std::array kRoadmap = {
    FieldSpec{"title", W::kText},
    FieldSpec{"level", W::kChoice, {}, {}, {}, false, "school"},
    FieldSpec{"school_id", W::kSchool, "level", "school"},
    FieldSpec{"starts_on", W::kDate, {}, {}, {}, false, "today"},
    FieldSpec{"ends_on", W::kDate, {}, {}, {}, false, "today"},
    FieldSpec{"responsible", W::kText},
    FieldSpec{"participants", W::kMultiline},
    FieldSpec{"planned_result", W::kMultiline},
    FieldSpec{"status", W::kChoice, {}, {}, {}, false, "planned"},
    FieldSpec{"done_on", W::kDate, {}, {}, {}, true},
    FieldSpec{"evidence", W::kMultiline},
    FieldSpec{"report", W::kMultiline},
};

constexpr std::array kDeficit = {
    FieldSpec{"teacher_id", W::kTeacher},
    FieldSpec{"area", W::kText},
    FieldSpec{"found_on", W::kDate, {}, {}, {}, false, "today"},
    FieldSpec{"found_by", W::kChoice, {}, {}, {}, false, "observation"},
    FieldSpec{"remedy", W::kChoice, {}, {}, {}, false, "tutor_sessions"},
    FieldSpec{"notes", W::kMultiline},
    FieldSpec{"closed_on", W::kDate, {}, {}, {}, true},
    FieldSpec{"closed_by", W::kText},
};

constexpr std::array kRoute = {
    FieldSpec{"teacher_id", W::kTeacher},
    FieldSpec{"deficit_id", W::kDeficit, {}, {}, "teacher_id", true},
    FieldSpec{"activity", W::kChoice, {}, {}, {}, false, "course"},
    FieldSpec{"title", W::kText},
    FieldSpec{"starts_on", W::kDate, {}, {}, {}, false, "today"},
    FieldSpec{"due_on", W::kDate},
    FieldSpec{"status", W::kChoice, {}, {}, {}, false, "planned"},
    FieldSpec{"done_on", W::kDate, {}, {}, {}, true},
    FieldSpec{"result", W::kMultiline},
};

constexpr std::array kTraining = {
    FieldSpec{"teacher_id", W::kTeacher}, FieldSpec{"kind", W::kChoice, {}, {}, {}, false, "qualification"},
    FieldSpec{"title", W::kText},         FieldSpec{"provider", W::kText},
    FieldSpec{"hours", W::kNumber},       FieldSpec{"starts_on", W::kDate},
    FieldSpec{"ends_on", W::kDate},       FieldSpec{"certificate", W::kText},
};

constexpr std::array kEvent = {
    FieldSpec{"title", W::kText},
    FieldSpec{"kind", W::kChoice, {}, {}, {}, false, "seminar"},
    FieldSpec{"organiser_school_id", W::kSchool, {}, {}, {}, true},
    FieldSpec{"held_on", W::kDate, {}, {}, {}, false, "today"},
    FieldSpec{"report", W::kMultiline},
};

constexpr std::array kPlan = {
    FieldSpec{"person_id", W::kPerson},
    FieldSpec{"activity", W::kChoice, {}, {}, {}, false, "visit"},
    FieldSpec{"school_id", W::kSchool},
    FieldSpec{"teacher_id", W::kTeacher, {}, {}, "school_id", true},
    FieldSpec{"planned_on", W::kDate, {}, {}, {}, false, "today"},
    FieldSpec{"title", W::kText},
    FieldSpec{"done_on", W::kDate, {}, {}, {}, true},
};

constexpr std::array kAssignment = {
    FieldSpec{"kind", W::kChoice, {}, {}, {}, false, "mentor_school"},
    FieldSpec{"assignee_id", W::kPerson},
    FieldSpec{"school_id", W::kSchool},
    FieldSpec{"teacher_id", W::kTeacher, "kind", "tutor_teacher", "school_id"},
    FieldSpec{"subject", W::kText, "kind", "tutor_school_subject"},
    FieldSpec{"starts_on", W::kDate, {}, {}, {}, false, "today"},
    FieldSpec{"ends_on", W::kDate, {}, {}, {}, true},
};

constexpr std::array kRound = {
    FieldSpec{"name", W::kText},
    FieldSpec{"kind", W::kChoice, {}, {}, {}, false, "entry"},
    FieldSpec{"starts_on", W::kDate, {}, {}, {}, false, "today"},
    FieldSpec{"ends_on", W::kDate},
};

constexpr std::array kStatusChange = {
    FieldSpec{"school_id", W::kSchool},
    FieldSpec{"changed_on", W::kDate, {}, {}, {}, false, "today"},
    FieldSpec{"statuses", W::kChoices, {}, {}, {}, true},
    FieldSpec{"reason", W::kMultiline},
};

const std::array kSpecs = {
    RecordSpec{"network_agreement", kAgreement},
    RecordSpec{"roadmap_item", kRoadmap},
    RecordSpec{"deficit", kDeficit},
    RecordSpec{"route_item", kRoute},
    RecordSpec{"training", kTraining},
    RecordSpec{"network_event", kEvent, /*participants=*/true},
    RecordSpec{"plan_item", kPlan},
    RecordSpec{"assignment", kAssignment},
    RecordSpec{"monitoring_round", kRound},
    RecordSpec{"status_change", kStatusChange},
};

}  // namespace

std::span<const RecordSpec> RecordSpecs() { return kSpecs; }

const RecordSpec* FindRecordSpec(std::string_view kind) {
  for (const RecordSpec& s : kSpecs) {
    if (s.kind == kind) return &s;
  }
  return nullptr;
}

bool FieldShown(const FieldSpec& field, const RecordForm& form) {
  if (field.shown_if.empty()) return true;
  return form.Get(std::string(field.shown_if)) == field.shown_value;
}

RecordForm NewRecordForm(std::string_view kind, std::map<std::string, std::string> prefill) {
  RecordForm form;
  form.kind = std::string(kind);
  if (const RecordSpec* spec = FindRecordSpec(kind)) {
    for (const FieldSpec& f : spec->fields) {
      if (!f.initial.empty() && f.initial != "today") form.values[std::string(f.name)] = std::string(f.initial);
    }
  }
  for (auto& [name, value] : prefill) form.values[name] = std::move(value);
  return form;
}

const char* RecordFieldLabel(const Translations& t, std::string_view kind, std::string_view field) {
  const std::string own = "record." + std::string(kind) + "." + std::string(field);
  if (t.Has(own)) return t(own);
  return t("record.field." + std::string(field));
}

const char* RecordKindLabel(const Translations& t, std::string_view kind) {
  return t("record.kind." + std::string(kind));
}

}  // namespace mentorlog::ui
