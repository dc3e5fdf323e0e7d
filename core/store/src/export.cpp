// CSV and JSON export of one record kind, driven by the RecordTraits field tables.
#include "mentorlog/store/export.h"

#include <cmath>
#include <type_traits>
#include <vector>

#include "mentorlog/domain/csv.h"
#include "mentorlog/domain/field_codec.h"
#include "mentorlog/domain/json_text.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/domain/text.h"

namespace mentorlog::core {

namespace {

enum class DecimalMark { kPoint, kComma };

// The text of a CSV cell. Lists are joined by "; " (what the import splits on, and easier to
// read in a spreadsheet than line breaks).
template <class T>
std::string CellText(const T& v, DecimalMark mark) {
  if constexpr (IsOptional<T>::value) {
    return v ? CellText(*v, mark) : std::string();
  } else if constexpr (IsVector<T>::value) {
    std::string s;
    for (const auto& item : v) {
      if (!s.empty()) s += "; ";
      s += CellText(item, mark);
    }
    return s;
  } else if constexpr (std::is_same_v<T, double>) {
    std::string s = FieldCodec<double>::ToText(v);
    if (mark == DecimalMark::kComma) {
      for (char& c : s) {
        if (c == '.') c = ',';
      }
    }
    return s;
  } else {
    return FieldCodec<T>::ToText(v);
  }
}

// Whether a field holds free text (a text, or a list of texts) rather than a number, a date,
// an id or a code.
template <class T>
constexpr bool kIsTextField = std::is_same_v<T, std::string> || std::is_same_v<T, std::vector<std::string>>;

template <class R>
Result<std::string> ExportCsv(const std::vector<R>& records, bool excel) {
  std::vector<std::string> header = {"id"};
  ForEachFieldDef<R>([&](const auto& def) { header.emplace_back(def.name); });
  const DecimalMark mark = excel ? DecimalMark::kComma : DecimalMark::kPoint;

  // Windows-1251 has no U+FFFD.
  const std::string_view replacement = excel ? std::string_view("?") : std::string_view("\xEF\xBF\xBD");
  std::vector<std::vector<std::string>> rows;
  rows.reserve(records.size());
  for (const R& r : records) {
    std::vector<std::string>& row = rows.emplace_back();
    row.reserve(header.size());
    row.push_back(r.id.ToString());
    ForEachFieldDef<R>([&](const auto& def) {
      using T = std::remove_cvref_t<decltype(r.*(def.member))>;
      // A text stored by an old version may hold what records may not (text.h): written
      // with a replacement character rather than failing the export.
      std::string cell = ToRecordText(CellText(r.*(def.member), mark), replacement);
      if constexpr (kIsTextField<T>) cell = GuardFormulaText(cell);
      row.push_back(std::move(cell));
    });
  }

  const CsvDialect dialect = excel ? CsvDialect::Excel() : CsvDialect{',', TextEncoding::kUtf8, false};
  Result<std::string> bytes = WriteCsv(header, rows, dialect);
  if (!bytes.ok() && excel) {
    const LocalText why = bytes.status().local_message();
    return Status::InvalidInput(
        LocalText{why.ru + "; в Windows-1251 (выгрузка --excel) такого знака нет: выгрузите без --excel, "
                           "в UTF-8 сохраняются все знаки",
                  why.en + "; Windows-1251 (the --excel export) has no code for it: export without --excel "
                           "to get UTF-8, which keeps every character"});
  }
  return bytes;
}

// Appends the JSON value of one field. Texts go through ToRecordText, so a stored text that
// is not valid UTF-8 or holds a NUL (written by an old version) still gives valid JSON.
template <class T>
Status AppendJsonValue(std::string& out, const T& v) {
  if constexpr (IsOptional<T>::value) {
    if (!v) {
      out += "null";
      return Status::Ok();
    }
    return AppendJsonValue(out, *v);
  } else if constexpr (IsVector<T>::value) {
    out += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) out += ", ";
      AppendJsonString(out, ToRecordText(FieldCodec<typename T::value_type>::ToText(v[i])));
    }
    out += ']';
    return Status::Ok();
  } else if constexpr (std::is_same_v<T, bool>) {
    out += v ? "true" : "false";
    return Status::Ok();
  } else if constexpr (std::is_same_v<T, int64_t>) {
    out += std::to_string(v);
    return Status::Ok();
  } else if constexpr (std::is_same_v<T, double>) {
    // Shortest text that reads back to the same double; JSON has no NaN or infinity.
    out += std::isfinite(v) ? FieldCodec<double>::ToText(v) : std::string("null");
    return Status::Ok();
  } else {
    AppendJsonString(out, ToRecordText(FieldCodec<T>::ToText(v)));
    return Status::Ok();
  }
}

template <class R>
Result<std::string> ExportJson(const std::vector<R>& records) {
  std::string out = "[";
  for (size_t i = 0; i < records.size(); ++i) {
    const R& r = records[i];
    out += i ? ",\n" : "\n";
    out += "{\"id\": ";
    AppendJsonString(out, r.id.ToString());
    Status status;
    ForEachFieldDef<R>([&](const auto& def) {
      if (!status.ok()) return;
      out += ", ";
      AppendJsonString(out, def.name);
      out += ": ";
      status = AppendJsonValue(out, r.*(def.member));
    });
    RETURN_IF_ERROR(status);
    out += '}';
  }
  out += records.empty() ? "]\n" : "\n]\n";
  return out;
}

}  // namespace

Result<std::string> Export(const Records& records, RecordKind kind, ExportFormat format, bool excel) {
  if (format == ExportFormat::kJson && excel) {
    return Status::InvalidInput(
        LocalText{"--excel — только для CSV; JSON всегда в UTF-8", "--excel is for CSV; JSON is always UTF-8"});
  }
  return VisitKind(kind, [&]<class R>() -> Result<std::string> {
    ASSIGN_OR_RETURN(std::vector<R> list, records.List<R>());
    if (format == ExportFormat::kJson) return ExportJson(list);
    return ExportCsv(list, excel);
  });
}

}  // namespace mentorlog::core
