// CentralWriter: the central store as a core::RecordWriter, so that `mentorlog-server import`
// and `demo` run the same import and demo code as a device, straight into the server's storage.
//
// Writes are kept in memory until the outermost InTransaction returns Ok; then they go into the
// central store as changes of the writer's own device ("central-<uuid>", full rights) through
// SyncService::IngestChanges, the path of every device's push: the same validation, merge and
// scope indexes, and the devices pull them like any other change. Before that, every write is
// checked here by the domain's own rules (validation.h, rules.h CheckEdit, record_writer.h
// PlanSave) against the central store plus the writes not yet sent, so a refused row is
// refused while the import can still report it and go on.
//
// Reads (LiveState, ForEachLive) see the central store and the writes not yet sent.
// A failed nested InTransaction undoes only its own writes; a failed outermost one sends none.
//
// Thread safety: one thread at a time. Other clients may sync meanwhile: their writes and these
// merge by the usual rules (a concurrent edit becomes a conflict, nothing is lost).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/base/clock.h"
#include "mentorlog/domain/hlc.h"
#include "mentorlog/domain/record_writer.h"
#include "service.h"
#include "storage.h"

namespace mentorlog::server {

class CentralWriter final : public core::RecordWriter {
 public:
  // `district`: where records without a school go; "" for the one district of the central store
  // and of the schools written (SyncService::OnlyDistrict). Refusals are in both languages.
  CentralWriter(Storage& storage, SyncService& service, std::string district, const mentorlog::Clock& clock);
  ~CentralWriter() override;
  CentralWriter(const CentralWriter&) = delete;
  CentralWriter& operator=(const CentralWriter&) = delete;

  core::Date Today() const override;
  Status InTransaction(const std::function<Status()>& fn) override;
  Result<RecordState> SaveState(RecordState state, core::EditAction action) override;
  Result<std::optional<RecordState>> LiveState(core::RecordKind kind, const Uuid& id) const override;
  Status ForEachLive(core::RecordKind kind, std::string_view field, const Uuid& id,
                     const std::function<Status(const RecordState&)>& fn) const override;
  Status Delete(core::RecordKind kind, const Uuid& id) override;

  // Changes sent to the central store so far, and those of them it refused (with its reasons).
  size_t sent() const { return sent_; }
  const std::vector<sync::Rejection>& refused() const { return refused_; }

  class Context;  // the ValidationContext over the central store and the unsent writes

 private:
  // The record as the central store plus the unsent writes have it; nullopt when unknown.
  Result<std::optional<RecordState>> Current(const Uuid& id) const;
  template <class R>
  Result<RecordState> SaveTyped(RecordState state, core::EditAction action);
  void Remember(const Uuid& id, RecordState state);  // with an undo entry
  Status Send();

  Storage& storage_;
  SyncService& service_;
  std::string district_;
  const mentorlog::Clock& clock_;
  core::HybridLogicalClock hlc_;
  std::string device_id_;
  uint64_t next_op_seq_ = 1;
  int depth_ = 0;
  std::map<Uuid, RecordState> written_;                            // unsent writes: the state after them
  std::vector<std::pair<Uuid, std::optional<RecordState>>> undo_;  // (id, what written_ held before)
  std::vector<core::Change> pending_;                              // unsent changes, in op seq order
  size_t sent_ = 0;
  std::vector<sync::Rejection> refused_;
  std::unique_ptr<Context> context_;
};

}  // namespace mentorlog::server
