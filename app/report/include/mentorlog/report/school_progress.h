// The one-page progress report of a school (core::SchoolProgress) as PDF, for a coordinator's
// meeting or the school's own file.
//
// One A4 page: the school and the date; key figures (days since the last contact, the share
// of teachers observed this school year, recommendations open, overdue and done, completion
// rate and median days to close, the social well-being index); contacts by month for the last
// 12 months as a stacked bar chart (visits, observations, consultations); the ИОР by year with
// its quartile; milestones (transition programme, network agreement, management team
// trained); and the risk flags with their evidence. Lists longer than the page allows are cut
// with "… and N more", so the report is always one page.
//
// Thread safety: no shared state.
#pragma once

#include <string>
#include <string_view>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/dashboard.h"
#include "mentorlog/report/pdf.h"

namespace mentorlog::report {

// The report as PDF bytes in `language`, dated `as_of`. Errors: NotFound for a
// missing font file; Internal when libharu fails.
Result<std::string> RenderSchoolProgressPdf(const core::SchoolProgress& progress, core::Date as_of,
                                            const PdfFonts& fonts, Language language);

}  // namespace mentorlog::report
