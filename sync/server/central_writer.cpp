// The central store as a RecordWriter (central_writer.h).
#include "central_writer.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "mentorlog/domain/enums.h"
#include "mentorlog/domain/rubric.h"
#include "mentorlog/domain/validation.h"

namespace mentorlog::server {

using core::EditAction;
using core::RecordKind;

// Lookups for validation, over the central store and the unsent writes.
class CentralWriter::Context final : public core::ValidationContext {
 public:
  explicit Context(const CentralWriter& w) : w_(w) {}
  core::Date Today() const override { return w_.Today(); }
  std::optional<core::School> FindSchool(const Uuid& id) const override { return Find<core::School>(id); }
  std::optional<core::Person> FindPerson(const Uuid& id) const override { return Find<core::Person>(id); }
  std::optional<core::Observation> FindObservation(const Uuid& id) const override {
    return Find<core::Observation>(id);
  }
  std::optional<core::NetworkEvent> FindEvent(const Uuid& id) const override { return Find<core::NetworkEvent>(id); }
  std::optional<core::MonitoringRound> FindRound(const Uuid& id) const override {
    return Find<core::MonitoringRound>(id);
  }
  // A deleted source keeps its date (as on the device: tombstones keep their values).
  std::optional<core::Date> SourceDate(core::SourceKind kind, const Uuid& id) const override {
    auto current = w_.Current(id);
    if (!current.ok() || !*current) return std::nullopt;
    auto date_of = [&]<class R>() -> std::optional<core::Date> {
      if ((*current)->kind != core::RecordTraits<R>::kKind) return std::nullopt;
      auto r = core::RecordFromState<R>(**current);
      return r.ok() ? std::optional<core::Date>(r->date) : std::nullopt;
    };
    switch (kind) {
      case core::SourceKind::kVisit:
        return date_of.template operator()<core::Visit>();
      case core::SourceKind::kObservation:
        return date_of.template operator()<core::Observation>();
      case core::SourceKind::kConsultation:
        return date_of.template operator()<core::Consultation>();
    }
    return std::nullopt;
  }
  // Templates never change once released (a change is a new version): each is read once.
  std::optional<core::Rubric> FindRubric(std::string_view code, int64_t version) const override {
    const auto key = std::make_pair(std::string(code), version);
    if (auto it = rubrics_.find(key); it != rubrics_.end()) return it->second;
    std::optional<core::Rubric> found;
    const Status walk =
        w_.ForEachLive(RecordKind::kRubricTemplate, {}, Uuid(), [&](const RecordState& state) -> Status {
          auto t = core::RecordFromState<core::RubricTemplate>(state);
          if (!t.ok() || t->code != code || t->version != version) return Status::Ok();
          auto rubric = core::ParseRubric(t->body_json, code);
          if (rubric.ok()) found = std::move(rubric).value();
          return Status::Cancelled("found");
        });
    (void)walk;  // an unreadable template is a missing one: validation says the rubric is unknown
    if (found) rubrics_.emplace(key, *found);  // a miss is asked again: the template may come later
    return found;
  }

 private:
  template <class R>
  std::optional<R> Find(const Uuid& id) const {
    auto state = w_.LiveState(core::RecordTraits<R>::kKind, id);
    if (!state.ok() || !*state) return std::nullopt;
    auto r = core::RecordFromState<R>(**state);
    return r.ok() ? std::optional<R>(std::move(r).value()) : std::nullopt;
  }
  const CentralWriter& w_;
  mutable std::map<std::pair<std::string, int64_t>, core::Rubric> rubrics_;
};

CentralWriter::CentralWriter(Storage& storage, SyncService& service, std::string district,
                             const mentorlog::Clock& clock)
    : storage_(storage),
      service_(service),
      district_(std::move(district)),
      clock_(clock),
      hlc_(clock),
      device_id_("central-" + Uuid::MakeV7(clock.NowMillis()).ToString()),
      context_(std::make_unique<Context>(*this)) {}

CentralWriter::~CentralWriter() = default;

core::Date CentralWriter::Today() const {
  return core::Date::FromUnixMillis(clock_.NowMillis(), clock_.UtcOffsetMinutes());
}

Result<std::optional<RecordState>> CentralWriter::Current(const Uuid& id) const {
  if (auto it = written_.find(id); it != written_.end()) return std::optional<RecordState>(it->second);
  std::optional<RecordState> out;
  RETURN_IF_ERROR(storage_.Read([&](StorageTx& tx) -> Status {
    ASSIGN_OR_RETURN(std::optional<StoredRecord> stored, tx.LoadRecord(id));
    if (stored) out = std::move(stored->state);
    return Status::Ok();
  }));
  return out;
}

Result<std::optional<RecordState>> CentralWriter::LiveState(RecordKind kind, const Uuid& id) const {
  ASSIGN_OR_RETURN(std::optional<RecordState> current, Current(id));
  if (!current || current->deleted || current->kind != kind) return std::optional<RecordState>();
  return current;
}

Status CentralWriter::ForEachLive(RecordKind kind, std::string_view field, const Uuid& id,
                                  const std::function<Status(const RecordState&)>& fn) const {
  // The central store's records of `kind` with the unsent writes over them, by id.
  std::map<Uuid, RecordState> live;
  RETURN_IF_ERROR(storage_.Read([&](StorageTx& tx) -> Status {
    return tx.ScanKind(kind, [&](const StoredRecord& r) -> Status {
      live.emplace(r.state.id, r.state);
      return Status::Ok();
    });
  }));
  for (const auto& [written_id, state] : written_) {
    if (state.kind != kind) continue;
    if (state.deleted) {
      live.erase(written_id);
    } else {
      live.insert_or_assign(written_id, state);
    }
  }
  const std::string wanted = id.ToString();
  for (const auto& [record_id, state] : live) {
    if (!field.empty()) {
      const core::FieldState* f = state.Find(field);
      const auto* text = f ? std::get_if<std::string>(&f->value) : nullptr;
      if (text == nullptr || *text != wanted) continue;
    }
    RETURN_IF_ERROR(fn(state));
  }
  return Status::Ok();
}

void CentralWriter::Remember(const Uuid& id, RecordState state) {
  auto it = written_.find(id);
  undo_.emplace_back(id, it == written_.end() ? std::nullopt : std::optional<RecordState>(it->second));
  written_.insert_or_assign(id, std::move(state));
}

Status CentralWriter::InTransaction(const std::function<Status()>& fn) {
  const size_t undo_mark = undo_.size();
  const size_t pending_mark = pending_.size();
  const uint64_t op_seq_mark = next_op_seq_;
  ++depth_;
  Status s = fn();
  --depth_;
  if (s.ok() && depth_ == 0) s = Send();
  if (!s.ok()) {
    while (undo_.size() > undo_mark) {
      auto& [id, before] = undo_.back();
      if (before) {
        written_.insert_or_assign(id, std::move(*before));
      } else {
        written_.erase(id);
      }
      undo_.pop_back();
    }
    pending_.resize(pending_mark);
    next_op_seq_ = op_seq_mark;
  }
  return s;
}

Status CentralWriter::Send() {
  if (pending_.empty()) return Status::Ok();
  std::string district = district_;
  if (district.empty()) {
    std::set<std::string> districts;
    for (const auto& [id, state] : written_) {
      if (state.kind != RecordKind::kSchool || state.deleted) continue;
      auto school = core::RecordFromState<core::School>(state);
      if (school.ok()) districts.insert(school->district);
    }
    ASSIGN_OR_RETURN(district, service_.OnlyDistrict(std::move(districts)));
  }
  ASSIGN_OR_RETURN(std::vector<sync::Rejection> refused, service_.IngestChanges(device_id_, pending_, district));
  sent_ += pending_.size();
  refused_.insert(refused_.end(), refused.begin(), refused.end());
  // Sent: the central store holds them now (and a refused one is not there to read back).
  pending_.clear();
  written_.clear();
  undo_.clear();
  return Status::Ok();
}

template <class R>
Result<RecordState> CentralWriter::SaveTyped(RecordState state, EditAction action) {
  ASSIGN_OR_RETURN(R record, core::RecordFromState<R>(state));
  if (record.id.IsNil()) record.id = Uuid::MakeV7(clock_.NowMillis());
  ASSIGN_OR_RETURN(std::optional<RecordState> current, Current(record.id));
  std::optional<R> stored;
  if (current) {
    if (current->kind != core::RecordTraits<R>::kKind) return core::IdOfAnotherKind(record.id, current->kind);
    if (current->deleted) return core::DeletedRecordRefusal();
    ASSIGN_OR_RETURN(R old, core::RecordFromState<R>(*current));
    stored = std::move(old);
  }
  const core::ValidationErrors errors = core::Validate(record, *context_);
  ASSIGN_OR_RETURN(core::SavePlan plan, core::PlanSave(stored ? &*stored : nullptr, record, errors, action));
  RecordState values = core::StateFromRecord(record);
  if (plan.changed.empty()) return values;

  // The write as a device's change: each changed field over the clock of the value it replaces.
  if (current) {
    for (const core::FieldState& f : current->fields) hlc_.Observe(f.clock.stamp);
  }
  const core::HlcStamp stamp = hlc_.Now();
  core::Change change;
  change.device_id = device_id_;
  change.op_seq = next_op_seq_;
  change.kind = core::RecordTraits<R>::kKind;
  change.record_id = record.id;
  change.op = core::ChangeOp::kUpsert;
  change.stamp = stamp;
  RecordState next = current ? std::move(*current) : values;
  for (size_t i : plan.changed) {
    const core::FieldState& value = values.fields[i];
    core::FieldState* held = next.Find(value.field);
    core::FieldClock base = current && held ? held->clock : core::FieldClock{};
    change.fields.push_back({value.field, value.value, stamp, base});
    const core::FieldState updated{value.field, value.value, {stamp, device_id_}, {}};
    if (held) {
      *held = updated;
    } else {
      next.fields.push_back(updated);
    }
  }
  pending_.push_back(std::move(change));
  ++next_op_seq_;
  Remember(record.id, std::move(next));
  return values;
}

Result<RecordState> CentralWriter::SaveState(RecordState state, EditAction action) {
  Result<RecordState> out = Status::Internal("not saved");
  RETURN_IF_ERROR(InTransaction([&]() -> Status {
    out = core::VisitKind(state.kind, [&]<class R>() { return SaveTyped<R>(std::move(state), action); });
    return out.status();
  }));
  return out;
}

Status CentralWriter::Delete(RecordKind kind, const Uuid& id) {
  return InTransaction([&]() -> Status {
    ASSIGN_OR_RETURN(std::optional<RecordState> live, LiveState(kind, id));
    if (!live) return core::NoSuchRecord(kind, id, /*to_delete=*/true);
    for (const core::FieldState& f : live->fields) hlc_.Observe(f.clock.stamp);
    const core::HlcStamp stamp = hlc_.Now();
    core::Change change;
    change.device_id = device_id_;
    change.op_seq = next_op_seq_++;
    change.kind = kind;
    change.record_id = id;
    change.op = core::ChangeOp::kDelete;
    change.stamp = stamp;
    pending_.push_back(std::move(change));
    live->deleted = core::FieldClock{stamp, device_id_};
    Remember(id, std::move(*live));
    return Status::Ok();
  });
}

}  // namespace mentorlog::server
