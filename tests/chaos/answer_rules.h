// The chaos test's invariants about single answers, as pure checks over plain values: each
// returns nullopt when the answer is allowed, else a one-line reason. The test supplies the ground
// truth (what the simulator completed, when an incarnation's end became visible).
//
// Pure functions, safe from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "support/http.h"
#include "token/completion_token.h"

namespace sidecar::testing::chaos {

using Clock = std::chrono::steady_clock;

// What a client meant by one completion_status request.
enum class StatusAsk {
  kToken,            // a well-formed token (real or made up), maybe with a valid wait_ms
  kInvalidToken,     // a token that cannot decode: must be 400 InvalidParam
  kMissingToken,     // no token parameter: must be 400 MissingUrlEncodedParam
  kInvalidWait,      // a valid token with a bad wait_ms: must be 400 InvalidParam
  kUnknownPipeline,  // a pipeline the service does not serve: must be 404 UnknownPipelineName
};

// A documented completion_status answer (README, "API reference") with a well-formed body: 200
// and 202 with {"status","step"} matching the code, errors as exactly {message, error_code,
// details} with a code the table lists for that status, 503 with a Retry-After of whole seconds.
// A request that got no HTTP answer at all is a violation too.
std::optional<std::string> CheckDocumentedAnswer(const HttpResult& answer);

// The answer fits what was asked: malformed requests and unknown pipelines are refused whatever
// the pipeline's state.
std::optional<std::string> CheckAnswerFitsAsk(StatusAsk ask, const HttpResult& answer);

// "No token is answered complete unless the simulator had completed it": `highest_complete` is
// the highest count of the token's endpoint that the simulator reported complete in the token's
// incarnation, read after the answer (nullopt: none complete). `incarnation_known` says whether
// the simulator ever ran the token's incarnation.
std::optional<std::string> CheckCompleteIsTrue(int status, const CompletionToken& token,
                                               bool incarnation_known,
                                               std::optional<uint64_t> highest_complete);

// "No token of an ended incarnation is answered 200 or 202 after the end is visible", where
// visible means delivered by the fake API server and taken in by the service (its own history
// shows the end): a request sent at or after `end_taken_in_at` must get neither. Delivery and
// uptake are a few milliseconds apart at best, so the answers between them are counted, not
// judged (StatusClients), and the uptake itself must happen (FaultDriver).
std::optional<std::string> CheckNotAliveAfterEnd(int status, Clock::time_point sent_at,
                                                 std::optional<Clock::time_point> end_taken_in_at);

}  // namespace sidecar::testing::chaos
