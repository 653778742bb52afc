// ApiError: every error the service returns, as Feldera's ErrorResponse
// (exactly `message`, `error_code`, `details`). Named constructors keep the codes and their HTTP
// statuses in one place, so a handler can only produce errors Feldera's clients know.
#pragma once

#include <cpprest/http_msg.h>
#include <cpprest/json.h>

#include <cstdint>
#include <optional>
#include <string>

namespace sidecar {

struct ApiError {
  int http_status = 500;
  std::string error_code;
  std::string message;
  web::json::value details = web::json::value::object();
  // Sent as Retry-After on 503s: how long a client should wait before trying again.
  std::optional<int> retry_after_seconds;

  // The JSON body: {"message":...,"error_code":...,"details":{...}}.
  std::string Body() const;
  // The whole HTTP answer: status, JSON body, Retry-After when set.
  web::http::http_response ToResponse() const;

  // 400
  static ApiError InvalidToken(const std::string& reason);
  static ApiError MissingParam(const std::string& param);
  static ApiError InvalidParam(const std::string& param, const std::string& reason);
  // 401, as Feldera's API server answers a missing or wrong API key
  static ApiError Unauthenticated(const std::string& message);
  // 404
  static ApiError UnknownPipeline(const std::string& pipeline_name);
  static ApiError NoSuchPath(const std::string& path);
  // 405
  static ApiError MethodNotAllowed(const std::string& method, const std::string& path);
  // 503
  // `request` is the one that could not be carried out, e.g. "GET /completion_status".
  static ApiError Unreachable(const std::string& pipeline_name, const std::string& request,
                              const std::string& reason, int retry_after_seconds);
  // As Feldera's API server words it; `status` is Feldera's name of the deployment's state
  // ("Stopped", "Provisioning", ...). The desired state is not known here: details carry null.
  static ApiError NotDeployed(const std::string& pipeline_name, const std::string& status,
                              int retry_after_seconds);
  // 500
  static ApiError Internal(const std::string& what);

  // Parses an ErrorResponse received from a pipeline or Feldera's API server. nullopt unless the
  // body has a string `message` and `error_code`, so garbage is never passed on as an error.
  static std::optional<ApiError> FromUpstream(int http_status, const std::string& body);
};

}  // namespace sidecar
