// CSV and JSON export: header, Excel dialect, round trips through the import, JSON values.
#include "mentorlog/store/export.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

// Same settings as the library's own use of rapidjson (rubric.cpp).
#include <stdexcept>
#ifndef RAPIDJSON_ASSERT
#define RAPIDJSON_ASSERT(x) \
  if (!(x)) throw std::runtime_error("rapidjson: " #x)
#endif
#include "rapidjson_config.h"

#include "mentorlog/domain/csv.h"
#include "mentorlog/domain/import.h"
#include "mentorlog/platform/env.h"
#include "test_fixtures.h"

namespace mentorlog::core {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSchoolsCsv =
    "Код ОО;Наименование;Краткое наименование;Муниципалитет;Район;Тип поселения;Расстояние;Обучающихся;"
    "Педагогов;Статус;Год\n"
    "101;\"МБОУ \"\"СОШ № 1\"\", корпус 2; филиал\";СОШ № 1;Кировский МО;Кировский;село;12,5;312;28;ШНОР, ШНСУ;2024\n"
    "102;\"Лицей «Ступени»\nстарое здание\";Лицей;Кировский МО;;город;0;800;60;школа-лидер;2024\n"
    "103;Школа с. Ёлкино;;Кировский МО;Кировский;село;47,25;45;9;;\n";

class ExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "mentorlog-export-XXXXXX").string();
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

  ImportReport Import(Store& store, RecordKind kind, std::string_view bytes) {
    Result<ImportReport> r = ImportCsv(store.records(), kind, bytes, "file.csv", BadRowPolicy::kRejectFile);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return {};
    for (const auto& p : r->problems) ADD_FAILURE() << p.ToString(Language::kEnglish);
    return std::move(r).value();
  }

  std::string ExportOk(RecordKind kind, ExportFormat format, bool excel, Store* store = nullptr) {
    Result<std::string> bytes = Export((store ? *store : *store_).records(), kind, format, excel);
    EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
    return bytes.ok() ? std::move(bytes).value() : std::string();
  }

  template <class R>
  std::vector<R> All(Store& store) {
    auto list = store.records().List<R>();
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    return list.ok() ? std::move(list).value() : std::vector<R>{};
  }

  // Ids made in one millisecond of the fake clock do not sort by creation: sort by code.
  std::vector<School> SchoolsByCode(Store& store) {
    std::vector<School> list = All<School>(store);
    std::sort(list.begin(), list.end(), [](const School& a, const School& b) { return a.code < b.code; });
    return list;
  }

  // Every field but the id and the leader partner (an id of this store).
  static void ExpectSameSchools(const std::vector<School>& a, const std::vector<School>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      School x = a[i];
      School y = b[i];
      x.id = y.id = Uuid();
      x.leader_partner_id = y.leader_partner_id = std::nullopt;
      ForEachFieldDef<School>([&](const auto& def) {
        EXPECT_TRUE(x.*(def.member) == y.*(def.member)) << "school " << x.code << ", field " << def.name;
      });
    }
  }

  fs::path dir_;
  mentorlog::FakeClock clock_{testing::NoonMillis(2025, 3, 15)};
  std::unique_ptr<Store> store_;
};

TEST_F(ExportTest, CsvHeaderIsIdThenFieldNames) {
  ASSERT_EQ(Import(*store_, RecordKind::kSchool, kSchoolsCsv).inserted, 3);
  const std::string bytes = ExportOk(RecordKind::kSchool, ExportFormat::kCsv, false);
  EXPECT_TRUE(IsValidUtf8(bytes));
  EXPECT_NE(bytes.substr(0, 3), "\xEF\xBB\xBF");
  Result<CsvTable> table = ParseCsv(bytes, "export.csv");
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->separator, ',');
  EXPECT_EQ(table->header,
            (std::vector<std::string>{"id", "code", "name", "short_name", "municipality", "settlement", "distance_km",
                                      "pupils", "teachers", "statuses", "status_year", "leader_partner_id",
                                      "transition_programme", "transition_programme_adopted_on",
                                      "management_team_trained", "district"}));
  const auto schools = All<School>(*store_);  // ordered by id, as the export is
  ASSERT_EQ(table->rows.size(), schools.size());
  for (size_t i = 0; i < schools.size(); ++i) {
    const auto& cells = table->rows[i].cells;
    ASSERT_EQ(cells.size(), 16u);
    EXPECT_EQ(cells[0], schools[i].id.ToString());
    EXPECT_EQ(cells[1], schools[i].code);
    EXPECT_EQ(cells[2], schools[i].name);
    if (cells[1] == "101") {
      EXPECT_EQ(cells[2], "МБОУ \"СОШ № 1\", корпус 2; филиал");
      EXPECT_EQ(cells[5], "rural");
      EXPECT_EQ(cells[6], "12.5");
      EXPECT_EQ(cells[9], "low_results; adverse_conditions");
      EXPECT_EQ(cells[11], "");  // no leader partner
    }
    if (cells[1] == "102") {
      EXPECT_EQ(cells[2], "Лицей «Ступени»\nстарое здание");
    }
  }
}

TEST_F(ExportTest, CsvImportsBackUnchangedAndIntoAnotherStore) {
  ASSERT_EQ(Import(*store_, RecordKind::kSchool, kSchoolsCsv).inserted, 3);
  const std::string bytes = ExportOk(RecordKind::kSchool, ExportFormat::kCsv, false);

  const int64_t pending = *store_->ledger().PendingCount();
  const ImportReport again = Import(*store_, RecordKind::kSchool, bytes);
  EXPECT_EQ(again.unchanged, 3);
  EXPECT_EQ(again.inserted + again.updated, 0);
  EXPECT_EQ(*store_->ledger().PendingCount(), pending);
  // id and leader_partner_id are this store's ids: not read, and said so.
  ASSERT_EQ(again.notes.size(), 2u);
  EXPECT_NE(again.notes[0].en.find("«id»"), std::string::npos);
  EXPECT_NE(again.notes[1].en.find("«leader_partner_id»"), std::string::npos);

  auto other = OpenStore("other.db");
  EXPECT_EQ(Import(*other, RecordKind::kSchool, bytes).inserted, 3);
  ExpectSameSchools(SchoolsByCode(*store_), SchoolsByCode(*other));
}

TEST_F(ExportTest, ExcelIsWindows1251WithSemicolonsAndDecimalCommas) {
  ASSERT_EQ(Import(*store_, RecordKind::kSchool, kSchoolsCsv).inserted, 3);
  const std::string bytes = ExportOk(RecordKind::kSchool, ExportFormat::kCsv, true);
  EXPECT_FALSE(IsValidUtf8(bytes));  // Cyrillic in cp1251 is not UTF-8
  const std::string text = Windows1251ToUtf8(bytes);
  EXPECT_EQ(text.rfind("id;code;name;short_name;municipality;settlement;distance_km;", 0), 0u) << text.substr(0, 80);
  EXPECT_NE(
      text.find(";Кировский МО;rural;12,5;312;28;\"low_results; adverse_conditions\";2024;;none;;0;Кировский\r\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("\r\n"), std::string::npos);

  Result<CsvTable> table = ParseCsv(bytes, "excel.csv");
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->encoding, TextEncoding::kWindows1251);
  EXPECT_EQ(table->separator, ';');

  auto other = OpenStore("other.db");
  EXPECT_EQ(Import(*other, RecordKind::kSchool, bytes).inserted, 3);
  ExpectSameSchools(SchoolsByCode(*store_), SchoolsByCode(*other));
}

TEST_F(ExportTest, ExcelRefusesCharactersWindows1251CannotHold) {
  School s;
  s.code = "900";
  s.name = "Школа 😀";
  s.municipality = "М";
  ASSERT_TRUE(store_->records().Save(s).ok());
  Result<std::string> excel = Export(store_->records(), RecordKind::kSchool, ExportFormat::kCsv, true);
  ASSERT_FALSE(excel.ok());
  EXPECT_EQ(excel.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(excel.status().message().find("«name»"), std::string::npos) << excel.status().message();
  EXPECT_NE(excel.status().message().find("export without --excel"), std::string::npos) << excel.status().message();
  EXPECT_NE(ExportOk(RecordKind::kSchool, ExportFormat::kCsv, false).find("Школа 😀"), std::string::npos);
}

TEST_F(ExportTest, JsonParsesWithTheRightCountAndValues) {
  ASSERT_EQ(Import(*store_, RecordKind::kSchool, kSchoolsCsv).inserted, 3);
  const std::string json = ExportOk(RecordKind::kSchool, ExportFormat::kJson, false);
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  ASSERT_FALSE(doc.HasParseError()) << json;
  ASSERT_TRUE(doc.IsArray());
  ASSERT_EQ(doc.Size(), 3u);

  const auto schools = All<School>(*store_);  // ordered by id, as the export is
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    EXPECT_EQ(std::string(doc[i]["id"].GetString()), schools[i].id.ToString());
    EXPECT_EQ(std::string(doc[i]["code"].GetString()), schools[i].code);
  }
  auto by_code = [&](std::string_view code) -> const rapidjson::Value& {
    for (const auto& v : doc.GetArray()) {
      if (v["code"].GetString() == code) return v;
    }
    ADD_FAILURE() << "no school " << code;
    return doc[0];
  };
  const rapidjson::Value& first = by_code("101");
  EXPECT_EQ(std::string(first["name"].GetString()), "МБОУ \"СОШ № 1\", корпус 2; филиал");
  EXPECT_EQ(std::string(first["settlement"].GetString()), "rural");
  ASSERT_TRUE(first["distance_km"].IsNumber());
  EXPECT_DOUBLE_EQ(first["distance_km"].GetDouble(), 12.5);
  ASSERT_TRUE(first["pupils"].IsInt64());
  EXPECT_EQ(first["pupils"].GetInt64(), 312);
  ASSERT_TRUE(first["statuses"].IsArray());
  ASSERT_EQ(first["statuses"].Size(), 2u);
  EXPECT_EQ(std::string(first["statuses"][0].GetString()), "low_results");
  EXPECT_EQ(std::string(first["statuses"][1].GetString()), "adverse_conditions");
  EXPECT_TRUE(first["leader_partner_id"].IsNull());
  EXPECT_TRUE(first["transition_programme_adopted_on"].IsNull());
  ASSERT_TRUE(first["management_team_trained"].IsBool());
  EXPECT_FALSE(first["management_team_trained"].GetBool());
  EXPECT_EQ(first.MemberCount(), 16u);  // id + 15 fields
  EXPECT_EQ(std::string(by_code("102")["name"].GetString()), "Лицей «Ступени»\nстарое здание");
  EXPECT_TRUE(by_code("103")["statuses"].IsArray());
  EXPECT_EQ(by_code("103")["statuses"].Size(), 0u);
  EXPECT_TRUE(by_code("103")["short_name"].IsString());
  EXPECT_EQ(std::string(by_code("103")["short_name"].GetString()), "");
}

TEST_F(ExportTest, JsonEscapesEveryAwkwardCharacter) {
  School s;
  s.code = "q\"1";
  s.name = "back\\slash \"quoted\"\nline\ttab\r end / «ё»";
  s.municipality = "М";
  s.distance_km = 0.1;
  s.transition_programme = TransitionProgramme::kAdopted;
  s.transition_programme_adopted_on = *Date::FromYmd(2024, 2, 29);
  s.management_team_trained = true;
  ASSERT_TRUE(store_->records().Save(s).ok());
  const std::string json = ExportOk(RecordKind::kSchool, ExportFormat::kJson, false);
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  ASSERT_FALSE(doc.HasParseError()) << json;
  ASSERT_EQ(doc.Size(), 1u);
  EXPECT_EQ(std::string(doc[0]["code"].GetString()), s.code);
  EXPECT_EQ(std::string(doc[0]["name"].GetString()), s.name);
  EXPECT_EQ(doc[0]["distance_km"].GetDouble(), 0.1);  // shortest text reads back exactly
  EXPECT_EQ(std::string(doc[0]["transition_programme"].GetString()), "adopted");
  EXPECT_EQ(std::string(doc[0]["transition_programme_adopted_on"].GetString()), "2024-02-29");
  EXPECT_TRUE(doc[0]["management_team_trained"].GetBool());
}

TEST_F(ExportTest, JsonOfAssessmentResultsHasNumbers) {
  ASSERT_EQ(Import(*store_, RecordKind::kSchool, kSchoolsCsv).inserted, 3);
  ASSERT_EQ(Import(*store_, RecordKind::kAssessmentResult,
                   "Код ОО;Год;Процедура;Предмет;Класс;Участников;Средний балл;Доля ниже минимума;Доля высоких\n"
                   "101;2024;ВПР;Математика;5;40;12,5;12,5%;0,1\n")
                .inserted,
            1);
  const std::string json = ExportOk(RecordKind::kAssessmentResult, ExportFormat::kJson, false);
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  ASSERT_FALSE(doc.HasParseError()) << json;
  ASSERT_EQ(doc.Size(), 1u);
  EXPECT_EQ(std::string(doc[0]["assessment"].GetString()), "vpr");
  EXPECT_EQ(doc[0]["year"].GetInt64(), 2024);
  EXPECT_DOUBLE_EQ(doc[0]["share_below_min"].GetDouble(), 0.125);
  EXPECT_DOUBLE_EQ(doc[0]["mean_score"].GetDouble(), 12.5);
  EXPECT_EQ(std::string(doc[0]["school_id"].GetString()), SchoolsByCode(*store_)[0].id.ToString());
}

TEST_F(ExportTest, EmptyKindGivesAnEmptyArrayOrJustTheHeader) {
  EXPECT_EQ(ExportOk(RecordKind::kVisit, ExportFormat::kJson, false), "[]\n");
  const std::string csv = ExportOk(RecordKind::kVisit, ExportFormat::kCsv, false);
  EXPECT_EQ(csv, "id,school_id,date,visitor_ids,purposes,met_with,summary,strengths,problems\r\n");
}

// Issue 13: a text an old version stored (a NUL from a sync, Windows-1251 bytes, a lone
// surrogate) made the export fail; it is written with a replacement character instead.
TEST_F(ExportTest, StoredTextARecordMayNotHoldIsWrittenWithAReplacementCharacter) {
  School s;
  s.code = "901";
  s.name = "placeholder";
  s.municipality = "М";
  s.short_name = "ok";
  const School saved = testing::Must(store_->records().Save(s));
  {
    testing::RawDb db(dir_ / "store.db");
    db.Exec(
        "UPDATE schools SET name = 'Шк' || char(0) || 'ола' || CAST(X'C0E1' AS TEXT), "
        "short_name = CAST(X'41EDA080' AS TEXT), district = 'x' || char(27) || '[2J' WHERE id = '" +
        saved.id.ToString() + "'");
  }
  const std::string csv = ExportOk(RecordKind::kSchool, ExportFormat::kCsv, false);
  EXPECT_NE(csv.find("Шк\uFFFDола\uFFFD\uFFFD"), std::string::npos) << csv;
  EXPECT_NE(csv.find("A\uFFFD\uFFFD\uFFFD"), std::string::npos) << csv;
  EXPECT_NE(csv.find("x\uFFFD[2J"), std::string::npos) << csv;
  EXPECT_TRUE(IsValidUtf8(csv));
  EXPECT_EQ(csv.find('\0'), std::string::npos);
  const CsvTable table = testing::Must(ParseCsv(csv, "schools.csv"));
  ASSERT_EQ(table.rows.size(), 1u);

  const std::string excel = ExportOk(RecordKind::kSchool, ExportFormat::kCsv, true);
  EXPECT_NE(excel.find("\xD8\xEA?\xEE\xEB\xE0??"), std::string::npos) << "cp1251 «Шк?ола??»";

  const std::string json = ExportOk(RecordKind::kSchool, ExportFormat::kJson, false);
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  ASSERT_FALSE(doc.HasParseError()) << json;
  EXPECT_EQ(std::string(doc[0]["name"].GetString()), "Шк\uFFFDола\uFFFD\uFFFD");
}

// Issue 13: a text cell that a spreadsheet would read as a formula gets an apostrophe; numbers,
// dates and ids do not; the import takes the apostrophe off again.
TEST_F(ExportTest, CsvGuardsTextCellsThatLookLikeFormulasAndImportsThemBack) {
  School s;
  s.code = "-12";
  s.name = "=HYPERLINK(\"http://evil\",\"click\")";
  s.short_name = "+7 900";
  s.municipality = "@SUM(A1)";
  s.district = "\tTab";
  s.distance_km = 3;
  const School saved = testing::Must(store_->records().Save(s));
  {
    testing::RawDb db(dir_ / "store.db");  // a negative number no form lets through
    db.Exec("UPDATE schools SET distance_km = -5.5 WHERE id = '" + saved.id.ToString() + "'");
  }
  for (const bool excel : {false, true}) {
    const std::string bytes = ExportOk(RecordKind::kSchool, ExportFormat::kCsv, excel);
    const CsvTable table = testing::Must(ParseCsv(bytes, "schools.csv"));
    ASSERT_EQ(table.rows.size(), 1u);
    const auto cell = [&](std::string_view name) {
      const auto it = std::find(table.header.begin(), table.header.end(), name);
      return table.rows[0].cells[static_cast<size_t>(it - table.header.begin())];
    };
    EXPECT_EQ(cell("code"), "'-12");
    EXPECT_EQ(cell("name"), "'=HYPERLINK(\"http://evil\",\"click\")");
    EXPECT_EQ(cell("short_name"), "'+7 900");
    EXPECT_EQ(cell("municipality"), "'@SUM(A1)");
    EXPECT_EQ(cell("district"), "'\tTab");
    EXPECT_EQ(cell("distance_km"), excel ? "-5,5" : "-5.5");
    EXPECT_EQ(cell("id"), saved.id.ToString());
  }
  // Back through the import into another store: the texts as they were typed.
  auto other = OpenStore("other.db");
  ASSERT_NE(other, nullptr);
  std::string bytes = ExportOk(RecordKind::kSchool, ExportFormat::kCsv, false);
  // A distance of -5.5 is a bad row for validation; import the guarded texts with a valid one.
  const size_t at = bytes.find("-5.5");
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, 4, "5.5");
  const Result<ImportReport> imported =
      ImportCsv(other->records(), RecordKind::kSchool, bytes, "schools.csv", BadRowPolicy::kRejectFile);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_TRUE(imported->committed);
  const std::vector<School> back = All<School>(*other);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].code, s.code);
  EXPECT_EQ(back[0].name, s.name);
  EXPECT_EQ(back[0].short_name, s.short_name);
  EXPECT_EQ(back[0].municipality, s.municipality);
  EXPECT_EQ(back[0].district, s.district);
}

TEST_F(ExportTest, ExcelWithJsonIsRefused) {
  Result<std::string> r = Export(store_->records(), RecordKind::kSchool, ExportFormat::kJson, true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace mentorlog::core
