// The wire form of the sync messages (protocol.h) and their zstd framing.
//
// [SECTION] Writer and bounded Reader
// [SECTION] Messages
// [SECTION] Errors as JSON
// [SECTION] zstd

#include "mentorlog/sync/protocol.h"

#include <zstd.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <memory>

#include "mentorlog/domain/json_text.h"
#include "mentorlog/domain/serialize.h"

namespace mentorlog::sync {

std::string_view RoleCode(Role role) {
  switch (role) {
    case Role::kMentor:
      return "mentor";
    case Role::kTutor:
      return "tutor";
    case Role::kCoordinator:
      return "coordinator";
    case Role::kAdmin:
      return "admin";
  }
  return "mentor";
}

std::optional<Role> RoleFromCode(std::string_view code) {
  for (Role r : {Role::kMentor, Role::kTutor, Role::kCoordinator, Role::kAdmin}) {
    if (RoleCode(r) == code) return r;
  }
  return std::nullopt;
}

namespace {

// -----------------------------------------------------------------------------------------
// [SECTION] Writer and bounded Reader
// -----------------------------------------------------------------------------------------

constexpr std::string_view kMagic = "MLOG";

enum class MessageType : uint8_t {
  kLoginRequest = 1,
  kLoginResponse = 2,
  kPushRequest = 3,
  kPushResponse = 4,
  kPullRequest = 5,
  kPullResponse = 6,
  kConflict = 7,
};

class Writer {
 public:
  explicit Writer(MessageType type) {
    out_.append(kMagic);
    U8(static_cast<uint8_t>(type));
  }
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) { Fixed(v, 4); }
  void U64(uint64_t v) { Fixed(v, 8); }
  void I64(int64_t v) { Fixed(static_cast<uint64_t>(v), 8); }
  void Bool(bool v) { U8(v ? 1 : 0); }
  void Bytes(std::string_view b) {
    U32(static_cast<uint32_t>(b.size()));
    out_.append(b);
  }
  void Id(const Uuid& id) { out_.append(reinterpret_cast<const char*>(id.bytes().data()), id.bytes().size()); }
  void Value(const FieldValue& v) {
    U8(static_cast<uint8_t>(v.index()));
    if (const auto* i = std::get_if<int64_t>(&v)) I64(*i);
    if (const auto* d = std::get_if<double>(&v)) {
      uint64_t u = 0;
      std::memcpy(&u, d, sizeof u);
      U64(u);
    }
    if (const auto* s = std::get_if<std::string>(&v)) Bytes(*s);
  }
  void Clock(const FieldClock& c) {
    U64(c.stamp.value);
    Bytes(c.device_id);
  }
  std::string Take() { return std::move(out_); }

 private:
  void Fixed(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
  }
  std::string out_;
};

// Reads what Writer wrote; never past the end, never allocating from an unchecked length.
class Reader {
 public:
  Reader(std::string_view bytes, MessageType type, std::string_view what) : in_(bytes), what_(what) {
    if (in_.size() < kMagic.size() + 1 || in_.substr(0, kMagic.size()) != kMagic) {
      Fail("it does not start with MLOG: not a MentorLog sync message");
      return;
    }
    pos_ = kMagic.size();
    const uint8_t got = U8();
    if (ok() && got != static_cast<uint8_t>(type)) Fail("it is a message of type " + std::to_string(got));
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  size_t remaining() const { return in_.size() - pos_; }

  uint8_t U8() { return static_cast<uint8_t>(Fixed(1)); }
  uint32_t U32() { return static_cast<uint32_t>(Fixed(4)); }
  uint64_t U64() { return Fixed(8); }
  int64_t I64() { return static_cast<int64_t>(Fixed(8)); }
  bool Bool() {
    const uint8_t b = U8();
    if (b > 1) Fail("a flag byte is " + std::to_string(b));
    return b == 1;
  }
  std::string_view Bytes() {
    const uint32_t n = U32();
    if (!ok()) return {};
    if (n > remaining()) {
      Fail("a length of " + std::to_string(n) + " is more than the " + std::to_string(remaining()) + " bytes left");
      return {};
    }
    std::string_view b = in_.substr(pos_, n);
    pos_ += n;
    return b;
  }
  std::string String() { return std::string(Bytes()); }
  // A list count, checked against the bytes left (each element takes at least `min_size`).
  uint32_t Count(size_t min_size) {
    const uint32_t n = U32();
    if (ok() && static_cast<uint64_t>(n) * min_size > remaining()) {
      Fail("a list of " + std::to_string(n) + " cannot fit in the " + std::to_string(remaining()) + " bytes left");
      return 0;
    }
    return ok() ? n : 0;
  }
  Uuid Id() {
    std::array<uint8_t, 16> raw{};
    if (remaining() < raw.size()) {
      Fail("an id is cut short");
      return Uuid();
    }
    std::memcpy(raw.data(), in_.data() + pos_, raw.size());
    pos_ += raw.size();
    return Uuid(raw);
  }
  FieldValue Value() {
    const uint8_t kind = U8();
    switch (kind) {
      case 0:
        return std::monostate{};
      case 1:
        return I64();
      case 2: {
        const uint64_t u = U64();
        double d = 0;
        std::memcpy(&d, &u, sizeof d);
        return d;
      }
      case 3:
        return String();
      default:
        Fail("value kind " + std::to_string(kind) + " is not one of 0..3");
        return std::monostate{};
    }
  }
  FieldClock Clock() {
    FieldClock c;
    c.stamp.value = U64();
    c.device_id = String();
    return c;
  }
  template <class E>
  E Enum(uint8_t max) {
    const uint8_t v = U8();
    if (v > max) Fail("enum value " + std::to_string(v) + " is out of range");
    return static_cast<E>(v);
  }
  void Fail(std::string why) {
    if (status_.ok()) status_ = Status::Corruption("the " + std::string(what_) + " is damaged: " + why);
  }
  Status Finish() {
    if (ok() && remaining() != 0) Fail(std::to_string(remaining()) + " unexpected bytes after the end");
    return status_;
  }

 private:
  uint64_t Fixed(size_t n) {
    if (!ok()) return 0;
    if (remaining() < n) {
      Fail("it is cut short");
      return 0;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(in_[pos_ + i])) << (8 * i);
    pos_ += n;
    return v;
  }

  std::string_view in_;
  std::string_view what_;
  size_t pos_ = 0;
  Status status_;
};

constexpr uint8_t kMaxKind = static_cast<uint8_t>(core::kRecordKindCount - 1);

void PutConflict(Writer& w, const ConflictRecord& c) {
  w.Id(c.id);
  w.U8(static_cast<uint8_t>(c.kind));
  w.Id(c.record_id);
  w.Bytes(c.field);
  w.Value(c.kept);
  w.Clock(c.kept_clock);
  w.Value(c.lost);
  w.Clock(c.lost_clock);
  w.Bytes(core::ConflictReasonCode(c.reason));
  w.I64(c.noticed_millis);
}

ConflictRecord GetConflict(Reader& r) {
  ConflictRecord c;
  c.id = r.Id();
  c.kind = r.Enum<RecordKind>(kMaxKind);
  c.record_id = r.Id();
  c.field = r.String();
  c.kept = r.Value();
  c.kept_clock = r.Clock();
  c.lost = r.Value();
  c.lost_clock = r.Clock();
  const std::string reason = r.String();
  if (auto known = core::ConflictReasonFromCode(reason)) {
    c.reason = *known;
  } else if (r.ok()) {
    r.Fail("the conflict reason «" + reason + "» is unknown");
  }
  c.noticed_millis = r.I64();
  return c;
}

// An embedded cereal value (Change, RecordState): decoded by core's bounded decoder.
template <class T>
T GetEmbedded(Reader& r, std::string_view what) {
  std::string_view bytes = r.Bytes();
  if (!r.ok()) return T{};
  auto value = core::DecodeBinary<T>(bytes);
  if (!value.ok()) {
    r.Fail(std::string(what) + ": " + value.status().message());
    return T{};
  }
  return std::move(value).value();
}

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] Messages
// -----------------------------------------------------------------------------------------

std::string Encode(const LoginRequest& m) {
  Writer w(MessageType::kLoginRequest);
  w.Bytes(m.login);
  w.Bytes(m.password);
  w.Bytes(m.device_id);
  return w.Take();
}

Result<LoginRequest> DecodeLoginRequest(std::string_view bytes) {
  Reader r(bytes, MessageType::kLoginRequest, "sign-in request");
  LoginRequest m;
  m.login = r.String();
  m.password = r.String();
  m.device_id = r.String();
  RETURN_IF_ERROR(r.Finish());
  return m;
}

std::string Encode(const LoginResponse& m) {
  Writer w(MessageType::kLoginResponse);
  w.Bytes(m.token);
  w.I64(m.expires_millis);
  w.Id(m.person_id);
  w.U8(static_cast<uint8_t>(m.role));
  w.Bytes(m.display_name);
  return w.Take();
}

Result<LoginResponse> DecodeLoginResponse(std::string_view bytes) {
  Reader r(bytes, MessageType::kLoginResponse, "sign-in answer");
  LoginResponse m;
  m.token = r.String();
  m.expires_millis = r.I64();
  m.person_id = r.Id();
  const uint8_t role = r.U8();
  if (r.ok() && !(role >= 1 && role <= 4)) r.Fail("role " + std::to_string(role) + " is unknown");
  m.role = static_cast<Role>(role);
  m.display_name = r.String();
  RETURN_IF_ERROR(r.Finish());
  return m;
}

std::string Encode(const PushRequest& m) {
  Writer w(MessageType::kPushRequest);
  w.Bytes(m.device_id);
  w.U32(static_cast<uint32_t>(m.changes.size()));
  for (const auto& c : m.changes) w.Bytes(core::EncodeBinary(c));
  return w.Take();
}

Result<PushRequest> DecodePushRequest(std::string_view bytes) {
  Reader r(bytes, MessageType::kPushRequest, "push request");
  PushRequest m;
  m.device_id = r.String();
  const uint32_t n = r.Count(4);
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    m.changes.push_back(GetEmbedded<Change>(r, "change " + std::to_string(i + 1)));
  }
  RETURN_IF_ERROR(r.Finish());
  return m;
}

std::string Encode(const PushResponse& m) {
  Writer w(MessageType::kPushResponse);
  w.U64(m.acked_op_seq);
  w.U32(static_cast<uint32_t>(m.rejected.size()));
  for (const auto& x : m.rejected) {
    w.U64(x.op_seq);
    w.U8(static_cast<uint8_t>(x.kind));
    w.Id(x.record_id);
    w.Bytes(x.code);
    w.Bytes(x.reason_en);
    w.Bytes(x.reason_ru);
  }
  w.U32(m.clamped);
  w.I64(m.server_millis);
  w.U32(static_cast<uint32_t>(m.not_held.size()));
  for (const auto& id : m.not_held) w.Id(id);
  return w.Take();
}

Result<PushResponse> DecodePushResponse(std::string_view bytes) {
  Reader r(bytes, MessageType::kPushResponse, "push answer");
  PushResponse m;
  m.acked_op_seq = r.U64();
  const uint32_t n = r.Count(8 + 1 + 16 + 12);
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    Rejection x;
    x.op_seq = r.U64();
    x.kind = r.Enum<RecordKind>(kMaxKind);
    x.record_id = r.Id();
    x.code = r.String();
    x.reason_en = r.String();
    x.reason_ru = r.String();
    m.rejected.push_back(std::move(x));
  }
  m.clamped = r.U32();
  m.server_millis = r.I64();
  const uint32_t held = r.Count(16);
  for (uint32_t i = 0; i < held && r.ok(); ++i) m.not_held.push_back(r.Id());
  RETURN_IF_ERROR(r.Finish());
  return m;
}

std::string Encode(const PullRequest& m) {
  Writer w(MessageType::kPullRequest);
  w.Bytes(m.device_id);
  w.Bytes(m.cursor);
  w.U32(m.max_rows);
  w.U32(m.max_bytes);
  return w.Take();
}

Result<PullRequest> DecodePullRequest(std::string_view bytes) {
  Reader r(bytes, MessageType::kPullRequest, "pull request");
  PullRequest m;
  m.device_id = r.String();
  m.cursor = r.String();
  m.max_rows = r.U32();
  m.max_bytes = r.U32();
  RETURN_IF_ERROR(r.Finish());
  return m;
}

std::string Encode(const PullResponse& m) {
  Writer w(MessageType::kPullResponse);
  w.U32(static_cast<uint32_t>(m.records.size()));
  for (const auto& s : m.records) w.Bytes(core::EncodeBinary(s));
  w.U32(static_cast<uint32_t>(m.conflicts.size()));
  for (const auto& c : m.conflicts) PutConflict(w, c);
  w.Bytes(m.next_cursor);
  w.Bool(m.more);
  w.U32(static_cast<uint32_t>(m.scope.size()));
  for (const auto& id : m.scope) w.Id(id);
  w.I64(m.server_millis);
  return w.Take();
}

Result<PullResponse> DecodePullResponse(std::string_view bytes) {
  Reader r(bytes, MessageType::kPullResponse, "pull answer");
  PullResponse m;
  const uint32_t n = r.Count(4);
  m.records.reserve(std::min<uint32_t>(n, 4096));
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    m.records.push_back(GetEmbedded<RecordState>(r, "record " + std::to_string(i + 1)));
  }
  const uint32_t c = r.Count(16 + 1 + 16);
  for (uint32_t i = 0; i < c && r.ok(); ++i) m.conflicts.push_back(GetConflict(r));
  m.next_cursor = r.String();
  m.more = r.Bool();
  const uint32_t s = r.Count(16);
  for (uint32_t i = 0; i < s && r.ok(); ++i) m.scope.push_back(r.Id());
  m.server_millis = r.I64();
  RETURN_IF_ERROR(r.Finish());
  return m;
}

std::string EncodeConflict(const ConflictRecord& c) {
  Writer w(MessageType::kConflict);
  PutConflict(w, c);
  return w.Take();
}

Result<ConflictRecord> DecodeConflict(std::string_view bytes) {
  Reader r(bytes, MessageType::kConflict, "conflict");
  ConflictRecord c = GetConflict(r);
  RETURN_IF_ERROR(r.Finish());
  return c;
}

size_t WireSize(const RecordState& state) {
  size_t n = 4 + 1 + 16 + 4 + 1 + 32;
  for (const auto& f : state.fields) {
    n += 4 + f.field.size() + 9 + 8 + 4 + f.clock.device_id.size() + 8 + 4 + f.base.device_id.size() + 8;
    if (const auto* s = std::get_if<std::string>(&f.value)) n += s->size();
  }
  return n;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Errors as JSON
// -----------------------------------------------------------------------------------------

std::string EncodeErrorJson(const ErrorBody& e) {
  return "{\"code\": " + core::JsonString(e.code) + ", \"message_en\": " + core::JsonString(e.message_en) +
         ", \"message_ru\": " + core::JsonString(e.message_ru) + "}";
}

ErrorBody DecodeErrorJson(std::string_view body) {
  ErrorBody e;
  if (auto texts = core::JsonObjectTexts(body)) {
    auto code = texts->find("code");
    auto en = texts->find("message_en");
    auto ru = texts->find("message_ru");
    if (code != texts->end() && en != texts->end()) {
      e.code = code->second;
      e.message_en = en->second;
      e.message_ru = ru != texts->end() ? ru->second : en->second;
      return e;
    }
  }
  e.code = "http_error";
  std::string text(body.substr(0, 200));
  e.message_en = text.empty() ? "The server answered with an error and no explanation." : text;
  e.message_ru = text.empty() ? "Сервер ответил ошибкой без пояснения." : text;
  return e;
}

// -----------------------------------------------------------------------------------------
// [SECTION] zstd
// -----------------------------------------------------------------------------------------

std::string Compress(std::string_view bytes, int level) {
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  const size_t n = ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), level);
  if (ZSTD_isError(n)) return {};  // only on a bug: the bound is always enough
  out.resize(n);
  return out;
}

Result<std::string> Decompress(std::string_view frame, size_t max_bytes) {
  if (frame.size() > max_bytes) {
    return Status::Corruption("the message is " + std::to_string(frame.size()) + " bytes, more than the " +
                              std::to_string(max_bytes) + " allowed");
  }
  const unsigned long long declared = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (declared == ZSTD_CONTENTSIZE_ERROR) return Status::Corruption("the message is not a zstd frame");
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared > max_bytes) {
    return Status::Corruption("the message says it unpacks to " + std::to_string(declared) + " bytes, more than the " +
                              std::to_string(max_bytes) + " allowed");
  }
  // Streamed: the output grows with what actually comes out, up to the cap.
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> ctx(ZSTD_createDCtx(), &ZSTD_freeDCtx);
  std::string out;
  ZSTD_inBuffer in{frame.data(), frame.size(), 0};
  std::string chunk(ZSTD_DStreamOutSize(), '\0');
  size_t ret = 1;
  while (ret != 0) {
    ZSTD_outBuffer o{chunk.data(), chunk.size(), 0};
    ret = ZSTD_decompressStream(ctx.get(), &o, &in);
    if (ZSTD_isError(ret)) {
      return Status::Corruption(std::string("the message is damaged (zstd: ") + ZSTD_getErrorName(ret) + ")");
    }
    out.append(chunk.data(), o.pos);
    if (out.size() > max_bytes) {
      return Status::Corruption("the message unpacks to more than the " + std::to_string(max_bytes) + " bytes allowed");
    }
    if (in.pos == in.size && o.pos < o.size && ret != 0) {
      return Status::Corruption("the message is cut short (an incomplete zstd frame)");
    }
  }
  if (in.pos != in.size) return Status::Corruption("unexpected bytes after the message's zstd frame");
  return out;
}

}  // namespace mentorlog::sync
