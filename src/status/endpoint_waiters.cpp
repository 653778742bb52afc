#include "status/endpoint_waiters.h"

#include <algorithm>

namespace sidecar {
namespace {

StatusAnswer InProgressAnswer(uint64_t count, const Frontier& frontier) {
  return StatusAnswer::InProgress(frontier.LabelOf(count));
}

}  // namespace

void EndpointWaiters::Add(uint64_t count, std::optional<SteadyClock::time_point> deadline,
                          ReplyFn reply) {
  waiters_.push_back(Waiter{count, deadline, true, std::move(reply)});
}

std::optional<uint64_t> EndpointWaiters::LowestNeedingAnswer() const {
  std::optional<uint64_t> lowest;
  for (const auto& w : waiters_) {
    if (w.needs_first_answer && (!lowest || w.count < *lowest)) lowest = w.count;
  }
  return lowest;
}

std::optional<uint64_t> EndpointWaiters::LowestLongPoll() const {
  std::optional<uint64_t> lowest;
  for (const auto& w : waiters_) {
    if (w.deadline && (!lowest || w.count < *lowest)) lowest = w.count;
  }
  return lowest;
}

Resolved EndpointWaiters::OnOutcome(uint64_t count, const UpstreamOutcome& outcome,
                                    Frontier& frontier) {
  switch (outcome.kind) {
    case UpstreamOutcome::Kind::kComplete:
      frontier.RecordComplete(count, outcome.step);
      return ResolveFromFrontier(frontier);
    case UpstreamOutcome::Kind::kError:
      return FailAll(outcome.error);
    case UpstreamOutcome::Kind::kInProgress:
      break;
  }
  frontier.RecordInProgress(count, outcome.step);
  Resolved resolved;
  std::erase_if(waiters_, [&](Waiter& w) {
    if (w.count < count) return false;  // not covered: asked about next
    w.needs_first_answer = false;
    if (w.deadline) return false;  // long-polls wait for completion
    resolved.emplace_back(std::move(w.reply), InProgressAnswer(w.count, frontier));
    return true;
  });
  return resolved;
}

Resolved EndpointWaiters::ResolveFromFrontier(const Frontier& frontier) {
  Resolved resolved;
  std::erase_if(waiters_, [&](Waiter& w) {
    auto done = frontier.Lookup(w.count);
    if (!done) return false;
    resolved.emplace_back(std::move(w.reply), StatusAnswer::Complete(done->step));
    return true;
  });
  return resolved;
}

Resolved EndpointWaiters::Expire(SteadyClock::time_point now, const Frontier& frontier) {
  Resolved resolved;
  std::erase_if(waiters_, [&](Waiter& w) {
    if (!w.deadline || *w.deadline > now) return false;
    resolved.emplace_back(std::move(w.reply), InProgressAnswer(w.count, frontier));
    return true;
  });
  return resolved;
}

Resolved EndpointWaiters::FailAll(const ApiError& error) {
  Resolved resolved;
  for (auto& w : waiters_) resolved.emplace_back(std::move(w.reply), StatusAnswer::Failed(error));
  waiters_.clear();
  return resolved;
}

Resolved EndpointWaiters::ReleaseAll(const Frontier& frontier, const ApiError& no_answer) {
  Resolved resolved;
  for (auto& w : waiters_) {
    resolved.emplace_back(std::move(w.reply), w.deadline ? InProgressAnswer(w.count, frontier)
                                                         : StatusAnswer::Failed(no_answer));
  }
  waiters_.clear();
  return resolved;
}

}  // namespace sidecar
