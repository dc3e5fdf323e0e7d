// libFuzzer target: importing CSV files into a store (core/include/mentorlog/domain/import.h).
//
// Input: a selector byte, then the file's bytes. selector % 5 picks the kind (schools, people,
// assignments, assessment results, context indicators); bit 3 the bad-row policy. The store
// is one SQLite file made once per process (in /dev/shm when there is one), holding three
// schools and three people for references; each input's import runs inside a transaction that
// is rolled back, so inputs do not see each other's rows.
// Invariants: a report adds up (nothing counted when nothing was committed; a problem for every
// bad row); importing the same file again in the same transaction writes nothing (import.h:
// "importing the same file again changes nothing").

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "mentorlog/domain/import.h"
#include "mentorlog/store/store.h"

namespace {

namespace core = mentorlog::core;
using mentorlog::fuzz::FuzzCheck;
using mentorlog::fuzz::FuzzSplit;

constexpr core::RecordKind kImportKinds[] = {core::RecordKind::kSchool, core::RecordKind::kPerson,
                                             core::RecordKind::kAssignment, core::RecordKind::kAssessmentResult,
                                             core::RecordKind::kContextIndicator};

constexpr std::string_view kImportSchools =
    "Код ОО;Наименование;Муниципалитет;Тип поселения;Расстояние;Обучающихся;Педагогов\n"
    "101;МБОУ СОШ № 1;Кировский МО;село;12,5;312;28\n"
    "102;Лицей «Ступени»;Кировский МО;город;0;800;60\n"
    "103;Школа с. Ёлкино;Кировский МО;село;47,25;45;9\n";
constexpr std::string_view kImportPeople =
    "Код;ФИО;Роль;Код ОО;Предметы\n"
    "T1;Иванова Анна Петровна;учитель;101;математика\n"
    "M1;Петров Олег Ильич;наставник;;\n"
    ";Сидорова Вера;tutor, учитель;102;русский язык\n";

std::filesystem::path& ImportStorePath() {
  static std::filesystem::path path;
  return path;
}

void ImportRemoveStore() {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(ImportStorePath().string() + suffix, ignored);
  }
}

core::Store& ImportStore() {
  static std::unique_ptr<core::Store> store = [] {
    const std::filesystem::path dir = std::filesystem::is_directory("/dev/shm")
                                          ? std::filesystem::path("/dev/shm")
                                          : std::filesystem::temp_directory_path();
    ImportStorePath() = dir / ("mentorlog_fuzz_import_" + std::to_string(getpid()) + ".db");
    ImportRemoveStore();
    std::atexit(ImportRemoveStore);
    core::StoreOptions options;
    options.path = ImportStorePath();
    auto opened = core::Store::Open(options);
    FuzzCheck(opened.ok(), "cannot open the import store");
    for (auto [kind, csv] :
         {std::pair{core::RecordKind::kSchool, kImportSchools}, std::pair{core::RecordKind::kPerson, kImportPeople}}) {
      auto report = core::ImportCsv((*opened)->records(), kind, csv, "seed.csv", core::BadRowPolicy::kRejectFile);
      FuzzCheck(report.ok() && report->committed, "cannot fill the import store");
    }
    return std::move(*opened);
  }();
  return *store;
}

void ImportCheckReport(const core::ImportReport& report) {
  FuzzCheck(report.inserted >= 0 && report.updated >= 0 && report.unchanged >= 0 && report.bad_rows >= 0,
            "an import report counts below zero");
  if (!report.committed) {
    FuzzCheck(report.inserted == 0 && report.updated == 0 && report.unchanged == 0,
              "an import that wrote nothing counts written rows");
  }
  FuzzCheck(static_cast<int64_t>(report.problems.size()) >= report.bad_rows, "a bad row without a problem");
  for (const auto& problem : report.problems) {
    FuzzCheck(!problem.reason.ru.empty() && !problem.reason.en.empty(), "a problem without a reason in both languages");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const mentorlog::fuzz::FuzzChoice choice = FuzzSplit(data, size);
  const uint8_t selector = choice.selector;
  const std::string_view csv = choice.rest;
  const core::RecordKind kind = kImportKinds[selector % 5];
  const core::BadRowPolicy policy =
      (selector & 8) != 0 ? core::BadRowPolicy::kSkipBad : core::BadRowPolicy::kRejectFile;
  core::Store& store = ImportStore();
  const mentorlog::Status rolled_back = store.records().InTransaction([&]() -> mentorlog::Status {
    auto first = core::ImportCsv(store.records(), kind, csv, "fuzz.csv", policy);
    if (!first.ok()) return mentorlog::Status::Internal("roll back");
    ImportCheckReport(*first);
    if (!first->committed) return mentorlog::Status::Internal("roll back");
    auto second = core::ImportCsv(store.records(), kind, csv, "fuzz.csv", policy);
    FuzzCheck(second.ok(), "the same file, imported again, fails");
    ImportCheckReport(*second);
    FuzzCheck(second->committed, "the same file, imported again, is refused");
    FuzzCheck(second->inserted == 0 && second->updated == 0, "the same file, imported again, writes rows");
    return mentorlog::Status::Internal("roll back");
  });
  FuzzCheck(!rolled_back.ok(), "the fuzz transaction committed");
  return 0;
}
