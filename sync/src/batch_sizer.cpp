#include "mentorlog/sync/batch_sizer.h"

#include <algorithm>

#include "mentorlog/sync/protocol.h"

namespace mentorlog::sync {

BatchSizer::BatchSizer(uint32_t rows, uint32_t bytes, BatchGrowth growth)
    : start_rows_(std::clamp<uint32_t>(rows, 1, kMaxBatchRows)),
      start_bytes_(std::clamp<uint32_t>(bytes, 1, kMaxBatchBytes)),
      growth_(growth),
      rows_(start_rows_),
      bytes_(start_bytes_) {}

void BatchSizer::Answered(std::chrono::milliseconds took, bool retried) {
  if (growth_ == BatchGrowth::kFixed) return;
  if (retried || took > kSlow) {
    rows_ = std::max(start_rows_, rows_ / 2);
    bytes_ = std::max(start_bytes_, bytes_ / 2);
  } else if (took < kFast) {
    rows_ = static_cast<uint32_t>(std::min<uint64_t>(kMaxBatchRows, uint64_t{rows_} * 2));
    bytes_ = static_cast<uint32_t>(std::min<uint64_t>(kMaxBatchBytes, uint64_t{bytes_} * 2));
  }
}

}  // namespace mentorlog::sync
