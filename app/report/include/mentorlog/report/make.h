// Each report from the store to a file in one call: what mentorlog-cli's `report` commands and
// the app's report buttons both do. Everything comes from the device's store (offline).
//
// Thread safety: reads through the Store's lock; no shared state.
#pragma once

#include <filesystem>
#include <string_view>

#include "mentorlog/domain/dashboard.h"
#include "mentorlog/domain/types.h"
#include "mentorlog/store/records.h"

namespace mentorlog::report {

// The teacher's feedback sheet of one observation (PDF). Errors: NotFound for an unknown
// observation; CheckOutputPath's and WriteFileAtomically's; a missing font (NotFound).
Status MakeFeedbackPdf(const core::Records& store, const core::Uuid& observation_id, const std::filesystem::path& out,
                       const std::filesystem::path& assets_dir, Language language);

// A teacher's individual educational route (ИОМ, PDF), as of the store's today. Errors:
// NotFound when the teacher has no route item; CheckOutputPath's and WriteFileAtomically's; a
// missing font (NotFound).
Status MakeTeacherRoutePdf(const core::Records& store, const core::Person& teacher, const std::filesystem::path& out,
                           const std::filesystem::path& assets_dir, Language language);

// A school's one-page progress report (PDF), as of the store's today.
Status MakeSchoolProgressPdf(const core::Records& store, const core::School& school, const std::filesystem::path& out,
                             const std::filesystem::path& assets_dir, Language language);

// A school's full log (XLSX, or with `csv` a folder of one <table>.csv per table).
Status MakeSchoolLog(const core::Records& store, const core::School& school, const std::filesystem::path& out, bool csv,
                     Language language);

// The district view of every school in the store (XLSX, or with `csv` a folder of CSV files).
Status MakeDistrictView(const core::Records& store, const std::filesystem::path& out, bool csv,
                        const std::filesystem::path& assets_dir, Language language);

// The same two from a dashboard already refreshed (the app's dashboard thread keeps one): no
// store is read again.
Status WriteSchoolProgressPdf(const core::SchoolProgress& progress, core::Date today, const std::filesystem::path& out,
                              const std::filesystem::path& assets_dir, Language language);
Status WriteDistrictView(const core::DistrictView& view, const std::filesystem::path& out, bool csv, Language language);

}  // namespace mentorlog::report
