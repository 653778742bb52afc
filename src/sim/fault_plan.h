// FaultPlan: the misbehaviour the control API asks of the pipeline API — a stall before every
// answer, and injected error answers to completion_status.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

namespace sidecar::sim {

class FaultPlan {
 public:
  // Every pipeline-API request is answered only after `stall` (zero: at once).
  void SetStall(std::chrono::milliseconds stall);
  std::chrono::milliseconds stall() const;

  // The next `count` completion_status requests (all of them while `count` is nullopt) answer
  // `status`. Status 0 clears the fault.
  void SetCompletionStatusFault(int status, std::optional<uint64_t> count);

  // The status to answer this completion_status request with, if a fault is armed; consumes one.
  std::optional<int> TakeCompletionStatusFault();

 private:
  mutable std::mutex mutex_;
  std::chrono::milliseconds stall_{0};
  int fault_status_ = 0;
  std::optional<uint64_t> faults_left_;  // nullopt: until cleared
};

}  // namespace sidecar::sim
