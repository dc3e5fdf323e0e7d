// The reports the app makes (ui::MakeReport): each written into `dir` with the report library
// (app/report), from the device's store alone, so they work with no signal.
#pragma once

#include <filesystem>
#include <string_view>

#include "mentorlog/domain/dashboard.h"
#include "mentorlog/store/records.h"
#include "mentorlog/ui/action.h"

namespace mentorlog::app {

// Writes the report and returns its path: `dir`/feedback-<date>-<teacher>.pdf,
// school-<date>-<school>.pdf|xlsx, district-<date>.xlsx (an existing file is replaced).
// The district workbook and the school's PDF take their figures from `dashboard` (refreshed
// to the store's today) when given, else from a dashboard fed the whole store.
// Errors: the report library's (NotFound for an unknown observation or school, InvalidInput
// for a folder that cannot be written). The report is in `language`.
Result<std::filesystem::path> WriteReport(const core::Records& store, const ui::MakeReport& request,
                                          const std::filesystem::path& dir, const std::filesystem::path& assets_dir,
                                          Language language, const core::Dashboard* dashboard = nullptr);

// Whether the report is made of the dashboards' figures (then the app makes it on its
// dashboard thread, from the Dashboard that thread keeps).
bool UsesDashboard(ui::ReportKind kind);

}  // namespace mentorlog::app
