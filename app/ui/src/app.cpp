// DrawApp: the frame around the screens.
//
// [SECTION] Ids
// [SECTION] Navigation and shortcuts
// [SECTION] DrawApp
#include <imgui.h>
#include <imgui_internal.h>  // ClearActiveID: Esc leaves a text field keeping its text

#include <chrono>

#include "mentorlog/base/uuid.h"

#include "mentorlog/ui/record_spec.h"
#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace mentorlog::ui {

// -----------------------------------------------------------------------------------------
// [SECTION] Ids
// -----------------------------------------------------------------------------------------

std::string NewRecordId() {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
  return Uuid::MakeV7(ms.count()).ToString();
}

// -----------------------------------------------------------------------------------------
// [SECTION] Navigation and shortcuts
// -----------------------------------------------------------------------------------------

namespace {

Screen ScreenOf(const Form& form) {
  if (std::holds_alternative<VisitForm>(form)) return Screen::kVisit;
  if (std::holds_alternative<ObservationForm>(form)) return Screen::kObservation;
  if (std::holds_alternative<RecordForm>(form)) return Screen::kRecord;
  return Screen::kConsultation;
}

std::string& IdOf(Form& form) {
  return std::visit([](auto& f) -> std::string& { return f.id; }, form);
}

const std::string& SchoolOf(const Form& form) {
  return std::visit([](const auto& f) -> const std::string& { return f.school_id; }, form);
}

bool IsForm(Screen s) {
  return s == Screen::kVisit || s == Screen::kObservation || s == Screen::kConsultation || s == Screen::kRecord;
}

void GoBack(UiState& state) {
  if (state.back.empty()) {
    state.screen = Screen::kToday;
    return;
  }
  state.screen = state.back.back();
  state.back.pop_back();
}

bool CtrlPressed(int key) {
  const ImGuiIO& io = ImGui::GetIO();
  return io.KeyCtrl && ImGui::IsKeyPressed(key, false);
}

}  // namespace

// Leaves the open form: its draft stays (it is listed on Today) unless it was never edited.
void CloseForm(UiState& state, Actions& out) {
  if (state.form && state.dirty) out.push_back(SaveDraft{state.draft_key, *state.form});
  state.form.reset();
  state.dirty = false;
  state.edited = false;
  state.confirm_leave = false;
  GoBack(state);
  if (!state.parked.empty()) {
    UiState::ParkedForm below = std::move(state.parked.back());
    state.parked.pop_back();
    state.screen = ScreenOf(below.form);
    state.draft_key = std::move(below.draft_key);
    state.edited = below.edited;
    state.form = std::move(below.form);
    out.push_back(PrepareForm{SchoolOf(*state.form)});
  }
}

void OpenNewForm(UiState& state, Form form, Actions& out) {
  // Starting a form from inside another (an observation from a visit) parks the first, and
  // keeps it as a draft too.
  if (state.form) {
    if (state.dirty) out.push_back(SaveDraft{state.draft_key, *state.form});
    state.parked.push_back({std::move(*state.form), state.draft_key, state.edited});
    state.form.reset();
  }
  if (IdOf(form).empty()) IdOf(form) = NewRecordId();
  state.draft_key = DraftKey(form);
  state.fixed_fields.clear();
  out.push_back(PrepareForm{SchoolOf(form)});
  if (state.screen != ScreenOf(form)) state.back.push_back(state.screen);
  state.screen = ScreenOf(form);
  state.form = std::move(form);
  state.dirty = false;
  state.edited = false;
  state.participant_filter.clear();
}

void OpenNewRecordForm(UiState& state, std::string_view kind, std::string school_id,
                       std::map<std::string, std::string> prefill, Actions& out) {
  RecordForm form = NewRecordForm(kind, std::move(prefill));
  form.school_id = std::move(school_id);
  OpenNewForm(state, std::move(form), out);
}

// -----------------------------------------------------------------------------------------
// [SECTION] DrawApp
// -----------------------------------------------------------------------------------------

void DrawApp(const AppView& view, UiState& state, const Translations& t, Actions& out) {
  BeginProbeFrame();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  state.width = vp->WorkSize.x;
  Layout layout;
  layout.narrow = state.width < kNarrowWidth;
  layout.row_height = layout.narrow ? ImGui::GetFrameHeight() * 1.8f : 0.0f;
  SetLayout(layout);

  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  // No background: the window fills the viewport, so the program clears to WindowBg instead
  // (one full-screen blended quad less a frame, which a software renderer feels).
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                 ImGuiWindowFlags_NoBackground;
  if (layout.narrow) ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(10, 10));
  ImGui::Begin("MentorLog", nullptr, flags);

  // Version 0: the store is still being opened off this thread; nothing to act on yet.
  if (view.version == 0) {
    Muted(t("app.opening"));
    ImGui::End();
    if (layout.narrow) ImGui::PopStyleVar();
    return;
  }

  // The sync state, always one glance away.
  DrawSyncBar(*view.sync, view.sync_run, state, t, out);

  // Navigation.
  if (state.screen != Screen::kFirstRun) {
    if (!IsForm(state.screen)) {
      // One row of four; on a phone two rows of two large buttons (four in a row would not fit
      // "Рекомендации"). Back on its own.
      const int per_row = layout.narrow ? 2 : 4;
      auto go = [&](Screen to) {
        if (state.screen == to) return;
        state.back.push_back(state.screen);
        state.screen = to;
      };
      if (RowButton(t("nav.today"), "nav.today", 0, per_row)) {
        state.back.clear();
        state.screen = Screen::kToday;
      }
      if (RowButton(t("nav.district"), "nav.district", 1, per_row)) go(Screen::kDistrict);
      if (RowButton(t("nav.recommendations"), "nav.recommendations", 2 % per_row, per_row)) {
        go(Screen::kRecommendations);
      }
      if (RowButton(t("nav.settings"), "nav.settings", 3 % per_row, per_row)) go(Screen::kSettings);
      if (state.screen != Screen::kToday) {
        if (!layout.narrow) ImGui::SameLine();
        if (Button(t("nav.back"), "nav.back")) GoBack(state);
      }
    }
  }
  if (!view.notice.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text,
                          view.notice_is_error ? ImVec4(1.0f, 0.45f, 0.4f, 1) : ImVec4(0.5f, 0.9f, 0.5f, 1));
    ImGui::TextWrapped("%s", view.notice.c_str());
    ImGui::PopStyleColor();
    Probe("notice");
  }
  ImGui::Separator();

  // Shortcuts: Esc leaves a text field, goes back or asks before leaving a form with edits;
  // Ctrl+S saves a form.
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
    if (ImGui::GetIO().WantTextInput && ImGui::GetActiveID() != 0) {
      // Out of the field with what was typed in it: Dear ImGui's own Esc would put back the text
      // the field had when it was entered. Nothing else for this press.
      ImGui::ClearActiveID();
    } else if (state.sync_panel_open) {
      state.sync_panel_open = false;
    } else if (IsForm(state.screen)) {
      if (state.edited) {
        state.confirm_leave = true;
      } else {
        CloseForm(state, out);
      }
    } else if (state.screen != Screen::kToday && state.screen != Screen::kFirstRun) {
      GoBack(state);
    }
  }
  if (state.form && IsForm(state.screen) && CtrlPressed('S')) {
    state.fixed_fields.clear();
    out.push_back(SaveForm{*state.form, state.draft_key});
  }

  // A form the controller has saved closes (its draft is gone with it).
  if (view.saved_form_seq != state.handled_save_seq) {
    state.handled_save_seq = view.saved_form_seq;
    if (state.form && IdOf(*state.form) == view.saved_form_id && IsForm(state.screen)) {
      state.dirty = false;
      CloseForm(state, out);
    }
  }

  if (state.screen != Screen::kSettings) state.settings_edit.reset();

  ImGui::BeginChild("screen", ImVec2(0, 0), false);
  if (state.sync_panel_open) {
    DrawSyncPanel(*view.sync, state, t, out);
  } else {
    switch (state.screen) {
      case Screen::kFirstRun:
        DrawFirstRun(view, state, t, out);
        break;
      case Screen::kToday:
        DrawToday(*view.today, state, t, out);
        break;
      case Screen::kSchool:
        DrawSchool(*view.school, view.dashboard.get(), view.dashboard_computing, state, t, out);
        break;
      case Screen::kTeacher:
        DrawTeacher(*view.teacher, view.dashboard ? view.dashboard->FindTeacher(state.teacher_id) : nullptr, state, t,
                    out);
        break;
      case Screen::kPlan:
        DrawPlan(*view.plan, state, t, out);
        break;
      case Screen::kProgramme:
        DrawProgramme(*view.programme, state, t, out);
        break;
      case Screen::kDistrict:
        DrawDistrict(view.dashboard.get(), view.dashboard_computing, state, t, out);
        break;
      case Screen::kRecommendations:
        DrawRecommendations(*view.recommendations, state, t, out);
        break;
      case Screen::kSettings:
        DrawSettings(*view.settings, state, t, out);
        break;
      case Screen::kVisit:
      case Screen::kObservation:
      case Screen::kConsultation:
      case Screen::kRecord: {
        if (!state.form) {
          GoBack(state);
          break;
        }
        // The fields the last save of this form got wrong, each shown under its field.
        static const std::vector<FieldErrorView> kNoErrors;
        const auto& errors = view.form_errors_id == IdOf(*state.form) ? view.form_errors : kNoErrors;
        if (auto* v = std::get_if<VisitForm>(&*state.form)) DrawVisitForm(*view.form, errors, *v, state, t, out);
        if (auto* o = std::get_if<ObservationForm>(&*state.form)) {
          DrawObservationForm(*view.form, errors, *o, state, t, out);
        }
        if (auto* c = std::get_if<ConsultationForm>(&*state.form)) {
          DrawConsultationForm(*view.form, errors, *c, state, t, out);
        }
        if (auto* r = std::get_if<RecordForm>(&*state.form)) {
          DrawRecordForm(*view.record_options, errors, *r, state, t, out);
        }
        break;
      }
    }
  }
  ImGui::EndChild();

  // "Leave without saving?" A draft is kept either way: leaving never loses what was typed.
  if (state.confirm_leave) ImGui::OpenPopup("confirm_leave");
  if (ImGui::BeginPopupModal("confirm_leave", nullptr,
                             ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) {
    ImGui::TextUnformatted(t("form.leave_question"));
    Muted(t("form.leave_hint"));
    if (PrimaryButton(t("form.save"), "leave.save")) {
      state.fixed_fields.clear();
      out.push_back(SaveForm{*state.form, state.draft_key});
      state.confirm_leave = false;
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (Button(t("form.keep_draft"), "leave.keep_draft")) {
      CloseForm(state, out);
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (Button(t("form.stay"), "leave.stay")) {
      state.confirm_leave = false;
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }

  // Drafts: written at every edit, so neither a closed window nor a killed process loses a
  // keystroke (the store writes one row; Today is rebuilt only when its list of drafts changes).
  if (state.form && state.dirty) {
    out.push_back(SaveDraft{state.draft_key, *state.form});
    state.dirty = false;
  }

  ImGui::End();
  if (layout.narrow) ImGui::PopStyleVar();
}

}  // namespace mentorlog::ui
