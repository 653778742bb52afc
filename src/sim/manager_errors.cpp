#include "sim/manager_errors.h"

#include "sim/error_response.h"

namespace sidecar::sim {

using web::json::value;

ApiResponse UnknownPipelineNameError(const std::string& pipeline_name) {
  value details = value::object();
  details["pipeline_name"] = value::string(pipeline_name);
  return ErrorReply(404, "UnknownPipelineName", "Unknown pipeline name '" + pipeline_name + "'",
                    std::move(details));
}

ApiResponse PipelineStoppedError(const std::string& pipeline_name) {
  value details = value::object();
  details["pipeline_name"] = value::string(pipeline_name);
  details["status"] = value::string("Stopped");
  details["desired_status"] = value::string("Stopped");
  // runner/error.rs: the status in its Display form, then pipeline_suffix(name).
  const std::string shown_name = pipeline_name.empty() ? "N/A" : pipeline_name;
  return WithManagerRetryAfter(
      ErrorReply(503, "PipelineInteractionNotDeployed",
                 "Unable to interact with pipeline because the deployment status (stopped) "
                 "indicates it is not (yet) fully provisioned pipeline-id=N/A pipeline-name=\"" +
                     shown_name + "\"",
                 std::move(details)));
}

ApiResponse WithManagerRetryAfter(ApiResponse answer) {
  if (answer.status == 503) {
    answer.headers["Retry-After"] = std::to_string(kManagerRetryAfterSeconds);
  }
  return answer;
}

}  // namespace sidecar::sim
