// UiTexts (ui_texts.h).
#include "ui_texts.h"

#include <string>
#include <utility>

namespace mentorlog::app {

UiTexts::UiTexts(std::filesystem::path i18n_dir, Language language, std::shared_ptr<const ui::Translations> given)
    : dir_(std::move(i18n_dir)), language_(language) {
  if (given && given->lang() == LanguageCode(language)) {
    current_ = std::move(given);
    return;
  }
  auto loaded = ui::Translations::Load(dir_, LanguageCode(language));
  if (loaded.ok()) {
    current_ = std::make_shared<const ui::Translations>(std::move(loaded).value());
  } else {
    load_error_ = loaded.status();
    current_ = std::make_shared<const ui::Translations>();
  }
}

Language UiTexts::language() const {
  std::lock_guard lock(mu_);
  return language_;
}

std::shared_ptr<const ui::Translations> UiTexts::Current() const {
  std::lock_guard lock(mu_);
  return current_;
}

std::shared_ptr<const ui::Translations> UiTexts::In(Language language) {
  {
    std::lock_guard lock(mu_);
    if (language == language_) return current_;
    if (other_ && other_->language() == language) return other_;
  }
  // Read outside the lock: a view being built does not wait for the files.
  auto loaded = ui::Translations::Load(dir_, LanguageCode(language));
  if (!loaded.ok()) return nullptr;
  auto texts = std::make_shared<const ui::Translations>(std::move(loaded).value());
  std::lock_guard lock(mu_);
  if (language == language_) return current_;  // switched meanwhile
  other_ = texts;
  return texts;
}

LocalText UiTexts::Words(std::string_view key, std::initializer_list<std::string_view> args) {
  LocalText out;
  for (const Language language : {Language::kRussian, Language::kEnglish}) {
    const auto tr = In(language);
    std::string& text = language == Language::kRussian ? out.ru : out.en;
    text = tr ? tr->Format(key, args) : ui::Translations().Format(key, args);
  }
  return out;
}

Status UiTexts::Use(Language language) {
  if (language == this->language()) return Status::Ok();
  auto texts = In(language);
  if (!texts) return ui::Translations::Load(dir_, LanguageCode(language)).status();
  std::lock_guard lock(mu_);
  if (language_ == language) return Status::Ok();
  other_ = std::exchange(current_, std::move(texts));
  language_ = language;
  return Status::Ok();
}

}  // namespace mentorlog::app
