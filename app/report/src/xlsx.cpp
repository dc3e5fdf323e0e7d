#include "mentorlog/report/xlsx.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <set>
#include <string>
#include <type_traits>

#include "mentorlog/domain/text.h"
#include "mentorlog/report/output.h"

namespace mentorlog::report {

namespace {

constexpr size_t kMaxCellChars = 32767;  // Excel's limit per cell
constexpr size_t kMaxSheetNameChars = 31;
constexpr int kMaxAutoWidth = 60;
constexpr int32_t kExcelDaysAt1970 = 25569;  // 1970-01-01 as an Excel serial date

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The first `max_chars` code points of `s`.
std::string CutToCodePoints(std::string_view s, size_t max_chars) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (n == max_chars) return std::string(s.substr(0, i));
      ++n;
    }
  }
  return std::string(s);
}

// Excel counts UTF-16 units; Cyrillic is one unit a character, so code points are close enough
// for the texts we write, and the cut leaves room for the ellipsis. A text a record may not
// hold (bytes that are not UTF-8, a NUL: core/text.h), written by an old version, gets U+FFFD
// there: the XML of the sheet must stay valid. The text is written as a string, never a
// formula, even when it starts with '='.
std::string CellString(const std::string& text) {
  std::string s = core::ToRecordText(text);
  if (CodePoints(s) < kMaxCellChars) return s;
  return CutToCodePoints(s, kMaxCellChars - 2) + "…";
}

std::string SheetName(const Table& table, std::set<std::string>& used) {
  std::string name = core::ToRecordText(table.title.empty() ? table.name : table.title);
  for (char& c : name) {
    if (c == '[' || c == ']' || c == ':' || c == '*' || c == '?' || c == '/' || c == '\\') c = '_';
  }
  if (name.empty()) name = "Sheet";
  name = CutToCodePoints(name, kMaxSheetNameChars);
  std::string candidate = name;
  for (int i = 2; used.count(candidate) > 0; ++i) {
    const std::string suffix = " (" + std::to_string(i) + ")";
    candidate = CutToCodePoints(name, kMaxSheetNameChars - suffix.size()) + suffix;
  }
  used.insert(candidate);
  return candidate;
}

int CellWidth(const Cell& cell, Language language) {
  if (const auto* s = std::get_if<std::string>(&cell)) {
    size_t longest = 0, current = 0;
    for (unsigned char c : *s) {
      if (c == '\n') {
        longest = std::max(longest, current);
        current = 0;
      } else if ((c & 0xC0) != 0x80) {
        ++current;
      }
    }
    return static_cast<int>(std::min<size_t>(std::max(longest, current), kMaxAutoWidth));
  }
  if (std::holds_alternative<core::Date>(cell)) return 10;
  return static_cast<int>(CellText(cell, language).size());
}

class Workbook {
 public:
  Workbook(const std::filesystem::path& path, Language language) : language_(language) {
    book_ = workbook_new(path.c_str());
    if (book_ == nullptr) return;
    header_ = workbook_add_format(book_);
    format_set_bold(header_);
    format_set_text_wrap(header_);
    format_set_align(header_, LXW_ALIGN_VERTICAL_TOP);
    text_ = workbook_add_format(book_);
    format_set_align(text_, LXW_ALIGN_VERTICAL_TOP);
    wrapped_ = workbook_add_format(book_);
    format_set_text_wrap(wrapped_);
    format_set_align(wrapped_, LXW_ALIGN_VERTICAL_TOP);
    integer_ = NumberFormat("0");
    real_ = NumberFormat("0.00");
    percent_ = NumberFormat("0.0%");
    date_ = NumberFormat(language == Language::kRussian ? "dd.mm.yyyy" : "yyyy-mm-dd");
  }
  ~Workbook() {
    if (book_ != nullptr) workbook_close(book_);  // an error path: the caller removes the file
  }
  Workbook(const Workbook&) = delete;
  Workbook& operator=(const Workbook&) = delete;

  bool opened() const { return book_ != nullptr; }

  Status AddSheet(const Table& table) {
    lxw_worksheet* sheet = workbook_add_worksheet(book_, SheetName(table, sheet_names_).c_str());
    if (sheet == nullptr) return Status::Internal("libxlsxwriter refused the sheet «" + table.title + "»");
    std::vector<int> widths(table.columns.size(), 0);
    for (size_t c = 0; c < table.columns.size(); ++c) {
      widths[c] = static_cast<int>(std::min<size_t>(CodePoints(table.columns[c].title), 30));
      RETURN_IF_ERROR(Check(worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c),
                                                   CellString(table.columns[c].title).c_str(), header_)));
    }
    for (size_t r = 0; r < table.rows.size(); ++r) {
      const auto& row = table.rows[r];
      for (size_t c = 0; c < row.size() && c < table.columns.size(); ++c) {
        widths[c] = std::max(widths[c], CellWidth(row[c], language_));
        RETURN_IF_ERROR(WriteCell(sheet, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c), row[c]));
      }
    }
    for (size_t c = 0; c < table.columns.size(); ++c) {
      const int width = table.columns[c].width > 0 ? table.columns[c].width : std::max(widths[c] + 2, 6);
      RETURN_IF_ERROR(Check(worksheet_set_column(sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                                                 static_cast<double>(width), nullptr)));
    }
    worksheet_freeze_panes(sheet, 1, 0);
    if (!table.columns.empty()) {
      RETURN_IF_ERROR(Check(worksheet_autofilter(sheet, 0, 0, static_cast<lxw_row_t>(table.rows.size()),
                                                 static_cast<lxw_col_t>(table.columns.size() - 1))));
    }
    return Status::Ok();
  }

  Status Close(const std::filesystem::path& path) {
    const lxw_error err = workbook_close(book_);
    book_ = nullptr;
    if (err != LXW_NO_ERROR) {
      return Status::IoError(LocalText{"не удалось записать книгу " + path.string() + ": " + lxw_strerror(err),
                                       "cannot write the workbook " + path.string() + ": " + lxw_strerror(err)});
    }
    return Status::Ok();
  }

 private:
  lxw_format* NumberFormat(const char* num_format) {
    lxw_format* f = workbook_add_format(book_);
    format_set_num_format(f, num_format);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    return f;
  }

  static Status Check(lxw_error err) {
    if (err == LXW_NO_ERROR) return Status::Ok();
    return Status::Internal(std::string("libxlsxwriter: ") + lxw_strerror(err));
  }

  Status WriteCell(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t col, const Cell& cell) {
    return std::visit(
        [&](const auto& v) -> Status {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            return Status::Ok();
          } else if constexpr (std::is_same_v<T, std::string>) {
            if (v.empty()) return Status::Ok();
            const bool multi_line = v.find('\n') != std::string::npos || CodePoints(v) > kMaxAutoWidth;
            return Check(worksheet_write_string(sheet, row, col, CellString(v).c_str(), multi_line ? wrapped_ : text_));
          } else if constexpr (std::is_same_v<T, int64_t>) {
            return Check(worksheet_write_number(sheet, row, col, static_cast<double>(v), integer_));
          } else if constexpr (std::is_same_v<T, double>) {
            return Check(worksheet_write_number(sheet, row, col, v, real_));
          } else if constexpr (std::is_same_v<T, Percent>) {
            return Check(worksheet_write_number(sheet, row, col, v.share, percent_));
          } else if constexpr (std::is_same_v<T, core::Date>) {
            return Check(
                worksheet_write_number(sheet, row, col, static_cast<double>(v.days() + kExcelDaysAt1970), date_));
          } else {
            return Check(worksheet_write_string(sheet, row, col, CellText(v, language_).c_str(), text_));
          }
        },
        cell);
  }

  Language language_;
  lxw_workbook* book_ = nullptr;
  lxw_format* header_ = nullptr;
  lxw_format* text_ = nullptr;
  lxw_format* wrapped_ = nullptr;
  lxw_format* integer_ = nullptr;
  lxw_format* real_ = nullptr;
  lxw_format* percent_ = nullptr;
  lxw_format* date_ = nullptr;
  std::set<std::string> sheet_names_;
};

}  // namespace

Status WriteXlsx(const std::vector<Table>& tables, const std::filesystem::path& path, Language language) {
  if (tables.empty())
    return Status::InvalidInput(LocalText{"нечего записывать: нет таблиц", "nothing to write: no table"});
  return ReplaceAtomically(path, [&](const std::filesystem::path& temp) -> Status {
    Workbook book(temp, language);
    if (!book.opened()) {
      return Status::IoError(
          LocalText{"не удалось создать книгу " + temp.string(), "cannot create the workbook " + temp.string()});
    }
    for (const auto& table : tables) RETURN_IF_ERROR(book.AddSheet(table));
    return book.Close(path);
  });
}

}  // namespace mentorlog::report
