// mentorlog-cli as a user runs it: a real process, a real data folder, exit codes and messages.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "mentorlog/domain/csv.h"
#include "run_command.h"

namespace {

using CliRun = mentorlog::testing_support::CommandRun;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("mentorlog-cli-test-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs the CLI with `args` (already shell-quoted) against the test's data folder.
  CliRun Cli(const std::string& args, const std::string& stdin_text = "", const std::string& lang = "en") {
    std::string cmd =
        std::string(MENTORLOG_CLI_PATH) + " --lang " + lang + " --data '" + dir_.string() + "/data' " + args;
    if (!stdin_text.empty()) {
      const auto in = dir_ / "stdin.txt";
      std::ofstream(in, std::ios::binary) << stdin_text;
      cmd += " < '" + in.string() + "'";
    }
    return mentorlog::testing_support::RunCommand(cmd);
  }

  std::string WriteFile(const std::string& name, const std::string& bytes) {
    const auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }

  // The ids printed at the start of `list` lines.
  static std::vector<std::string> Ids(const std::string& list_output) {
    std::vector<std::string> ids;
    std::istringstream in(list_output);
    std::string line;
    while (std::getline(in, line)) {
      if (line.size() >= 36 && line[8] == '-' && line[13] == '-') ids.push_back(line.substr(0, 36));
    }
    return ids;
  }

  // One school and one teacher of it, imported as a coordinator would.
  void ImportSchoolAndTeacher() {
    ASSERT_EQ(Cli("import schools '" +
                  WriteFile("s.csv",
                            "код;наименование;муниципалитет;тип поселения;расстояние;обучающихся;педагогов;статус;год\n"
                            "S-1;МБОУ Берёзовская СОШ;Заречный район;село;34,5;180;21;ШНОР;2025\n") +
                  "'")
                  .exit_code,
              0);
    ASSERT_EQ(Cli("import people '" +
                  WriteFile("p.csv",
                            "code,full_name,roles,school_code,subjects\n"
                            "T-1,Иванова Мария Петровна,teacher,S-1,математика\n"
                            "M-1,Петров Олег Иванович,mentor,,\n") +
                  "'")
                  .exit_code,
              0);
  }

  std::filesystem::path dir_;
};

TEST_F(CliTest, EveryCommandHasHelp) {
  for (const char* cmd : {"", "init", "demo", "import", "export", "list", "show", "add", "edit", "delete"}) {
    const CliRun r = Cli(std::string(cmd) + " --help");
    EXPECT_EQ(r.exit_code, 0) << cmd << ": " << r.out;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << cmd << ": " << r.out;
  }
}

TEST_F(CliTest, InitCreatesAnEmptyStoreWithTheRubric) {
  const CliRun init = Cli("init");
  EXPECT_EQ(init.exit_code, 0) << init.out;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "data" / "mentorlog.db"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "data" / "device_id"));  // the id lives in the store
  const CliRun schools = Cli("list schools");
  EXPECT_EQ(schools.exit_code, 0);
  EXPECT_NE(schools.out.find("0 record(s)"), std::string::npos) << schools.out;
  const CliRun rubrics = Cli("list rubric_templates");
  EXPECT_NE(rubrics.out.find("lesson_observation"), std::string::npos) << rubrics.out;
}

TEST_F(CliTest, WrongInputExitsOneWithAReason) {
  CliRun r = Cli("list lessons");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("unknown kind «lessons»"), std::string::npos) << r.out;
  r = Cli("show not-an-id");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("is not an id"), std::string::npos) << r.out;
  r = Cli("show 01890000-0000-7000-8000-000000000000");
  EXPECT_EQ(r.exit_code, 1);
  r = Cli("import schools /no/such/file.csv");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  r = Cli("export schools --format xml");
  EXPECT_EQ(r.exit_code, 1);
  r = Cli("frobnicate");
  EXPECT_EQ(r.exit_code, 1);
}

TEST_F(CliTest, ImportReportsBadRowsAndImportsNothingUnlessSkipBad) {
  const std::string file = WriteFile("bad.csv",
                                     "code,name,municipality,settlement,distance_km,pupils,teachers,status,year\n"
                                     "S-1,School one,District,rural,10,100,10,,2025\n"
                                     "S-2,School two,District,village,10,100,10,,2025\n");
  CliRun r = Cli("import schools '" + file + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("line 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("settlement"), std::string::npos) << r.out;
  EXPECT_EQ(Ids(Cli("list schools").out).size(), 0u);

  r = Cli("import schools '" + file + "' --skip-bad");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(Ids(Cli("list schools").out).size(), 1u);
}

TEST_F(CliTest, ExcelExportIsWindows1251WithSemicolons) {
  ImportSchoolAndTeacher();
  const std::string out = (dir_ / "schools.csv").string();
  ASSERT_EQ(Cli("export schools --excel -o '" + out + "'").exit_code, 0);
  std::ifstream in(out, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_FALSE(mentorlog::core::IsValidUtf8(bytes));  // Cyrillic in cp1251 is not UTF-8
  const std::string utf8 = mentorlog::core::Windows1251ToUtf8(bytes);
  EXPECT_NE(utf8.find("МБОУ Берёзовская СОШ"), std::string::npos);
  EXPECT_NE(utf8.find(';'), std::string::npos);
}

TEST_F(CliTest, AddEditShowDeleteAVisit) {
  ImportSchoolAndTeacher();
  const auto schools = Ids(Cli("list schools").out);
  ASSERT_EQ(schools.size(), 1u);
  const CliRun people = Cli("list people");
  std::string mentor;
  std::istringstream lines(people.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("Петров") != std::string::npos) mentor = line.substr(0, 36);
  }
  ASSERT_FALSE(mentor.empty()) << people.out;

  const std::string visit_json = R"({"school_id": ")" + schools[0] + R"(", "date": "2025-03-14", "visitor_ids": [")" +
                                 mentor + R"("], "purposes": ["diagnostics"], "summary": "Первый выезд"})";
  CliRun add = Cli("add visit --json -", visit_json);
  ASSERT_EQ(add.exit_code, 0) << add.out;
  const std::string id = add.out.substr(0, 36);

  CliRun edit = Cli("edit " + id + " --json -", R"({"summary": "Диагностика управленческой команды"})");
  ASSERT_EQ(edit.exit_code, 0) << edit.out;
  CliRun show = Cli("show " + id);
  EXPECT_EQ(show.exit_code, 0);
  EXPECT_NE(show.out.find("Диагностика управленческой команды"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("2025-03-14"), std::string::npos) << show.out;
  EXPECT_EQ(show.out.find("warning"), std::string::npos) << show.out;

  // A recommendation due after the visit; then the visit is moved past its due date (as another
  // device might): `show` names the rule the recommendation now breaks, and an edit of another
  // of its fields is not refused for it (issue 13, rules across records).
  CliRun rec = Cli("add recommendation --json -",
                   R"({"school_id": ")" + schools[0] + R"(", "source_kind": "visit", "source_id": ")" + id +
                       R"(", "text": "Провести педсовет", "responsible_name": "Директор", "created_on": "2025-03-14",
                       "due_on": "2025-04-01"})");
  ASSERT_EQ(rec.exit_code, 0) << rec.out;
  const std::string rec_id = rec.out.substr(0, 36);
  ASSERT_EQ(Cli("edit " + id + " --json -", R"({"date": "2025-04-10"})").exit_code, 0);
  show = Cli("show " + rec_id);
  EXPECT_NE(show.out.find("warning (due_on): The due date 2025-04-01 must be after the visit (2025-04-10)."),
            std::string::npos)
      << show.out;
  CliRun evidence = Cli("edit " + rec_id + " --json -", R"({"evidence": "Протокол педсовета"})");
  EXPECT_EQ(evidence.exit_code, 0) << evidence.out;

  ASSERT_EQ(Cli("delete " + id).exit_code, 0);
  EXPECT_EQ(Cli("show " + id).exit_code, 1);
}

TEST_F(CliTest, ARoundIsAddedThenClosedAndItsSchoolsFiguresAreKept) {
  ImportSchoolAndTeacher();
  const auto schools = Ids(Cli("list schools").out);
  ASSERT_EQ(schools.size(), 1u);
  CliRun add = Cli("add monitoring_round --json -",
                   R"({"name": "Входной мониторинг", "kind": "entry", "starts_on": "2025-09-01",
                       "ends_on": "2025-09-30"})");
  ASSERT_EQ(add.exit_code, 0) << add.out;
  const std::string round = add.out.substr(0, 36);
  CliRun change = Cli("add status_change --json -", R"({"school_id": ")" + schools[0] +
                                                        R"(", "changed_on": "2025-10-15", "statuses": [],
                       "reason": "Приказ № 12", "round_id": ")" +
                                                        round + R"("})");
  ASSERT_EQ(change.exit_code, 0) << change.out;

  CliRun closed = Cli("round close " + round + " --on 2025-10-01");
  ASSERT_EQ(closed.exit_code, 0) << closed.out;
  EXPECT_NE(closed.out.find("the figures of 1 school(s) as of 2025-09-30"), std::string::npos) << closed.out;
  CliRun results = Cli("list round_results");
  EXPECT_NE(results.out.find("1 record(s)"), std::string::npos) << results.out;
  CliRun again = Cli("round close " + round);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.out.find("was closed on 2025-10-01"), std::string::npos) << again.out;
  EXPECT_NE(Cli("list statuses").out.find("Приказ № 12"), std::string::npos);
}

TEST_F(CliTest, AddRejectsBadJsonAndInvalidRecords) {
  ImportSchoolAndTeacher();
  const auto schools = Ids(Cli("list schools").out);
  ASSERT_EQ(schools.size(), 1u);
  CliRun r = Cli("add visit --json -", "{not json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("not valid JSON"), std::string::npos) << r.out;
  r = Cli("add visit --json -", R"({"colour": "red"})");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("unknown field «colour»"), std::string::npos) << r.out;
  // A visit in the future, with nobody who visited: every problem is listed.
  r = Cli("add visit --json -",
          R"({"school_id": ")" + schools[0] + R"(", "date": "2099-01-01", "purposes": ["monitoring"]})");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("in the future"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Say who visited"), std::string::npos) << r.out;
  r = Cli("add school --json -", "{}");
  EXPECT_EQ(r.exit_code, 1);
}

TEST_F(CliTest, ListShowsVocabularyAsLabels) {
  ImportSchoolAndTeacher();
  EXPECT_NE(Cli("list schools").out.find("rural"), std::string::npos);
  EXPECT_NE(Cli("list schools").out.find("low results"), std::string::npos);
  const std::string out = Cli("list schools", "", "ru").out;
  EXPECT_NE(out.find("село"), std::string::npos) << out;
  EXPECT_NE(out.find("ШНОР"), std::string::npos) << out;
}

TEST_F(CliTest, RussianMessagesUnderRussianLanguage) {
  const CliRun r = Cli("list уроки", "", "ru");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("неизвестный вид записей"), std::string::npos) << r.out;
}

// ---- Issue 13: hostile texts ------------------------------------------------------------

class CliTextTest : public CliTest {
 protected:
  // A visit saved through `add`, with the school and mentor ImportSchoolAndTeacher made.
  std::string AddVisit(const std::string& summary_json) {
    const auto schools = Ids(Cli("list schools").out);
    EXPECT_EQ(schools.size(), 1u);
    std::string mentor;
    std::istringstream lines(Cli("list people").out);
    for (std::string line; std::getline(lines, line);) {
      if (line.find("Петров") != std::string::npos) mentor = line.substr(0, 36);
    }
    const CliRun add = Cli("add visit --json -",
                           R"({"school_id": ")" + schools.at(0) + R"(", "date": "2025-03-14", "visitor_ids": [")" +
                               mentor + R"("], "purposes": ["diagnostics"], "summary": )" + summary_json + "}");
    EXPECT_EQ(add.exit_code, 0) << add.out;
    return add.out.substr(0, 36);
  }

  // Runs SQL on the data folder's store with the sqlite3 shell: a row written around
  // validation, as an old version could have.
  void RawSql(const std::string& sql) {
    const auto run =
        mentorlog::testing_support::RunCommand("sqlite3 '" + dir_.string() + "/data/mentorlog.db' \"" + sql + "\"");
    ASSERT_EQ(run.exit_code, 0) << run.out;
  }

  static void ExpectNoControls(const std::string& out) {
    for (size_t i = 0; i < out.size(); ++i) {
      const auto c = static_cast<unsigned char>(out[i]);
      EXPECT_FALSE(c < 0x20 && c != '\n' && c != '\t') << "control byte " << int{c} << " at " << i << ":\n" << out;
      EXPECT_FALSE(c == 0x7F) << out;
      EXPECT_FALSE(c == 0xC2 && i + 1 < out.size() && static_cast<unsigned char>(out[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(out[i + 1]) <= 0x9F)
          << "C1 control at " << i << ":\n"
          << out;
    }
  }
};

TEST_F(CliTextTest, ListAndShowPrintNoTerminalControlSequences) {
  if (mentorlog::testing_support::RunCommand("command -v sqlite3").exit_code != 0) {
    GTEST_SKIP() << "the sqlite3 shell is not installed: run scripts/setup";
  }
  ImportSchoolAndTeacher();
  // A C1 CSI (U+009B) is a valid character, so `add` stores it; ESC, BEL and CR only an old
  // version could have stored.
  const std::string id = AddVisit(R"("Итоги \u009b2J выезда")");
  RawSql(
      "UPDATE visits SET strengths = 'Сильные' || char(27) || '[31mКРАСНЫЕ' || char(27) || '[0m' || "
      "char(27) || ']0;title' || char(7) || char(13) || ' стороны' WHERE id = '" +
      id + "'");
  const CliRun list = Cli("list visits");
  EXPECT_EQ(list.exit_code, 0) << list.out;
  EXPECT_NE(list.out.find("Итоги  выезда"), std::string::npos) << list.out;
  ExpectNoControls(list.out);
  const CliRun show = Cli("show " + id);
  EXPECT_EQ(show.exit_code, 0) << show.out;
  EXPECT_NE(show.out.find("strengths: СильныеКРАСНЫЕ стороны"), std::string::npos) << show.out;
  ExpectNoControls(show.out);
  // A message that quotes a file's cell goes through the same filter.
  const CliRun import = Cli("import people '" +
                            WriteFile("p2.csv", "full_name,roles,school_code\nX,teacher,S\x1B]0;pwned\x07-9\n") + "'");
  EXPECT_EQ(import.exit_code, 1) << import.out;
  EXPECT_NE(import.out.find("no school with code «S-9»"), std::string::npos) << import.out;
  ExpectNoControls(import.out);
}

TEST_F(CliTextTest, DeeplyNestedJsonIsExitOneNotACrash) {
  CliRun r = Cli("add visit --json -", "{\"summary\": " + std::string(1'000'000, '['));
  EXPECT_EQ(r.exit_code, 1) << r.out.substr(0, 300);
  EXPECT_NE(r.out.find("nested deeper than 8 levels"), std::string::npos) << r.out.substr(0, 300);
  r = Cli("add visit --json -", std::string(1'000'000, '{'));
  EXPECT_EQ(r.exit_code, 1) << r.out.substr(0, 300);
}

TEST_F(CliTextTest, AddRefusesTextsARecordMayNotHold) {
  ImportSchoolAndTeacher();
  const auto schools = Ids(Cli("list schools").out);
  ASSERT_EQ(schools.size(), 1u);
  const std::string start = R"({"school_id": ")" + schools[0] + R"(", "date": "2025-03-14", "summary": )";
  CliRun r = Cli("add visit --json -", start + R"("a\u0000b"})");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("NUL"), std::string::npos) << r.out;
  r = Cli("add visit --json -", start + "\"bad \xED\xA0\x80 surrogate\"}");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("not UTF-8"), std::string::npos) << r.out;
  r = Cli("add visit --json -", start + R"("\u001b[2J"})", "ru");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("управляющий символ (U+001B)"), std::string::npos) << r.out;
  EXPECT_TRUE(Ids(Cli("list visits").out).empty());
}

TEST_F(CliTextTest, ImportWithANulOrMixedEncodingsIsExitOneNamingTheLine) {
  const std::string nul = WriteFile("nul.csv", std::string("code,name\n101,a\0b\n", 18));
  CliRun r = Cli("import schools '" + nul + "'");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("nul.csv, line 2"), std::string::npos) << r.out;

  const std::string mixed =
      WriteFile("mixed.csv",
                "\xEA\xEE\xE4;\xED\xE0\xE8\xEC\xE5\xED\xEE\xE2\xE0\xED\xE8\xE5;\xEC\xF3\xED\xE8\xF6\xE8\xEF\xE0\xEB"
                "\xE8\xF2\xE5\xF2\r\n"
                "S-1;\xD8\xEA\xEE\xEB\xE0;\xD0\xE0\xE9\xEE\xED\r\n"
                "S-2;Школа;Район\r\n");
  r = Cli("import schools '" + mixed + "'");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("mixed.csv, line 3: this line is in UTF-8, but line 1 is in Windows-1251"), std::string::npos)
      << r.out;
}

}  // namespace
