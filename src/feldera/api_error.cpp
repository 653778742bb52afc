#include "feldera/api_error.h"

#include <cctype>
#include <utility>

namespace sidecar {
namespace {

using web::json::value;

// Fields keep the order given, so bodies read as Feldera writes them.
value Object(std::initializer_list<std::pair<std::string, value>> fields) {
  value v = value::object(/*keep_order=*/true);
  for (const auto& [k, f] : fields) v[k] = f;
  return v;
}

ApiError Make(ErrorKind kind, int status, std::string message, value details) {
  ApiError e;
  e.kind = kind;
  e.http_status = status;
  e.error_code = ErrorCodeOf(kind);
  e.message = std::move(message);
  e.details = std::move(details);
  return e;
}

// A refusal of a request beyond one of the service's limits.
ApiError Refusal(ErrorKind kind, int status, const std::string& what, uint64_t size,
                 uint64_t limit) {
  return Make(kind, status, what + " exceeds the limit of " + std::to_string(limit),
              Object({{"size", value::number(size)}, {"limit", value::number(limit)}}));
}

constexpr std::pair<ErrorKind, const char*> kCodes[] = {
    {ErrorKind::kInvalidParam, "InvalidParam"},
    {ErrorKind::kMissingParam, "MissingUrlEncodedParam"},
    {ErrorKind::kUnauthenticated, "AuthenticationFailed"},
    {ErrorKind::kUnknownPipeline, "UnknownPipelineName"},
    {ErrorKind::kNoSuchPath, "NotFound"},
    {ErrorKind::kMethodNotAllowed, "MethodNotAllowed"},
    {ErrorKind::kPayloadTooLarge, "PayloadTooLarge"},
    {ErrorKind::kUriTooLong, "UriTooLong"},
    {ErrorKind::kHeadersTooLarge, "RequestHeaderFieldsTooLarge"},
    {ErrorKind::kPipelineRestarted, "PipelineRestarted"},
    {ErrorKind::kUnknownEndpoint, "UnknownEndpointInCompletionToken"},
    {ErrorKind::kUnreachable, "PipelineInteractionUnreachable"},
    {ErrorKind::kNotDeployed, "PipelineInteractionNotDeployed"},
    {ErrorKind::kTooManyLongPolls, "TooManyLongPolls"},
    {ErrorKind::kNotReady, "NotReady"},
    {ErrorKind::kInternal, "InternalError"},
};

ErrorKind KindOfCode(const std::string& code) {
  for (const auto& [kind, name] : kCodes) {
    if (code == name) return kind;
  }
  return ErrorKind::kUpstream;
}

}  // namespace

const char* ErrorCodeOf(ErrorKind kind) {
  for (const auto& [k, name] : kCodes) {
    if (k == kind) return name;
  }
  return "";
}

std::string ApiError::Body() const {
  value body = value::object(/*keep_order=*/true);
  body["message"] = value::string(message);
  body["error_code"] = value::string(error_code);
  body["details"] = details.is_null() ? value::object() : details;
  return body.serialize();
}

ApiError ApiError::InvalidToken(const std::string& reason) {
  return Make(ErrorKind::kInvalidParam, 400,
              "Invalid parameter: invalid completion token: " + reason,
              Object({{"error", value::string(reason)}}));
}

ApiError ApiError::MissingParam(const std::string& param) {
  return Make(ErrorKind::kMissingParam, 400, "Missing URL-encoded parameter '" + param + "'",
              Object({{"param", value::string(param)}}));
}

ApiError ApiError::InvalidParam(const std::string& param, const std::string& reason) {
  return Make(ErrorKind::kInvalidParam, 400, "Invalid parameter: " + param + ": " + reason,
              Object({{"param", value::string(param)}, {"error", value::string(reason)}}));
}

ApiError ApiError::UnknownPipeline(const std::string& pipeline_name) {
  return Make(ErrorKind::kUnknownPipeline, 404, "Unknown pipeline name '" + pipeline_name + "'",
              Object({{"pipeline_name", value::string(pipeline_name)}}));
}

ApiError ApiError::Unauthenticated(const std::string& message) {
  return Make(ErrorKind::kUnauthenticated, 401, message, value::object());
}

ApiError ApiError::NoSuchPath(const std::string& path) {
  return Make(ErrorKind::kNoSuchPath, 404, "No such endpoint: " + path,
              Object({{"path", value::string(path)}}));
}

ApiError ApiError::MethodNotAllowed(const std::string& method, const std::string& path) {
  return Make(ErrorKind::kMethodNotAllowed, 405, "Method " + method + " is not allowed on " + path,
              Object({{"method", value::string(method)}, {"path", value::string(path)}}));
}

ApiError ApiError::Unreachable(const std::string& pipeline_name, const std::string& request,
                               const std::string& reason, int retry_after_seconds) {
  ApiError e = Make(ErrorKind::kUnreachable, 503,
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
      Make(ErrorKind::kNotDeployed, 503,
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

ApiError ApiError::PipelineRestarted(const std::string& pipeline_name, const RestartFacts& facts) {
  const std::string current = facts.current_incarnation.value_or("none running");
  value d = value::object(/*keep_order=*/true);
  d["pipeline_name"] = value::string(pipeline_name);
  d["token_incarnation"] = value::string(facts.token_incarnation);
  d["current_incarnation"] =
      facts.current_incarnation ? value::string(*facts.current_incarnation) : value::null();
  d["ended_at"] = facts.end ? value::string(facts.end->ended_at) : value::null();
  d["reason"] = facts.end ? value::string(facts.end->reason) : value::null();
  d["exit_code"] =
      facts.end && facts.end->exit_code ? value::number(*facts.end->exit_code) : value::null();
  d["current_resumed_from_checkpoint"] =
      facts.current_resumed_from_checkpoint ? value::boolean(*facts.current_resumed_from_checkpoint)
                                            : value::null();
  return Make(ErrorKind::kPipelineRestarted, 410,
              "Pipeline '" + pipeline_name +
                  "' was restarted: the token was issued by incarnation " +
                  facts.token_incarnation + ", the current incarnation is " + current,
              d);
}

ApiError ApiError::PayloadTooLarge(const std::string& what, uint64_t size, uint64_t limit) {
  return Refusal(ErrorKind::kPayloadTooLarge, 413, what, size, limit);
}

ApiError ApiError::BodyTooLarge(uint64_t limit) {
  return Make(ErrorKind::kPayloadTooLarge, 413,
              "The body exceeds the limit of " + std::to_string(limit) + " bytes",
              Object({{"limit", value::number(limit)}}));
}

ApiError ApiError::UriTooLong(const std::string& what, uint64_t size, uint64_t limit) {
  return Refusal(ErrorKind::kUriTooLong, 414, what, size, limit);
}

ApiError ApiError::HeadersTooLarge(const std::string& what, uint64_t size, uint64_t limit) {
  return Refusal(ErrorKind::kHeadersTooLarge, 431, what, size, limit);
}

ApiError ApiError::TooManyLongPolls(uint64_t limit, int retry_after_seconds) {
  ApiError e = Make(ErrorKind::kTooManyLongPolls, 503,
                    "The service already holds " + std::to_string(limit) +
                        " long-poll requests; retry later, or ask without wait_ms",
                    Object({{"limit", value::number(limit)}}));
  e.retry_after_seconds = retry_after_seconds;
  return e;
}

ApiError ApiError::NotReady() {
  ApiError e = Make(ErrorKind::kNotReady, 503,
                    "Not ready: the pipelines are not all known and probed yet", value::object());
  e.retry_after_seconds = 1;
  return e;
}

ApiError ApiError::Internal(const std::string& what) {
  return Make(ErrorKind::kInternal, 500, "Internal error: " + what, value::object());
}

std::optional<ApiError> ApiError::FromUpstream(int http_status, const std::string& body) {
  try {
    value doc = value::parse(body);
    if (!doc.is_object() || !doc.has_string_field("message") ||
        !doc.has_string_field("error_code")) {
      return std::nullopt;
    }
    value details = doc.has_object_field("details") ? doc.at("details") : value::object();
    ApiError e = Make(KindOfCode(doc.at("error_code").as_string()), http_status,
                      doc.at("message").as_string(), details);
    e.error_code = doc.at("error_code").as_string();
    return e;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace sidecar
