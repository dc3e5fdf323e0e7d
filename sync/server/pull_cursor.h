// The pull cursor: the opaque `PullRequest::cursor` / `PullResponse::next_cursor` bytes that
// say how far a device has pulled (docs/sync.md, "Pull").
//
// Wire form: "MC", a version byte (1), the seq (u64), the known schools (u64 count, then 16
// bytes each), a back-filling byte (1 or anything else for "no"), and, only when back-filling,
// the back-filled schools (as above), backfill_upto and backfill_after (u64 each). Integers are
// little-endian. Nothing may follow.
//
// The bytes come from devices, so DecodePullCursor takes untrusted input: it never reads past
// the end, never allocates from a count that the remaining bytes cannot hold, and answers
// nullopt for anything that is not exactly a cursor of this form. For every cursor c that
// keeps the rule of PullCursor's fields (the back-fill fields are empty and zero unless
// back-filling), DecodePullCursor(EncodePullCursor(c)) == c; and for any bytes b it decodes,
// EncodePullCursor(DecodePullCursor(b)) decodes to the same cursor.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/domain/types.h"

namespace mentorlog::server {

// The device's position: the seq it has everything up to, the schools it has everything of,
// and, while a newly visible school is being back-filled, how far that got.
struct PullCursor {
  uint64_t seq = 0;
  std::vector<core::Uuid> known;
  bool backfilling = false;
  std::vector<core::Uuid> backfill_schools;  // empty unless backfilling
  uint64_t backfill_upto = 0;                // 0 unless backfilling
  uint64_t backfill_after = 0;               // 0 unless backfilling

  friend bool operator==(const PullCursor&, const PullCursor&) = default;
};

inline constexpr uint8_t kPullCursorVersion = 1;

std::string EncodePullCursor(const PullCursor& cursor);

// nullopt when the bytes are not a cursor of ours (the pull then starts over: safe, as
// applying a state twice changes nothing).
std::optional<PullCursor> DecodePullCursor(std::string_view bytes);

}  // namespace mentorlog::server
