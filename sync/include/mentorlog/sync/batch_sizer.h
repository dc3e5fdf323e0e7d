// How many records the client puts in its next batch.
//
// A fixed batch is wrong somewhere: 500 records is slow on a district office's Wi-Fi (the
// per-request cost dominates) and a 4 MiB batch takes ten minutes on a 50 kbps field link that
// drops every few minutes (a batch is committed whole or not at all). So the client starts
// small and adapts, as TCP does: a batch answered quickly and on the first try doubles the
// next one, up to the protocol's maximum; a slow or retried one halves it, never below the
// start.
//
// Pure: no clock, no I/O. Thread safety: none; one per sync.
#pragma once

#include <chrono>
#include <cstdint>

namespace mentorlog::sync {

enum class BatchGrowth { kFixed, kAdaptive };

class BatchSizer {
 public:
  // A batch answered within kFast grows the next; one slower than kSlow shrinks it.
  static constexpr std::chrono::milliseconds kFast{1000};
  static constexpr std::chrono::milliseconds kSlow{5000};

  // Starts at (rows, bytes), clamped to [1, kMaxBatchRows] and [1, kMaxBatchBytes].
  BatchSizer(uint32_t rows, uint32_t bytes, BatchGrowth growth);

  uint32_t rows() const { return rows_; }
  uint32_t bytes() const { return bytes_; }

  // After an answered batch: `took` from the first try to the answer; `retried` when a try
  // failed on the way. A kFixed sizer never changes.
  void Answered(std::chrono::milliseconds took, bool retried);

 private:
  const uint32_t start_rows_;
  const uint32_t start_bytes_;
  const BatchGrowth growth_;
  uint32_t rows_;
  uint32_t bytes_;
};

}  // namespace mentorlog::sync
