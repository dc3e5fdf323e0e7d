// CSV import: every kind in every dialect, bad rows, policies, re-import, messages; the
// programme's instruments (issue 15): network agreements, roadmap items, deficits, trainings,
// route items, network events, their participants and work plan items, with export → import
// round trips.
//
// [SECTION] Fixture
// [SECTION] Every kind in every dialect
// [SECTION] Bad rows and policies
// [SECTION] Re-import and upserts
// [SECTION] Header problems and file errors
// [SECTION] Instruments: a small Кромской district (issue 15)
// [SECTION] Instruments in every dialect
// [SECTION] Instruments: export and import back
// [SECTION] Instruments: partners, teachers, events
// [SECTION] Instruments: bad rows
#include "mentorlog/domain/import.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "mentorlog/domain/csv.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/store/export.h"
#include "test_fixtures.h"

namespace mentorlog::core {
namespace {

namespace fs = std::filesystem;

// -----------------------------------------------------------------------------------------
// [SECTION] Fixture
// -----------------------------------------------------------------------------------------

// A store on a temp file with a fake clock (2025-03-15), plus helpers to import files.
class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "mentorlog-import-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    store_ = OpenStore("store.db");
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::unique_ptr<Store> OpenStore(const std::string& name) {
    StoreOptions options;
    options.path = dir_ / name;
    options.device_id = "test-device";
    options.clock = &clock_;
    auto store = Store::Open(options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  fs::path WriteFile(const std::string& name, std::string_view bytes) {
    const fs::path path = dir_ / name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
  }

  // Writes `bytes` to `name` and imports it; the import itself must not fail.
  ImportReport Import(RecordKind kind, const std::string& name, std::string_view bytes,
                      BadRowPolicy policy = BadRowPolicy::kRejectFile, Store* store = nullptr) {
    Result<ImportReport> report =
        ImportCsvFile((store ? *store : *store_).records(), kind, WriteFile(name, bytes), policy);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? std::move(report).value() : ImportReport{};
  }

  int64_t Pending() {
    auto n = store_->ledger().PendingCount();
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  // Every record of a kind. Ids made in the same millisecond of the fake clock do not sort
  // by creation, so tests that care sort with SortedBy.
  template <class R>
  std::vector<R> All(Store* store = nullptr) {
    auto list = (store ? *store : *store_).records().List<R>();
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    return list.ok() ? std::move(list).value() : std::vector<R>{};
  }
  template <class R, class Key>
  std::vector<R> SortedBy(Key key) {
    std::vector<R> list = All<R>();
    std::sort(list.begin(), list.end(), [&](const R& a, const R& b) { return key(a) < key(b); });
    return list;
  }

  School SchoolByCode(const std::string& code) {
    for (auto& s : All<School>()) {
      if (s.code == code) return s;
    }
    ADD_FAILURE() << "no school " << code;
    return {};
  }

  Person PersonByName(const std::string& name) {
    for (auto& p : All<Person>()) {
      if (p.full_name == name) return p;
    }
    ADD_FAILURE() << "no person " << name;
    return {};
  }

  // Three schools with codes 101, 102, 103 (UTF-8, ',').
  void ImportThreeSchools() {
    const ImportReport r = Import(RecordKind::kSchool, "schools.csv",
                                  "code,name,municipality,settlement,distance_km,pupils,teachers,district\n"
                                  "101,Школа № 1,Кировский МО,rural,12.5,312,28,Кировский\n"
                                  "102,Лицей,Кировский МО,urban,0,800,60,Кировский\n"
                                  "103,Школа с. Ёлкино,Кировский МО,rural,47,45,9,Кировский\n");
    ASSERT_TRUE(r.committed);
    ASSERT_EQ(r.inserted, 3);
  }

  fs::path dir_;
  mentorlog::FakeClock clock_{testing::NoonMillis(2025, 3, 15)};
  std::unique_ptr<Store> store_;
};

std::string Problems(const ImportReport& r) {
  std::string s;
  for (const auto& p : r.problems) s += p.ToString(Language::kEnglish) + "\n";
  return s;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Every kind in every dialect
// -----------------------------------------------------------------------------------------

struct Dialect {
  const char* name;
  char separator;
  bool cp1251;
  bool bom;
  bool russian_headers;
};

// One file's content, independent of the dialect: English and Russian headers and rows.
// Decimals are written with a comma; in a ',' file such cells come out quoted.
struct Sheet {
  std::vector<std::string> en;
  std::vector<std::string> ru;
  std::vector<std::vector<std::string>> rows;
};

// Writes `sheet` the way a spreadsheet program would in `d`, by hand (not with WriteCsv).
std::string Render(const Sheet& sheet, const Dialect& d) {
  const std::string eol = d.cp1251 ? "\r\n" : "\n";
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i) s += d.separator;
      const std::string& c = cells[i];
      if (c.find_first_of(std::string(1, d.separator) + "\"\r\n") != std::string::npos) {
        s += '"';
        for (char ch : c) s += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        s += '"';
      } else {
        s += c;
      }
    }
    return s + eol;
  };
  std::string text = line(d.russian_headers ? sheet.ru : sheet.en);
  for (const auto& row : sheet.rows) text += line(row);
  if (d.cp1251) {
    Result<std::string> bytes = Utf8ToWindows1251(text);
    EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
    text = bytes.ok() ? *bytes : std::string();
  }
  return d.bom ? "\xEF\xBB\xBF" + text : text;
}

const Sheet kSchools = {
    {"code", "name", "short_name", "municipality", "district", "settlement", "distance_km", "pupils", "teachers",
     "status", "year"},
    {"Код ОО", "Наименование", "Краткое наименование", "Муниципалитет", "Район", "Тип поселения", "Расстояние",
     "Обучающихся", "Педагогов", "Статус", "Год"},
    {
        {"101", "МБОУ \"СОШ № 1\", корпус 2; филиал", "СОШ № 1", "Кировский МО", "Кировский", "село", "12,5", "312",
         "28", "ШНОР; ШНСУ", "2024"},
        {"102", "Лицей «Ступени»\nстарое здание", "Лицей", "Кировский МО", "", "urban", "0", "800", "60", "leader",
         "2024"},
        {"103", "Школа с. Ёлкино", "", "Кировский МО", "Кировский", "Rural", "47,25", "45", "9", "", ""},
    }};

const Sheet kPeople = {
    {"code", "full_name", "roles", "school_code", "subjects", "email", "phone"},
    {"Код", "ФИО", "Роль", "Код ОО", "Предметы", "Электронная почта", "Телефон"},
    {
        {"T1", "Иванова Анна Петровна", "учитель", "101", "математика; физика", "anna@example.ru", "+7 900 000-00-01"},
        {"M1", "Петров Олег Ильич", "наставник", "", "", "", ""},
        {"", "Сидорова Вера", "tutor, учитель", "102", "русский язык", "", ""},
    }};

const Sheet kAssignments = {
    {"kind", "assignee", "school_code", "teacher", "subject", "starts_on", "ends_on"},
    {"Вид", "Закреплённый", "Код ОО", "Учитель", "Предмет", "С", "По"},
    {
        {"наставник — школа", "M1", "101", "", "", "01.09.2024", "31.05.2025"},
        {"tutor_teacher", "Сидорова Вера", "101", "T1", "", "2024-09-01", ""},
        {"тьютор — школа и предмет", "сидорова  вера", "102", "", "Русский язык", "01.10.2024", ""},
    }};

const Sheet kResults = {{"school_code", "year", "assessment", "subject", "grade", "participants", "mean_score",
                         "share_below_min", "share_top"},
                        {"Код ОО", "Год", "Процедура", "Предмет", "Класс", "Участников", "Средний балл",
                         "Доля ниже минимума", "Доля высоких"},
                        {
                            {"101", "2024", "ВПР", "Математика", "5", "40", "12,5", "12,5%", "0,1"},
                            {"101", "2024", "ОГЭ", "Русский язык", "9", "38", "27,75", "5 %", "0,25"},
                            {"102", "2023", "regional", "Математика", "7", "20", "55", "0", "40%"},
                        }};

const Sheet kIndicators = {{"school_code", "year", "indicator", "value"},
                           {"Код ОО", "Год", "Показатель", "Значение"},
                           {
                               {"101", "2024", "low_income_share", "0,35"},
                               {"101", "2024", "Доля обучающихся с ОВЗ", "4%"},
                               {"103", "2024", "teacher_vacancies", "2"},
                           }};

class ImportDialectTest : public ImportTest, public ::testing::WithParamInterface<Dialect> {};

TEST_P(ImportDialectTest, EveryKindImportsAndReimportsAsNoOp) {
  const Dialect& d = GetParam();
  const std::pair<RecordKind, const Sheet*> files[] = {
      {RecordKind::kSchool, &kSchools},
      {RecordKind::kPerson, &kPeople},
      {RecordKind::kAssignment, &kAssignments},
      {RecordKind::kAssessmentResult, &kResults},
      {RecordKind::kContextIndicator, &kIndicators},
  };
  for (const auto& [kind, sheet] : files) {
    const ImportReport r = Import(kind, "file.csv", Render(*sheet, d));
    EXPECT_TRUE(r.committed) << KindTable(kind) << "\n" << Problems(r);
    EXPECT_EQ(r.inserted, 3) << KindTable(kind) << "\n" << Problems(r);
    EXPECT_TRUE(r.notes.empty()) << r.notes.front().en;
  }

  const School s101 = SchoolByCode("101");
  const School s102 = SchoolByCode("102");
  const School s103 = SchoolByCode("103");
  EXPECT_EQ(s101.name, "МБОУ \"СОШ № 1\", корпус 2; филиал");
  EXPECT_EQ(s101.short_name, "СОШ № 1");
  EXPECT_EQ(s101.municipality, "Кировский МО");
  EXPECT_EQ(s101.district, "Кировский");
  EXPECT_EQ(s101.settlement, Settlement::kRural);
  EXPECT_DOUBLE_EQ(s101.distance_km, 12.5);
  EXPECT_EQ(s101.pupils, 312);
  EXPECT_EQ(s101.teachers, 28);
  EXPECT_EQ(s101.statuses, (std::vector{SchoolStatus::kLowResults, SchoolStatus::kAdverseConditions}));
  EXPECT_EQ(s101.status_year, 2024);
  EXPECT_EQ(s102.name, "Лицей «Ступени»\nстарое здание");
  EXPECT_EQ(s102.settlement, Settlement::kUrban);
  EXPECT_EQ(s102.statuses, std::vector{SchoolStatus::kLeader});
  EXPECT_EQ(s102.district, "");
  EXPECT_DOUBLE_EQ(s103.distance_km, 47.25);
  EXPECT_TRUE(s103.statuses.empty());
  EXPECT_EQ(s103.status_year, 0);

  const Person teacher = PersonByName("Иванова Анна Петровна");
  const Person mentor = PersonByName("Петров Олег Ильич");
  const Person tutor = PersonByName("Сидорова Вера");
  EXPECT_EQ(teacher.code, "T1");
  EXPECT_EQ(teacher.roles, std::vector{Role::kTeacher});
  EXPECT_EQ(teacher.school_id, s101.id);
  EXPECT_EQ(teacher.subjects, (std::vector<std::string>{"математика", "физика"}));
  EXPECT_EQ(teacher.email, "anna@example.ru");
  EXPECT_EQ(teacher.phone, "+7 900 000-00-01");
  EXPECT_EQ(mentor.school_id, std::nullopt);
  EXPECT_EQ(tutor.code, "");
  EXPECT_EQ(tutor.roles, (std::vector{Role::kTutor, Role::kTeacher}));
  EXPECT_EQ(tutor.school_id, s102.id);

  const auto assignments = SortedBy<Assignment>([](const Assignment& a) { return a.kind; });
  ASSERT_EQ(assignments.size(), 3u);
  EXPECT_EQ(assignments[0].kind, AssignmentKind::kMentorSchool);
  EXPECT_EQ(assignments[0].assignee_id, mentor.id);
  EXPECT_EQ(assignments[0].school_id, s101.id);
  EXPECT_EQ(assignments[0].starts_on, *Date::FromYmd(2024, 9, 1));
  EXPECT_EQ(assignments[0].ends_on, *Date::FromYmd(2025, 5, 31));
  EXPECT_EQ(assignments[1].kind, AssignmentKind::kTutorTeacher);
  EXPECT_EQ(assignments[1].assignee_id, tutor.id);
  EXPECT_EQ(assignments[1].teacher_id, teacher.id);
  EXPECT_EQ(assignments[1].ends_on, std::nullopt);
  EXPECT_EQ(assignments[2].kind, AssignmentKind::kTutorSchoolSubject);
  EXPECT_EQ(assignments[2].assignee_id, tutor.id);  // found by name in another case and spacing
  EXPECT_EQ(assignments[2].school_id, s102.id);
  EXPECT_EQ(assignments[2].subject, "Русский язык");

  const auto results = SortedBy<AssessmentResult>([](const AssessmentResult& r) { return r.assessment; });
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].school_id, s101.id);
  EXPECT_EQ(results[0].year, 2024);
  EXPECT_EQ(results[0].assessment, Assessment::kVpr);
  EXPECT_EQ(results[0].subject, "Математика");
  EXPECT_EQ(results[0].grade, 5);
  EXPECT_EQ(results[0].participants, 40);
  EXPECT_DOUBLE_EQ(results[0].mean_score, 12.5);
  EXPECT_DOUBLE_EQ(results[0].share_below_min, 0.125);
  EXPECT_DOUBLE_EQ(results[0].share_top, 0.1);
  EXPECT_EQ(results[1].assessment, Assessment::kOge);
  EXPECT_DOUBLE_EQ(results[1].mean_score, 27.75);
  EXPECT_DOUBLE_EQ(results[1].share_below_min, 0.05);
  EXPECT_EQ(results[2].assessment, Assessment::kRegional);
  EXPECT_DOUBLE_EQ(results[2].share_below_min, 0);
  EXPECT_DOUBLE_EQ(results[2].share_top, 0.4);

  const auto indicators = SortedBy<ContextIndicator>([](const ContextIndicator& c) { return c.indicator; });
  ASSERT_EQ(indicators.size(), 3u);
  EXPECT_EQ(indicators[0].indicator, "disability_share");  // given by its Russian name
  EXPECT_EQ(indicators[0].school_id, s101.id);
  EXPECT_DOUBLE_EQ(indicators[0].value, 0.04);
  EXPECT_EQ(indicators[1].indicator, "low_income_share");
  EXPECT_DOUBLE_EQ(indicators[1].value, 0.35);
  EXPECT_EQ(indicators[2].indicator, "teacher_vacancies");
  EXPECT_EQ(indicators[2].school_id, s103.id);
  EXPECT_EQ(indicators[2].year, 2024);
  EXPECT_DOUBLE_EQ(indicators[2].value, 2);

  // The same files again: nothing changes and nothing is queued for sync.
  const int64_t pending = Pending();
  for (const auto& [kind, sheet] : files) {
    const ImportReport r = Import(kind, "file.csv", Render(*sheet, d));
    EXPECT_TRUE(r.committed) << KindTable(kind) << "\n" << Problems(r);
    EXPECT_EQ(r.inserted, 0) << KindTable(kind);
    EXPECT_EQ(r.updated, 0) << KindTable(kind);
    EXPECT_EQ(r.unchanged, 3) << KindTable(kind);
  }
  EXPECT_EQ(Pending(), pending);
}

INSTANTIATE_TEST_SUITE_P(Import, ImportDialectTest,
                         ::testing::Values(Dialect{"Utf8Comma", ',', false, false, false},
                                           Dialect{"Utf8BomSemicolonRussian", ';', false, true, true},
                                           Dialect{"Cp1251SemicolonRussian", ';', true, false, true},
                                           Dialect{"Cp1251CommaEnglish", ',', true, false, false},
                                           Dialect{"Utf8BomCommaRussian", ',', false, true, true},
                                           Dialect{"Utf8TabEnglish", '\t', false, false, false}),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST_F(ImportTest, HeadersMayMixLanguagesCaseSpacingAndYo) {
  ImportThreeSchools();
  const ImportReport r = Import(RecordKind::kContextIndicator, "ind.csv",
                                "  КОД   оо ;YEAR;Показатель;value\n101;2024;teacher_vacancies;3\n");
  EXPECT_EQ(r.inserted, 1) << Problems(r);
  const ImportReport a = Import(RecordKind::kPerson, "p.csv", "фио;роль\nПетров Олег;наставник\n");
  ASSERT_EQ(a.inserted, 1) << Problems(a);
  const ImportReport b = Import(RecordKind::kAssignment, "a.csv",
                                "Вид;ЗАКРЕПЛЕННЫЙ;Код ОО;starts_on\nmentor_school;Петров Олег;101;2024-09-01\n");
  EXPECT_EQ(b.inserted, 1) << Problems(b);
}

TEST_F(ImportTest, NumbersAsRussianExcelWritesThem) {
  // Digit groups with a no-break space, a decimal comma, a percent with a space before '%'.
  const ImportReport r = Import(RecordKind::kSchool, "schools.csv",
                                "Код ОО;Наименование;Муниципалитет;Тип поселения;Расстояние;Обучающихся;Педагогов\n"
                                "201;Большая школа;Город N;город;1\xC2\xA0"
                                "234,5;1\xC2\xA0"
                                "234;96\n");
  ASSERT_EQ(r.inserted, 1) << Problems(r);
  const School s = SchoolByCode("201");
  EXPECT_DOUBLE_EQ(s.distance_km, 1234.5);
  EXPECT_EQ(s.pupils, 1234);
}

// The first fenced block after the line of docs/import.md that starts with `line_start`.
std::string DocExample(std::string_view line_start) {
  std::ifstream in(fs::path(MENTORLOG_ASSETS_DIR) / ".." / "docs" / "import.md");
  std::string line, block;
  bool found = false, inside = false;
  while (std::getline(in, line)) {
    if (!found) {
      found = line.rfind(line_start, 0) == 0;
    } else if (line.rfind("```", 0) == 0) {
      if (inside) return block;
      inside = true;
    } else if (inside) {
      block += line + "\n";
    }
  }
  ADD_FAILURE() << "docs/import.md has no example after " << line_start;
  return {};
}

TEST_F(ImportTest, TheExamplesOfTheDocsImport) {
  Result<std::string> schools = Utf8ToWindows1251(DocExample("`schools.csv`"));
  ASSERT_TRUE(schools.ok());
  const ImportReport s = Import(RecordKind::kSchool, "schools.csv", *schools);
  EXPECT_EQ(s.inserted, 3) << Problems(s);
  EXPECT_EQ(SchoolByCode("101").statuses, (std::vector{SchoolStatus::kLowResults, SchoolStatus::kAdverseConditions}));
  const ImportReport r = Import(RecordKind::kAssessmentResult, "results.csv", DocExample("`results.csv`"));
  EXPECT_EQ(r.inserted, 2) << Problems(r);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Bad rows and policies
// -----------------------------------------------------------------------------------------

constexpr std::string_view kSchoolsWithBadYear =
    "Код ОО;Наименование;Муниципалитет;Тип поселения;Расстояние;Обучающихся;Педагогов;Статус;Год\n"
    "101;Школа № 1;Кировский МО;село;12,5;312;28;ШНОР;2024\n"
    "102;Школа № 2;Кировский МО;село;3;100;12;ШНОР;2O24\n"
    "103;Школа № 3;Кировский МО;село;7;90;11;;\n";

TEST_F(ImportTest, BadCellReportsFileLineColumnAndReason) {
  const ImportReport r = Import(RecordKind::kSchool, "schools.csv", kSchoolsWithBadYear);
  ASSERT_EQ(r.problems.size(), 1u);
  const ImportProblem& p = r.problems[0];
  EXPECT_EQ(p.file, "schools.csv");
  EXPECT_EQ(p.line, 3);
  EXPECT_EQ(p.column, "Год");
  EXPECT_EQ(p.reason.en, "«2O24» is not a whole number");
  EXPECT_EQ(p.ToString(Language::kEnglish), "schools.csv, line 3, column «Год»: «2O24» is not a whole number");
  EXPECT_EQ(r.bad_rows, 1);
}

TEST_F(ImportTest, DefaultPolicyImportsNothingWhenOneRowIsBad) {
  const ImportReport r = Import(RecordKind::kSchool, "schools.csv", kSchoolsWithBadYear);
  EXPECT_FALSE(r.committed);
  EXPECT_EQ(r.inserted, 0);
  EXPECT_TRUE(All<School>().empty());
  EXPECT_EQ(Pending(), 0);
}

TEST_F(ImportTest, SkipBadImportsTheRest) {
  const ImportReport r = Import(RecordKind::kSchool, "schools.csv", kSchoolsWithBadYear, BadRowPolicy::kSkipBad);
  EXPECT_TRUE(r.committed);
  EXPECT_EQ(r.inserted, 2);
  EXPECT_EQ(r.bad_rows, 1);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].line, 3);
  EXPECT_EQ(All<School>().size(), 2u);
  EXPECT_EQ(Pending(), 2);
}

TEST_F(ImportTest, EveryBadCellOfEveryRowIsListed) {
  const ImportReport r = Import(RecordKind::kSchool, "schools.csv",
                                "code,name,municipality,settlement,distance_km,pupils,teachers\n"
                                "101,A,M,village,x,,28\n"
                                "102,B,M,rural,1,2,3\n"
                                "103,C,M,urban,1,2,many\n");
  EXPECT_EQ(r.bad_rows, 2);
  ASSERT_EQ(r.problems.size(), 4u) << Problems(r);
  EXPECT_EQ(r.problems[0].column, "settlement");
  EXPECT_NE(r.problems[0].reason.en.find("«village» is not one of: urban, rural"), std::string::npos);
  EXPECT_EQ(r.problems[1].column, "distance_km");
  EXPECT_EQ(r.problems[1].reason.en, "«x» is not a number");
  EXPECT_EQ(r.problems[2].column, "pupils");
  EXPECT_EQ(r.problems[2].reason.en, "the cell is empty; write a whole number");
  EXPECT_EQ(r.problems[3].line, 4);
  EXPECT_EQ(r.problems[3].column, "teachers");
}

TEST_F(ImportTest, ValidationFailureFromSaveRollsBackTheWholeFile) {
  // The last row parses but the store refuses it: the rows before it must not stay.
  constexpr std::string_view kFile =
      "code,name,municipality,settlement,distance_km,pupils,teachers\n"
      "101,A,M,rural,1,2,3\n"
      "102,B,M,rural,1,2,3\n"
      "103,C,M,rural,1,20000,3\n";
  const ImportReport r = Import(RecordKind::kSchool, "schools.csv", kFile);
  EXPECT_FALSE(r.committed);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].line, 4);
  EXPECT_EQ(r.problems[0].column, "");
  EXPECT_NE(r.problems[0].reason.en.find("number of pupils"), std::string::npos) << r.problems[0].reason.en;
  EXPECT_EQ(r.problems[0].ToString(Language::kEnglish).rfind("schools.csv, line 4: ", 0), 0u);
  EXPECT_TRUE(All<School>().empty());
  EXPECT_EQ(Pending(), 0);
  auto problems = store_->ConsistencyProblems();
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty());

  const ImportReport skip = Import(RecordKind::kSchool, "schools.csv", kFile, BadRowPolicy::kSkipBad);
  EXPECT_EQ(skip.inserted, 2);
  EXPECT_EQ(All<School>().size(), 2u);
}

TEST_F(ImportTest, UnknownSchoolCodeSaysToImportSchoolsFirst) {
  ImportThreeSchools();
  const ImportReport r = Import(RecordKind::kAssessmentResult, "results.csv",
                                "Код ОО;Год;Процедура;Предмет;Класс\n999;2024;ВПР;Математика;5\n");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].ToString(Language::kEnglish),
            "results.csv, line 2, column «Код ОО»: no school with code «999»: import schools first");
}

TEST_F(ImportTest, WrongCellCountIsAProblemOfThatLine) {
  const ImportReport r = Import(RecordKind::kSchool, "schools.csv",
                                "code,name,municipality,settlement,distance_km,pupils,teachers\n"
                                "101,A,M,rural,12,5,2,3\n"
                                "102,B,M,rural,1,2\n"
                                "103,C,M,rural,1,2,3,,\n",  // trailing empty cells are tolerated
                                BadRowPolicy::kSkipBad);
  EXPECT_EQ(r.inserted, 1);
  ASSERT_EQ(r.problems.size(), 2u) << Problems(r);
  EXPECT_EQ(r.problems[0].line, 2);
  EXPECT_NE(r.problems[0].reason.en.find("8 cells but the header has 7"), std::string::npos) << r.problems[0].reason.en;
  EXPECT_EQ(r.problems[1].line, 3);
  EXPECT_NE(r.problems[1].reason.en.find("6 cells but the header has 7"), std::string::npos) << r.problems[1].reason.en;
}

TEST_F(ImportTest, LinesCountQuotedLineBreaks) {
  const ImportReport r = Import(RecordKind::kSchool, "schools.csv",
                                "code;name;municipality;settlement;distance_km;pupils;teachers\n"
                                "101;\"Школа\n№ 1\";M;rural;1;2;3\n"
                                "102;B;M;rural;1;-2;3\n");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].line, 4);
}

TEST_F(ImportTest, ShareAboveOneWithoutPercentSignIsRefused) {
  ImportThreeSchools();
  const ImportReport r = Import(RecordKind::kAssessmentResult, "results.csv",
                                "Код ОО;Год;Процедура;Предмет;Класс;Доля ниже минимума;Доля высоких\n"
                                "101;2024;ВПР;Математика;5;12,5;-0,1\n");
  ASSERT_EQ(r.problems.size(), 2u) << Problems(r);
  EXPECT_EQ(r.problems[0].column, "Доля ниже минимума");
  EXPECT_EQ(r.problems[0].reason.en,
            "«12,5» is a share and must be between 0 and 1; write a percent with its sign: «12,5%»");
  EXPECT_EQ(r.problems[1].column, "Доля высоких");
}

TEST_F(ImportTest, UnknownIndicatorListsTheKnownOnes) {
  ImportThreeSchools();
  const ImportReport r =
      Import(RecordKind::kContextIndicator, "ind.csv",
             "school_code,year,indicator,value\n101,2024,happiness,1\n101,2024,teacher_vacancies,2.5%\n");
  ASSERT_EQ(r.problems.size(), 2u) << Problems(r);
  EXPECT_EQ(r.problems[0].column, "indicator");
  EXPECT_NE(r.problems[0].reason.en.find("«happiness» is not a known indicator; write one of: low_income_share"),
            std::string::npos);
  EXPECT_EQ(r.problems[1].column, "value");  // a count, not a share: no percent
}

TEST_F(ImportTest, UnknownAndAmbiguousPeopleInAssignments) {
  ImportThreeSchools();
  ASSERT_EQ(Import(RecordKind::kPerson, "people.csv",
                   "ФИО;Роль;Код ОО\nКузнецова Ольга;тьютор;101\nКузнецова Ольга;тьютор;102\n")
                .inserted,
            2);
  const ImportReport r = Import(RecordKind::kAssignment, "a.csv",
                                "kind,assignee,school_code,starts_on\n"
                                "mentor_school,Никто Никтович,101,2024-09-01\n"
                                "tutor_school_subject,Кузнецова Ольга,103,2024-09-01\n"
                                "mentor_school,,101,2024-09-01\n");
  ASSERT_EQ(r.problems.size(), 3u) << Problems(r);
  EXPECT_EQ(r.problems[0].reason.en, "no person with code or full name «Никто Никтович»: import people first");
  EXPECT_EQ(r.problems[1].reason.en, "2 people match «Кузнецова Ольга»; write the person's code instead");
  EXPECT_EQ(r.problems[2].reason.en, "the cell is empty; write the code or full name of the mentor or tutor");
}

TEST_F(ImportTest, TeacherNamesPreferTheAssignmentsSchool) {
  ImportThreeSchools();
  ASSERT_EQ(Import(RecordKind::kPerson, "people.csv",
                   "ФИО;Роль;Код ОО\nКузнецова Ольга;учитель;101\nКузнецова Ольга;учитель;102\nОрлов Илья;тьютор;\n")
                .inserted,
            3);
  const ImportReport r =
      Import(RecordKind::kAssignment, "a.csv",
             "Вид;Закреплённый;Код ОО;Учитель;С\ntutor_teacher;Орлов Илья;102;Кузнецова Ольга;01.09.2024\n");
  ASSERT_EQ(r.inserted, 1) << Problems(r);
  const auto a = All<Assignment>();
  ASSERT_EQ(a.size(), 1u);
  ASSERT_TRUE(a[0].teacher_id.has_value());
  auto teacher = store_->records().Get<Person>(*a[0].teacher_id);
  ASSERT_TRUE(teacher.ok());
  EXPECT_EQ(teacher->school_id, SchoolByCode("102").id);
}

TEST_F(ImportTest, DuplicateKeyInOneFileIsReported) {
  const ImportReport r = Import(RecordKind::kSchool, "schools.csv",
                                "code,name,municipality,settlement,distance_km,pupils,teachers\n"
                                "101,A,M,rural,1,2,3\n"
                                "101,A2,M,rural,1,2,3\n",
                                BadRowPolicy::kSkipBad);
  EXPECT_EQ(r.inserted, 1);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].ToString(Language::kEnglish),
            "schools.csv, line 3: repeats line 2 (the same school code); keep one of them");
  EXPECT_EQ(SchoolByCode("101").name, "A");
}

TEST_F(ImportTest, EmptySchoolCodeIsReported) {
  const ImportReport r = Import(RecordKind::kSchool, "schools.csv",
                                "code,name,municipality,settlement,distance_km,pupils,teachers\n,A,M,rural,1,2,3\n");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].column, "code");
  EXPECT_EQ(r.problems[0].reason.en, "the cell is empty; write the school's code");
}

TEST_F(ImportTest, TeacherWithoutSchoolGetsTheStoresMessage) {
  const ImportReport r = Import(RecordKind::kPerson, "people.csv", "full_name,roles\nИванова Анна,teacher\n");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].reason.en, "Teachers and school staff need their school.");
}

TEST_F(ImportTest, RussianStoreGetsRussianMessages) {
  store_ = OpenStore("ru.db");
  const ImportReport r = Import(RecordKind::kSchool, "школы.csv", kSchoolsWithBadYear);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].ToString(Language::kRussian), "школы.csv, строка 3, столбец «Год»: «2O24» — не целое число");

  const ImportReport v = Import(RecordKind::kSchool, "школы.csv",
                                "Код ОО;Наименование;Муниципалитет;Тип поселения;Расстояние;Обучающихся;Педагогов\n"
                                "101;;М;село;1;2;3\n");
  ASSERT_EQ(v.problems.size(), 1u);
  EXPECT_EQ(v.problems[0].ToString(Language::kRussian), "школы.csv, строка 2: Заполните поле «наименование».");
}

// -----------------------------------------------------------------------------------------
// [SECTION] Re-import and upserts
// -----------------------------------------------------------------------------------------

TEST_F(ImportTest, ChangedRowUpdatesOnlyThatRecord) {
  ImportThreeSchools();
  const int64_t pending = Pending();
  const ImportReport r = Import(RecordKind::kSchool, "schools.csv",
                                "code,name,municipality,settlement,distance_km,pupils,teachers,district\n"
                                "101,Школа № 1,Кировский МО,rural,12.5,320,28,Кировский\n"
                                "102,Лицей,Кировский МО,urban,0,800,60,Кировский\n"
                                "103,Школа с. Ёлкино,Кировский МО,rural,47,45,9,Кировский\n");
  EXPECT_EQ(r.inserted, 0);
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(r.unchanged, 2);
  EXPECT_EQ(Pending(), pending + 1);
  EXPECT_EQ(SchoolByCode("101").pupils, 320);
}

TEST_F(ImportTest, ColumnsNotInTheFileKeepStoredValues) {
  ImportThreeSchools();
  const School before = SchoolByCode("101");
  const ImportReport r = Import(RecordKind::kSchool, "statuses.csv",
                                "code,name,municipality,settlement,distance_km,pupils,teachers,status,year\n"
                                "101,Школа № 1,Кировский МО,rural,12.5,312,28,ШНОР,2025\n");
  EXPECT_EQ(r.updated, 1) << Problems(r);
  const School after = SchoolByCode("101");
  EXPECT_EQ(after.id, before.id);
  EXPECT_EQ(after.district, "Кировский");  // no district column in this file
  EXPECT_EQ(after.statuses, std::vector{SchoolStatus::kLowResults});
  EXPECT_EQ(after.status_year, 2025);
}

TEST_F(ImportTest, StatusesInTheSeedsTermsAndShortFormsAreAccepted) {
  const ImportReport r = Import(RecordKind::kSchool, "статусы.csv",
                                "Код ОО;Наименование;Муниципалитет;Тип поселения;Расстояние;Обучающихся;Педагогов;"
                                "Статус;Год\n"
                                "101;Школа № 1;Кировский МО;село;12,5;312;28;\"ШНОР; ШССУ\";2025\n"
                                "102;Школа № 2;Кировский МО;город;3;700;52;лидер;2025\n"
                                "103;Школа № 3;Кировский МО;село;7;90;11;Школа-Лидер;2025\n"
                                "104;Школа № 4;Кировский МО;село;9;80;10;шсу;2025\n"
                                "105;Школа № 5;Кировский МО;село;4;60;9;"
                                "Школа, функционирующая в сложных социальных условиях, ШНОР;2025\n");
  EXPECT_EQ(r.inserted, 5) << Problems(r);
  EXPECT_EQ(SchoolByCode("101").statuses, (std::vector{SchoolStatus::kLowResults, SchoolStatus::kAdverseConditions}));
  EXPECT_EQ(SchoolByCode("102").statuses, std::vector{SchoolStatus::kLeader});
  EXPECT_EQ(SchoolByCode("103").statuses, std::vector{SchoolStatus::kLeader});
  EXPECT_EQ(SchoolByCode("104").statuses, std::vector{SchoolStatus::kAdverseConditions});
  EXPECT_EQ(SchoolByCode("105").statuses, (std::vector{SchoolStatus::kAdverseConditions, SchoolStatus::kLowResults}));
}

TEST_F(ImportTest, PeopleWithoutCodeAreMatchedByNameAndSchool) {
  ImportThreeSchools();
  constexpr std::string_view kFile = "ФИО;Роль;Код ОО;Предметы\nОрлова Анна;учитель;101;химия\n";
  ASSERT_EQ(Import(RecordKind::kPerson, "p.csv", kFile).inserted, 1);
  EXPECT_EQ(Import(RecordKind::kPerson, "p.csv", kFile).unchanged, 1);
  // The same name at another school is another person.
  EXPECT_EQ(Import(RecordKind::kPerson, "p.csv", "ФИО;Роль;Код ОО\nОрлова Анна;учитель;102\n").inserted, 1);
  // A new code is given to the namesake at that school who has none, not to a new person.
  const ImportReport coded = Import(RecordKind::kPerson, "p.csv", "Код;ФИО;Роль;Код ОО\nT9;Орлова Анна;учитель;101\n");
  EXPECT_EQ(coded.updated, 1) << Problems(coded);
  // Without a code she is found by name and school, and the empty cell keeps her code.
  const ImportReport named =
      Import(RecordKind::kPerson, "p.csv", "Код;ФИО;Роль;Код ОО;Предметы\n;Орлова Анна;учитель;101;биология\n");
  EXPECT_EQ(named.updated, 1) << Problems(named);
  const auto people = SortedBy<Person>([&](const Person& p) { return p.school_id != SchoolByCode("101").id; });
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[0].school_id, SchoolByCode("101").id);
  EXPECT_EQ(people[0].code, "T9");
  EXPECT_EQ(people[0].subjects, std::vector<std::string>{"биология"});
  EXPECT_EQ(people[1].code, "");
}

TEST_F(ImportTest, NamesakesStoredTwiceAreNotGuessedBetween) {
  ImportThreeSchools();
  for (int i = 0; i < 2; ++i) {
    Person p;
    p.full_name = "Орлова Анна";
    p.roles = {Role::kTeacher};
    p.school_id = SchoolByCode("101").id;
    ASSERT_TRUE(store_->records().Save(p).ok());
  }
  const ImportReport r =
      Import(RecordKind::kPerson, "p.csv", "ФИО;Роль;Код ОО;Предметы\nОрлова Анна;учитель;101;химия\n");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].reason.en.rfind("2 records in MentorLog have the same code (or full name and school", 0), 0u)
      << r.problems[0].reason.en;
}

TEST_F(ImportTest, PersonFoundByCodeGetsNewName) {
  ImportThreeSchools();
  ASSERT_EQ(Import(RecordKind::kPerson, "p.csv", "code,full_name,roles\nM1,Петров О.,mentor\n").inserted, 1);
  const ImportReport r = Import(RecordKind::kPerson, "p.csv", "code,full_name,roles\nM1,Петров Олег Ильич,mentor\n");
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(All<Person>().size(), 1u);
  EXPECT_EQ(PersonByName("Петров Олег Ильич").code, "M1");
}

TEST_F(ImportTest, HeaderOnlyFileCommitsNothing) {
  const ImportReport r =
      Import(RecordKind::kSchool, "schools.csv", "code,name,municipality,settlement,distance_km,pupils,teachers\n");
  EXPECT_TRUE(r.committed);
  EXPECT_EQ(r.inserted + r.updated + r.unchanged, 0);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Header problems and file errors
// -----------------------------------------------------------------------------------------

TEST_F(ImportTest, UnknownColumnsAreIgnoredWithANote) {
  const ImportReport r = Import(RecordKind::kSchool, "schools.csv",
                                "code;name;Примечание;municipality;settlement;distance_km;pupils;teachers;\n"
                                "101;A;позвонить директору;M;rural;1;2;3;\n");
  EXPECT_EQ(r.inserted, 1) << Problems(r);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_EQ(r.notes[0].en, "schools.csv: column «Примечание» is not used and was ignored.");
}

TEST_F(ImportTest, MissingRequiredColumnNamesItAndItsAcceptedNames) {
  Result<ImportReport> r = ImportCsv(store_->records(), RecordKind::kPerson, "ФИО;Код ОО\nИванова;101\n", "people.csv",
                                     BadRowPolicy::kRejectFile);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(r.status().message(), "people.csv: no column «roles» (name it one of: roles, роль, роли, role).");
}

TEST_F(ImportTest, TwoColumnsForOneFieldAreAnError) {
  Result<ImportReport> r = ImportCsv(store_->records(), RecordKind::kSchool,
                                     "code,Код ОО,name,municipality,settlement,distance_km,pupils,teachers\n",
                                     "schools.csv", BadRowPolicy::kRejectFile);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(r.status().message().find("«code» and «Код ОО» both give «code»"), std::string::npos)
      << r.status().message();
}

TEST_F(ImportTest, KindsThatAreNotImportedAreRefused) {
  Result<ImportReport> r =
      ImportCsv(store_->records(), RecordKind::kVisit, "a,b\n1,2\n", "visits.csv", BadRowPolicy::kRejectFile);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(r.status().message().find("visits cannot be imported"), std::string::npos);
}

TEST_F(ImportTest, CsvErrorsPassThrough) {
  Result<ImportReport> unclosed = ImportCsv(store_->records(), RecordKind::kSchool, "code,name\n101,\"open\n",
                                            "schools.csv", BadRowPolicy::kRejectFile);
  ASSERT_FALSE(unclosed.ok());
  EXPECT_EQ(unclosed.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(unclosed.status().message().rfind("schools.csv, line 2", 0), 0u) << unclosed.status().message();

  Result<ImportReport> binary = ImportCsv(store_->records(), RecordKind::kSchool, std::string_view("code\n\0\n", 7),
                                          "schools.csv", BadRowPolicy::kRejectFile);
  ASSERT_FALSE(binary.ok());
  EXPECT_EQ(binary.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(binary.status().message().find("schools.csv, line 2"), std::string::npos) << binary.status().message();
}

TEST_F(ImportTest, FileErrors) {
  Result<ImportReport> missing =
      ImportCsvFile(store_->records(), RecordKind::kSchool, dir_ / "nope.csv", BadRowPolicy::kRejectFile);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("nope.csv"), std::string::npos);

  Result<ImportReport> folder = ImportCsvFile(store_->records(), RecordKind::kSchool, dir_, BadRowPolicy::kRejectFile);
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.status().code(), StatusCode::kInvalidInput);

  // Messages name the file without its folders.
  const ImportReport r = Import(RecordKind::kSchool, "Школы 2024.csv", kSchoolsWithBadYear);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].file, "Школы 2024.csv");
}

// -----------------------------------------------------------------------------------------
// [SECTION] Instruments: a small Кромской district (issue 15)
// -----------------------------------------------------------------------------------------

// Three schools, five teachers (two namesakes at two schools), a mentor and a tutor; the fake
// clock at 2025-03-15.
class InstrumentImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "mentorlog-instr-import-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    StoreOptions options;
    options.path = dir_ / "store.db";
    options.device_id = "test-device";
    options.clock = &clock_;
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();

    ImportReport s = Import(RecordKind::kSchool, "schools.csv",
                            "Код ОО;Наименование;Краткое наименование;Муниципалитет;Тип поселения;Расстояние;"
                            "Обучающихся;Педагогов;Статус;Год\n"
                            "5701;МБОУ «Кромская СОШ им. Н.Н. Поликарпова»;Кромская СОШ;Кромской район;город;0;"
                            "640;48;школа-лидер;2025\n"
                            "5702;МБОУ «Гостомльская СОШ»;Гостомльская СОШ;Кромской район;село;18;112;16;ШНОР;2025\n"
                            "5703;МБОУ «Шаховская СОШ»;Шаховская СОШ;Кромской район;село;27;74;12;ШНОР, ШНСУ;2025\n");
    ASSERT_EQ(s.inserted, 3) << InstrProblems(s);
    ImportReport p = Import(RecordKind::kPerson, "people.csv",
                            "Код;ФИО;Роль;Код ОО;Предметы\n"
                            "Т-101;Ковалёва Наталья Викторовна;учитель;5702;математика\n"
                            "Т-102;Морозов Алексей Сергеевич;учитель;5702;физика\n"
                            "Т-103;Лукьянова Ирина Николаевна;учитель;5703;русский язык\n"
                            ";Егорова Светлана Ивановна;учитель;5702;история\n"
                            ";Егорова Светлана Ивановна;учитель;5703;биология\n"
                            "Н-01;Гришина Ольга Павловна;наставник;;\n"
                            "Тт-01;Савельев Дмитрий Юрьевич;тьютор;;\n");
    ASSERT_EQ(p.inserted, 7) << InstrProblems(p);
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  static std::string InstrProblems(const ImportReport& r) {
    std::string s;
    for (const auto& p : r.problems) s += p.ToString(Language::kEnglish) + "\n";
    return s;
  }

  fs::path WriteFile(const std::string& name, std::string_view bytes) {
    const fs::path path = dir_ / name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
  }

  ImportReport Import(RecordKind kind, const std::string& name, std::string_view bytes,
                      BadRowPolicy policy = BadRowPolicy::kRejectFile) {
    Result<ImportReport> report = ImportCsvFile(store_->records(), kind, WriteFile(name, bytes), policy);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? std::move(report).value() : ImportReport{};
  }

  int64_t Pending() {
    auto n = store_->ledger().PendingCount();
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  template <class R>
  std::vector<R> All() {
    auto list = store_->records().List<R>();
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    return list.ok() ? std::move(list).value() : std::vector<R>{};
  }

  Uuid SchoolId(const std::string& code) {
    for (const auto& s : All<School>()) {
      if (s.code == code) return s.id;
    }
    ADD_FAILURE() << "no school " << code;
    return {};
  }
  Uuid PersonId(const std::string& code) {
    for (const auto& p : All<Person>()) {
      if (p.code == code) return p.id;
    }
    ADD_FAILURE() << "no person " << code;
    return {};
  }
  Uuid NamesakeAt(const std::string& school_code) {
    for (const auto& p : All<Person>()) {
      if (p.full_name == "Егорова Светлана Ивановна" && p.school_id == SchoolId(school_code)) return p.id;
    }
    ADD_FAILURE() << "no namesake at " << school_code;
    return {};
  }

  fs::path dir_;
  mentorlog::FakeClock clock_{testing::NoonMillis(2025, 3, 15)};
  std::unique_ptr<Store> store_;
};

// -----------------------------------------------------------------------------------------
// [SECTION] Instruments in every dialect
// -----------------------------------------------------------------------------------------

struct InstrSheet {
  RecordKind kind;
  std::vector<std::string> en;
  std::vector<std::string> ru;
  std::vector<std::vector<std::string>> rows;
};

// Writes `sheet` as a spreadsheet program would in `d` (Render, above).
std::string InstrRender(const InstrSheet& sheet, const Dialect& d) {
  return Render(Sheet{sheet.en, sheet.ru, sheet.rows}, d);
}

// In import order: events before their participants.
const std::vector<InstrSheet>& InstrSheets() {
  static const std::vector<InstrSheet> kSheets = {
      {RecordKind::kNetworkAgreement,
       {"number", "signed_on", "supported_school_code", "partner_school_code", "partner_name", "model", "ends_on",
        "subject", "status", "milestones"},
       {"Номер договора", "Дата заключения", "Код ОО", "Код школы-партнёра", "Партнёр", "Модель", "Действует до",
        "Предмет договора", "Статус", "Этапы"},
       {
           {"СВ-1/2024", "02.09.2024", "5702", "5701", "", "горизонтальная", "31.08.2025",
            "Совместные методические дни; взаимопосещение уроков", "действует",
            "Сентябрь: план совместной работы\nДекабрь: открытые уроки"},
           {"СВ-2/2024", "2024-10-15", "5703", "", "МБУК «Кромская межпоселенческая центральная библиотека»",
            "vertical", "", "Читательская грамотность", "", ""},
       }},
      {RecordKind::kRoadmapItem,
       {"title", "school_code", "starts_on", "ends_on", "responsible", "participants", "planned_result", "status",
        "done_on", "evidence"},
       {"Мероприятие", "Код ОО", "Начало", "Срок", "Ответственный", "Участники", "Планируемый результат", "Статус",
        "Дата выполнения", "Подтверждение выполнения"},
       {
           {"Самодиагностика школы", "5702", "01.09.2024", "30.09.2024", "Директор", "Управленческая команда",
            "Отчёт о самодиагностике", "выполнено", "27.09.2024", "Приказ № 112 от 27.09.2024"},
           {"Районный семинар по читательской грамотности", "", "01.11.2024", "30.11.2024", "Методкабинет",
            "Учителя ШНОР", "", "запланировано", "", ""},
       }},
      {RecordKind::kDeficit,
       {"teacher", "school_code", "area", "found_on", "found_by", "remedy", "closed_on", "closed_by", "notes"},
       {"Педагог", "Код ОО", "Дефицит", "Дата выявления", "Способ выявления", "Способ устранения", "Дата устранения",
        "Чем устранён", "Примечание"},
       {
           {"Т-101", "", "Формирующее оценивание", "14.10.2024", "посещение урока", "курсы повышения квалификации",
            "20.12.2024", "курсы «Формирующее оценивание», 36 ч", ""},
           {"Егорова Светлана Ивановна", "5703", "Работа с учащимися с ОВЗ", "2024-11-05", "", "", "", "",
            "по итогам диагностики"},
       }},
      {RecordKind::kTraining,
       {"teacher", "school_code", "kind", "provider", "title", "hours", "starts_on", "ends_on", "certificate"},
       {"ФИО", "Код ОО", "Вид", "Организация", "Программа", "Часов", "Начало", "Окончание", "Номер удостоверения"},
       {
           {"Т-101", "", "ПК", "БУ ОО ДПО «Институт развития образования»",
            "Формирующее оценивание на уроках математики", "36", "02.12.2024", "20.12.2024", "572417 0012345"},
           {"Морозов Алексей Сергеевич", "5702", "переподготовка", "ФГБОУ ВО «ОГУ им. И.С. Тургенева»",
            "Педагогическое образование: физика", "520", "01.02.2024", "28.02.2025", "ПП-0451"},
       }},
      {RecordKind::kRouteItem,
       {"teacher", "school_code", "activity", "title", "starts_on", "due_on", "status", "done_on", "result"},
       {"Педагог", "Код ОО", "Форма", "Содержание", "Начало", "Срок", "Статус", "Дата выполнения", "Результат"},
       {
           {"Т-101", "", "курсы повышения квалификации", "Курсы «Формирующее оценивание»", "01.12.2024", "20.12.2024",
            "выполнено", "20.12.2024", "Удостоверение 36 ч"},
           {"Т-101", "", "взаимопосещение уроков", "Посетить 3 урока наставника", "10.01.2025", "31.03.2025",
            "выполняется", "", ""},
       }},
      {RecordKind::kNetworkEvent,
       {"title", "kind", "organiser_school_code", "held_on", "report"},
       {"Название", "Форма", "Код ОО организатора", "Дата", "Итоги"},
       {
           {"Методический день «Функциональная грамотность»", "методический день", "5701", "05.11.2024",
            "42 участника из 9 школ"},
           {"Мастер-класс «Смысловое чтение»", "мастер-класс", "", "2025-02-12", ""},
       }},
      {RecordKind::kEventParticipant,
       {"event", "event_date", "teacher", "school_code"},
       {"Мероприятие", "Дата мероприятия", "Педагог", "Код ОО"},
       {
           {"Методический день «Функциональная грамотность»", "05.11.2024", "Т-101", ""},
           {"Методический день «Функциональная грамотность»", "05.11.2024", "Егорова Светлана Ивановна", "5702"},
           {"Мастер-класс «Смысловое чтение»", "", "Лукьянова Ирина Николаевна", ""},
       }},
      {RecordKind::kPlanItem,
       {"person", "school_code", "teacher", "activity", "planned_on", "title", "done_on"},
       {"Исполнитель", "Код ОО", "Учитель", "Вид работы", "Дата", "Содержание", "Дата выполнения"},
       {
           {"Н-01", "5702", "", "выезд", "16.09.2024", "Диагностический выезд", ""},
           {"Тт-01", "5702", "Егорова Светлана Ивановна", "посещение урока", "2024-10-14", "", ""},
           {"Гришина Ольга Павловна", "5703", "", "мероприятие", "20.11.2024", "Педсовет по итогам ВПР", "20.11.2024"},
       }},
  };
  return kSheets;
}

class InstrumentDialectTest : public InstrumentImportTest, public ::testing::WithParamInterface<Dialect> {};

TEST_P(InstrumentDialectTest, EveryInstrumentImportsAndReimportsAsNoOp) {
  const Dialect& d = GetParam();
  for (const InstrSheet& sheet : InstrSheets()) {
    const ImportReport r = Import(sheet.kind, "file.csv", InstrRender(sheet, d));
    EXPECT_TRUE(r.committed) << KindTable(sheet.kind) << "\n" << InstrProblems(r);
    EXPECT_EQ(r.inserted, static_cast<int64_t>(sheet.rows.size())) << KindTable(sheet.kind) << "\n" << InstrProblems(r);
    EXPECT_TRUE(r.notes.empty()) << KindTable(sheet.kind) << ": " << r.notes.front().en;
  }

  // Agreements: a school partner, and an institution partner named where there is no code.
  auto agreements = All<NetworkAgreement>();
  std::sort(agreements.begin(), agreements.end(), [](const auto& a, const auto& b) { return a.number < b.number; });
  ASSERT_EQ(agreements.size(), 2u);
  EXPECT_EQ(agreements[0].supported_school_id, SchoolId("5702"));
  EXPECT_EQ(agreements[0].leader_school_id, SchoolId("5701"));
  EXPECT_EQ(agreements[0].partner_kind, PartnerKind::kSchool);
  EXPECT_EQ(agreements[0].signed_on, *Date::FromYmd(2024, 9, 2));
  EXPECT_EQ(agreements[0].ends_on, *Date::FromYmd(2025, 8, 31));
  EXPECT_EQ(agreements[0].status, AgreementStatus::kActive);
  EXPECT_EQ(agreements[0].milestones, "Сентябрь: план совместной работы\nДекабрь: открытые уроки");
  EXPECT_EQ(agreements[1].partner_kind, PartnerKind::kInstitution);
  EXPECT_EQ(agreements[1].leader_school_id, std::nullopt);
  EXPECT_EQ(agreements[1].partner_name, "МБУК «Кромская межпоселенческая центральная библиотека»");
  EXPECT_EQ(agreements[1].model, NetworkModel::kVertical);
  EXPECT_EQ(agreements[1].status, AgreementStatus::kActive);  // an empty status cell: the usual "active"
  EXPECT_EQ(agreements[1].ends_on, std::nullopt);

  // Roadmap: a row with a school is the school's item; without one, the district's.
  auto roadmap = All<RoadmapItem>();
  std::sort(roadmap.begin(), roadmap.end(), [](const auto& a, const auto& b) { return a.starts_on < b.starts_on; });
  ASSERT_EQ(roadmap.size(), 2u);
  EXPECT_EQ(roadmap[0].level, RoadmapLevel::kSchool);
  EXPECT_EQ(roadmap[0].school_id, SchoolId("5702"));
  EXPECT_EQ(roadmap[0].status, RoadmapStatus::kDone);
  EXPECT_EQ(roadmap[0].done_on, *Date::FromYmd(2024, 9, 27));
  EXPECT_EQ(roadmap[0].evidence, "Приказ № 112 от 27.09.2024");
  EXPECT_EQ(roadmap[1].level, RoadmapLevel::kDistrict);
  EXPECT_EQ(roadmap[1].school_id, std::nullopt);
  EXPECT_EQ(roadmap[1].status, RoadmapStatus::kPlanned);

  // Deficits: a teacher by code, and a namesake decided by the school column.
  auto deficits = All<Deficit>();
  std::sort(deficits.begin(), deficits.end(), [](const auto& a, const auto& b) { return a.found_on < b.found_on; });
  ASSERT_EQ(deficits.size(), 2u);
  EXPECT_EQ(deficits[0].teacher_id, PersonId("Т-101"));
  EXPECT_EQ(deficits[0].found_by, DeficitSource::kObservation);
  EXPECT_EQ(deficits[0].remedy, DeficitRemedy::kCourse);
  EXPECT_EQ(deficits[0].closed_on, *Date::FromYmd(2024, 12, 20));
  EXPECT_EQ(deficits[0].closed_by, "курсы «Формирующее оценивание», 36 ч");
  EXPECT_EQ(deficits[1].teacher_id, NamesakeAt("5703"));
  EXPECT_EQ(deficits[1].closed_on, std::nullopt);
  EXPECT_EQ(deficits[1].notes, "по итогам диагностики");

  // Trainings: the office's "ПК" and "переподготовка".
  auto trainings = All<Training>();
  std::sort(trainings.begin(), trainings.end(), [](const auto& a, const auto& b) { return a.hours < b.hours; });
  ASSERT_EQ(trainings.size(), 2u);
  EXPECT_EQ(trainings[0].teacher_id, PersonId("Т-101"));
  EXPECT_EQ(trainings[0].kind, TrainingKind::kQualification);
  EXPECT_EQ(trainings[0].provider, "БУ ОО ДПО «Институт развития образования»");
  EXPECT_EQ(trainings[0].hours, 36);
  EXPECT_EQ(trainings[0].starts_on, *Date::FromYmd(2024, 12, 2));
  EXPECT_EQ(trainings[0].ends_on, *Date::FromYmd(2024, 12, 20));
  EXPECT_EQ(trainings[0].certificate, "572417 0012345");
  EXPECT_EQ(trainings[1].teacher_id, PersonId("Т-102"));
  EXPECT_EQ(trainings[1].kind, TrainingKind::kRetraining);

  auto route = All<RouteItem>();
  std::sort(route.begin(), route.end(), [](const auto& a, const auto& b) { return a.starts_on < b.starts_on; });
  ASSERT_EQ(route.size(), 2u);
  EXPECT_EQ(route[0].activity, RouteActivity::kCourse);
  EXPECT_EQ(route[0].status, RouteItemStatus::kDone);
  EXPECT_EQ(route[0].done_on, *Date::FromYmd(2024, 12, 20));
  EXPECT_EQ(route[0].deficit_id, std::nullopt);
  EXPECT_EQ(route[1].activity, RouteActivity::kPeerVisits);
  EXPECT_EQ(route[1].due_on, *Date::FromYmd(2025, 3, 31));

  auto events = All<NetworkEvent>();
  std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.held_on < b.held_on; });
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, NetworkEventKind::kMethodologicalDay);
  EXPECT_EQ(events[0].organiser_school_id, SchoolId("5701"));
  EXPECT_EQ(events[1].kind, NetworkEventKind::kMasterClass);
  EXPECT_EQ(events[1].organiser_school_id, std::nullopt);

  // Participants: the event by title and date (or by title alone), the teacher by code or by
  // name within the school.
  const auto participants = All<EventParticipant>();
  ASSERT_EQ(participants.size(), 3u);
  auto has = [&](const Uuid& event, const Uuid& teacher) {
    return std::any_of(participants.begin(), participants.end(),
                       [&](const EventParticipant& p) { return p.event_id == event && p.teacher_id == teacher; });
  };
  EXPECT_TRUE(has(events[0].id, PersonId("Т-101")));
  EXPECT_TRUE(has(events[0].id, NamesakeAt("5702")));
  EXPECT_TRUE(has(events[1].id, PersonId("Т-103")));

  auto plan = All<PlanItem>();
  std::sort(plan.begin(), plan.end(), [](const auto& a, const auto& b) { return a.planned_on < b.planned_on; });
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].person_id, PersonId("Н-01"));
  EXPECT_EQ(plan[0].activity, PlanActivity::kVisit);
  EXPECT_EQ(plan[0].teacher_id, std::nullopt);
  EXPECT_EQ(plan[1].person_id, PersonId("Тт-01"));
  EXPECT_EQ(plan[1].teacher_id, NamesakeAt("5702"));  // the row's school decides
  EXPECT_EQ(plan[1].activity, PlanActivity::kObservation);
  EXPECT_EQ(plan[2].school_id, SchoolId("5703"));
  EXPECT_EQ(plan[2].done_on, *Date::FromYmd(2024, 11, 20));

  // The same files again: nothing changes and nothing is queued for sync.
  const int64_t pending = Pending();
  for (const InstrSheet& sheet : InstrSheets()) {
    const ImportReport r = Import(sheet.kind, "file.csv", InstrRender(sheet, d));
    EXPECT_TRUE(r.committed) << KindTable(sheet.kind) << "\n" << InstrProblems(r);
    EXPECT_EQ(r.inserted + r.updated, 0) << KindTable(sheet.kind) << "\n" << InstrProblems(r);
    EXPECT_EQ(r.unchanged, static_cast<int64_t>(sheet.rows.size())) << KindTable(sheet.kind);
  }
  EXPECT_EQ(Pending(), pending);
}

INSTANTIATE_TEST_SUITE_P(Import, InstrumentDialectTest,
                         ::testing::Values(Dialect{"Utf8CommaEnglish", ',', false, false, false},
                                           Dialect{"Cp1251SemicolonRussian", ';', true, false, true},
                                           Dialect{"Utf8BomSemicolonRussian", ';', false, true, true},
                                           Dialect{"Utf8TabEnglish", '\t', false, false, false}),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST_F(InstrumentImportTest, TheInstrumentExamplesOfTheDocsImport) {
  Result<std::string> courses = Utf8ToWindows1251(DocExample("`courses.csv`"));
  ASSERT_TRUE(courses.ok());
  const ImportReport t = Import(RecordKind::kTraining, "courses.csv", *courses);
  EXPECT_EQ(t.inserted, 2) << InstrProblems(t);
  const ImportReport a = Import(RecordKind::kNetworkAgreement, "agreements.csv", DocExample("`agreements.csv`"));
  EXPECT_EQ(a.inserted, 2) << InstrProblems(a);
  ASSERT_EQ(Import(RecordKind::kNetworkEvent, "events.csv",
                   "Название;Дата\nМетодический день «Функциональная грамотность»;05.11.2024\n"
                   "Мастер-класс «Смысловое чтение»;12.02.2025\n")
                .inserted,
            2);
  const ImportReport p = Import(RecordKind::kEventParticipant, "participants.csv", DocExample("`participants.csv`"));
  EXPECT_EQ(p.inserted, 3) << InstrProblems(p);
}

TEST_F(InstrumentImportTest, AChangedRowUpdatesOnlyItsRecord) {
  constexpr std::string_view kFile =
      "ФИО;Вид;Организация;Программа;Часов;Начало;Окончание;Номер удостоверения\n"
      "Т-101;ПК;БУ ОО ДПО «Институт развития образования»;Формирующее оценивание;36;02.12.2024;20.12.2024;\n"
      "Т-103;ПК;БУ ОО ДПО «Институт развития образования»;Смысловое чтение;72;13.01.2025;14.02.2025;\n";
  ASSERT_EQ(Import(RecordKind::kTraining, "courses.csv", kFile).inserted, 2);
  // The certificate arrives later: the same teacher, title and end date update the course.
  const ImportReport r = Import(
      RecordKind::kTraining, "courses.csv",
      "ФИО;Вид;Организация;Программа;Часов;Начало;Окончание;Номер удостоверения\n"
      "Т-101;ПК;БУ ОО ДПО «Институт развития образования»;Формирующее оценивание;36;02.12.2024;20.12.2024;572417\n"
      "Т-103;ПК;БУ ОО ДПО «Институт развития образования»;Смысловое чтение;72;13.01.2025;14.02.2025;\n");
  EXPECT_EQ(r.updated, 1) << InstrProblems(r);
  EXPECT_EQ(r.unchanged, 1);
  EXPECT_EQ(All<Training>().size(), 2u);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Instruments: export and import back
// -----------------------------------------------------------------------------------------

TEST_F(InstrumentImportTest, AnExportOfEveryInstrumentImportsBackUnchanged) {
  const Dialect russian{"ru", ';', false, false, true};
  for (const InstrSheet& sheet : InstrSheets()) {
    ASSERT_TRUE(Import(sheet.kind, "file.csv", InstrRender(sheet, russian)).committed) << KindTable(sheet.kind);
  }
  // A route item tied to a deficit in the app keeps it: the export's deficit_id is not read.
  RouteItem item = All<RouteItem>().at(0);
  item.deficit_id = All<Deficit>().at(0).id;
  ASSERT_TRUE(store_->records().Save(item).ok());

  const int64_t pending = Pending();
  for (const InstrSheet& sheet : InstrSheets()) {
    for (const bool excel : {false, true}) {
      Result<std::string> bytes = Export(store_->records(), sheet.kind, ExportFormat::kCsv, excel);
      ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
      const ImportReport r = Import(sheet.kind, "export.csv", *bytes);
      EXPECT_TRUE(r.committed) << KindTable(sheet.kind) << (excel ? " excel\n" : "\n") << InstrProblems(r);
      EXPECT_EQ(r.inserted + r.updated, 0)
          << KindTable(sheet.kind) << (excel ? " excel\n" : "\n") << InstrProblems(r) << *bytes;
      EXPECT_EQ(r.unchanged, static_cast<int64_t>(sheet.rows.size())) << KindTable(sheet.kind);
      // The export's id (and the columns an import does not read) are named in a note.
      ASSERT_FALSE(r.notes.empty()) << KindTable(sheet.kind);
      EXPECT_EQ(r.notes[0].en, "export.csv: column «id» is not used and was ignored.");
    }
  }
  EXPECT_EQ(Pending(), pending);
  const auto items = All<RouteItem>();
  EXPECT_EQ(std::count_if(items.begin(), items.end(), [&](const RouteItem& i) { return i.deficit_id.has_value(); }), 1);
}

// -----------------------------------------------------------------------------------------
// [SECTION] Instruments: partners, teachers, events
// -----------------------------------------------------------------------------------------

TEST_F(InstrumentImportTest, AnAgreementWithoutAPartnerNamesTheColumnToFill) {
  const ImportReport r = Import(RecordKind::kNetworkAgreement, "agreements.csv",
                                "Номер договора;Дата заключения;Код ОО;Код школы-партнёра;Партнёр\n"
                                "СВ-3/2024;01.10.2024;5703;;\n");
  ASSERT_EQ(r.problems.size(), 1u) << InstrProblems(r);
  EXPECT_EQ(r.problems[0].ToString(Language::kRussian),
            "agreements.csv, строка 2, столбец «Код школы-партнёра»: ячейка пуста; впишите код школы-партнёра или "
            "наименование организации-партнёра (библиотеки, спортивной школы, вуза)");
  EXPECT_EQ(r.problems[0].ToString(Language::kEnglish),
            "agreements.csv, line 2, column «Код школы-партнёра»: the cell is empty; write the partner school's code, "
            "or the name of the partner institution (a library, a sports school, a university)");
  EXPECT_TRUE(All<NetworkAgreement>().empty());
}

TEST_F(InstrumentImportTest, ChoicesMayWriteYoAsYe) {
  const ImportReport r = Import(RecordKind::kNetworkAgreement, "agreements.csv",
                                "Номер договора;Дата заключения;Код ОО;Код школы-партнёра;Статус\n"
                                "СВ-5/2023;01.09.2023;5703;5701;прекращен\n");
  EXPECT_EQ(r.inserted, 1) << InstrProblems(r);
  EXPECT_EQ(All<NetworkAgreement>().at(0).status, AgreementStatus::kEnded);
}

TEST_F(InstrumentImportTest, AnAgreementsPartnerMayChangeFromASchoolToAnInstitution) {
  ASSERT_EQ(Import(RecordKind::kNetworkAgreement, "a.csv",
                   "number,signed_on,school_code,partner_school_code,partner_name\nСВ-4,2024-09-01,5702,5701,\n")
                .inserted,
            1);
  const ImportReport r =
      Import(RecordKind::kNetworkAgreement, "a.csv",
             "number,signed_on,school_code,partner_school_code,partner_name\nСВ-4,2024-09-01,5702,,МБУ ДО «Кромская "
             "ДЮСШ»\n");
  EXPECT_EQ(r.updated, 1) << InstrProblems(r);
  const NetworkAgreement a = All<NetworkAgreement>().at(0);
  EXPECT_EQ(a.partner_kind, PartnerKind::kInstitution);
  EXPECT_EQ(a.leader_school_id, std::nullopt);
  EXPECT_EQ(a.partner_name, "МБУ ДО «Кромская ДЮСШ»");
}

TEST_F(InstrumentImportTest, NamesakesNeedTheSchoolOrTheCode) {
  const ImportReport r = Import(RecordKind::kDeficit, "deficits.csv",
                                "Педагог;Дефицит;Дата выявления\nЕгорова Светлана Ивановна;Проектная деятельность;"
                                "14.10.2024\n");
  ASSERT_EQ(r.problems.size(), 1u) << InstrProblems(r);
  EXPECT_EQ(r.problems[0].ToString(Language::kEnglish),
            "deficits.csv, line 2, column «Педагог»: 2 people match «Егорова Светлана Ивановна»; write the person's "
            "code instead");
  EXPECT_EQ(r.problems[0].ToString(Language::kRussian),
            "deficits.csv, строка 2, столбец «Педагог»: под «Егорова Светлана Ивановна» подходят 2 человек(а); укажите "
            "код человека");
  // With the school column the namesake is found.
  const ImportReport ok = Import(RecordKind::kDeficit, "deficits.csv",
                                 "Педагог;Код ОО;Дефицит;Дата выявления\nЕгорова Светлана Ивановна;5702;Проектная "
                                 "деятельность;14.10.2024\n");
  EXPECT_EQ(ok.inserted, 1) << InstrProblems(ok);
  EXPECT_EQ(All<Deficit>().at(0).teacher_id, NamesakeAt("5702"));
}

TEST_F(InstrumentImportTest, ParticipantsOfTwoEventsOfOneTitleNeedTheDate) {
  ASSERT_EQ(Import(RecordKind::kNetworkEvent, "events.csv",
                   "Название;Форма;Дата\nОткрытый урок по физике;открытый урок;12.11.2024\n"
                   "Открытый урок по физике;открытый урок;11.02.2025\n")
                .inserted,
            2);
  ImportReport r =
      Import(RecordKind::kEventParticipant, "participants.csv", "Мероприятие;Педагог\nОткрытый урок по физике;Т-102\n");
  ASSERT_EQ(r.problems.size(), 1u) << InstrProblems(r);
  EXPECT_EQ(r.problems[0].ToString(Language::kRussian),
            "participants.csv, строка 2, столбец «Мероприятие»: мероприятий с названием «Открытый урок по физике» "
            "несколько (2); добавьте столбец «дата мероприятия» с датой проведения");
  EXPECT_EQ(r.problems[0].ToString(Language::kEnglish),
            "participants.csv, line 2, column «Мероприятие»: 2 network events are called «Открытый урок по физике»; "
            "add a column «event_date» (or «дата мероприятия») with the event's date");

  r = Import(RecordKind::kEventParticipant, "participants.csv",
             "Мероприятие;Дата мероприятия;Педагог\nОткрытый урок по физике;11.02.2025;Т-102\n"
             "Открытый урок по физике;11.02.2025;Т-101\n");
  EXPECT_EQ(r.inserted, 2) << InstrProblems(r);
  // The same teacher twice at one event is a repeated row, not a second participant.
  r = Import(RecordKind::kEventParticipant, "participants.csv",
             "Мероприятие;Дата мероприятия;Педагог\nОткрытый урок по физике;11.02.2025;Т-102\n"
             "Открытый урок по физике;11.02.2025;Морозов Алексей Сергеевич\n");
  ASSERT_EQ(r.problems.size(), 1u) << InstrProblems(r);
  EXPECT_EQ(r.problems[0].line, 3);
  EXPECT_NE(r.problems[0].reason.en.find("repeats line 2 (the same event and teacher)"), std::string::npos)
      << r.problems[0].reason.en;
  EXPECT_EQ(All<EventParticipant>().size(), 2u);
}

TEST_F(InstrumentImportTest, AnUnknownEventOrDateIsNamed) {
  ASSERT_EQ(Import(RecordKind::kNetworkEvent, "events.csv", "title,held_on\nКруглый стол «Наставничество»,2024-12-10\n")
                .inserted,
            1);
  const ImportReport r = Import(RecordKind::kEventParticipant, "participants.csv",
                                "event,event_date,teacher\n"
                                "Круглый стол «Наставничество»,2024-12-11,Т-101\n"
                                "Круглый стол «Наставничество»,10.12.2O24,Т-101\n"
                                "Семинар,,Т-101\n");
  ASSERT_EQ(r.problems.size(), 3u) << InstrProblems(r);
  EXPECT_EQ(r.problems[0].ToString(Language::kEnglish),
            "participants.csv, line 2, column «event»: no network event «Круглый стол «Наставничество»» on 2024-12-11: "
            "check the title and the date, or import the events first");
  EXPECT_EQ(r.problems[1].column, "event_date");
  EXPECT_EQ(r.problems[2].ToString(Language::kRussian),
            "participants.csv, строка 4, столбец «event»: нет сетевого мероприятия «Семинар»: проверьте название или "
            "сначала импортируйте мероприятия");
}

TEST_F(InstrumentImportTest, ATeacherOfAnotherSchoolInAPlanGetsTheStoresMessage) {
  const ImportReport r = Import(RecordKind::kPlanItem, "plan.csv",
                                "Исполнитель;Код ОО;Учитель;Вид работы;Дата\n"
                                "Тт-01;5702;Т-103;посещение урока;14.10.2024\n");
  ASSERT_EQ(r.problems.size(), 1u) << InstrProblems(r);
  EXPECT_EQ(r.problems[0].ToString(Language::kRussian),
            "plan.csv, строка 2: Лукьянова Ирина Николаевна не работает в школе «МБОУ «Гостомльская СОШ»». Выберите "
            "учителя этой школы.");
}

// -----------------------------------------------------------------------------------------
// [SECTION] Instruments: bad rows
// -----------------------------------------------------------------------------------------

TEST_F(InstrumentImportTest, ABadCellNamesTheLineAndTheColumnInBothLanguages) {
  const ImportReport r =
      Import(RecordKind::kTraining, "courses.csv",
             "ФИО;Вид;Организация;Программа;Часов;Начало;Окончание\n"
             "Т-101;ПК;БУ ОО ДПО «Институт развития образования»;Формирующее оценивание;36;02.12.2024;20.12.2024\n"
             "Т-102;стажировка;БУ ОО ДПО «Институт развития образования»;Цифровая лаборатория;36 ч;13.01.2025;"
             "14.02.2025\n"
             "Петров П.П.;ПК;БУ ОО ДПО «Институт развития образования»;Цифровая лаборатория;36;13.01.2025;"
             "14.02.2025\n");
  EXPECT_FALSE(r.committed);
  EXPECT_EQ(r.bad_rows, 2);
  ASSERT_EQ(r.problems.size(), 3u) << InstrProblems(r);
  EXPECT_EQ(r.problems[1].ToString(Language::kRussian),
            "courses.csv, строка 3, столбец «Вид»: «стажировка» — недопустимое значение; допустимо: повышение "
            "квалификации, профессиональная переподготовка (qualification, retraining)");
  EXPECT_EQ(r.problems[0].ToString(Language::kRussian),
            "courses.csv, строка 3, столбец «Часов»: «36 ч» — не целое число");
  EXPECT_EQ(r.problems[0].ToString(Language::kEnglish),
            "courses.csv, line 3, column «Часов»: «36 ч» is not a whole number");
  EXPECT_EQ(r.problems[2].ToString(Language::kRussian),
            "courses.csv, строка 4, столбец «ФИО»: нет человека с кодом или ФИО «Петров П.П.»: сначала импортируйте "
            "людей");
  EXPECT_TRUE(All<Training>().empty());  // all or nothing

  const ImportReport skip =
      Import(RecordKind::kTraining, "courses.csv",
             "ФИО;Вид;Организация;Программа;Часов;Начало;Окончание\n"
             "Т-101;ПК;БУ ОО ДПО «Институт развития образования»;Формирующее оценивание;36;02.12.2024;20.12.2024\n"
             "Т-102;ПК;БУ ОО ДПО «Институт развития образования»;Цифровая лаборатория;36 ч;13.01.2025;14.02.2025\n",
             BadRowPolicy::kSkipBad);
  EXPECT_TRUE(skip.committed);
  EXPECT_EQ(skip.inserted, 1);
  EXPECT_EQ(skip.bad_rows, 1);
}

TEST_F(InstrumentImportTest, ARecordTheStoreRefusesIsABadRowWithItsReason) {
  // A course that ends before it starts; a done route item without its date.
  const ImportReport t = Import(RecordKind::kTraining, "courses.csv",
                                "teacher,provider,title,hours,starts_on,ends_on\n"
                                "Т-101,БУ ОО ДПО «ИРО»,Формирующее оценивание,36,2024-12-20,2024-12-02\n");
  ASSERT_EQ(t.problems.size(), 1u);
  EXPECT_EQ(t.problems[0].ToString(Language::kEnglish),
            "courses.csv, line 2: The course ends before it starts (2024-12-02 < 2024-12-20).");
  const ImportReport r = Import(RecordKind::kRouteItem, "route.csv",
                                "Педагог;Содержание;Начало;Срок;Статус\n"
                                "Т-101;Курсы;01.12.2024;20.12.2024;выполнено\n");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].ToString(Language::kRussian), "route.csv, строка 2: Укажите, когда пункт выполнен.");
}

TEST_F(InstrumentImportTest, AMissingColumnListsItsRussianNames) {
  Result<ImportReport> r = ImportCsv(store_->records(), RecordKind::kTraining,
                                     "ФИО;Программа;Часов;Начало;Окончание\nТ-101;Курс;36;02.12.2024;20.12.2024\n",
                                     "courses.csv", BadRowPolicy::kRejectFile);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(r.status().message(Language::kRussian),
            "courses.csv: нет столбца «организация» (подходящие названия: provider, организация, образовательная "
            "организация, место обучения, где обучался, организация, проводившая обучение).");
}

TEST_F(InstrumentImportTest, KindsWithoutASpreadsheetAreRefusedNamingTheOthers) {
  Result<ImportReport> r =
      ImportCsv(store_->records(), RecordKind::kVisit, "a,b\n1,2\n", "visits.csv", BadRowPolicy::kRejectFile);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(Language::kEnglish),
            "visits cannot be imported from CSV; these can: schools, people, assignments, deficits, roadmap_items, "
            "network_agreements, assessment_results, context_indicators, route_items, trainings, network_events, "
            "event_participants, plan_items");
}

}  // namespace
}  // namespace mentorlog::core
