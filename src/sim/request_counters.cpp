#include "sim/request_counters.h"

namespace sidecar::sim {

const char* RequestKindName(PipelineRequestKind kind) {
  switch (kind) {
    case PipelineRequestKind::kCompletionStatus:
      return "completion_status";
    case PipelineRequestKind::kStats:
      return "stats";
    case PipelineRequestKind::kIngress:
      return "ingress";
    case PipelineRequestKind::kCompletionToken:
      return "completion_token";
  }
  return "unknown";
}

std::optional<PipelineRequestKind> ParseRequestKind(std::string_view name) {
  for (size_t i = 0; i < kPipelineRequestKinds; ++i) {
    const auto kind = static_cast<PipelineRequestKind>(i);
    if (name == RequestKindName(kind)) return kind;
  }
  return std::nullopt;
}

void RequestCounters::Count(PipelineRequestKind kind) {
  counts_[static_cast<size_t>(kind)].fetch_add(1, std::memory_order_relaxed);
}

RequestCounters::Counts RequestCounters::Read() const {
  Counts counts{};
  for (size_t i = 0; i < counts.size(); ++i) counts[i] = counts_[i].load(std::memory_order_relaxed);
  return counts;
}

void RequestCounters::Reset() {
  for (auto& count : counts_) count.store(0, std::memory_order_relaxed);
}

}  // namespace sidecar::sim
