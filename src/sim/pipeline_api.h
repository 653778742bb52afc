// PipelineApi: the pipeline process's own HTTP API, answered from a SimulatedPipeline as Feldera's
// pipeline server (crates/adapters/src/server.rs) answers it.
//
//   POST /ingress/{table}[?format=csv|json[&array=true]]     -> 200 {"token": ...}
//   GET  /input_endpoints/{table}.{connector}/completion_token -> 200 {"token": ...}
//   GET  /completion_status?token=T                          -> 200 {"status", "step"} | 400 | 410
//   GET  /stats                                              -> 200 Feldera's stats document
//
// `{table}` of /ingress is a SQL identifier, normalised as the process does (its catalog looks
// the table up by SqlIdentifier): unquoted, it is case-insensitive; in double quotes it keeps its
// case. The format is csv unless given, as in Feldera; the simulator parses only csv and json.
// Errors are Feldera ErrorResponses; an unknown path, or a method a path does not take, gets
// actix-web's bare 404. A fault armed in the FaultPlan for the request's kind replaces its answer
// (fault_answer.h).
// Thread-safe: the pipeline and the fault plan it uses are.
#pragma once

#include <optional>

#include "sim/api_message.h"
#include "sim/fault_plan.h"
#include "sim/request_counters.h"
#include "sim/simulated_pipeline.h"

namespace sidecar::sim {

class PipelineApi {
 public:
  PipelineApi(SimulatedPipeline& pipeline, FaultPlan& faults);

  // Which pipeline-API path the request names, whatever its method; nullopt for other paths.
  static std::optional<PipelineRequestKind> Classify(const ApiRequest& request);

  // `now` is the wall-clock time /stats reports the uptime against.
  ApiResponse Handle(const ApiRequest& request, SimTime now) const;

 private:
  ApiResponse HandleIngress(const ApiRequest& request) const;
  ApiResponse HandleCompletionToken(const ApiRequest& request) const;
  ApiResponse HandleCompletionStatus(const ApiRequest& request) const;

  SimulatedPipeline& pipeline_;
  FaultPlan& faults_;
};

}  // namespace sidecar::sim
