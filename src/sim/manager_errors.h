// The answers Feldera's API server (the pipeline manager) gives itself, without reaching the
// pipeline: crates/pipeline-manager/src/db/error.rs, runner/error.rs and error.rs.
//
// Pure functions, safe from any thread.
#pragma once

#include <string>

#include "sim/api_message.h"

namespace sidecar::sim {

// Seconds every 503 of the manager asks a client to wait (SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS).
inline constexpr int kManagerRetryAfterSeconds = 5;

// 404 UnknownPipelineName: "Unknown pipeline name 'x'", details {"pipeline_name": "x"}.
ApiResponse UnknownPipelineNameError(const std::string& pipeline_name);

// 503 PipelineInteractionNotDeployed for a pipeline its user stopped: deployment status and
// desired status both Stopped (details carry the Rust variant names, the message the lower-case
// display form), with Retry-After.
ApiResponse PipelineStoppedError(const std::string& pipeline_name);

// `answer` as the manager sends it: a 503 gets `Retry-After: 5`; anything else is unchanged.
ApiResponse WithManagerRetryAfter(ApiResponse answer);

}  // namespace sidecar::sim
