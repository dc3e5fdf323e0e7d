// Screens (screens.h): moving between screens, and the sync's conflicts.
#include <type_traits>

#include "mentorlog/domain/field_codec.h"
#include "screens.h"

namespace mentorlog::app {

void Screens::On(const ui::OpenSchool& a) {
  school_id_ = a.school_id;
  MarkDirty(kSchool);
}

void Screens::On(const ui::OpenTeacher& a) {
  teacher_id_ = a.teacher_id;
  MarkDirty(kTeacher);
}

void Screens::On(const ui::OpenPlan& a) {
  plan_ = a;
  MarkDirty(kPlan);
}

void Screens::On(const ui::OpenProgramme&) {
  programme_open_ = true;
  MarkDirty(kProgramme);
}

void Screens::On(const ui::FilterRecommendations& a) {
  filter_ = a.filter;
  MarkDirty(kRecommendations);
}

void Screens::On(const ui::ResolveConflict& a) {
  MarkDirty(kAll);
  ShowIfError([&]() -> Status {
    ASSIGN_OR_RETURN(core::Uuid id, core::Uuid::Parse(a.conflict_id));
    ASSIGN_OR_RETURN(auto conflicts, store_.ledger().Conflicts());
    for (const auto& c : conflicts) {
      if (c.id != id) continue;
      return store_.records().InTransaction([&]() -> Status {
        RETURN_IF_ERROR(core::VisitKind(c.kind, [&]<class R>() -> Status {
          ASSIGN_OR_RETURN(R record, store_.records().Get<R>(c.record_id));
          Status set = Status::InvalidInput(c.field);
          core::ForEachFieldDef<R>([&](const auto& def) {
            if (def.name != c.field) return;
            using T = std::remove_cvref_t<decltype(record.*(def.member))>;
            set = core::FieldCodec<T>::FromText(a.value, record.*(def.member));
          });
          RETURN_IF_ERROR(set);
          return store_.records().Save(std::move(record)).status();
        }));
        return store_.ledger().DismissConflict(id);
      });
    }
    return store_.ledger().DismissConflict(id);  // NotFound, with the store's message
  }());
}

void Screens::On(const ui::DismissConflict& a) {
  auto id = core::Uuid::Parse(a.conflict_id);
  ShowIfError(id.ok() ? store_.ledger().DismissConflict(*id) : id.status());
  MarkDirty(kSync);
}

}  // namespace mentorlog::app
