// The one-page school progress report: hand-made figures (including far too many to fit) and
// the demo district's, rendered and read back by poppler.
#include "mentorlog/report/school_progress.h"

#include <gtest/gtest.h>

#include "mentorlog/domain/demo.h"
#include "mentorlog/report/district.h"
#include "report_test_support.h"
#include "test_fixtures.h"

namespace mentorlog::report {
namespace {

using core::testing::Must;
using namespace mentorlog::report::testing;  // NOLINT(google-build-using-namespace)

core::SchoolProgress HandMadeProgress() {
  core::SchoolProgress p;
  p.name = "МБОУ «Берёзовская средняя общеобразовательная школа № 2»";
  p.district = "Заречный муниципальный район";
  p.supported = true;
  p.low_results = true;
  for (int i = 0; i < 12; ++i) {
    core::MonthContacts m;
    m.year = i < 2 ? 2025 : 2026;
    m.month = (10 + i) % 12 + 1;
    m.visits = i % 3;
    m.observations = (i * 7) % 5;
    m.consultations = i % 2;
    p.contacts_by_month.push_back(m);
  }
  p.last_contact = Must(core::Date::FromYmd(2026, 11, 2));
  p.days_since_contact = 18;
  p.teachers = 27;
  p.teachers_observed_this_year = 9;
  p.share_teachers_observed = 9.0 / 27;
  p.recommendations.open = 6;
  p.recommendations.overdue = 2;
  p.recommendations.done = 14;
  p.recommendations.dropped = 1;
  p.recommendations.completion_rate = 0.7;
  p.recommendations.median_days_to_close = 23;
  p.result_index = {{2024, 0.31, core::Quartile::kBelowAverage},
                    {2025, 0.18, core::Quartile::kLow},
                    {2026, 0.22, core::Quartile::kLow}};
  p.wellbeing = 0.41;
  p.risks.push_back(
      {"teacher_shortage", {"Дефицит педагогических кадров", "Teacher shortage"}, "teacher_vacancies = 3 > 0"});
  p.risks.push_back({"pupils_at_risk",
                     {"Высокая доля обучающихся с рисками учебной неуспешности", "Pupils at risk"},
                     "share_below_min = 0.31 > 0.25"});
  p.milestones.transition_programme = core::TransitionProgramme::kAdopted;
  p.milestones.transition_programme_adopted_on = Must(core::Date::FromYmd(2026, 3, 15));
  p.milestones.network_agreement_id = core::Uuid::MakeV7(0);
  p.milestones.network_agreement_number = "17-СВ";
  p.milestones.network_agreement_signed_on = Must(core::Date::FromYmd(2026, 2, 1));
  return p;
}

class SchoolProgressTest : public ::testing::Test {
 protected:
  void SetUp() override { fonts_ = Must(FindPdfFonts(MENTORLOG_ASSETS_DIR)); }

  std::filesystem::path Render(const core::SchoolProgress& p, Language language, const std::string& name) {
    const auto path = dir_.path() / name;
    std::ofstream(path, std::ios::binary) << Must(RenderSchoolProgressPdf(p, as_of_, fonts_, language));
    return path;
  }

  void ExpectOneDrawnPage(const std::filesystem::path& pdf, const std::string& stem) {
    EXPECT_EQ(PdfPages(pdf), 1);
    const auto pngs = RenderPages(pdf, dir_.path(), stem);
    ASSERT_EQ(pngs.size(), 1u);
    const PngStats png = ReadPng(pngs[0]);
    ASSERT_TRUE(png.decoded) << pngs[0];
    EXPECT_GT(png.dark_pixels, 3000) << "the page looks blank";
  }

  core::testing::TempDir dir_;
  PdfFonts fonts_;
  core::Date as_of_ = Must(core::Date::FromYmd(2026, 11, 20));
};

TEST_F(SchoolProgressTest, RussianReportIsOnePageWithTheFigures) {
  const auto pdf = Render(HandMadeProgress(), Language::kRussian, "progress-ru.pdf");
  ExpectOneDrawnPage(pdf, "ru");
  const std::string text = PdfText(pdf);
  EXPECT_NE(text.find("Берёзовская"), std::string::npos) << text;
  EXPECT_NE(text.find("Контакты по месяцам"), std::string::npos) << text;
  EXPECT_NE(text.find("33%"), std::string::npos) << text;  // 9 of 27 teachers observed
  EXPECT_NE(text.find("70%"), std::string::npos) << text;  // completion rate
  EXPECT_NE(text.find("Дефицит педагогических кадров"), std::string::npos) << text;
  EXPECT_NE(text.find("№ 17-СВ"), std::string::npos) << text;
  EXPECT_NE(text.find("ИОР по годам"), std::string::npos) << text;
  EXPECT_NE(text.find("низкий"), std::string::npos) << text;  // the quartile's label
}

TEST_F(SchoolProgressTest, EnglishReportIsOnePage) {
  const auto pdf = Render(HandMadeProgress(), Language::kEnglish, "progress-en.pdf");
  ExpectOneDrawnPage(pdf, "en");
  const std::string text = PdfText(pdf);
  EXPECT_NE(text.find("Contacts by month"), std::string::npos) << text;
  EXPECT_NE(text.find("Teacher shortage"), std::string::npos) << text;
}

TEST_F(SchoolProgressTest, FarTooMuchStillFitsOnOnePage) {
  core::SchoolProgress p = HandMadeProgress();
  p.name = std::string(20, 'X') + " " + p.name + " " + p.name + " " + p.name;
  for (int i = 0; i < 80; ++i) {
    p.risks.push_back({"r" + std::to_string(i),
                       {"Фактор риска " + std::to_string(i), "Risk " + std::to_string(i)},
                       std::string(300, 'e')});
  }
  for (int64_t year = 2000; year < 2024; ++year) p.result_index.insert(p.result_index.begin(), {year, 0.5});
  for (auto& m : p.contacts_by_month) m.visits = 1000;
  const auto pdf = Render(p, Language::kRussian, "progress-full.pdf");
  ExpectOneDrawnPage(pdf, "full");
  EXPECT_NE(PdfText(pdf).find("… и ещё"), std::string::npos);
}

TEST_F(SchoolProgressTest, EmptyProgressStillRenders) {
  core::SchoolProgress p;
  p.name = "Новая школа";
  const auto pdf = Render(p, Language::kRussian, "progress-empty.pdf");
  EXPECT_EQ(PdfPages(pdf), 1);
  const std::string text = PdfText(pdf);
  EXPECT_NE(text.find("Контактов не было"), std::string::npos) << text;
  EXPECT_NE(text.find("Факторов риска не выявлено"), std::string::npos) << text;
}

TEST_F(SchoolProgressTest, EveryDemoSchoolFitsOnOnePage) {
  const auto demo = MakeDemoStore(dir_.path());
  core::Store* store = demo->store.get();
  auto dashboard = Must(BuildDashboard(store->records(), MENTORLOG_ASSETS_DIR, store->records().Today()));
  int rendered = 0;
  for (const core::SchoolProgress* p : dashboard->schools()) {
    const auto pdf = Render(*p, Language::kRussian, "demo-" + std::to_string(rendered) + ".pdf");
    EXPECT_EQ(PdfPages(pdf), 1) << p->name;
    EXPECT_NE(PdfText(pdf).find(p->name.substr(0, p->name.find(' '))), std::string::npos) << p->name;
    ++rendered;
  }
  EXPECT_GE(rendered, 10);
}

}  // namespace
}  // namespace mentorlog::report
