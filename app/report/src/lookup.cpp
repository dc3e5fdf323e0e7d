#include "lookup.h"

#include <cstdio>

namespace mentorlog::report {

Result<std::string> PersonNames::Of(const core::Uuid& id) {
  if (auto it = names_.find(id); it != names_.end()) return it->second;
  auto person = store_.Get<core::Person>(id);
  std::string name;
  if (person.ok()) {
    name = person->full_name;
  } else if (person.status().code() == StatusCode::kNotFound) {
    name = id.ToString();
  } else {
    return person.status();
  }
  names_.emplace(id, name);
  return name;
}

Result<std::string> PersonNames::Of(const std::optional<core::Uuid>& id) {
  if (!id) return std::string();
  return Of(*id);
}

Result<std::string> PersonNames::Join(const std::vector<core::Uuid>& ids) {
  std::string out;
  for (const auto& id : ids) {
    ASSIGN_OR_RETURN(std::string name, Of(id));
    out += (out.empty() ? "" : ", ") + name;
  }
  return out;
}

Result<std::optional<core::Rubric>> RubricBook::Find(const std::string& code, int64_t version) {
  const auto key = std::make_pair(code, version);
  if (auto it = parsed_.find(key); it != parsed_.end()) return it->second;
  if (!loaded_) {
    ASSIGN_OR_RETURN(templates_, store_.List<core::RubricTemplate>());
    loaded_ = true;
  }
  std::optional<core::Rubric> rubric;
  for (const auto& t : templates_) {
    if (t.code != code || t.version != version) continue;
    auto parsed = core::ParseRubric(t.body_json, t.code + " v" + std::to_string(t.version));
    if (parsed.ok()) rubric = std::move(parsed).value();
    break;
  }
  parsed_.emplace(key, rubric);
  return rubric;
}

std::string LevelText(const core::Rubric* rubric, const std::optional<int64_t>& level, Language language) {
  if (!level) {
    if (rubric != nullptr && !rubric->not_observed.In(language).empty()) return rubric->not_observed.In(language);
    return LocalText{"не наблюдалось", "not observed"}.In(language);
  }
  const std::string number = std::to_string(*level);
  if (rubric != nullptr) {
    for (const auto& l : rubric->levels) {
      if (l.level == *level && !l.label.In(language).empty()) return number + " — " + l.label.In(language);
    }
  }
  return number;
}

std::string DateText(core::Date date, Language language) {
  if (language != Language::kRussian) return date.ToString();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d.%02d.%04d", date.day(), date.month(), date.year());
  return buf;
}

}  // namespace mentorlog::report
