// Screens (screens.h): the forms: their options, saves, drafts, and saved records opened again.
#include "mentorlog/app/form_apply.h"
#include "screens.h"
#include "sync_runner.h"

namespace mentorlog::app {
namespace {

std::string KindCode(const ui::Form& form) {
  if (const auto* record = std::get_if<ui::RecordForm>(&form)) return record->kind;
  return form.index() == 0 ? "visit" : form.index() == 1 ? "observation" : "consultation";
}

const char* SavedNoticeKey(const ui::Form& form) {
  switch (form.index()) {
    case 0:
      return "view.notice.visit_saved";
    case 1:
      return "view.notice.observation_saved";
    case 2:
      return "view.notice.consultation_saved";
    default:
      return "view.notice.record_saved";
  }
}

}  // namespace

void Screens::On(const ui::PrepareForm& a) {
  form_school_id_ = a.school_id;
  MarkDirty(kForm);
}

void Screens::On(const ui::SaveForm& a) {
  MarkDirty(kAll);
  const auto ru = texts_.In(Language::kRussian);
  const auto en = texts_.In(Language::kEnglish);
  std::vector<FormFieldError> field_errors;
  auto saved = SaveForm(store_.records(), a.form, PersonId(), ru ? *ru : ui::Translations(),
                        en ? *en : ui::Translations(), &field_errors, Context().may_coordinate);
  form_errors_id_ = std::visit([](const auto& f) { return f.id; }, a.form);
  form_errors_ = std::move(field_errors);
  if (!ShowIfError(saved.status())) return;
  saved_form_id_ = form_errors_id_;
  ++saved_form_seq_;
  sync_.Kick();
  const std::string key = a.draft_key.empty() ? ui::DraftKey(a.form) : a.draft_key;
  if (!ShowIfError(store_.device().DeleteDraft(key))) return;
  Show(Notice::Words(SavedNoticeKey(a.form)));
}

void Screens::On(const ui::SaveDraft& a) {
  core::DraftEntry draft;
  draft.key = a.key.empty() ? ui::DraftKey(a.form) : a.key;
  draft.kind = KindCode(a.form);
  draft.title = DraftTitle(store_.records(), Context(), a.form);
  draft.payload = ui::EncodeForm(a.form);
  // Saved at every keystroke: Today (which lists the drafts, with their title and the minute of
  // the last edit) is rebuilt only when what it shows changes, not at every keystroke.
  auto before = store_.device().Draft(draft.key);
  const bool listed_as_is = before.ok() && *before && (*before)->title == draft.title &&
                            (*before)->updated_millis / 60'000 == clock_.NowMillis() / 60'000;
  if (!ShowIfError(store_.device().SaveDraft(draft))) return;
  if (!listed_as_is) MarkDirty(kToday);
}

void Screens::On(const ui::DiscardDraft& a) {
  ShowIfError(store_.device().DeleteDraft(a.key));
  MarkDirty(kToday);
}

void Screens::On(const ui::OpenDraft& a) {
  MarkDirty(kToday);
  auto draft = store_.device().Draft(a.key);
  if (!ShowIfError(draft.status())) return;
  std::optional<ui::Form> form;
  if (*draft) form = ui::DecodeForm((*draft)->payload);
  if (!form) {
    Show(Notice::Words("view.notice.draft_unreadable", {}, /*is_error=*/true));
    return;
  }
  form_errors_.clear();
  Open(OpenedForm{std::move(*form), a.key});
}

void Screens::On(const ui::OpenRecord& a) {
  auto form = FormForRecord(store_.records(), a.record_id);
  if (!ShowIfError(form.status())) return;
  // An unfinished edit of this record wins over the saved record: nothing typed is lost.
  const std::string key = ui::DraftKey(*form);
  auto draft = store_.device().Draft(key);
  std::optional<ui::Form> edited;
  if (draft.ok() && *draft) edited = ui::DecodeForm((*draft)->payload);
  form_errors_.clear();
  MarkDirty(kForm);
  Open(OpenedForm{edited ? std::move(*edited) : std::move(form).value(), key});
}

}  // namespace mentorlog::app
