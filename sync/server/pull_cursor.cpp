// The pull cursor's wire form (pull_cursor.h).

#include "pull_cursor.h"

#include <array>
#include <cstring>

namespace mentorlog::server {
namespace {

void PutU64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}

void PutIds(std::string& out, const std::vector<core::Uuid>& ids) {
  PutU64(out, ids.size());
  for (const core::Uuid& id : ids) out.append(reinterpret_cast<const char*>(id.bytes().data()), 16);
}

}  // namespace

std::string EncodePullCursor(const PullCursor& c) {
  std::string out = "MC";
  out.push_back(static_cast<char>(kPullCursorVersion));
  PutU64(out, c.seq);
  PutIds(out, c.known);
  out.push_back(c.backfilling ? 1 : 0);
  if (c.backfilling) {
    PutIds(out, c.backfill_schools);
    PutU64(out, c.backfill_upto);
    PutU64(out, c.backfill_after);
  }
  return out;
}

std::optional<PullCursor> DecodePullCursor(std::string_view in) {
  size_t at = 0;
  auto u64 = [&](uint64_t& v) {
    if (in.size() - at < 8) return false;
    v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(in[at + i])) << (8 * i);
    at += 8;
    return true;
  };
  auto ids = [&](std::vector<core::Uuid>& out) {
    uint64_t n = 0;
    if (!u64(n) || n > (in.size() - at) / 16) return false;
    for (uint64_t i = 0; i < n; ++i) {
      std::array<uint8_t, 16> b{};
      std::memcpy(b.data(), in.data() + at, 16);
      at += 16;
      out.emplace_back(b);
    }
    return true;
  };
  PullCursor c;
  if (in.size() < 4 || in.substr(0, 2) != "MC" || static_cast<uint8_t>(in[2]) != kPullCursorVersion) {
    return std::nullopt;
  }
  at = 3;
  if (!u64(c.seq) || !ids(c.known) || at >= in.size()) return std::nullopt;
  c.backfilling = in[at++] == 1;
  if (c.backfilling && !(ids(c.backfill_schools) && u64(c.backfill_upto) && u64(c.backfill_after))) {
    return std::nullopt;
  }
  if (at != in.size()) return std::nullopt;
  return c;
}

}  // namespace mentorlog::server
