// Headless tests of the real screens: DrawApp with a hand-made AppView, driven through ImGuiIO.
// What the controller then does with the actions is tested in tests/app_controller.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "mentorlog/ui/fonts.h"
#include "mentorlog/ui/screens.h"
#include "screens_fixture.h"
#include "ui_harness.h"

namespace mentorlog::ui {
namespace {

using testing::UiHarness;

constexpr char kSchool[] = "0195c000-0000-7000-8000-000000000001";
constexpr char kRec[] = "0195c000-0000-7000-8000-0000000000aa";
constexpr char kTeacher[] = "0195c000-0000-7000-8000-0000000000bb";

AppView DemoView() {
  AppView v;
  v.version = 1;  // built by the controller (0 means the store is still opening)
  SchoolCard card;
  card.id = kSchool;
  card.name = "МБОУ «Школа № 3» — Заречье";
  card.municipality = "Заречный район";
  card.statuses = {"ШНОР"};
  card.days_since_contact = 41;
  card.without_contact = true;
  card.open_recommendations = 1;
  card.overdue_recommendations = 1;
  card.next_roadmap = {"12.12.2026 — Семинар для учителей"};
  v.today.Edit().user_name = "Андреев Н. М.";
  v.today.Edit().schools = {card};
  v.form.Edit().school_id = kSchool;
  v.form.Edit().school_name = card.name;
  v.form.Edit().visit_purposes = {{"diagnostics", "Diagnostics"}, {"monitoring", "Monitoring"}};
  v.form.Edit().teachers = {{kTeacher, "Иванова А. П."}};
  v.form.Edit().subjects = {{"Математика", "Математика"}};
  RecommendationRow rec;
  rec.id = kRec;
  rec.school_id = kSchool;
  rec.text = "Провести педсовет по итогам ВПР";
  rec.owner = "Директор";
  rec.due = "01.11.2026";
  rec.status = "Open";
  rec.status_code = "open";
  rec.overdue = true;
  v.form.Edit().open_recommendations = {rec};
  v.form.Edit().rubric.code = "lesson_observation";
  v.form.Edit().rubric.version = 1;
  v.form.Edit().rubric.title = "Lesson observation";
  v.form.Edit().rubric.criteria = {
      {"goals", "Planning", "Lesson goals", {"none", "stated", "shared", "owned by pupils"}},
      {"feedback", "Assessment", "Feedback", {"none", "some", "regular", "formative"}}};
  v.sync.Edit().server = "http://127.0.0.1:8080";
  v.sync.Edit().user = "mentor1";
  v.sync.Edit().signed_in = true;
  v.sync.Edit().pending = 3;
  return v;
}

class ScreensTest : public testing::ScreensFixture {
 protected:
  AppView InitialView() override { return DemoView(); }
};

TEST_F(ScreensTest, FillAndSaveAVisitThatChecksOffAnOpenRecommendation) {
  ASSERT_TRUE(ui_.Click(std::string("today.start_visit/") + kSchool));
  ASSERT_EQ(state_.screen, Screen::kVisit);
  ASSERT_EQ(Sent<PrepareForm>().size(), 1u);
  EXPECT_EQ(Sent<PrepareForm>()[0].school_id, kSchool);

  ASSERT_TRUE(ui_.Type("visit.date", "2026-11-29"));
  ASSERT_TRUE(ui_.Click("visit.purpose/diagnostics"));
  ASSERT_TRUE(ui_.Type("visit.summary", "Обсудили план перехода — №1 «в работе»"));
  ASSERT_TRUE(ui_.Click(std::string("visit.check/") + kRec + "/done"));
  ASSERT_TRUE(ui_.Type(std::string("visit.check_note/") + kRec, "Протокол педсовета № 4"));
  ASSERT_TRUE(ui_.Click("visit.rec_add"));
  ASSERT_TRUE(ui_.Type("visit.rec0.text", "Составить план наставничества"));
  ASSERT_TRUE(ui_.Type("visit.rec0.due", "2026-12-20"));
  EXPECT_TRUE(state_.edited);
  ASSERT_TRUE(ui_.Click("visit.save"));

  const auto saves = Sent<SaveForm>();
  ASSERT_EQ(saves.size(), 1u);
  const auto* visit = std::get_if<VisitForm>(&saves[0].form);
  ASSERT_NE(visit, nullptr);
  EXPECT_EQ(visit->school_id, kSchool);
  EXPECT_EQ(visit->date, "2026-11-29");
  EXPECT_EQ(visit->purposes, std::vector<std::string>{"diagnostics"});
  EXPECT_EQ(visit->summary, "Обсудили план перехода — №1 «в работе»");
  ASSERT_EQ(visit->checks.size(), 1u);
  EXPECT_EQ(visit->checks[0].recommendation_id, kRec);
  EXPECT_EQ(visit->checks[0].new_status, "done");
  EXPECT_EQ(visit->checks[0].note, "Протокол педсовета № 4");
  ASSERT_EQ(visit->recommendations.size(), 1u);
  EXPECT_EQ(visit->recommendations[0].text, "Составить план наставничества");
  EXPECT_EQ(visit->recommendations[0].due_on, "2026-12-20");
  EXPECT_EQ(visit->id.size(), 36u);  // made before the first draft, kept for the record
  EXPECT_EQ(saves[0].draft_key, state_.draft_key);

  // The controller reports the save: the form closes and Today is back.
  view_.saved_form_id = visit->id;
  ++view_.saved_form_seq;
  ui_.Frames(2);
  EXPECT_EQ(state_.screen, Screen::kToday);
  EXPECT_FALSE(state_.form.has_value());
}

TEST_F(ScreensTest, UntilTheStoreIsOpenOnlyThatIsShown) {
  EXPECT_TRUE(ui_.Visible("nav.today"));
  view_ = AppView();  // version 0: the controller has not built a view yet
  actions_.clear();
  ui_.Frames(2);
  EXPECT_FALSE(ui_.Visible("nav.today"));
  EXPECT_FALSE(ui_.Visible("sync.details"));
  EXPECT_FALSE(ui_.Click(std::string("today.start_visit/") + kSchool));
  EXPECT_TRUE(actions_.empty());
}

TEST_F(ScreensTest, TheFeedbackSheetButtonSavesTheObservationAsTypedFirst) {
  ASSERT_TRUE(ui_.Click(std::string("today.start_visit/") + kSchool));
  ASSERT_TRUE(ui_.Click("visit.start_observation"));
  ASSERT_TRUE(ui_.Type("observation.next_steps", "Попробовать «светофор»"));
  ASSERT_TRUE(ui_.Click("observation.feedback_pdf"));
  const auto reports = Sent<MakeReport>();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].kind, ReportKind::kFeedbackPdf);
  ASSERT_TRUE(reports[0].save_first.has_value());
  const auto* o = std::get_if<ObservationForm>(&*reports[0].save_first);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(reports[0].id, o->id);
  EXPECT_EQ(o->next_steps, "Попробовать «светофор»");
}

TEST_F(ScreensTest, AnObservationsRefusedFieldsAreShownUnderEachAndGoWhenFixed) {
  ASSERT_TRUE(ui_.Click(std::string("today.start_visit/") + kSchool));
  ASSERT_TRUE(ui_.Click("visit.start_observation"));
  ASSERT_EQ(state_.screen, Screen::kObservation);
  view_.form_errors_id = std::get<ObservationForm>(*state_.form).id;
  view_.form_errors = {{"teacher_id", "Choose the teacher."},
                       {"grade", "Enter the class's grade, from 1 to 11."},
                       {"observer_id", "Choose a person."}};
  ui_.Frames(2);
  const auto teacher = FindProbe("observation.teacher");
  const auto teacher_error = FindProbe("observation.error/teacher_id");
  const auto grade = FindProbe("observation.grade");
  const auto grade_error = FindProbe("observation.error/grade");
  ASSERT_TRUE(teacher && teacher_error && grade && grade_error);
  EXPECT_GT(teacher_error->min.y, teacher->max.y - 1);  // under its field
  EXPECT_GT(grade_error->min.y, grade->max.y - 1);
  EXPECT_TRUE(ui_.Visible("observation.error/observer_id")) << "a field the form does not show: above it";
  ASSERT_TRUE(ui_.Type("observation.grade", "5"));
  ui_.Frames(2);
  EXPECT_FALSE(ui_.Visible("observation.error/grade")) << "fixed: gone";
  EXPECT_TRUE(ui_.Visible("observation.error/teacher_id"));
}

TEST_F(ScreensTest, AVisitsRefusedPurposesAreShownUnderThemAndGoOnceOneIsTicked) {
  ASSERT_TRUE(ui_.Click(std::string("today.start_visit/") + kSchool));
  ASSERT_EQ(state_.screen, Screen::kVisit);
  view_.form_errors_id = std::get<VisitForm>(*state_.form).id;
  view_.form_errors = {{"purposes", "Choose the purpose of the visit."}};
  ui_.Frames(2);
  const auto error = FindProbe("visit.error/purposes");
  const auto date = FindProbe("visit.date");
  ASSERT_TRUE(error && date);
  EXPECT_GT(error->min.y, date->max.y) << "under the purposes, after the date";
  ASSERT_TRUE(ui_.Click("visit.purpose/diagnostics"));
  ui_.Frames(2);
  EXPECT_FALSE(ui_.Visible("visit.error/purposes"));
}

TEST_F(ScreensTest, FillAnObservationWithTheRubric) {
  ASSERT_TRUE(ui_.Click(std::string("today.start_visit/") + kSchool));
  ASSERT_TRUE(ui_.Click("visit.start_observation"));
  ASSERT_EQ(state_.screen, Screen::kObservation);
  ASSERT_EQ(state_.parked.size(), 1u);  // the visit waits underneath

  ASSERT_TRUE(ui_.Click("observation.teacher"));  // opens the combo
  ASSERT_TRUE(ui_.Click(std::string("observation.teacher/") + kTeacher));
  ASSERT_TRUE(ui_.Type("observation.topic", "Дроби"));
  ASSERT_TRUE(ui_.Click("observation.level/goals/2"));
  ASSERT_TRUE(ui_.Type("observation.evidence/goals", "Цель на доске, дети её повторили"));
  ASSERT_TRUE(ui_.Click("observation.level/feedback/none"));  // not observed
  ASSERT_TRUE(ui_.Type("observation.next_steps", "Попробовать «светофор»"));
  ASSERT_TRUE(ui_.Click("observation.discussion_held"));
  ui_.Key('S', /*ctrl=*/true);  // Ctrl+S saves

  const auto saves = Sent<SaveForm>();
  ASSERT_EQ(saves.size(), 1u);
  const auto* o = std::get_if<ObservationForm>(&saves[0].form);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->teacher_id, kTeacher);
  EXPECT_EQ(o->topic, "Дроби");
  EXPECT_EQ(o->rubric_code, "lesson_observation");
  EXPECT_EQ(o->rubric_version, 1);
  EXPECT_FALSE(o->visit_id.empty());
  EXPECT_TRUE(o->discussion_held);
  auto score = [&](const std::string& code) {
    return *std::find_if(o->scores.begin(), o->scores.end(),
                         [&](const ScoreInput& s) { return s.criterion_code == code; });
  };
  EXPECT_EQ(score("goals").level, 2);
  EXPECT_EQ(score("goals").evidence, "Цель на доске, дети её повторили");
  EXPECT_EQ(score("feedback").level, -1);

  // Saved: the visit comes back from underneath.
  view_.saved_form_id = o->id;
  ++view_.saved_form_seq;
  ui_.Frames(2);
  EXPECT_EQ(state_.screen, Screen::kVisit);
  ASSERT_TRUE(state_.form.has_value());
  EXPECT_TRUE(std::holds_alternative<VisitForm>(*state_.form));
}

TEST_F(ScreensTest, AnObservationCanBeFilledFromTheKeyboardAlone) {
  ASSERT_TRUE(ui_.Click(std::string("today.start_visit/") + kSchool));
  ASSERT_TRUE(ui_.Click("visit.start_observation"));
  ASSERT_EQ(state_.screen, Screen::kObservation);
  // One click into the first text field; from there Tab walks the fields in the order they are
  // shown (grade, class, date, topic, then each criterion's evidence, then the conclusions).
  auto tab = [&] { ui_.Key(ImGui::GetIO().KeyMap[ImGuiKey_Tab]); };
  ASSERT_TRUE(ui_.Type("observation.grade", "7"));
  tab();
  ui_.Text("7Б");
  tab();
  tab();  // the date keeps today's
  ui_.Text("Линейные уравнения");
  tab();
  ui_.Text("Цель записана на доске");  // the first criterion's evidence
  ui_.Key('S', /*ctrl=*/true);

  const auto saves = Sent<SaveForm>();
  ASSERT_EQ(saves.size(), 1u);
  const auto* o = std::get_if<ObservationForm>(&saves[0].form);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->grade, "7");
  EXPECT_EQ(o->class_label, "7Б");
  EXPECT_EQ(o->topic, "Линейные уравнения");
  auto goals =
      std::find_if(o->scores.begin(), o->scores.end(), [](const ScoreInput& s) { return s.criterion_code == "goals"; });
  ASSERT_NE(goals, o->scores.end());
  EXPECT_EQ(goals->evidence, "Цель записана на доске");
}

TEST_F(ScreensTest, CtrlFSearchesTheRecommendations) {
  ASSERT_TRUE(ui_.Click("nav.recommendations"));
  ASSERT_EQ(state_.screen, Screen::kRecommendations);
  ui_.Key('F', /*ctrl=*/true);  // focus goes to the search field
  ui_.Text("педсовет");
  const auto filters = Sent<FilterRecommendations>();
  ASSERT_FALSE(filters.empty());
  EXPECT_EQ(filters.back().filter.search, "педсовет");
}

TEST_F(ScreensTest, ATimelineEntryOpensItsRecordToCorrect) {
  constexpr char kVisit[] = "0195c000-0000-7000-8000-0000000000cc";
  constexpr char kWarned[] = "0195c000-0000-7000-8000-0000000000cd";
  view_.school.Edit().id = kSchool;
  view_.school.Edit().name = "МБОУ «Школа № 3»";
  view_.school.Edit().timeline = {{EntryKind::kVisit, kVisit, "12.11.2026", "Выезд: диагностика", "", ""},
                                  {EntryKind::kVisit, kWarned, "11.11.2026", "Выезд: мониторинг", "",
                                   "Человек 0195c000-0000-7000-8000-0000000000ff не найден."}};
  state_.screen = Screen::kSchool;
  state_.school_id = kSchool;
  ui_.Frames(2);
  ASSERT_TRUE(ui_.Click(std::string("school.entry/") + kVisit));
  // An entry with a warning (a rule across records it breaks) opens too, to be corrected.
  ASSERT_TRUE(ui_.Click(std::string("school.entry/") + kWarned));
  const auto opens = Sent<OpenRecord>();
  ASSERT_EQ(opens.size(), 2u);
  EXPECT_EQ(opens[0].record_id, kVisit);
  EXPECT_EQ(opens[1].record_id, kWarned);
}

TEST_F(ScreensTest, AServerIsAddedLaterFromSettings) {
  view_.sync.Edit().signed_in = false;  // the user chose to work offline at first
  view_.sync.Edit().server.clear();
  view_.settings.Edit().signed_in = false;
  view_.settings.Edit().server.clear();
  ui_.Frames(2);
  ASSERT_TRUE(ui_.Click("nav.settings"));
  EXPECT_FALSE(ui_.Visible("settings.sign_out"));
  ASSERT_TRUE(ui_.Click("settings.sign_in"));
  ASSERT_EQ(state_.screen, Screen::kFirstRun);
  ASSERT_TRUE(ui_.Type("first.server", "https://mentorlog.example.org"));
  ASSERT_TRUE(ui_.Type("first.login", "mentor1"));
  ASSERT_TRUE(ui_.Type("first.password", "пароль"));
  ASSERT_TRUE(ui_.Click("first.sign_in"));
  const auto sign_ins = Sent<SignIn>();
  ASSERT_EQ(sign_ins.size(), 1u);
  EXPECT_EQ(sign_ins[0].server, "https://mentorlog.example.org");
  EXPECT_EQ(sign_ins[0].login, "mentor1");
  EXPECT_EQ(sign_ins[0].password, "пароль");
  EXPECT_TRUE(state_.login_password.empty());  // not kept after it was sent

  view_.sync.Edit().signed_in = true;  // the controller reports the sign-in
  ui_.Frames(2);
  EXPECT_EQ(state_.screen, Screen::kToday);
}

TEST_F(ScreensTest, EscapeClosesAnUneditedFormAndTheSyncPanel) {
  ASSERT_TRUE(ui_.Click(std::string("today.start_visit/") + kSchool));
  ASSERT_EQ(state_.screen, Screen::kVisit);
  ui_.Key(ImGui::GetIO().KeyMap[ImGuiKey_Escape]);
  EXPECT_EQ(state_.screen, Screen::kToday);  // nothing typed: no question
  EXPECT_FALSE(state_.confirm_leave);
  ASSERT_TRUE(ui_.Click("sync.details"));
  ASSERT_TRUE(state_.sync_panel_open);
  ui_.Key(ImGui::GetIO().KeyMap[ImGuiKey_Escape]);
  EXPECT_FALSE(state_.sync_panel_open);
}

TEST_F(ScreensTest, TypingSavesADraftAtOnceEscLeavesTheFieldWithItsTextAndLeavingAsks) {
  ASSERT_TRUE(ui_.Click(std::string("today.start_visit/") + kSchool));
  ASSERT_TRUE(ui_.Type("visit.summary", "Черновик"));
  // The draft is written in the frame of the edit: a window closed or a process killed a
  // moment later loses nothing.
  const auto drafts = Sent<SaveDraft>();
  ASSERT_FALSE(drafts.empty());
  EXPECT_EQ(drafts.back().key, state_.draft_key);
  EXPECT_EQ(std::get<VisitForm>(drafts.back().form).summary, "Черновик");
  EXPECT_FALSE(state_.dirty);

  // Esc in the field: out of it, with the text kept (Dear ImGui alone would put back ""), and
  // no question yet.
  const int esc = ImGui::GetIO().KeyMap[ImGuiKey_Escape];
  ui_.Key(esc);
  EXPECT_FALSE(state_.confirm_leave);
  EXPECT_EQ(std::get<VisitForm>(*state_.form).summary, "Черновик");
  ui_.Frames(2);
  EXPECT_EQ(std::get<VisitForm>(*state_.form).summary, "Черновик");
  // Esc again, out of any field: edited and not saved, so it asks.
  ui_.Key(esc);
  EXPECT_TRUE(state_.confirm_leave);
  EXPECT_EQ(state_.screen, Screen::kVisit);
  ui_.Frames(2);
  ASSERT_TRUE(ui_.Click("leave.keep_draft"));
  EXPECT_EQ(state_.screen, Screen::kToday);
}

TEST_F(ScreensTest, ANewFormIsDatedTodayAndThatIsNoEdit) {
  view_.form.Edit().today = "2026-11-29";
  ASSERT_TRUE(ui_.Click(std::string("today.start_visit/") + kSchool));
  ui_.Frames(2);
  ASSERT_TRUE(state_.form.has_value());
  EXPECT_EQ(std::get<VisitForm>(*state_.form).date, "2026-11-29");
  EXPECT_FALSE(state_.edited);  // leaving it untouched asks nothing
}

TEST_F(ScreensTest, TheSyncPanelShowsARejectedChangeWithItsReason) {
  view_.sync.Edit().rejected = {{"Visit of 12.11.2026, School No. 3",
                                 "This school is no longer assigned to you; ask your coordinator.", "today 10:42"}};
  ui_.Frames(2);
  ASSERT_TRUE(ui_.Click("sync.details"));
  EXPECT_TRUE(state_.sync_panel_open);
  EXPECT_TRUE(ui_.Visible("sync.rejected/0"));
  EXPECT_TRUE(ui_.Visible("sync.rejected_reason/0"));
  EXPECT_TRUE(FontCovers(view_.sync->rejected[0].reason));
}

TEST_F(ScreensTest, ANarrowWindowIsOneColumnWithLargeTargets) {
  ImGui::GetIO().DisplaySize = ImVec2(390, 4000);
  ui_.Frames(2);
  auto start = FindProbe(std::string("today.start_visit/") + kSchool);
  auto open = FindProbe(std::string("today.open_school/") + kSchool);
  ASSERT_TRUE(start && open);
  EXPECT_GT(open->min.y, start->max.y - 1);  // stacked, not side by side
  EXPECT_GE(start->max.y - start->min.y, 40.0f);
  EXPECT_GT(start->max.x - start->min.x, 300.0f);

  // The navigation is two rows of two large buttons, not four rows.
  auto today = FindProbe("nav.today");
  auto district = FindProbe("nav.district");
  auto recommendations = FindProbe("nav.recommendations");
  auto settings = FindProbe("nav.settings");
  ASSERT_TRUE(today && district && recommendations && settings);
  EXPECT_NEAR(today->min.y, district->min.y, 0.5f);
  EXPECT_NEAR(recommendations->min.y, settings->min.y, 0.5f);
  EXPECT_GT(settings->min.y, today->max.y - 1);
  EXPECT_GE(today->max.y - today->min.y, 40.0f);
  EXPECT_GE(today->max.x - today->min.x, 150.0f);
  EXPECT_LE(settings->max.x, 390.0f);
}

TEST(FontTest, TheFontIsRasterisedAtTheScaledSizeNotStretched) {
  EXPECT_FLOAT_EQ(FontPixels(1.0f, 1.0f), kBaseFontPixels);
  EXPECT_FLOAT_EQ(FontPixels(2.0f, 1.0f), 2 * kBaseFontPixels);     // a 200% display
  EXPECT_FLOAT_EQ(FontPixels(1.5f, 1.2f), 1.8f * kBaseFontPixels);  // 150% and a larger text size
  EXPECT_FLOAT_EQ(FontPixels(0.5f, 1.0f), kBaseFontPixels);         // never below the base
  EXPECT_FLOAT_EQ(FontPixels(1.0f, 9.0f), 2 * kBaseFontPixels);     // the slider's range
  UiHarness ui;                                                     // a context with the real font at the base size
  ui.Frames(1);
  const float base_height = ImGui::GetFontSize();
  EXPECT_FLOAT_EQ(base_height, kBaseFontPixels);
  ASSERT_TRUE(LoadFonts(MENTORLOG_ASSETS_DIR, FontPixels(2.0f, 1.0f)).ok());
  ui.Frames(1);
  EXPECT_FLOAT_EQ(ImGui::GetFontSize(), 2 * base_height);
  EXPECT_FLOAT_EQ(ImGui::GetIO().FontGlobalScale, 1.0f);
  EXPECT_TRUE(FontCovers("Школа № 3 — «в работе»…"));
}

TEST(TranslationsTest, EveryLanguageHasEveryKeyAndTheFontDrawsEveryCharacter) {
  auto en = Translations::Load(MENTORLOG_ASSETS_DIR "/i18n", "en");
  auto ru = Translations::Load(MENTORLOG_ASSETS_DIR "/i18n", "ru");
  ASSERT_TRUE(en.ok()) << en.status().ToString();
  ASSERT_TRUE(ru.ok()) << ru.status().ToString();
  EXPECT_EQ(en->language(), Language::kEnglish);
  EXPECT_EQ(ru->language(), Language::kRussian);
  for (const auto& [key, text] : en->texts()) EXPECT_TRUE(ru->Has(key)) << "ru lacks " << key;
  for (const auto& [key, text] : ru->texts()) EXPECT_TRUE(en->Has(key)) << "en lacks " << key;
  UiHarness ui;  // loads the font
  for (const auto& [key, text] : ru->texts()) EXPECT_TRUE(FontCovers(text)) << key << ": " << text;
  EXPECT_TRUE(FontCovers("— № «» …"));
  EXPECT_FALSE(FontCovers("漢"));  // a check that can fail
}

TEST(TranslationsTest, CountsTakeTheFormTheLanguageNeeds) {
  auto ru = Translations::Load(MENTORLOG_ASSETS_DIR "/i18n", "ru");
  auto en = Translations::Load(MENTORLOG_ASSETS_DIR "/i18n", "en");
  ASSERT_TRUE(ru.ok() && en.ok());
  const std::vector<std::pair<int64_t, const char*>> russian = {
      {0, "0 школ"},   {1, "1 школа"},     {2, "2 школы"},   {4, "4 школы"},   {5, "5 школ"},
      {11, "11 школ"}, {12, "12 школ"},    {14, "14 школ"},  {21, "21 школа"}, {22, "22 школы"},
      {25, "25 школ"}, {101, "101 школа"}, {111, "111 школ"}};
  for (const auto& [n, want] : russian) {
    const std::string got = ru->Count("district.summary", n, {"0"});
    EXPECT_EQ(got.rfind(want, 0), 0u) << n << ": " << got;
    EXPECT_NE(got.find("школ"), std::string::npos);
  }
  EXPECT_EQ(en->Count("today.recommendations", 1), "1 open recommendation");
  EXPECT_EQ(en->Count("today.recommendations", 2), "2 open recommendations");
  EXPECT_EQ(en->Count("today.recommendations", 0), "0 open recommendations");
  EXPECT_EQ(en->Count("today.recommendations", 21), "21 open recommendations") << "English: only 1 is singular";
  EXPECT_EQ(ru->Count("view.row.participants", 3), "3 участника");
  EXPECT_EQ(ru->Count("view.dash.days_ago", 41), "41 день назад");
  EXPECT_EQ(en->Count("district.summary", 12, {"7"}), "12 schools, 7 of them supported");
  // A key with no forms is its own text.
  EXPECT_EQ(en->Count("today.overdue", 1), "1 overdue");
}

TEST(TranslationsTest, MalformedFilesAreRefusedWithTheLine) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "mentorlog-i18n-test";
  std::filesystem::create_directories(dir / "xx");
  {
    std::ofstream f(dir / "xx" / "a.tsv");
    f << "# comment\nok\tfine\nbroken line\n";
  }
  auto bad = Translations::Load(dir, "xx");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 3"), std::string::npos) << bad.status().message();
  {
    std::ofstream f(dir / "xx" / "a.tsv");
    f << "k\tone\\ntwo {0}\nk2\t{1} and {0}\n";
  }
  auto good = Translations::Load(dir, "xx");
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_STREQ((*good)("k"), "one\ntwo {0}");
  EXPECT_EQ(good->Format("k2", {"a", "b"}), "b and a");
  EXPECT_STREQ((*good)("missing.key"), "missing.key");
  EXPECT_EQ(good->language(), Language::kEnglish) << "a folder not named for a language reads as English";
  EXPECT_EQ(Translations().language(), Language::kEnglish);
  EXPECT_EQ(Translations::Load(dir, "zz").status().code(), StatusCode::kNotFound);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mentorlog::ui
