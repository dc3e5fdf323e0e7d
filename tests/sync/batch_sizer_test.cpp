#include "mentorlog/sync/batch_sizer.h"

#include <gtest/gtest.h>

#include "mentorlog/sync/protocol.h"

namespace mentorlog::sync {
namespace {

using std::chrono::milliseconds;

TEST(BatchSizerTest, QuickAnswersGrowTheBatchUpToTheProtocolMaximum) {
  BatchSizer s(500, 512u << 10, BatchGrowth::kAdaptive);
  s.Answered(milliseconds(200), false);
  EXPECT_EQ(s.rows(), 1000u);
  EXPECT_EQ(s.bytes(), 1024u << 10);
  for (int i = 0; i < 10; ++i) s.Answered(milliseconds(200), false);
  EXPECT_EQ(s.rows(), kMaxBatchRows);
  EXPECT_EQ(s.bytes(), kMaxBatchBytes);
}

TEST(BatchSizerTest, SlowOrRetriedAnswersShrinkItNeverBelowTheStart) {
  BatchSizer s(500, 512u << 10, BatchGrowth::kAdaptive);
  for (int i = 0; i < 3; ++i) s.Answered(milliseconds(100), false);
  EXPECT_EQ(s.rows(), 4000u);
  s.Answered(milliseconds(6000), false);  // slow
  EXPECT_EQ(s.rows(), 2000u);
  s.Answered(milliseconds(100), true);  // quick, but a try failed on the way
  EXPECT_EQ(s.rows(), 1000u);
  EXPECT_EQ(s.bytes(), 1024u << 10);
  for (int i = 0; i < 5; ++i) s.Answered(milliseconds(9000), true);
  EXPECT_EQ(s.rows(), 500u);
  EXPECT_EQ(s.bytes(), 512u << 10);
}

TEST(BatchSizerTest, AnAnswerInBetweenKeepsTheSize) {
  BatchSizer s(500, 512u << 10, BatchGrowth::kAdaptive);
  s.Answered(milliseconds(3000), false);
  EXPECT_EQ(s.rows(), 500u);
  EXPECT_EQ(s.bytes(), 512u << 10);
}

TEST(BatchSizerTest, FixedNeverChangesAndTheStartIsClamped) {
  BatchSizer s(100, 2048, BatchGrowth::kFixed);
  s.Answered(milliseconds(1), false);
  s.Answered(milliseconds(60000), true);
  EXPECT_EQ(s.rows(), 100u);
  EXPECT_EQ(s.bytes(), 2048u);

  BatchSizer huge(1'000'000, 0xFFFFFFFFu, BatchGrowth::kAdaptive);
  EXPECT_EQ(huge.rows(), kMaxBatchRows);
  EXPECT_EQ(huge.bytes(), kMaxBatchBytes);
  huge.Answered(milliseconds(1), false);
  EXPECT_EQ(huge.rows(), kMaxBatchRows);
  BatchSizer zero(0, 0, BatchGrowth::kAdaptive);
  EXPECT_EQ(zero.rows(), 1u);
  EXPECT_EQ(zero.bytes(), 1u);
}

}  // namespace
}  // namespace mentorlog::sync
