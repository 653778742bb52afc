// ProbeSchedule: when a pipeline's /stats probe is sent. At most one probe is in flight, and at
// most one starts per tracker interval: a probe wanted sooner (a token names an unknown
// incarnation, the pipeline reported a restart, an outage) waits for the next interval's tick.
// Besides, one is due every probe interval, and every tick while tracked tokens wait for a step
// to complete. A plain value: its owner's lock guards it.
#pragma once

#include <chrono>

namespace sidecar {

class ProbeSchedule {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ProbeSchedule(std::chrono::milliseconds probe_interval)
      : probe_interval_(probe_interval) {}

  // A probe is wanted now (and there is something to probe). True: send it (it is in flight from
  // now on). False: one is in flight, or one already started this interval and the next tick
  // sends it.
  bool Want() {
    if (in_flight_) return false;
    if (started_this_interval_) {
      wanted_ = true;
      return false;
    }
    in_flight_ = true;
    started_this_interval_ = true;
    wanted_ = false;
    return true;
  }

  // A tracker interval begins at `now`; `steps_awaited` when tracked tokens wait for a step to
  // complete; `can_probe` unless there is nothing to probe (no pod runs the pipeline). True: send
  // a probe (as Want() does).
  bool OnTick(Clock::time_point now, bool steps_awaited, bool can_probe) {
    started_this_interval_ = false;
    if (!wanted_ && !steps_awaited && now < next_due_) return false;
    next_due_ = now + probe_interval_;
    return can_probe && Want();
  }

  // The probe in flight was answered, or its answer no longer counts (the pipeline moved).
  void Answered() { in_flight_ = false; }

 private:
  const std::chrono::milliseconds probe_interval_;
  bool in_flight_ = false;
  bool started_this_interval_ = false;
  bool wanted_ = false;  // by the next tick
  Clock::time_point next_due_{};
};

}  // namespace sidecar
