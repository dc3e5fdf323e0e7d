// Reading a record from a JSON object written by a person or a script (`mentorlog-cli add`,
// `edit`): keys are RecordTraits field names; values are JSON strings, numbers, booleans,
// null, or arrays for list fields. Only the keys present are applied, so an edit can send
// just the fields it changes.
//
// Thread safety: pure functions.
#pragma once

#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/records.h"

namespace mentorlog::core {

// Applies the fields of `json` to `record`. Errors (InvalidInput) name the field and say
// what was expected; an unknown key is an error listing the known ones; JSON nested more than
// 8 levels deep (a record uses 3) is refused before it is parsed, so no input can exhaust the
// stack. "id" is ignored when `allow_id` is false. Texts are taken as they are: the record's
// validation refuses those a record may not hold (text.h).
template <class R>
Status ApplyJson(std::string_view json, R& record, bool allow_id = false);

// The "scores" array of an observation's JSON, if any: [{"criterion_code": "...",
// "level": 2 | null, "evidence": "..."}].
Result<std::vector<ObservationScore>> ScoresFromJson(std::string_view json);

}  // namespace mentorlog::core
