// libFuzzer target: the sync request and answer bodies (sync/include/mentorlog/sync/protocol.h).
//
// The input is a body as the server or the app receives it: a zstd frame is decompressed
// first (with a 1 MiB bound: the same code as the 32 MiB one, faster), anything else is taken
// as the uncompressed message. Every decoder (the six messages, the stored conflict, the error
// JSON) is tried on it. Invariants: a decoded message encodes to bytes that decode again, to a
// message that encodes to the same bytes; a decompressed frame, compressed again, decompresses
// to the same bytes; the error JSON decoder never fails and round-trips.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "mentorlog/sync/protocol.h"

namespace {

using mentorlog::fuzz::FuzzBytes;
using mentorlog::fuzz::FuzzCheck;
namespace sync = mentorlog::sync;

template <class Decode>
void SyncBodiesRoundTrip(std::string_view bytes, Decode decode, const char* what) {
  auto first = decode(bytes);
  if (!first.ok()) return;
  const std::string encoded = [&] {
    if constexpr (requires { sync::Encode(*first); }) {
      return sync::Encode(*first);
    } else {
      return sync::EncodeConflict(*first);
    }
  }();
  auto second = decode(encoded);
  FuzzCheck(second.ok(), what);
  const std::string again = [&] {
    if constexpr (requires { sync::Encode(*second); }) {
      return sync::Encode(*second);
    } else {
      return sync::EncodeConflict(*second);
    }
  }();
  FuzzCheck(again == encoded, what);
}

void SyncBodiesDecodeAll(std::string_view bytes) {
  SyncBodiesRoundTrip(bytes, sync::DecodeLoginRequest, "LoginRequest: decode(encode(decode(x))) differs");
  SyncBodiesRoundTrip(bytes, sync::DecodeLoginResponse, "LoginResponse: decode(encode(decode(x))) differs");
  SyncBodiesRoundTrip(bytes, sync::DecodePushRequest, "PushRequest: decode(encode(decode(x))) differs");
  SyncBodiesRoundTrip(bytes, sync::DecodePushResponse, "PushResponse: decode(encode(decode(x))) differs");
  SyncBodiesRoundTrip(bytes, sync::DecodePullRequest, "PullRequest: decode(encode(decode(x))) differs");
  SyncBodiesRoundTrip(bytes, sync::DecodePullResponse, "PullResponse: decode(encode(decode(x))) differs");
  SyncBodiesRoundTrip(bytes, sync::DecodeConflict, "ConflictRecord: decode(encode(decode(x))) differs");

  // Never fails, and what it gives back, encoded, comes back the same (finding 1 of README.md:
  // it searched the text for the keys before it parsed JSON).
  const sync::ErrorBody error = sync::DecodeErrorJson(bytes);
  const sync::ErrorBody again = sync::DecodeErrorJson(sync::EncodeErrorJson(error));
  FuzzCheck(again.code == error.code && again.message_en == error.message_en && again.message_ru == error.message_ru,
            "ErrorBody: decode(encode(decode(x))) differs");
  FuzzCheck(!error.code.empty() || bytes.find("\"code\"") != std::string_view::npos, "an error without a code");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = FuzzBytes(data, size);
  constexpr size_t kBound = size_t{1} << 20;
  auto plain = sync::Decompress(bytes, kBound);
  if (plain.ok()) {
    FuzzCheck(plain->size() <= kBound, "Decompress gave more than its bound");
    auto again = sync::Decompress(sync::Compress(*plain, 1), kBound);
    FuzzCheck(again.ok() && *again == *plain, "Decompress(Compress(d)) != d");
    SyncBodiesDecodeAll(*plain);
  }
  SyncBodiesDecodeAll(bytes);
  return 0;
}
