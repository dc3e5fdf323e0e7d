// The dashboards' view-model (ui::DashboardView) from a refreshed core::Dashboard: plain copies
// of its figures, formatted in the UI's language, with the rubric's words for criterion codes.
// The figures themselves are the core's (core/dashboard.h, docs/metrics.md); nothing is
// computed here but shares as percentages and labels.
//
// Thread safety: a pure function; call it on the thread that owns the Dashboard (the
// controller's dashboard thread).
#pragma once

#include <map>
#include <string>

#include "mentorlog/app/view_builder.h"
#include "mentorlog/domain/dashboard.h"
#include "mentorlog/store/records.h"
#include "mentorlog/ui/view.h"

namespace mentorlog::app {

// What the rubric templates in the store say about the figures: each criterion code's title in
// `language`, from the newest version that has it (a code no rubric has is shown as itself), and
// the highest level of any rubric (3 when there is none).
struct RubricWords {
  std::map<std::string, std::string> titles;
  int64_t max_level = 3;
};
RubricWords LoadRubricWords(const core::Records& store, Language language);

// REQUIRES: dashboard.Refresh() was called; ctx.tr set.
ui::DashboardView BuildDashboardView(const core::Dashboard& dashboard, const core::DashboardConfig& config,
                                     const RubricWords& rubrics, const BuildContext& ctx);

}  // namespace mentorlog::app
