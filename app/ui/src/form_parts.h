// Pieces the forms share: new recommendations, and the save/cancel row.
#pragma once

#include <string>
#include <vector>

#include "mentorlog/ui/action.h"
#include "mentorlog/ui/i18n.h"
#include "mentorlog/ui/view.h"

namespace mentorlog::ui {

// The "new recommendations" section: each with text, owner, due date and teacher. True when
// the user changed something.
bool DrawNewRecommendations(std::vector<NewRecommendation>& recs, const FormOptions& options, const Translations& t,
                            const std::string& probe_prefix);

// Save, and "close" (which keeps a draft). Pushes SaveForm; returns true when close was asked.
bool DrawFormButtons(const Form& form, UiState& state, const Translations& t, Actions& out,
                     const std::string& probe_prefix);

}  // namespace mentorlog::ui
