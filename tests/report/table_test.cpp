// Tables as CSV, and the files a report writes: atomically, with messages a person can act on.
#include "mentorlog/report/table.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "mentorlog/domain/csv.h"
#include "mentorlog/report/output.h"
#include "report_test_support.h"
#include "test_fixtures.h"

namespace mentorlog::report {
namespace {

using core::testing::Must;
using core::testing::TempDir;

Table SampleTable() {
  Table t{"sample", "Пример", {{"Текст"}, {"Целое"}, {"Число"}, {"Доля"}, {"Дата"}, {"Да/нет"}, {"Пусто"}}, {}};
  t.rows.push_back({std::string("Школа № 1, «Берёзка»"), int64_t{42}, 3.25, Percent{0.125},
                    Must(core::Date::FromYmd(2026, 11, 20)), true, std::monostate{}});
  t.rows.push_back(
      {std::string("две\nстроки"), int64_t{-1}, 0.1, Percent{1}, core::Date::FromDays(0), false, std::monostate{}});
  return t;
}

TEST(ReportTableTest, CellsAsCsvText) {
  EXPECT_EQ(CellText(Cell{}, Language::kRussian), "");
  EXPECT_EQ(CellText(int64_t{12}, Language::kRussian), "12");
  EXPECT_EQ(CellText(0.1, Language::kRussian), "0.1");
  EXPECT_EQ(CellText(Percent{0.25}, Language::kRussian), "0.25");
  EXPECT_EQ(CellText(Must(core::Date::FromYmd(2026, 1, 5)), Language::kRussian), "2026-01-05");
  EXPECT_EQ(CellText(true, Language::kRussian), "да");
  EXPECT_EQ(CellText(false, Language::kEnglish), "no");
}

TEST(ReportTableTest, CsvHasABomAHeaderAndReadsBack) {
  const std::string csv = Must(TableToCsv(SampleTable(), Language::kRussian));
  ASSERT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u) << "UTF-8 byte order mark for Excel";
  const core::CsvTable back = Must(core::ParseCsv(csv, "sample.csv"));
  EXPECT_EQ(back.separator, ',');
  ASSERT_EQ(back.header.size(), 7u);
  EXPECT_EQ(back.header[0], "Текст");
  ASSERT_EQ(back.rows.size(), 2u);
  EXPECT_EQ(back.rows[0].cells[0], "Школа № 1, «Берёзка»");
  EXPECT_EQ(back.rows[0].cells[1], "42");
  EXPECT_EQ(back.rows[0].cells[2], "3.25");
  EXPECT_EQ(back.rows[0].cells[3], "0.125");
  EXPECT_EQ(back.rows[0].cells[4], "2026-11-20");
  EXPECT_EQ(back.rows[0].cells[5], "да");
  EXPECT_EQ(back.rows[1].cells[0], "две\nстроки");
}

// Issue 13: a stored text that is not UTF-8 (written by an old version) no longer fails the
// report; it is written with a replacement character.
TEST(ReportTableTest, InvalidUtf8IsWrittenAsAReplacementCharacter) {
  Table t{"bad", "Bad", {{"x"}}, {{std::string("\xFF\xFE")}}};
  const std::string csv = Must(TableToCsv(t, Language::kEnglish));
  EXPECT_NE(csv.find("\uFFFD\uFFFD"), std::string::npos) << csv;
  EXPECT_TRUE(core::IsValidUtf8(csv));
}

TEST(ReportOutputTest, WritesAtomicallyAndLeavesNoTemporaryFile) {
  TempDir dir;
  const auto path = dir.path() / "report.pdf";
  Must(WriteFileAtomically(path, "first"));
  Must(WriteFileAtomically(path, "second"));
  EXPECT_EQ(testing::ReadAll(path), "second");
  EXPECT_FALSE(std::filesystem::exists(TempPathFor(path)));
}

TEST(ReportOutputTest, MissingFolderSaysToCreateIt) {
  TempDir dir;
  const auto path = dir.path() / "no-such-folder" / "report.pdf";
  Status s = WriteFileAtomically(path, "x");
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_NE(s.message().find("does not exist; create it"), std::string::npos) << s.message();
  EXPECT_NE(s.message(Language::kRussian).find("создайте её"), std::string::npos) << s.message(Language::kRussian);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ReportOutputTest, AFolderIsNotAFileName) {
  TempDir dir;
  Status s = WriteFileAtomically(dir.path(), "x");
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_NE(s.message().find("is a folder"), std::string::npos) << s.message();
}

TEST(ReportOutputTest, AFileInsteadOfAFolderSaysToChooseAnother) {
  TempDir dir;
  Must(WriteFileAtomically(dir.path() / "plain", "x"));
  Status s = WriteFileAtomically(dir.path() / "plain" / "report.pdf", "x");
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_NE(s.message(Language::kRussian).find("не папка"), std::string::npos) << s.message(Language::kRussian);
}

TEST(ReportOutputTest, UnwritableFolderSaysToChooseAnother) {
  // An ordinary user cannot write to a folder without write permission; root can, but not into
  // /sys (CI runs as root).
  TempDir dir;
  std::filesystem::path locked = "/sys";
  if (geteuid() != 0) {
    locked = dir.path() / "locked";
    std::filesystem::create_directory(locked);
    std::filesystem::permissions(locked, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  }
  Status s = WriteFileAtomically(locked / "report.pdf", "x");
  if (geteuid() != 0) std::filesystem::permissions(locked, std::filesystem::perms::owner_all);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(locked.string()), std::string::npos) << s.message();
  EXPECT_FALSE(std::filesystem::exists(locked / "report.pdf"));
  EXPECT_FALSE(std::filesystem::exists(TempPathFor(locked / "report.pdf")));
}

TEST(ReportOutputTest, AFailedWriteKeepsTheOldFileAndRemovesTheTemporaryOne) {
  TempDir dir;
  const auto path = dir.path() / "report.xlsx";
  Must(WriteFileAtomically(path, "old"));
  Status s = ReplaceAtomically(path, [](const std::filesystem::path& temp) {
    std::ofstream(temp, std::ios::binary) << "half a fi";
    return Status::IoError("the disk refused");
  });
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_EQ(testing::ReadAll(path), "old");
  EXPECT_FALSE(std::filesystem::exists(TempPathFor(path)));
}

TEST(ReportOutputTest, CsvFolderGetsOneFilePerTable) {
  TempDir dir;
  const auto out = dir.path() / "new" / "csv";
  Table other = SampleTable();
  other.name = "other";
  Must(WriteCsvFolder({SampleTable(), other}, out, Language::kEnglish));
  EXPECT_TRUE(std::filesystem::is_regular_file(out / "sample.csv"));
  EXPECT_TRUE(std::filesystem::is_regular_file(out / "other.csv"));
  Status s = WriteCsvFolder({SampleTable()}, out / "sample.csv", Language::kEnglish);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_NE(s.message().find("is a file"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace mentorlog::report
