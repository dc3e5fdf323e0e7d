// Screens: the controller's owner of forms, saves, drafts, settings and the sections built from
// the store (Today, a school, a teacher, the recommendations, a form's options, the sync's
// stored state, Settings). It runs on its own queue (the worker), one action at a time, in the
// order they came; after the last queued task it rebuilds the sections that changed and
// publishes them as the screens' slice (view_board.h): one rebuild for a burst of actions.
//
// One overload of On per action it handles, in files by area:
//   screens_forms.cpp      PrepareForm, SaveForm, SaveDraft, DiscardDraft, OpenDraft, OpenRecord
//   screens_browse.cpp     OpenSchool, OpenTeacher, OpenPlan, OpenProgramme, FilterRecommendations, ResolveConflict,
//                          DismissConflict
//   screens_settings.cpp   ChangeSettings, WorkOffline, and the settings read at start
//   screens_reports.cpp    MakeReport, CloseRound (both run by the dashboards)
//   screens.cpp            the rebuild, the notice, and what the others share
//
// Thread safety: Take, Tell, Start and TakeOpenedForm may be called from any thread; the rest
// runs on the queue.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mentorlog/app/controller.h"
#include "mentorlog/app/form_apply.h"
#include "mentorlog/app/view_builder.h"
#include "notice.h"
#include "task_queue.h"
#include "ui_texts.h"
#include "view_board.h"

namespace mentorlog::app {

class Dashboards;
class SyncRunner;

class Screens {
 public:
  // Every reference must outlive the Screens. `threaded`: the queue has a thread of its own.
  Screens(core::Store& store, const ControllerOptions& options, const mentorlog::Clock& clock, UiTexts& texts,
          ViewBoard& board, Dashboards& dashboards, SyncRunner& sync, int no_contact_days);

  // Queues `action`, to be handled by its On overload.
  template <class A>
  void Take(const A& action) {
    queue_.Post([this, action] { On(action); });
  }
  // Queues `notice` (from another owner), and a rebuild of every section.
  void Tell(Notice notice);
  // Queues the first task: the saved settings, then the first view.
  void Start();
  // The form an OpenDraft or OpenRecord produced, once.
  std::optional<OpenedForm> TakeOpenedForm();

  TaskQueue& queue() { return queue_; }

 private:
  enum Section : unsigned {
    kToday = 1,
    kSchool = 2,
    kTeacher = 4,
    kRecommendations = 8,
    kForm = 16,
    kSync = 32,
    kSettings = 64,
    kPlan = 128,
    kProgramme = 256,
    kAll = 511,
  };

  // screens_forms.cpp
  void On(const ui::PrepareForm& a);
  void On(const ui::SaveForm& a);
  void On(const ui::SaveDraft& a);
  void On(const ui::DiscardDraft& a);
  void On(const ui::OpenDraft& a);
  void On(const ui::OpenRecord& a);
  // screens_browse.cpp
  void On(const ui::OpenSchool& a);
  void On(const ui::OpenTeacher& a);
  void On(const ui::OpenPlan& a);
  void On(const ui::OpenProgramme& a);
  void On(const ui::FilterRecommendations& a);
  void On(const ui::ResolveConflict& a);
  void On(const ui::DismissConflict& a);
  // screens_settings.cpp
  void On(const ui::ChangeSettings& a);
  void On(const ui::WorkOffline& a);
  void LoadSettings();  // the first task
  // screens_reports.cpp
  void On(const ui::MakeReport& a);
  void On(const ui::CloseRound& a);

  // screens.cpp
  void RebuildAndPublish();  // the queue's idle step
  void Show(Notice notice) { notice_ = std::move(notice); }
  // Shows `error` when it is one; returns whether it was Ok.
  bool ShowIfError(const Status& error);
  void MarkDirty(unsigned sections) { dirty_ |= sections; }
  void Open(OpenedForm form);
  std::optional<core::Uuid> PersonId() const;
  BuildContext Context() const;

  core::Store& store_;
  const ControllerOptions& options_;
  const mentorlog::Clock& clock_;
  UiTexts& texts_;
  ViewBoard& board_;
  Dashboards& dashboards_;
  SyncRunner& sync_;
  const int no_contact_days_;

  // Touched only on the queue.
  std::string school_id_;
  std::string teacher_id_;
  std::optional<ui::OpenPlan> plan_;  // the work plan shown, once opened
  bool programme_open_ = false;       // the district's programme was opened: kept up to date
  std::string form_school_id_;
  ui::RecommendationFilter filter_;
  ui::SettingsView settings_;
  bool work_offline_ = false;  // DeviceSettings::work_offline, as saved
  Notice notice_;
  std::string saved_form_id_;  // the record the last successful SaveForm wrote
  uint64_t saved_form_seq_ = 0;
  std::string form_errors_id_;               // the form the last SaveForm was for
  std::vector<FormFieldError> form_errors_;  // the fields it refused; empty after a success
  ui::AppView last_built_;                   // the sections as last built, reused for those not rebuilt
  unsigned dirty_ = kAll;
  uint64_t seen_change_ = UINT64_MAX;  // Records::LastChange when the dashboards were last asked

  std::mutex opened_mu_;
  std::optional<OpenedForm> opened_;  // GUARDED_BY(opened_mu_)

  TaskQueue queue_;  // last: joined (running what is queued) before the rest goes
};

}  // namespace mentorlog::app
