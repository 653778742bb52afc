// PipelineEffects: what a Pipeline operation decided while holding the pipeline's lock, carried out
// once the lock is released (answers to clients, upstream requests, logs, metrics, a history
// report). Collecting them first is how the Pipeline keeps every kind of I/O out of its lock.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/common.h>

#include "pipeline/upstream_client.h"
#include "status/endpoint_tracker.h"
#include "token/uuid.h"

namespace sidecar {

// One endpoint of one incarnation: (incarnation, endpoint id), as a token names it.
using EndpointKey = std::pair<Uuid, uint64_t>;

struct PipelineEffects {
  Resolved answers;
  std::vector<EndpointKey> queries;  // endpoints that may have a query due now
  std::vector<TokenCompletion> completed;
  uint64_t abandoned_ended = 0;     // tracked tokens of an incarnation that ended
  uint64_t abandoned_overflow = 0;  // tokens not tracked: the budget was full
  uint64_t abandoned_endpoint = 0;  // tracked tokens of an endpoint the pipeline no longer has
  std::optional<uint64_t> tracked;  // the new number of tracked tokens, when it changed
  bool history_changed = false;
  std::shared_ptr<UpstreamClient> probe;  // a /stats probe to send to this client
  std::vector<std::pair<spdlog::level::level_enum, std::string>> logs;
};

}  // namespace sidecar
