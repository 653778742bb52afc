// Reading what a pipeline (or Feldera's API server in front of it) answers. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "status/status_answer.h"
#include "token/completion_token.h"
#include "token/uuid.h"

namespace sidecar {

// The fields of GET {url}/stats that the service uses.
struct StatsSnapshot {
  Uuid incarnation;
  std::string start_time;
  std::string initial_start_time;
  bool resumed_from_checkpoint = false;  // initial_start_time earlier than start_time
  std::optional<uint64_t> total_completed_steps;
};

Result<StatsSnapshot> ParseStats(const std::string& body);

// Maps an HTTP answer to GET {url}/completion_status: 200/202 with a valid status body become
// complete/in-progress; a Feldera ErrorResponse is passed on with its status; anything else is
// reported as the pipeline being unreachable (503), never passed on as garbage.
UpstreamOutcome ParseCompletionStatusAnswer(int http_status, const std::string& body,
                                            const std::string& pipeline, int retry_after_seconds);

// The token in a successful answer to POST {url}/ingress/{table} or GET .../completion_token
// (`200 {"token":"..."}`); nullopt for any other answer, or a body too large to be one.
std::optional<CompletionToken> ParseTokenAnswer(int http_status, const std::string& body);

}  // namespace sidecar
