#include "sim/error_response.h"

namespace sidecar::sim {
namespace {

using web::json::value;

std::string JoinedPath(const ApiRequest& request) {
  std::string path;
  for (const std::string& segment : request.path) path += "/" + segment;
  return path.empty() ? "/" : path;
}

value Details(const std::string& field, value content) {
  value details = value::object();
  details[field] = std::move(content);
  return details;
}

// Feldera's ControllerError::Config { config_error }: the ConfigError's code and text, wrapped.
ApiResponse ConfigErrorReply(int status, const std::string& kind, const std::string& text,
                             value config_error) {
  return ErrorReply(status, "ConfigError." + kind, "invalid controller configuration: " + text,
                    Details("config_error", std::move(config_error)));
}

// Feldera's ParseError, as serde writes it (every field, null when unset).
value ParseErrorJson(const ParseFailure& failure) {
  value error = value::object();
  error["description"] = value::string(failure.description);
  error["event_number"] = value::null();
  error["field"] = value::null();
  error["invalid_bytes"] = value::null();
  error["invalid_text"] = value::string(failure.invalid_text);
  error["suggestion"] = value::null();
  error["tag"] = value::null();
  return error;
}

}  // namespace

ApiResponse ErrorReply(int status, const std::string& error_code, const std::string& message,
                       value details) {
  value body = value::object();
  body["message"] = value::string(message);
  body["error_code"] = value::string(error_code);
  body["details"] = std::move(details);
  return ApiResponse{status, std::move(body)};
}

ApiResponse MissingParamError(const std::string& name) {
  return ErrorReply(400, "MissingUrlEncodedParam", "Missing URL-encoded parameter '" + name + "'.",
                    Details("param", value::string(name)));
}

ApiResponse InvalidParamError(const std::string& what, const std::string& reason) {
  const std::string error = what + ": " + reason;
  return ErrorReply(400, "InvalidParam", "Invalid parameter: " + error + ".",
                    Details("error", value::string(error)));
}

ApiResponse InvalidTokenError(const std::string& reason) {
  return InvalidParamError("invalid completion token", reason);
}

ApiResponse PipelineRestartedError(const Uuid& token_incarnation, const Uuid& current) {
  const std::string message =
      "Completion token was created by a previous incarnation of the pipeline (incarnation "
      "uuid: " +
      token_incarnation.ToString() + ") and is not valid for the current incarnation (" +
      current.ToString() +
      "). This indicates that the pipeline was suspended and resumed from a checkpoint or "
      "restarted after a failure.";
  return ErrorReply(410, "PipelineRestarted", message, Details("error", value::string(message)));
}

ApiResponse UnknownEndpointInTokenError(uint64_t endpoint_id) {
  return ErrorReply(410, "UnknownEndpointInCompletionToken",
                    "completion token specifies input endpoint id " + std::to_string(endpoint_id) +
                        ", which doesn't exist; this indicates that the input connector was "
                        "deleted after the completion token was generated",
                    Details("endpoint_id", value::number(endpoint_id)));
}

ApiResponse UnknownInputEndpointError(const std::string& endpoint_name) {
  return ErrorReply(404, "UnknownInputEndpoint",
                    "unknown input endpoint name '" + endpoint_name + "'",
                    Details("endpoint_name", value::string(endpoint_name)));
}

ApiResponse UnknownInputStreamError(const std::string& endpoint_name,
                                    const std::string& stream_name) {
  value config_error = value::object();
  config_error["endpoint_name"] = value::string(endpoint_name);
  config_error["stream_name"] = value::string(stream_name);
  return ConfigErrorReply(
      404, "UnknownInputStream",
      "Input endpoint '" + endpoint_name + "' specifies unknown table '" + stream_name + "'",
      std::move(config_error));
}

ApiResponse UnknownInputFormatError(const std::string& endpoint_name,
                                    const std::string& format_name) {
  value config_error = value::object();
  config_error["endpoint_name"] = value::string(endpoint_name);
  config_error["format_name"] = value::string(format_name);
  return ConfigErrorReply(
      400, "UnknownInputFormat",
      "Input endpoint '" + endpoint_name + "' specifies unknown input format '" + format_name + "'",
      std::move(config_error));
}

ApiResponse ParserConfigParseError(const std::string& endpoint_name, const std::string& error,
                                   const std::string& config) {
  value config_error = value::object();
  config_error["endpoint_name"] = value::string(endpoint_name);
  config_error["error"] = value::string(error);
  config_error["config"] = value::string(config);
  return ConfigErrorReply(400, "ParserConfigParseError",
                          "Error parsing format configuration for input endpoint '" +
                              endpoint_name + "': " + error + "\nInvalid configuration: " + config,
                          std::move(config_error));
}

ApiResponse ParseErrorsError(const ParseFailure& failure) {
  value details = value::object();
  details["num_errors"] = value::number(1);
  value errors = value::array(1);
  errors[0] = ParseErrorJson(failure);
  details["errors"] = std::move(errors);
  return ErrorReply(400, "ParseErrors",
                    "Errors parsing input data (1 errors):\n    Parse error: " +
                        failure.description + "\nInvalid fragment: '" + failure.invalid_text + "'",
                    std::move(details));
}

ApiResponse NoRouteResponse() {
  ApiResponse response{404, value::null()};
  response.raw_body = "";
  response.raw_content_type = "";
  return response;
}

ApiResponse UnknownPathError(const ApiRequest& request) {
  const std::string path = JoinedPath(request);
  return ErrorReply(404, "NotFound", "no such path: " + path, Details("path", value::string(path)));
}

ApiResponse MethodNotAllowedError(const ApiRequest& request, const std::string& allowed) {
  value details = value::object();
  details["method"] = value::string(request.method);
  details["allowed"] = value::string(allowed);
  return ErrorReply(405, "MethodNotAllowed",
                    JoinedPath(request) + " takes " + allowed + ", not " + request.method,
                    std::move(details));
}

ApiResponse InjectedFaultError(int status) {
  std::string code = "SimulatedFault";
  if (status == 500) code = "PipelineInternalError";
  if (status == 503) code = "PipelineUnavailable";
  return ErrorReply(status, code, "simulated fault: the pipeline answers " + std::to_string(status),
                    Details("status", value::number(status)));
}

}  // namespace sidecar::sim
