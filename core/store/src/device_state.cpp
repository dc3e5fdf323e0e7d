// DeviceState: the device's own settings and drafts (device_state.h).
#include "mentorlog/store/device_state.h"

#include <cmath>

#include "store_impl.h"

namespace mentorlog::core {

// [SECTION] Drafts
// -----------------------------------------------------------------------------------------

Status DeviceState::SaveDraft(const DraftEntry& draft) {
  if (draft.key.empty()) {
    return Status::InvalidInput(LocalText{"У черновика должен быть ключ.", "A draft needs a key."});
  }
  return impl_.WriteOnce([&](bool& wrote) -> Status {
    ASSIGN_OR_RETURN(Statement * st,
                     impl_.db_->Prepare("INSERT INTO drafts (key, kind, title, payload, updated_millis) "
                                        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
                                        "kind = excluded.kind, title = excluded.title, payload = excluded.payload, "
                                        "updated_millis = excluded.updated_millis"));
    wrote = true;
    st->BindText(1, draft.key);
    st->BindText(2, draft.kind);
    st->BindText(3, draft.title);
    st->BindText(4, draft.payload);
    st->BindInt(5, impl_.clock_.NowMillis());
    return st->Run();
  });
}

namespace {

DraftEntry DecodeDraft(const Statement& st) {
  DraftEntry d;
  d.key = st.ColumnText(0);
  d.kind = st.ColumnText(1);
  d.title = st.ColumnText(2);
  d.payload = st.ColumnText(3);
  d.updated_millis = st.ColumnInt(4);
  return d;
}

}  // namespace

Result<std::optional<DraftEntry>> DeviceState::Draft(std::string_view key) const {
  std::lock_guard lock(impl_.mu_);
  ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare("SELECT key, kind, title, payload, updated_millis "
                                                      "FROM drafts WHERE key = ?"));
  st->BindText(1, key);
  ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<DraftEntry> out;
  if (row) out = DecodeDraft(*st);
  st->Reset();
  return out;
}

Result<std::vector<DraftEntry>> DeviceState::Drafts() const {
  std::lock_guard lock(impl_.mu_);
  ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare("SELECT key, kind, title, payload, updated_millis "
                                                      "FROM drafts ORDER BY updated_millis DESC, key"));
  std::vector<DraftEntry> out;
  RETURN_IF_ERROR(st->EachRow([&]() -> Status {
    out.push_back(DecodeDraft(*st));
    return Status::Ok();
  }));
  return out;
}

Status DeviceState::DeleteDraft(std::string_view key) {
  return impl_.WriteOnce([&](bool& wrote) -> Status {
    ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare("DELETE FROM drafts WHERE key = ?"));
    wrote = true;
    st->BindText(1, key);
    return st->Run();
  });
}

// -----------------------------------------------------------------------------------------
// [SECTION] Settings
// -----------------------------------------------------------------------------------------

Result<DeviceSettings> DeviceState::Settings() const {
  std::lock_guard lock(impl_.mu_);
  ASSIGN_OR_RETURN(Statement * st, impl_.db_->Prepare("SELECT language, text_scale, auto_sync, work_offline "
                                                      "FROM device_settings WHERE id = 1"));
  DeviceSettings out;
  RETURN_IF_ERROR(st->EachRow([&]() -> Status {
    if (!st->ColumnIsNull(0)) out.language = LanguageFromCode(st->ColumnText(0));
    const FieldValue scale = st->Column(1);
    if (const double* d = std::get_if<double>(&scale)) out.text_scale = static_cast<float>(*d);
    out.auto_sync = st->ColumnInt(2) != 0;
    out.work_offline = st->ColumnInt(3) != 0;
    return Status::Ok();
  }));
  return out;
}

Status DeviceState::SaveSettings(const DeviceSettings& settings) {
  if (!(settings.text_scale > 0) || !std::isfinite(settings.text_scale)) {
    return Status::InvalidInput(
        LocalText{"Размер текста должен быть положительным числом.", "The text size must be a positive number."});
  }
  return impl_.WriteOnce([&](bool& wrote) -> Status {
    ASSIGN_OR_RETURN(Statement * st,
                     impl_.db_->Prepare("INSERT OR REPLACE INTO device_settings "
                                        "(id, language, text_scale, auto_sync, work_offline) VALUES (1, ?, ?, ?, ?)"));
    wrote = true;
    if (settings.language) {
      st->BindText(1, LanguageCode(*settings.language));
    } else {
      st->BindNull(1);
    }
    st->BindValue(2, static_cast<double>(settings.text_scale));
    st->BindInt(3, settings.auto_sync ? 1 : 0);
    st->BindInt(4, settings.work_offline ? 1 : 0);
    return st->Run();
  });
}

}  // namespace mentorlog::core
