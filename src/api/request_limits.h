// RequestLimits: how large a request may be before the service refuses it, and the pure check of
// a request's shape against them. Each refusal is a Feldera ErrorResponse with the status HTTP
// gives that case (414, 431, 413), so a client learns which limit it hit and by how much.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "api/error_response.h"

namespace sidecar {

struct RequestLimits {
  size_t max_target_bytes = 8192;      // path and query together
  size_t max_headers = 100;            // header fields
  size_t max_header_bytes = 32768;     // names and values of all header fields
  uint64_t max_body_bytes = 64 << 20;  // a proxied ingress body
  size_t max_held_long_polls = 10000;  // completion_status requests held with wait_ms at once

  bool operator==(const RequestLimits&) const = default;
};

// What the service knows of a request before reading its body.
struct RequestShape {
  size_t target_bytes = 0;
  size_t headers = 0;
  size_t header_bytes = 0;
  std::optional<uint64_t> content_length;  // nullopt: none declared (e.g. chunked)
};

// The refusal for a request whose shape exceeds `limits`, or nullopt.
std::optional<ApiError> CheckRequestShape(const RequestShape& shape, const RequestLimits& limits);

// The refusal for a body found larger than `limits.max_body_bytes` while reading it.
ApiError BodyTooLarge(const RequestLimits& limits);

// The refusal for a long-poll beyond `limits.max_held_long_polls`.
ApiError TooManyLongPolls(const RequestLimits& limits, int retry_after_seconds);

}  // namespace sidecar
