#include "api/request_limits.h"

#include <string>

namespace sidecar {

std::optional<ApiError> CheckRequestShape(const RequestShape& shape, const RequestLimits& limits) {
  if (shape.target_bytes > limits.max_target_bytes) {
    return ApiError::UriTooLong(
        "The request's path and query (" + std::to_string(shape.target_bytes) + " bytes)",
        shape.target_bytes, limits.max_target_bytes);
  }
  if (shape.headers > limits.max_headers) {
    return ApiError::HeadersTooLarge(
        "The number of header fields (" + std::to_string(shape.headers) + ")", shape.headers,
        limits.max_headers);
  }
  if (shape.header_bytes > limits.max_header_bytes) {
    return ApiError::HeadersTooLarge(
        "The header fields' size (" + std::to_string(shape.header_bytes) + " bytes)",
        shape.header_bytes, limits.max_header_bytes);
  }
  if (shape.content_length && *shape.content_length > limits.max_body_bytes) {
    return ApiError::PayloadTooLarge(
        "The body (" + std::to_string(*shape.content_length) + " bytes)", *shape.content_length,
        limits.max_body_bytes);
  }
  return std::nullopt;
}

ApiError BodyTooLarge(const RequestLimits& limits) {
  return ApiError::BodyTooLarge(limits.max_body_bytes);
}

ApiError TooManyLongPolls(const RequestLimits& limits, int retry_after_seconds) {
  return ApiError::TooManyLongPolls(limits.max_held_long_polls, retry_after_seconds);
}

}  // namespace sidecar
