#include "sim/pipeline_api.h"

#include "sim/error_response.h"
#include "sim/fault_answer.h"
#include "sim/pipeline_json.h"
#include "sim/record_count.h"
#include "sim/sim_options.h"

namespace sidecar::sim {
namespace {

using web::json::value;

const char* MethodOf(PipelineRequestKind kind) {
  return kind == PipelineRequestKind::kIngress ? "POST" : "GET";
}

ApiResponse TokenReply(const CompletionToken& token) {
  value body = value::object();
  body["token"] = value::string(EncodeCompletionToken(token));
  return ApiResponse{200, std::move(body)};
}

ApiResponse StatusReply(bool complete, std::optional<uint64_t> step) {
  value body = value::object();
  body["status"] = value::string(complete ? "complete" : "inprogress");
  body["step"] = step ? value::number(*step) : value::null();
  return ApiResponse{200, std::move(body)};
}

}  // namespace

PipelineApi::PipelineApi(SimulatedPipeline& pipeline, FaultPlan& faults)
    : pipeline_(pipeline), faults_(faults) {}

std::optional<PipelineRequestKind> PipelineApi::Classify(const ApiRequest& request) {
  const std::vector<std::string>& path = request.path;
  if (path.size() == 1 && path[0] == "completion_status") {
    return PipelineRequestKind::kCompletionStatus;
  }
  if (path.size() == 1 && path[0] == "stats") return PipelineRequestKind::kStats;
  if (path.size() == 2 && path[0] == "ingress") return PipelineRequestKind::kIngress;
  if (path.size() == 3 && path[0] == "input_endpoints" && path[2] == "completion_token") {
    return PipelineRequestKind::kCompletionToken;
  }
  return std::nullopt;
}

ApiResponse PipelineApi::Handle(const ApiRequest& request) const {
  const std::optional<PipelineRequestKind> kind = Classify(request);
  if (!kind) return UnknownPathError(request);
  if (request.method != MethodOf(*kind)) return MethodNotAllowedError(request, MethodOf(*kind));
  if (const std::optional<Fault> fault = faults_.TakeFault(*kind))
    return FaultAnswer(*fault, *kind);
  switch (*kind) {
    case PipelineRequestKind::kIngress:
      return HandleIngress(request);
    case PipelineRequestKind::kCompletionToken:
      return HandleCompletionToken(request);
    case PipelineRequestKind::kCompletionStatus:
      return HandleCompletionStatus(request);
    case PipelineRequestKind::kStats:
      return ApiResponse{200, StatsJson(pipeline_.Snapshot())};
  }
  return UnknownPathError(request);
}

ApiResponse PipelineApi::HandleIngress(const ApiRequest& request) const {
  const std::string& table = request.path[1];
  const std::optional<uint64_t> endpoint = pipeline_.FindEndpoint(table + "." + kIngressConnector);
  if (!endpoint) {
    value details = value::object();
    details["stream_name"] = value::string(table);
    return ErrorReply(404, "UnknownInputStream", "unknown input table '" + table + "'",
                      std::move(details));
  }
  const std::optional<std::string> format = request.Param("format");
  if (!format) return MissingParamError("format");
  if (*format != "json") {
    return InvalidParamError("format",
                             "the simulator accepts only format=json, not '" + *format + "'");
  }
  std::optional<bool> array = ParseBoolValue(request.Param("array").value_or("false"));
  if (!array) return InvalidParamError("array", "expected true or false");

  Result<uint64_t> records = CountJsonRecords(request.body, *array);
  if (!records.ok()) {
    const std::string endpoint_name = table + "." + kIngressConnector;
    value details = value::object();
    details["endpoint_name"] = value::string(endpoint_name);
    details["error"] = value::string(records.error());
    return ErrorReply(400, "ParseError",
                      "parse error on input endpoint '" + endpoint_name + "': " + records.error(),
                      std::move(details));
  }
  return TokenReply(*pipeline_.Ingest(*endpoint, records.value()));
}

ApiResponse PipelineApi::HandleCompletionToken(const ApiRequest& request) const {
  const std::string& name = request.path[1];
  const std::optional<uint64_t> endpoint = pipeline_.FindEndpoint(name);
  if (!endpoint) {
    value details = value::object();
    details["endpoint_name"] = value::string(name);
    return ErrorReply(404, "UnknownInputEndpoint", "unknown input endpoint name '" + name + "'",
                      std::move(details));
  }
  return TokenReply(*pipeline_.MakeToken(*endpoint));
}

ApiResponse PipelineApi::HandleCompletionStatus(const ApiRequest& request) const {
  const std::optional<std::string> text = request.Param("token");
  if (!text) return MissingParamError("token");
  Result<CompletionToken> token = DecodeCompletionToken(*text);
  if (!token.ok()) return InvalidTokenError(token.error());

  const CompletionLookup lookup = pipeline_.Lookup(token.value());
  switch (lookup.outcome) {
    case CompletionLookup::Outcome::kPipelineRestarted:
      return PipelineRestartedError(token->incarnation, lookup.current_incarnation);
    case CompletionLookup::Outcome::kUnknownEndpoint:
      return UnknownEndpointInTokenError(token->endpoint);
    case CompletionLookup::Outcome::kComplete:
      return StatusReply(true, lookup.step);
    case CompletionLookup::Outcome::kInProgress:
      return StatusReply(false, lookup.step);
  }
  return StatusReply(false, std::nullopt);
}

}  // namespace sidecar::sim
