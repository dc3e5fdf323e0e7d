// Exporting every live record of a kind as CSV (for spreadsheets) or JSON (for scripts).
//
// Columns and keys are the record's id, then its fields in RecordTraits order, named by their
// field names ("id", "code", "name", ...). Values are the stored ones: enum codes ("rural",
// "low_results"), dates as YYYY-MM-DD, references as ids. Records are ordered by id (creation
// time). A schools CSV exported here imports back unchanged (import.h): the import matches the
// field names and ignores the columns it does not read (id, leader_partner_id).
//
// Thread safety: safe to call from any thread; reads go through the store's lock.
#pragma once

#include <string>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/enums.h"
#include "mentorlog/store/records.h"

namespace mentorlog::core {

enum class ExportFormat { kCsv, kJson };

// Returns the bytes of the export of every live record of `kind`.
//
// kCsv: a header row, then one row per record; every record ends in "\r\n" (csv.h's WriteCsv).
//   List fields are their items joined by "; ". A text (or text list) cell that starts with
//   '=', '+', '-', '@', a tab or a CR gets an apostrophe before it (csv.h's GuardFormulaText),
//   so a spreadsheet never reads it as a formula; numbers, dates, ids and codes never do. With `excel` false: UTF-8
//   without a byte order mark, ',' between cells, numbers with a decimal point. With `excel` true: what Russian Excel
//   opens with a double click: Windows-1251, ';' between cells, a decimal comma ("12,5").
// kJson: an array of objects, one per line: {"id": "...", "<field>": value, ...}. Integers and
//   reals are JSON numbers, booleans true/false, empty optional fields null, lists arrays of
//   strings, everything else strings. UTF-8; `excel` must be false.
//
// Errors:
//   InvalidInput: `excel` with kJson; with `excel`, a character Windows-1251 cannot encode
//     (the message names the row, the column and the character, and says to export without
//     --excel).
//   IoError and Corruption from the store.
// A stored text that records may not hold (text.h: written by an old version) never fails the
// export: ToRecordText writes U+FFFD in place of what is wrong ('?' with `excel`).
Result<std::string> Export(const Records& records, RecordKind kind, ExportFormat format, bool excel);

}  // namespace mentorlog::core
