// A report's table: what one worksheet of a workbook and one CSV file hold.
//
// Reports are built in two steps: the figures or records become Tables (a pure function of
// the input, in the language of the report), and a writer renders the Tables as a workbook
// (xlsx.h) or as CSV files (TableToCsv). Each cell carries its own type, so a number stays a
// number, a date a date and a share a share in every format:
//
//   cell            XLSX                                 CSV
//   empty           blank cell                           ""
//   text            text                                 the text
//   int64_t         number, format "0"                   "12"
//   double          number, format "0.00"                "12.5" (decimal point)
//   Percent         number 0..1, format "0.0%"           "0.25" (the share, decimal point)
//   core::Date      Excel date, "dd.mm.yyyy" / ISO       "2026-11-20"
//   bool            text "да"/"нет" or "yes"/"no"        the same
//
// Thread safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/types.h"

namespace mentorlog::report {

// A share (0..1) shown as a percentage.
struct Percent {
  double share = 0;
  friend bool operator==(const Percent&, const Percent&) = default;
};

using Cell = std::variant<std::monostate, std::string, int64_t, double, Percent, core::Date, bool>;

struct Column {
  std::string title;  // in the report's language
  int width = 0;      // in characters for XLSX; 0: from the contents (at most 60)
};

struct Table {
  std::string name;   // ASCII key: the CSV file's name ("indicators") and the table's id
  std::string title;  // the worksheet's name in the report's language (at most 31 characters)
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;  // each row has columns.size() cells
};

// A cell as CSV text (the table above); booleans in `language`.
std::string CellText(const Cell& cell, Language language);

// The table as one CSV file: UTF-8 with a byte order mark (Excel opens it as UTF-8), ','
// between cells, a header row of the column titles, "\r\n" after every record (core/csv.h).
// Errors: InvalidInput when a text is not valid UTF-8 (the message names the row and column).
Result<std::string> TableToCsv(const Table& table, Language language);

}  // namespace mentorlog::report
