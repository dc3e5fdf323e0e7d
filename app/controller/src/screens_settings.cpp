// Screens (screens.h): the device's settings, read at start and changed in Settings.
#include "dashboards.h"
#include "screens.h"
#include "sync_runner.h"

namespace mentorlog::app {

void Screens::LoadSettings() {
  MarkDirty(kAll);  // the first view; then the dashboards (RebuildAndPublish)
  ShowIfError(texts_.load_error());
  auto saved = store_.device().Settings();
  if (!ShowIfError(saved.status())) return;
  // The language chosen in Settings, unless --lang asked for one.
  if (!options_.language_forced && saved->language) ShowIfError(texts_.Use(*saved->language));
  settings_.text_scale = saved->text_scale;
  settings_.auto_sync = saved->auto_sync;
  work_offline_ = saved->work_offline;
  sync_.SetAuto(saved->auto_sync);
  sync_.Kick();  // at start: what came in while the app was closed
}

void Screens::On(const ui::ChangeSettings& a) {
  MarkDirty(kAll);
  settings_ = a.settings;
  sync_.SetAuto(a.settings.auto_sync);
  sync_.Kick();
  ShowIfError(store_.records().InTransaction([&]() -> Status {
    ASSIGN_OR_RETURN(core::DeviceSettings settings, store_.device().Settings());
    settings.language = LanguageFromCode(a.settings.language);
    settings.text_scale = a.settings.text_scale;
    settings.auto_sync = a.settings.auto_sync;
    return store_.device().SaveSettings(settings);
  }));
  const std::optional<Language> language = LanguageFromCode(a.settings.language);
  if (!language || *language == texts_.language()) return;
  if (ShowIfError(texts_.Use(*language))) dashboards_.Queue();  // the figures again, in its words
}

void Screens::On(const ui::WorkOffline&) {
  MarkDirty(kAll);
  work_offline_ = ShowIfError(store_.records().InTransaction([&]() -> Status {
    ASSIGN_OR_RETURN(core::DeviceSettings settings, store_.device().Settings());
    settings.work_offline = true;
    return store_.device().SaveSettings(settings);
  }));
}

}  // namespace mentorlog::app
