// The district view as tables and as a workbook read back by LibreOffice; on a hand-made view
// (exact figures) and on the demo district through a real dashboard.
#include "mentorlog/report/district.h"

#include <gtest/gtest.h>

#include "mentorlog/domain/demo.h"
#include "mentorlog/report/output.h"
#include "mentorlog/report/xlsx.h"
#include "report_test_support.h"
#include "test_fixtures.h"

namespace mentorlog::report {
namespace {

using core::testing::Must;
using namespace mentorlog::report::testing;  // NOLINT(google-build-using-namespace)

core::DistrictView HandMadeView() {
  core::DistrictView v;
  v.as_of = Must(core::Date::FromYmd(2026, 11, 20));
  v.previous_as_of = Must(core::Date::FromYmd(2026, 6, 30));
  v.results_year = 2026;
  v.schools = 14;
  v.supported = 5;
  core::IndicatorValue partnership;
  partnership.indicator = core::ProgrammeIndicator::kSupportedInPartnership;
  partnership.numerator = 3;
  partnership.denominator = 4;
  partnership.value = 0.75;
  partnership.previous = 0.5;
  partnership.target = core::Target{1.0, false};
  partnership.met = false;
  v.indicators.push_back(partnership);
  core::IndicatorValue low;
  low.indicator = core::ProgrammeIndicator::kLowResultsShare;
  low.numerator = 1;
  low.denominator = 16;
  low.value = 0.0625;
  low.target = core::Target{0.071, true};
  low.met = true;
  v.indicators.push_back(low);
  core::RankedSchool lagging;
  lagging.name = "МБОУ «Озёрная ООШ»";
  lagging.result_index = core::IndexPoint{2026, 0.125, core::Quartile::kLow};
  lagging.days_since_contact = 45;
  lagging.overdue = 2;
  lagging.risks = 3;
  lagging.why = {{"низкий ИОР", "low ИОР"}, {"нет контакта 45 дней", "no contact for 45 days"}};
  v.ranking.push_back(lagging);
  v.no_contact.push_back(lagging);
  core::RankedSchool never;
  never.name = "МБОУ «Лесная СОШ»";
  v.no_contact.push_back(never);
  core::Workload w;
  w.name = "Петров Сергей Иванович";
  w.mentor = true;
  w.schools = 2;
  w.visits = 7;
  w.observations = 11;
  w.consultations = 3;
  w.open_recommendations = 4;
  v.workload.push_back(w);
  core::RoundView entry;
  entry.name = "Входной мониторинг";
  entry.starts_on = Must(core::Date::FromYmd(2026, 9, 1));
  entry.ends_on = Must(core::Date::FromYmd(2026, 9, 30));
  entry.closed_on = Must(core::Date::FromYmd(2026, 10, 1));
  entry.schools = 14;
  entry.low_results = 3;
  entry.supported = 5;
  for (core::ProgrammeIndicator which : core::kAllProgrammeIndicators) {
    core::IndicatorValue iv;
    iv.indicator = which;
    if (which == core::ProgrammeIndicator::kLowResultsShare) {
      iv.numerator = 3;
      iv.denominator = 14;
      iv.value = 3.0 / 14.0;
    }
    entry.indicators.push_back(iv);
  }
  v.rounds.push_back(entry);
  core::RoundView interim;  // open: not a column
  interim.name = "Промежуточный мониторинг";
  v.rounds.push_back(interim);
  return v;
}

TEST(DistrictReportTest, TablesKeepTheFiguresAndTheirTypes) {
  const auto tables = DistrictTables(HandMadeView(), Language::kRussian);
  ASSERT_EQ(tables.size(), 6u);
  EXPECT_EQ(tables[0].name, "indicators");
  EXPECT_EQ(tables[0].title, "Показатели");
  EXPECT_EQ(tables[1].name, "ranking");
  EXPECT_EQ(tables[2].name, "no_contact");
  EXPECT_EQ(tables[3].name, "rounds");
  EXPECT_EQ(tables[4].name, "workload");
  EXPECT_EQ(tables[5].name, "summary");
  for (const auto& t : tables) {
    for (const auto& row : t.rows) ASSERT_EQ(row.size(), t.columns.size()) << t.name;
  }
  const auto& partnership = tables[0].rows[0];
  EXPECT_EQ(std::get<Percent>(partnership[1]), Percent{0.75});
  EXPECT_EQ(std::get<Percent>(partnership[2]), Percent{1.0});
  EXPECT_EQ(std::get<std::string>(partnership[3]), "не менее");
  EXPECT_EQ(std::get<bool>(partnership[4]), false);
  EXPECT_EQ(std::get<Percent>(partnership[5]), Percent{0.5});
  EXPECT_EQ(std::get<std::string>(tables[0].rows[1][3]), "не более");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(tables[0].rows[1][5])) << "no previous value: blank";

  const auto& ranked = tables[1].rows[0];
  EXPECT_DOUBLE_EQ(std::get<double>(ranked[1]), 0.125);
  EXPECT_EQ(std::get<int64_t>(ranked[3]), 45);
  EXPECT_EQ(std::get<std::string>(ranked[6]), "низкий ИОР; нет контакта 45 дней");

  EXPECT_EQ(std::get<core::Date>(tables[2].rows[0][2]), Must(core::Date::FromYmd(2026, 10, 6)));
  EXPECT_EQ(std::get<std::string>(tables[2].rows[1][2]), "не было");
  EXPECT_EQ(std::get<std::string>(tables[4].rows[0][1]), "наставник");

  // The closed round is a column; the open one is not.
  const Table& rounds = tables[3];
  ASSERT_EQ(rounds.columns.size(), 2u);
  EXPECT_EQ(rounds.columns[1].title, "Входной мониторинг (2026-09-30)");
  ASSERT_EQ(rounds.rows.size(), 3 + std::size(core::kAllProgrammeIndicators));
  EXPECT_EQ(std::get<int64_t>(rounds.rows[0][1]), 14);
  EXPECT_EQ(std::get<int64_t>(rounds.rows[1][1]), 3);
  EXPECT_EQ(std::get<int64_t>(rounds.rows[2][1]), 5);
  const size_t low = 3 + static_cast<size_t>(core::ProgrammeIndicator::kLowResultsShare);
  EXPECT_EQ(std::get<std::string>(rounds.rows[low][0]), "Доля ШНОР среди всех школ");
  EXPECT_EQ(std::get<Percent>(rounds.rows[low][1]), Percent{3.0 / 14.0});
  EXPECT_TRUE(std::holds_alternative<std::monostate>(rounds.rows[3][1])) << "no value: blank";
}

TEST(DistrictReportTest, WorkbookOpensInLibreOfficeWithPercentsAndDates) {
  if (!HaveTool("soffice")) GTEST_SKIP() << "LibreOffice (soffice) is not installed: run scripts/setup";
  core::testing::TempDir dir;
  const auto xlsx = dir.path() / "district.xlsx";
  Must(WriteXlsx(DistrictTables(HandMadeView(), Language::kEnglish), xlsx, Language::kEnglish));
  const auto csvs = XlsxToCsv(xlsx, dir.path());
  ASSERT_EQ(csvs.size(), 6u);
  std::string all;
  for (const auto& csv : csvs) all += ReadAll(csv) + "\n";
  EXPECT_NE(all.find("75.0%"), std::string::npos) << all;   // the share as a percent
  EXPECT_NE(all.find("100.0%"), std::string::npos) << all;  // the target
  EXPECT_NE(all.find("7.1%"), std::string::npos) << all;
  EXPECT_NE(all.find("2026-10-06"), std::string::npos) << all;  // a date, formatted as one
  EXPECT_NE(all.find("МБОУ «Озёрная ООШ»"), std::string::npos) << all;
  EXPECT_NE(all.find("Петров Сергей Иванович"), std::string::npos) << all;
  // Sheet names as the user sees them.
  std::string names;
  for (const auto& csv : csvs) names += csv.filename().string() + " ";
  EXPECT_NE(names.find("Indicators"), std::string::npos) << names;
  EXPECT_NE(names.find("Ranking"), std::string::npos) << names;
  EXPECT_NE(names.find("No contact"), std::string::npos) << names;
  EXPECT_NE(names.find("Workload"), std::string::npos) << names;
  EXPECT_NE(names.find("Monitoring rounds"), std::string::npos) << names;
  EXPECT_NE(all.find("21.4%"), std::string::npos) << all;  // 3 of 14 at the entry round
}

TEST(DistrictReportTest, DemoDistrictThroughARealDashboard) {
  core::testing::TempDir dir;
  const auto demo = MakeDemoStore(dir.path());
  core::Store* store = demo->store.get();
  const core::DemoSummary& summary = demo->summary;
  auto dashboard = Must(BuildDashboard(store->records(), MENTORLOG_ASSETS_DIR, store->records().Today()));
  const auto tables = DistrictTables(dashboard->district(), Language::kRussian);
  EXPECT_EQ(tables[0].rows.size(), std::size(core::kAllProgrammeIndicators));
  EXPECT_EQ(static_cast<int64_t>(tables[1].rows.size()), summary.schools) << "every school is ranked";
  ASSERT_EQ(tables[3].name, "rounds") << "the demo's rounds: last year's final and, from October, this year's entry";
  EXPECT_GE(tables[3].columns.size(), 2u);
  EXPECT_EQ(tables[4].name, "workload");
  EXPECT_EQ(static_cast<int64_t>(tables[4].rows.size()), summary.mentors + summary.tutors);
  const auto out = dir.path() / "csv";
  Must(WriteCsvFolder(tables, out, Language::kRussian));
  EXPECT_TRUE(std::filesystem::is_regular_file(out / "indicators.csv"));
  EXPECT_TRUE(std::filesystem::is_regular_file(out / "workload.csv"));
}

TEST(DistrictReportTest, MissingConfigurationIsNotFound) {
  core::testing::TempDir dir;
  core::StoreOptions options;
  options.path = dir.path() / "s.sqlite";
  auto store = Must(core::Store::Open(options));
  auto dashboard = BuildDashboard(store->records(), dir.path() / "no-assets", store->records().Today());
  ASSERT_FALSE(dashboard.ok());
  EXPECT_EQ(dashboard.status().code(), StatusCode::kNotFound) << dashboard.status().message();
}

}  // namespace
}  // namespace mentorlog::report
