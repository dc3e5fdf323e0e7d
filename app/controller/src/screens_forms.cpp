// Screens (screens.h): the forms: their options, saves, drafts, and saved records opened again.
#include "mentorlog/app/form_apply.h"
#include "screens.h"
#include "sync_runner.h"

namespace mentorlog::app {
namespace {

std::string_view KindCode(const ui::Form& form) {
  return form.index() == 0 ? "visit" : form.index() == 1 ? "observation" : "consultation";
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
  auto saved =
      SaveForm(store_.records(), a.form, PersonId(), ru ? *ru : ui::Translations(), en ? *en : ui::Translations());
  if (!ShowIfError(saved.status())) return;
  saved_form_id_ = std::visit([](const auto& f) { return f.id; }, a.form);
  ++saved_form_seq_;
  sync_.Kick();
  const std::string key = a.draft_key.empty() ? ui::DraftKey(a.form) : a.draft_key;
  if (!ShowIfError(store_.device().DeleteDraft(key))) return;
  Show(Notice::Words(a.form.index() == 0   ? "view.notice.visit_saved"
                     : a.form.index() == 1 ? "view.notice.observation_saved"
                                           : "view.notice.consultation_saved"));
}

void Screens::On(const ui::SaveDraft& a) {
  core::DraftEntry draft;
  draft.key = a.key.empty() ? ui::DraftKey(a.form) : a.key;
  draft.kind = std::string(KindCode(a.form));
  draft.title = DraftTitle(store_.records(), Context(), a.form);
  draft.payload = ui::EncodeForm(a.form);
  ShowIfError(store_.device().SaveDraft(draft));
  MarkDirty(kToday);
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
  Open(OpenedForm{edited ? std::move(*edited) : std::move(form).value(), key});
}

}  // namespace mentorlog::app
