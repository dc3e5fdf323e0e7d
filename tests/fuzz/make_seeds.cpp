// Writes the seed corpora of tests/fuzz (corpus/<target>/<name>): small real inputs made with
// the project's own encoders, so they follow the formats as they change. Rerun it after a
// format change: scripts/fuzz --make-seeds (or build-fuzz/tests/fuzz/fuzz_make_seeds <dir>).
// A seed of a target that takes a selector byte (fuzz_support.h) starts with that byte.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

#include "mentorlog/domain/change.h"
#include "mentorlog/domain/csv.h"
#include "mentorlog/domain/record_state.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/domain/serialize.h"
#include "mentorlog/sync/protocol.h"
#include "pull_cursor.h"

namespace {

namespace core = mentorlog::core;
namespace sync = mentorlog::sync;
namespace server = mentorlog::server;
namespace fs = std::filesystem;

fs::path g_root;
bool g_failed = false;

void Seed(std::string_view target, std::string_view name, std::string_view bytes) {
  const fs::path dir = g_root / target;
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::cerr << "make_seeds: cannot write " << (dir / name).string() << "\n";
    g_failed = true;
  }
}

std::string Selected(uint8_t selector, std::string_view bytes) {
  return std::string(1, static_cast<char>(selector)) + std::string(bytes);
}

core::Uuid SeedId(uint8_t n) {
  std::array<uint8_t, 16> b{};
  b[0] = 0x01;
  b[1] = 0x8f;
  b[6] = 0x70;  // version 7
  b[8] = 0x80;
  b[15] = n;
  return core::Uuid(b);
}

core::FieldClock SeedClock(uint64_t millis, std::string device) {
  return core::FieldClock{core::HlcStamp::FromParts(millis, 1), std::move(device)};
}

core::Change SeedUpsert() {
  core::Change c;
  c.device_id = "dev-a";
  c.op_seq = 7;
  c.kind = core::RecordKind::kSchool;
  c.record_id = SeedId(1);
  c.op = core::ChangeOp::kUpsert;
  c.stamp = core::HlcStamp::FromParts(1'795'168'800'000, 2);
  c.fields.push_back({"code", core::FieldValue(std::string("101")), c.stamp, {}});
  c.fields.push_back(
      {"name", core::FieldValue(std::string("МБОУ СОШ № 1")), c.stamp, SeedClock(1'795'000'000'000, "dev-b")});
  c.fields.push_back({"distance_km", core::FieldValue(12.5), c.stamp, {}});
  c.fields.push_back({"pupils", core::FieldValue(int64_t{312}), c.stamp, {}});
  c.fields.push_back({"leader_partner_id", core::FieldValue(), c.stamp, {}});
  return c;
}

core::Change SeedDelete() {
  core::Change c;
  c.device_id = "dev-a";
  c.op_seq = 8;
  c.kind = core::RecordKind::kVisit;
  c.record_id = SeedId(2);
  c.op = core::ChangeOp::kDelete;
  c.stamp = core::HlcStamp::FromParts(1'795'168'900'000, 0);
  return c;
}

core::RecordState SeedDeletedState() {
  core::RecordState s = core::StateFromChange(SeedDelete());
  return s;
}

server::PullCursor SeedCursor(bool backfilling) {
  server::PullCursor c;
  c.seq = 4242;
  c.known = {SeedId(1), SeedId(3)};
  if (backfilling) {
    c.backfilling = true;
    c.backfill_schools = {SeedId(4)};
    c.backfill_upto = 4242;
    c.backfill_after = 17;
  }
  return c;
}

void SyncBodies() {
  const std::string target = "sync_bodies";
  sync::LoginRequest login{"anna", "correct horse", "dev-a"};
  sync::LoginResponse answer{std::string(64, 'a'), 1'800'000'000'000, SeedId(9), sync::Role::kMentor, "Анна"};
  sync::PushRequest push{"dev-a", {SeedUpsert(), SeedDelete()}};
  sync::PushResponse pushed;
  pushed.acked_op_seq = 8;
  pushed.rejected.push_back(
      {8, core::RecordKind::kVisit, SeedId(2), "permission", "You may not delete it.", "Удалить нельзя."});
  pushed.clamped = 1;
  pushed.server_millis = 1'795'168'900'123;
  sync::PullRequest pull{"dev-a", server::EncodePullCursor(SeedCursor(false)), 500, 512u << 10};
  sync::ConflictRecord conflict;
  conflict.id = SeedId(5);
  conflict.record_id = SeedId(1);
  conflict.field = "name";
  conflict.kept = std::string("Лицей");
  conflict.kept_clock = SeedClock(1'795'168'800'000, "dev-a");
  conflict.lost = std::string("Школа");
  conflict.lost_clock = SeedClock(1'795'168'700'000, "dev-b");
  conflict.reason = core::ConflictReason::kConcurrentEdit;
  conflict.noticed_millis = 1'795'168'900'000;
  sync::PullResponse pulled;
  pulled.records = {core::StateFromChange(SeedUpsert()), SeedDeletedState()};
  pulled.conflicts = {conflict};
  pulled.next_cursor = server::EncodePullCursor(SeedCursor(true));
  pulled.more = true;
  pulled.scope = {SeedId(1), SeedId(3)};
  pulled.server_millis = 1'795'168'900'123;

  Seed(target, "login_request", sync::Encode(login));
  Seed(target, "login_response", sync::Encode(answer));
  Seed(target, "push_request", sync::Encode(push));
  Seed(target, "push_request.zst", sync::Compress(sync::Encode(push)));
  Seed(target, "push_response", sync::Encode(pushed));
  Seed(target, "pull_request", sync::Encode(pull));
  Seed(target, "pull_response", sync::Encode(pulled));
  Seed(target, "pull_response.zst", sync::Compress(sync::Encode(pulled)));
  Seed(target, "conflict", sync::EncodeConflict(conflict));
  Seed(target, "error.json", sync::EncodeErrorJson({"forbidden", "You may not do this.", "Так нельзя."}));
}

void Cereal() {
  const std::string target = "cereal";
  // selector: (index << 1) | json; index: 0 Change, 1 RecordState, 2 + RecordKind.
  auto both = [&](uint8_t index, std::string_view name, const auto& value) {
    Seed(target, std::string(name) + ".bin", Selected(static_cast<uint8_t>(index << 1), core::EncodeBinary(value)));
    Seed(target, std::string(name) + ".json",
         Selected(static_cast<uint8_t>((index << 1) | 1), core::EncodeJson(value)));
  };
  both(0, "change_upsert", SeedUpsert());
  Seed(target, "zero_exponent.json", Selected(1, R"({"device_id": "d", "op_seq": 0e70, "stamp": 0.0e-23})"));
  Seed(target, "change_delete.bin", Selected(0, core::EncodeBinary(SeedDelete())));
  both(1, "record_state", core::StateFromChange(SeedUpsert()));
  core::School school;
  school.id = SeedId(1);
  school.code = "101";
  school.name = "МБОУ СОШ № 1";
  school.statuses = {core::SchoolStatus::kLowResults};
  school.status_year = 2024;
  school.transition_programme_adopted_on = core::Date::FromDays(20'000);
  both(2, "school", school);
  core::Observation observation;
  observation.id = SeedId(6);
  observation.visit_id = SeedId(2);
  observation.subject = "математика";
  observation.grade = 5;
  observation.rubric_code = "lesson_observation";
  observation.rubric_version = 1;
  both(6, "observation", observation);
}

constexpr std::string_view kSchoolsCsv =
    "Код ОО;Наименование;Краткое наименование;Муниципалитет;Район;Тип поселения;Расстояние;Обучающихся;"
    "Педагогов;Статус;Год\r\n"
    "101;\"МБОУ \"\"СОШ № 1\"\", корпус 2; филиал\";СОШ № 1;Кировский МО;Кировский;село;12,5;312;28;ШНОР; "
    "ШНСУ;2024\r\n"
    "102;\"Лицей «Ступени»\nстарое здание\";Лицей;Кировский МО;;urban;0;800;60;leader;2024\r\n"
    "103;Школа с. Ёлкино;;Кировский МО;Кировский;Rural;47,25;45;9;;\r\n";
constexpr std::string_view kPeopleCsv =
    "Код,ФИО,Роль,Код ОО,Предметы,Электронная почта,Телефон\n"
    "T1,Иванова Анна Петровна,учитель,101,\"математика; физика\",anna@example.ru,+7 900 000-00-01\n"
    "M1,Петров Олег Ильич,наставник,,,,\n"
    ",Сидорова Вера,\"tutor, учитель\",102,русский язык,,\n";
constexpr std::string_view kAssignmentsCsv =
    "Вид\tЗакреплённый\tКод ОО\tУчитель\tПредмет\tС\tПо\n"
    "наставник — школа\tM1\t101\t\t\t01.09.2024\t31.05.2025\n"
    "tutor_teacher\tСидорова Вера\t101\tT1\t\t2024-09-01\t\n";
constexpr std::string_view kResultsCsv =
    "Код ОО;Год;Процедура;Предмет;Класс;Участников;Средний балл;Доля ниже минимума;Доля высоких\n"
    "101;2024;ВПР;Математика;5;40;12,5;12,5%;0,1\n"
    "102;2023;regional;Математика;7;20;55;0;40%\n";
constexpr std::string_view kIndicatorsCsv =
    "sep=;\nКод ОО;Год;Показатель;Значение\n"
    "101;2024;low_income_share;0,35\n"
    "101;2024;Доля обучающихся с ОВЗ;4%\n"
    "103;2024;teacher_vacancies;2\n";

void Csv() {
  const std::string target = "csv";
  Seed(target, "schools_utf8_semicolon.csv", kSchoolsCsv);
  Seed(target, "people_utf8_bom_comma.csv", "\xEF\xBB\xBF" + std::string(kPeopleCsv));
  Seed(target, "assignments_tab.csv", kAssignmentsCsv);
  Seed(target, "indicators_sep_hint.csv", kIndicatorsCsv);
  auto cp1251 = core::Utf8ToWindows1251(kResultsCsv);
  if (cp1251.ok()) Seed(target, "results_cp1251.csv", *cp1251);
  Seed(target, "numbers.csv", "a;b;c\n\"1 234,5\";−12;1,5E+03\n;;;\n\"\";x\n");
}

void Import() {
  const std::string target = "import";
  // selector % 5: kind (schools, people, assignments, results, indicators); bit 3: skip bad rows.
  Seed(target, "schools.csv", Selected(0, kSchoolsCsv));
  Seed(target, "people.csv", Selected(1, kPeopleCsv));
  Seed(target, "assignments.csv", Selected(2, kAssignmentsCsv));
  Seed(target, "results.csv", Selected(3, kResultsCsv));
  Seed(target, "indicators.csv", Selected(4, kIndicatorsCsv));
  Seed(target, "schools_skip_bad.csv",
       Selected(10, "Код ОО;Наименование;Обучающихся\n104;Школа;много\n105;Гимназия;120\n"));
  auto cp1251 = core::Utf8ToWindows1251(kResultsCsv);
  if (cp1251.ok()) Seed(target, "results_cp1251.csv", Selected(3, *cp1251));
}

void RecordJson() {
  const std::string target = "record_json";
  // selector % 15: RecordKind; bit 4: allow "id".
  Seed(target, "school.json",
       Selected(0, R"({"code": "101", "name": "МБОУ СОШ № 1", "settlement": "rural", "distance_km": 12.5,
 "pupils": 312, "statuses": ["low_results"], "status_year": 2024, "management_team_trained": true})"));
  Seed(target, "school_with_id.json", Selected(30, R"({"id": "018f0000-0000-7000-8000-000000000001", "code": "102"})"));
  Seed(target, "person.json",
       Selected(1, R"({"full_name": "Иванова Анна", "roles": ["teacher"], "subjects": ["математика", "физика"],
 "school_id": "018f0000-0000-7000-8000-000000000001", "email": null})"));
  Seed(target, "visit.json", Selected(3, R"({"school_id": "018f0000-0000-7000-8000-000000000001", "date": "05.10.2026",
 "visitor_ids": ["018f0000-0000-7000-8000-000000000009"], "summary": "Разговор с директором"})"));
  Seed(target, "observation_scores.json",
       Selected(4, R"({"subject": "математика", "grade": 5, "date": "2026-10-05", "rubric_code": "lesson_observation",
 "rubric_version": 1, "discussion_held": false,
 "scores": [{"criterion_code": "aims_clear", "level": 2, "evidence": "цель на доске"},
            {"criterion_code": "pace", "level": null}]})"));
  Seed(target, "result.json", Selected(12, R"({"year": 2024, "assessment": "vpr", "subject": "Математика", "grade": 5,
 "participants": 40, "mean_score": 12.5, "share_below_min": 0.125})"));
  // Finding 3 of README.md: zeros rapidjson 1.1.0 reads with clz(0); refused before it sees them.
  Seed(target, "zero_exponent.json", Selected(12, R"({"year": 2024, "mean_score": 0e70, "share_below_min": 0.0e-23})"));
}

constexpr std::string_view kRubric = R"({
  "code": "lesson_observation", "version": 2,
  "title": {"ru": "Наблюдение урока", "en": "Lesson observation"},
  "scale": {"min": 0, "max": 2,
    "levels": [{"level": 0, "label": {"ru": "нет", "en": "no"}}, {"level": 1, "label": {"ru": "частично", "en": "partly"}},
               {"level": 2, "label": {"ru": "да", "en": "yes"}}],
    "not_observed": {"ru": "не наблюдалось", "en": "not observed"}},
  "domains": [{"code": "aims", "title": {"ru": "Цели", "en": "Aims"}},
              {"code": "climate", "title": {"ru": "Климат", "en": "Climate"}}],
  "criteria": [
    {"code": "aims_clear", "domain": "aims", "title": {"ru": "Цель ясна", "en": "Clear aim"},
     "look_for": {"ru": "цель на доске", "en": "aim on the board"},
     "descriptors": [{"level": 0, "text": {"ru": "нет цели", "en": "no aim"}}, {"level": 1, "text": {"ru": "неясна", "en": "vague"}},
                     {"level": 2, "text": {"ru": "ясна", "en": "clear"}}]},
    {"code": "respect", "domain": "climate", "title": {"ru": "Уважение", "en": "Respect"},
     "descriptors": [{"level": 2, "text": {"ru": "всегда", "en": "always"}}, {"level": 0, "text": {"ru": "нет", "en": "no"}},
                     {"level": 1, "text": {"ru": "иногда", "en": "sometimes"}}]}]
})";

void RubricJson() {
  Seed("rubric_json", "two_domains.json", kRubric);
  Seed("rubric_json", "zero_exponent.json", R"({"code": "x", "version": 0e400, "scale": {"min": -0.0e-40}})");
  // The input that found the first guard's gap: rapidjson converts "0e40", then stops at '.'.
  Seed("rubric_json", "zero_exponent_then_dot.json", R"({"ce": "]", "version": 0e40.0-40}40}m)");
  Seed("rubric_json", "negative_scale.json",
       R"({"code": "x", "version": 1, "title": {"ru": "т", "en": "t"},
 "scale": {"min": -1, "max": 0, "levels": [{"level": -1, "label": {"ru": "а", "en": "a"}}, {"level": 0, "label": {"ru": "б", "en": "b"}}],
           "not_observed": {"ru": "н", "en": "n"}},
 "domains": [{"code": "d", "title": {"ru": "д", "en": "d"}}],
 "criteria": [{"code": "c", "domain": "d", "title": {"ru": "к", "en": "c"},
   "descriptors": [{"level": -1, "text": {"ru": "1", "en": "1"}}, {"level": 0, "text": {"ru": "2", "en": "2"}}]}]})");
}

std::string ReadAsset(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.empty()) {
    std::cerr << "make_seeds: cannot read " << path.string() << "\n";
    g_failed = true;
  }
  return text;
}

void TomlConfig(const fs::path& assets) {
  const std::string target = "toml_config";
  // selector % 3: 0 indices.toml, 1 dashboard.toml, 2 the server's config.
  Seed(target, "indices.toml", Selected(0, ReadAsset(assets / "indices.toml")));
  Seed(target, "dashboard.toml", Selected(1, ReadAsset(assets / "dashboard.toml")));
  Seed(target, "server_sqlite.toml",
       Selected(2,
                "listen = \"0.0.0.0:8443\"\ndb = \"/var/lib/mentorlog/central.db\"\ntls_cert = \"cert.pem\"\n"
                "tls_key = \"key.pem\"\nthreads = 8\ntoken_days = 90\nlog_level = \"info\"\n"
                "max_clock_skew_seconds = 300\nargon2_memlimit_mb = 64\n"));
  Seed(target, "server_pg.toml",
       Selected(2, "listen = \"[::1]:0\"  # any port\npg = 'host=127.0.0.1 dbname=mentorlog'\nthreads = 2\n"));
}

void PullCursor() {
  Seed("pull_cursor", "fresh", server::EncodePullCursor(server::PullCursor{}));
  Seed("pull_cursor", "known_two", server::EncodePullCursor(SeedCursor(false)));
  Seed("pull_cursor", "backfilling", server::EncodePullCursor(SeedCursor(true)));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: fuzz_make_seeds CORPUS_DIR ASSETS_DIR\n"
                 "Writes CORPUS_DIR/<target>/<seed> for every fuzz target (tests/fuzz/README.md).\n";
    return 2;
  }
  g_root = argv[1];
  const fs::path assets = argv[2];
  SyncBodies();
  Cereal();
  Csv();
  Import();
  RecordJson();
  RubricJson();
  TomlConfig(assets);
  PullCursor();
  return g_failed ? 1 : 0;
}
