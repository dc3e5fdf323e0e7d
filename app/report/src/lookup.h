// Private: names of people and parsed rubrics, looked up in the store once each.
//
// Thread safety: one thread at a time (caches).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/rubric.h"
#include "mentorlog/store/records.h"

namespace mentorlog::report {

class PersonNames {
 public:
  explicit PersonNames(const core::Records& store) : store_(store) {}
  // The person's full name; the id itself when the person is not in the store (not synced yet,
  // or deleted). Errors: the store's, other than NotFound.
  Result<std::string> Of(const core::Uuid& id);
  Result<std::string> Of(const std::optional<core::Uuid>& id);   // "" for none
  Result<std::string> Join(const std::vector<core::Uuid>& ids);  // "A, B"

 private:
  const core::Records& store_;
  std::map<core::Uuid, std::string> names_;
};

class RubricBook {
 public:
  explicit RubricBook(const core::Records& store) : store_(store) {}
  // The rubric (code, version) as the store has it; nullopt when the store lacks it or its
  // template cannot be parsed. Errors: the store's.
  Result<std::optional<core::Rubric>> Find(const std::string& code, int64_t version);

 private:
  const core::Records& store_;
  bool loaded_ = false;
  std::vector<core::RubricTemplate> templates_;
  std::map<std::pair<std::string, int64_t>, std::optional<core::Rubric>> parsed_;
};

// "2 — Достаточный уровень" for a level of `rubric`, or "2" when the rubric has no label for
// it; the rubric's "not observed" label (or a default) for no level.
std::string LevelText(const core::Rubric* rubric, const std::optional<int64_t>& level, Language language);

// A date as the report's reader writes it: "20.11.2026" in Russian, "2026-11-20" in English.
std::string DateText(core::Date date, Language language);

}  // namespace mentorlog::report
