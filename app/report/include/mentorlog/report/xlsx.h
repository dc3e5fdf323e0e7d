// Tables as an Excel workbook (libxlsxwriter): one worksheet per table, in order, named by the
// table's title. The first row is the column titles (bold, frozen, with an autofilter); cells
// keep their types (table.h): numbers are numbers, dates Excel dates ("dd.mm.yyyy" in Russian,
// "yyyy-mm-dd" in English), shares numbers with a percent format, texts texts.
//
// Thread safety: no shared state.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/report/table.h"

namespace mentorlog::report {

// Writes the workbook to `path` atomically (output.h). Texts longer than Excel's 32,767
// characters are cut with "…"; titles are cut to 31 characters, and characters Excel refuses in
// a sheet name ([]:*?/\) become '_'; two tables with the same title get " (2)", " (3)".
// Errors: InvalidInput when the output folder is missing or not writable, or there is no table;
// IoError when libxlsxwriter cannot write the file (its message included).
Status WriteXlsx(const std::vector<Table>& tables, const std::filesystem::path& path, Language language);

}  // namespace mentorlog::report
