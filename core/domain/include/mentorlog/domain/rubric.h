// Rubric templates: the JSON files in assets/rubrics/ (schema in assets/rubrics/README.md),
// parsed into a Rubric that validation and the forms use.
//
// Thread safety: pure functions and values.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/base/language.h"
#include "mentorlog/base/status.h"
#include "mentorlog/domain/record_state.h"
#include "mentorlog/domain/records.h"

namespace mentorlog::core {

using ::mentorlog::LocalText;  // base/language.h

struct RubricLevel {
  int64_t level = 0;
  LocalText label;
};

struct RubricDomain {
  std::string code;
  LocalText title;
};

struct RubricCriterion {
  std::string code;
  std::string domain;
  LocalText title;
  LocalText look_for;
  std::vector<LocalText> descriptors;  // index i describes level min_level + i
};

struct Rubric {
  std::string code;
  int64_t version = 0;
  LocalText title;
  LocalText description;
  int64_t min_level = 0;
  int64_t max_level = 0;
  std::vector<RubricLevel> levels;
  LocalText not_observed;
  std::vector<RubricDomain> domains;
  std::vector<RubricCriterion> criteria;

  const RubricCriterion* FindCriterion(std::string_view criterion_code) const;
};

// Parses and checks a template: codes unique, every criterion in a known domain, one
// descriptor per level. Errors name the file's problem (`source` is used in messages).
Result<Rubric> ParseRubric(std::string_view json, std::string_view source);

// The id of the template (code, version): the same on every device and on the server, so a
// bundled template installed everywhere is one record, not one per device.
Uuid RubricTemplateId(std::string_view code, int64_t version);

// Reads a template file into the record the store keeps (its id is RubricTemplateId).
Result<RubricTemplate> LoadRubricTemplateFile(const std::filesystem::path& path);

// The templates shipped in `assets_dir`/rubrics, sorted by (code, version).
Result<std::vector<RubricTemplate>> LoadBundledRubrics(const std::filesystem::path& assets_dir);

// The state a bundled template is installed with, on the server and on every device: every
// field with the clock (stamp 0.1, device "bundled"), older than any write. So every replica
// holds the same state, byte for byte, and nobody has it to push.
RecordState BundledRubricState(const RubricTemplate& t);

// The assets directory: $MENTORLOG_ASSETS if set, else the source tree's assets/.
std::filesystem::path DefaultAssetsDir();

}  // namespace mentorlog::core
