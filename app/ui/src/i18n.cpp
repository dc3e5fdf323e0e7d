#include "mentorlog/ui/i18n.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

namespace mentorlog::ui {
namespace {

namespace fs = std::filesystem;

// "\n", "\t" and "\\" in a text; anything else after a backslash is kept as it is.
std::string Unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      const char c = text[i + 1];
      if (c == 'n' || c == 't' || c == '\\') {
        out += c == 'n' ? '\n' : c == 't' ? '\t' : '\\';
        ++i;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace

Result<Translations> Translations::Load(const fs::path& dir, std::string_view lang) {
  const fs::path folder = dir / std::string(lang);
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".tsv") files.push_back(it->path());
  }
  if (files.empty()) {
    return Status::NotFound("no translation files (*.tsv) in " + folder.string() +
                            "; reinstall MentorLog or pass --assets DIR");
  }
  std::sort(files.begin(), files.end());
  Translations t;
  t.lang_ = std::string(lang);
  t.language_ = LanguageFromCode(lang).value_or(Language::kEnglish);
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Status::IoError("cannot read " + file.string());
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // a BOM
      if (line.empty() || line[0] == '#') continue;
      const size_t tab = line.find('\t');
      const std::string where = file.string() + ", line " + std::to_string(number);
      if (tab == std::string::npos || tab == 0) {
        return Status::InvalidInput(where + ": expected «key<TAB>text»");
      }
      std::string key = line.substr(0, tab);
      if (t.texts_.count(key) != 0) return Status::InvalidInput(where + ": the key «" + key + "» is given twice");
      t.texts_.emplace(std::move(key), Unescape(std::string_view(line).substr(tab + 1)));
    }
  }
  return t;
}

const char* Translations::operator()(std::string_view key) const {
  if (auto it = texts_.find(key); it != texts_.end()) return it->second.c_str();
  std::lock_guard lock(*missing_mu_);
  auto it = missing_.find(key);
  if (it == missing_.end()) it = missing_.emplace(std::string(key), std::string(key)).first;
  return it->second.c_str();
}

std::string Translations::Count(std::string_view key, int64_t n, std::initializer_list<std::string_view> more) const {
  const int64_t a = n < 0 ? -n : n;
  const int64_t last = a % 10, last_two = a % 100;
  std::string_view form;  // the base key: English plural, Russian "many" (5 школ)
  if (language_ == Language::kRussian) {
    if (last == 1 && last_two != 11) {
      form = ".one";
    } else if (last >= 2 && last <= 4 && (last_two < 12 || last_two > 14)) {
      form = ".few";
    }
  } else if (a == 1) {
    form = ".one";
  }
  std::string chosen(key);
  if (!form.empty() && Has(chosen + std::string(form))) chosen += form;
  const std::string count = std::to_string(n);
  std::vector<std::string_view> args = {count};
  args.insert(args.end(), more.begin(), more.end());
  return Format(chosen, std::span<const std::string_view>(args));
}

std::string Translations::Format(std::string_view key, std::initializer_list<std::string_view> args) const {
  return Format(key, std::span<const std::string_view>(args.begin(), args.size()));
}

std::string Translations::Format(std::string_view key, std::span<const std::string_view> args) const {
  const std::string_view text = (*this)(key);
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 2 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9' && text[i + 2] == '}') {
      const size_t n = static_cast<size_t>(text[i + 1] - '0');
      if (n < args.size()) {
        out += args[n];
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace mentorlog::ui
