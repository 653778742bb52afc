#include "status/tracked_tokens.h"

#include <utility>

namespace sidecar {

std::string_view TokenSourceName(TokenSource source) {
  switch (source) {
    case TokenSource::kIngress:
      return "ingress";
    case TokenSource::kCompletionToken:
      return "completion_token";
    case TokenSource::kStatusRequest:
      return "status_request";
  }
  return "status_request";
}

TrackedTokens::TrackedTokens(TrackedTokens&& other) noexcept
    : budget_(other.budget_), tokens_(std::move(other.tokens_)) {
  other.tokens_.clear();
}

TrackedTokens::TrackResult TrackedTokens::Track(uint64_t count, TokenSource source,
                                                SteadyClock::time_point born) {
  if (tokens_.contains(count)) return TrackResult::kAlreadyTracked;
  if (!budget_->TryAcquire()) return TrackResult::kOverflow;
  tokens_.emplace(count, Tracked{source, born});
  return TrackResult::kTracked;
}

std::vector<TokenCompletion> TrackedTokens::TakeCompleted(const Frontier& frontier,
                                                          SteadyClock::time_point now) {
  std::vector<TokenCompletion> completed;
  const std::optional<uint64_t> highest = frontier.HighestComplete();
  if (!highest) return completed;
  // Completion is monotone in the count: everything at or below the highest complete point.
  const auto end = tokens_.upper_bound(*highest);
  for (auto it = tokens_.begin(); it != end; ++it) {
    completed.push_back({it->second.source, now - it->second.born});
  }
  tokens_.erase(tokens_.begin(), end);
  budget_->Release(completed.size());
  return completed;
}

// Asking about the highest count first means one answer "complete" settles the whole set, which
// is the common case when the pipeline keeps up; an "in progress" answer labels it with a step
// that bounds every lower token's. Once the highest is labelled, the lowest unlabelled token is
// asked next, because it completes first and an exact label lets /stats time it precisely.
// Tokens between two labels are credited when the upper label's step completes.
std::optional<uint64_t> TrackedTokens::NextQuery(const Frontier& frontier,
                                                 bool stats_complete_tokens) const {
  if (tokens_.empty()) return std::nullopt;
  const uint64_t highest = tokens_.rbegin()->first;
  if (!frontier.LabelOf(highest)) return highest;
  for (const auto& [count, tracked] : tokens_) {
    if (!frontier.LabelOf(count)) return count;
  }
  if (stats_complete_tokens) return std::nullopt;
  return tokens_.begin()->first;
}

}  // namespace sidecar
