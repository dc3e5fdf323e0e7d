// The words the UI shows, from translation files: assets/i18n/<lang>/*.tsv.
//
// Each line of a file is `key<TAB>text`; blank lines and lines starting with '#' are skipped.
// In a text, "\n" is a line break, "\t" a tab and "\\" a backslash; "{0}", "{1}"... are
// filled by Format. Every language must have every key of every other language (a test checks
// the shipped files), and draw code never shows a literal: it asks for a key.
//
// Thread safety: a loaded Translations may be read from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

#include "mentorlog/base/language.h"
#include "mentorlog/base/status.h"

namespace mentorlog::ui {

class Translations {
 public:
  Translations() = default;  // empty: every key shows as itself

  // Loads every *.tsv file in `dir`/`lang`. Errors: NotFound when the folder is missing or
  // has no file, InvalidInput naming the file and line of a malformed line or a key given twice.
  static Result<Translations> Load(const std::filesystem::path& dir, std::string_view lang);

  // The text for `key`; a missing key is shown as the key itself, so it is seen and fixed.
  // The pointer stays valid as long as this Translations.
  const char* operator()(std::string_view key) const;
  // The text with "{0}", "{1}"... replaced by `args` in order.
  std::string Format(std::string_view key, std::initializer_list<std::string_view> args) const;
  std::string Format(std::string_view key, std::span<const std::string_view> args) const;
  // A text about `n` things, in the form the language needs for n: `key` + ".one" (1 school,
  // 21 школа), `key` + ".few" (2–4 школы, 22 школы; English has none: its ".few" is its plural)
  // or `key` itself (5 schools, 11 школ), each where the files have it; {0} is n, {1}... `more`.
  std::string Count(std::string_view key, int64_t n, std::initializer_list<std::string_view> more = {}) const;

  bool Has(std::string_view key) const { return texts_.find(key) != texts_.end(); }
  // The code the files were loaded for ("ru", "en": it names the folder).
  const std::string& lang() const { return lang_; }
  // The language of the words: English for an empty Translations or a folder not named for
  // one, as a draw that formats numbers by language reads it.
  Language language() const { return language_; }
  const std::map<std::string, std::string, std::less<>>& texts() const { return texts_; }

 private:
  std::string lang_;
  Language language_ = Language::kEnglish;
  std::map<std::string, std::string, std::less<>> texts_;
  // Keys asked for but missing, kept so their text outlives the call.
  std::shared_ptr<std::mutex> missing_mu_ = std::make_shared<std::mutex>();
  mutable std::map<std::string, std::string, std::less<>> missing_;  // GUARDED_BY(*missing_mu_)
};

}  // namespace mentorlog::ui
