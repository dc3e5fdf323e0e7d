// The rubric templates shipped with the program (assets/rubrics), installed into a device's store.
//
// Thread safety: as the Store's own calls.
#pragma once

#include <filesystem>

#include "mentorlog/base/status.h"
#include "mentorlog/store/store.h"

namespace mentorlog::core {

// Installs every bundled template `store` does not have yet (by id, live or deleted, and by code
// and version) as BundledRubricState (rubric.h), the way a pulled state lands: no outbox entry,
// so a new device's first sync does not send the server the templates it already has. Bundled
// templates have the same id everywhere (RubricTemplateId), so copies never conflict.
Status InstallBundledRubrics(Store& store, const std::filesystem::path& assets_dir);

}  // namespace mentorlog::core
