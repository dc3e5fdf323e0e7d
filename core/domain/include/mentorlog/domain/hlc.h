// The hybrid logical clock that stamps every field write (DESIGN.md, Sync).
//
// A stamp is 64 bits: the high 48 are milliseconds since the Unix epoch, the low 16 a counter
// that orders events within one millisecond or while the wall clock lags behind. Stamps from
// different devices are ordered by (stamp, device id): the tie-break makes the order total.
//
// Guarantees: Now() is strictly greater than every stamp this clock returned or observed,
// even when the wall clock goes backwards.
//
// Thread safety: not thread-safe; the Store guards its clock with its write lock.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

#include "mentorlog/base/clock.h"

namespace mentorlog::core {

struct HlcStamp {
  uint64_t value = 0;

  static constexpr int kCounterBits = 16;
  static HlcStamp FromParts(uint64_t millis, uint32_t counter) {
    return {(millis << kCounterBits) | (counter & 0xFFFFu)};
  }
  uint64_t millis() const { return value >> kCounterBits; }
  uint32_t counter() const { return static_cast<uint32_t>(value & 0xFFFFu); }

  friend auto operator<=>(const HlcStamp&, const HlcStamp&) = default;
};

// A stamp plus the device that made it: the total order of writes.
struct FieldClock {
  HlcStamp stamp;
  std::string device_id;

  friend auto operator<=>(const FieldClock&, const FieldClock&) = default;
};

class HybridLogicalClock {
 public:
  explicit HybridLogicalClock(const mentorlog::Clock& wall) : wall_(wall) {}

  // A new stamp for a local event.
  HlcStamp Now();

  // Merges a stamp received from elsewhere, so that later local stamps follow it.
  void Observe(HlcStamp remote);

  HlcStamp last() const { return last_; }

 private:
  const mentorlog::Clock& wall_;
  HlcStamp last_;
};

}  // namespace mentorlog::core
