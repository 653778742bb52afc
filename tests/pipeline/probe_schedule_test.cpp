#include "pipeline/probe_schedule.h"

#include <gtest/gtest.h>

namespace sidecar::testing {
namespace {

using namespace std::chrono_literals;
using Clock = ProbeSchedule::Clock;

TEST(ProbeSchedule, OneProbeInFlightAndOnePerInterval) {
  ProbeSchedule schedule(1000ms);
  const Clock::time_point start = Clock::now();
  EXPECT_TRUE(schedule.OnTick(start, false, true));  // due at once
  EXPECT_FALSE(schedule.Want());                     // in flight
  schedule.Answered();
  EXPECT_FALSE(schedule.Want());  // this interval's probe was sent: the next tick sends it
  EXPECT_TRUE(schedule.OnTick(start + 50ms, false, true));
  schedule.Answered();
  EXPECT_FALSE(schedule.OnTick(start + 100ms, false, true));  // nothing wanted, not due
}

TEST(ProbeSchedule, DueEveryProbeIntervalAndEveryTickWhileStepsAreAwaited) {
  ProbeSchedule schedule(1000ms);
  const Clock::time_point start = Clock::now();
  ASSERT_TRUE(schedule.OnTick(start, false, true));
  schedule.Answered();
  EXPECT_FALSE(schedule.OnTick(start + 999ms, false, true));
  EXPECT_TRUE(schedule.OnTick(start + 1000ms, false, true));
  schedule.Answered();
  EXPECT_TRUE(schedule.OnTick(start + 1050ms, /*steps_awaited=*/true, true));
}

TEST(ProbeSchedule, NothingToProbeSendsNothingAndKeepsTheWish) {
  ProbeSchedule schedule(1000ms);
  const Clock::time_point start = Clock::now();
  EXPECT_FALSE(schedule.OnTick(start, false, /*can_probe=*/false));
  EXPECT_TRUE(schedule.Want());  // a pod appeared: not in flight, and none started this interval
}

}  // namespace
}  // namespace sidecar::testing
