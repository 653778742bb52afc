// Reading what a pipeline (or Feldera's API server in front of it) answers. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "feldera/api_error.h"
#include "status/status_answer.h"
#include "token/completion_token.h"
#include "token/uuid.h"

namespace sidecar {

// The fields of GET {url}/stats that the service uses.
struct StatsSnapshot {
  Uuid incarnation;
  // When this process started, and when the process it resumed from did; RFC 3339 text, empty
  // when absent. Feldera sends whole Unix seconds.
  std::string start_time;
  std::string initial_start_time;
  bool resumed_from_checkpoint = false;  // initial_start_time earlier than start_time
  std::optional<uint64_t> total_completed_steps;
};

// Reads `global_metrics` as Feldera's ControllerStatus schema gives it: `start_time` and
// `initial_start_time` are integer Unix seconds; RFC 3339 text (older versions) is read too.
Result<StatsSnapshot> ParseStats(const std::string& body);

// What one /stats probe learned: the stats, or why there are none. A 503 ErrorResponse from
// upstream (Feldera's API server says a stopped pipeline is `PipelineInteractionNotDeployed`) is
// kept whole, with its Retry-After, so that clients get Feldera's own answer.
struct ProbeOutcome {
  Result<StatsSnapshot> stats;
  std::optional<ApiError> upstream_error;
};

// Maps an HTTP answer to GET {url}/stats; `retry_after` is its Retry-After header, if any.
ProbeOutcome ParseStatsAnswer(int http_status, const std::string& body,
                              std::optional<int> retry_after);

// Maps an HTTP answer to GET {url}/completion_status: 200/202 with a valid status body become
// complete/in-progress; a Feldera ErrorResponse is passed on with its status and the upstream's
// Retry-After (`upstream_retry_after`; else `retry_after_seconds` on a 503); anything else is
// reported as the pipeline being unreachable (503), never passed on as garbage.
UpstreamOutcome ParseCompletionStatusAnswer(int http_status, const std::string& body,
                                            const std::string& pipeline, int retry_after_seconds,
                                            std::optional<int> upstream_retry_after = std::nullopt);

// The token in a successful answer to POST {url}/ingress/{table} or GET .../completion_token
// (`200 {"token":"..."}`); nullopt for any other answer, or a body too large to be one.
std::optional<CompletionToken> ParseTokenAnswer(int http_status, const std::string& body);

}  // namespace sidecar
