#include "sim/fault_plan.h"

namespace sidecar::sim {

void FaultPlan::SetStall(std::chrono::milliseconds stall) {
  std::lock_guard lock(mutex_);
  stall_ = stall;
}

std::chrono::milliseconds FaultPlan::stall() const {
  std::lock_guard lock(mutex_);
  return stall_;
}

void FaultPlan::SetCompletionStatusFault(int status, std::optional<uint64_t> count) {
  std::lock_guard lock(mutex_);
  fault_status_ = status;
  faults_left_ = count;
}

std::optional<int> FaultPlan::TakeCompletionStatusFault() {
  std::lock_guard lock(mutex_);
  if (fault_status_ == 0) return std::nullopt;
  const int status = fault_status_;
  if (faults_left_) {
    if (*faults_left_ == 0) return std::nullopt;
    if (--*faults_left_ == 0) fault_status_ = 0;
  }
  return status;
}

}  // namespace sidecar::sim
