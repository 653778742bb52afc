// What the chaos test's clients ask the service: a random completion_status request about a real
// token, a made-up one (a count never reached, an endpoint that does not exist, an incarnation
// never run) or an invalid one, maybe as a long-poll, maybe for an unknown pipeline.
//
// Pure functions of the random generator and the tokens known so far; safe from any thread.
#pragma once

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "chaos/answer_rules.h"
#include "token/completion_token.h"

namespace sidecar::testing::chaos {

struct PlannedAsk {
  StatusAsk ask = StatusAsk::kToken;
  std::string target;                    // path and query, percent-encoded
  std::optional<CompletionToken> token;  // with kToken and kInvalidWait
  int wait_ms = 0;                       // asked for (0: not a long-poll)
};

// A completion_status request for `pipeline`. `known` are real tokens; with none, asks are about
// made-up and invalid tokens only. Long-polls ask for at most `max_wait_ms`.
PlannedAsk PlanStatusAsk(std::mt19937_64& random, const std::vector<CompletionToken>& known,
                         const std::string& pipeline, int max_wait_ms);

// Tokens no pipeline can decode: bad base64url, not JSON, fields missing or out of range, too
// long.
std::vector<std::string> InvalidTokens();

}  // namespace sidecar::testing::chaos
