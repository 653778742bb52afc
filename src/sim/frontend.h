// Frontend: how a request reaches the simulated pipeline. In process mode the simulator is the
// pipeline process, serving its root paths (/stats, /ingress/...) while it runs; a stopped
// process is gone, so its connections are reset. In manager mode it is Feldera's API server
// with one pipeline, serving that pipeline's /v0/pipelines/{name}/... routes (manager_routes.h)
// and answering itself for another pipeline name (404 UnknownPipelineName), for its stopped
// pipeline (503 PipelineInteractionNotDeployed) and for paths it has no route for; every 503 it
// sends carries Retry-After, the pipeline's own ones included.
//
// Pure, immutable; safe from any thread.
#pragma once

#include <optional>
#include <string>

#include "sim/api_message.h"

namespace sidecar::sim {

struct FrontDecision {
  std::optional<ApiRequest> to_pipeline;  // set: the pipeline API answers this request
  ApiResponse answer;                     // otherwise: this is the answer
};

class Frontend {
 public:
  static Frontend Process();
  static Frontend Manager(std::string pipeline_name);

  bool manager() const { return manager_; }
  const std::string& pipeline_name() const { return pipeline_name_; }

  // Where a request that is not for the control API goes, given whether the pipeline runs.
  FrontDecision Route(const ApiRequest& request, bool pipeline_running) const;

  // The pipeline API's answer as the client gets it.
  ApiResponse Finish(ApiResponse answer) const;

 private:
  Frontend(bool manager, std::string pipeline_name)
      : manager_(manager), pipeline_name_(std::move(pipeline_name)) {}

  bool manager_;
  std::string pipeline_name_;
};

}  // namespace sidecar::sim
