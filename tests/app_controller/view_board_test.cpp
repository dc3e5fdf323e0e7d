// ViewBoard (app/controller/src/view_board.h) and ui::Section: publishing a view copies a
// pointer per section, never a section's rows.
#include "view_board.h"

#include <gtest/gtest.h>

#include <string>

namespace mentorlog::app {
namespace {

ui::RecommendationsView ManyRecommendations(int n) {
  ui::RecommendationsView view;
  for (int i = 0; i < n; ++i) {
    ui::RecommendationRow row;
    row.id = std::to_string(i);
    row.text = "Провести педсовет по итогам ВПР, запись " + std::to_string(i);
    view.rows.push_back(row);
  }
  return view;
}

TEST(ViewBoardTest, ASyncsProgressAndTheDashboardsShareTheScreensSectionsInsteadOfCopyingThem) {
  ViewBoard board;
  ui::AppView screens;
  screens.recommendations = ManyRecommendations(1000);
  screens.today.Edit().user_name = "Андреев Н. М.";
  board.PublishScreens(screens);
  const auto first = board.View();

  board.PublishSync(ui::SyncRun{true, 0.25f, "Отправка: пакет 1"});
  board.PublishDashboard(DashboardSlice{std::make_shared<const ui::DashboardView>(), false});
  const auto second = board.View();

  // A new view with the sync's progress and the dashboards…
  EXPECT_GT(second->version, first->version);
  EXPECT_FALSE(first->sync_run.running);
  EXPECT_TRUE(second->sync_run.running);
  EXPECT_EQ(second->sync_run.progress_text, "Отправка: пакет 1");
  EXPECT_EQ(first->dashboard, nullptr);
  EXPECT_NE(second->dashboard, nullptr);
  // …that holds the very rows the screens published, not a copy of them.
  EXPECT_TRUE(second->recommendations.SameAs(first->recommendations));
  EXPECT_TRUE(second->recommendations.SameAs(screens.recommendations));
  EXPECT_EQ(&second->recommendations->rows, &screens.recommendations->rows);
  EXPECT_TRUE(second->today.SameAs(first->today));
  EXPECT_EQ(second->recommendations->rows.size(), 1000u);
}

TEST(ViewBoardTest, TheScreensNextPublishKeepsTheSyncsProgress) {
  ViewBoard board;
  board.PublishSync(ui::SyncRun{true, 0.5f, "Загрузка"});
  ui::AppView screens;
  screens.today.Edit().user_name = "Андреев Н. М.";
  board.PublishScreens(screens);
  EXPECT_TRUE(board.View()->sync_run.running);
  EXPECT_EQ(board.View()->today->user_name, "Андреев Н. М.");
  board.PublishSync(ui::SyncRun{});
  EXPECT_FALSE(board.View()->sync_run.running);
  EXPECT_EQ(board.View()->today->user_name, "Андреев Н. М.");
}

TEST(SectionTest, EditingAViewsSectionLeavesTheViewsThatShareItAsTheyWere) {
  ui::AppView published;
  published.today.Edit().user_name = "Андреев Н. М.";
  ui::AppView next = published;  // shares every section
  ASSERT_TRUE(next.today.SameAs(published.today));

  next.today.Edit().user_name = "Борисова Е. В.";  // copied first: another view holds it
  EXPECT_FALSE(next.today.SameAs(published.today));
  EXPECT_EQ(published.today->user_name, "Андреев Н. М.");
  EXPECT_EQ(next.today->user_name, "Борисова Е. В.");

  const std::string* name = &next.today->user_name;
  next.today.Edit().user_name += ".";  // held by this view alone: changed in place
  EXPECT_EQ(&next.today->user_name, name);
  EXPECT_EQ(next.today->user_name, "Борисова Е. В..");
}

TEST(SectionTest, ADefaultSectionIsEmptyAndEditingItDoesNotChangeOtherDefaults) {
  ui::AppView a;
  ui::AppView b;
  EXPECT_TRUE(a.today->schools.empty());
  a.today.Edit().user_name = "Андреев Н. М.";
  EXPECT_TRUE(b.today->user_name.empty());
  EXPECT_TRUE(ui::AppView{}.today->user_name.empty());
}

}  // namespace
}  // namespace mentorlog::app
