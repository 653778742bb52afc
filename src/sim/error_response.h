// Feldera's ErrorResponse, {"message", "error_code", "details"}, for the errors the simulated
// pipeline process answers with. Codes, messages and details are those Feldera's pipeline server
// builds (crates/adapters/src/server/error.rs, crates/adapterlib/src/errors/controller.rs):
// `message` is the error's Display text, `details` its serde serialisation.
//
// Pure functions, safe from any thread.
#pragma once

#include <cstdint>
#include <string>

#include "sim/api_message.h"
#include "sim/record_count.h"
#include "token/uuid.h"

namespace sidecar::sim {

ApiResponse ErrorReply(int status, const std::string& error_code, const std::string& message,
                       web::json::value details = web::json::value::object());

// 400 MissingUrlEncodedParam, "Missing URL-encoded parameter 'NAME'.", details {"param": name}.
ApiResponse MissingParamError(const std::string& name);
// 400 InvalidParam, "Invalid parameter: WHAT: REASON.", details {"error": "WHAT: REASON"}.
ApiResponse InvalidParamError(const std::string& what, const std::string& reason);
// 400 InvalidParam for a completion token that does not decode ("invalid completion token: ...").
ApiResponse InvalidTokenError(const std::string& reason);
// 410 PipelineRestarted: the token was made by another incarnation; details {"error": message}.
ApiResponse PipelineRestartedError(const Uuid& token_incarnation, const Uuid& current);
// 410 UnknownEndpointInCompletionToken, details {"endpoint_id": id}.
ApiResponse UnknownEndpointInTokenError(uint64_t endpoint_id);
// 404 UnknownInputEndpoint, details {"endpoint_name": name}.
ApiResponse UnknownInputEndpointError(const std::string& endpoint_name);

// Errors in an ingress request's configuration: Feldera's ControllerError::Config, with
// error_code "ConfigError.<kind>" and details {"config_error": {...}}.
// 404 ConfigError.UnknownInputStream: no table `stream_name` (as the request named it).
ApiResponse UnknownInputStreamError(const std::string& endpoint_name,
                                    const std::string& stream_name);
// 400 ConfigError.UnknownInputFormat.
ApiResponse UnknownInputFormatError(const std::string& endpoint_name,
                                    const std::string& format_name);
// 400 ConfigError.ParserConfigParseError: the format's query parameters do not parse; `config`
// is the query string.
ApiResponse ParserConfigParseError(const std::string& endpoint_name, const std::string& error,
                                   const std::string& config);

// 400 ParseErrors: the body does not parse; details {"num_errors": 1, "errors": [ParseError]}.
ApiResponse ParseErrorsError(const ParseFailure& failure);

// 404 with no body: what an actix-web server (Feldera's pipeline process and API server alike)
// answers for a path it has no route for, and for a method its route does not take.
ApiResponse NoRouteResponse();

// The control API's own errors for an unknown /sim path (404) and a wrong method (405).
ApiResponse UnknownPathError(const ApiRequest& request);
ApiResponse MethodNotAllowedError(const ApiRequest& request, const std::string& allowed);
// The answer of an injected fault with HTTP status `status`.
ApiResponse InjectedFaultError(int status);

}  // namespace sidecar::sim
