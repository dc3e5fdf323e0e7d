// The dashboards as JSON: the server's /v1/dashboard answers (docs/http-api.md) and the app's
// and the CLI's JSON exports. Dates are "YYYY-MM-DD", shares are numbers 0..1, a figure that
// does not exist (no data) is null, vocabularies are their codes; labels come in `language`.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "mentorlog/domain/dashboard.h"

namespace mentorlog::core {

std::string DistrictViewJson(const DistrictView& view, Language language);
std::string SchoolProgressJson(const SchoolProgress& school, Language language);

}  // namespace mentorlog::core
