#include "sim/fault_plan.h"

#include <gtest/gtest.h>

namespace sidecar::sim {
namespace {

using std::chrono::milliseconds;

constexpr PipelineRequestKind kStatus = PipelineRequestKind::kCompletionStatus;
constexpr PipelineRequestKind kStats = PipelineRequestKind::kStats;

TEST(FaultPlanTest, NothingIsArmedAtFirst) {
  FaultPlan plan;
  EXPECT_EQ(plan.stall(), milliseconds(0));
  for (size_t i = 0; i < kPipelineRequestKinds; ++i)
    EXPECT_EQ(plan.TakeFault(static_cast<PipelineRequestKind>(i)), std::nullopt);
}

TEST(FaultPlanTest, ACountedFaultIsTakenThatManyTimes) {
  FaultPlan plan;
  const Fault garbage{FaultKind::kNonJson, 200};
  plan.SetFault(kStatus, garbage, 2);
  EXPECT_EQ(plan.TakeFault(kStatus), garbage);
  EXPECT_EQ(plan.TakeFault(kStatus), garbage);
  EXPECT_EQ(plan.TakeFault(kStatus), std::nullopt);
}

TEST(FaultPlanTest, AnUncountedFaultLastsUntilCleared) {
  FaultPlan plan;
  plan.SetFault(kStats, Fault{FaultKind::kReset, 0}, std::nullopt);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(plan.TakeFault(kStats)->kind, FaultKind::kReset);
  plan.SetFault(kStats, std::nullopt, std::nullopt);
  EXPECT_EQ(plan.TakeFault(kStats), std::nullopt);
}

TEST(FaultPlanTest, ACountOfZeroClears) {
  FaultPlan plan;
  plan.SetFault(kStatus, Fault{FaultKind::kError, 500}, std::nullopt);
  plan.SetFault(kStatus, Fault{FaultKind::kError, 503}, 0);
  EXPECT_EQ(plan.TakeFault(kStatus), std::nullopt);
}

TEST(FaultPlanTest, EachRequestKindHasItsOwnFault) {
  FaultPlan plan;
  plan.SetFault(kStatus, Fault{FaultKind::kError, 500}, 1);
  plan.SetFault(kStats, Fault{FaultKind::kWrongShape, 200}, 1);
  EXPECT_EQ(plan.TakeFault(PipelineRequestKind::kIngress), std::nullopt);
  EXPECT_EQ(plan.TakeFault(kStats), (Fault{FaultKind::kWrongShape, 200}));
  EXPECT_EQ(plan.TakeFault(kStatus), (Fault{FaultKind::kError, 500}));
  // A new fault replaces the armed one and its count.
  plan.SetFault(kStatus, Fault{FaultKind::kError, 500}, 5);
  plan.SetFault(kStatus, Fault{FaultKind::kNonJson, 502}, 1);
  EXPECT_EQ(plan.TakeFault(kStatus), (Fault{FaultKind::kNonJson, 502}));
  EXPECT_EQ(plan.TakeFault(kStatus), std::nullopt);
}

TEST(FaultPlanTest, StallIsKeptApart) {
  FaultPlan plan;
  plan.SetStall(milliseconds(2000));
  EXPECT_EQ(plan.stall(), milliseconds(2000));
  EXPECT_EQ(plan.TakeFault(kStatus), std::nullopt);
}

TEST(FaultPlanTest, KindNamesRoundTrip) {
  for (FaultKind kind :
       {FaultKind::kError, FaultKind::kNonJson, FaultKind::kWrongShape, FaultKind::kReset}) {
    EXPECT_EQ(ParseFaultKind(FaultKindName(kind)), kind);
  }
  EXPECT_EQ(ParseFaultKind("Reset"), std::nullopt);
  EXPECT_EQ(ParseFaultKind(""), std::nullopt);
  EXPECT_EQ(ParseRequestKind("stats"), PipelineRequestKind::kStats);
  EXPECT_EQ(ParseRequestKind("completion_token"), PipelineRequestKind::kCompletionToken);
  EXPECT_EQ(ParseRequestKind("sim"), std::nullopt);
}

}  // namespace
}  // namespace sidecar::sim
