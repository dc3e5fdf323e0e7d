#include "mentorlog/base/language.h"

namespace mentorlog {

std::string_view LanguageCode(Language language) { return language == Language::kRussian ? "ru" : "en"; }

std::optional<Language> LanguageFromCode(std::string_view code) {
  if (code.substr(0, 2) == "ru") return Language::kRussian;
  if (code.substr(0, 2) == "en") return Language::kEnglish;
  return std::nullopt;
}

}  // namespace mentorlog
