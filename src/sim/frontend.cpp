#include "sim/frontend.h"

#include "sim/error_response.h"
#include "sim/manager_errors.h"
#include "sim/manager_routes.h"

namespace sidecar::sim {

Frontend Frontend::Process() {
  return Frontend(false, "");
}

Frontend Frontend::Manager(std::string pipeline_name) {
  return Frontend(true, std::move(pipeline_name));
}

FrontDecision Frontend::Route(const ApiRequest& request, bool pipeline_running) const {
  if (!manager_) {
    if (pipeline_running) return FrontDecision{request, {}};
    ApiResponse gone;
    gone.reset_connection = true;  // the process is gone: nobody answers
    return FrontDecision{std::nullopt, gone};
  }
  std::optional<ManagerRoute> route = MatchManagerRoute(request);
  if (!route) return FrontDecision{std::nullopt, NoRouteResponse()};
  if (route->pipeline_name != pipeline_name_) {
    return FrontDecision{std::nullopt, UnknownPipelineNameError(route->pipeline_name)};
  }
  if (!pipeline_running) return FrontDecision{std::nullopt, PipelineStoppedError(pipeline_name_)};
  return FrontDecision{std::move(route->forwarded), {}};
}

ApiResponse Frontend::Finish(ApiResponse answer) const {
  return manager_ ? WithManagerRetryAfter(std::move(answer)) : answer;
}

}  // namespace sidecar::sim
