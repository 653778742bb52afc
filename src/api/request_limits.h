// The pure check of a request's shape against the configured RequestLimits (config/config.h). Each
// refusal is a Feldera ErrorResponse with the status HTTP gives that case (414, 431, 413), so a
// client learns which limit it hit and by how much.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "config/config.h"
#include "feldera/api_error.h"

namespace sidecar {

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
