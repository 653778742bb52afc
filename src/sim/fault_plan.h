// FaultPlan: the misbehaviour the control API asks of the pipeline API — a stall before every
// answer, and, per kind of pipeline request, a fault that replaces the answers to the next
// requests of that kind (see fault_answer.h for what each fault sends).
//
// Thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>

#include "sim/request_counters.h"

namespace sidecar::sim {

// How a faulted request is answered.
enum class FaultKind {
  kError,       // `status` with a Feldera ErrorResponse
  kNonJson,     // `status` with a body that is not JSON (an HTML error page)
  kWrongShape,  // `status` with JSON that is not the shape of this request's answer
  kReset,       // no answer at all: the connection is reset
};

struct Fault {
  FaultKind kind = FaultKind::kError;
  int status = 500;  // the HTTP status of the answer; unused by kReset

  bool operator==(const Fault&) const = default;
};

// The control API's names: "error", "non_json", "wrong_shape", "reset".
const char* FaultKindName(FaultKind kind);
std::optional<FaultKind> ParseFaultKind(std::string_view name);

class FaultPlan {
 public:
  // Every pipeline-API request is answered only after `stall` (zero: at once).
  void SetStall(std::chrono::milliseconds stall);
  std::chrono::milliseconds stall() const;

  // The next `count` requests of kind `request` (every one while `count` is nullopt) get
  // `fault` instead of being carried out and answered. A nullopt `fault`, or a count of zero,
  // clears it.
  void SetFault(PipelineRequestKind request, std::optional<Fault> fault,
                std::optional<uint64_t> count);

  // The fault this request of kind `request` must get, if one is armed; consumes one.
  std::optional<Fault> TakeFault(PipelineRequestKind request);

 private:
  struct ArmedFault {
    Fault fault;
    std::optional<uint64_t> left;  // nullopt: until cleared
  };

  mutable std::mutex mutex_;
  std::chrono::milliseconds stall_{0};
  std::array<std::optional<ArmedFault>, kPipelineRequestKinds> armed_;
};

}  // namespace sidecar::sim
