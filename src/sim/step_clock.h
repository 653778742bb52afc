// The step clock: drives a SimulatedPipeline in real time from a TimerQueue.
//
// Thread-safe (it only schedules on the timer queue).
#pragma once

#include <chrono>

#include "sim/simulated_pipeline.h"
#include "sim/timer_queue.h"

namespace sidecar::sim {

// How often the pipeline is ticked: often enough that a step starts and completes within one
// tick of its due time (min of interval, delay and 10 ms), never more than once a millisecond.
std::chrono::milliseconds TickPeriod(const StepTiming& timing);

// Ticks `pipeline` every TickPeriod(timing) until `timers` stops. Both must outlive the clock.
void StartStepClock(TimerQueue& timers, SimulatedPipeline& pipeline, const StepTiming& timing);

}  // namespace sidecar::sim
