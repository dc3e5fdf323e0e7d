// CSV files as Russian Excel reads and writes them, and the text conversions they need.
//
// Excel in a Russian locale saves "CSV (разделители — запятые)" as Windows-1251 with ';'
// between cells (',' is the decimal mark there), and "CSV UTF-8" as UTF-8 with a byte order
// mark. Files from other tools use ',' or tabs. ParseCsv accepts all of these and hands back
// UTF-8; WriteCsv writes either dialect.
//
// Everything here is a pure function over bytes: no files, no locale, no global state.
// Thread safety: all functions are safe to call concurrently; CsvTable and CsvDialect are values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"

namespace mentorlog::core {

enum class TextEncoding { kUtf8, kWindows1251 };

// Limits that keep a hostile or broken file from exhausting memory. Real files are far below.
inline constexpr std::size_t kMaxCsvBytes = std::size_t{64} * 1024 * 1024;
inline constexpr std::size_t kMaxCsvFieldsPerRecord = 16384;  // Excel's own column limit.
inline constexpr std::size_t kMaxCsvCells = 10'000'000;       // Over the whole file.

struct CsvTable {
  struct Row {
    int line = 0;                    // 1-based physical line of the file where the record starts.
    std::vector<std::string> cells;  // UTF-8; as many as the record had (may differ from header).
  };

  std::vector<std::string> header;              // UTF-8, trimmed (even when quoted), BOM removed.
  std::vector<Row> rows;                        // Data records in file order; blank records are skipped.
  char separator = ',';                         // ',', ';' or '\t'.
  TextEncoding encoding = TextEncoding::kUtf8;  // What the bytes were in.
};

// Parses the bytes of a CSV file. `file_name` is used only in error messages.
//
// Encoding: a UTF-8 BOM means UTF-8 (the BOM is dropped); otherwise bytes that are valid UTF-8
// are UTF-8, and anything else is read as Windows-1251. All returned text is UTF-8. Every line
// must be in the file's encoding (UTF-8 after a BOM, else that of the first line with non-ASCII
// bytes): a line with non-ASCII bytes in the other one is an error naming it.
// Separator: an Excel hint line "sep=;" (also "sep=," / "sep=<tab>") as the first line wins and
// is skipped. Otherwise the most frequent of ';' ',' '\t' outside quotes on the header line
// (the first line with any other content); ties prefer ';', then ',', then '\t'; ',' if none.
// Records: RFC 4180 quoting: a field that starts with '"' (after optional spaces/tabs) runs to
// the matching quote, "" inside it is one '"', and separators and line breaks inside it are
// data. Line breaks are "\r\n", "\n" or a lone "\r"; inside quoted fields they become "\n".
// Unquoted cells are trimmed of spaces, tabs and NBSP (U+00A0); quoted cells are kept as is,
// except header names, which are always trimmed. A literal '"' in the middle of an unquoted
// cell is kept. Blank records (no quoted field and every cell empty, e.g. "" or ";;;" that
// Excel writes for formatted empty rows) are skipped, and line numbers still count them.
// Rows with a different number of cells than the header are returned as they are.
//
// Errors, each "<file_name>, line <n>: <reason>" (or "<file_name>: <reason>"):
//   InvalidInput: more than kMaxCsvBytes; no header (empty or blank file); a quoted field not
//     closed before the end of the file (line of its opening quote); text after a closing quote;
//     a record with more than kMaxCsvFieldsPerRecord fields or a file with more than
//     kMaxCsvCells cells; an unsupported "sep=" hint; a UTF-16 file or an Excel workbook
//     (.xlsx/.xls) instead of CSV; a NUL byte (naming its line); lines in different encodings
//     (naming the first line that differs from the file's encoding, which includes a UTF-8 BOM
//     followed by bytes that are not UTF-8).
Result<CsvTable> ParseCsv(std::string_view bytes, std::string_view file_name);

// Exact conversions between Windows-1251 and UTF-8. Byte 0x98, unassigned in cp1251, maps to
// U+0098 and back (as Windows does), so every byte string round-trips through UTF-8.
std::string Windows1251ToUtf8(std::string_view bytes);

// Fails with InvalidInput naming the character and its code point (e.g. «😀» (U+1F600)) when
// cp1251 has no code for it, or naming the offset when `utf8` is not valid UTF-8.
Result<std::string> Utf8ToWindows1251(std::string_view utf8);

// Strict UTF-8: no overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
bool IsValidUtf8(std::string_view bytes);

// Numbers as Russian Excel writes them: "12,5" or "12.5"; an optional sign ('-', '+', U+2212);
// digit groups separated by one space, NBSP (U+00A0), U+202F or U+2009 ("1 234 567,5"; first
// group 1-3 digits, the rest exactly 3); an optional exponent ("1,5E+03"). Surrounding spaces,
// tabs, NBSP and U+202F are ignored. Exactly one decimal mark; "1,234.5" and "1.234,5" are not
// numbers, nor is "12%" (the caller decides about percents). Returns nullopt for anything that
// is not a finite number in range, including "".
std::optional<double> ParseDecimal(std::string_view text);

// Same syntax as ParseDecimal without a fraction or an exponent: "1 234" is 1234, "12,5" and
// "12.0" are nullopt. nullopt also when the value does not fit in int64_t.
std::optional<int64_t> ParseInteger(std::string_view text);

struct CsvDialect {
  char separator = ',';  // ',', ';' or '\t'.
  TextEncoding encoding = TextEncoding::kUtf8;
  bool bom = false;  // Write a UTF-8 byte order mark (Excel then opens UTF-8 correctly).

  // What Russian Excel opens directly with a double click: ';', Windows-1251, no BOM.
  static CsvDialect Excel() { return {';', TextEncoding::kWindows1251, false}; }
};

// Writes `header` and `rows` (UTF-8) as a CSV file in `dialect`, every record ending in "\r\n".
// A cell is quoted when it contains the separator, '"', CR or LF, or would lose leading or
// trailing spaces, tabs or NBSP to ParseCsv's trimming; '"' is doubled inside quotes. A row
// whose cells are all empty (or that has none) gets its first cell written as "" so that
// ParseCsv keeps it. Header names containing ',', ';' or a tab are always quoted, so ParseCsv
// detects the dialect's separator. Rows may have any number of cells.
// ParseCsv(WriteCsv(h, r, d)) gives back h and r, except that: "\r\n" and "\r" inside cells
// come back as "\n"; header names come back trimmed; a row with no cells comes back as one
// empty cell; and with a one-column header ParseCsv assumes ',', so rows wider than the header
// only survive with d.separator == ','.
// Errors (InvalidInput): an empty header; a separator other than ',', ';', '\t'; a BOM asked for
// with Windows-1251; a cell that is not valid UTF-8 or contains NUL; with Windows-1251, a
// character it cannot encode. Cell errors name the place: "row 3, column «Название»: ...".
Result<std::string> WriteCsv(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                             const CsvDialect& dialect);

// A text cell for a file a spreadsheet will open: `text` with an apostrophe before it when it
// starts with '=', '+', '-', '@', a tab or a CR, which Excel and LibreOffice would otherwise
// read as the start of a formula (formula injection: "=HYPERLINK(...)" typed into a note).
// The spreadsheet shows the apostrophe; the import (import.h) removes it again. Only for free
// text: numbers, dates, ids and codes are written as they are.
std::string GuardFormulaText(std::string_view text);

// Whether a cell of free text starts as GuardFormulaText writes it: "'=", "'+", "'-", "'@", "'"
// + tab, "'" + CR.
bool IsFormulaGuarded(std::string_view cell);

// Key for matching header names typed by people: lowercases ASCII and Cyrillic (А-Я, Ё and the
// other Cyrillic capitals U+0400..U+042F, Ґ), turns every run of whitespace (ASCII, NBSP,
// U+2000..U+200A, U+202F, U+205F, U+3000, U+FEFF) into one space, and trims.
// NormalizeHeader(" Код   ОО ") == "код оо". Bytes that are not valid UTF-8 are kept as they are.
std::string NormalizeHeader(std::string_view utf8);

}  // namespace mentorlog::core
