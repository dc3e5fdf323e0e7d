// A teacher's route (ИОМ) as PDF: loaded from a real store, rendered, and read back by poppler
// (pdftotext for the Cyrillic text, pdfinfo for the pages, pdftoppm for pixels).
#include "mentorlog/report/teacher_route.h"

#include <gtest/gtest.h>

#include <cctype>

#include "mentorlog/report/make.h"
#include "mentorlog/report/output.h"
#include "report_test_support.h"
#include "test_fixtures.h"

namespace mentorlog::report {
namespace {

using core::testing::Must;
using namespace mentorlog::report::testing;  // NOLINT(google-build-using-namespace)

// `text` without any white space: a title wrapped inside a table cell reads back whole.
std::string RouteTestSquash(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  }
  return out;
}

// The PDF's text in the order it was drawn (pdftotext -raw): a table cell's lines come out
// together, where the default reading order interleaves the columns.
std::string RouteTestRawText(const std::filesystem::path& pdf) {
  const ToolRun run = RunTool("pdftotext -raw -enc UTF-8 " + Quote(pdf) + " - 2>/dev/null");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  return run.out;
}

class TeacherRouteTest : public core::testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    school_ = MakeSchool();
    teacher_ = MakeTeacher(school_.id, "Ёлкина Анна Сергеевна");
    core::Person tutor;
    tutor.full_name = "Соколова Вера Павловна";
    tutor.roles = {core::Role::kTeacher, core::Role::kTutor};
    tutor.school_id = school_.id;
    tutor.subjects = {"математика"};
    tutor_ = Must(store().records().Save(std::move(tutor)), "save tutor");
    core::Assignment a;
    a.kind = core::AssignmentKind::kTutorTeacher;
    a.assignee_id = tutor_.id;
    a.school_id = school_.id;
    a.teacher_id = teacher_.id;
    a.subject = "математика";
    a.starts_on = Today().AddDays(-200);
    Must(store().records().Save(std::move(a)), "save assignment");

    core::Deficit open;
    open.teacher_id = teacher_.id;
    open.area = "Формирующее оценивание: обратная связь по критериям";
    open.found_on = Today().AddDays(-150);
    open.found_by = core::DeficitSource::kObservation;
    open_deficit_ = Must(store().records().Save(std::move(open)), "save deficit");
    core::Deficit closed;
    closed.teacher_id = teacher_.id;
    closed.area = "Целеполагание и планирование урока";
    closed.found_on = Today().AddDays(-180);
    closed.found_by = core::DeficitSource::kDiagnostics;
    closed.closed_on = Today().AddDays(-30);
    closed.closed_by = "Курсы «Современный урок», 24 ч";
    closed_deficit_ = Must(store().records().Save(std::move(closed)), "save deficit");

    // Saved out of date order: the PDF lists them by start date.
    AddItem(open_deficit_.id, core::RouteActivity::kPeerVisits, "Посещение трёх уроков коллег из школы-лидера", -20, 40,
            core::RouteItemStatus::kInProgress);
    AddItem(closed_deficit_.id, core::RouteActivity::kCourse, "Курсы «Современный урок: целеполагание», 24 ч", -120,
            -90, core::RouteItemStatus::kDone);
    AddItem(open_deficit_.id, core::RouteActivity::kMentoring, "Занятия с тьютором по обратной связи", -100, -10,
            core::RouteItemStatus::kPlanned);  // overdue

    core::Training t;
    t.teacher_id = teacher_.id;
    t.provider = "ГАУ ДПО «Институт развития образования»";
    t.title = "Современный урок: целеполагание и планирование";
    t.hours = 24;
    t.starts_on = Today().AddDays(-100);
    t.ends_on = Today().AddDays(-92);
    t.certificate = "342600012345";
    Must(store().records().Save(std::move(t)), "save training");
    fonts_ = Must(FindPdfFonts(MENTORLOG_ASSETS_DIR), "FindPdfFonts");
  }

  core::Date Today() { return store().records().Today(); }

  void AddItem(const core::Uuid& deficit, core::RouteActivity activity, std::string title, int starts, int due,
               core::RouteItemStatus status) {
    core::RouteItem item;
    item.teacher_id = teacher_.id;
    item.deficit_id = deficit;
    item.activity = activity;
    item.title = std::move(title);
    item.starts_on = Today().AddDays(starts);
    item.due_on = Today().AddDays(due);
    item.status = status;
    if (status == core::RouteItemStatus::kDone) {
      item.done_on = item.due_on.AddDays(-2);
      item.result = "Удостоверение получено, приёмы применяются на уроках.";
    }
    titles_.push_back(item.title);
    Must(store().records().Save(std::move(item)), "save route item");
  }

  std::filesystem::path Render(const TeacherRoute& route, Language language, const std::string& name) {
    const std::string pdf = Must(RenderTeacherRoutePdf(route, fonts_, language), "RenderTeacherRoutePdf");
    EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
    const auto path = dir_.path() / name;
    std::ofstream(path, std::ios::binary) << pdf;
    return path;
  }

  core::School school_;
  core::Person teacher_;
  core::Person tutor_;
  core::Deficit open_deficit_;
  core::Deficit closed_deficit_;
  std::vector<std::string> titles_;
  PdfFonts fonts_;
};

TEST_F(TeacherRouteTest, LoadsTheRouteWithItsTutorSchoolDeficitsAndCourses) {
  const TeacherRoute route = Must(LoadTeacherRoute(store().records(), teacher_));
  EXPECT_EQ(route.teacher.full_name, "Ёлкина Анна Сергеевна");
  EXPECT_EQ(route.school_name, school_.name);
  EXPECT_EQ(route.tutor_name, "Соколова Вера Павловна");
  ASSERT_EQ(route.items.size(), 3u);
  EXPECT_EQ(route.items[0].activity, core::RouteActivity::kCourse);  // by start date
  EXPECT_EQ(route.items[1].activity, core::RouteActivity::kMentoring);
  EXPECT_EQ(route.items[2].activity, core::RouteActivity::kPeerVisits);
  ASSERT_EQ(route.deficits.size(), 2u);
  EXPECT_EQ(route.deficits[0].id, closed_deficit_.id);  // found first
  ASSERT_EQ(route.trainings.size(), 1u);
  EXPECT_EQ(route.as_of, Today());
}

TEST_F(TeacherRouteTest, PdfHoldsTheTeacherEveryItemAndTheRussianHeadings) {
  const TeacherRoute route = Must(LoadTeacherRoute(store().records(), teacher_));
  const auto pdf = Render(route, Language::kRussian, "route.pdf");
  const std::string text = RouteTestRawText(pdf);
  const std::string squashed = RouteTestSquash(text);
  for (const char* expected :
       {"Индивидуальный образовательный маршрут педагога", "Ёлкина Анна Сергеевна", "Соколова Вера Павловна",
        "Профессиональные дефициты", "Пункты маршрута", "Пройденные курсы повышения квалификации", "Форма",
        "Содержание", "Сроки", "Статус", "Результат", "Учитель", "Тьютор", "просрочено", "не устранён",
        "Курсы «Современный урок», 24 ч", "342600012345", "стр. 1 из 1"}) {
    EXPECT_NE(squashed.find(RouteTestSquash(expected)), std::string::npos) << expected << "\n" << text;
  }
  for (const std::string& title : titles_) {
    EXPECT_NE(squashed.find(RouteTestSquash(title)), std::string::npos) << title << "\n" << text;
  }
  EXPECT_EQ(PdfPages(pdf), 1);
  const auto pngs = RenderPages(pdf, dir_.path(), "route");
  ASSERT_EQ(pngs.size(), 1u);
  const PngStats png = ReadPng(pngs.front());
  ASSERT_TRUE(png.decoded);
  EXPECT_GT(png.dark_pixels, 2000) << "the page looks blank";
}

TEST_F(TeacherRouteTest, PdfInEnglish) {
  const TeacherRoute route = Must(LoadTeacherRoute(store().records(), teacher_));
  const std::string text = PdfText(Render(route, Language::kEnglish, "route-en.pdf"));
  for (const char* expected : {"individual educational route", "Route items", "Completed courses", "overdue",
                               "Ёлкина Анна Сергеевна", "page 1 of 1"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
}

TEST_F(TeacherRouteTest, ALongRouteContinuesOnNumberedPagesWithTheColumnTitlesAgain) {
  for (int i = 0; i < 45; ++i) {
    AddItem(open_deficit_.id, core::RouteActivity::kSelfStudy,
            "Самообразование: изучение методических материалов, часть " + std::to_string(i + 1), -60 + i, 30 + i,
            core::RouteItemStatus::kPlanned);
  }
  const TeacherRoute route = Must(LoadTeacherRoute(store().records(), teacher_));
  const auto pdf = Render(route, Language::kRussian, "long.pdf");
  const int pages = PdfPages(pdf);
  ASSERT_GE(pages, 2);
  const std::string text = RouteTestRawText(pdf);
  EXPECT_NE(text.find("стр. 2 из " + std::to_string(pages)), std::string::npos) << text;
  EXPECT_NE(RouteTestSquash(text).find(RouteTestSquash("часть 45")), std::string::npos);
  // The table's column titles open every page it runs onto.
  size_t titles = 0;
  for (size_t at = text.find("Содержание"); at != std::string::npos; at = text.find("Содержание", at + 1)) ++titles;
  EXPECT_GE(titles, static_cast<size_t>(pages) - 1);
  for (const auto& png : RenderPages(pdf, dir_.path(), "long")) {
    const PngStats stats = ReadPng(png);
    ASSERT_TRUE(stats.decoded) << png;
    EXPECT_GT(stats.dark_pixels, 500) << png << " looks blank";
  }
}

TEST_F(TeacherRouteTest, ATeacherWithoutARouteGetsAClearMessageAndNoFile) {
  const core::Person other = MakeTeacher(school_.id, "Белова Ольга Ивановна");
  const Result<TeacherRoute> route = LoadTeacherRoute(store().records(), other);
  ASSERT_FALSE(route.ok());
  EXPECT_EQ(route.status().code(), StatusCode::kNotFound);
  const std::string ru = route.status().message(Language::kRussian);
  EXPECT_NE(ru.find("Белова Ольга Ивановна"), std::string::npos) << ru;
  EXPECT_NE(ru.find("нет пунктов индивидуального образовательного маршрута"), std::string::npos) << ru;
  EXPECT_EQ(ru.find(other.id.ToString()), std::string::npos) << "no ids in messages: " << ru;
  const std::string en = route.status().message(Language::kEnglish);
  EXPECT_NE(en.find("has no items in an individual educational route"), std::string::npos) << en;

  const auto out = dir_.path() / "none.pdf";
  const Status made = MakeTeacherRoutePdf(store().records(), other, out, MENTORLOG_ASSETS_DIR, Language::kRussian);
  EXPECT_EQ(made.code(), StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_FALSE(std::filesystem::exists(TempPathFor(out)));
}

TEST_F(TeacherRouteTest, FindTeacherByIdOrCodeAndRefusesOthers) {
  EXPECT_EQ(Must(FindTeacher(store().records(), teacher_.id.ToString())).id, teacher_.id);
  core::Person coded = teacher_;
  coded.code = "T-17";
  Must(store().records().Save(std::move(coded)), "save code");
  EXPECT_EQ(Must(FindTeacher(store().records(), "T-17")).id, teacher_.id);

  const core::Person mentor = MakeMentor("Петров Сергей Иванович");
  const auto not_teacher = FindTeacher(store().records(), mentor.id.ToString());
  ASSERT_FALSE(not_teacher.ok());
  EXPECT_EQ(not_teacher.status().code(), StatusCode::kNotFound);
  EXPECT_NE(not_teacher.status().message(Language::kRussian).find("не учитель"), std::string::npos);

  const auto unknown = FindTeacher(store().records(), "no-such-code");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message(Language::kEnglish).find("list people"), std::string::npos);
}

}  // namespace
}  // namespace mentorlog::report
