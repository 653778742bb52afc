#include "status/frontier.h"

#include <gtest/gtest.h>

namespace sidecar {
namespace {

TEST(Frontier, EmptyKnowsNothing) {
  Frontier f;
  EXPECT_FALSE(f.Lookup(0));
  EXPECT_FALSE(f.HighestComplete());
}

TEST(Frontier, LowerCountsCompleteWithNearestStepAbove) {
  Frontier f;
  f.RecordComplete(10, 3);
  f.RecordComplete(20, 5);
  EXPECT_EQ(f.Lookup(0)->step, 3u);
  EXPECT_EQ(f.Lookup(10)->step, 3u);
  EXPECT_EQ(f.Lookup(11)->step, 5u);
  EXPECT_EQ(f.Lookup(20)->step, 5u);
  EXPECT_FALSE(f.Lookup(21));
  EXPECT_EQ(f.HighestComplete(), 20u);
}

TEST(Frontier, LabelsCompleteWhenStepsAdvance) {
  Frontier f;
  f.RecordInProgress(10, 4);
  f.RecordInProgress(20, 6);
  f.RecordInProgress(30, std::nullopt);  // not labelled yet: nothing to remember
  EXPECT_EQ(f.LabelOf(10), 4u);
  EXPECT_FALSE(f.LabelOf(30));
  f.AdvanceCompletedSteps(3);
  EXPECT_FALSE(f.Lookup(10));
  f.AdvanceCompletedSteps(5);
  EXPECT_EQ(f.Lookup(10)->step, 4u);
  EXPECT_FALSE(f.Lookup(11));
  EXPECT_FALSE(f.LabelOf(10));  // consumed
  f.AdvanceCompletedSteps(6);
  EXPECT_EQ(f.Lookup(15)->step, 6u);
}

TEST(Frontier, InProgressBelowTheFrontierIsIgnored) {
  Frontier f;
  f.RecordComplete(10, 3);
  f.RecordInProgress(5, 9);  // stale answer from before completion
  EXPECT_FALSE(f.LabelOf(5));
  EXPECT_TRUE(f.Lookup(5));
}

TEST(Frontier, BoundedAndStillCorrect) {
  Frontier f(/*max_points=*/4);
  for (uint64_t c = 1; c <= 100; ++c) f.RecordComplete(c * 10, c);
  // The lowest points are gone; a low token is still complete, with an upper-bound step.
  auto low = f.Lookup(5);
  ASSERT_TRUE(low);
  EXPECT_EQ(low->step, 97u);
  EXPECT_EQ(f.Lookup(1000)->step, 100u);
  EXPECT_FALSE(f.Lookup(1001));
  for (uint64_t c = 1; c <= 100; ++c) f.RecordInProgress(2000 + c, c + 100);
  EXPECT_TRUE(f.LabelOf(2001));
  EXPECT_FALSE(f.LabelOf(2100));  // highest labels dropped first: they complete last
}

}  // namespace
}  // namespace sidecar
