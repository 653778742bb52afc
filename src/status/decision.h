// The status decision: what the service can answer for a token from what it already knows,
// before (or instead of) asking the pipeline. A pure function of plain inputs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "feldera/api_error.h"
#include "status/frontier.h"
#include "status/incarnation.h"
#include "token/completion_token.h"

namespace sidecar {

// What the service knows of a pipeline at the moment a token is asked about.
struct PipelineView {
  std::string name;
  const IncarnationHistory* history = nullptr;
  // The frontier of the token's (incarnation, endpoint), if the service has one.
  const Frontier* frontier = nullptr;
  bool reachable = false;  // the last contact with the pipeline succeeded
  bool reprobed = false;   // the view was refreshed for this very request
  std::string unreachable_reason;
  // The 503 the pipeline (or Feldera's API server in front of it) answered last, passed on as it
  // came while it stays unreachable.
  std::optional<ApiError> upstream_error;
  int retry_after_seconds = 1;
  // Whether something runs the pipeline: a pod in Kubernetes, or a configured URL. A pipeline
  // known only from its history or from Feldera's API server is not deployed.
  bool deployed = true;
  // Feldera's name for the deployment's state while it is not deployed ("Stopped",
  // "Provisioning", "Stopping"), as far as Kubernetes shows it.
  std::string deployment_status = "Stopped";
};

struct Decision {
  enum class Kind {
    kComplete,     // answer 200 from memory
    kAskUpstream,  // the token is of the current incarnation: ask the pipeline
    kReprobe,      // the token names an incarnation newer than the view: refresh, then decide again
    kError,        // answer `error`
  };
  Kind kind = Kind::kError;
  std::optional<uint64_t> step;  // with kComplete
  ApiError error;                // with kError

  static Decision Complete(std::optional<uint64_t> step) { return {Kind::kComplete, step, {}}; }
  static Decision AskUpstream() { return {Kind::kAskUpstream, std::nullopt, {}}; }
  static Decision Reprobe() { return {Kind::kReprobe, std::nullopt, {}}; }
  static Decision Error(ApiError e) { return {Kind::kError, std::nullopt, std::move(e)}; }
};

Decision DecideStatus(const CompletionToken& token, const PipelineView& view);

// The 410 for a token of an incarnation that is over. `ended` is the token's incarnation when the
// service saw it; `current` is the one running now, if any.
ApiError PipelineRestartedError(const std::string& pipeline, const Uuid& token_incarnation,
                                const Incarnation* ended, const Incarnation* current);

}  // namespace sidecar
