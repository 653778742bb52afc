#include "sim/pipeline_api.h"

#include "feldera/sql_identifier.h"
#include "sim/error_response.h"
#include "sim/fault_answer.h"
#include "sim/record_count.h"
#include "sim/sim_options.h"
#include "sim/stats_json.h"

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

// The records of an ingress body in `format`, or the answer refusing the request. Checks run in
// Feldera's order: the format, then its query parameters (the table comes after, in the caller).
struct BodyFormat {
  std::string format;
  bool array = false;
};

std::optional<ApiResponse> FormatProblem(const ApiRequest& request, const std::string& table,
                                         BodyFormat& parsed) {
  parsed.format = request.Param("format").value_or("csv");
  // Feldera names the endpoint it is about to make "{table}.api-ingress-{format}" in these errors.
  const std::string endpoint_name = table + "." + kIngressConnector + "-" + parsed.format;
  if (parsed.format != "csv" && parsed.format != "json") {
    return UnknownInputFormatError(endpoint_name, parsed.format);
  }
  if (parsed.format == "json") {
    const std::optional<bool> array = ParseBoolValue(request.Param("array").value_or("false"));
    if (!array) {
      return ParserConfigParseError(endpoint_name,
                                    "invalid value for 'array': expected `true` or `false`",
                                    request.query_string);
    }
    parsed.array = *array;
  }
  return std::nullopt;
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

ApiResponse PipelineApi::Handle(const ApiRequest& request, SimTime now) const {
  const std::optional<PipelineRequestKind> kind = Classify(request);
  if (!kind || request.method != MethodOf(*kind)) return NoRouteResponse();
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
      return ApiResponse{200, StatsJson(pipeline_.Snapshot(), now)};
  }
  return NoRouteResponse();
}

ApiResponse PipelineApi::HandleIngress(const ApiRequest& request) const {
  const std::string& table = request.path[1];
  BodyFormat format;
  if (std::optional<ApiResponse> problem = FormatProblem(request, table, format)) {
    return *problem;
  }
  const std::optional<uint64_t> endpoint =
      pipeline_.FindEndpoint(feldera::CanonicalSqlIdentifier(table) + "." + kIngressConnector);
  if (!endpoint) {
    return UnknownInputStreamError(table + "." + kIngressConnector, table);
  }
  const CountedRecords counted = format.format == "json"
                                     ? CountJsonRecords(request.body, format.array)
                                     : CountCsvRecords(request.body);
  if (counted.failure) return ParseErrorsError(*counted.failure);
  return TokenReply(*pipeline_.Ingest(*endpoint, counted.records, request.body.size()));
}

ApiResponse PipelineApi::HandleCompletionToken(const ApiRequest& request) const {
  const std::string& name = request.path[1];
  const std::optional<uint64_t> endpoint = pipeline_.FindEndpoint(name);
  if (!endpoint) return UnknownInputEndpointError(name);
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
