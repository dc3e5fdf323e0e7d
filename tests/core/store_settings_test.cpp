// Tests of the device's own settings (DeviceState::Settings): typed, local to the device, kept across
// restarts, and moved out of the sync values where the app kept them before migration 9.
#include <gtest/gtest.h>

#include <limits>
#include <optional>
#include <string>

#include "mentorlog/store/store.h"
#include "test_fixtures.h"

namespace mentorlog::core {
namespace {

using testing::Must;
using testing::RawDb;

class StoreSettingsTest : public testing::StoreFixture {};

TEST_F(StoreSettingsTest, ANewStoreHasTheDefaults) {
  EXPECT_EQ(Must(store().device().Settings()), DeviceSettings{});
  EXPECT_FALSE(Must(store().device().Settings()).language.has_value());
}

TEST_F(StoreSettingsTest, SavedSettingsReadBackAfterARestartAndAreNeitherSyncedNorSyncValues) {
  DeviceSettings chosen;
  chosen.language = Language::kEnglish;
  chosen.text_scale = 1.25f;
  chosen.auto_sync = true;
  chosen.work_offline = true;
  Must(store().device().SaveSettings(chosen));
  EXPECT_EQ(Must(store().device().Settings()), chosen);
  EXPECT_EQ(Pending(), 0) << "settings are the device's own: no outbox entry";
  CloseStore();
  OpenStore();
  EXPECT_EQ(Must(store().device().Settings()), chosen);
  EXPECT_FALSE(Must(store().ledger().GetSyncValue("app_language")).has_value());
}

TEST_F(StoreSettingsTest, ATextSizeThatIsNotAPositiveNumberIsRefusedAndNothingChanges) {
  DeviceSettings chosen;
  chosen.text_scale = 1.5f;
  Must(store().device().SaveSettings(chosen));
  for (float bad : {0.0f, -1.0f, std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    DeviceSettings wrong = chosen;
    wrong.text_scale = bad;
    const Status s = store().device().SaveSettings(wrong);
    EXPECT_EQ(s.code(), StatusCode::kInvalidInput) << bad;
    EXPECT_NE(s.message(Language::kRussian).find("Размер текста"), std::string::npos) << s.message(Language::kRussian);
  }
  EXPECT_EQ(Must(store().device().Settings()), chosen);
}

// A store of schema 8 kept the app's settings as sync values; migration 9 moves them into typed
// settings, and a value that does not read as its type becomes the default.
TEST_F(StoreSettingsTest, TheMigrationMovesTheAppsSyncValuesIntoTypedSettings) {
  struct Case {
    const char* language;
    const char* scale;
    const char* auto_sync;
    const char* offline;  // null: never set
    DeviceSettings expected;
  };
  DeviceSettings english;
  english.language = Language::kEnglish;
  english.text_scale = 1.25f;
  english.auto_sync = true;
  english.work_offline = true;
  const Case cases[] = {
      {"en", "1.25", "1", "1", english},
      {"de", "big", "yes", nullptr, DeviceSettings{}},
      {"ru", "0", "0", nullptr, DeviceSettings{Language::kRussian, 1.0f, false, false}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.language) + " " + c.scale);
    CloseStore();
    std::filesystem::remove(StorePath());
    OpenStore();
    CloseStore();
    {
      RawDb raw(StorePath());
      testing::UndoMigrationsTo(raw, 8);
      raw.Exec(std::string("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('app_language', '") + c.language +
               "'), ('app_text_scale', '" + c.scale + "'), ('app_auto_sync', '" + c.auto_sync + "')");
      if (c.offline)
        raw.Exec(std::string("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('app_work_offline', '1')"));
    }
    OpenStore();
    EXPECT_EQ(Must(store().device().Settings()), c.expected);
    for (const char* key : {"app_language", "app_text_scale", "app_auto_sync", "app_work_offline"}) {
      EXPECT_FALSE(Must(store().ledger().GetSyncValue(key)).has_value()) << key;
    }
  }
}

}  // namespace
}  // namespace mentorlog::core
