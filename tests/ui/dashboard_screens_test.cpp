// Headless tests of the dashboards: the District screen and the school's dashboard drawn by
// DrawApp from a hand-made AppView with known figures, the drill-down district -> school ->
// teacher through clicks, and the charts (charts.h) drawn in the harness: they make draw
// commands and show a bar's exact value when the mouse is over it.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mentorlog/ui/charts.h"
#include "mentorlog/ui/fonts.h"
#include "mentorlog/ui/screens.h"
#include "screens_fixture.h"
#include "ui_harness.h"

namespace mentorlog::ui {
namespace {

using testing::UiHarness;

constexpr char kLagging[] = "0195c000-0000-7000-8000-0000000000d1";
constexpr char kLeading[] = "0195c000-0000-7000-8000-0000000000d2";
constexpr char kIvanova[] = "0195c000-0000-7000-8000-0000000000e1";

std::shared_ptr<const DashboardView> KnownFigures() {
  auto d = std::make_shared<DashboardView>();
  d->district.as_of = "29.11.2026";
  d->district.previous_as_of = "30.06.2026";
  d->district.schools = 2;
  d->district.supported = 1;
  d->district.no_contact_days = 30;
  IndicatorRow partnership;
  partnership.code = "supported_in_partnership";
  partnership.label = "Supported schools in a network partnership";
  partnership.value = "0% (0 of 1)";
  partnership.target = "target ≥ 100%";
  partnership.change = "−100 pp since 30.06.2026";
  partnership.mark = Mark::kNotMet;
  partnership.share = 0;
  partnership.target_share = 1;
  IndicatorRow low;
  low.code = "low_results_share";
  low.label = "Low-results schools among all schools";
  low.value = "50% (1 of 2)";
  low.target = "target ≤ 7.1%";
  low.mark = Mark::kNotMet;
  low.share = 0.5f;
  low.target_share = 0.071f;
  d->district.indicators = {partnership, low};
  RankedSchoolRow lagging;
  lagging.school_id = kLagging;
  lagging.name = "МБОУ «Школа № 3»";
  lagging.index = "0.00 · low (2026)";
  lagging.contact = "41 days ago";
  lagging.days_since_contact = 41;
  lagging.without_contact = true;
  lagging.overdue = 2;
  lagging.risks = 3;
  lagging.why = {"ИОР in the low quartile", "2 overdue recommendations"};
  RankedSchoolRow leading = lagging;
  leading.school_id = kLeading;
  leading.name = "МБОУ «Гимназия № 1»";
  leading.index = "1.00 · high (2026)";
  leading.contact = "today";
  leading.days_since_contact = 0;
  leading.overdue = 0;
  leading.risks = 0;
  leading.why = {};
  d->district.ranking = {lagging, leading};
  d->district.no_contact = {lagging};
  d->district.workload = {{"p1", "Андреев Н. М.", "mentor", 2, 5, 3, 4, 1}};
  d->district.round_rows = {"Школ", "ШНОР", "ШНОР и ШНСУ"};
  d->district.rounds = {{"Входной мониторинг", "01.09.2026 – 30.09.2026", {"2", "1", "1"}},
                        {"Промежуточный мониторинг", "10.01.2027 – 31.01.2027", {"2", "0", "1"}}};
  d->district.low_results_share = {50, 0, 0};
  d->district.low_results_labels = {"Входной мониторинг", "Промежуточный мониторинг", "сейчас (29.11.2026)"};

  SchoolDashboardView s;
  s.school_id = kLagging;
  s.name = lagging.name;
  s.last_contact = "41 days ago (19.10.2026)";
  s.teachers_observed = "1 of 2 this school year (50%)";
  s.contacts = {0, 1, 3, 2};
  s.contact_months = {"Aug 26", "Sep 26", "Oct 26", "Nov 26"};
  s.contact_details = {"0 visits", "1 visit", "2 visits, 1 observation", "2 consultations"};
  s.rubric_means = {1.25f, 1.75f};
  s.rubric_terms = {"2025/26 T1", "2026/27 T1"};
  s.criteria = {{"goals", "Lesson goals", "1.00 (2025/26 T1)", "2.00 (2026/27 T1)", 1, 2}};
  s.recommendations = {{"Open", "3"}, {"Overdue", "2"}};
  s.results = {{"2026", "ОГЭ", "математика", "40", "3.1", "20%", "5%"}};
  s.result_index = {0.2f, 0.0f};
  s.result_index_years = {"2025 · below average", "2026 · low"};
  s.result_index_latest = lagging.index;
  s.wellbeing = "0.35";
  s.risks = {{"Teacher shortage", "teacher_vacancies = 3 > 0"}};
  s.milestones = {{"Transition programme", "adopted"}};
  TeacherProgressRow ivanova;
  ivanova.teacher_id = kIvanova;
  ivanova.name = "Иванова А. П.";
  ivanova.observations = 2;
  ivanova.first = "1.00 (12.09.2025)";
  ivanova.latest = "2.00 (14.11.2026)";
  ivanova.first_mean = 1;
  ivanova.latest_mean = 2;
  ivanova.criteria = s.criteria;
  s.teachers = {ivanova};
  d->schools = {s};
  return d;
}

class DashboardScreensTest : public testing::ScreensFixture {
 protected:
  AppView InitialView() override {
    AppView v;
    v.version = 1;
    v.dashboard = KnownFigures();
    return v;
  }
};

TEST_F(DashboardScreensTest, TheDistrictShowsIndicatorsRankingNoContactAndWorkload) {
  ASSERT_TRUE(ui_.Click("nav.district"));
  ASSERT_EQ(state_.screen, Screen::kDistrict);
  EXPECT_TRUE(ui_.Visible("district.indicator/supported_in_partnership"));
  EXPECT_TRUE(ui_.Visible("district.indicator/low_results_share"));
  EXPECT_TRUE(ui_.Visible("district.indicator_bar/low_results_share"));
  EXPECT_TRUE(ui_.Visible(std::string("district.school/") + kLagging));
  EXPECT_TRUE(ui_.Visible(std::string("district.school/") + kLeading));
  EXPECT_TRUE(ui_.Visible(std::string("district.no_contact/") + kLagging));
  EXPECT_FALSE(ui_.Visible(std::string("district.no_contact/") + kLeading));
  // Lagging first, as the core ranked them.
  EXPECT_LT(FindProbe(std::string("district.school/") + kLagging)->min.y,
            FindProbe(std::string("district.school/") + kLeading)->min.y);
  EXPECT_FALSE(ui_.Visible("district.calculating"));
  EXPECT_FALSE(ui_.Visible("district.updating"));
}

TEST_F(DashboardScreensTest, ClosedRoundsStandSideBySideUnderTheirShareChart) {
  ASSERT_TRUE(ui_.Click("nav.district"));
  ASSERT_TRUE(ui_.Visible("district.round/1/2"));
  EXPECT_TRUE(ui_.Visible("district.round/0/1"));
  // Round 1's column is right of round 0's, row 2 below row 1.
  EXPECT_LT(FindProbe("district.round/0/1")->min.x, FindProbe("district.round/1/1")->min.x);
  EXPECT_LT(FindProbe("district.round/1/1")->min.y, FindProbe("district.round/1/2")->min.y);
  ASSERT_TRUE(FindProbe("district.rounds_share").has_value());
  EXPECT_TRUE(FindProbe("district.rounds_share/2").has_value()) << "a bar for now after the rounds";
}

TEST_F(DashboardScreensTest, ClickingARankedSchoolOpensItsDashboardAndATeacherOpensTheirPage) {
  ASSERT_TRUE(ui_.Click("nav.district"));
  ASSERT_TRUE(ui_.Click(std::string("district.school/") + kLagging));
  ASSERT_EQ(state_.screen, Screen::kSchool);
  EXPECT_TRUE(state_.school_dashboard);
  EXPECT_EQ(state_.school_id, kLagging);
  const auto opens = Sent<OpenSchool>();
  ASSERT_EQ(opens.size(), 1u);
  EXPECT_EQ(opens[0].school_id, kLagging);

  // The dashboard draws from the figures at once, before the school's log has arrived.
  EXPECT_TRUE(ui_.Visible("dashboard.contacts"));
  EXPECT_TRUE(ui_.Visible("dashboard.contacts/3"));  // a bar per month
  EXPECT_TRUE(ui_.Visible("dashboard.rubric"));
  EXPECT_TRUE(ui_.Visible("dashboard.index"));
  ui_.Frames(2);  // a table's columns settle in the frames after it first shows
  ASSERT_TRUE(ui_.Click(std::string("dashboard.teacher/") + kIvanova));
  ASSERT_EQ(state_.screen, Screen::kTeacher);
  EXPECT_EQ(state_.teacher_id, kIvanova);
  const auto teachers = Sent<OpenTeacher>();
  ASSERT_EQ(teachers.size(), 1u);
  EXPECT_EQ(teachers[0].teacher_id, kIvanova);
  view_.teacher.Edit().id = kIvanova;
  view_.teacher.Edit().name = "Иванова А. П.";
  ui_.Frames(2);
  EXPECT_TRUE(ui_.Visible("teacher.progress"));  // the criteria first vs latest

  // Back to the school, then its log and its dashboard again through the tabs.
  ASSERT_TRUE(ui_.Click("nav.back"));
  ASSERT_EQ(state_.screen, Screen::kSchool);
  ASSERT_TRUE(ui_.Click("school.tab.log"));
  EXPECT_FALSE(state_.school_dashboard);
  EXPECT_FALSE(ui_.Visible("dashboard.contacts"));
  ASSERT_TRUE(ui_.Click("school.tab.dashboard"));
  EXPECT_TRUE(ui_.Visible("dashboard.contacts"));
}

TEST_F(DashboardScreensTest, TheReportButtonsAskForTheDistrictWorkbookAndTheSchoolsReports) {
  ASSERT_TRUE(ui_.Click("nav.district"));
  ASSERT_TRUE(ui_.Click("district.report_xlsx"));
  auto reports = Sent<MakeReport>();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].kind, ReportKind::kDistrictXlsx);
  ASSERT_TRUE(ui_.Click(std::string("district.school/") + kLagging));
  ASSERT_TRUE(ui_.Click("school.report_pdf"));
  ASSERT_TRUE(ui_.Click("school.report_xlsx"));
  reports = Sent<MakeReport>();
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_EQ(reports[1].kind, ReportKind::kSchoolPdf);
  EXPECT_EQ(reports[1].id, kLagging);
  EXPECT_EQ(reports[2].kind, ReportKind::kSchoolXlsx);
  EXPECT_FALSE(reports[2].save_first.has_value());
}

TEST_F(DashboardScreensTest, TodayOpensASchoolOnItsLogEvenAfterItsDashboardWasShown) {
  SchoolCard card;
  card.id = kLagging;
  card.name = "МБОУ «Школа № 3»";
  view_.today.Edit().schools = {card};
  ASSERT_TRUE(ui_.Click("nav.district"));
  ASSERT_TRUE(ui_.Click(std::string("district.school/") + kLagging));
  ASSERT_TRUE(state_.school_dashboard);
  ASSERT_TRUE(ui_.Click("nav.today"));
  ASSERT_TRUE(ui_.Click(std::string("today.open_school/") + kLagging));
  EXPECT_EQ(state_.screen, Screen::kSchool);
  EXPECT_FALSE(state_.school_dashboard);
  EXPECT_FALSE(ui_.Visible("dashboard.contacts"));
}

TEST_F(DashboardScreensTest, UntilTheFiguresAreComputedTheScreenSaysSoAndThenShowsTheLastOnes) {
  view_.dashboard.reset();
  ASSERT_TRUE(ui_.Click("nav.district"));
  EXPECT_TRUE(ui_.Visible("district.calculating"));
  EXPECT_FALSE(ui_.Visible(std::string("district.school/") + kLagging));

  view_.dashboard = KnownFigures();
  view_.dashboard_computing = true;  // a newer computation after a save: the last figures stay
  ui_.Frames(2);
  EXPECT_TRUE(ui_.Visible("district.updating"));
  EXPECT_TRUE(ui_.Visible(std::string("district.school/") + kLagging));
}

TEST_F(DashboardScreensTest, OnAPhoneTheDistrictIsOneColumnAndTheNavigationFits) {
  ImGui::GetIO().DisplaySize = ImVec2(390, 4000);
  ui_.Frames(2);
  ASSERT_TRUE(ui_.Click("nav.district"));
  for (const char* id : {"nav.today", "nav.district", "nav.recommendations", "nav.settings"}) {
    auto r = FindProbe(id);
    ASSERT_TRUE(r) << id;
    EXPECT_LE(r->max.x, 390.0f) << id;
    EXPECT_GE(r->max.x - r->min.x, 150.0f) << id;  // two large buttons a row
    EXPECT_GE(r->max.y - r->min.y, 40.0f) << id;
  }
  auto school = FindProbe(std::string("district.school/") + kLagging);
  ASSERT_TRUE(school);
  EXPECT_LE(school->max.x, 390.0f);
  ASSERT_TRUE(ui_.Click(std::string("district.school/") + kLagging));
  EXPECT_TRUE(ui_.Visible("dashboard.contacts"));
  EXPECT_LE(FindProbe("dashboard.contacts")->max.x, 390.0f);
}

// ---- Charts ----------------------------------------------------------------------------

// The vertices drawn by `draw` inside one window, less those of the same window empty.
int ChartVertices(UiHarness& ui, const std::function<void()>& draw) {
  auto frame = [&](bool with_chart) {
    ui.SetDraw([&] {
      ImGui::SetNextWindowPos(ImVec2(0, 0));
      ImGui::SetNextWindowSize(ImVec2(600, 400));
      ImGui::Begin("charts", nullptr, ImGuiWindowFlags_NoDecoration);
      if (with_chart) draw();
      ImGui::End();
    });
    ui.Frames(2);
    return ImGui::GetDrawData()->TotalVtxCount;
  };
  const int empty = frame(false);
  return frame(true) - empty;
}

const std::vector<float> kMonths = {0, 2, 5, 1};
const std::vector<std::string> kMonthLabels = {"Aug", "Sep", "Oct", "Nov"};

TEST(ChartsTest, EachChartMakesDrawCommands) {
  UiHarness ui(800, 600);
  EXPECT_GT(ChartVertices(ui, [] { BarChart("bars", kMonths, kMonthLabels, ImVec2(0, 0)); }), 0);
  EXPECT_GT(ChartVertices(ui, [] { LineChart("line", kMonths, kMonthLabels, ImVec2(0, 0)); }), 0);
  EXPECT_GT(ChartVertices(ui, [] { Sparkline("spark", kMonths, kMonthLabels, ImVec2(0, 0)); }), 0);
  EXPECT_GT(ChartVertices(ui, [] { ShareBar("share", 0.4f, 0.5f, ImVec2(0, 0), IM_COL32(255, 0, 0, 255)); }), 0);
  // No values: the frame only, and nothing breaks.
  EXPECT_GE(ChartVertices(ui, [] { BarChart("none", {}, {}, ImVec2(0, 0)); }), 0);
}

TEST(ChartsTest, HoveringABarShowsItsExactValue) {
  UiHarness ui(800, 600);
  ui.SetDraw([] {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(600, 400));
    ImGui::Begin("charts", nullptr, ImGuiWindowFlags_NoDecoration);
    ChartOptions options;
    options.value_format = "%.0f contacts";
    BarChart("bars", kMonths, kMonthLabels, ImVec2(0, ChartHeight(8)), options);
    ImGui::End();
  });
  ui.Frames(2);
  EXPECT_TRUE(ChartTooltipShown().empty());
  auto bar = FindProbe("bars/2");
  ASSERT_TRUE(bar);
  ImGui::GetIO().MousePos = bar->Center();
  ui.Frames(2);
  EXPECT_EQ(ChartTooltipShown(), "Oct: 5 contacts");
  ImGui::GetIO().MousePos = FindProbe("bars/0")->Center();
  ui.Frames(2);
  EXPECT_EQ(ChartTooltipShown(), "Aug: 0 contacts");  // a zero has its bar too
  ImGui::GetIO().MousePos = ImVec2(700, 500);         // off the chart
  ui.Frames(2);
  EXPECT_TRUE(ChartTooltipShown().empty());
}

TEST(ChartsTest, ALineShowsTheHoveredPointWithTheDecimalCommaInRussian) {
  UiHarness ui(800, 600);
  const std::vector<float> means = {1.25f, 1.5f};
  const std::vector<std::string> terms = {"2025/26, 1 четв.", "2026/27, 1 четв."};
  ui.SetDraw([&] {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(600, 400));
    ImGui::Begin("charts", nullptr, ImGuiWindowFlags_NoDecoration);
    ChartOptions options;
    options.value_format = "%.2f";
    options.max = 3;
    options.decimal_comma = true;
    LineChart("line", means, terms, ImVec2(0, ChartHeight(8)), options);
    ImGui::End();
  });
  ui.Frames(2);
  auto point = FindProbe("line/1");
  ASSERT_TRUE(point);
  ImGui::GetIO().MousePos = point->Center();
  ui.Frames(2);
  EXPECT_EQ(ChartTooltipShown(), "2026/27, 1 четв.: 1,50");
  ImGui::GetIO().MousePos = ImVec2(700, 500);
  ui.Frames(2);
  EXPECT_TRUE(ChartTooltipShown().empty());
}

TEST(ChartsTest, ChartsGrowWithTheFont) {
  UiHarness ui(800, 600);
  float small = 0;
  float large = 0;
  ui.SetDraw([&] {
    ImGui::Begin("charts");
    small = ChartHeight(8);
    ImGui::End();
  });
  ui.Frames(1);
  ASSERT_TRUE(LoadFonts(MENTORLOG_ASSETS_DIR, FontPixels(2.0f, 1.0f)).ok());
  ui.SetDraw([&] {
    ImGui::Begin("charts");
    large = ChartHeight(8);
    ImGui::End();
  });
  ui.Frames(1);
  EXPECT_NEAR(large / small, 2.0f, 0.2f);
}

}  // namespace
}  // namespace mentorlog::ui
