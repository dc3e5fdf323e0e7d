// Pieces the forms share: new recommendations, and the save/cancel row.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/ui/action.h"
#include "mentorlog/ui/i18n.h"
#include "mentorlog/ui/view.h"

namespace mentorlog::ui {

// The "new recommendations" section: each with text, owner, due date and teacher. True when
// the user changed something.
bool DrawNewRecommendations(std::vector<NewRecommendation>& recs, const FormOptions& options, const Translations& t,
                            const std::string& probe_prefix);

// The reason the last save refused `field` (core's field name), under the widget just drawn,
// probed as "<probe_prefix>.error/<field>"; nothing once the user has edited the field since
// (state.fixed_fields). `edited`: the widget changed this frame.
void FieldError(const std::vector<FieldErrorView>& errors, std::string_view field, bool edited, UiState& state,
                const std::string& probe_prefix);
// The reasons for fields the form does not show (who observed; the school), one a line.
void OtherErrors(const std::vector<FieldErrorView>& errors, std::initializer_list<std::string_view> shown,
                 const std::string& probe_prefix);

// Save, and "close" (which keeps a draft). Pushes SaveForm; returns true when close was asked.
bool DrawFormButtons(const Form& form, UiState& state, const Translations& t, Actions& out,
                     const std::string& probe_prefix);

}  // namespace mentorlog::ui
