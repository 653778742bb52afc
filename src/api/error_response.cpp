#include "api/error_response.h"

#include <cctype>

namespace sidecar {
namespace {

using web::json::value;

ApiError Make(int status, std::string code, std::string message, value details) {
  ApiError e;
  e.http_status = status;
  e.error_code = std::move(code);
  e.message = std::move(message);
  e.details = std::move(details);
  return e;
}

// Fields keep the order given, so bodies read as Feldera writes them.
value Object(std::initializer_list<std::pair<std::string, value>> fields) {
  value v = value::object(/*keep_order=*/true);
  for (const auto& [k, f] : fields) v[k] = f;
  return v;
}

}  // namespace

std::string ApiError::Body() const {
  value body = value::object(/*keep_order=*/true);
  body["message"] = value::string(message);
  body["error_code"] = value::string(error_code);
  body["details"] = details.is_null() ? value::object() : details;
  return body.serialize();
}

web::http::http_response ApiError::ToResponse() const {
  web::http::http_response response(static_cast<web::http::status_code>(http_status));
  response.set_body(Body(), "application/json");
  if (retry_after_seconds)
    response.headers().add("Retry-After", std::to_string(*retry_after_seconds));
  return response;
}

ApiError ApiError::InvalidToken(const std::string& reason) {
  return Make(400, "InvalidParam", "Invalid parameter: invalid completion token: " + reason,
              Object({{"error", value::string(reason)}}));
}

ApiError ApiError::MissingParam(const std::string& param) {
  return Make(400, "MissingUrlEncodedParam", "Missing URL-encoded parameter '" + param + "'",
              Object({{"param", value::string(param)}}));
}

ApiError ApiError::InvalidParam(const std::string& param, const std::string& reason) {
  return Make(400, "InvalidParam", "Invalid parameter: " + param + ": " + reason,
              Object({{"param", value::string(param)}, {"error", value::string(reason)}}));
}

ApiError ApiError::UnknownPipeline(const std::string& pipeline_name) {
  return Make(404, "UnknownPipelineName", "Unknown pipeline name '" + pipeline_name + "'",
              Object({{"pipeline_name", value::string(pipeline_name)}}));
}

ApiError ApiError::Unauthenticated(const std::string& message) {
  return Make(401, "AuthenticationFailed", message, value::object());
}

ApiError ApiError::NoSuchPath(const std::string& path) {
  return Make(404, "NotFound", "No such endpoint: " + path,
              Object({{"path", value::string(path)}}));
}

ApiError ApiError::MethodNotAllowed(const std::string& method, const std::string& path) {
  return Make(405, "MethodNotAllowed", "Method " + method + " is not allowed on " + path,
              Object({{"method", value::string(method)}, {"path", value::string(path)}}));
}

ApiError ApiError::Unreachable(const std::string& pipeline_name, const std::string& request,
                               const std::string& reason, int retry_after_seconds) {
  ApiError e = Make(503, "PipelineInteractionUnreachable",
                    "Unable to reach pipeline '" + pipeline_name + "': " + reason,
                    Object({{"pipeline_name", value::string(pipeline_name)},
                            {"request", value::string(request)},
                            {"error", value::string(reason)}}));
  e.retry_after_seconds = retry_after_seconds;
  return e;
}

ApiError ApiError::NotDeployed(const std::string& pipeline_name, const std::string& status,
                               int retry_after_seconds) {
  std::string lower_status = status;
  for (char& c : lower_status) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  ApiError e =
      Make(503, "PipelineInteractionNotDeployed",
           "Unable to interact with pipeline because the deployment status (" + lower_status +
               ") indicates it is not (yet) fully provisioned pipeline-id=N/A "
               "pipeline-name=\"" +
               pipeline_name + "\"",
           Object({{"pipeline_name", value::string(pipeline_name)},
                   {"status", value::string(status)},
                   {"desired_status", value::null()}}));
  e.retry_after_seconds = retry_after_seconds;
  return e;
}

ApiError ApiError::Internal(const std::string& what) {
  return Make(500, "InternalError", "Internal error: " + what, value::object());
}

std::optional<ApiError> ApiError::FromUpstream(int http_status, const std::string& body) {
  try {
    value doc = value::parse(body);
    if (!doc.is_object() || !doc.has_string_field("message") ||
        !doc.has_string_field("error_code")) {
      return std::nullopt;
    }
    value details = doc.has_object_field("details") ? doc.at("details") : value::object();
    return Make(http_status, doc.at("error_code").as_string(), doc.at("message").as_string(),
                details);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace sidecar
