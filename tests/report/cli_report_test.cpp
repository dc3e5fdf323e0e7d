// `mentorlog-cli report ...` as a user runs it: a real process on a demo store, the files it
// writes, its messages and exit codes.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "report_test_support.h"
#include "test_fixtures.h"

namespace mentorlog::report {
namespace {

using namespace mentorlog::report::testing;  // NOLINT(google-build-using-namespace)

class CliReportTest : public ::testing::Test {
 protected:
  // One demo store for the suite: the demo district takes a few seconds to build.
  static void SetUpTestSuite() {
    dir_ = new core::testing::TempDir();
    const ToolRun demo = Cli("demo");
    ASSERT_EQ(demo.exit_code, 0) << demo.out;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static ToolRun Cli(const std::string& args, const std::string& lang = "en") {
    return RunTool(std::string(MENTORLOG_CLI_PATH) + " --lang " + lang + " --data " + Quote(dir_->path() / "data") +
                   " " + args);
  }

  // The ids at the start of `list KIND`'s lines.
  static std::vector<std::string> Ids(const std::string& kind) {
    const ToolRun list = Cli("list " + kind);
    EXPECT_EQ(list.exit_code, 0) << list.out;
    std::vector<std::string> ids;
    std::istringstream in(list.out);
    std::string line;
    while (std::getline(in, line)) {
      if (line.size() >= 36 && line[8] == '-' && line[13] == '-') ids.push_back(line.substr(0, 36));
    }
    return ids;
  }

  static std::filesystem::path Out(const std::string& name) { return dir_->path() / name; }

  static core::testing::TempDir* dir_;
};

core::testing::TempDir* CliReportTest::dir_ = nullptr;

TEST_F(CliReportTest, FeedbackWritesAPdfInEitherLanguage) {
  const auto ids = Ids("observations");
  ASSERT_FALSE(ids.empty());
  const auto pdf = Out("feedback.pdf");
  const ToolRun run = Cli("report feedback --observation " + ids.front() + " --out " + Quote(pdf) + " --lang ru");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("Записано"), std::string::npos) << run.out;
  EXPECT_EQ(ReadAll(pdf).rfind("%PDF-", 0), 0u);
  EXPECT_FALSE(std::filesystem::exists(pdf.string() + ".tmp"));
  EXPECT_NE(PdfText(pdf).find("Лист обратной связи"), std::string::npos);

  const auto en = Out("feedback-en.pdf");
  const ToolRun run_en = Cli("report feedback --observation " + ids.back() + " -o " + Quote(en) + " --lang en");
  ASSERT_EQ(run_en.exit_code, 0) << run_en.out;
  EXPECT_NE(PdfText(en).find("feedback for the teacher"), std::string::npos);
}

TEST_F(CliReportTest, UnknownObservationIsAClearErrorAndNoFile) {
  const auto pdf = Out("missing.pdf");
  const auto schools = Ids("schools");
  ASSERT_FALSE(schools.empty());
  const ToolRun run = Cli("report feedback --observation " + schools.front() + " --out " + Quote(pdf));
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find("no lesson observation has the id " + schools.front()), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("list observations"), std::string::npos) << run.out;
  EXPECT_FALSE(std::filesystem::exists(pdf));
  EXPECT_FALSE(std::filesystem::exists(pdf.string() + ".tmp"));

  const ToolRun garbled = Cli("report feedback --observation 12345 --out " + Quote(pdf), "ru");
  EXPECT_EQ(garbled.exit_code, 1) << garbled.out;
  EXPECT_NE(garbled.out.find("не идентификатор посещения урока"), std::string::npos) << garbled.out;
  EXPECT_FALSE(std::filesystem::exists(pdf));
}

TEST_F(CliReportTest, MissingOutputFolderIsAClearError) {
  const auto ids = Ids("observations");
  ASSERT_FALSE(ids.empty());
  const auto pdf = Out("no-such-folder") / "feedback.pdf";
  const ToolRun run = Cli("report feedback --observation " + ids.front() + " --out " + Quote(pdf));
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find("does not exist; create it or choose another --out"), std::string::npos) << run.out;
}

TEST_F(CliReportTest, SchoolLogAsWorkbookAndAsCsvFolder) {
  const auto schools = Ids("schools");
  ASSERT_FALSE(schools.empty());
  const auto xlsx = Out("school.xlsx");
  const ToolRun run = Cli("report school --school " + schools.front() + " --format xlsx --out " + Quote(xlsx));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(ReadAll(xlsx).rfind("PK", 0), 0u) << "an XLSX file is a zip archive";

  const auto csv = Out("school-csv");
  const ToolRun run_csv = Cli("report school --school " + schools.front() + " --format csv --out " + Quote(csv));
  ASSERT_EQ(run_csv.exit_code, 0) << run_csv.out;
  EXPECT_TRUE(std::filesystem::is_regular_file(csv / "visits.csv"));
  EXPECT_TRUE(std::filesystem::is_regular_file(csv / "recommendations.csv"));

  const ToolRun unknown = Cli("report school --school NO-SUCH-CODE --format xlsx --out " + Quote(Out("x.xlsx")));
  EXPECT_EQ(unknown.exit_code, 1) << unknown.out;
  EXPECT_NE(unknown.out.find("no school has the id or code «NO-SUCH-CODE»"), std::string::npos) << unknown.out;

  const ToolRun bad_format = Cli("report school --school " + schools.front() + " --format docx --out x");
  EXPECT_NE(bad_format.exit_code, 0) << bad_format.out;
}

TEST_F(CliReportTest, SchoolProgressAsOnePagePdf) {
  const auto schools = Ids("schools");
  ASSERT_FALSE(schools.empty());
  const auto pdf = Out("progress.pdf");
  const ToolRun run = Cli("report school --school " + schools.front() + " --format pdf --out " + Quote(pdf), "ru");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(PdfPages(pdf), 1);
  EXPECT_NE(PdfText(pdf).find("Контакты по месяцам"), std::string::npos);
}

TEST_F(CliReportTest, DistrictAsWorkbookAndAsCsvFolder) {
  const auto xlsx = Out("district.xlsx");
  const ToolRun run = Cli("report district --format xlsx --out " + Quote(xlsx));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(ReadAll(xlsx).rfind("PK", 0), 0u);
  EXPECT_FALSE(std::filesystem::exists(xlsx.string() + ".tmp"));

  const auto csv = Out("district-csv");
  const ToolRun run_csv = Cli("report district --format csv --out " + Quote(csv), "ru");
  ASSERT_EQ(run_csv.exit_code, 0) << run_csv.out;
  for (const char* name : {"indicators", "ranking", "no_contact", "workload", "summary"}) {
    EXPECT_TRUE(std::filesystem::is_regular_file(csv / (std::string(name) + ".csv"))) << name;
  }
  EXPECT_NE(ReadAll(csv / "indicators.csv").find("Показатель"), std::string::npos);

  const ToolRun pdf = Cli("report district --format pdf --out " + Quote(Out("d.pdf")));
  EXPECT_NE(pdf.exit_code, 0) << pdf.out;
  EXPECT_FALSE(std::filesystem::exists(Out("d.pdf")));
}

TEST_F(CliReportTest, TeacherRouteOfADemoTeacherAndAClearErrorWithoutARoute) {
  // `export route_items` (CSV): a header, then the id and the teacher's id on each line (`list`
  // shows the teacher's name).
  const ToolRun list = Cli("export route_items --format csv");
  ASSERT_EQ(list.exit_code, 0) << list.out;
  const size_t first = list.out.find('\n') + 1;
  ASSERT_GT(list.out.size(), first + 74) << list.out;
  const std::string teacher = list.out.substr(first + 37, 36);
  const auto pdf = Out("route.pdf");
  const ToolRun run = Cli("report route --teacher " + teacher + " --out " + Quote(pdf), "ru");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("Записано"), std::string::npos) << run.out;
  EXPECT_FALSE(std::filesystem::exists(pdf.string() + ".tmp"));
  const std::string text = PdfText(pdf);
  EXPECT_NE(text.find("Индивидуальный образовательный маршрут педагога"), std::string::npos) << text;
  EXPECT_NE(text.find("Пункты маршрута"), std::string::npos) << text;

  // A teacher with no route, and a coordinator (the demo's coordinators do not teach).
  std::set<std::string> routed;
  std::istringstream items(list.out);
  for (std::string line; std::getline(items, line);) {
    if (line.size() >= 74 && line[36] == ',') routed.insert(line.substr(37, 36));
  }
  std::string coordinator, without_route;
  const ToolRun people = Cli("list people");
  std::istringstream in(people.out);
  for (std::string line; std::getline(in, line);) {
    if (line.size() < 36) continue;
    const std::string id = line.substr(0, 36);
    if (line.find("  coordinator") != std::string::npos && line.find("teacher") == std::string::npos) {
      coordinator = id;
    }
    if (line.find("  teacher") != std::string::npos && routed.count(id) == 0) without_route = id;
  }
  ASSERT_FALSE(without_route.empty()) << people.out;
  const ToolRun none = Cli("report route --teacher " + without_route + " --out " + Quote(Out("none.pdf")), "ru");
  EXPECT_EQ(none.exit_code, 1) << none.out;
  EXPECT_NE(none.out.find("нет пунктов индивидуального образовательного маршрута (ИОМ)"), std::string::npos)
      << none.out;
  EXPECT_FALSE(std::filesystem::exists(Out("none.pdf")));

  ASSERT_FALSE(coordinator.empty()) << people.out;
  const ToolRun not_teacher = Cli("report route --teacher " + coordinator + " --out " + Quote(Out("c.pdf")));
  EXPECT_EQ(not_teacher.exit_code, 1) << not_teacher.out;
  EXPECT_NE(not_teacher.out.find("is not a teacher"), std::string::npos) << not_teacher.out;
  EXPECT_FALSE(std::filesystem::exists(Out("c.pdf")));
}

}  // namespace
}  // namespace mentorlog::report
