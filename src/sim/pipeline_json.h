// The simulator's own JSON views of the simulated pipeline, for /sim/state and /sim/requests
// (Feldera's /stats is stats_json.h).
//
// Pure functions, safe from any thread.
#pragma once

#include <cpprest/json.h>

#include "sim/request_counters.h"
#include "sim/simulated_pipeline.h"

namespace sidecar::sim {

// Everything a test checks invariants against: incarnation, running, paused, steps, and per
// endpoint (by id) its counts and the highest count whose token is complete (null if none).
// `start_time` and `initial_start_time` are integer Unix seconds, as in /stats;
// `start_time_ms` and `initial_start_time_ms` the same times in Unix milliseconds, the
// simulator's own precision (they tell a resume within the start's second apart).
web::json::value StateJson(const PipelineSnapshot& snapshot);

// {"completion_status": N, "stats": N, "ingress": N, "completion_token": N}.
web::json::value RequestCountsJson(const RequestCounters::Counts& counts);

}  // namespace sidecar::sim
