// libFuzzer target: the pull cursor (sync/server/pull_cursor.h), which devices send back.
//
// Invariants: a cursor that decodes encodes to bytes that decode to the same cursor; those
// bytes are the input itself unless the input's back-filling byte was neither 0 nor 1; a
// decoded cursor keeps the field rule (no back-fill data unless back-filling).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "pull_cursor.h"

namespace {

namespace server = mentorlog::server;
using mentorlog::fuzz::FuzzBytes;
using mentorlog::fuzz::FuzzCheck;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = FuzzBytes(data, size);
  const auto cursor = server::DecodePullCursor(bytes);
  if (!cursor) return 0;
  if (!cursor->backfilling) {
    FuzzCheck(cursor->backfill_schools.empty() && cursor->backfill_upto == 0 && cursor->backfill_after == 0,
              "a cursor that is not back-filling has back-fill data");
  }
  const std::string encoded = server::EncodePullCursor(*cursor);
  const auto back = server::DecodePullCursor(encoded);
  FuzzCheck(back.has_value() && *back == *cursor, "DecodePullCursor(EncodePullCursor(c)) != c");
  // The back-filling byte sits after "MC", the version, the seq and the known schools.
  const size_t flag_at = 3 + 8 + 8 + 16 * cursor->known.size();
  const auto flag = static_cast<uint8_t>(bytes[flag_at]);
  if (flag == 0 || flag == 1) FuzzCheck(encoded == bytes, "EncodePullCursor(DecodePullCursor(b)) != b");
  return 0;
}
