#include "mentorlog/report/table.h"

#include <cstdio>
#include <cstdlib>
#include <type_traits>

#include "mentorlog/domain/csv.h"
#include "mentorlog/domain/text.h"

namespace mentorlog::report {

namespace {

// The shortest text that reads back as the same double ("0.1", not "0.10000000000000001").
std::string NumberText(double v) {
  char buf[64];
  for (int precision = 6; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

}  // namespace

std::string CellText(const Cell& cell, Language language) {
  return std::visit(
      [&](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return "";
        } else if constexpr (std::is_same_v<T, std::string>) {
          return v;
        } else if constexpr (std::is_same_v<T, int64_t>) {
          return std::to_string(v);
        } else if constexpr (std::is_same_v<T, double>) {
          return NumberText(v);
        } else if constexpr (std::is_same_v<T, Percent>) {
          return NumberText(v.share);
        } else if constexpr (std::is_same_v<T, core::Date>) {
          return v.ToString();
        } else {
          return v ? LocalText{"да", "yes"}.In(language) : LocalText{"нет", "no"}.In(language);
        }
      },
      cell);
}

Result<std::string> TableToCsv(const Table& table, Language language) {
  std::vector<std::string> header;
  header.reserve(table.columns.size());
  for (const auto& c : table.columns) header.push_back(c.title);
  std::vector<std::vector<std::string>> rows;
  rows.reserve(table.rows.size());
  for (const auto& row : table.rows) {
    auto& out = rows.emplace_back();
    out.reserve(row.size());
    for (const auto& cell : row) {
      // Free text (from records) is guarded against formulas and made valid UTF-8 without a
      // NUL (a record written by an old version); numbers and dates are written as they are.
      if (const auto* text = std::get_if<std::string>(&cell)) {
        out.push_back(core::GuardFormulaText(core::ToRecordText(*text)));
      } else {
        out.push_back(CellText(cell, language));
      }
    }
  }
  core::CsvDialect dialect;
  dialect.bom = true;
  auto csv = core::WriteCsv(header, rows, dialect);
  if (!csv.ok()) return csv.status().WithContext(table.name + ".csv");
  return csv;
}

}  // namespace mentorlog::report
