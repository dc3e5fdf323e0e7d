// Forms (ui/state.h) to records and back.
//
// SaveForm writes a form as its record, the record's new recommendations (source = the record,
// created_on = its date), the checks of open recommendations (status moves through
// Records::AdvanceRecommendation; "done" at a visit sets verified_visit_id = the visit) and, for
// an observation, one ObservationScore per criterion (level -1 = not observed), all in one
// Records::InTransaction: either everything is written or nothing is.
//
// A new form carries the id its record will have (a UUIDv7 the caller made before its first
// draft; form_codec.cpp), so the draft and the record share it. An empty id makes a new one.
//
// Errors: InvalidInput from the core's validation (its message, in the store's language, is
// kept as it is) or for a typed date or number that is not one (view.error.* texts); NotFound
// or Conflict from the store (a deleted record, a status moving backwards); IoError.
//
// Thread safety: free functions; the store is shared as its faces allow.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/store/records.h"
#include "mentorlog/ui/i18n.h"
#include "mentorlog/ui/state.h"

namespace mentorlog::app {

// A field of a form that a save refused, and why (in both languages).
struct FormFieldError {
  std::string field;  // the field's name in core's field table
  LocalText text;
};

// The id of the saved record (visit, observation, consultation, or the generic form's record).
// `author` is who records it (the visitor, observer or consultant; kept as it is when editing);
// nullopt when nobody is signed in (the core then asks to say who). `ru` and `en`: the UI's
// words, for the messages of what was typed wrong (kept in both languages in the Status).
//
// A RecordForm (ui/state.h) is converted field by field through core's field table
// (FieldCodec<T>::FromText), the fields its spec hides (ui/record_spec.h) saved empty, and
// checked with core's Validate before it is written; when a value cannot be read or validation
// refuses the record, nothing is written, the Status is InvalidInput ("fix the marked fields")
// and `field_errors` (when given) gets one entry per refused field. A network event's
// participants are written in the same transaction: one EventParticipant per teacher added,
// the records of those removed deleted.
//
// `may_coordinate` false (a signed-in mentor or tutor): a record only a coordinator writes
// (sync::CoordinatorOnly, the central store's own rule) is refused with PermissionDenied, in
// words, before anything is written, rather than waiting in the outbox for the server's refusal.
Result<core::Uuid> SaveForm(core::Records& store, const ui::Form& form, const std::optional<core::Uuid>& author,
                            const ui::Translations& ru, const ui::Translations& en,
                            std::vector<FormFieldError>* field_errors = nullptr, bool may_coordinate = true);

// A saved record as its form, for editing: a visit, observation or consultation (its
// recommendations and checks empty: those already written are edited on their own), or a
// record of a kind the generic form covers (every field as text; a network event's
// participants).
// Errors: NotFound when no live record of such a kind has that id.
Result<ui::Form> FormForRecord(const core::Records& store, std::string_view record_id);

// A fresh UUIDv7 (text) for a new form, from `now_millis`.
std::string NewFormId(int64_t now_millis);

}  // namespace mentorlog::app
