#include "sim/fault_plan.h"

namespace sidecar::sim {

const char* FaultKindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kError:
      return "error";
    case FaultKind::kNonJson:
      return "non_json";
    case FaultKind::kWrongShape:
      return "wrong_shape";
    case FaultKind::kReset:
      return "reset";
  }
  return "unknown";
}

std::optional<FaultKind> ParseFaultKind(std::string_view name) {
  for (FaultKind kind :
       {FaultKind::kError, FaultKind::kNonJson, FaultKind::kWrongShape, FaultKind::kReset}) {
    if (name == FaultKindName(kind)) return kind;
  }
  return std::nullopt;
}

void FaultPlan::SetStall(std::chrono::milliseconds stall) {
  std::lock_guard lock(mutex_);
  stall_ = stall;
}

std::chrono::milliseconds FaultPlan::stall() const {
  std::lock_guard lock(mutex_);
  return stall_;
}

void FaultPlan::SetFault(PipelineRequestKind request, std::optional<Fault> fault,
                         std::optional<uint64_t> count) {
  std::lock_guard lock(mutex_);
  std::optional<ArmedFault>& armed = armed_[static_cast<size_t>(request)];
  if (!fault || count == uint64_t{0}) {
    armed.reset();
    return;
  }
  armed = ArmedFault{*fault, count};
}

std::optional<Fault> FaultPlan::TakeFault(PipelineRequestKind request) {
  std::lock_guard lock(mutex_);
  std::optional<ArmedFault>& armed = armed_[static_cast<size_t>(request)];
  if (!armed) return std::nullopt;
  const Fault fault = armed->fault;
  if (armed->left && --*armed->left == 0) armed.reset();
  return fault;
}

}  // namespace sidecar::sim
