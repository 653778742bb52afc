#include "sim/token_queue.h"

#include <gtest/gtest.h>

namespace sidecar::sim {
namespace {

TEST(TokenQueueTest, CountBeyondEveryTokenIsInProgressWithoutStep) {
  TokenQueue queue;
  EXPECT_EQ(queue.StepFor(0), std::nullopt);
  queue.Add(3);
  EXPECT_EQ(queue.StepFor(4), std::nullopt);
}

TEST(TokenQueueTest, LabelsOnlyTokensWhoseRecordsEnteredTheCircuit) {
  TokenQueue queue;
  queue.Add(3);
  queue.Add(5);
  queue.Update(/*circuit_records=*/3, /*initiated_steps=*/1, /*completed_steps=*/0);
  EXPECT_EQ(queue.StepFor(3), 1u);
  EXPECT_EQ(queue.StepFor(5), std::nullopt);
  queue.Update(5, 2, 0);
  EXPECT_EQ(queue.StepFor(3), 1u);  // a label never changes
  EXPECT_EQ(queue.StepFor(5), 2u);
}

TEST(TokenQueueTest, LookupTakesFirstTokenAtOrAboveCount) {
  TokenQueue queue;
  queue.Add(3);
  queue.Update(3, 1, 0);
  queue.Add(10);
  queue.Update(10, 2, 0);
  EXPECT_EQ(queue.StepFor(0), 1u);
  EXPECT_EQ(queue.StepFor(3), 1u);
  EXPECT_EQ(queue.StepFor(4), 2u);
  EXPECT_EQ(queue.StepFor(10), 2u);
  EXPECT_EQ(queue.StepFor(11), std::nullopt);
}

TEST(TokenQueueTest, SameCountIsQueuedOnce) {
  TokenQueue queue;
  queue.Add(3);
  queue.Add(3);
  EXPECT_EQ(queue.size(), 1u);
}

TEST(TokenQueueTest, ForgetsAllCompleteTokensButTheNewest) {
  TokenQueue queue;
  for (uint64_t count = 1; count <= 4; ++count) {
    queue.Add(count);
    queue.Update(count, count, 0);
  }
  queue.Update(4, 4, /*completed_steps=*/3);
  EXPECT_EQ(queue.size(), 2u);      // token 3 (newest complete) and token 4
  EXPECT_EQ(queue.StepFor(1), 3u);  // resolves to the kept complete token
  EXPECT_EQ(queue.HighestCompleteCount(3), 3u);
}

TEST(TokenQueueTest, HighestCompleteCountIsNulloptWhileNothingIsComplete) {
  TokenQueue queue;
  queue.Add(2);
  queue.Update(2, 1, 0);
  EXPECT_EQ(queue.HighestCompleteCount(0), std::nullopt);
  EXPECT_EQ(queue.HighestCompleteCount(1), 2u);
}

TEST(TokenQueueTest, OverflowDropsNewestTokens) {
  TokenQueue queue(/*capacity=*/2);
  queue.Add(1);
  queue.Add(2);
  queue.Add(3);
  queue.Update(0, 0, 0);
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue.StepFor(3), std::nullopt);
}

}  // namespace
}  // namespace sidecar::sim
