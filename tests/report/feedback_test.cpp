// The feedback sheet: loaded from a real store, rendered to PDF, and read back by poppler
// (pdftoppm for pixels, pdftotext for the Cyrillic text, pdfinfo for the pages).
#include "mentorlog/report/feedback.h"

#include <gtest/gtest.h>

#include "report_test_support.h"
#include "test_fixtures.h"

namespace mentorlog::report {
namespace {

using core::testing::Must;
using namespace mentorlog::report::testing;  // NOLINT(google-build-using-namespace)

class FeedbackTest : public core::testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    InstallRubric();
    school_ = MakeSchool();
    teacher_ = MakeTeacher(school_.id, "Ёлкина Анна Сергеевна");
    mentor_ = MakeMentor("Петров Сергей Иванович");
    core::Observation o;
    o.school_id = school_.id;
    o.teacher_id = teacher_.id;
    o.observer_id = mentor_.id;
    o.subject = "математика";
    o.grade = 5;
    o.class_label = "5Б";
    o.date = core::Date::FromDays(20'400);
    o.topic = "Сложение дробей с разными знаменателями — урок № 2";
    o.rubric_code = std::string(core::testing::kRubricCode);
    o.rubric_version = 1;
    o.strengths = "Чёткая постановка цели; дети работали в парах.";
    o.growth_areas = "Проверка понимания по ходу урока.";
    o.next_steps = "Ввести «светофор» для самооценки к 15.12.";
    o.discussion_held = true;
    std::vector<core::ObservationScore> scores(3);
    scores[0].criterion_code = "aims_clear";
    scores[0].level = 3;
    scores[0].evidence = "Цель записана на доске, дети её повторили.";
    scores[1].criterion_code = "feedback";
    scores[1].level = 1;
    scores[2].criterion_code = "functional_literacy";  // not observed
    observation_ = Must(store().records().SaveObservation(o, scores), "SaveObservation");
    fonts_ = Must(FindPdfFonts(MENTORLOG_ASSETS_DIR), "FindPdfFonts");
  }

  std::filesystem::path WritePdf(const std::string& name, const std::string& bytes) {
    const auto path = dir_.path() / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  // Renders every page at 50 dpi: as many PNGs as pages, none blank, the first a full page.
  void ExpectDrawnPages(const std::filesystem::path& pdf, const std::string& stem) {
    const int pages = PdfPages(pdf);
    ASSERT_GE(pages, 1);
    EXPECT_LE(pages, 2) << "ten criteria and short texts fit on two pages";
    const auto pngs = RenderPages(pdf, dir_.path(), stem);
    ASSERT_EQ(static_cast<int>(pngs.size()), pages);
    for (size_t i = 0; i < pngs.size(); ++i) {
      const PngStats png = ReadPng(pngs[i]);
      ASSERT_TRUE(png.decoded) << pngs[i];
      EXPECT_GT(png.width, 300) << pngs[i];
      EXPECT_GT(png.dark_pixels, i == 0 ? 2000 : 100) << pngs[i] << " looks blank";
    }
  }

  core::School school_;
  core::Person teacher_;
  core::Person mentor_;
  core::Observation observation_;
  PdfFonts fonts_;
};

TEST_F(FeedbackTest, LoadsTheObservationWithNamesScoresAndRubric) {
  FeedbackSheet sheet = Must(LoadFeedbackSheet(store().records(), observation_.id));
  EXPECT_EQ(sheet.teacher_name, "Ёлкина Анна Сергеевна");
  EXPECT_EQ(sheet.observer_name, "Петров Сергей Иванович");
  EXPECT_EQ(sheet.school_name, school_.name);
  EXPECT_EQ(sheet.scores.size(), 3u);
  ASSERT_TRUE(sheet.rubric.has_value());
  EXPECT_EQ(sheet.rubric->code, core::testing::kRubricCode);
}

TEST_F(FeedbackTest, UnknownObservationIsNotFoundAndSaysHowToFindIds) {
  auto sheet = LoadFeedbackSheet(store().records(), mentor_.id);
  ASSERT_FALSE(sheet.ok());
  EXPECT_EQ(sheet.status().code(), StatusCode::kNotFound);
  EXPECT_NE(sheet.status().message().find("list observations"), std::string::npos) << sheet.status().message();
  EXPECT_NE(sheet.status().message(Language::kRussian).find("нет посещения урока"), std::string::npos)
      << sheet.status().message(Language::kRussian);
}

TEST_F(FeedbackTest, RussianSheetRendersWithCyrillicText) {
  FeedbackSheet sheet = Must(LoadFeedbackSheet(store().records(), observation_.id));
  const std::string bytes = Must(RenderFeedbackPdf(sheet, fonts_, Language::kRussian));
  ASSERT_EQ(bytes.rfind("%PDF-", 0), 0u);
  const auto pdf = WritePdf("feedback-ru.pdf", bytes);

  ExpectDrawnPages(pdf, "ru");

  const std::string text = PdfText(pdf);
  EXPECT_NE(text.find("Ёлкина Анна Сергеевна"), std::string::npos) << text;
  EXPECT_NE(text.find("Лист обратной связи"), std::string::npos) << text;
  EXPECT_NE(text.find("Цель урока понятна обучающимся"), std::string::npos) << text;
  EXPECT_NE(text.find("Проявляется устойчиво"), std::string::npos) << text;  // level 3's label
  EXPECT_NE(text.find("Не наблюдалось"), std::string::npos) << text;         // no level
  EXPECT_NE(text.find("урок № 2"), std::string::npos) << text;
  EXPECT_NE(text.find("—"), std::string::npos) << text;
  EXPECT_NE(text.find("«светофор»"), std::string::npos) << text;
  EXPECT_NE(text.find("Цель записана на доске"), std::string::npos) << text;
  EXPECT_NE(text.find("состоялся"), std::string::npos) << text;
  EXPECT_NE(text.find("стр. 1 из "), std::string::npos) << text;
}

TEST_F(FeedbackTest, EnglishSheetRendersWithEnglishLabels) {
  FeedbackSheet sheet = Must(LoadFeedbackSheet(store().records(), observation_.id));
  const auto pdf = WritePdf("feedback-en.pdf", Must(RenderFeedbackPdf(sheet, fonts_, Language::kEnglish)));
  ExpectDrawnPages(pdf, "en");
  const std::string text = PdfText(pdf);
  EXPECT_NE(text.find("feedback for the teacher"), std::string::npos) << text;
  EXPECT_NE(text.find("Ёлкина Анна Сергеевна"), std::string::npos) << text;  // names stay as written
  EXPECT_NE(text.find("Consistently evident"), std::string::npos) << text;
  EXPECT_NE(text.find("Not observed"), std::string::npos) << text;
  EXPECT_NE(text.find("page 1 of "), std::string::npos) << text;
}

TEST_F(FeedbackTest, LongSheetContinuesOnNextPages) {
  FeedbackSheet sheet = Must(LoadFeedbackSheet(store().records(), observation_.id));
  // A rubric of 40 criteria, each scored with a long evidence note, and long texts.
  core::Rubric& rubric = *sheet.rubric;
  rubric.criteria.clear();
  sheet.scores.clear();
  std::string long_text;
  for (int i = 0; i < 60; ++i) long_text += "Обучающиеся выполняли задание по образцу, учитель комментировал ответы. ";
  for (int i = 0; i < 40; ++i) {
    core::RubricCriterion c;
    c.code = "c" + std::to_string(i);
    c.domain = rubric.domains[static_cast<size_t>(i) % rubric.domains.size()].code;
    c.title = {
        "Критерий номер " + std::to_string(i) + " с длинным названием, которое не помещается в одну строку листа",
        "Criterion " + std::to_string(i)};
    c.descriptors.assign(4, {"уровень", "level"});
    rubric.criteria.push_back(c);
    core::ObservationScore s;
    s.criterion_code = c.code;
    s.level = i % 4;
    s.evidence = long_text.substr(0, 400 + static_cast<size_t>(i) * 10);
    sheet.scores.push_back(s);
  }
  sheet.observation.strengths = long_text + long_text;  // longer than a page by itself
  sheet.observation.next_steps = "Последний_шаг_договорённости " + std::string(500, 'x');  // a word wider than a line
  const auto pdf = WritePdf("feedback-long.pdf", Must(RenderFeedbackPdf(sheet, fonts_, Language::kRussian)));

  const int pages = PdfPages(pdf);
  EXPECT_GE(pages, 4);
  const auto pngs = RenderPages(pdf, dir_.path(), "long");
  ASSERT_EQ(static_cast<int>(pngs.size()), pages);
  for (const auto& png_path : pngs) {
    const PngStats png = ReadPng(png_path);
    ASSERT_TRUE(png.decoded) << png_path;
    EXPECT_GT(png.dark_pixels, 100) << png_path << " looks blank";
  }
  const std::string text = PdfText(pdf);
  EXPECT_NE(text.find("Критерий номер 39"), std::string::npos);  // the last criterion made it
  EXPECT_NE(text.find("Последний_шаг_договорённости"), std::string::npos);
  EXPECT_NE(text.find("стр. " + std::to_string(pages) + " из " + std::to_string(pages)), std::string::npos);
}

TEST_F(FeedbackTest, SheetWithoutItsRubricShowsCodesAndNumbers) {
  FeedbackSheet sheet = Must(LoadFeedbackSheet(store().records(), observation_.id));
  sheet.rubric.reset();
  const auto pdf = WritePdf("feedback-norubric.pdf", Must(RenderFeedbackPdf(sheet, fonts_, Language::kEnglish)));
  const std::string text = PdfText(pdf);
  EXPECT_NE(text.find("the rubric is not in this store"), std::string::npos) << text;
  EXPECT_NE(text.find("aims_clear"), std::string::npos) << text;
  EXPECT_NE(text.find("Level: 3"), std::string::npos) << text;
}

TEST_F(FeedbackTest, MissingFontFileIsNotFoundNamingThePackage) {
  FeedbackSheet sheet = Must(LoadFeedbackSheet(store().records(), observation_.id));
  PdfFonts fonts{dir_.path() / "no-such-font.ttf", dir_.path() / "no-such-font.ttf"};
  auto pdf = RenderFeedbackPdf(sheet, fonts, Language::kEnglish);
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), StatusCode::kNotFound);
  EXPECT_NE(pdf.status().message().find("fonts-dejavu-core"), std::string::npos);
}

}  // namespace
}  // namespace mentorlog::report
