// The sync protocol's messages and their wire form (docs/sync.md, docs/http-api.md).
//
// Every request is an HTTP POST whose body is one message, encoded as below and compressed
// as one zstd frame. Every request carries the header `X-MentorLog-Protocol: <version>`; a
// server that no longer speaks it answers 426 with a message asking to update the app.
// Errors come back as JSON (ErrorBody) with a 4xx/5xx status.
//
// Wire form of a message (before compression): the magic "MLOG", a message type byte, then
// the fields in declaration order. Integers are little-endian fixed width; a string or a byte
// blob is a u32 length then the bytes; a list is a u32 count then the elements. Changes and
// record states are embedded as length-prefixed cereal portable-binary blobs (core/serialize.h).
// Decoding is bounded: no length prefix is trusted beyond the bytes that remain, and a body
// larger than kMaxBodyBytes (compressed or not) is refused.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/change.h"
#include "mentorlog/domain/record_state.h"

namespace mentorlog::sync {

using core::Change;
using core::FieldClock;
using core::FieldValue;
using core::RecordKind;
using core::RecordState;
using core::Uuid;

// Version 1 was the first. The server answers 426 to a version below kOldestProtocol.
// Version 3: a push answer names the refused records the server holds no copy of (not_held).
inline constexpr uint32_t kProtocolVersion = 3;
inline constexpr uint32_t kOldestProtocol = 3;
inline constexpr std::string_view kProtocolHeader = "X-MentorLog-Protocol";
inline constexpr std::string_view kContentType = "application/x-mentorlog+zstd";

// Bodies above this, compressed or decompressed, are refused before decoding.
inline constexpr size_t kMaxBodyBytes = 32u << 20;

// Defaults for batch bounds; the server caps what a client asks for.
inline constexpr uint32_t kDefaultBatchRows = 500;
inline constexpr uint32_t kDefaultBatchBytes = 512u << 10;
inline constexpr uint32_t kMaxBatchRows = 5000;
inline constexpr uint32_t kMaxBatchBytes = 4u << 20;

enum class Role : uint8_t { kMentor = 1, kTutor = 2, kCoordinator = 3, kAdmin = 4 };
std::string_view RoleCode(Role role);                     // "mentor", ...
std::optional<Role> RoleFromCode(std::string_view code);  // accepts the codes only

// ---- /v1/login, /v1/logout -------------------------------------------------------------

struct LoginRequest {
  std::string login;
  std::string password;
  std::string device_id;
};

struct LoginResponse {
  std::string token;  // 64 hex characters (256 random bits); the server keeps only its hash
  int64_t expires_millis = 0;
  Uuid person_id;
  Role role = Role::kMentor;
  std::string display_name;
};

// ---- /v1/push -------------------------------------------------------------------------

struct PushRequest {
  std::string device_id;
  std::vector<Change> changes;  // this device's outbox entries, op_seq ascending, no gaps
};

// A change the server refused. The rest of the batch is applied; this one never will be.
struct Rejection {
  uint64_t op_seq = 0;
  RecordKind kind = RecordKind::kSchool;
  Uuid record_id;
  std::string code;  // "permission", "validation", "append_only", "unknown_field"
  std::string reason_en;
  std::string reason_ru;
};

struct PushResponse {
  // Every op seq up to this one is applied or rejected: the device may drop them from its
  // queue. A replayed batch gets the same number again and changes nothing.
  uint64_t acked_op_seq = 0;
  std::vector<Rejection> rejected;
  uint32_t clamped = 0;  // how many stamps were too far ahead of the server's clock
  int64_t server_millis = 0;
  // The records of refused changes of which the server holds no copy this account may see
  // (a record created in a school that is not the writer's): the device drops its own copy,
  // as it takes the server's word for a refused edit, and keeps the change in `rejected`.
  std::vector<Uuid> not_held;
};

// ---- /v1/pull -------------------------------------------------------------------------

struct PullRequest {
  std::string device_id;
  std::string cursor;  // opaque; empty on a fresh device
  uint32_t max_rows = kDefaultBatchRows;
  uint32_t max_bytes = kDefaultBatchBytes;
};

// A concurrent edit that lost, as the server recorded it: the domain's one conflict type.
using ConflictRecord = core::Conflict;

struct PullResponse {
  std::vector<RecordState> records;  // complete states, in server order
  std::vector<ConflictRecord> conflicts;
  std::string next_cursor;  // save it with the records, in one transaction
  bool more = false;        // ask again: there is more after next_cursor
  std::vector<Uuid> scope;  // the schools this user sees now
  int64_t server_millis = 0;
};

// ---- errors ---------------------------------------------------------------------------

// The JSON body of every 4xx/5xx answer: {"code": "...", "message_en": "...", "message_ru": "..."}.
struct ErrorBody {
  std::string code;  // "unauthorized", "forbidden", "upgrade_required", "bad_request", ...
  std::string message_en;
  std::string message_ru;
};
std::string EncodeErrorJson(const ErrorBody& error);
// Never fails: a body that is not our JSON becomes {code "http_error", the text cut short}.
ErrorBody DecodeErrorJson(std::string_view body);

// ---- wire -----------------------------------------------------------------------------

// Encode: the uncompressed message bytes. Decode: bounded; Corruption says what was wrong.
std::string Encode(const LoginRequest& m);
std::string Encode(const LoginResponse& m);
std::string Encode(const PushRequest& m);
std::string Encode(const PushResponse& m);
std::string Encode(const PullRequest& m);
std::string Encode(const PullResponse& m);
Result<LoginRequest> DecodeLoginRequest(std::string_view bytes);
Result<LoginResponse> DecodeLoginResponse(std::string_view bytes);
Result<PushRequest> DecodePushRequest(std::string_view bytes);
Result<PushResponse> DecodePushResponse(std::string_view bytes);
Result<PullRequest> DecodePullRequest(std::string_view bytes);
Result<PullResponse> DecodePullResponse(std::string_view bytes);

// A conflict as the server stores it (same bounded form as the messages).
std::string EncodeConflict(const ConflictRecord& c);
Result<ConflictRecord> DecodeConflict(std::string_view bytes);

// One zstd frame. Decompress refuses frames that say (or turn out) to be larger than
// `max_bytes`, without allocating for them first.
std::string Compress(std::string_view bytes, int level = 3);
Result<std::string> Decompress(std::string_view frame, size_t max_bytes = kMaxBodyBytes);

// The size of a record state on the wire (for batch byte bounds), without encoding it.
size_t WireSize(const RecordState& state);

}  // namespace mentorlog::sync
