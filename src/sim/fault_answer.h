// What a faulted pipeline-API request is answered instead of its own answer: the garbage, errors
// and resets a client of a real pipeline (or of a proxy in front of it) may meet.
//
// Pure functions, safe from any thread.
#pragma once

#include "sim/api_message.h"
#include "sim/fault_plan.h"
#include "sim/request_counters.h"

namespace sidecar::sim {

// kError: `status` with an ErrorResponse. kNonJson: `status` with an HTML page. kWrongShape:
// `status` with JSON near the shape of `request`'s answer but not of it (a near-miss status word,
// mistyped fields). kReset: an answer marked reset_connection.
ApiResponse FaultAnswer(const Fault& fault, PipelineRequestKind request);

}  // namespace sidecar::sim
