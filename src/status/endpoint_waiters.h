// EndpointWaiters: the clients waiting on one (incarnation, endpoint) for an answer.
//
// The count to ask the pipeline about for them is the lowest anyone waits for, which settles the
// most clients: if it is in progress, every higher count is too (completion is monotone in the
// count); if it is complete, the frontier answers it and everything below. One-shot requests are
// answered by the first outcome that covers them. Long-polls stay until their token completes
// (whichever query or /stats shows it) or their deadline passes.
//
// The class decides; it does no I/O. Methods return the callbacks to run with their answers,
// which the caller runs after releasing its lock. Not thread-safe; the owning Pipeline locks.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "status/frontier.h"
#include "status/status_answer.h"

namespace sidecar {

using SteadyClock = std::chrono::steady_clock;
using ReplyFn = std::function<void(const StatusAnswer&)>;
using Resolved = std::vector<std::pair<ReplyFn, StatusAnswer>>;

class EndpointWaiters {
 public:
  // A client asks about `count`; a long-poll has a deadline.
  void Add(uint64_t count, std::optional<SteadyClock::time_point> deadline, ReplyFn reply);

  // The lowest count of a client still waiting for its first answer.
  std::optional<uint64_t> LowestNeedingAnswer() const;
  // The lowest count a held long-poll waits for.
  std::optional<uint64_t> LowestLongPoll() const;

  // A query for `count` finished. Updates `frontier` and answers whoever it settles.
  Resolved OnOutcome(uint64_t count, const UpstreamOutcome& outcome, Frontier& frontier);

  // Answers every waiter the frontier now shows complete (e.g. after completed steps advanced).
  Resolved ResolveFromFrontier(const Frontier& frontier);

  // Long-polls past their deadline get the in-progress answer they would get now.
  Resolved Expire(SteadyClock::time_point now, const Frontier& frontier);

  // Answers everyone with `error` (the incarnation ended).
  Resolved FailAll(const ApiError& error);

  // Answers everyone (the service is stopping): a long-poll with the in-progress answer it would
  // get at its deadline, a request waiting for an upstream answer with `no_answer`.
  Resolved ReleaseAll(const Frontier& frontier, const ApiError& no_answer);

  bool empty() const { return waiters_.empty(); }
  size_t size() const { return waiters_.size(); }

 private:
  struct Waiter {
    uint64_t count;
    std::optional<SteadyClock::time_point> deadline;  // long-poll only
    bool needs_first_answer;                          // no upstream answer has covered it yet
    ReplyFn reply;
  };

  std::vector<Waiter> waiters_;
};

}  // namespace sidecar
