#include "sim/step_clock.h"

#include <gtest/gtest.h>

#include "support/process.h"

namespace sidecar::sim {
namespace {

using sidecar::testing::WaitUntil;
using std::chrono::milliseconds;

TEST(StepClockTest, TicksOftenEnoughForTheIntervalAndTheDelay) {
  EXPECT_EQ(TickPeriod({milliseconds(20), milliseconds(200)}), milliseconds(10));
  EXPECT_EQ(TickPeriod({milliseconds(5), milliseconds(30)}), milliseconds(5));
  EXPECT_EQ(TickPeriod({milliseconds(50), milliseconds(3)}), milliseconds(3));
  EXPECT_EQ(TickPeriod({milliseconds(1000), milliseconds(0)}), milliseconds(10));
  EXPECT_EQ(TickPeriod({milliseconds(1), milliseconds(0)}), milliseconds(1));
}

TEST(StepClockTest, DrivesThePipelineInRealTime) {
  const StepTiming timing{milliseconds(5), milliseconds(20)};
  SimulatedPipeline pipeline({"numbers.api-ingress"}, timing, SimClock::now());
  TimerQueue timers;
  StartStepClock(timers, pipeline, timing);
  const CompletionToken token = *pipeline.Ingest(0, 3);
  EXPECT_TRUE(WaitUntil(
      [&] { return pipeline.Lookup(token).outcome == CompletionLookup::Outcome::kComplete; }));
  timers.Stop();
}

}  // namespace
}  // namespace sidecar::sim
