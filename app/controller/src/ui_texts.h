// UiTexts: the UI's language now and its translations (assets/i18n/<code>/), shared by the
// controller's owners. A language change shows in every view built after it.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string_view>

#include "mentorlog/base/language.h"
#include "mentorlog/base/status.h"
#include "mentorlog/ui/i18n.h"

namespace mentorlog::app {

class UiTexts {
 public:
  // Loads the translations of `language` from `i18n_dir` unless `given` are of that language.
  // When they cannot be loaded the texts show as their keys and load_error() says why.
  UiTexts(std::filesystem::path i18n_dir, Language language, std::shared_ptr<const ui::Translations> given);

  Language language() const;
  const Status& load_error() const { return load_error_; }
  // The translations of the language now; never null.
  std::shared_ptr<const ui::Translations> Current() const;
  // The translations of `language`, loaded at the first call; null when they cannot be.
  std::shared_ptr<const ui::Translations> In(Language language);
  // The UI's words under `key` in both languages (a key without them shows as itself).
  LocalText Words(std::string_view key, std::initializer_list<std::string_view> args = {});
  // Switches to `language`. Errors: those of loading its translations (the language stays).
  Status Use(Language language);

 private:
  const std::filesystem::path dir_;
  Status load_error_;
  mutable std::mutex mu_;
  Language language_;                                // GUARDED_BY(mu_)
  std::shared_ptr<const ui::Translations> current_;  // GUARDED_BY(mu_)
  std::shared_ptr<const ui::Translations> other_;    // GUARDED_BY(mu_): the other language's, once loaded
};

}  // namespace mentorlog::app
