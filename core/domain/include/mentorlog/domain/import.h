// Importing the region's and the district's spreadsheets from CSV files (as Russian Excel,
// LibreOffice or a script saves them): schools, people, assignments, assessment results and
// context indicators; and the programme's instruments: network agreements, roadmap items,
// deficits, trainings, route items, network events, their participants and work plan items.
//
// The columns of each kind, the accepted Russian and English header names and the value
// formats are listed in docs/import.md, which a coordinator reads; the tables in import.cpp
// are the source of truth and the two must agree.
//
// How a file is read:
//   - Bytes: ParseCsv (csv.h) decides the encoding (UTF-8 with or without a BOM, or
//     Windows-1251), the separator (',', ';' or tab) and the quoting.
//   - Header: names are matched with NormalizeHeader (case, runs of spaces), with 'ё' read as
//     'е' and '_' as a space, in any order. Columns nobody asked for are ignored and named in
//     ImportReport::notes. A column whose cells are all empty and whose name is empty (what
//     Excel leaves after the last column) is ignored silently.
//   - Cells: parsed with FieldCodec (field_codec.h); numbers also as Russian Excel writes them
//     ("1 234,5", csv.h's ParseDecimal); shares as 0..1 or as percent with '%' ("12,5%"). A
//     text cell loses the apostrophe the export puts before a formula-like text ("'=1+1" is
//     "=1+1", csv.h's GuardFormulaText). Texts a record may not hold (text.h) are bad rows.
//   - Empty cells: in an optional column, the record's default (none, 0, no, or a choice's
//     usual value such as an agreement's "active"); in a required one, an error for numbers,
//     dates and choices (texts go to the store's validation).
//   - Rows: each row is upserted by its natural key (school code; person code, or full name
//     and school when there is no code; the key fields of the other kinds, docs/import.md), so
//     importing the same file again changes nothing and queues nothing for sync. Columns absent from the
//     file leave the stored values as they are; an empty person code never clears one, and a
//     new code is given to the uncoded namesake at the same school. A row that repeats an
//     earlier row's key is a bad row. References are found by school code and by person code
//     or full name (a teacher of the row's school first; for the instruments, of the school in
//     the optional school column), an event by its title and date; a reference may also be the
//     record's id, as `export` writes it, so an exported file imports back unchanged. Unknown
//     or ambiguous references are bad rows. Columns an import does not read (an export's `id`,
//     a route item's deficit) are ignored with a note and keep their stored values.
//
// Thread safety: as the RecordWriter's (the device's Store serialises writes).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/enums.h"
#include "mentorlog/domain/record_writer.h"

namespace mentorlog::core {

// What to do when some rows of a file are bad.
enum class BadRowPolicy {
  kRejectFile,  // Import nothing; list every problem (the default: a file is all or nothing).
  kSkipBad,     // Import the good rows; list the bad ones (`mentorlog-cli import --skip-bad`).
};

// One bad row, or one bad cell of a row.
struct ImportProblem {
  std::string file;    // the file's name as given, e.g. "schools.csv"
  int line = 0;        // 1-based line of the file where the row starts
  std::string column;  // the column's name as written in the file's header; empty: the whole row
  LocalText reason;    // what is wrong and how to fix it

  // "schools.csv, line 14, column «год»: «2O24» is not a whole number", or in Russian
  // "schools.csv, строка 14, столбец «год»: ...". Without a column: "schools.csv, line 14: ...".
  std::string ToString(Language language) const;
};

struct ImportReport {
  // Rows written as new records, rows that changed a stored record, and rows equal to the
  // stored record (nothing written). All zero when !committed.
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  // Rows that were not imported, and why (one problem per bad cell, or one for the row).
  int64_t bad_rows = 0;
  std::vector<ImportProblem> problems;
  // Things worth telling that are not errors, e.g. "column «Примечание» is not used; ignored".
  std::vector<LocalText> notes;
  // Whether the good rows were written. False when the policy is kRejectFile and a row is bad:
  // then nothing was written at all (the CLI exits with 1).
  bool committed = false;
};

// Imports the CSV `bytes` as records of `kind`, which must be kSchool, kPerson, kAssignment,
// kAssessmentResult, kContextIndicator, kNetworkAgreement, kRoadmapItem, kDeficit, kTraining,
// kRouteItem, kNetworkEvent, kEventParticipant or kPlanItem. `file_name` is used only in
// messages.
// Every write happens in one RecordWriter::InTransaction: with kRejectFile either every row is
// written or none is (a row that fails the store's validation rolls the whole file back).
// Bad rows are not an error: they are listed in the report (see `committed`).
// Messages (problems, notes, the Status) are in both languages.
// Errors:
//   InvalidInput: `kind` cannot be imported; the file is not CSV or cannot be parsed (ParseCsv's
//     message: also a NUL byte, lines in mixed encodings); a required column is missing (the
//     message names it and its accepted names); two columns mean the same field.
//   IoError / Internal / Corruption from the store: nothing was written.
Result<ImportReport> ImportCsv(RecordWriter& store, RecordKind kind, std::string_view bytes, std::string_view file_name,
                               BadRowPolicy policy);

// Reads `path` and calls ImportCsv with the file's name (without its folders) for messages.
// Errors: as ImportCsv, and NotFound when the file does not exist, InvalidInput when it is a
// folder or larger than kMaxCsvBytes, IoError when it cannot be read.
Result<ImportReport> ImportCsvFile(RecordWriter& store, RecordKind kind, const std::filesystem::path& path,
                                   BadRowPolicy policy);

}  // namespace mentorlog::core
