// mentorlog-cli and the programme's instruments (issue 15), as a coordinator runs it: `add` and
// `edit` from JSON, `list`, `show`, `import` with Russian and English headers, `export` (CSV,
// Excel, JSON) and importing the export back unchanged, bad rows in both languages, exit codes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "run_command.h"

namespace {

using InstrRun = mentorlog::testing_support::CommandRun;

// A data folder with three schools of the Кромской district, three teachers (two of them
// namesakes at two schools), a mentor and a tutor.
class CliInstrumentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("mentorlog-cli-instr-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    const InstrRun schools =
        Cli("import schools " + File("schools.csv",
                                     "Код ОО;Наименование;Краткое наименование;Муниципалитет;Тип поселения;"
                                     "Расстояние;Обучающихся;Педагогов;Статус;Год\n"
                                     "5701;МБОУ «Кромская СОШ им. Н.Н. Поликарпова»;Кромская СОШ;Кромской район;"
                                     "город;0;640;48;школа-лидер;2025\n"
                                     "5702;МБОУ «Гостомльская СОШ»;Гостомльская СОШ;Кромской район;село;18;112;16;"
                                     "ШНОР;2025\n"
                                     "5703;МБОУ «Шаховская СОШ»;Шаховская СОШ;Кромской район;село;27;74;12;ШНОР;"
                                     "2025\n"));
    ASSERT_EQ(schools.exit_code, 0) << schools.out;
    const InstrRun people = Cli("import people " + File("people.csv",
                                                        "Код;ФИО;Роль;Код ОО;Предметы\n"
                                                        "Т-101;Ковалёва Наталья Викторовна;учитель;5702;математика\n"
                                                        ";Егорова Светлана Ивановна;учитель;5702;история\n"
                                                        ";Егорова Светлана Ивановна;учитель;5703;биология\n"
                                                        "Н-01;Гришина Ольга Павловна;наставник;;\n"
                                                        "Тт-01;Савельев Дмитрий Юрьевич;тьютор;;\n"));
    ASSERT_EQ(people.exit_code, 0) << people.out;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  InstrRun Cli(const std::string& args, const std::string& stdin_text = "", const std::string& lang = "en") {
    std::string cmd =
        std::string(MENTORLOG_CLI_PATH) + " --lang " + lang + " --data '" + dir_.string() + "/data' " + args;
    if (!stdin_text.empty()) {
      const auto in = dir_ / "stdin.json";
      std::ofstream(in, std::ios::binary) << stdin_text;
      cmd += " < '" + in.string() + "'";
    }
    return mentorlog::testing_support::RunCommand(cmd);
  }

  // Writes a file into the test's folder and returns its quoted path for a command line.
  std::string File(const std::string& name, const std::string& bytes) {
    const auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return "'" + path.string() + "'";
  }

  // The id of the first `list KIND` line that contains `text`.
  std::string IdOf(const std::string& kind, const std::string& text) {
    std::istringstream lines(Cli("list " + kind).out);
    for (std::string line; std::getline(lines, line);) {
      if (line.size() > 36 && line[8] == '-' && line.find(text) != std::string::npos) return line.substr(0, 36);
    }
    ADD_FAILURE() << "no " << kind << " with " << text;
    return "";
  }

  // `add KIND` from JSON; returns the new id (empty and a failure when refused).
  std::string Add(const std::string& kind, const std::string& json) {
    const InstrRun r = Cli("add " + kind + " --json -", json);
    EXPECT_EQ(r.exit_code, 0) << kind << ": " << r.out;
    return r.exit_code == 0 && r.out.size() >= 36 ? r.out.substr(0, 36) : "";
  }

  std::filesystem::path dir_;
};

// Quotes an id for JSON.
std::string InstrJsonId(const std::string& id) { return "\"" + id + "\""; }

TEST_F(CliInstrumentsTest, EveryInstrumentIsAddedEditedShownAndListedFromJson) {
  const std::string leader = IdOf("schools", "Кромская СОШ");
  const std::string school = IdOf("schools", "Гостомльская СОШ");
  const std::string teacher = IdOf("people", "Ковалёва");
  const std::string mentor = IdOf("people", "Гришина");

  struct Case {
    std::string kind;
    std::string add;
    std::string edit;
    std::string shown_after_edit;  // in `show`, after the edit
    std::string listed;            // in `list` (a referenced record's name)
  };
  const std::string agreement_json =
      R"({"number": "СВ-1/2025", "signed_on": "2025-01-10", "supported_school_id": )" + InstrJsonId(school) +
      R"(, "partner_kind": "социальный институт", "partner_name": "МБУК «Кромская межпоселенческая библиотека»",
          "leader_school_id": null, "model": "vertical", "ends_on": "", "milestones": ["Февраль: читательская конференция", "Май: итоги"]})";
  const std::vector<Case> cases = {
      {"network_agreement", agreement_json, R"({"status": "ended", "ends_on": "2025-02-28"})", "status: ended",
       "Гостомльская СОШ"},
      {"network_agreements",
       R"({"number": "СВ-2/2025", "signed_on": "2025-01-15", "supported_school_id": )" + InstrJsonId(school) +
           R"(, "leader_school_id": )" + InstrJsonId(leader) + "}",
       R"({"subject": "Взаимопосещение уроков"})", "leader_school_id: " + leader + " (Кромская СОШ)", "Кромская СОШ"},
      {"roadmap_item",
       R"({"title": "Самодиагностика школы", "level": "school", "school_id": )" + InstrJsonId(school) +
           R"(, "starts_on": "2024-09-01", "ends_on": "2024-09-30"})",
       R"({"status": "выполнено", "done_on": "2024-09-27", "evidence": "Приказ № 112"})", "evidence: Приказ № 112",
       "Самодиагностика школы"},
      {"deficit",
       R"({"teacher_id": )" + InstrJsonId(teacher) +
           R"(, "area": "Формирующее оценивание", "found_on": "2024-10-14", "found_by": "посещение урока"})",
       R"({"closed_on": "2024-12-20", "closed_by": "курсы «Формирующее оценивание», 36 ч"})",
       "closed_by: курсы «Формирующее оценивание», 36 ч", "Ковалёва Наталья Викторовна"},
      {"route_item",
       R"({"teacher_id": )" + InstrJsonId(teacher) +
           R"(, "deficit_id": null, "activity": "peer_visits", "title": "Посетить 3 урока наставника",
               "starts_on": "2025-01-10", "due_on": "2025-03-31"})",
       R"({"status": "in_progress", "result": "Посещено 2 урока"})", "result: Посещено 2 урока",
       "Посетить 3 урока наставника"},
      {"training",
       R"({"teacher_id": )" + InstrJsonId(teacher) +
           R"(, "kind": "повышение квалификации", "provider": "БУ ОО ДПО «Институт развития образования»",
               "title": "Формирующее оценивание", "hours": 36, "starts_on": "2024-12-02", "ends_on": "2024-12-20"})",
       R"({"certificate": "572417 0012345", "hours": "72"})", "hours: 72", "Ковалёва Наталья Викторовна"},
      {"network_event",
       R"({"title": "Методический день «Функциональная грамотность»", "kind": "methodological_day",
           "organiser_school_id": )" +
           InstrJsonId(leader) + R"(, "held_on": "2024-11-05"})",
       R"({"report": "42 участника из 9 школ"})", "report: 42 участника из 9 школ", "Кромская СОШ"},
      {"plan_item",
       R"({"person_id": )" + InstrJsonId(mentor) + R"(, "school_id": )" + InstrJsonId(school) +
           R"(, "activity": "выезд", "planned_on": "2025-02-10", "title": "Диагностический выезд"})",
       R"({"teacher_id": )" + InstrJsonId(teacher) + R"(, "activity": "observation"})",
       "teacher_id: " + teacher + " (Ковалёва Наталья Викторовна)", "Гришина Ольга Павловна"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.kind);
    const std::string id = Add(c.kind, c.add);
    ASSERT_FALSE(id.empty());
    const InstrRun edit = Cli("edit " + id + " --json -", c.edit);
    EXPECT_EQ(edit.exit_code, 0) << edit.out;
    const InstrRun show = Cli("show " + id);
    EXPECT_EQ(show.exit_code, 0) << show.out;
    EXPECT_NE(show.out.find(c.shown_after_edit), std::string::npos) << show.out;
    const InstrRun list = Cli("list " + c.kind);
    EXPECT_EQ(list.exit_code, 0) << list.out;
    EXPECT_NE(list.out.find(id), std::string::npos) << list.out;
    EXPECT_NE(list.out.find(c.listed), std::string::npos) << list.out;
  }

  // A participant refers to the event: `list` names the event and the teacher.
  const std::string event = IdOf("network_events", "Методический день");
  const std::string participant = Add("event_participant", R"({"event_id": )" + InstrJsonId(event) +
                                                               R"(, "teacher_id": )" + InstrJsonId(teacher) + "}");
  ASSERT_FALSE(participant.empty());
  const std::string egorova = IdOf("people", "Егорова");
  EXPECT_EQ(Cli("edit " + participant + " --json -", R"({"teacher_id": )" + InstrJsonId(egorova) + "}").exit_code, 0);
  const InstrRun participants = Cli("list event_participants", "", "ru");
  EXPECT_NE(participants.out.find(participant + "  Методический день"), std::string::npos) << participants.out;
  EXPECT_NE(participants.out.find("Егорова Светлана Ивановна"), std::string::npos) << participants.out;

  // Vocabulary in `list` and `show` reads in the person's language.
  EXPECT_NE(Cli("list trainings", "", "ru").out.find("повышение квалификации"), std::string::npos);
  EXPECT_NE(Cli("list agreements", "", "ru").out.find("прекращён"), std::string::npos);

  // Every kind exports as CSV and JSON.
  for (const char* kind : {"network_agreements", "roadmap_items", "deficits", "route_items", "trainings",
                           "network_events", "event_participants", "plan_items"}) {
    const InstrRun csv = Cli(std::string("export ") + kind);
    EXPECT_EQ(csv.exit_code, 0) << kind << ": " << csv.out;
    EXPECT_EQ(csv.out.rfind("id,", 0), 0u) << kind << ": " << csv.out;
    const InstrRun json = Cli(std::string("export ") + kind + " --format json");
    EXPECT_EQ(json.exit_code, 0) << kind << ": " << json.out;
    EXPECT_EQ(json.out.rfind("[\n{\"id\": ", 0), 0u) << kind << ": " << json.out;
  }
}

TEST_F(CliInstrumentsTest, AnInvalidRecordFromJsonIsExitOneInThePersonsLanguage) {
  const std::string school = IdOf("schools", "Гостомльская СОШ");
  const std::string without_partner =
      R"({"number": "СВ-3/2025", "signed_on": "2025-01-10", "supported_school_id": )" + InstrJsonId(school) + "}";
  InstrRun r = Cli("add network_agreement --json -", without_partner);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("Choose the partner school."), std::string::npos) << r.out;
  r = Cli("add network_agreement --json -", without_partner, "ru");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("Выберите школу-партнёра."), std::string::npos) << r.out;
  // A choice that is not in the vocabulary names the accepted ones.
  r = Cli("add training --json -", R"({"kind": "стажировка"})");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("field «kind»: «стажировка» is not one of: qualification, retraining"), std::string::npos)
      << r.out;
  r = Cli("add training --json -", R"({"kind": "стажировка"})", "ru");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("поле «kind»: «стажировка» — недопустимое значение; допустимо: повышение квалификации, "
                       "профессиональная переподготовка"),
            std::string::npos)
      << r.out;
  r = Cli("add training --json -", R"({"ends_on": "20.12.2O24"})", "ru");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("поле «ends_on»: «20.12.2O24» — не дата"), std::string::npos) << r.out;
  r = Cli("add training --json -", R"({"часы": 36})", "ru");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("неизвестное поле «часы»; у записи «повышение квалификации» есть поля: teacher_id, kind"),
            std::string::npos)
      << r.out;
  // A course that ends in the future is refused; nothing is saved.
  const std::string teacher = IdOf("people", "Ковалёва");
  r = Cli("add training --json -", R"({"teacher_id": )" + InstrJsonId(teacher) +
                                       R"(, "provider": "ИРО", "title": "Курс", "hours": 16, "starts_on": "2099-01-10",
                                           "ends_on": "2099-01-20"})");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("in the future"), std::string::npos) << r.out;
  EXPECT_NE(Cli("list trainings").out.find("0 record(s)"), std::string::npos);
}

// The same records as Russian and as English spreadsheets, in import order.
struct InstrFile {
  const char* kind;
  const char* name;
  const char* russian;
  const char* english;
  int rows;
};

const InstrFile kInstrFiles[] = {
    {"network_agreements", "agreements.csv",
     "Номер договора;Дата заключения;Код ОО;Код школы-партнёра;Партнёр;Модель;Статус;Этапы\n"
     "СВ-1/2024;02.09.2024;5702;5701;;горизонтальная;действует;\"Сентябрь: план\nДекабрь: открытые уроки\"\n"
     "СВ-2/2024;15.10.2024;5703;;МБУК «Кромская межпоселенческая библиотека»;вертикальная;;\n",
     "number,signed_on,supported_school_code,partner_school_code,partner_name,model,status,milestones\n"
     "СВ-1/2024,2024-09-02,5702,5701,,horizontal,active,\"Сентябрь: план\nДекабрь: открытые уроки\"\n"
     "СВ-2/2024,2024-10-15,5703,,МБУК «Кромская межпоселенческая библиотека»,vertical,,\n",
     2},
    {"roadmap_items", "roadmap.csv",
     "Мероприятие;Код ОО;Начало;Срок;Ответственный;Статус;Дата выполнения\n"
     "Самодиагностика школы;5702;01.09.2024;30.09.2024;Директор;выполнено;27.09.2024\n"
     "Районный семинар по читательской грамотности;;01.11.2024;30.11.2024;Методкабинет;запланировано;\n",
     "title,school_code,starts_on,ends_on,responsible,status,done_on\n"
     "Самодиагностика школы,5702,2024-09-01,2024-09-30,Директор,done,2024-09-27\n"
     "Районный семинар по читательской грамотности,,2024-11-01,2024-11-30,Методкабинет,planned,\n",
     2},
    {"deficits", "deficits.csv",
     "Педагог;Код ОО;Дефицит;Дата выявления;Способ выявления\n"
     "Т-101;;Формирующее оценивание;14.10.2024;посещение урока\n"
     "Егорова Светлана Ивановна;5703;Работа с учащимися с ОВЗ;05.11.2024;диагностика\n",
     "teacher,school_code,area,found_on,found_by\n"
     "Т-101,,Формирующее оценивание,2024-10-14,observation\n"
     "Егорова Светлана Ивановна,5703,Работа с учащимися с ОВЗ,2024-11-05,diagnostics\n",
     2},
    {"trainings", "courses.csv",
     "ФИО;Код ОО;Вид;Организация;Программа;Часов;Начало;Окончание;Номер удостоверения\n"
     "Т-101;;ПК;БУ ОО ДПО «Институт развития образования»;Формирующее оценивание;36;02.12.2024;20.12.2024;572417\n"
     "Егорова Светлана Ивановна;5702;переподготовка;ФГБОУ ВО «ОГУ им. И.С. Тургенева»;Педагогическое образование;"
     "520;01.02.2024;28.02.2025;ПП-0451\n",
     "teacher,school_code,kind,provider,title,hours,starts_on,ends_on,certificate\n"
     "Т-101,,qualification,БУ ОО ДПО «Институт развития образования»,Формирующее оценивание,36,2024-12-02,2024-12-20,"
     "572417\n"
     "Егорова Светлана Ивановна,5702,retraining,ФГБОУ ВО «ОГУ им. И.С. Тургенева»,Педагогическое образование,520,"
     "2024-02-01,2025-02-28,ПП-0451\n",
     2},
    {"route_items", "route.csv",
     "Педагог;Форма;Содержание;Начало;Срок;Статус\n"
     "Т-101;взаимопосещение уроков;Посетить 3 урока наставника;10.01.2025;31.03.2025;выполняется\n",
     "teacher,activity,title,starts_on,due_on,status\n"
     "Т-101,peer_visits,Посетить 3 урока наставника,2025-01-10,2025-03-31,in_progress\n",
     1},
    {"network_events", "events.csv",
     "Название;Форма;Код ОО организатора;Дата\n"
     "Методический день «Функциональная грамотность»;методический день;5701;05.11.2024\n"
     "Мастер-класс «Смысловое чтение»;мастер-класс;;12.02.2025\n",
     "title,kind,organiser_school_code,held_on\n"
     "Методический день «Функциональная грамотность»,methodological_day,5701,2024-11-05\n"
     "Мастер-класс «Смысловое чтение»,master_class,,2025-02-12\n",
     2},
    {"event_participants", "participants.csv",
     "Мероприятие;Дата мероприятия;Педагог;Код ОО\n"
     "Методический день «Функциональная грамотность»;05.11.2024;Т-101;\n"
     "Методический день «Функциональная грамотность»;05.11.2024;Егорова Светлана Ивановна;5702\n"
     "Мастер-класс «Смысловое чтение»;;Егорова Светлана Ивановна;5703\n",
     "event,event_date,teacher,school_code\n"
     "Методический день «Функциональная грамотность»,2024-11-05,Т-101,\n"
     "Методический день «Функциональная грамотность»,2024-11-05,Егорова Светлана Ивановна,5702\n"
     "Мастер-класс «Смысловое чтение»,,Егорова Светлана Ивановна,5703\n",
     3},
    {"plan_items", "plan.csv",
     "Исполнитель;Код ОО;Учитель;Вид работы;Дата;Содержание\n"
     "Н-01;5702;;выезд;16.09.2024;Диагностический выезд\n"
     "Савельев Дмитрий Юрьевич;5702;Т-101;посещение урока;14.10.2024;\n",
     "person,school_code,teacher,activity,planned_on,title\n"
     "Н-01,5702,,visit,2024-09-16,Диагностический выезд\n"
     "Савельев Дмитрий Юрьевич,5702,Т-101,observation,2024-10-14,\n",
     2},
};

TEST_F(CliInstrumentsTest, RussianAndEnglishSpreadsheetsImportTheSameRecordsAndExportsImportBack) {
  for (const InstrFile& f : kInstrFiles) {
    SCOPED_TRACE(f.kind);
    const InstrRun ru = Cli(std::string("import ") + f.kind + " " + File(f.name, f.russian), "", "ru");
    EXPECT_EQ(ru.exit_code, 0) << ru.out;
    EXPECT_NE(ru.out.find("Импортировано: " + std::to_string(f.rows) + " новых, 0 обновлено, 0 без изменений"),
              std::string::npos)
        << ru.out;
  }
  for (const InstrFile& f : kInstrFiles) {
    SCOPED_TRACE(f.kind);
    // The English file holds the same records: found by their keys, nothing changes.
    const InstrRun en = Cli(std::string("import ") + f.kind + " " + File(f.name, f.english));
    EXPECT_EQ(en.exit_code, 0) << en.out;
    EXPECT_NE(en.out.find("Imported: 0 new, 0 updated, " + std::to_string(f.rows) + " unchanged"), std::string::npos)
        << en.out;
    // So does what `export` writes, as CSV and for Excel.
    for (const std::string excel : {"", " --excel"}) {
      const std::string out = (dir_ / (std::string("export-") + f.name)).string();
      const InstrRun exp = Cli(std::string("export ") + f.kind + excel + " -o '" + out + "'");
      ASSERT_EQ(exp.exit_code, 0) << exp.out;
      const InstrRun back = Cli(std::string("import ") + f.kind + " '" + out + "'");
      EXPECT_EQ(back.exit_code, 0) << back.out;
      EXPECT_NE(back.out.find("Imported: 0 new, 0 updated, " + std::to_string(f.rows) + " unchanged"),
                std::string::npos)
          << excel << "\n"
          << back.out;
      EXPECT_NE(back.out.find("column «id» is not used and was ignored"), std::string::npos) << back.out;
    }
  }
  EXPECT_NE(Cli("list event_participants").out.find("3 record(s)"), std::string::npos);
}

TEST_F(CliInstrumentsTest, ABadRowIsExitOneNamingTheLineAndTheColumn) {
  const std::string file = File("courses.csv",
                                "ФИО;Вид;Организация;Программа;Часов;Начало;Окончание\n"
                                "Т-101;ПК;БУ ОО ДПО «ИРО»;Формирующее оценивание;36;02.12.2024;20.12.2024\n"
                                "Т-101;ПК;БУ ОО ДПО «ИРО»;Смысловое чтение;36 ч;13.01.2025;14.02.2025\n");
  InstrRun r = Cli("import trainings " + file);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("courses.csv, line 3, column «Часов»: «36 ч» is not a whole number"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("1 bad row(s): nothing was imported"), std::string::npos) << r.out;
  r = Cli("import trainings " + file, "", "ru");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("courses.csv, строка 3, столбец «Часов»: «36 ч» — не целое число"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ничего не импортировано"), std::string::npos) << r.out;
  EXPECT_NE(Cli("list trainings").out.find("0 record(s)"), std::string::npos);

  // An unknown event in a participants list.
  r = Cli("import event_participants " +
              File("participants.csv", "Мероприятие;Дата мероприятия;Педагог\nСеминар;10.12.2024;Т-101\n"),
          "", "ru");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("participants.csv, строка 2, столбец «Мероприятие»: нет сетевого мероприятия «Семинар» "
                       "10.12.2024: проверьте название и дату или сначала импортируйте мероприятия"),
            std::string::npos)
      << r.out;

  r = Cli("import trainings " + file + " --skip-bad");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("Imported: 1 new, 0 updated, 0 unchanged; skipped bad rows: 1"), std::string::npos) << r.out;
}

TEST_F(CliInstrumentsTest, HelpNamesTheInstruments) {
  const InstrRun import = Cli("import --help");
  EXPECT_EQ(import.exit_code, 0);
  for (const char* kind : {"network_agreements", "roadmap_items", "deficits", "trainings", "route_items",
                           "network_events", "event_participants", "plan_items"}) {
    EXPECT_NE(import.out.find(kind), std::string::npos) << kind << "\n" << import.out;
  }
  const InstrRun add = Cli("add --help");
  EXPECT_NE(add.out.find("any kind"), std::string::npos) << add.out;
  EXPECT_NE(add.out.find("training"), std::string::npos) << add.out;
}

}  // namespace
