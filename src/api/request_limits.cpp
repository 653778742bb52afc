#include "api/request_limits.h"

#include <string>

namespace sidecar {
namespace {

using web::json::value;

ApiError Refusal(int status, std::string code, const std::string& what, uint64_t size,
                 uint64_t limit) {
  ApiError error;
  error.http_status = status;
  error.error_code = std::move(code);
  error.message = what + " exceeds the limit of " + std::to_string(limit);
  error.details = value::object(/*keep_order=*/true);
  error.details["size"] = value::number(size);
  error.details["limit"] = value::number(limit);
  return error;
}

}  // namespace

std::optional<ApiError> CheckRequestShape(const RequestShape& shape, const RequestLimits& limits) {
  if (shape.target_bytes > limits.max_target_bytes) {
    return Refusal(
        414, "UriTooLong",
        "The request's path and query (" + std::to_string(shape.target_bytes) + " bytes)",
        shape.target_bytes, limits.max_target_bytes);
  }
  if (shape.headers > limits.max_headers) {
    return Refusal(431, "RequestHeaderFieldsTooLarge",
                   "The number of header fields (" + std::to_string(shape.headers) + ")",
                   shape.headers, limits.max_headers);
  }
  if (shape.header_bytes > limits.max_header_bytes) {
    return Refusal(431, "RequestHeaderFieldsTooLarge",
                   "The header fields' size (" + std::to_string(shape.header_bytes) + " bytes)",
                   shape.header_bytes, limits.max_header_bytes);
  }
  if (shape.content_length && *shape.content_length > limits.max_body_bytes) {
    return Refusal(413, "PayloadTooLarge",
                   "The body (" + std::to_string(*shape.content_length) + " bytes)",
                   *shape.content_length, limits.max_body_bytes);
  }
  return std::nullopt;
}

ApiError BodyTooLarge(const RequestLimits& limits) {
  ApiError error =
      Refusal(413, "PayloadTooLarge", "The body", limits.max_body_bytes + 1, limits.max_body_bytes);
  error.message =
      "The body exceeds the limit of " + std::to_string(limits.max_body_bytes) + " bytes";
  error.details.erase("size");
  return error;
}

ApiError TooManyLongPolls(const RequestLimits& limits, int retry_after_seconds) {
  ApiError error;
  error.http_status = 503;
  error.error_code = "TooManyLongPolls";
  error.message = "The service already holds " + std::to_string(limits.max_held_long_polls) +
                  " long-poll requests; retry later, or ask without wait_ms";
  error.details = value::object(/*keep_order=*/true);
  error.details["limit"] = value::number(static_cast<uint64_t>(limits.max_held_long_polls));
  error.retry_after_seconds = retry_after_seconds;
  return error;
}

}  // namespace sidecar
