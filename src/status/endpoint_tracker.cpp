#include "status/endpoint_tracker.h"

#include <iterator>

namespace sidecar {

void EndpointTracker::AddWaiter(uint64_t count, std::optional<SteadyClock::time_point> deadline,
                                ReplyFn reply) {
  waiters_.Add(count, deadline, std::move(reply));
}

EndpointTracker::TrackResult EndpointTracker::Track(uint64_t count, TokenSource source,
                                                    SteadyClock::time_point born) {
  if (frontier_.Lookup(count)) return TrackResult::kAlreadyFollowed;
  switch (tracked_.Track(count, source, born)) {
    case TrackedTokens::TrackResult::kTracked:
      return TrackResult::kTracked;
    case TrackedTokens::TrackResult::kAlreadyTracked:
      return TrackResult::kAlreadyFollowed;
    case TrackedTokens::TrackResult::kOverflow:
      return TrackResult::kOverflow;
  }
  return TrackResult::kOverflow;
}

void EndpointTracker::BeginInterval() {
  client_query_available_ = true;
  tracker_query_available_ = true;
}

std::optional<uint64_t> EndpointTracker::StartQuery(bool stats_complete_tokens) {
  if (in_flight_) return std::nullopt;
  std::optional<uint64_t> count;
  if (client_query_available_ && (count = waiters_.LowestNeedingAnswer())) {
    client_query_available_ = false;
  } else if (tracker_query_available_) {
    // A long-poll whose token could not be tracked (the budget was full) is asked about itself.
    count = tracked_.NextQuery(frontier_, stats_complete_tokens);
    if (!count) count = waiters_.LowestLongPoll();
    if (count) tracker_query_available_ = false;
  }
  if (count) in_flight_ = true;
  return count;
}

EndpointProgress EndpointTracker::OnOutcome(uint64_t count, const UpstreamOutcome& outcome,
                                            SteadyClock::time_point now) {
  in_flight_ = false;
  EndpointProgress progress;
  progress.answers = waiters_.OnOutcome(count, outcome, frontier_);
  if (outcome.kind == UpstreamOutcome::Kind::kComplete) {
    progress.completed = tracked_.TakeCompleted(frontier_, now);
  }
  return progress;
}

EndpointProgress EndpointTracker::AdvanceCompletedSteps(uint64_t completed_steps,
                                                        SteadyClock::time_point now) {
  frontier_.AdvanceCompletedSteps(completed_steps);
  return SettleFromFrontier(now);
}

EndpointProgress EndpointTracker::SettleFromFrontier(SteadyClock::time_point now) {
  return {waiters_.ResolveFromFrontier(frontier_), tracked_.TakeCompleted(frontier_, now)};
}

Resolved EndpointTracker::Expire(SteadyClock::time_point now) {
  return waiters_.Expire(now, frontier_);
}

Resolved EndpointTracker::FailWaiters(const ApiError& error) {
  return waiters_.FailAll(error);
}

Resolved EndpointTracker::ReleaseWaiters(const ApiError& no_answer) {
  return waiters_.ReleaseAll(frontier_, no_answer);
}

bool EndpointTracker::WantsCompletedSteps() const {
  return (!tracked_.empty() || waiters_.LowestLongPoll()) && frontier_.has_labels();
}

}  // namespace sidecar
