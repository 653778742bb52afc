// RequestCounters: how many requests of each pipeline-API kind reached the simulator, for tests
// that check how much load a client put on the pipeline.
//
// Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace sidecar::sim {

enum class PipelineRequestKind { kCompletionStatus, kStats, kIngress, kCompletionToken };
inline constexpr size_t kPipelineRequestKinds = 4;

// The name /sim/requests reports a kind under.
const char* RequestKindName(PipelineRequestKind kind);

class RequestCounters {
 public:
  using Counts = std::array<uint64_t, kPipelineRequestKinds>;  // indexed by kind

  void Count(PipelineRequestKind kind);
  Counts Read() const;
  void Reset();

 private:
  std::array<std::atomic<uint64_t>, kPipelineRequestKinds> counts_{};
};

}  // namespace sidecar::sim
