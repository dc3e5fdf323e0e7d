// The district view (core/dashboard.h) as tables for a workbook or CSV files, and the
// dashboard built from a store, as the CLI needs it.
//
// Tables, in order (name: contents):
//   indicators   the programme indicators: value, target, whether it is met, the value at the
//                end of the previous half-year, numerator and denominator
//   ranking      schools, lagging first: ИОР, quartile, days since contact, overdue
//                recommendations, risk flags, why the school lags
//   no_contact   schools with no contact in the configured number of days (or never)
//   workload     each mentor's and tutor's schools and contacts in the current half-year
//   summary      the date of the view, the previous half-year's end, the results year, counts
//
// Thread safety: pure functions over values; BuildDashboard reads through the Store's lock.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/dashboard.h"
#include "mentorlog/report/table.h"
#include "mentorlog/store/records.h"

namespace mentorlog::report {

// A dashboard over every live record of `store`, refreshed as of `as_of`, with the
// configuration in `assets_dir` (dashboard.toml, indices.toml).
// Errors: LoadDashboardConfig's (NotFound, InvalidInput), the store's.
Result<std::unique_ptr<core::Dashboard>> BuildDashboard(const core::Records& store,
                                                        const std::filesystem::path& assets_dir, core::Date as_of);

// The tables above, in `language`.
std::vector<Table> DistrictTables(const core::DistrictView& view, Language language);

}  // namespace mentorlog::report
