// Issue 13 on the reports' side: a text an old version stored that records may no longer hold
// (a NUL from a sync, bytes that are not UTF-8, a lone surrogate) never breaks a workbook or a
// PDF; a text that looks like a formula stays text; and a report never writes through a link
// planted at its temporary path.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "mentorlog/domain/csv.h"
#include "mentorlog/report/make.h"
#include "mentorlog/report/output.h"
#include "mentorlog/report/school_log.h"
#include "mentorlog/report/xlsx.h"
#include "mentorlog/store/export.h"
#include "report_test_support.h"
#include "test_fixtures.h"

namespace mentorlog::report {
namespace {

using core::testing::Must;
using namespace mentorlog::report::testing;  // NOLINT(google-build-using-namespace)

class StoredTextReportTest : public core::testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    InstallRubric();
    school_ = MakeSchool("S-9", "МБОУ «Озёрная СОШ»");
    const core::Person teacher = MakeTeacher(school_.id, "Сидорова Анна Павловна");
    const core::Person mentor = MakeMentor("Петров Сергей Иванович");
    const core::Date today = store().records().Today();
    visit_ = Must(store().records().Save(NewVisit(school_.id, mentor.id, today.AddDays(-10))), "visit");
    Must(store().records().Save(NewRecommendation(visit_, "=1+1 и @SUM(A1)")), "recommendation");

    core::Observation o;
    o.school_id = school_.id;
    o.visit_id = visit_.id;
    o.teacher_id = teacher.id;
    o.observer_id = mentor.id;
    o.subject = "математика";
    o.grade = 7;
    o.class_label = "7А";
    o.date = today.AddDays(-10);
    o.topic = "Дроби";
    o.rubric_code = std::string(core::testing::kRubricCode);
    o.rubric_version = 1;
    o.strengths = "placeholder";
    std::vector<core::ObservationScore> scores(1);
    scores[0].criterion_code = "aims_clear";
    scores[0].level = 2;
    observation_ = Must(store().records().SaveObservation(o, scores), "observation");

    // What an old version let through, written around validation.
    core::testing::RawDb db(StorePath());
    db.Exec(
        "UPDATE visits SET summary = 'Итоги' || char(0) || 'выезда' || CAST(X'EDA080' AS TEXT) || "
        "CAST(X'C0E1' AS TEXT) || ' конец' WHERE id = '" +
        visit_.id.ToString() + "'");
    db.Exec(
        "UPDATE observations SET strengths = 'Ёлочка' || char(0) || CAST(X'EDBFBF' AS TEXT) || ' Берёзка', "
        "topic = 'Дроби' || char(1) || CAST(X'FF' AS TEXT) WHERE id = '" +
        observation_.id.ToString() + "'");
  }

  core::School school_;
  core::Visit visit_;
  core::Observation observation_;
};

TEST_F(StoredTextReportTest, ExportOfVisitsStillSucceeds) {
  const auto visit = Must(store().records().Get<core::Visit>(visit_.id));
  ASSERT_NE(visit.summary.find('\0'), std::string::npos) << "the row really holds a NUL";
  for (const auto format : {core::ExportFormat::kCsv, core::ExportFormat::kJson}) {
    const std::string bytes = Must(core::Export(store().records(), core::RecordKind::kVisit, format, false));
    EXPECT_NE(bytes.find("Итоги\uFFFDвыезда\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD конец"), std::string::npos) << bytes;
    EXPECT_TRUE(core::IsValidUtf8(bytes));
  }
}

TEST_F(StoredTextReportTest, WorkbookIsWrittenAndLibreOfficeReadsIt) {
  if (!HaveTool("soffice")) GTEST_SKIP() << "LibreOffice (soffice) is not installed: run scripts/setup";
  const auto xlsx = dir_.path() / "school.xlsx";
  Must(MakeSchoolLog(store().records(), school_, xlsx, /*csv=*/false, Language::kRussian));
  const auto csv_dir = dir_.path() / "converted";
  std::filesystem::create_directories(csv_dir);
  const auto csvs = XlsxToCsv(xlsx, csv_dir);
  ASSERT_FALSE(csvs.empty()) << "LibreOffice could not read the workbook";
  std::string all;
  for (const auto& csv : csvs) all += ReadAll(csv) + "\n";
  EXPECT_NE(all.find("Итоги\uFFFDвыезда"), std::string::npos) << all;
  EXPECT_NE(all.find("Дроби\uFFFD\uFFFD"), std::string::npos) << all;
  // A text that looks like a formula is a string cell: shown as typed, never computed.
  EXPECT_NE(all.find("=1+1 и @SUM(A1)"), std::string::npos) << all;
}

TEST_F(StoredTextReportTest, FeedbackPdfIsWrittenAndPdftotextReadsIt) {
  if (!HaveTool("pdftotext")) GTEST_SKIP() << "poppler-utils (pdftotext) is not installed: run scripts/setup";
  const auto pdf = dir_.path() / "feedback.pdf";
  Must(MakeFeedbackPdf(store().records(), observation_.id, pdf, MENTORLOG_ASSETS_DIR, Language::kRussian));
  const std::string text = PdfText(pdf);
  // Before issue 13 one bad byte turned the whole line into '?'.
  EXPECT_NE(text.find("Ёлочка"), std::string::npos) << text;
  EXPECT_NE(text.find("Берёзка"), std::string::npos) << text;
  EXPECT_NE(text.find("Дроби"), std::string::npos) << text;
}

TEST_F(StoredTextReportTest, CsvTablesGuardFormulasAndReplaceWhatRecordsMayNotHold) {
  Table t{"t", "T", {{"Текст"}, {"Число"}}, {}};
  t.rows.push_back({std::string("=1+1"), int64_t{-3}});
  t.rows.push_back({std::string("a\0b\xFF", 4), -0.5});
  const std::string csv = Must(TableToCsv(t, Language::kRussian));
  EXPECT_NE(csv.find("'=1+1,-3"), std::string::npos) << csv;
  EXPECT_NE(csv.find("a\uFFFDb\uFFFD,-0.5"), std::string::npos) << csv;
}

// ---- A link planted at the temporary path ------------------------------------------------

TEST(ReportTemporaryFileTest, APlantedLinkIsNeverFollowed) {
  core::testing::TempDir dir;
  const auto victim = dir.path() / "victim.txt";
  { std::ofstream(victim, std::ios::binary) << "precious"; }
  const auto pdf = dir.path() / "report.pdf";
  std::filesystem::create_symlink(victim, TempPathFor(pdf));
  Must(WriteFileAtomically(pdf, "%PDF-1.4 report"));
  EXPECT_EQ(ReadAll(victim), "precious");
  EXPECT_EQ(ReadAll(pdf), "%PDF-1.4 report");
  EXPECT_FALSE(std::filesystem::is_symlink(pdf));
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::symlink_status(TempPathFor(pdf))));

  // The same for a workbook, which libxlsxwriter writes by name.
  const auto xlsx = dir.path() / "book.xlsx";
  std::filesystem::create_symlink(victim, TempPathFor(xlsx));
  Table t{"t", "T", {{"Текст"}}, {}};
  t.rows.push_back({std::string("строка")});
  Must(WriteXlsx({t}, xlsx, Language::kEnglish));
  EXPECT_EQ(ReadAll(victim), "precious");
  EXPECT_EQ(ReadAll(xlsx).rfind("PK", 0), 0u) << "a zip file";
  EXPECT_FALSE(std::filesystem::is_symlink(xlsx));
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::symlink_status(TempPathFor(xlsx))));

  // A dangling link (to a file that does not exist yet) creates nothing there either.
  const auto missing = dir.path() / "created-by-link.txt";
  std::filesystem::create_symlink(missing, TempPathFor(pdf));
  Must(WriteFileAtomically(pdf, "second"));
  EXPECT_FALSE(std::filesystem::exists(missing));
  EXPECT_EQ(ReadAll(pdf), "second");
}

}  // namespace
}  // namespace mentorlog::report
