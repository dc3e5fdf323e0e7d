#include "mentorlog/domain/hlc.h"

#include <algorithm>

namespace mentorlog::core {

HlcStamp HybridLogicalClock::Now() {
  const int64_t wall_ms = wall_.NowMillis();
  const uint64_t wall = wall_ms > 0 ? static_cast<uint64_t>(wall_ms) : 0;
  if (wall > last_.millis()) {
    last_ = HlcStamp::FromParts(wall, 0);
  } else if (last_.counter() < 0xFFFFu) {
    // The wall clock stood still or went backwards: count on from the last stamp.
    last_ = HlcStamp::FromParts(last_.millis(), last_.counter() + 1);
  } else {
    // The counter is full: borrow a millisecond from the future rather than repeat a stamp.
    last_ = HlcStamp::FromParts(last_.millis() + 1, 0);
  }
  return last_;
}

void HybridLogicalClock::Observe(HlcStamp remote) { last_ = std::max(last_, remote); }

}  // namespace mentorlog::core
