// Writing a report's file so that a killed process never leaves half a file under the real
// name: the bytes go to "<path>.tmp", are flushed to the disk, and the temporary file is then
// renamed over `path` (an atomic replace on POSIX file systems).
//
// Messages are for a person, in `lang` ("ru" or "en"), and say what to do.
//
// Thread safety: no shared state; two calls for the same path race on "<path>.tmp".
#pragma once

#include <filesystem>
#include <functional>
#include <string_view>
#include <vector>

#include "mentorlog/core/status.h"
#include "mentorlog/report/table.h"

namespace mentorlog::report {

// "<path>.tmp": where a report is written before it is renamed to `path`.
std::filesystem::path TempPathFor(const std::filesystem::path& path);

// Checks that a file can be created at `path`: its folder exists, is a folder and is
// writable, and `path` is not a folder. Errors: InvalidInput naming the folder and the fix.
Status CheckOutputPath(const std::filesystem::path& path, std::string_view lang);

// Writes `bytes` to `path` atomically (see above). On failure the temporary file is removed
// and `path` is left as it was. Errors: InvalidInput (see CheckOutputPath), IoError (the disk
// refused: full, read-only).
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes, std::string_view lang);

// For writers that must write a file themselves (libxlsxwriter): calls `write` with the
// temporary path, then flushes and renames it over `path`. When `write` fails, or the rename
// does, the temporary file is removed and its Status returned.
Status ReplaceAtomically(const std::filesystem::path& path, std::string_view lang,
                         const std::function<Status(const std::filesystem::path& temp_path)>& write);

// Creates `dir` (and its parents) for a set of CSV files. Errors: InvalidInput when it cannot
// be created or is a file, naming it and the fix.
Status PrepareOutputDir(const std::filesystem::path& dir, std::string_view lang);

// Writes each table as `dir`/<table.name>.csv (TableToCsv), each file atomically, creating
// `dir` when missing. Errors: those of PrepareOutputDir, TableToCsv and WriteFileAtomically.
Status WriteCsvFolder(const std::vector<Table>& tables, const std::filesystem::path& dir, std::string_view lang);

}  // namespace mentorlog::report
