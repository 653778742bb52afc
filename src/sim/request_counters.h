// RequestCounters: how many requests of each pipeline-API kind reached the simulator, for tests
// that check how much load a client put on the pipeline.
//
// Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string_view>

namespace sidecar::sim {

enum class PipelineRequestKind { kCompletionStatus, kStats, kIngress, kCompletionToken };
inline constexpr size_t kPipelineRequestKinds = 4;

// The name /sim/requests reports a kind under, and back.
const char* RequestKindName(PipelineRequestKind kind);
std::optional<PipelineRequestKind> ParseRequestKind(std::string_view name);

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
