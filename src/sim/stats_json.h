// StatsJson: Feldera's /stats document (`ControllerStatus` in Feldera's openapi.json) for a
// simulated pipeline, with every field Feldera's schema marks required and every nullable field
// Feldera sends as null, typed as Feldera serialises them (crates/feldera-types/src/
// adapter_stats.rs). Times are integer Unix seconds (`chrono::serde::ts_seconds`), so a process
// resumed within the second its predecessor started reports `initial_start_time == start_time`,
// as real Feldera does.
//
// Fields the simulator has no model of (memory, CPU, storage, transactions, bootstrapping) carry
// fixed or derived plausible values of the right type.
//
// Pure functions, safe from any thread.
#pragma once

#include <cpprest/json.h>

#include <cstdint>

#include "sim/simulated_pipeline.h"

namespace sidecar::sim {

// Whole seconds since the Unix epoch, rounded down, as chrono::serde::ts_seconds writes them.
int64_t UnixSeconds(SimTime time);

// {"global_metrics": {...}, "suspend_error": null, "checkpoint_activity": null,
//  "permanent_checkpoint_errors": null, "inputs": [...], "outputs": []}; inputs sorted by
// endpoint name as Feldera sorts them. `now` gives the uptime.
web::json::value StatsJson(const PipelineSnapshot& snapshot, SimTime now);

}  // namespace sidecar::sim
