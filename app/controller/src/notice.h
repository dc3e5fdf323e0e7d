// Notice: the one-line message after an action ("Visit saved", or what went wrong and what to
// do). Made by any of the controller's owners, shown by the screens' owner (Screens::Tell),
// and rendered in the UI's language at each rebuild, so a language chosen after it shows it
// in the new language.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "mentorlog/base/language.h"
#include "mentorlog/base/status.h"
#include "mentorlog/ui/i18n.h"

namespace mentorlog::app {

struct Notice {
  // The UI's words under `key` (assets/i18n) with `args`.
  static Notice Words(std::string key, std::vector<std::string> args = {}, bool is_error = false) {
    return Notice{std::move(key), std::move(args), {}, is_error};
  }
  // An error's message, kept in both languages.
  static Notice Error(const Status& error) { return Notice{{}, {}, error.local_message(), true}; }

  // The text in `tr`'s language.
  std::string Render(const ui::Translations& tr, Language language) const {
    if (key.empty()) return text.In(language);
    const std::vector<std::string_view> views(args.begin(), args.end());
    return tr.Format(key, views);
  }

  std::string key;  // empty: `text`
  std::vector<std::string> args;
  LocalText text;
  bool is_error = false;
};

}  // namespace mentorlog::app
