// ApiError: every error the service returns, as Feldera's ErrorResponse (exactly `message`,
// `error_code`, `details`), as a plain value. Every ErrorResponse the service sends is built by a
// named constructor here: the kinds, their codes, HTTP statuses and bodies are in this one file
// (docs/errors.md). Turning one into an HTTP answer is feldera/http_error.h's job, kept apart.
// Pure; safe from any thread.
#pragma once

#include <cpprest/json.h>

#include <cstdint>
#include <optional>
#include <string>

namespace sidecar {

// What went wrong, as code compares it. Each kind has one `error_code` on the wire, except
// kUpstream: an ErrorResponse a pipeline or Feldera's API server sent whose code is none of these,
// passed on as it came.
enum class ErrorKind {
  kInvalidParam,       // 400 InvalidParam (a bad token is one)
  kMissingParam,       // 400 MissingUrlEncodedParam
  kUnauthenticated,    // 401 AuthenticationFailed
  kUnknownPipeline,    // 404 UnknownPipelineName
  kNoSuchPath,         // 404 NotFound
  kMethodNotAllowed,   // 405 MethodNotAllowed
  kPayloadTooLarge,    // 413 PayloadTooLarge
  kUriTooLong,         // 414 UriTooLong
  kHeadersTooLarge,    // 431 RequestHeaderFieldsTooLarge
  kPipelineRestarted,  // 410 PipelineRestarted
  kUnknownEndpoint,    // (from the pipeline) UnknownEndpointInCompletionToken
  kUnreachable,        // 503 PipelineInteractionUnreachable
  kNotDeployed,        // 503 PipelineInteractionNotDeployed
  kTooManyLongPolls,   // 503 TooManyLongPolls
  kNotReady,           // 503 NotReady (/readyz)
  kInternal,           // 500 InternalError
  kUpstream,           // any other code a pipeline or Feldera's API server sent
};

// The `error_code` Feldera's clients see for `kind` (empty for kUpstream, which keeps its own).
const char* ErrorCodeOf(ErrorKind kind);

// The facts a 410 PipelineRestarted reports, as text: incarnation UUIDs, RFC 3339 times.
struct RestartFacts {
  std::string token_incarnation;
  std::optional<std::string> current_incarnation;  // nullopt: none running
  // The token's incarnation's end, when the service saw it end.
  struct End {
    std::string ended_at;
    std::string reason;
    std::optional<int> exit_code;
  };
  std::optional<End> end;
  std::optional<bool> current_resumed_from_checkpoint;  // nullopt: none running
};

struct ApiError {
  ErrorKind kind = ErrorKind::kInternal;
  int http_status = 500;
  std::string error_code;
  std::string message;
  web::json::value details = web::json::value::object();
  // Sent as Retry-After on 503s: how long a client should wait before trying again.
  std::optional<int> retry_after_seconds;

  bool Is(ErrorKind k) const { return kind == k; }
  // The JSON body: {"message":...,"error_code":...,"details":{...}}.
  std::string Body() const;

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
  // 410: a token of an incarnation that is over.
  static ApiError PipelineRestarted(const std::string& pipeline_name, const RestartFacts& facts);
  // 413, 414, 431: a request beyond a limit. `what` describes the measured part, e.g. "The body
  // (1000 bytes)"; details carry `size` and `limit`.
  static ApiError PayloadTooLarge(const std::string& what, uint64_t size, uint64_t limit);
  // 413 for a body found too large while reading it: its size is not known.
  static ApiError BodyTooLarge(uint64_t limit);
  static ApiError UriTooLong(const std::string& what, uint64_t size, uint64_t limit);
  static ApiError HeadersTooLarge(const std::string& what, uint64_t size, uint64_t limit);
  // 503
  // `request` is the one that could not be carried out, e.g. "GET /completion_status".
  static ApiError Unreachable(const std::string& pipeline_name, const std::string& request,
                              const std::string& reason, int retry_after_seconds);
  // As Feldera's API server words it; `status` is Feldera's name of the deployment's state
  // ("Stopped", "Provisioning", ...). The desired state is not known here: details carry null.
  static ApiError NotDeployed(const std::string& pipeline_name, const std::string& status,
                              int retry_after_seconds);
  static ApiError TooManyLongPolls(uint64_t limit, int retry_after_seconds);
  static ApiError NotReady();
  // 500
  static ApiError Internal(const std::string& what);

  // Parses an ErrorResponse received from a pipeline or Feldera's API server. nullopt unless the
  // body has a string `message` and `error_code`, so garbage is never passed on as an error. Its
  // kind is the one of its code, or kUpstream.
  static std::optional<ApiError> FromUpstream(int http_status, const std::string& body);
};

}  // namespace sidecar
