// What the screens ask for. A screen pushes Actions; after the frame the controller applies
// them (app/controller), posting slow ones to a worker, and the next AppView shows the result.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "mentorlog/ui/state.h"

namespace mentorlog::ui {

struct OpenSchool {
  std::string school_id;
};
struct OpenTeacher {
  std::string teacher_id;
};
// The district's roadmap and network events (ProgrammeView).
struct OpenProgramme {};
// The work plan of `person_id` ("": mine) for the half-year that holds `day` (ISO; "": today's).
struct OpenPlan {
  std::string person_id;
  std::string day;
};
// The form's options (FormOptions) are for this school; the controller rebuilds them.
struct PrepareForm {
  std::string school_id;
};
// Saves the form as a record (and its recommendations and checks) in one transaction, and
// deletes its draft. On a validation error the form stays open and AppView::notice says why.
struct SaveForm {
  Form form;
  std::string draft_key;
};
// Keeps the form as typed, so a killed app reopens with it.
struct SaveDraft {
  std::string key;
  Form form;
};
struct DiscardDraft {
  std::string key;
};
struct OpenDraft {
  std::string key;
};
// Opens a saved visit, observation or consultation as its form, to correct it (or its draft,
// when an edit of it was left unfinished).
struct OpenRecord {
  std::string record_id;
};
struct FilterRecommendations {
  RecommendationFilter filter;
};
struct StartSync {
  bool automatic = false;  // asked by auto sync, not the user: one try, no retries
};
struct CancelSync {};
// Keeps `value` for the conflict's field (the kept one, the lost one, or a merged text).
struct ResolveConflict {
  std::string conflict_id;
  std::string value;
};
struct DismissConflict {
  std::string conflict_id;
};
struct SignIn {
  std::string server;
  std::string login;
  std::string password;
};
struct WorkOffline {};
struct SignOut {};
struct ChangeSettings {
  SettingsView settings;
};
// A report written into the data folder's reports/ (docs/reports.md); the notice names the file.
enum class ReportKind { kFeedbackPdf, kSchoolPdf, kSchoolXlsx, kDistrictXlsx };
struct MakeReport {
  ReportKind kind = ReportKind::kFeedbackPdf;
  std::string id;  // the observation (feedback) or the school; empty for the district
  // Saved first, and the report made only when the save succeeds (the feedback sheet of the
  // observation being typed).
  std::optional<Form> save_first;
  std::string draft_key;
};

// Closes a monitoring round: its schools' figures are frozen (core's rounds.h); the notice says
// how many.
struct CloseRound {
  std::string round_id;
};

using Action =
    std::variant<OpenSchool, OpenTeacher, OpenPlan, OpenProgramme, PrepareForm, SaveForm, SaveDraft, DiscardDraft,
                 OpenDraft, OpenRecord, FilterRecommendations, StartSync, CancelSync, ResolveConflict, DismissConflict,
                 SignIn, WorkOffline, SignOut, ChangeSettings, MakeReport, CloseRound>;

using Actions = std::vector<Action>;

}  // namespace mentorlog::ui
