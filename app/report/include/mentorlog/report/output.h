// Writing a report's file so that a killed process never leaves half a file under the real
// name: the bytes go to "<path>.tmp", are flushed to the disk, and the temporary file is then
// renamed over `path` (an atomic replace on POSIX file systems).
//
// The temporary file is created with O_CREAT | O_EXCL | O_NOFOLLOW: a symbolic link planted at
// "<path>.tmp" (to make the report overwrite another file) is never followed; whatever is at
// that name is unlinked (a link is removed, not what it points to) and a new file created.
//
// Messages are for a person, in `language`, and say what to do.
//
// Thread safety: no shared state; two calls for the same path race on "<path>.tmp".
#pragma once

#include <filesystem>
#include <functional>
#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/report/table.h"

namespace mentorlog::report {

// "<path>.tmp": where a report is written before it is renamed to `path`.
std::filesystem::path TempPathFor(const std::filesystem::path& path);

// Checks that a file can be created at `path`: its folder exists, is a folder and is
// writable, and `path` is not a folder. Errors: InvalidInput naming the folder and the fix.
Status CheckOutputPath(const std::filesystem::path& path);

// Writes `bytes` to `path` atomically (see above). On failure the temporary file is removed
// and `path` is left as it was. Errors: InvalidInput (see CheckOutputPath), IoError (the disk
// refused: full, read-only).
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes);

// For writers that must write a file themselves by name (libxlsxwriter): calls `write` with a
// path in a new folder that only this user can enter (mkdtemp in the system's temporary
// folder), then writes that file's bytes to `path` as WriteFileAtomically does. The folder is
// removed in every case. When `write` fails its Status is returned and `path` is left as it was.
// Errors: also IoError when the private folder cannot be made or read.
Status ReplaceAtomically(const std::filesystem::path& path,
                         const std::function<Status(const std::filesystem::path& temp_path)>& write);

// Creates `dir` (and its parents) for a set of CSV files. Errors: InvalidInput when it cannot
// be created or is a file, naming it and the fix.
Status PrepareOutputDir(const std::filesystem::path& dir);

// Writes each table as `dir`/<table.name>.csv (TableToCsv), each file atomically, creating
// `dir` when missing. Errors: those of PrepareOutputDir, TableToCsv and WriteFileAtomically.
Status WriteCsvFolder(const std::vector<Table>& tables, const std::filesystem::path& dir, Language language);

}  // namespace mentorlog::report
