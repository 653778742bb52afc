// EndpointTrackers: one pipeline's trackers, one per (incarnation, endpoint) its clients named —
// each with its waiting clients, tracked tokens and frontier — and what happens to all of them at
// once: a tracker interval begins, /stats reports completed steps, an incarnation ends, the service
// stops.
//
// Not thread-safe: a Pipeline owns one under its lock. Every method reports what it decided
// (answers, completions, abandoned tokens, queries that may be due) into PipelineEffects and does
// no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "pipeline/pipeline_effects.h"
#include "status/endpoint_tracker.h"
#include "status/incarnation.h"
#include "status/token_budget.h"

namespace sidecar {

class EndpointTrackers {
 public:
  // Tracked tokens count against `budget`, shared with other pipelines.
  explicit EndpointTrackers(std::shared_ptr<TokenBudget> budget);

  // The tracker for `key`, made on first use.
  EndpointTracker& At(const EndpointKey& key);
  // The tracker for `key`, or null.
  EndpointTracker* Find(const EndpointKey& key);
  const EndpointTracker* Find(const EndpointKey& key) const;

  // Follows token `count` of `key` to completion; a token the budget has no room for is counted
  // as abandoned (overflow).
  void Track(const EndpointKey& key, uint64_t count, TokenSource source,
             SteadyClock::time_point born, PipelineEffects& effects);
  // Takes over what a tracker answered and completed.
  void AddProgress(EndpointProgress progress, PipelineEffects& effects);
  // Drops the tracker of an endpoint the pipeline no longer has: its tokens will never complete.
  void RemoveEndpoint(const EndpointKey& key, PipelineEffects& effects);

  // Begins a tracker interval: renews every query ration, expires long-polls past `now`, and
  // queues a query check for each endpoint. Returns whether a token of `current` waits for a step
  // to complete, which only /stats can tell (never when `stats_complete_tokens` is false).
  bool BeginInterval(SteadyClock::time_point now, const Incarnation* current,
                     bool stats_complete_tokens, PipelineEffects& effects);
  // /stats reports `completed_steps` for `incarnation`: its endpoints complete what that covers.
  void AdvanceCompletedSteps(const Uuid& incarnation, uint64_t completed_steps,
                             SteadyClock::time_point now, PipelineEffects& effects);
  // Answers 410 to everyone waiting on an incarnation other than `history`'s current one, and
  // drops what was tracked for it.
  void EndAllButCurrent(const std::string& pipeline, const IncarnationHistory& history,
                        PipelineEffects& effects);
  // Every held request, answered (service shutdown): see EndpointWaiters::ReleaseAll.
  Resolved ReleaseWaiters(const ApiError& no_answer);

  // The number of tokens tracked across all endpoints.
  uint64_t tracked() const;

 private:
  void NoteTracked(PipelineEffects& effects) const { effects.tracked = tracked(); }

  std::shared_ptr<TokenBudget> budget_;
  std::map<EndpointKey, EndpointTracker> trackers_;
};

}  // namespace sidecar
