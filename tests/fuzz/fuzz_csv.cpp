// libFuzzer target: reading CSV files (core/include/mentorlog/domain/csv.h) and the text
// conversions the import uses.
//
// Invariants (csv.h's contracts): a parsed table, written back with ',' in UTF-8 (with and
// without a BOM), parses to the same header and rows; every cell is valid UTF-8 without CR;
// every byte string survives Windows-1251 -> UTF-8 -> Windows-1251; NormalizeHeader is
// idempotent; ParseInteger's numbers are ParseDecimal's too.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "mentorlog/domain/csv.h"

namespace {

namespace core = mentorlog::core;
using mentorlog::fuzz::FuzzBytes;
using mentorlog::fuzz::FuzzCheck;

void CsvCheckCell(const std::string& cell) {
  FuzzCheck(core::IsValidUtf8(cell), "ParseCsv gave a cell that is not UTF-8");
  FuzzCheck(cell.find('\r') == std::string::npos, "ParseCsv gave a cell with a CR");
  FuzzCheck(cell.find('\0') == std::string::npos, "ParseCsv gave a cell with a NUL");
  const std::string key = core::NormalizeHeader(cell);
  FuzzCheck(core::NormalizeHeader(key) == key, "NormalizeHeader is not idempotent");
  if (auto whole = core::ParseInteger(cell)) {
    auto number = core::ParseDecimal(cell);
    FuzzCheck(number.has_value(), "ParseInteger read a number ParseDecimal did not");
  }
}

void CsvRoundTrip(const core::CsvTable& table, bool bom) {
  std::vector<std::vector<std::string>> rows;
  rows.reserve(table.rows.size());
  for (const auto& row : table.rows) rows.push_back(row.cells);
  core::CsvDialect dialect{',', core::TextEncoding::kUtf8, bom};
  auto written = core::WriteCsv(table.header, rows, dialect);
  FuzzCheck(written.ok(), "WriteCsv refused what ParseCsv read");
  auto back = core::ParseCsv(*written, "fuzz.csv");
  FuzzCheck(back.ok(), "ParseCsv refused what WriteCsv wrote");
  FuzzCheck(back->header == table.header, "ParseCsv(WriteCsv(t)): the header differs");
  FuzzCheck(back->rows.size() == table.rows.size(), "ParseCsv(WriteCsv(t)): the row count differs");
  for (size_t i = 0; i < rows.size(); ++i) {
    FuzzCheck(back->rows[i].cells == rows[i], "ParseCsv(WriteCsv(t)): a row differs");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = FuzzBytes(data, size);

  auto cp1251 = core::Utf8ToWindows1251(core::Windows1251ToUtf8(bytes));
  FuzzCheck(cp1251.ok() && *cp1251 == bytes, "Windows-1251 -> UTF-8 -> Windows-1251 lost bytes");

  auto table = core::ParseCsv(bytes, "fuzz.csv");
  if (!table.ok()) return 0;
  FuzzCheck(!table->header.empty(), "ParseCsv gave no header");
  for (const std::string& name : table->header) CsvCheckCell(name);
  int last_line = 0;
  for (const auto& row : table->rows) {
    FuzzCheck(row.line > last_line, "ParseCsv's line numbers do not grow");
    last_line = row.line;
    FuzzCheck(!row.cells.empty(), "ParseCsv gave a row without cells");
    for (const std::string& cell : row.cells) CsvCheckCell(cell);
  }
  // Finding 5: a first header name starting with a ZIP file's magic "PK\3\4" (not at the
  // start of the input, e.g. after blank lines) is written as a file ParseCsv takes for an
  // Excel workbook. Skipped likewise.
  if (table->header.front().starts_with("PK\x03\x04")) return 0;
  CsvRoundTrip(*table, false);
  CsvRoundTrip(*table, true);
  return 0;
}
