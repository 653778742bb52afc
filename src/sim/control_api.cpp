#include "sim/control_api.h"

#include <functional>
#include <string>

#include "sim/error_response.h"
#include "sim/pipeline_json.h"

namespace sidecar::sim {
namespace {

using web::json::value;

// Longer stalls and outages than this are a typo, not a test.
constexpr uint64_t kMaxControlMillis = 3'600'000;

// The path below /sim, as "requests/reset".
std::string ControlPath(const ApiRequest& request) {
  std::string path;
  for (size_t i = 1; i < request.path.size(); ++i) {
    if (i > 1) path += "/";
    path += request.path[i];
  }
  return path;
}

// Reads an optional true/false parameter; nullopt when it is present but malformed.
std::optional<bool> BoolParam(const ApiRequest& request, const std::string& name) {
  return ParseBoolValue(request.Param(name).value_or("false"));
}

// Reads a required millisecond parameter; nullopt (with `error` set) when missing or malformed.
std::optional<std::chrono::milliseconds> MillisParam(const ApiRequest& request,
                                                     std::optional<ApiResponse>& error) {
  const std::optional<std::string> text = request.Param("ms");
  if (!text) {
    error = MissingParamError("ms");
    return std::nullopt;
  }
  const std::optional<uint64_t> ms = ParseUintValue(*text);
  if (!ms || *ms > kMaxControlMillis) {
    error = InvalidParamError(
        "ms", "expected milliseconds from 0 to " + std::to_string(kMaxControlMillis));
    return std::nullopt;
  }
  return std::chrono::milliseconds(*ms);
}

// What /sim/fault asks for: a fault to arm, or none (status=0) to clear the armed one.
struct FaultChoice {
  std::optional<Fault> fault;
};

// Reads `kind` (default error) and `status`; nullopt (with `error` set) when malformed.
std::optional<FaultChoice> FaultParams(const ApiRequest& request,
                                       std::optional<ApiResponse>& error) {
  const std::optional<FaultKind> kind = ParseFaultKind(request.Param("kind").value_or("error"));
  if (!kind) {
    error = InvalidParamError("kind", "expected error, non_json, wrong_shape or reset");
    return std::nullopt;
  }
  const std::optional<std::string> status_text = request.Param("status");
  const std::optional<uint64_t> status = status_text ? ParseUintValue(*status_text) : std::nullopt;
  if (status == uint64_t{0}) return FaultChoice{};
  if (*kind == FaultKind::kReset) {
    if (status_text) {
      error = InvalidParamError("status", "a reset answers no status (0 clears)");
      return std::nullopt;
    }
    return FaultChoice{Fault{*kind, 0}};
  }
  // Garbage is most deceptive under a success status; an error answer needs an error status.
  const uint64_t lowest = *kind == FaultKind::kError ? 400 : 200;
  if (!status_text) {
    if (*kind == FaultKind::kError) {
      error = MissingParamError("status");
      return std::nullopt;
    }
    return FaultChoice{Fault{*kind, 200}};
  }
  if (!status || *status < lowest || *status > 599) {
    error = InvalidParamError(
        "status", "expected 0 (clear) or a status from " + std::to_string(lowest) + " to 599");
    return std::nullopt;
  }
  return FaultChoice{Fault{*kind, static_cast<int>(*status)}};
}

ApiResponse Ok(value body) {
  return ApiResponse{200, std::move(body)};
}

}  // namespace

ControlApi::ControlApi(SimulatedPipeline& pipeline, FaultPlan& faults, RequestCounters& counters)
    : pipeline_(pipeline), faults_(faults), counters_(counters) {}

bool ControlApi::Owns(const ApiRequest& request) {
  return !request.path.empty() && request.path[0] == "sim";
}

ControlOutcome ControlApi::Handle(const ApiRequest& request, SimTime now) const {
  struct Route {
    const char* path;
    const char* method;
    std::function<ControlOutcome()> handle;
  };
  auto answer = [](ApiResponse response) { return ControlOutcome{std::move(response), {}}; };
  const Route routes[] = {
      {"restart", "POST", [&] { return answer(Restart(request, now)); }},
      {"stop", "POST", [&] { return answer(Stop()); }},
      {"start", "POST", [&] { return answer(Start(request, now)); }},
      {"pause", "POST", [&] { return answer(SetPaused(true)); }},
      {"resume", "POST", [&] { return answer(SetPaused(false)); }},
      {"stall", "POST", [&] { return answer(Stall(request)); }},
      {"fault", "POST", [&] { return answer(Fault(request)); }},
      {"down", "POST", [&] { return Down(request); }},
      {"requests", "GET", [&] { return answer(Ok(RequestCountsJson(counters_.Read()))); }},
      {"requests/reset", "POST",
       [&] {
         counters_.Reset();
         return answer(Ok(RequestCountsJson(counters_.Read())));
       }},
      {"state", "GET", [&] { return answer(Ok(StateJson(pipeline_.Snapshot()))); }},
  };
  const std::string path = ControlPath(request);
  for (const Route& route : routes) {
    if (path != route.path) continue;
    if (request.method != route.method) return answer(MethodNotAllowedError(request, route.method));
    return route.handle();
  }
  return answer(UnknownPathError(request));
}

ApiResponse ControlApi::Restart(const ApiRequest& request, SimTime now) const {
  const std::optional<bool> checkpoint = BoolParam(request, "checkpoint");
  if (!checkpoint) return InvalidParamError("checkpoint", "expected true or false");
  const Uuid incarnation = pipeline_.Restart(*checkpoint, now);
  value body = value::object();
  body["incarnation_uuid"] = value::string(incarnation.ToString());
  body["resumed_from_checkpoint"] = value::boolean(*checkpoint);
  return Ok(std::move(body));
}

ApiResponse ControlApi::Stop() const {
  pipeline_.Stop();
  value body = value::object();
  body["running"] = value::boolean(false);
  body["incarnation_uuid"] = value::string(pipeline_.Snapshot().incarnation.ToString());
  return Ok(std::move(body));
}

ApiResponse ControlApi::Start(const ApiRequest& request, SimTime now) const {
  const std::optional<bool> checkpoint = BoolParam(request, "checkpoint");
  if (!checkpoint) return InvalidParamError("checkpoint", "expected true or false");
  if (pipeline_.running()) {
    return ErrorReply(409, "PipelineRunning",
                      "the pipeline runs: POST /sim/stop first, or /sim/restart");
  }
  ApiResponse started = Restart(request, now);
  started.body["running"] = value::boolean(true);
  return started;
}

ApiResponse ControlApi::SetPaused(bool paused) const {
  pipeline_.SetPaused(paused);
  value body = value::object();
  body["paused"] = value::boolean(paused);
  return Ok(std::move(body));
}

ApiResponse ControlApi::Stall(const ApiRequest& request) const {
  std::optional<ApiResponse> error;
  const std::optional<std::chrono::milliseconds> stall = MillisParam(request, error);
  if (!stall) return *error;
  faults_.SetStall(*stall);
  value body = value::object();
  body["stall_ms"] = value::number(static_cast<uint64_t>(stall->count()));
  return Ok(std::move(body));
}

ApiResponse ControlApi::Fault(const ApiRequest& request) const {
  const std::optional<PipelineRequestKind> target =
      ParseRequestKind(request.Param("path").value_or("completion_status"));
  if (!target) {
    return InvalidParamError("path",
                             "expected completion_status, stats, ingress or completion_token");
  }
  std::optional<ApiResponse> error;
  const std::optional<FaultChoice> choice = FaultParams(request, error);
  if (!choice) return *error;
  std::optional<uint64_t> count;
  if (const std::optional<std::string> count_text = request.Param("count")) {
    count = ParseUintValue(*count_text);
    if (!count) return InvalidParamError("count", "expected a non-negative integer");
  }
  faults_.SetFault(*target, choice->fault, count);

  value body = value::object();
  body["path"] = value::string(RequestKindName(*target));
  body["kind"] = value::null();
  body["status"] = value::number(0);
  if (const std::optional<sim::Fault>& fault = choice->fault) {
    body["kind"] = value::string(FaultKindName(fault->kind));
    body["status"] =
        fault->kind == FaultKind::kReset ? value::null() : value::number(fault->status);
  }
  body["count"] = count ? value::number(*count) : value::null();
  return Ok(std::move(body));
}

ControlOutcome ControlApi::Down(const ApiRequest& request) const {
  std::optional<ApiResponse> error;
  const std::optional<std::chrono::milliseconds> duration = MillisParam(request, error);
  if (!duration) return ControlOutcome{*error, {}};
  const std::optional<bool> restart = BoolParam(request, "restart");
  const std::optional<bool> checkpoint = BoolParam(request, "checkpoint");
  if (!restart || !checkpoint) {
    return ControlOutcome{InvalidParamError("restart/checkpoint", "expected true or false"), {}};
  }
  value body = value::object();
  body["down_ms"] = value::number(static_cast<uint64_t>(duration->count()));
  body["restart"] = value::boolean(*restart);
  body["checkpoint"] = value::boolean(*checkpoint);
  return ControlOutcome{Ok(std::move(body)), DownPlan{*duration, *restart, *checkpoint}};
}

}  // namespace sidecar::sim
