// libFuzzer target: rubric templates (core/include/mentorlog/domain/rubric.h: ParseRubric).
//
// Invariants: what ParseRubric accepts keeps rubric.h's promises: 2 to 11 levels in order
// from min to max, unique domain and criterion codes, every criterion in a known domain and
// every domain with a criterion, one descriptor per level, FindCriterion finds each criterion;
// and the template's id is a version 8 UUID that depends only on (code, version).

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "mentorlog/domain/rubric.h"

namespace {

namespace core = mentorlog::core;
using mentorlog::fuzz::FuzzBytes;
using mentorlog::fuzz::FuzzCheck;

void RubricCheck(const core::Rubric& rubric) {
  FuzzCheck(rubric.version >= 1, "a rubric with a version below 1");
  const int64_t span = rubric.max_level - rubric.min_level;
  FuzzCheck(span >= 1 && span <= 10, "a rubric scale without 2 to 11 levels");
  FuzzCheck(rubric.levels.size() == static_cast<size_t>(span + 1), "a rubric's levels do not cover its scale");
  for (size_t i = 0; i < rubric.levels.size(); ++i) {
    FuzzCheck(rubric.levels[i].level == rubric.min_level + static_cast<int64_t>(i), "a rubric's levels out of order");
  }
  FuzzCheck(!rubric.domains.empty() && !rubric.criteria.empty(), "a rubric without domains or criteria");
  std::set<std::string> domains;
  for (const auto& domain : rubric.domains) {
    FuzzCheck(domains.insert(domain.code).second, "a rubric domain listed twice");
  }
  std::set<std::string> criteria;
  std::set<std::string> used;
  for (const auto& criterion : rubric.criteria) {
    FuzzCheck(criteria.insert(criterion.code).second, "a rubric criterion listed twice");
    FuzzCheck(domains.contains(criterion.domain), "a rubric criterion in an unknown domain");
    used.insert(criterion.domain);
    FuzzCheck(criterion.descriptors.size() == rubric.levels.size(),
              "a rubric criterion without one descriptor a level");
    FuzzCheck(rubric.FindCriterion(criterion.code) == &criterion, "FindCriterion does not find a criterion");
  }
  FuzzCheck(used.size() == domains.size(), "a rubric domain without a criterion");
  const core::Uuid id = core::RubricTemplateId(rubric.code, rubric.version);
  FuzzCheck(id.version() == 8, "a rubric template id that is not a version 8 UUID");
  FuzzCheck(id == core::RubricTemplateId(rubric.code, rubric.version), "a rubric template id that changes");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto rubric = core::ParseRubric(FuzzBytes(data, size), "fuzz.json");
  if (rubric.ok()) RubricCheck(*rubric);
  return 0;
}
