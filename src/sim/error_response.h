// Feldera's ErrorResponse, {"message", "error_code", "details"}, for the errors the simulated
// pipeline answers with. Codes and texts follow Feldera's (docs/feldera.md).
//
// Pure functions, safe from any thread.
#pragma once

#include <cstdint>
#include <string>

#include "sim/api_message.h"
#include "token/uuid.h"

namespace sidecar::sim {

ApiResponse ErrorReply(int status, const std::string& error_code, const std::string& message,
                       web::json::value details = web::json::value::object());

// 400 MissingUrlEncodedParam, details {"param": name}.
ApiResponse MissingParamError(const std::string& name);
// 400 InvalidParam, details {"error": reason}.
ApiResponse InvalidParamError(const std::string& what, const std::string& reason);
// 400 InvalidParam for a completion token that does not decode.
ApiResponse InvalidTokenError(const std::string& reason);
// 410 PipelineRestarted: the token was made by another incarnation.
ApiResponse PipelineRestartedError(const Uuid& token_incarnation, const Uuid& current);
// 410 UnknownEndpointInCompletionToken, details {"endpoint_id": id}.
ApiResponse UnknownEndpointInTokenError(uint64_t endpoint_id);
// 404 for a path the pipeline does not serve; 405 for a method a path does not take.
ApiResponse UnknownPathError(const ApiRequest& request);
ApiResponse MethodNotAllowedError(const ApiRequest& request, const std::string& allowed);
// The answer of an injected fault with HTTP status `status`.
ApiResponse InjectedFaultError(int status);

}  // namespace sidecar::sim
