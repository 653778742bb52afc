// EndpointTracker: everything the service knows and does for one (incarnation, endpoint) — the
// frontier of complete counts, the clients waiting for an answer, the tokens tracked in the
// background — and the schedule of upstream completion_status queries that serves them all.
//
// The load bound. Queries are coalesced (at most one in flight) and rationed per tracker
// interval: at most one for clients waiting for a first answer, and at most one for the tracker
// (tracked tokens and held long-polls). So an endpoint costs the pipeline at most
// kQueriesPerInterval completion_status requests per interval, however many clients poll and
// however many tokens are tracked. A client whose query is not allowed this interval waits for
// the next one.
//
// One mechanism for "this token just completed": every outcome and every /stats advance updates
// the frontier first, and the frontier then answers waiting clients, wakes long-polls and
// completes tracked tokens alike.
//
// Decides only; no I/O, no clock (time is passed in). Not thread-safe; the owning Pipeline locks.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "status/endpoint_waiters.h"
#include "status/frontier.h"
#include "status/tracked_tokens.h"

namespace sidecar {

// What an event settled: answers to send and tracked tokens seen complete.
struct EndpointProgress {
  Resolved answers;
  std::vector<TokenCompletion> completed;
};

class EndpointTracker {
 public:
  static constexpr int kQueriesPerInterval = 2;

  explicit EndpointTracker(TokenBudget& budget) : tracked_(budget) {}

  // A client asks about `count` (a long-poll has a deadline).
  void AddWaiter(uint64_t count, std::optional<SteadyClock::time_point> deadline, ReplyFn reply);

  enum class TrackResult { kTracked, kAlreadyFollowed, kOverflow };
  // Follows the token for `count` in the background. A token the frontier already shows complete
  // is not tracked (there is nothing left to measure).
  TrackResult Track(uint64_t count, TokenSource source, SteadyClock::time_point born);

  // A new tracker interval begins: the query ration is renewed.
  void BeginInterval();

  // The count to ask the pipeline about now, if the ration allows a query and one is useful.
  // Marks it in flight; OnOutcome must follow. Without `stats_complete_tokens` (a multi-host
  // pipeline) tracked tokens are asked about until complete, even once they carry a step label.
  std::optional<uint64_t> StartQuery(bool stats_complete_tokens = true);

  // The in-flight query for `count` finished at `now`.
  EndpointProgress OnOutcome(uint64_t count, const UpstreamOutcome& outcome,
                             SteadyClock::time_point now);

  // The pipeline's total_completed_steps reached `completed_steps` (seen at `now`).
  EndpointProgress AdvanceCompletedSteps(uint64_t completed_steps, SteadyClock::time_point now);

  // Long-polls past their deadline get the in-progress answer they would get now.
  Resolved Expire(SteadyClock::time_point now);

  // Answers every waiting client with `error`; tracked tokens stay.
  Resolved FailWaiters(const ApiError& error);
  // Answers every waiting client (service shutdown): see EndpointWaiters::ReleaseAll.
  Resolved ReleaseWaiters(const ApiError& no_answer);

  // Whether a fresh total_completed_steps could complete something here: a tracked token or a
  // long-poll waits, and some in-progress token carries a step label.
  bool WantsCompletedSteps() const;

  const Frontier& frontier() const { return frontier_; }
  size_t tracked() const { return tracked_.size(); }
  bool idle() const { return waiters_.empty() && tracked_.empty() && !in_flight_; }

 private:
  // Answers and completions the frontier now settles.
  EndpointProgress SettleFromFrontier(SteadyClock::time_point now);

  Frontier frontier_;
  EndpointWaiters waiters_;
  TrackedTokens tracked_;
  bool in_flight_ = false;
  bool client_query_available_ = true;
  bool tracker_query_available_ = true;
};

}  // namespace sidecar
