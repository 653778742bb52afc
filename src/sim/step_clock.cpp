#include "sim/step_clock.h"

#include <algorithm>

namespace sidecar::sim {
namespace {

void ScheduleTick(TimerQueue& timers, SimulatedPipeline& pipeline,
                  std::chrono::milliseconds period) {
  timers.Schedule(period, [&timers, &pipeline, period] {
    pipeline.Tick(SimClock::now());
    ScheduleTick(timers, pipeline, period);
  });
}

}  // namespace

std::chrono::milliseconds TickPeriod(const StepTiming& timing) {
  using std::chrono::milliseconds;
  milliseconds period = std::min(timing.interval, milliseconds(10));
  if (timing.delay > milliseconds(0)) period = std::min(period, timing.delay);
  return std::max(period, milliseconds(1));
}

void StartStepClock(TimerQueue& timers, SimulatedPipeline& pipeline, const StepTiming& timing) {
  ScheduleTick(timers, pipeline, TickPeriod(timing));
}

}  // namespace sidecar::sim
