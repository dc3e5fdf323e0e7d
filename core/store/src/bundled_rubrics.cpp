#include "mentorlog/store/bundled_rubrics.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "mentorlog/domain/rubric.h"

namespace mentorlog::core {

Status InstallBundledRubrics(Store& store, const std::filesystem::path& assets_dir) {
  ASSIGN_OR_RETURN(std::vector<RubricTemplate> bundled, LoadBundledRubrics(assets_dir));
  // Which templates are missing; asked again under the transaction, so two processes opening
  // the store at once install each template once.
  auto missing = [&]() -> Result<std::vector<const RubricTemplate*>> {
    ASSIGN_OR_RETURN(std::vector<RubricTemplate> installed, store.records().List<RubricTemplate>());
    std::vector<const RubricTemplate*> out;
    for (const RubricTemplate& t : bundled) {
      const bool same_code = std::any_of(installed.begin(), installed.end(),
                                         [&](const auto& i) { return i.code == t.code && i.version == t.version; });
      if (same_code) continue;
      ASSIGN_OR_RETURN(std::optional<RecordState> known, store.ledger().StateOf(t.id));
      if (!known) out.push_back(&t);  // a deleted one stays deleted
    }
    return out;
  };
  ASSIGN_OR_RETURN(std::vector<const RubricTemplate*> todo, missing());
  if (todo.empty()) return Status::Ok();  // every start: no write, no lock
  return store.ledger().InTransaction([&]() -> Status {
    ASSIGN_OR_RETURN(todo, missing());
    for (const RubricTemplate* t : todo) RETURN_IF_ERROR(store.ledger().ApplyState(BundledRubricState(*t)));
    return Status::Ok();
  });
}

}  // namespace mentorlog::core
