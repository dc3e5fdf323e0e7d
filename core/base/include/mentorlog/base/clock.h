// Clock: what time it is, injected wherever time matters so that tests can move it.
//
// The OS's clock is platform::SystemClock (platform/env.h); FakeClock is for tests.
//
// Thread safety: implementations are safe for concurrent reads; FakeClock's setters must not
// race with readers.
#pragma once

#include <atomic>
#include <cstdint>

namespace mentorlog {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, UTC. May go backwards (the user changed the clock).
  virtual int64_t NowMillis() const = 0;
  // The local time zone's offset from UTC at NowMillis(), in minutes (Moscow: +180).
  virtual int UtcOffsetMinutes() const = 0;
};

// A clock for tests: starts at `start_millis` and moves only when told.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_millis, int utc_offset_minutes = 0)
      : now_(start_millis), offset_(utc_offset_minutes) {}
  int64_t NowMillis() const override { return now_.load(); }
  int UtcOffsetMinutes() const override { return offset_; }
  void Set(int64_t millis) { now_.store(millis); }
  void Advance(int64_t millis) { now_.fetch_add(millis); }

 private:
  std::atomic<int64_t> now_;
  int offset_;
};

}  // namespace mentorlog
