// TrackedTokens: the completion tokens of one (incarnation, endpoint) that the service follows to
// completion in the background, whether or not anyone asks about them again, to measure how long
// the pipeline took to process their data.
//
// A token is born when the service first sees it (the proxied ingress or completion_token answer,
// or a completion_status request). It leaves the set when the frontier shows it complete — the
// latency is then measured — or when the set is dropped with its incarnation. Each tracked token
// holds one place of the service-wide TokenBudget, given back when it leaves.
//
// Not thread-safe; the owning Pipeline locks.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "status/frontier.h"
#include "status/token_budget.h"

namespace sidecar {

using SteadyClock = std::chrono::steady_clock;

// Where the service first saw a token; the `source` label of the latency histogram.
enum class TokenSource { kIngress, kCompletionToken, kStatusRequest };
std::string_view TokenSourceName(TokenSource source);

// A tracked token seen complete.
struct TokenCompletion {
  TokenSource source;
  SteadyClock::duration latency;  // from birth to the moment completion was observed
};

class TrackedTokens {
 public:
  enum class TrackResult { kTracked, kAlreadyTracked, kOverflow };

  explicit TrackedTokens(TokenBudget& budget) : budget_(&budget) {}
  ~TrackedTokens() { budget_->Release(tokens_.size()); }
  TrackedTokens(TrackedTokens&& other) noexcept;
  TrackedTokens& operator=(TrackedTokens&&) = delete;
  TrackedTokens(const TrackedTokens&) = delete;
  TrackedTokens& operator=(const TrackedTokens&) = delete;

  // Follows the token for `count`. A count already followed keeps its earlier birth.
  TrackResult Track(uint64_t count, TokenSource source, SteadyClock::time_point born);

  // Removes every token `frontier` shows complete, observed complete at `now`.
  std::vector<TokenCompletion> TakeCompleted(const Frontier& frontier, SteadyClock::time_point now);

  size_t size() const { return tokens_.size(); }
  bool empty() const { return tokens_.empty(); }

  // The count the tracker should ask the pipeline about next, if any (see the .cpp for why):
  // the highest tracked count when it has no step label yet, otherwise the lowest one without a
  // label. When every tracked token is labelled: nullopt if `stats_complete_tokens` (/stats alone
  // will complete them), else the lowest tracked count, which completes first.
  std::optional<uint64_t> NextQuery(const Frontier& frontier,
                                    bool stats_complete_tokens = true) const;

 private:
  struct Tracked {
    TokenSource source;
    SteadyClock::time_point born;
  };
  TokenBudget* budget_;
  std::map<uint64_t, Tracked> tokens_;  // count -> birth; all above the frontier's complete points
};

}  // namespace sidecar
