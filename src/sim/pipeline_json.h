// JSON views of the simulated pipeline: Feldera's /stats document and the simulator's own
// /sim/state and /sim/requests.
//
// Pure functions, safe from any thread.
#pragma once

#include <cpprest/json.h>

#include <string>

#include "sim/request_counters.h"
#include "sim/simulated_pipeline.h"

namespace sidecar::sim {

// RFC 3339 in UTC with milliseconds, as "2025-05-08T18:20:11.651Z".
std::string FormatRfc3339(SimTime time);

// {"global_metrics": {...}, "inputs": [{"endpoint_name", "metrics": {...}}], "outputs": []},
// inputs sorted by endpoint name as Feldera sorts them.
web::json::value StatsJson(const PipelineSnapshot& snapshot);

// Everything a test checks invariants against: incarnation, paused, steps, and per endpoint
// (by id) its counts and the highest count whose token is complete (null if none).
web::json::value StateJson(const PipelineSnapshot& snapshot);

// {"completion_status": N, "stats": N, "ingress": N, "completion_token": N}.
web::json::value RequestCountsJson(const RequestCounters::Counts& counts);

}  // namespace sidecar::sim
