// CSV reading and writing; see csv.h for the contracts.
//
// [SECTION] Messages
// [SECTION] UTF-8
// [SECTION] Windows-1251
// [SECTION] Reading: encoding, separator, records
// [SECTION] Numbers
// [SECTION] Writing
// [SECTION] Header names
// [SECTION] Public functions
#include "mentorlog/domain/csv.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <system_error>
#include <utility>

#include "mentorlog/domain/text.h"

namespace mentorlog::core {
namespace {

// [SECTION] Messages --------------------------------------------------------------------------

// "schools.csv, line 7: " (or "line 7: " when there is no file name).
std::string AtLine(std::string_view file_name, int line) {
  std::string prefix(file_name);
  if (!prefix.empty()) prefix += ", ";
  return prefix + "line " + std::to_string(line) + ": ";
}

// "schools.csv: " (or "" when there is no file name).
std::string InFile(std::string_view file_name) {
  return file_name.empty() ? std::string() : std::string(file_name) + ": ";
}

// [SECTION] UTF-8 -----------------------------------------------------------------------------

// Offset of the first byte that does not start a valid UTF-8 sequence, or npos.
std::size_t FirstInvalidUtf8(std::string_view s) {
  std::size_t pos = 0;
  while (pos < s.size()) {
    if (static_cast<unsigned char>(s[pos]) < 0x80) {
      ++pos;
      continue;
    }
    char32_t cp = 0;
    const std::size_t length = DecodeUtf8At(s, pos, cp);
    if (length == 0) return pos;
    pos += length;
  }
  return std::string_view::npos;
}

// REQUIRES: cp <= 0x10FFFF.
void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// [SECTION] Windows-1251 ----------------------------------------------------------------------

// Unicode for bytes 0x80..0xFF. 0x98 is unassigned; like Windows, it maps to U+0098.
// clang-format off
constexpr std::array<char16_t, 128> kWindows1251High = {
    // 0x80
    0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,
    0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
    // 0x90
    0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x0098, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
    // 0xA0
    0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,
    0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
    // 0xB0
    0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,
    0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
    // 0xC0: А..П
    0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415, 0x0416, 0x0417,
    0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E, 0x041F,
    // 0xD0: Р..Я
    0x0420, 0x0421, 0x0422, 0x0423, 0x0424, 0x0425, 0x0426, 0x0427,
    0x0428, 0x0429, 0x042A, 0x042B, 0x042C, 0x042D, 0x042E, 0x042F,
    // 0xE0: а..п
    0x0430, 0x0431, 0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437,
    0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E, 0x043F,
    // 0xF0: р..я
    0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447,
    0x0448, 0x0449, 0x044A, 0x044B, 0x044C, 0x044D, 0x044E, 0x044F,
};
// clang-format on

// The cp1251 byte for `cp`, or nullopt when there is none.
std::optional<unsigned char> EncodeWindows1251(char32_t cp) {
  if (cp < 0x80) return static_cast<unsigned char>(cp);
  if (cp >= 0x0410 && cp <= 0x044F) return static_cast<unsigned char>(0xC0 + (cp - 0x0410));
  for (std::size_t i = 0; i < kWindows1251High.size(); ++i) {
    if (kWindows1251High[i] == cp) return static_cast<unsigned char>(0x80 + i);
  }
  return std::nullopt;
}

// [SECTION] Reading: encoding, separator, records ----------------------------------------------

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kNbsp = "\xC2\xA0";

// Spaces and tabs before an opening quote or after a closing one; a tab only when it is not
// the separator.
bool IsPadding(char c, char separator) { return c == ' ' || (c == '\t' && separator != '\t'); }

// Trims what ParseCsv trims from unquoted cells: spaces, tabs and NBSP.
std::string_view TrimCell(std::string_view s) {
  while (true) {
    if (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
      s.remove_prefix(1);
    } else if (s.starts_with(kNbsp)) {
      s.remove_prefix(kNbsp.size());
    } else {
      break;
    }
  }
  while (true) {
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
      s.remove_suffix(1);
    } else if (s.ends_with(kNbsp)) {
      s.remove_suffix(kNbsp.size());
    } else {
      break;
    }
  }
  return s;
}

// REQUIRES: text[pos] is '\r' or '\n'. Returns the position after the line break.
std::size_t SkipLineBreak(std::string_view text, std::size_t pos) {
  if (text[pos] == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') return pos + 2;
  return pos + 1;
}

// 1-based line of `offset`, counting line breaks the way the record reader does.
int LineAt(std::string_view text, std::size_t offset) {
  int line = 1;
  std::size_t pos = 0;
  while (pos < offset && pos < text.size()) {
    if (text[pos] == '\r' || text[pos] == '\n') {
      pos = SkipLineBreak(text, pos);
      ++line;
    } else {
      ++pos;
    }
  }
  return line;
}

// Rejects files that are clearly not CSV text, before anything tries to decode them.
Status CheckLooksLikeText(std::string_view bytes, std::string_view file_name) {
  if (bytes.starts_with("PK\x03\x04")) {
    return Status::InvalidInput(InFile(file_name) +
                                "this is an Excel workbook (.xlsx), not a CSV file; in Excel "
                                "use File > Save As and choose a CSV type");
  }
  if (bytes.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    return Status::InvalidInput(InFile(file_name) +
                                "this is an old Excel workbook (.xls), not a CSV file; in Excel "
                                "use File > Save As and choose a CSV type");
  }
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    return Status::InvalidInput(InFile(file_name) +
                                "the file is UTF-16 (Excel's \"Unicode Text\"); save it as "
                                "\"CSV UTF-8\" or plain \"CSV\" instead");
  }
  const std::size_t nul = bytes.find('\0');
  if (nul != std::string_view::npos) {
    return Status::InvalidInput(AtLine(file_name, LineAt(bytes, nul)) +
                                "the line has a NUL byte (an invisible code 0), which a CSV text file cannot hold; "
                                "delete it, or save the file again from Excel as CSV");
  }
  return Status::Ok();
}

// How a line's bytes read: only ASCII (either encoding), UTF-8 with other characters, or not
// UTF-8 (so Windows-1251).
enum class LineEncoding { kAscii, kUtf8, kOther };

LineEncoding EncodingOfLine(std::string_view line) {
  bool ascii = true;
  for (const char c : line) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return LineEncoding::kAscii;
  return FirstInvalidUtf8(line) == std::string_view::npos ? LineEncoding::kUtf8 : LineEncoding::kOther;
}

// Checks that every line of `text` is in the file's encoding: UTF-8 when `utf8` (a BOM said so),
// otherwise that of the first line with non-ASCII bytes. A file whose lines mix UTF-8 and
// Windows-1251 (rows pasted from another file) would otherwise be read as Windows-1251 and its
// UTF-8 rows garbled. `first_line` is the line number of text's first byte.
Status CheckOneEncoding(std::string_view text, bool utf8, int first_line, std::string_view file_name) {
  std::optional<LineEncoding> file_encoding;
  if (utf8) file_encoding = LineEncoding::kUtf8;
  int file_encoding_line = 0;
  int line = first_line;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find_first_of("\r\n", pos), text.size());
    const LineEncoding encoding = EncodingOfLine(text.substr(pos, end - pos));
    if (encoding != LineEncoding::kAscii) {
      if (!file_encoding) {
        file_encoding = encoding;
        file_encoding_line = line;
      } else if (encoding != *file_encoding) {
        const auto name = [](LineEncoding e) { return e == LineEncoding::kUtf8 ? "UTF-8" : "Windows-1251"; };
        const std::string other = file_encoding_line > 0
                                      ? "line " + std::to_string(file_encoding_line) + " is in " + name(*file_encoding)
                                      : std::string("the file starts with a UTF-8 byte order mark");
        return Status::InvalidInput(
            AtLine(file_name, line) + "this line is " +
            (encoding == LineEncoding::kUtf8 ? std::string("in UTF-8") : std::string("not in UTF-8")) + ", but " +
            other +
            ": the file mixes encodings (for example, rows pasted from another file). Open it in Excel or a text "
            "editor, save it again as \"CSV UTF-8\", check these rows and import it again");
      }
    }
    if (end >= text.size()) break;
    pos = SkipLineBreak(text, end);
    ++line;
  }
  return Status::Ok();
}

// Reads an Excel hint line "sep=;" at the start of `text`. On success `separator` and `pos`
// are set past it when there is one, and left alone otherwise.
Status ReadSeparatorHint(std::string_view text, std::string_view file_name, char& separator, std::size_t& pos) {
  const std::size_t end = std::min(text.find_first_of("\r\n"), text.size());
  const std::string_view first_line = text.substr(0, end);
  if (first_line.size() != 5 || !first_line.starts_with("sep=")) return Status::Ok();
  const char hinted = first_line[4];
  if (hinted != ';' && hinted != ',' && hinted != '\t') {
    return Status::InvalidInput(AtLine(file_name, 1) + "\"" + std::string(first_line) +
                                "\" asks for a separator MentorLog does not read; use ';', ',' "
                                "or a tab");
  }
  separator = hinted;
  pos = end < text.size() ? SkipLineBreak(text, end) : end;
  return Status::Ok();
}

// The most frequent of ';' ',' '\t' outside quotes on the first line from `pos` that has
// anything besides spaces and those characters (over all lines when none has). Ties prefer
// ';', then ',', then '\t'.
char DetectSeparator(std::string_view text, std::size_t pos) {
  constexpr std::array<char, 3> kCandidates = {';', ',', '\t'};
  std::array<std::size_t, 3> counts = {0, 0, 0};        // On the current line.
  std::array<std::size_t, 3> blank_counts = {0, 0, 0};  // On lines without content so far.
  bool in_quotes = false;
  bool has_content = false;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '"') {
      in_quotes = !in_quotes;
      has_content = true;
    } else if (in_quotes) {
      continue;
    } else if (c == '\r' || c == '\n') {
      if (has_content) break;
      for (std::size_t i = 0; i < counts.size(); ++i) blank_counts[i] += counts[i];
      counts = {0, 0, 0};
    } else if (c == ';') {
      ++counts[0];
    } else if (c == ',') {
      ++counts[1];
    } else if (c == '\t') {
      ++counts[2];
    } else if (c != ' ') {
      has_content = true;
    }
  }
  if (!has_content) {
    for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += blank_counts[i];
  }
  std::size_t best = 1;  // ',' when the header has none of them (one column).
  std::size_t best_count = 0;
  for (std::size_t i = 0; i < kCandidates.size(); ++i) {
    if (counts[i] > best_count) {
      best = i;
      best_count = counts[i];
    }
  }
  return kCandidates[best];
}

// Splits `text` from `pos` (which is on line `line`) into records; the first non-blank one
// becomes table.header, the rest table.rows.
Status ReadRecords(std::string_view text, std::size_t pos, int line, std::string_view file_name, CsvTable& table) {
  const char separator = table.separator;
  const char unquoted_stops[] = {separator, '\r', '\n'};
  const std::string_view unquoted_stop_set(unquoted_stops, sizeof unquoted_stops);
  constexpr std::string_view kQuotedStops = "\"\r\n";
  const std::size_t size = text.size();

  bool have_header = false;
  std::size_t total_cells = 0;
  std::vector<std::string> cells;
  std::string cell;
  while (pos < size) {
    const int record_line = line;
    cells.clear();
    bool any_quoted = false;
    bool end_of_record = false;
    while (!end_of_record) {
      if (cells.size() >= kMaxCsvFieldsPerRecord) {
        return Status::InvalidInput(AtLine(file_name, record_line) + "the record has more than " +
                                    std::to_string(kMaxCsvFieldsPerRecord) + " fields");
      }
      std::size_t start = pos;
      while (start < size && IsPadding(text[start], separator)) ++start;
      if (start < size && text[start] == '"') {
        any_quoted = true;
        const int open_line = line;
        cell.clear();
        pos = start + 1;
        bool closed = false;
        while (pos < size) {
          const char c = text[pos];
          if (c == '"') {
            if (pos + 1 < size && text[pos + 1] == '"') {
              cell.push_back('"');
              pos += 2;
              continue;
            }
            ++pos;
            closed = true;
            break;
          }
          if (c == '\r' || c == '\n') {
            pos = SkipLineBreak(text, pos);
            ++line;
            cell.push_back('\n');
            continue;
          }
          const std::size_t stop = std::min(text.find_first_of(kQuotedStops, pos), size);
          cell.append(text.substr(pos, stop - pos));
          pos = stop;
        }
        if (!closed) {
          return Status::InvalidInput(
              AtLine(file_name, open_line) + "a quoted field is not closed (the quote opening field " +
              std::to_string(cells.size() + 1) + " has no closing quote before the end of the file)");
        }
        while (pos < size && IsPadding(text[pos], separator)) ++pos;
        if (pos < size && text[pos] != separator && text[pos] != '\r' && text[pos] != '\n') {
          return Status::InvalidInput(AtLine(file_name, line) + "unexpected text after the closing quote of field " +
                                      std::to_string(cells.size() + 1) +
                                      "; inside a quoted field a quote is written as \"\"");
        }
        cells.push_back(std::move(cell));
      } else {
        const std::size_t stop = std::min(text.find_first_of(unquoted_stop_set, pos), size);
        cells.emplace_back(TrimCell(text.substr(pos, stop - pos)));
        pos = stop;
      }
      if (pos >= size) {
        end_of_record = true;
      } else if (text[pos] == separator) {
        ++pos;
      } else {
        pos = SkipLineBreak(text, pos);
        ++line;
        end_of_record = true;
      }
    }

    const bool blank =
        !any_quoted && std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return c.empty(); });
    if (blank) continue;
    total_cells += cells.size();
    if (total_cells > kMaxCsvCells) {
      return Status::InvalidInput(AtLine(file_name, record_line) + "the file has more than " +
                                  std::to_string(kMaxCsvCells) + " cells");
    }
    if (!have_header) {
      // A BOM after a "sep=" line (finding 2 of tests/fuzz/README.md) is not part of a name.
      if (!cells.empty() && cells.front().starts_with(kUtf8Bom)) cells.front().erase(0, kUtf8Bom.size());
      for (std::string& name : cells) name = std::string(TrimCell(name));
      table.header = std::move(cells);
      have_header = true;
    } else {
      table.rows.push_back(CsvTable::Row{record_line, std::move(cells)});
    }
  }
  if (!have_header) {
    return Status::InvalidInput(InFile(file_name) + "the file is empty: there is no header line");
  }
  return Status::Ok();
}

// [SECTION] Numbers ---------------------------------------------------------------------------

enum class NumberKind { kInteger, kDecimal };

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of a digit-group separator at `pos` (space, NBSP, U+202F, U+2009), or 0.
std::size_t GroupSeparatorLength(std::string_view s, std::size_t pos) {
  const std::string_view rest = s.substr(pos);
  if (rest.starts_with(' ')) return 1;
  if (rest.starts_with(kNbsp)) return 2;
  if (rest.starts_with("\xE2\x80\xAF") || rest.starts_with("\xE2\x80\x89")) return 3;
  return 0;
}

std::string_view TrimNumberSpace(std::string_view s) {
  constexpr std::array<std::string_view, 4> kSpaces = {" ", "\t", kNbsp, "\xE2\x80\xAF"};
  bool trimmed = true;
  while (trimmed) {
    trimmed = false;
    for (const std::string_view space : kSpaces) {
      if (s.starts_with(space)) {
        s.remove_prefix(space.size());
        trimmed = true;
      }
      if (s.ends_with(space)) {
        s.remove_suffix(space.size());
        trimmed = true;
      }
    }
  }
  return s;
}

// The ASCII form std::from_chars reads ("-1234.5e3"), or nullopt when `text` is not a number in
// the syntax csv.h describes.
std::optional<std::string> CanonicalNumber(std::string_view text, NumberKind kind) {
  text = TrimNumberSpace(text);
  std::string out;
  std::size_t pos = 0;
  const std::size_t size = text.size();
  if (text.starts_with('-')) {
    out.push_back('-');
    pos = 1;
  } else if (text.starts_with('+')) {
    pos = 1;
  } else if (text.starts_with("\xE2\x88\x92")) {  // U+2212 MINUS SIGN
    out.push_back('-');
    pos = 3;
  }

  std::size_t int_digits = 0;
  std::size_t group_length = 0;
  bool grouped = false;
  while (pos < size) {
    if (IsDigit(text[pos])) {
      out.push_back(text[pos]);
      ++int_digits;
      ++group_length;
      ++pos;
      continue;
    }
    const std::size_t separator_length = GroupSeparatorLength(text, pos);
    if (separator_length == 0 || group_length == 0 || pos + separator_length >= size ||
        !IsDigit(text[pos + separator_length])) {
      break;
    }
    if (grouped ? group_length != 3 : group_length > 3) return std::nullopt;
    grouped = true;
    group_length = 0;
    pos += separator_length;
  }
  if (grouped && group_length != 3) return std::nullopt;

  std::size_t fraction_digits = 0;
  if (pos < size && (text[pos] == ',' || text[pos] == '.')) {
    if (kind == NumberKind::kInteger) return std::nullopt;
    if (int_digits == 0) out.push_back('0');
    out.push_back('.');
    ++pos;
    while (pos < size && IsDigit(text[pos])) {
      out.push_back(text[pos]);
      ++fraction_digits;
      ++pos;
    }
    if (fraction_digits == 0) return std::nullopt;
  }
  if (int_digits == 0 && fraction_digits == 0) return std::nullopt;

  if (kind == NumberKind::kDecimal && pos < size && (text[pos] == 'e' || text[pos] == 'E')) {
    out.push_back('e');
    ++pos;
    if (pos < size && (text[pos] == '+' || text[pos] == '-')) {
      if (text[pos] == '-') out.push_back('-');
      ++pos;
    }
    std::size_t exponent_digits = 0;
    while (pos < size && IsDigit(text[pos])) {
      out.push_back(text[pos]);
      ++exponent_digits;
      ++pos;
    }
    if (exponent_digits == 0) return std::nullopt;
  }
  if (pos != size) return std::nullopt;
  return out;
}

// [SECTION] Writing ---------------------------------------------------------------------------

bool NeedsQuotes(std::string_view cell, char separator) {
  if (cell.find_first_of(std::string_view("\"\r\n", 3)) != std::string_view::npos) return true;
  if (cell.find(separator) != std::string_view::npos) return true;
  return TrimCell(cell).size() != cell.size();
}

// "header, column 2" or "row 3, column «Название»" (row numbers count data rows from 1).
std::string CellPlace(std::size_t row_number, std::size_t column, const std::vector<std::string>& header) {
  std::string place = row_number == 0 ? std::string("header") : "row " + std::to_string(row_number);
  if (row_number != 0 && column < header.size() && !header[column].empty()) {
    return place + ", column «" + header[column] + "»";
  }
  return place + ", column " + std::to_string(column + 1);
}

// Appends one record (`row_number` 0 for the header) and its "\r\n".
Status AppendRecord(std::string& out, const std::vector<std::string>& cells, std::size_t row_number,
                    const std::vector<std::string>& header, const CsvDialect& dialect) {
  if (cells.empty()) {
    out += "\"\"\r\n";  // An empty line would be skipped as blank.
    return Status::Ok();
  }
  const bool all_empty = std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return c.empty(); });
  for (std::size_t column = 0; column < cells.size(); ++column) {
    const std::string& cell = cells[column];
    if (column > 0) out.push_back(dialect.separator);
    if (!IsValidUtf8(cell)) {
      return Status::InvalidInput(CellPlace(row_number, column, header) + ": the text is not valid UTF-8");
    }
    if (cell.find('\0') != std::string::npos) {
      return Status::InvalidInput(CellPlace(row_number, column, header) +
                                  ": the text contains a NUL character, which CSV cannot hold");
    }
    std::string encoded;
    if (dialect.encoding == TextEncoding::kWindows1251) {
      Result<std::string> converted = Utf8ToWindows1251(cell);
      if (!converted.ok()) return converted.status().WithContext(CellPlace(row_number, column, header));
      encoded = std::move(converted).value();
    } else {
      encoded = cell;
    }
    // In the header, any separator candidate is quoted so that ParseCsv detects ours.
    const bool quote = NeedsQuotes(cell, dialect.separator) || (all_empty && column == 0) ||
                       (row_number == 0 &&
                        (cell.find_first_of(",;\t") != std::string::npos || (column == 0 && cell.starts_with("sep="))));
    if (!quote) {
      out += encoded;
      continue;
    }
    out.push_back('"');
    for (const char c : encoded) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out += "\r\n";
  return Status::Ok();
}

// [SECTION] Header names ----------------------------------------------------------------------

bool IsHeaderSpace(char32_t cp) {
  return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

char32_t ToLowerForHeader(char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + ('a' - 'A');
  if (cp >= 0x0410 && cp <= 0x042F) return cp + 0x20;  // А..Я
  if (cp >= 0x0400 && cp <= 0x040F) return cp + 0x50;  // Ѐ..Џ, including Ё
  if (cp == 0x0490) return 0x0491;                     // Ґ
  return cp;
}

}  // namespace

// [SECTION] Public functions ------------------------------------------------------------------

bool IsValidUtf8(std::string_view bytes) { return FirstInvalidUtf8(bytes) == std::string_view::npos; }

std::string Windows1251ToUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 2);
  for (const char c : bytes) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out.push_back(c);
    } else {
      AppendUtf8(out, kWindows1251High[byte - 0x80]);
    }
  }
  return out;
}

Result<std::string> Utf8ToWindows1251(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    if (static_cast<unsigned char>(utf8[pos]) < 0x80) {
      out.push_back(utf8[pos]);
      ++pos;
      continue;
    }
    char32_t cp = 0;
    const std::size_t length = DecodeUtf8At(utf8, pos, cp);
    if (length == 0) {
      return Status::InvalidInput("byte " + ByteName(static_cast<unsigned char>(utf8[pos])) + " at offset " +
                                  std::to_string(pos) + " is not valid UTF-8");
    }
    const std::optional<unsigned char> byte = EncodeWindows1251(cp);
    if (!byte) {
      // C1 control characters are invisible; name them by code point only.
      const std::string shown = cp < 0xA0 ? std::string() : "«" + std::string(utf8.substr(pos, length)) + "» ";
      return Status::InvalidInput("the character " + shown + "(" + CodePointName(cp) +
                                  ") has no Windows-1251 code; use UTF-8 to keep it");
    }
    out.push_back(static_cast<char>(*byte));
    pos += length;
  }
  return out;
}

Result<CsvTable> ParseCsv(std::string_view bytes, std::string_view file_name) {
  if (bytes.size() > kMaxCsvBytes) {
    return Status::InvalidInput(InFile(file_name) + "the file is " + std::to_string(bytes.size() / (1024 * 1024)) +
                                " MiB; at most 64 MiB can be read");
  }
  RETURN_IF_ERROR(CheckLooksLikeText(bytes, file_name));

  CsvTable table;
  std::string decoded;
  std::string_view text;
  if (bytes.starts_with(kUtf8Bom)) {
    text = bytes.substr(kUtf8Bom.size());
    RETURN_IF_ERROR(CheckOneEncoding(text, /*utf8=*/true, 1, file_name));
    table.encoding = TextEncoding::kUtf8;
  } else if (IsValidUtf8(bytes)) {
    text = bytes;
    table.encoding = TextEncoding::kUtf8;
  } else {
    RETURN_IF_ERROR(CheckOneEncoding(bytes, /*utf8=*/false, 1, file_name));
    decoded = Windows1251ToUtf8(bytes);
    text = decoded;
    table.encoding = TextEncoding::kWindows1251;
  }

  std::size_t pos = 0;
  int line = 1;
  char hinted = '\0';
  RETURN_IF_ERROR(ReadSeparatorHint(text, file_name, hinted, pos));
  if (hinted != '\0') {
    table.separator = hinted;
    line = 2;
  } else {
    table.separator = DetectSeparator(text, pos);
  }
  RETURN_IF_ERROR(ReadRecords(text, pos, line, file_name, table));
  return table;
}

std::optional<double> ParseDecimal(std::string_view text) {
  const std::optional<std::string> canonical = CanonicalNumber(text, NumberKind::kDecimal);
  if (!canonical) return std::nullopt;
  double value = 0;
  const char* end = canonical->data() + canonical->size();
  const auto [ptr, ec] = std::from_chars(canonical->data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<int64_t> ParseInteger(std::string_view text) {
  const std::optional<std::string> canonical = CanonicalNumber(text, NumberKind::kInteger);
  if (!canonical) return std::nullopt;
  int64_t value = 0;
  const char* end = canonical->data() + canonical->size();
  const auto [ptr, ec] = std::from_chars(canonical->data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

Result<std::string> WriteCsv(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                             const CsvDialect& dialect) {
  if (header.empty()) {
    return Status::InvalidInput("a CSV file needs at least one column in its header");
  }
  if (dialect.separator != ',' && dialect.separator != ';' && dialect.separator != '\t') {
    return Status::InvalidInput("the CSV separator must be ',', ';' or a tab");
  }
  if (dialect.bom && dialect.encoding != TextEncoding::kUtf8) {
    return Status::InvalidInput("a byte order mark can only be written with UTF-8");
  }
  std::string out;
  if (dialect.bom) out += kUtf8Bom;
  RETURN_IF_ERROR(AppendRecord(out, header, 0, header, dialect));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    RETURN_IF_ERROR(AppendRecord(out, rows[i], i + 1, header, dialect));
  }
  return out;
}

namespace {
bool StartsLikeFormula(std::string_view text) {
  return !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
}
}  // namespace

std::string GuardFormulaText(std::string_view text) {
  if (!StartsLikeFormula(text)) return std::string(text);
  return "'" + std::string(text);
}

bool IsFormulaGuarded(std::string_view cell) {
  return cell.size() >= 2 && cell[0] == '\'' && StartsLikeFormula(cell.substr(1));
}

std::string NormalizeHeader(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  bool pending_space = false;
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    char32_t cp = 0;
    const std::size_t length = DecodeUtf8At(utf8, pos, cp);
    if (length != 0 && IsHeaderSpace(cp)) {
      pending_space = !out.empty();
      pos += length;
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    if (length == 0) {
      out.push_back(utf8[pos]);  // Not UTF-8: keep the byte.
      ++pos;
    } else {
      AppendUtf8(out, ToLowerForHeader(cp));
      pos += length;
    }
  }
  return out;
}

}  // namespace mentorlog::core
