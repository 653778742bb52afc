// PipelineApi: the pipeline process's own HTTP API, answered from a SimulatedPipeline.
//
//   POST /ingress/{table}?format=json[&array=true]           -> 200 {"token": ...}
//   GET  /input_endpoints/{table}.{connector}/completion_token -> 200 {"token": ...}
//   GET  /completion_status?token=T                          -> 200 {"status", "step"} | 400 | 410
//   GET  /stats                                              -> 200 Feldera's stats document
//
// Errors are Feldera ErrorResponses; unknown paths 404, wrong methods 405. A fault armed in the
// FaultPlan for the request's kind replaces its answer (fault_answer.h).
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

  ApiResponse Handle(const ApiRequest& request) const;

 private:
  ApiResponse HandleIngress(const ApiRequest& request) const;
  ApiResponse HandleCompletionToken(const ApiRequest& request) const;
  ApiResponse HandleCompletionStatus(const ApiRequest& request) const;

  SimulatedPipeline& pipeline_;
  FaultPlan& faults_;
};

}  // namespace sidecar::sim
