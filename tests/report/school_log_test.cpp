// A school's log as tables, as a workbook read back by LibreOffice, and as CSV files.
#include "mentorlog/report/school_log.h"

#include <gtest/gtest.h>

#include "mentorlog/domain/csv.h"
#include "mentorlog/domain/demo.h"
#include "mentorlog/report/output.h"
#include "mentorlog/report/xlsx.h"
#include "report_test_support.h"
#include "test_fixtures.h"

namespace mentorlog::report {
namespace {

using core::testing::Must;
using namespace mentorlog::report::testing;  // NOLINT(google-build-using-namespace)

const Table* FindTable(const std::vector<Table>& tables, std::string_view name) {
  for (const auto& t : tables) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

class SchoolLogTest : public core::testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    InstallRubric();
    school_ = MakeSchool("S-7", "МБОУ «Берёзовская СОШ»");
    teacher_ = MakeTeacher(school_.id, "Иванова Мария Петровна");
    mentor_ = MakeMentor("Петров Сергей Иванович");
    today_ = store().records().Today();

    visit_ = Must(store().records().Save(NewVisit(school_.id, mentor_.id, today_.AddDays(-40))), "visit");
    core::Recommendation overdue = NewRecommendation(visit_, "Провести открытые уроки");
    overdue.due_on = today_.AddDays(-5);
    Must(store().records().Save(overdue), "recommendation");

    core::Observation o;
    o.school_id = school_.id;
    o.visit_id = visit_.id;
    o.teacher_id = teacher_.id;
    o.observer_id = mentor_.id;
    o.subject = "математика";
    o.grade = 7;
    o.class_label = "7А";
    o.date = today_.AddDays(-40);
    o.topic = "Линейные уравнения";
    o.rubric_code = std::string(core::testing::kRubricCode);
    o.rubric_version = 1;
    std::vector<core::ObservationScore> scores(2);
    scores[0].criterion_code = "aims_clear";
    scores[0].level = 2;
    scores[0].evidence = "Цель на доске";
    scores[1].criterion_code = "feedback";
    scores[1].level = 3;
    Must(store().records().SaveObservation(o, scores), "observation");

    core::Consultation c;
    c.school_id = school_.id;
    c.date = today_.AddDays(-20);
    c.consultant_id = mentor_.id;
    c.audience = core::ConsultationAudience::kManagementTeam;
    c.format = core::ConsultationFormat::kRemote;
    c.minutes = 45;
    c.topics = {core::ConsultationTopic::kTransitionProgramme};
    c.questions = "Сроки программы перехода";
    c.advice = "Утвердить до 1 декабря";
    Must(store().records().Save(c), "consultation");

    core::AssessmentResult r;
    r.school_id = school_.id;
    r.year = 2026;
    r.assessment = core::Assessment::kOge;
    r.subject = "математика";
    r.grade = 9;
    r.participants = 31;
    r.mean_score = 12.75;
    r.share_below_min = 0.125;
    r.share_top = 0.0625;
    Must(store().records().Save(r), "assessment result");

    core::ContextIndicator ci;
    ci.school_id = school_.id;
    ci.year = 2026;
    ci.indicator = std::string(core::KnownContextIndicators()[0].code);
    ci.value = core::KnownContextIndicators()[0].is_share ? 0.375 : 3;
    Must(store().records().Save(ci), "context indicator");
  }

  core::School school_;
  core::Person teacher_;
  core::Person mentor_;
  core::Visit visit_;
  core::Date today_;
};

TEST_F(SchoolLogTest, FindsASchoolByIdOrCode) {
  EXPECT_EQ(Must(FindSchool(store().records(), school_.id.ToString())).id, school_.id);
  EXPECT_EQ(Must(FindSchool(store().records(), "S-7")).id, school_.id);
  auto missing = FindSchool(store().records(), "S-999");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("list schools"), std::string::npos);
  auto missing_id = FindSchool(store().records(), teacher_.id.ToString());
  EXPECT_EQ(missing_id.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing_id.status().message(Language::kRussian).find("нет школы"), std::string::npos);
}

TEST_F(SchoolLogTest, OneTablePerKindWithTypedCells) {
  const auto tables = Must(SchoolLogTables(store().records(), school_, today_, Language::kRussian));
  std::vector<std::string> names;
  for (const auto& t : tables) names.push_back(t.name);
  EXPECT_EQ(names, (std::vector<std::string>{"school", "visits", "observations", "scores", "consultations",
                                             "recommendations", "assessment_results", "context_indicators"}));
  for (const auto& t : tables) {
    for (const auto& row : t.rows) ASSERT_EQ(row.size(), t.columns.size()) << t.name;
  }

  const Table* visits = FindTable(tables, "visits");
  ASSERT_EQ(visits->rows.size(), 1u);
  EXPECT_EQ(std::get<core::Date>(visits->rows[0][0]), today_.AddDays(-40));
  EXPECT_EQ(std::get<std::string>(visits->rows[0][2]), "Петров Сергей Иванович");

  const Table* observations = FindTable(tables, "observations");
  ASSERT_EQ(observations->rows.size(), 1u);
  EXPECT_EQ(std::get<std::string>(observations->rows[0][2]), "Иванова Мария Петровна");
  EXPECT_DOUBLE_EQ(std::get<double>(observations->rows[0][10]), 2.5);  // mean level
  // One column per criterion of the rubric (10), the level where scored.
  EXPECT_EQ(observations->columns.size(), 11u + 10u + 3u);
  EXPECT_EQ(std::get<int64_t>(observations->rows[0][11]), 2);  // aims_clear, the rubric's first

  const Table* scores = FindTable(tables, "scores");
  ASSERT_EQ(scores->rows.size(), 2u);
  EXPECT_EQ(std::get<std::string>(scores->rows[0][6]), "2 — Проявляется в основном");

  const Table* recommendations = FindTable(tables, "recommendations");
  ASSERT_EQ(recommendations->rows.size(), 1u);
  EXPECT_EQ(std::get<bool>(recommendations->rows[0][3]), true) << "due five days ago and open: overdue";

  const Table* results = FindTable(tables, "assessment_results");
  ASSERT_EQ(results->rows.size(), 1u);
  EXPECT_EQ(std::get<int64_t>(results->rows[0][0]), 2026);
  EXPECT_DOUBLE_EQ(std::get<double>(results->rows[0][5]), 12.75);
  EXPECT_EQ(std::get<Percent>(results->rows[0][6]), Percent{0.125});
}

TEST_F(SchoolLogTest, WorkbookOpensInLibreOfficeWithTheFigures) {
  if (!HaveTool("soffice")) GTEST_SKIP() << "LibreOffice (soffice) is not installed: run scripts/setup";
  const auto tables = Must(SchoolLogTables(store().records(), school_, today_, Language::kEnglish));
  const auto xlsx = dir_.path() / "school.xlsx";
  Must(WriteXlsx(tables, xlsx, Language::kEnglish));
  EXPECT_FALSE(std::filesystem::exists(TempPathFor(xlsx)));
  const auto csv_dir = dir_.path() / "converted";
  std::filesystem::create_directories(csv_dir);
  const auto csvs = XlsxToCsv(xlsx, csv_dir);
  ASSERT_EQ(csvs.size(), tables.size()) << "one CSV per sheet";

  std::string all;
  for (const auto& csv : csvs) all += ReadAll(csv) + "\n";
  EXPECT_NE(all.find("МБОУ «Берёзовская СОШ»"), std::string::npos);
  EXPECT_NE(all.find("Иванова Мария Петровна"), std::string::npos);
  EXPECT_NE(all.find(today_.AddDays(-40).ToString()), std::string::npos) << "dates as dates, yyyy-mm-dd in English";
  EXPECT_NE(all.find("12.75"), std::string::npos) << "the mean score as a number";
  EXPECT_NE(all.find("12.5%"), std::string::npos) << "the share below the minimum as a percent";
  EXPECT_NE(all.find("6.3%"), std::string::npos) << all;  // 0.0625, shown with one decimal
  EXPECT_NE(all.find("Провести открытые уроки"), std::string::npos);
}

TEST_F(SchoolLogTest, CsvFolderHasOneFilePerTable) {
  const auto tables = Must(SchoolLogTables(store().records(), school_, today_, Language::kRussian));
  const auto out = dir_.path() / "csv";
  Must(WriteCsvFolder(tables, out, Language::kRussian));
  for (const auto& t : tables) {
    const auto bytes = ReadAll(out / (t.name + ".csv"));
    const core::CsvTable csv = Must(core::ParseCsv(bytes, t.name));
    EXPECT_EQ(csv.rows.size(), t.rows.size()) << t.name;
  }
  const core::CsvTable results = Must(core::ParseCsv(ReadAll(out / "assessment_results.csv"), "r"));
  EXPECT_EQ(results.header[0], "Год");
  EXPECT_EQ(results.rows[0].cells[6], "0.125");
}

// The demo district: every supported school's log builds, with activity in it.
TEST(SchoolLogDemoTest, EveryDemoSchoolHasALog) {
  core::testing::TempDir dir;
  const auto demo = MakeDemoStore(dir.path());
  core::Store* store = demo->store.get();
  int with_visits = 0;
  for (const auto& school : Must(store->records().List<core::School>())) {
    const auto tables = Must(SchoolLogTables(store->records(), school, store->records().Today(), Language::kRussian));
    if (!FindTable(tables, "visits")->rows.empty()) ++with_visits;
  }
  EXPECT_GE(with_visits, 3);
}

}  // namespace
}  // namespace mentorlog::report
