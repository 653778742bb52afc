// StatusAnswer: the answer to one completion_status request, and UpstreamOutcome: what one
// upstream completion_status query told the service.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "feldera/api_error.h"

namespace sidecar {

struct StatusAnswer {
  int http_status = 200;         // 200 complete, 202 in progress, else error->http_status
  std::optional<uint64_t> step;  // with 200/202
  std::optional<ApiError> error;

  static StatusAnswer Complete(std::optional<uint64_t> step) { return {200, step, std::nullopt}; }
  static StatusAnswer InProgress(std::optional<uint64_t> step) { return {202, step, std::nullopt}; }
  static StatusAnswer Failed(ApiError e) {
    const int status = e.http_status;
    return {status, std::nullopt, std::move(e)};
  }

  // {"status":"complete"|"inprogress","step":N|null}, or the ErrorResponse.
  std::string Body() const;
};

struct UpstreamOutcome {
  enum class Kind { kComplete, kInProgress, kError };
  Kind kind = Kind::kError;
  std::optional<uint64_t> step;
  ApiError error;  // with kError

  static UpstreamOutcome Complete(std::optional<uint64_t> step) {
    return {Kind::kComplete, step, {}};
  }
  static UpstreamOutcome InProgress(std::optional<uint64_t> step) {
    return {Kind::kInProgress, step, {}};
  }
  static UpstreamOutcome Error(ApiError e) { return {Kind::kError, std::nullopt, std::move(e)}; }
};

}  // namespace sidecar
