// CSV import: header matching, cell parsing, natural-key upserts in one transaction.
//
// [SECTION] Messages
// [SECTION] Columns of each kind
// [SECTION] Header matching
// [SECTION] Cells
// [SECTION] Lookups (schools, people) and record indexes
// [SECTION] Rows
// [SECTION] Kinds: natural keys and the special columns
// [SECTION] The import loop
// [SECTION] Public API
#include "mentorlog/domain/import.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <type_traits>
#include <unordered_map>

#include "mentorlog/domain/csv.h"
#include "mentorlog/domain/field_codec.h"
#include "mentorlog/domain/records.h"

namespace mentorlog::core {

namespace {

// -----------------------------------------------------------------------------------------
// [SECTION] Messages
// -----------------------------------------------------------------------------------------

// A message in both languages, English first as the code reads: Local("no column", "нет столбца").
LocalText Local(std::string en, std::string ru) { return LocalText{std::move(ru), std::move(en)}; }

std::string Quote(std::string_view s) { return "«" + std::string(s) + "»"; }

bool IsBlank(std::string_view s) {
  // ParseCsv already trims unquoted cells; a quoted "  " is still nothing to import.
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// The key header names, person names, subjects and indicator labels are compared by:
// NormalizeHeader (case, runs of spaces), then 'ё' as 'е' and '_' as a space.
std::string MatchKey(std::string_view text) {
  const std::string normal = NormalizeHeader(text);
  std::string out;
  out.reserve(normal.size());
  for (size_t i = 0; i < normal.size(); ++i) {
    if (normal[i] == '\xD1' && i + 1 < normal.size() && normal[i + 1] == '\x91') {  // ё
      out += "\xD0\xB5";                                                            // е
      ++i;
    } else {
      out += normal[i] == '_' ? ' ' : normal[i];
    }
  }
  return NormalizeHeader(out);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Columns of each kind
// -----------------------------------------------------------------------------------------

// How a column's cells become a field.
enum class CellKind {
  kPlain,       // FieldCodec of the field's type (numbers also as Excel writes them)
  kSchoolCode,  // a school's code -> its id
  kShare,       // 0..1, or a percent with '%'
  kSpecial,     // the kind's own code reads it (person references, indicators)
};

struct Column {
  std::string_view field;  // the record's field it fills (RecordTraits name)
  CellKind cell;
  bool required;
  // Accepted header names: [0] the English one and [1] the Russian one shown in messages,
  // then other spellings seen in the region's spreadsheets.
  std::vector<std::string_view> names;
};

// Keep in step with docs/import.md.
const std::vector<Column>& ColumnsOf(RecordKind kind) {
  using C = CellKind;
  static const std::vector<Column> kSchools = {
      {"code", C::kPlain, true, {"code", "код ОО", "код", "код школы", "school code", "school_code"}},
      {"name", C::kPlain, true, {"name", "наименование", "наименование ОО", "название", "полное наименование"}},
      {"short_name",
       C::kPlain,
       false,
       {"short_name", "краткое наименование", "сокращённое наименование", "краткое название"}},
      {"municipality", C::kPlain, true, {"municipality", "муниципалитет", "муниципальное образование"}},
      {"district", C::kPlain, false, {"district", "район", "муниципальный район"}},
      {"settlement", C::kPlain, true, {"settlement", "тип поселения", "местность", "город/село"}},
      {"distance_km",
       C::kPlain,
       true,
       {"distance_km", "расстояние", "расстояние, км", "расстояние до районного центра",
        "расстояние до районного центра, км", "distance"}},
      {"pupils", C::kPlain, true, {"pupils", "обучающихся", "число обучающихся", "количество обучающихся"}},
      {"teachers", C::kPlain, true, {"teachers", "педагогов", "число педагогов", "количество педагогов"}},
      {"statuses", C::kPlain, false, {"status", "статус", "статусы", "statuses"}},
      {"status_year", C::kPlain, false, {"year", "год", "год статуса", "status_year"}},
      {"transition_programme", C::kPlain, false, {"transition_programme", "программа перехода"}},
      {"transition_programme_adopted_on",
       C::kPlain,
       false,
       {"transition_programme_adopted_on", "программа перехода утверждена", "дата утверждения программы перехода"}},
      {"management_team_trained", C::kPlain, false, {"management_team_trained", "управленческая команда обучена"}},
  };
  static const std::vector<Column> kPeople = {
      {"code", C::kPlain, false, {"code", "код", "табельный номер"}},
      {"full_name", C::kPlain, true, {"full_name", "ФИО", "ф.и.о.", "full name", "name"}},
      {"roles", C::kPlain, true, {"roles", "роль", "роли", "role"}},
      {"school_id", C::kSchoolCode, false, {"school_code", "код ОО", "код школы", "school"}},
      {"subjects", C::kPlain, false, {"subjects", "предметы", "предмет", "subject"}},
      {"email", C::kPlain, false, {"email", "электронная почта", "e-mail", "эл. почта", "почта"}},
      {"phone", C::kPlain, false, {"phone", "телефон"}},
  };
  static const std::vector<Column> kAssignments = {
      {"kind", C::kPlain, true, {"kind", "вид", "вид закрепления"}},
      {"assignee_id", C::kSpecial, true, {"assignee", "закреплённый", "наставник/тьютор", "наставник или тьютор"}},
      {"school_id", C::kSchoolCode, true, {"school_code", "код ОО", "код школы", "school"}},
      {"teacher_id", C::kSpecial, false, {"teacher", "учитель"}},
      {"subject", C::kPlain, false, {"subject", "предмет"}},
      {"starts_on", C::kPlain, true, {"starts_on", "с", "начало", "дата начала"}},
      {"ends_on", C::kPlain, false, {"ends_on", "по", "окончание", "дата окончания"}},
  };
  static const std::vector<Column> kResults = {
      {"school_id", C::kSchoolCode, true, {"school_code", "код ОО", "код школы", "код", "school"}},
      {"year", C::kPlain, true, {"year", "год"}},
      {"assessment", C::kPlain, true, {"assessment", "процедура", "оценочная процедура"}},
      {"subject", C::kPlain, true, {"subject", "предмет"}},
      {"grade", C::kPlain, true, {"grade", "класс", "параллель"}},
      {"participants", C::kPlain, false, {"participants", "участников", "число участников", "количество участников"}},
      {"mean_score", C::kPlain, false, {"mean_score", "средний балл"}},
      {"share_below_min",
       C::kShare,
       false,
       {"share_below_min", "доля ниже минимума", "доля не преодолевших минимальный порог"}},
      {"share_top", C::kShare, false, {"share_top", "доля высоких", "доля высоких результатов"}},
  };
  static const std::vector<Column> kIndicators = {
      {"school_id", C::kSchoolCode, true, {"school_code", "код ОО", "код школы", "код", "school"}},
      {"year", C::kPlain, true, {"year", "год"}},
      {"indicator", C::kSpecial, true, {"indicator", "показатель"}},
      {"value", C::kSpecial, true, {"value", "значение"}},
  };
  // The programme's instruments (issue 15). A teacher is a code or a full name; the optional
  // school column next to it decides between namesakes, as in assignments.
  static const std::vector<Column> kAgreements = {
      {"number",
       C::kPlain,
       true,
       {"number", "номер договора", "номер", "№ договора", "№ соглашения", "номер соглашения"}},
      {"signed_on",
       C::kPlain,
       true,
       {"signed_on", "дата заключения", "дата договора", "дата подписания", "дата соглашения", "заключён"}},
      {"supported_school_id",
       C::kSchoolCode,
       true,
       {"supported_school_code", "код ОО", "код школы", "код поддерживаемой школы", "код ШНОР", "school_code",
        "supported_school_id"}},
      {"leader_school_id",
       C::kSpecial,
       false,
       {"partner_school_code", "код школы-партнёра", "код школы-лидера", "код ОО партнёра", "leader_school_code",
        "leader_school_id"}},
      {"partner_name",
       C::kPlain,
       false,
       {"partner_name", "партнёр", "организация-партнёр", "наименование партнёра", "социальный партнёр", "partner"}},
      {"partner_kind", C::kPlain, false, {"partner_kind", "вид партнёра", "тип партнёра"}},
      {"model", C::kPlain, false, {"model", "модель", "модель взаимодействия", "модель сетевого взаимодействия"}},
      {"ends_on", C::kPlain, false, {"ends_on", "действует до", "дата окончания", "срок действия", "окончание"}},
      {"subject", C::kPlain, false, {"subject", "предмет договора", "предмет соглашения", "предмет"}},
      {"status", C::kPlain, false, {"status", "статус", "статус договора"}},
      {"milestones", C::kPlain, false, {"milestones", "этапы", "основные этапы", "контрольные точки"}},
  };
  static const std::vector<Column> kRoadmap = {
      {"title", C::kPlain, true, {"title", "мероприятие", "наименование мероприятия", "название"}},
      {"level", C::kPlain, false, {"level", "уровень"}},
      {"school_id", C::kSchoolCode, false, {"school_code", "код ОО", "код школы", "school", "school_id"}},
      {"starts_on", C::kPlain, true, {"starts_on", "начало", "дата начала", "с"}},
      {"ends_on", C::kPlain, true, {"ends_on", "окончание", "дата окончания", "срок", "срок исполнения", "по"}},
      {"responsible", C::kPlain, false, {"responsible", "ответственный", "ответственные", "ответственные лица"}},
      {"participants", C::kPlain, false, {"participants", "участники"}},
      {"planned_result", C::kPlain, false, {"planned_result", "планируемый результат", "ожидаемый результат"}},
      {"status", C::kPlain, false, {"status", "статус"}},
      {"report", C::kPlain, false, {"report", "отчёт", "отчёт о выполнении"}},
      {"done_on", C::kPlain, false, {"done_on", "дата выполнения", "выполнено"}},
      {"evidence", C::kPlain, false, {"evidence", "подтверждение выполнения", "подтверждение", "документ"}},
  };
  static const std::vector<Column> kDeficits = {
      {"teacher_id", C::kSpecial, true, {"teacher", "учитель", "педагог", "ФИО педагога", "teacher_id"}},
      {"teacher_school", C::kSpecial, false, {"school_code", "код ОО", "код школы"}},
      {"area", C::kPlain, true, {"area", "дефицит", "профессиональный дефицит", "область", "компетенция"}},
      {"found_on", C::kPlain, true, {"found_on", "дата выявления", "выявлен"}},
      {"found_by", C::kPlain, false, {"found_by", "способ выявления", "как выявлен"}},
      {"remedy", C::kPlain, false, {"remedy", "способ устранения", "мера"}},
      {"closed_on", C::kPlain, false, {"closed_on", "дата устранения", "устранён"}},
      {"closed_by", C::kPlain, false, {"closed_by", "чем устранён", "как устранён"}},
      {"notes", C::kPlain, false, {"notes", "примечание", "примечания", "комментарий"}},
  };
  static const std::vector<Column> kTrainings = {
      {"teacher_id", C::kSpecial, true, {"teacher", "педагог", "учитель", "ФИО", "ФИО педагога", "teacher_id"}},
      {"teacher_school", C::kSpecial, false, {"school_code", "код ОО", "код школы"}},
      {"kind", C::kSpecial, false, {"kind", "вид", "вид обучения", "тип"}},
      {"provider",
       C::kPlain,
       true,
       {"provider", "организация", "образовательная организация", "место обучения", "где обучался",
        "организация, проводившая обучение"}},
      {"title",
       C::kPlain,
       true,
       {"title", "программа", "название программы", "наименование программы", "курс", "название курса", "тема"}},
      {"hours", C::kPlain, true, {"hours", "часов", "объём", "объём, ч", "объём, часов", "количество часов"}},
      {"starts_on", C::kPlain, true, {"starts_on", "начало", "дата начала", "с"}},
      {"ends_on", C::kPlain, true, {"ends_on", "окончание", "дата окончания", "по"}},
      {"certificate",
       C::kPlain,
       false,
       {"certificate", "номер удостоверения", "удостоверение", "№ удостоверения", "документ", "номер документа"}},
  };
  static const std::vector<Column> kRouteItems = {
      {"teacher_id", C::kSpecial, true, {"teacher", "учитель", "педагог", "ФИО педагога", "teacher_id"}},
      {"teacher_school", C::kSpecial, false, {"school_code", "код ОО", "код школы"}},
      {"activity", C::kPlain, false, {"activity", "форма", "форма работы", "вид деятельности"}},
      {"title", C::kPlain, true, {"title", "содержание", "мероприятие", "что сделать", "пункт"}},
      {"starts_on", C::kPlain, true, {"starts_on", "начало", "дата начала", "с"}},
      {"due_on", C::kPlain, true, {"due_on", "срок", "срок выполнения", "окончание", "по"}},
      {"status", C::kPlain, false, {"status", "статус"}},
      {"done_on", C::kPlain, false, {"done_on", "дата выполнения", "выполнено"}},
      {"result", C::kPlain, false, {"result", "результат"}},
  };
  static const std::vector<Column> kEvents = {
      {"title", C::kPlain, true, {"title", "название", "мероприятие", "название мероприятия", "тема"}},
      {"kind", C::kPlain, false, {"kind", "форма", "вид", "форма мероприятия", "вид мероприятия"}},
      {"organiser_school_id",
       C::kSchoolCode,
       false,
       {"organiser_school_code", "код ОО организатора", "код ОО", "код школы-организатора", "organiser_school_id"}},
      {"held_on", C::kPlain, true, {"held_on", "дата", "дата проведения"}},
      {"report", C::kPlain, false, {"report", "итоги", "отчёт", "краткий отчёт"}},
  };
  static const std::vector<Column> kParticipants = {
      {"event_id", C::kSpecial, true, {"event", "мероприятие", "название мероприятия", "event_id"}},
      {"event_date", C::kSpecial, false, {"event_date", "дата мероприятия", "дата", "дата проведения", "held_on"}},
      {"teacher_id", C::kSpecial, true, {"teacher", "учитель", "педагог", "участник", "ФИО", "teacher_id"}},
      {"teacher_school", C::kSpecial, false, {"school_code", "код ОО", "код школы"}},
  };
  static const std::vector<Column> kPlanItems = {
      {"person_id",
       C::kSpecial,
       true,
       {"person", "исполнитель", "наставник или тьютор", "наставник/тьютор", "сотрудник", "person_id"}},
      {"school_id", C::kSchoolCode, true, {"school_code", "код ОО", "код школы", "school", "school_id"}},
      {"teacher_id", C::kSpecial, false, {"teacher", "учитель", "педагог", "teacher_id"}},
      {"activity", C::kPlain, true, {"activity", "вид работы", "вид", "вид деятельности"}},
      {"planned_on", C::kPlain, true, {"planned_on", "дата", "планируемая дата", "когда"}},
      {"title", C::kPlain, false, {"title", "содержание", "что запланировано", "тема"}},
      {"done_on", C::kPlain, false, {"done_on", "дата выполнения", "выполнено"}},
  };
  static const std::vector<Column> kNone;
  switch (kind) {
    case RecordKind::kSchool:
      return kSchools;
    case RecordKind::kPerson:
      return kPeople;
    case RecordKind::kAssignment:
      return kAssignments;
    case RecordKind::kAssessmentResult:
      return kResults;
    case RecordKind::kContextIndicator:
      return kIndicators;
    case RecordKind::kNetworkAgreement:
      return kAgreements;
    case RecordKind::kRoadmapItem:
      return kRoadmap;
    case RecordKind::kDeficit:
      return kDeficits;
    case RecordKind::kTraining:
      return kTrainings;
    case RecordKind::kRouteItem:
      return kRouteItems;
    case RecordKind::kNetworkEvent:
      return kEvents;
    case RecordKind::kEventParticipant:
      return kParticipants;
    case RecordKind::kPlanItem:
      return kPlanItems;
    default:
      return kNone;
  }
}

// -----------------------------------------------------------------------------------------
// [SECTION] Header matching
// -----------------------------------------------------------------------------------------

// Which file column holds each wanted column.
class Header {
 public:
  // Errors (InvalidInput): a required column is missing; two file columns mean one field.
  // Adds a note for every named column that is not used.
  static Result<Header> Match(const CsvTable& table, const std::vector<Column>& columns, std::string_view file,
                              std::vector<LocalText>& notes) {
    Header h;
    h.columns_ = &columns;
    h.index_.assign(columns.size(), -1);
    h.names_ = table.header;
    for (size_t i = 0; i < table.header.size(); ++i) {
      const std::string key = MatchKey(table.header[i]);
      if (key.empty()) {
        const bool has_data = std::any_of(table.rows.begin(), table.rows.end(), [&](const CsvTable::Row& r) {
          return i < r.cells.size() && !IsBlank(r.cells[i]);
        });
        if (has_data) {
          notes.push_back(Local(
              std::string(file) + ": column " + std::to_string(i + 1) + " has no name in the header and was ignored.",
              std::string(file) + ": у столбца " + std::to_string(i + 1) + " нет названия в заголовке; он пропущен."));
        }
        continue;
      }
      bool used = false;
      for (size_t c = 0; c < columns.size() && !used; ++c) {
        for (std::string_view name : columns[c].names) {
          if (MatchKey(name) != key) continue;
          if (h.index_[c] >= 0) {
            return Status::InvalidInput(Local(
                std::string(file) + ": the columns " + Quote(table.header[static_cast<size_t>(h.index_[c])]) + " and " +
                    Quote(table.header[i]) + " both give «" + std::string(columns[c].names[0]) + "»; keep one of them.",
                std::string(file) + ": столбцы " + Quote(table.header[static_cast<size_t>(h.index_[c])]) + " и " +
                    Quote(table.header[i]) + " означают одно и то же («" + std::string(columns[c].names[1]) +
                    "»); оставьте один из них."));
          }
          h.index_[c] = static_cast<int>(i);
          used = true;
          break;
        }
      }
      if (!used) {
        notes.push_back(
            Local(std::string(file) + ": column " + Quote(table.header[i]) + " is not used and was ignored.",
                  std::string(file) + ": столбец " + Quote(table.header[i]) + " не используется; он пропущен."));
      }
    }
    LocalText missing;
    for (size_t c = 0; c < columns.size(); ++c) {
      if (!columns[c].required || h.index_[c] >= 0) continue;
      std::string accepted;
      for (std::string_view name : columns[c].names) accepted += (accepted.empty() ? "" : ", ") + std::string(name);
      if (!missing.en.empty()) {
        missing.en += "; ";
        missing.ru += "; ";
      }
      missing.en += "no column " + Quote(columns[c].names[0]) + " (name it one of: " + accepted + ")";
      missing.ru += "нет столбца " + Quote(columns[c].names[1]) + " (подходящие названия: " + accepted + ")";
    }
    if (!missing.en.empty()) {
      return Status::InvalidInput(LocalText{missing.ru + ".", missing.en + "."}).WithContext(file);
    }
    return h;
  }

  const std::vector<Column>& columns() const { return *columns_; }
  size_t width() const { return names_.size(); }
  // The file column of the wanted column `c`, or -1 when the file has none.
  int IndexOf(size_t c) const { return index_[c]; }
  int IndexOf(std::string_view field) const {
    for (size_t c = 0; c < columns_->size(); ++c) {
      if ((*columns_)[c].field == field) return index_[c];
    }
    return -1;
  }
  const std::string& NameAt(int file_column) const { return names_[static_cast<size_t>(file_column)]; }

 private:
  const std::vector<Column>* columns_ = nullptr;
  std::vector<int> index_;
  std::vector<std::string> names_;
};

// -----------------------------------------------------------------------------------------
// [SECTION] Cells
// -----------------------------------------------------------------------------------------

LocalText EmptyCell(std::string_view what_en, std::string_view what_ru) {
  return Local("the cell is empty; write " + std::string(what_en), "ячейка пуста; впишите " + std::string(what_ru));
}

// A text cell without the export's guard against formulas (csv.h's GuardFormulaText): "'=1+1"
// is "=1+1", so an exported file imports back unchanged. Other apostrophes stay.
std::string_view WithoutFormulaGuard(std::string_view text) {
  if (IsFormulaGuarded(text)) text.remove_prefix(1);
  return text;
}

// Parses one cell into `out`. Returns the reason when the text is not a value of T.
template <class T>
std::optional<LocalText> ParseCell(std::string_view text, T& out) {
  if constexpr (std::is_same_v<T, std::string>) {
    out = std::string(WithoutFormulaGuard(text));
    return std::nullopt;
  } else if constexpr (IsOptional<T>::value) {
    if (IsBlank(text)) {
      out.reset();
      return std::nullopt;
    }
    typename T::value_type inner{};
    if (auto error = ParseCell(text, inner)) return error;
    out = std::move(inner);
    return std::nullopt;
  } else if constexpr (std::is_same_v<T, int64_t>) {
    if (IsBlank(text)) return EmptyCell("a whole number", "целое число");
    if (auto n = ParseInteger(text)) {  // "1 234" with Excel's no-break spaces
      out = *n;
      return std::nullopt;
    }
    Status s = FieldCodec<int64_t>::FromText(text, out);
    if (s.ok()) return std::nullopt;
    return Local(s.message(), Quote(text) + " — не целое число");
  } else if constexpr (std::is_same_v<T, double>) {
    if (IsBlank(text)) return EmptyCell("a number", "число");
    if (auto d = ParseDecimal(text)) {  // "1 234,5"
      out = *d;
      return std::nullopt;
    }
    Status s = FieldCodec<double>::FromText(text, out);
    if (s.ok()) return std::nullopt;
    return Local(s.message(), Quote(text) + " — не число");
  } else if constexpr (std::is_same_v<T, bool>) {
    Status s = FieldCodec<bool>::FromText(text, out);
    if (s.ok()) return std::nullopt;
    return Local(s.message(), Quote(text) + " — не «да» или «нет»");
  } else if constexpr (std::is_same_v<T, Date>) {
    if (IsBlank(text)) return EmptyCell("a date such as 14.03.2025", "дату, например 14.03.2025");
    Status s = FieldCodec<Date>::FromText(text, out);
    if (s.ok()) return std::nullopt;
    return Local(s.message(), Quote(text) + " — не дата (пишите 14.03.2025 или 2025-03-14)");
  } else if constexpr (std::is_enum_v<T>) {
    if (IsBlank(text)) {
      return EmptyCell(
          "one of: " + EnumChoices<T>(Language::kEnglish) + " (" + EnumChoices<T>(Language::kRussian) + ")",
          "одно из значений: " + EnumChoices<T>(Language::kRussian) + " (" + EnumChoices<T>(Language::kEnglish) + ")");
    }
    Status s = FieldCodec<T>::FromText(text, out);
    if (s.ok()) return std::nullopt;
    // «прекращен» for «прекращён», as a header may write 'е' for 'ё'.
    for (const auto& e : EnumEntries<T>()) {
      if (MatchKey(text) == MatchKey(e.ru)) {
        out = e.value;
        return std::nullopt;
      }
    }
    return Local(s.message(), Quote(text) + " — недопустимое значение; допустимо: " +
                                  EnumChoices<T>(Language::kRussian) + " (" + EnumChoices<T>(Language::kEnglish) + ")");
  } else if constexpr (IsVector<T>::value && std::is_enum_v<typename T::value_type>) {
    // "ШНОР; ШНСУ" or "ШНОР, ШНСУ"; a value with a comma of its own ("Школа, функционирующая в
    // сложных социальных условиях, ШНОР") is read whole: the longest run that is one value.
    using E = typename T::value_type;
    out.clear();
    auto split = [](std::string_view in, std::string_view seps) {
      std::vector<std::string_view> parts;
      size_t start = 0;
      while (start <= in.size()) {
        size_t end = in.find_first_of(seps, start);
        if (end == std::string_view::npos) end = in.size();
        parts.push_back(in.substr(start, end - start));
        start = end + 1;
      }
      return parts;
    };
    auto add = [&](E item) {
      if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
    };
    for (std::string_view part : split(text, ";\n")) {
      const std::vector<std::string_view> pieces = split(part, ",");
      for (size_t i = 0; i < pieces.size();) {
        if (IsBlank(pieces[i])) {
          ++i;
          continue;
        }
        // The longest run of pieces from here that is one value, commas and all.
        size_t next = i + 1;
        std::optional<E> item;
        for (size_t j = pieces.size(); j > i && !item; --j) {
          const char* from = pieces[i].data();
          const std::string_view run(from, static_cast<size_t>(pieces[j - 1].data() + pieces[j - 1].size() - from));
          if ((item = EnumFromText<E>(run))) next = j;
        }
        if (!item) {
          E one{};
          if (auto error = ParseCell(pieces[i], one)) return error;
          item = one;
        }
        add(*item);
        i = next;
      }
    }
    return std::nullopt;
  } else if constexpr (IsVector<T>::value) {
    Status s = FieldCodec<T>::FromText(WithoutFormulaGuard(text), out);  // texts: split on ';' and line breaks
    if (s.ok()) return std::nullopt;
    return s.local_message();
  } else {
    static_assert(sizeof(T) == 0, "no import parser for this field type");
  }
}

// A share: "0,125" or "12,5%". A number above 1 without '%' is refused: it is almost always
// a percent that lost its sign, and guessing would store 12.5 for 12.5%.
std::optional<LocalText> ParseShare(std::string_view text, double& out) {
  if (IsBlank(text)) return EmptyCell("a share such as 0,125 or 12,5%", "долю, например 0,125 или 12,5%");
  std::string_view number = text;
  bool percent = false;
  if (!number.empty() && number.back() == '%') {
    percent = true;
    number.remove_suffix(1);
    while (true) {  // "12,5 %" and "12,5\u00A0%"
      if (!number.empty() && (number.back() == ' ' || number.back() == '\t')) {
        number.remove_suffix(1);
      } else if (number.size() >= 2 && number.substr(number.size() - 2) == "\xC2\xA0") {
        number.remove_suffix(2);
      } else {
        break;
      }
    }
  }
  double value = 0;
  if (auto error = ParseCell(number, value)) {
    return Local(Quote(text) + " is not a share (write 0,125 or 12,5%)",
                 Quote(text) + " — не доля (пишите 0,125 или 12,5%)");
  }
  if (percent) value /= 100;
  if (!percent && value > 1) {
    return Local(Quote(text) + " is a share and must be between 0 and 1; write a percent with its sign: " +
                     Quote(std::string(text) + "%"),
                 Quote(text) +
                     " — доля, она должна быть от 0 до 1; процент пишите со знаком: " + Quote(std::string(text) + "%"));
  }
  if (value < 0) {
    return Local(Quote(text) + " is negative; a share is between 0 and 1",
                 Quote(text) + " — отрицательное число; доля бывает от 0 до 1");
  }
  out = value;
  return std::nullopt;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Lookups (schools, people) and record indexes
// -----------------------------------------------------------------------------------------

// Stored records of one kind, found by the keys a row may match them by. Loaded once per
// import (a writer has no lookup for most of these keys); new and updated records are put back
// so later rows of the same file see them.
template <class R>
class RecordIndex {
 public:
  using KeysFn = std::vector<std::string> (*)(const R&);

  explicit RecordIndex(KeysFn keys) : keys_(keys) {}

  Status Load(const RecordWriter& store) {
    ASSIGN_OR_RETURN(records_, store.List<R>());
    for (size_t i = 0; i < records_.size(); ++i) Add(i);
    return Status::Ok();
  }

  // Positions of the records stored under `key`.
  const std::vector<size_t>& Find(const std::string& key) const {
    static const std::vector<size_t> kNone;
    auto it = by_key_.find(key);
    return it == by_key_.end() ? kNone : it->second;
  }
  const R& at(size_t i) const { return records_[i]; }

  // Replaces record `i` (its keys may have changed), or appends when `i` is nullopt.
  void Put(std::optional<size_t> i, R record) {
    if (i) {
      Remove(*i);
      records_[*i] = std::move(record);
      Add(*i);
    } else {
      records_.push_back(std::move(record));
      Add(records_.size() - 1);
    }
  }

 private:
  void Add(size_t i) {
    for (auto& key : keys_(records_[i])) by_key_[key].push_back(i);
  }
  void Remove(size_t i) {
    for (auto& key : keys_(records_[i])) {
      auto& list = by_key_[key];
      list.erase(std::remove(list.begin(), list.end(), i), list.end());
    }
  }

  KeysFn keys_;
  std::vector<R> records_;
  std::unordered_map<std::string, std::vector<size_t>> by_key_;
};

std::string IdText(const std::optional<Uuid>& id) { return id ? id->ToString() : std::string(); }

std::string JoinKey(std::initializer_list<std::string_view> parts) {
  std::string key;
  for (auto p : parts) {
    key += p;
    key += '\x1f';
  }
  return key;
}

// A record's own id, as an export writes it in a reference column ("teacher_id"): such a file
// imports back.
std::string RecordIdKey(const Uuid& id) { return JoinKey({"id", id.ToString()}); }
std::optional<std::string> RecordIdKeyOf(std::string_view text) {
  Result<Uuid> id = Uuid::Parse(text);
  if (!id.ok()) return std::nullopt;
  return RecordIdKey(*id);
}

std::vector<std::string> SchoolKeys(const School& s) { return {s.code}; }

// A person is found by their code, or by full name and school.
std::string PersonCodeKey(std::string_view code) { return JoinKey({"code", code}); }
std::string PersonNameKey(std::string_view full_name, const std::optional<Uuid>& school) {
  return JoinKey({"name", MatchKey(full_name), IdText(school)});
}
std::string PersonAnyNameKey(std::string_view full_name) { return JoinKey({"any-name", MatchKey(full_name)}); }
// A row with a code that nobody has yet takes over the namesake at the same school who has
// no code, so adding a code column to a file imported before does not duplicate people.
std::string PersonUncodedNameKey(std::string_view full_name, const std::optional<Uuid>& school) {
  return JoinKey({"uncoded-name", MatchKey(full_name), IdText(school)});
}
std::vector<std::string> PersonKeys(const Person& p) {
  std::vector<std::string> keys = {PersonNameKey(p.full_name, p.school_id), PersonAnyNameKey(p.full_name),
                                   RecordIdKey(p.id)};
  keys.push_back(p.code.empty() ? PersonUncodedNameKey(p.full_name, p.school_id) : PersonCodeKey(p.code));
  return keys;
}

std::vector<std::string> AssignmentKeys(const Assignment& a) {
  return {JoinKey(
      {EnumCode(a.kind), a.assignee_id.ToString(), a.school_id.ToString(), IdText(a.teacher_id), MatchKey(a.subject)})};
}
std::vector<std::string> ResultKeys(const AssessmentResult& r) {
  return {JoinKey({r.school_id.ToString(), std::to_string(r.year), EnumCode(r.assessment), MatchKey(r.subject),
                   std::to_string(r.grade)})};
}
std::vector<std::string> IndicatorKeys(const ContextIndicator& c) {
  return {JoinKey({c.school_id.ToString(), std::to_string(c.year), c.indicator})};
}
std::vector<std::string> AgreementKeys(const NetworkAgreement& a) {
  return {JoinKey({MatchKey(a.number), a.supported_school_id.ToString()})};
}
std::vector<std::string> RoadmapKeys(const RoadmapItem& r) {
  return {JoinKey({MatchKey(r.title), IdText(r.school_id), r.starts_on.ToString()})};
}
std::vector<std::string> DeficitKeys(const Deficit& d) {
  return {JoinKey({d.teacher_id.ToString(), MatchKey(d.area), d.found_on.ToString()})};
}
std::vector<std::string> TrainingKeys(const Training& t) {
  return {JoinKey({t.teacher_id.ToString(), MatchKey(t.title), t.ends_on.ToString()})};
}
std::vector<std::string> RouteItemKeys(const RouteItem& r) {
  return {JoinKey({r.teacher_id.ToString(), MatchKey(r.title), r.starts_on.ToString()})};
}
// An event is found by its title and date (its key), by its title alone (a participants file
// without dates), and by its id (what the participants export writes).
std::string EventTitleDateKey(std::string_view title, const Date& held_on) {
  return JoinKey({"title-date", MatchKey(title), held_on.ToString()});
}
std::string EventTitleKey(std::string_view title) { return JoinKey({"title", MatchKey(title)}); }
std::vector<std::string> EventKeys(const NetworkEvent& e) {
  return {EventTitleDateKey(e.title, e.held_on), EventTitleKey(e.title), RecordIdKey(e.id)};
}
std::vector<std::string> ParticipantKeys(const EventParticipant& p) {
  return {JoinKey({p.event_id.ToString(), p.teacher_id.ToString()})};
}
std::vector<std::string> PlanItemKeys(const PlanItem& p) {
  return {JoinKey({p.person_id.ToString(), p.school_id.ToString(), EnumCode(p.activity), p.planned_on.ToString(),
                   MatchKey(p.title)})};
}

// -----------------------------------------------------------------------------------------
// [SECTION] Rows
// -----------------------------------------------------------------------------------------

// What the whole import shares: the file and the lookups rows need.
struct ImportContext {
  std::string file;
  std::unordered_map<std::string, Uuid> school_by_code;  // loaded for kinds that refer to schools
  std::unordered_map<std::string, Uuid> school_by_id;    // RecordIdKey -> id, the same schools
  RecordIndex<Person> people{PersonKeys};                // loaded for kinds that refer to people
  RecordIndex<NetworkEvent> events{EventKeys};           // loaded for event participants
};

// One data row: its cells by wanted column, and the problems found in it.
class Row {
 public:
  Row(const CsvTable::Row& row, char separator, const Header& header, const ImportContext& ctx)
      : row_(row), separator_(separator), header_(header), ctx_(ctx) {}

  std::string_view Cell(std::string_view field) const {
    const int i = header_.IndexOf(field);
    if (i < 0 || static_cast<size_t>(i) >= row_.cells.size()) return {};
    return row_.cells[static_cast<size_t>(i)];
  }

  // A problem with the cell of `field` (named as in the file's header), or with the whole
  // row when `field` is empty.
  void Problem(std::string_view field, LocalText reason) {
    ImportProblem p;
    p.file = ctx_.file;
    p.line = row_.line;
    if (!field.empty() && header_.IndexOf(field) >= 0) p.column = header_.NameAt(header_.IndexOf(field));
    p.reason = std::move(reason);
    problems_.push_back(std::move(p));
  }
  bool ok() const { return problems_.empty(); }
  std::vector<ImportProblem>& problems() { return problems_; }

  // The number of cells must match the header. Empty cells past the header are tolerated
  // (some tools pad rows with separators).
  void CheckWidth() {
    const size_t want = header_.width();
    const size_t have = row_.cells.size();
    if (have < want) {
      Problem("", Local("the row has " + std::to_string(have) + " cells but the header has " + std::to_string(want) +
                            "; a separator is missing, or a line break inside a value is not in quotes",
                        "в строке " + std::to_string(have) + " ячеек, а в заголовке " + std::to_string(want) +
                            "; пропущен разделитель или перенос строки внутри значения не взят в кавычки"));
    } else if (have > want && std::any_of(row_.cells.begin() + static_cast<std::ptrdiff_t>(want), row_.cells.end(),
                                          [](const std::string& c) { return !IsBlank(c); })) {
      Problem("", Local("the row has " + std::to_string(have) + " cells but the header has " + std::to_string(want) +
                            "; a value contains the separator " + Quote(std::string(1, separator_)) +
                            " (put it in quotes, or in a ',' file write decimals with a point)",
                        "в строке " + std::to_string(have) + " ячеек, а в заголовке " + std::to_string(want) +
                            "; в значении есть разделитель " + Quote(std::string(1, separator_)) +
                            " (возьмите значение в кавычки, а в файле с ',' пишите дроби через точку)"));
    }
  }

  // Resolves a school code cell. Reports and returns nullopt when blank or unknown.
  std::optional<Uuid> SchoolId(std::string_view field) {
    const std::string_view code = Cell(field);
    if (IsBlank(code)) {
      Problem(field, EmptyCell("the school's code", "код школы"));
      return std::nullopt;
    }
    auto it = ctx_.school_by_code.find(std::string(code));
    if (it == ctx_.school_by_code.end()) {
      if (auto key = RecordIdKeyOf(code)) {  // the id an export writes
        auto by_id = ctx_.school_by_id.find(*key);
        if (by_id != ctx_.school_by_id.end()) return by_id->second;
      }
      Problem(field, Local("no school with code " + Quote(code) + ": import schools first",
                           "нет школы с кодом " + Quote(code) + ": сначала импортируйте школы"));
      return std::nullopt;
    }
    return it->second;
  }

  // Resolves a person written as their code or full name. Among namesakes the ones of
  // `prefer_school` win. Reports and returns nullopt when unknown or ambiguous.
  std::optional<Uuid> PersonId(std::string_view field, const std::optional<Uuid>& prefer_school) {
    const std::string text(Cell(field));
    if (auto key = RecordIdKeyOf(text)) {  // the id an export writes
      const auto& by_id = ctx_.people.Find(*key);
      if (by_id.size() == 1) return ctx_.people.at(by_id[0]).id;
    }
    const auto& by_code = ctx_.people.Find(PersonCodeKey(text));
    if (by_code.size() == 1) return ctx_.people.at(by_code[0]).id;
    std::vector<size_t> found = ctx_.people.Find(PersonAnyNameKey(text));
    if (found.size() > 1 && prefer_school) {
      std::vector<size_t> local;
      for (size_t i : found) {
        if (ctx_.people.at(i).school_id == prefer_school) local.push_back(i);
      }
      if (!local.empty()) found = std::move(local);
    }
    if (found.size() == 1) return ctx_.people.at(found[0]).id;
    if (found.empty() && by_code.empty()) {
      Problem(field, Local("no person with code or full name " + Quote(text) + ": import people first",
                           "нет человека с кодом или ФИО " + Quote(text) + ": сначала импортируйте людей"));
    } else {
      const size_t n = std::max(found.size(), by_code.size());
      Problem(field,
              Local(std::to_string(n) + " people match " + Quote(text) + "; write the person's code instead",
                    "под " + Quote(text) + " подходят " + std::to_string(n) + " человек(а); укажите код человека"));
    }
    return std::nullopt;
  }

  // Resolves a required person column (a code or a full name); `school_field` is an optional
  // column with a school code that decides between namesakes. Reports and returns nullopt when
  // blank, unknown or ambiguous.
  std::optional<Uuid> RequiredPerson(std::string_view field, std::string_view school_field, std::string_view what_en,
                                     std::string_view what_ru) {
    if (IsBlank(Cell(field))) {
      Problem(field, EmptyCell(what_en, what_ru));
      return std::nullopt;
    }
    std::optional<Uuid> school;
    if (!school_field.empty() && !IsBlank(Cell(school_field))) {
      school = SchoolId(school_field);
      if (!school) return std::nullopt;
    }
    return PersonId(field, school);
  }

  // Resolves an event written as its title (with the date in `date_field`, when the file has
  // one) or as its id. Reports and returns nullopt when blank, unknown or ambiguous.
  std::optional<Uuid> EventId(std::string_view field, std::string_view date_field) {
    const std::string_view title = Cell(field);
    if (IsBlank(title)) {
      Problem(field, EmptyCell("the event's title", "название мероприятия"));
      return std::nullopt;
    }
    if (auto key = RecordIdKeyOf(title)) {
      const auto& by_id = ctx_.events.Find(*key);
      if (by_id.size() == 1) return ctx_.events.at(by_id[0]).id;
    }
    std::vector<size_t> found;
    const std::string_view date_text = Cell(date_field);
    if (!IsBlank(date_text)) {
      Date date;
      if (auto error = ParseCell(date_text, date)) {
        Problem(date_field, std::move(*error));
        return std::nullopt;
      }
      found = ctx_.events.Find(EventTitleDateKey(title, date));
      if (found.empty()) {
        Problem(field, Local("no network event " + Quote(title) + " on " + std::string(date_text) +
                                 ": check the title and the date, or import the events first",
                             "нет сетевого мероприятия " + Quote(title) + " " + std::string(date_text) +
                                 ": проверьте название и дату или сначала импортируйте мероприятия"));
        return std::nullopt;
      }
    } else {
      found = ctx_.events.Find(EventTitleKey(title));
      if (found.empty()) {
        Problem(field, Local("no network event " + Quote(title) + ": check the title, or import the events first",
                             "нет сетевого мероприятия " + Quote(title) +
                                 ": проверьте название или сначала импортируйте мероприятия"));
        return std::nullopt;
      }
    }
    if (found.size() > 1) {
      Problem(field, Local(std::to_string(found.size()) + " network events are called " + Quote(title) +
                               "; add a column «event_date» (or «дата мероприятия») with the event's date",
                           "мероприятий с названием " + Quote(title) + " несколько (" + std::to_string(found.size()) +
                               "); добавьте столбец «дата мероприятия» с датой проведения"));
      return std::nullopt;
    }
    return ctx_.events.at(found[0]).id;
  }

  bool Has(std::string_view field) const { return header_.IndexOf(field) >= 0; }

 private:
  const CsvTable::Row& row_;
  char separator_;
  const Header& header_;
  const ImportContext& ctx_;
  std::vector<ImportProblem> problems_;
};

// A row read into a record, with the fields the file gave (the others keep stored values).
template <class R>
struct Draft {
  R record;
  std::set<std::string_view> present;
};

// Calls fn(member) with the member of `r` named `field` (fn is generic over its type).
template <class R, class Fn>
void WithField(R& r, std::string_view field, Fn&& fn) {
  ForEachFieldDef<R>([&](const auto& def) {
    if (def.name == field) fn(r.*(def.member));
  });
}

// Reads every kPlain, kSchoolCode and kShare column present in the file.
template <class R>
void ReadCommonColumns(Row& row, const Header& header, Draft<R>& d) {
  for (size_t c = 0; c < header.columns().size(); ++c) {
    const Column& col = header.columns()[c];
    if (header.IndexOf(c) < 0 || col.cell == CellKind::kSpecial) continue;
    d.present.insert(col.field);
    WithField(d.record, col.field, [&](auto& member) {
      using T = std::remove_cvref_t<decltype(member)>;
      // An empty cell of an optional column: the record's default (none, 0, no, or the
      // vocabulary's usual value, such as an agreement's "active"). The draft is still a fresh
      // record here, so the member already holds it.
      if (!col.required && IsBlank(row.Cell(col.field))) return;
      std::optional<LocalText> error;
      if constexpr (std::is_same_v<T, Uuid> || std::is_same_v<T, std::optional<Uuid>>) {
        if (col.cell != CellKind::kSchoolCode) return;
        if (auto id = row.SchoolId(col.field)) {
          member = *id;
        }
      } else {
        if constexpr (std::is_same_v<T, double>) {
          if (col.cell == CellKind::kShare) {
            error = ParseShare(row.Cell(col.field), member);
            if (error) row.Problem(col.field, std::move(*error));
            return;
          }
        }
        error = ParseCell(row.Cell(col.field), member);
        if (error) row.Problem(col.field, std::move(*error));
      }
    });
  }
}

// Copies the fields in `present` from `from` into `to`.
template <class R>
void Overlay(R& to, const R& from, const std::set<std::string_view>& present) {
  ForEachFieldDef<R>([&](const auto& def) {
    if (present.count(def.name)) to.*(def.member) = from.*(def.member);
  });
}

template <class R>
std::vector<FieldValue> Encode(const R& r) {
  std::vector<FieldValue> out;
  ForEachFieldDef<R>([&](const auto& def) {
    using T = std::remove_cvref_t<decltype(r.*(def.member))>;
    out.push_back(FieldCodec<T>::Encode(r.*(def.member)));
  });
  return out;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Kinds: natural keys and the special columns
// -----------------------------------------------------------------------------------------

// For each importable record: how stored records are indexed, the key a row looks its record
// up by (and the one it tries when that finds nothing), what that key is called in messages,
// and how the CellKind::kSpecial columns are read.
template <class R>
struct Kind;

template <>
struct Kind<School> {
  static constexpr auto kKeys = SchoolKeys;
  static constexpr std::string_view kKeyEn = "school code";
  static constexpr std::string_view kKeyRu = "код школы";
  static std::string LookupKey(const School& s) { return s.code; }
  static std::optional<std::string> FallbackKey(const School&) { return std::nullopt; }
  static void ReadSpecial(Row& row, Draft<School>& d) {
    if (IsBlank(d.record.code)) row.Problem("code", EmptyCell("the school's code", "код школы"));
  }
};

template <>
struct Kind<Person> {
  static constexpr auto kKeys = PersonKeys;
  static constexpr std::string_view kKeyEn = "code (or full name and school when there is no code)";
  static constexpr std::string_view kKeyRu = "код (или ФИО и школа, если кода нет)";
  static std::string LookupKey(const Person& p) {
    return p.code.empty() ? PersonNameKey(p.full_name, p.school_id) : PersonCodeKey(p.code);
  }
  static std::optional<std::string> FallbackKey(const Person& p) {
    if (p.code.empty()) return std::nullopt;
    return PersonUncodedNameKey(p.full_name, p.school_id);
  }
  static void ReadSpecial(Row&, Draft<Person>& d) {
    if (d.record.code.empty()) d.present.erase("code");  // an empty code never clears a stored one
  }
};

template <>
struct Kind<Assignment> {
  static constexpr auto kKeys = AssignmentKeys;
  static constexpr std::string_view kKeyEn = "kind, assignee, school, teacher and subject";
  static constexpr std::string_view kKeyRu = "вид, закреплённый, школа, учитель и предмет";
  static std::string LookupKey(const Assignment& a) { return AssignmentKeys(a)[0]; }
  static std::optional<std::string> FallbackKey(const Assignment&) { return std::nullopt; }
  static void ReadSpecial(Row& row, Draft<Assignment>& d) {
    // The key's fields are always "given": no teacher or subject column means none.
    d.present.insert({"assignee_id", "teacher_id", "subject"});
    if (IsBlank(row.Cell("assignee_id"))) {
      row.Problem("assignee_id",
                  EmptyCell("the code or full name of the mentor or tutor", "код или ФИО наставника или тьютора"));
    } else if (auto id = row.PersonId("assignee_id", std::nullopt)) {
      d.record.assignee_id = *id;
    }
    if (!IsBlank(row.Cell("teacher_id"))) {
      std::optional<Uuid> school;
      if (!d.record.school_id.IsNil()) school = d.record.school_id;
      d.record.teacher_id = row.PersonId("teacher_id", school);
    }
  }
};

template <>
struct Kind<AssessmentResult> {
  static constexpr auto kKeys = ResultKeys;
  static constexpr std::string_view kKeyEn = "school, year, assessment, subject and grade";
  static constexpr std::string_view kKeyRu = "школа, год, процедура, предмет и класс";
  static std::string LookupKey(const AssessmentResult& r) { return ResultKeys(r)[0]; }
  static std::optional<std::string> FallbackKey(const AssessmentResult&) { return std::nullopt; }
  static void ReadSpecial(Row&, Draft<AssessmentResult>&) {}
};

template <>
struct Kind<ContextIndicator> {
  static constexpr auto kKeys = IndicatorKeys;
  static constexpr std::string_view kKeyEn = "school, year and indicator";
  static constexpr std::string_view kKeyRu = "школа, год и показатель";
  static std::string LookupKey(const ContextIndicator& c) { return IndicatorKeys(c)[0]; }
  static std::optional<std::string> FallbackKey(const ContextIndicator&) { return std::nullopt; }
  static void ReadSpecial(Row& row, Draft<ContextIndicator>& d) {
    d.present.insert("indicator");
    d.present.insert("value");
    const std::string key = MatchKey(row.Cell("indicator"));
    const ContextIndicatorInfo* info = nullptr;
    for (const auto& k : KnownContextIndicators()) {
      if (key == MatchKey(k.code) || key == MatchKey(k.ru) || key == MatchKey(k.en)) info = &k;
    }
    if (info == nullptr) {
      std::string codes;
      for (const auto& k : KnownContextIndicators()) codes += (codes.empty() ? "" : ", ") + std::string(k.code);
      row.Problem("indicator",
                  Local(Quote(row.Cell("indicator")) + " is not a known indicator; write one of: " + codes +
                            " (or its Russian name, see docs/import.md)",
                        Quote(row.Cell("indicator")) + " — неизвестный показатель; впишите один из кодов: " + codes +
                            " (или его русское название, см. docs/import.md)"));
      return;
    }
    d.record.indicator = std::string(info->code);
    std::optional<LocalText> error =
        info->is_share ? ParseShare(row.Cell("value"), d.record.value) : ParseCell(row.Cell("value"), d.record.value);
    if (error) row.Problem("value", std::move(*error));
  }
};

// The programme's instruments (issue 15).

// A vocabulary column that may be empty: an empty cell or no column leaves the record's value.
// Reads `field` with `parse` (ParseCell, or a kind's own reading of local spellings).
template <class T, class Parse>
void ReadOptionalChoice(Row& row, std::set<std::string_view>& present, std::string_view field, T& out, Parse&& parse) {
  if (!row.Has(field)) return;
  present.insert(field);
  if (IsBlank(row.Cell(field))) return;
  if (auto error = parse(row.Cell(field), out)) row.Problem(field, std::move(*error));
}

template <>
struct Kind<NetworkAgreement> {
  static constexpr auto kKeys = AgreementKeys;
  static constexpr std::string_view kKeyEn = "agreement number and supported school";
  static constexpr std::string_view kKeyRu = "номер договора и школа";
  static std::string LookupKey(const NetworkAgreement& a) { return AgreementKeys(a)[0]; }
  static std::optional<std::string> FallbackKey(const NetworkAgreement&) { return std::nullopt; }
  // The partner: a school by its code, or an institution by its name when there is no code.
  // A file without either column leaves the stored partner as it is.
  static void ReadSpecial(Row& row, Draft<NetworkAgreement>& d) {
    if (IsBlank(d.record.number)) {
      row.Problem("number", EmptyCell("the agreement's number", "номер договора"));
    }
    if (!row.Has("leader_school_id") && !row.Has("partner_name")) return;
    d.present.insert({"leader_school_id", "partner_name", "partner_kind"});
    const bool kind_given = row.Has("partner_kind") && !IsBlank(row.Cell("partner_kind"));
    if (!IsBlank(row.Cell("leader_school_id"))) {
      d.record.leader_school_id = row.SchoolId("leader_school_id");
      if (!kind_given) d.record.partner_kind = PartnerKind::kSchool;
    } else if (!IsBlank(d.record.partner_name)) {
      if (!kind_given) d.record.partner_kind = PartnerKind::kInstitution;
    } else {
      row.Problem(row.Has("leader_school_id") ? "leader_school_id" : "partner_name",
                  EmptyCell("the partner school's code, or the name of the partner institution (a library, a sports "
                            "school, a university)",
                            "код школы-партнёра или наименование организации-партнёра (библиотеки, спортивной "
                            "школы, вуза)"));
    }
  }
};

template <>
struct Kind<RoadmapItem> {
  static constexpr auto kKeys = RoadmapKeys;
  static constexpr std::string_view kKeyEn = "title, school and start date";
  static constexpr std::string_view kKeyRu = "мероприятие, школа и дата начала";
  static std::string LookupKey(const RoadmapItem& r) { return RoadmapKeys(r)[0]; }
  static std::optional<std::string> FallbackKey(const RoadmapItem&) { return std::nullopt; }
  // The school is part of the key: no school column means a district item. Without a level, a
  // row with a school is a school's item.
  static void ReadSpecial(Row& row, Draft<RoadmapItem>& d) {
    d.present.insert({"school_id", "level"});
    if (!row.Has("level") || IsBlank(row.Cell("level"))) {
      d.record.level = d.record.school_id ? RoadmapLevel::kSchool : RoadmapLevel::kDistrict;
    }
  }
};

template <>
struct Kind<Deficit> {
  static constexpr auto kKeys = DeficitKeys;
  static constexpr std::string_view kKeyEn = "teacher, deficit and date found";
  static constexpr std::string_view kKeyRu = "педагог, дефицит и дата выявления";
  static std::string LookupKey(const Deficit& r) { return DeficitKeys(r)[0]; }
  static std::optional<std::string> FallbackKey(const Deficit&) { return std::nullopt; }
  static void ReadSpecial(Row& row, Draft<Deficit>& d) {
    d.present.insert("teacher_id");
    if (auto id = row.RequiredPerson("teacher_id", "teacher_school", "the teacher's code or full name",
                                     "код или ФИО педагога")) {
      d.record.teacher_id = *id;
    }
  }
};

// "ПК", "КПК", "переподготовка", "ПП" as the office's files write them; else the vocabulary.
std::optional<LocalText> ParseTrainingKind(std::string_view text, TrainingKind& out) {
  static constexpr std::pair<std::string_view, TrainingKind> kShort[] = {
      {"пк", TrainingKind::kQualification},
      {"кпк", TrainingKind::kQualification},
      {"курсы повышения квалификации", TrainingKind::kQualification},
      {"пп", TrainingKind::kRetraining},
      {"переподготовка", TrainingKind::kRetraining},
  };
  const std::string key = MatchKey(text);
  for (const auto& [word, kind] : kShort) {
    if (key == MatchKey(word)) {
      out = kind;
      return std::nullopt;
    }
  }
  return ParseCell(text, out);
}

template <>
struct Kind<Training> {
  static constexpr auto kKeys = TrainingKeys;
  static constexpr std::string_view kKeyEn = "teacher, course title and end date";
  static constexpr std::string_view kKeyRu = "педагог, программа и дата окончания";
  static std::string LookupKey(const Training& r) { return TrainingKeys(r)[0]; }
  static std::optional<std::string> FallbackKey(const Training&) { return std::nullopt; }
  static void ReadSpecial(Row& row, Draft<Training>& d) {
    d.present.insert("teacher_id");
    if (auto id = row.RequiredPerson("teacher_id", "teacher_school", "the teacher's code or full name",
                                     "код или ФИО педагога")) {
      d.record.teacher_id = *id;
    }
    ReadOptionalChoice(row, d.present, "kind", d.record.kind, ParseTrainingKind);
  }
};

template <>
struct Kind<RouteItem> {
  static constexpr auto kKeys = RouteItemKeys;
  static constexpr std::string_view kKeyEn = "teacher, item and start date";
  static constexpr std::string_view kKeyRu = "педагог, содержание пункта и дата начала";
  static std::string LookupKey(const RouteItem& r) { return RouteItemKeys(r)[0]; }
  static std::optional<std::string> FallbackKey(const RouteItem&) { return std::nullopt; }
  // The deficit an item is tied to is chosen in the app; an import leaves it as it is.
  static void ReadSpecial(Row& row, Draft<RouteItem>& d) {
    d.present.insert("teacher_id");
    if (auto id = row.RequiredPerson("teacher_id", "teacher_school", "the teacher's code or full name",
                                     "код или ФИО педагога")) {
      d.record.teacher_id = *id;
    }
  }
};

template <>
struct Kind<NetworkEvent> {
  static constexpr auto kKeys = EventKeys;
  static constexpr std::string_view kKeyEn = "title and date";
  static constexpr std::string_view kKeyRu = "название и дата";
  static std::string LookupKey(const NetworkEvent& e) { return EventTitleDateKey(e.title, e.held_on); }
  static std::optional<std::string> FallbackKey(const NetworkEvent&) { return std::nullopt; }
  static void ReadSpecial(Row& row, Draft<NetworkEvent>& d) {
    if (IsBlank(d.record.title)) row.Problem("title", EmptyCell("the event's title", "название мероприятия"));
  }
};

template <>
struct Kind<EventParticipant> {
  static constexpr auto kKeys = ParticipantKeys;
  static constexpr std::string_view kKeyEn = "event and teacher";
  static constexpr std::string_view kKeyRu = "мероприятие и педагог";
  static std::string LookupKey(const EventParticipant& p) { return ParticipantKeys(p)[0]; }
  static std::optional<std::string> FallbackKey(const EventParticipant&) { return std::nullopt; }
  static void ReadSpecial(Row& row, Draft<EventParticipant>& d) {
    d.present.insert({"event_id", "teacher_id"});
    if (auto id = row.EventId("event_id", "event_date")) d.record.event_id = *id;
    if (auto id = row.RequiredPerson("teacher_id", "teacher_school", "the teacher's code or full name",
                                     "код или ФИО педагога")) {
      d.record.teacher_id = *id;
    }
  }
};

template <>
struct Kind<PlanItem> {
  static constexpr auto kKeys = PlanItemKeys;
  static constexpr std::string_view kKeyEn = "person, school, activity, date and title";
  static constexpr std::string_view kKeyRu = "исполнитель, школа, вид работы, дата и содержание";
  static std::string LookupKey(const PlanItem& p) { return PlanItemKeys(p)[0]; }
  static std::optional<std::string> FallbackKey(const PlanItem&) { return std::nullopt; }
  // The title is part of the key: no title column means none. A teacher is looked for among
  // the row's school first.
  static void ReadSpecial(Row& row, Draft<PlanItem>& d) {
    d.present.insert({"person_id", "title"});
    if (auto id = row.RequiredPerson("person_id", "", "the code or full name of the mentor or tutor",
                                     "код или ФИО наставника или тьютора")) {
      d.record.person_id = *id;
    }
    if (!row.Has("teacher_id")) return;
    d.present.insert("teacher_id");
    if (!IsBlank(row.Cell("teacher_id"))) {
      std::optional<Uuid> school;
      if (!d.record.school_id.IsNil()) school = d.record.school_id;
      d.record.teacher_id = row.PersonId("teacher_id", school);
    }
  }
};

// -----------------------------------------------------------------------------------------
// [SECTION] The import loop
// -----------------------------------------------------------------------------------------

// Whether a Save error is about the row (reported) or about the store (stops the import).
bool IsRowError(const Status& s) {
  return s.code() == StatusCode::kInvalidInput || s.code() == StatusCode::kConflict ||
         s.code() == StatusCode::kNotFound;
}

// Reads and upserts every row. Runs inside the import's transaction.
template <class R>
Status ImportRows(RecordWriter& store, const CsvTable& table, const Header& header, ImportContext& ctx,
                  ImportReport& report) {
  RecordIndex<R> index(Kind<R>::kKeys);
  RETURN_IF_ERROR(index.Load(store));
  std::unordered_map<std::string, int> first_line_of_key;

  for (const CsvTable::Row& csv_row : table.rows) {
    Row row(csv_row, table.separator, header, ctx);
    row.CheckWidth();
    Draft<R> d;
    if (row.ok()) {
      ReadCommonColumns(row, header, d);
      Kind<R>::ReadSpecial(row, d);
    }

    std::optional<size_t> existing;
    if (row.ok()) {
      const std::string key = Kind<R>::LookupKey(d.record);
      auto [seen, inserted] = first_line_of_key.emplace(key, csv_row.line);
      std::vector<size_t> found = index.Find(key);
      if (found.empty()) {
        if (auto fallback = Kind<R>::FallbackKey(d.record)) found = index.Find(*fallback);
      }
      if (!inserted) {
        row.Problem("", Local("repeats line " + std::to_string(seen->second) + " (the same " +
                                  std::string(Kind<R>::kKeyEn) + "); keep one of them",
                              "повторяет строку " + std::to_string(seen->second) + " (те же " +
                                  std::string(Kind<R>::kKeyRu) + "); оставьте одну из них"));
      } else if (found.size() > 1) {
        row.Problem(
            "",
            Local(std::to_string(found.size()) + " records in MentorLog have the same " + std::string(Kind<R>::kKeyEn) +
                      ", so the row cannot tell which to update; delete the duplicate (for people: add a code column)",
                  "в MentorLog " + std::to_string(found.size()) + " записи(ей) с теми же " +
                      std::string(Kind<R>::kKeyRu) +
                      ", и непонятно, какую обновить; удалите дубликат (для людей — добавьте столбец с кодом)"));
      } else if (found.size() == 1) {
        existing = found[0];
      }
    }

    if (row.ok()) {
      R merged = d.record;
      if (existing) {
        merged = index.at(*existing);
        Overlay(merged, d.record, d.present);
        if (Encode(merged) == Encode(index.at(*existing))) {
          ++report.unchanged;
          continue;
        }
      }
      Result<R> saved = store.Save(std::move(merged));
      if (saved.ok()) {
        ++(existing ? report.updated : report.inserted);
        index.Put(existing, std::move(saved).value());
        continue;
      }
      if (!IsRowError(saved.status())) return saved.status();
      LocalText reason = saved.status().local_message();
      std::replace(reason.en.begin(), reason.en.end(), '\n', ' ');
      std::replace(reason.ru.begin(), reason.ru.end(), '\n', ' ');
      row.Problem("", std::move(reason));
    }

    ++report.bad_rows;
    for (auto& p : row.problems()) report.problems.push_back(std::move(p));
  }
  return Status::Ok();
}

template <class R>
Status ImportKindRows(RecordWriter& store, const CsvTable& table, const Header& header, ImportContext& ctx,
                      ImportReport& report) {
  if constexpr (!std::is_same_v<R, School>) {
    ASSIGN_OR_RETURN(std::vector<School> schools, store.List<School>());
    for (const School& s : schools) {
      ctx.school_by_code.emplace(s.code, s.id);
      ctx.school_by_id.emplace(RecordIdKey(s.id), s.id);
    }
  }
  if constexpr (std::is_same_v<R, Assignment> || std::is_same_v<R, Deficit> || std::is_same_v<R, Training> ||
                std::is_same_v<R, RouteItem> || std::is_same_v<R, EventParticipant> || std::is_same_v<R, PlanItem>) {
    RETURN_IF_ERROR(ctx.people.Load(store));
  }
  if constexpr (std::is_same_v<R, EventParticipant>) RETURN_IF_ERROR(ctx.events.Load(store));
  return ImportRows<R>(store, table, header, ctx, report);
}

bool IsImportable(RecordKind kind) { return !ColumnsOf(kind).empty(); }

// "schools, people, ...": the kinds ImportCsv reads, for messages.
std::string ImportableKinds() {
  std::string names;
  for (RecordKind k : kAllRecordKinds) {
    if (IsImportable(k)) names += (names.empty() ? "" : ", ") + std::string(KindTable(k));
  }
  return names;
}

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] Public API
// -----------------------------------------------------------------------------------------

std::string ImportProblem::ToString(Language language) const {
  std::string s = file + std::string(Pick(language, ", line ", ", строка ")) + std::to_string(line);
  if (!column.empty()) s += std::string(Pick(language, ", column ", ", столбец ")) + Quote(column);
  return s + ": " + reason.In(language);
}

Result<ImportReport> ImportCsv(RecordWriter& store, RecordKind kind, std::string_view bytes, std::string_view file_name,
                               BadRowPolicy policy) {
  if (!IsImportable(kind)) {
    return Status::InvalidInput(
        Local(std::string(KindTable(kind)) + " cannot be imported from CSV; these can: " + ImportableKinds(),
              "«" + std::string(EnumLabel(kind, Language::kRussian)) +
                  "» нельзя импортировать из CSV; импортируются: " + ImportableKinds()));
  }
  ASSIGN_OR_RETURN(CsvTable table, ParseCsv(bytes, file_name));

  ImportReport report;
  ASSIGN_OR_RETURN(Header header, Header::Match(table, ColumnsOf(kind), file_name, report.notes));

  ImportContext ctx;
  ctx.file = std::string(file_name);
  bool rejected = false;
  auto import_rows = [&]<class R>() -> Status {
    if constexpr (requires { Kind<R>::kKeys; }) {
      return ImportKindRows<R>(store, table, header, ctx, report);
    } else {
      return Status::Internal("no importer for " + std::string(KindTable(kind)));
    }
  };
  Status s = store.InTransaction([&]() -> Status {
    Status rows = VisitKind(kind, import_rows);
    if (!rows.ok()) return rows;
    if (policy == BadRowPolicy::kRejectFile && report.bad_rows > 0) {
      rejected = true;
      return Status::InvalidInput("the file has bad rows");  // rolls every row back
    }
    return Status::Ok();
  });
  if (rejected) {
    report.inserted = report.updated = report.unchanged = 0;
    report.committed = false;
    return report;
  }
  RETURN_IF_ERROR(s);
  report.committed = true;
  return report;
}

Result<ImportReport> ImportCsvFile(RecordWriter& store, RecordKind kind, const std::filesystem::path& path,
                                   BadRowPolicy policy) {
  const std::string shown = path.string();
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) {
    return Status::NotFound(Local("There is no file " + Quote(shown) + "; check the name and the folder.",
                                  "Файл " + Quote(shown) + " не найден; проверьте имя и папку."));
  }
  const Status unreadable = Status::IoError(Local(
      "Cannot read " + Quote(shown) + "; check that you may read it and that no other program holds it.",
      "Не удалось прочитать " + Quote(shown) + "; проверьте права на чтение и что файл не занят другой программой."));
  if (ec) return unreadable;
  if (std::filesystem::is_directory(status)) {
    return Status::InvalidInput(Local(Quote(shown) + " is a folder; give the CSV file inside it.",
                                      Quote(shown) + " — папка; укажите CSV-файл."));
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxCsvBytes) {
    return Status::InvalidInput(Local(
        Quote(shown) + " is larger than " + std::to_string(kMaxCsvBytes >> 20) + " MiB; split it into several files.",
        Quote(shown) + " больше " + std::to_string(kMaxCsvBytes >> 20) + " МиБ; разделите его на несколько файлов."));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return unreadable;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return unreadable;
  return ImportCsv(store, kind, bytes, path.filename().string(), policy);
}

}  // namespace mentorlog::core
