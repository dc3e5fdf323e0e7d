// Language: the two languages MentorLog speaks, Russian and English.
//
// Thread safety: values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mentorlog {

enum class Language { kRussian, kEnglish };

// "ru" or "en" (as stored in settings and given by --lang).
std::string_view LanguageCode(Language language);
// The language of a code: "ru", "ru_RU.UTF-8" and other "ru…" are Russian, "en…" English;
// nullopt for anything else.
std::optional<Language> LanguageFromCode(std::string_view code);

// A text in both languages, for what is shown to people in either: rubric labels, refusals,
// risk titles.
struct LocalText {
  std::string ru;
  std::string en;
  const std::string& In(Language language) const { return language == Language::kRussian ? ru : en; }
  friend bool operator==(const LocalText&, const LocalText&) = default;
};

// Joins texts language by language; a single text (a number, a path, a server's words) joins
// both: LocalText{"Нет связи (", "No connection ("} + detail + LocalText{")", ")"}.
inline LocalText operator+(LocalText a, const LocalText& b) {
  a.ru += b.ru;
  a.en += b.en;
  return a;
}
inline LocalText operator+(LocalText a, std::string_view b) {
  a.ru += b;
  a.en += b;
  return a;
}
inline LocalText operator+(std::string_view a, const LocalText& b) {
  return LocalText{std::string(a) + b.ru, std::string(a) + b.en};
}

// The one of two texts that is in `language`: Pick(lang, "Saved", "Сохранено").
inline std::string_view Pick(Language language, std::string_view en, std::string_view ru) {
  return language == Language::kRussian ? ru : en;
}

}  // namespace mentorlog
