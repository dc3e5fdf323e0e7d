#include "mentorlog/domain/record_state.h"

#include <cstring>

namespace mentorlog::core {

RecordState StateFromChange(const Change& change) {
  RecordState state;
  state.kind = change.kind;
  state.id = change.record_id;
  if (change.op == ChangeOp::kDelete) {
    state.deleted = FieldClock{change.stamp, change.device_id};
    return state;
  }
  state.fields.reserve(change.fields.size());
  for (const auto& f : change.fields) {
    state.fields.push_back({f.field, f.value, FieldClock{f.stamp, change.device_id}, f.base});
  }
  return state;
}

std::vector<std::string_view> FieldNamesOf(RecordKind kind) {
  return VisitKind(kind, []<class R>() {
    std::vector<std::string_view> names;
    ForEachFieldDef<R>([&](const auto& def) { names.push_back(def.name); });
    return names;
  });
}

bool IsFieldOf(RecordKind kind, std::string_view name) {
  for (std::string_view n : FieldNamesOf(kind)) {
    if (n == name) return true;
  }
  return false;
}

Result<std::vector<FieldValue>> CompleteValues(const RecordState& state) {
  return VisitKind(state.kind, [&]<class R>() -> Result<std::vector<FieldValue>> {
    ASSIGN_OR_RETURN(R record, RecordFromState<R>(state));
    std::vector<FieldValue> values;
    ForEachFieldDef<R>([&](const auto& def) {
      using T = std::remove_cvref_t<decltype(record.*(def.member))>;
      values.push_back(FieldCodec<T>::Encode(record.*(def.member)));
    });
    return values;
  });
}

namespace {

void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}

void PutBytes(std::string& out, std::string_view bytes) {
  PutU32(out, static_cast<uint32_t>(bytes.size()));
  out.append(bytes);
}

}  // namespace

std::string CanonicalBytes(RecordKind kind, const Uuid& id, const std::vector<FieldValue>& values) {
  std::string out;
  PutBytes(out, EnumCode(kind));
  out.append(reinterpret_cast<const char*>(id.bytes().data()), id.bytes().size());
  const auto names = FieldNamesOf(kind);
  for (size_t i = 0; i < values.size() && i < names.size(); ++i) {
    PutBytes(out, names[i]);
    const FieldValue& v = values[i];
    out.push_back(static_cast<char>(v.index()));
    if (const auto* n = std::get_if<int64_t>(&v)) {
      const auto u = static_cast<uint64_t>(*n);
      for (int b = 0; b < 8; ++b) out.push_back(static_cast<char>((u >> (8 * b)) & 0xFFu));
    } else if (const auto* d = std::get_if<double>(&v)) {
      uint64_t u = 0;
      std::memcpy(&u, d, sizeof u);
      for (int b = 0; b < 8; ++b) out.push_back(static_cast<char>((u >> (8 * b)) & 0xFFu));
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      PutBytes(out, *s);
    }
  }
  return out;
}

}  // namespace mentorlog::core
