#include "fakes/kube_api/api_error.h"

namespace sidecar::testing::kubefake {
namespace {

web::json::value NameDetails(const std::string& resource, const std::string& name) {
  web::json::value details = web::json::value::object();
  details["name"] = web::json::value::string(name);
  details["kind"] = web::json::value::string(resource);
  return details;
}

std::string Quoted(const std::string& text) {
  return "\"" + text + "\"";
}

}  // namespace

ApiError::ApiError(int code, std::string reason, std::string message, web::json::value details)
    : std::runtime_error(std::move(message)),
      code_(code),
      reason_(std::move(reason)),
      details_(std::move(details)) {}

ApiError ApiError::NotFound(const std::string& resource, const std::string& name) {
  return ApiError(404, "NotFound", resource + " " + Quoted(name) + " not found",
                  NameDetails(resource, name));
}

ApiError ApiError::AlreadyExists(const std::string& resource, const std::string& name) {
  return ApiError(409, "AlreadyExists", resource + " " + Quoted(name) + " already exists",
                  NameDetails(resource, name));
}

ApiError ApiError::Conflict(const std::string& resource, const std::string& name) {
  return ApiError(409, "Conflict",
                  "Operation cannot be fulfilled on " + resource + " " + Quoted(name) +
                      ": the object has been modified; please apply your changes to the latest "
                      "version and try again",
                  NameDetails(resource, name));
}

ApiError ApiError::BadRequest(const std::string& message) {
  return ApiError(400, "BadRequest", message);
}

ApiError ApiError::Invalid(const std::string& kind, const std::string& name,
                           const std::string& message) {
  web::json::value details = web::json::value::object();
  details["name"] = web::json::value::string(name);
  details["kind"] = web::json::value::string(kind);
  return ApiError(422, "Invalid", kind + " " + Quoted(name) + " is invalid: " + message, details);
}

ApiError ApiError::Expired(const std::string& message) {
  return ApiError(410, "Expired", message);
}

ApiError ApiError::ContinueExpired(const std::string& inconsistent_continue) {
  ApiError error(410, "Expired",
                 "The provided continue parameter is too old to display a consistent list result. "
                 "You can start a new list without the continue parameter, or use the continue "
                 "token in this response to retrieve the remainder of the results. Continuing with "
                 "the provided token results in an inconsistent list - objects that were created, "
                 "modified, or deleted between the time the first chunk was returned and now may "
                 "show up in the list.");
  error.continue_token_ = inconsistent_continue;
  return error;
}

ApiError ApiError::TooLargeResourceVersion(int64_t requested, int64_t current) {
  web::json::value cause = web::json::value::object();
  cause["reason"] = web::json::value::string("ResourceVersionTooLarge");
  cause["message"] = web::json::value::string("Too large resource version");
  web::json::value details = web::json::value::object();
  details["causes"] = web::json::value::array({cause});
  details["retryAfterSeconds"] = web::json::value::number(1);
  return ApiError(504, "Timeout",
                  "Too large resource version: " + std::to_string(requested) +
                      ", current: " + std::to_string(current),
                  details);
}

ApiError ApiError::UnknownResource() {
  return ApiError(404, "NotFound", "the server could not find the requested resource",
                  web::json::value::object());
}

ApiError ApiError::MethodNotAllowed(const std::string& verb, const std::string& resource) {
  return ApiError(405, "MethodNotAllowed",
                  "the server does not allow this method on the requested resource (" + verb + " " +
                      resource + ")");
}

ApiError ApiError::UnsupportedMediaType(const std::string& content_type) {
  return ApiError(415, "UnsupportedMediaType",
                  "the body of the request was in an unknown format - accepted media types "
                  "include: application/json, application/merge-patch+json (got " +
                      Quoted(content_type) + ")");
}

ApiError ApiError::ForCode(int code, int retry_after_seconds) {
  std::string reason;
  std::string message;
  switch (code) {
    case 400:
      reason = "BadRequest";
      message = "injected bad request";
      break;
    case 401:
      reason = "Unauthorized";
      message = "Unauthorized";
      break;
    case 403:
      reason = "Forbidden";
      message = "forbidden: injected failure";
      break;
    case 404:
      reason = "NotFound";
      message = "the server could not find the requested resource";
      break;
    case 409:
      reason = "Conflict";
      message = "injected conflict";
      break;
    case 410:
      reason = "Expired";
      message = "injected expiry";
      break;
    case 429:
      reason = "TooManyRequests";
      message = "Too many requests, please try again later.";
      break;
    case 500:
      reason = "InternalError";
      message = "Internal error occurred: injected failure";
      break;
    case 503:
      reason = "ServiceUnavailable";
      message = "the server is currently unable to handle the request";
      break;
    case 504:
      reason = "Timeout";
      message =
          "the server was unable to return a response in the time allotted, but may still be "
          "processing the request";
      break;
    default:
      reason = "";
      message = "injected failure with code " + std::to_string(code);
      break;
  }
  web::json::value details = web::json::value::null();
  if (retry_after_seconds > 0) {
    details = web::json::value::object();
    details["retryAfterSeconds"] = web::json::value::number(retry_after_seconds);
  }
  return ApiError(code, reason, message, details);
}

web::json::value ApiError::ToStatus() const {
  web::json::value status = web::json::value::object();
  status["kind"] = web::json::value::string("Status");
  status["apiVersion"] = web::json::value::string("v1");
  status["metadata"] = web::json::value::object();
  if (!continue_token_.empty()) {
    status["metadata"]["continue"] = web::json::value::string(continue_token_);
  }
  status["status"] = web::json::value::string("Failure");
  status["message"] = web::json::value::string(what());
  if (!reason_.empty()) status["reason"] = web::json::value::string(reason_);
  if (!details_.is_null()) status["details"] = details_;
  status["code"] = web::json::value::number(code_);
  return status;
}

}  // namespace sidecar::testing::kubefake
