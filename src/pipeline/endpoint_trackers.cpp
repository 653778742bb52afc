#include "pipeline/endpoint_trackers.h"

#include <iterator>
#include <utility>

#include "status/decision.h"

namespace sidecar {
namespace {

void Append(Resolved& out, Resolved more) {
  std::move(more.begin(), more.end(), std::back_inserter(out));
}

}  // namespace

EndpointTrackers::EndpointTrackers(std::shared_ptr<TokenBudget> budget)
    : budget_(std::move(budget)) {}

EndpointTracker& EndpointTrackers::At(const EndpointKey& key) {
  return trackers_.try_emplace(key, *budget_).first->second;
}

EndpointTracker* EndpointTrackers::Find(const EndpointKey& key) {
  auto it = trackers_.find(key);
  return it == trackers_.end() ? nullptr : &it->second;
}

const EndpointTracker* EndpointTrackers::Find(const EndpointKey& key) const {
  auto it = trackers_.find(key);
  return it == trackers_.end() ? nullptr : &it->second;
}

void EndpointTrackers::Track(const EndpointKey& key, uint64_t count, TokenSource source,
                             SteadyClock::time_point born, PipelineEffects& effects) {
  switch (At(key).Track(count, source, born)) {
    case EndpointTracker::TrackResult::kTracked:
      NoteTracked(effects);
      break;
    case EndpointTracker::TrackResult::kOverflow:
      ++effects.abandoned_overflow;
      break;
    case EndpointTracker::TrackResult::kAlreadyFollowed:
      break;
  }
}

void EndpointTrackers::AddProgress(EndpointProgress progress, PipelineEffects& effects) {
  Append(effects.answers, std::move(progress.answers));
  if (progress.completed.empty()) return;
  std::move(progress.completed.begin(), progress.completed.end(),
            std::back_inserter(effects.completed));
  NoteTracked(effects);
}

void EndpointTrackers::RemoveEndpoint(const EndpointKey& key, PipelineEffects& effects) {
  auto it = trackers_.find(key);
  if (it == trackers_.end()) return;
  effects.abandoned_endpoint += it->second.tracked();
  trackers_.erase(it);
  NoteTracked(effects);
}

bool EndpointTrackers::BeginInterval(SteadyClock::time_point now, const Incarnation* current,
                                     bool stats_complete_tokens, PipelineEffects& effects) {
  bool steps_awaited = false;
  for (auto& [key, tracker] : trackers_) {
    tracker.BeginInterval();
    Append(effects.answers, tracker.Expire(now));
    if (current && current->uuid == key.first && stats_complete_tokens &&
        tracker.WantsCompletedSteps()) {
      steps_awaited = true;
    }
    effects.queries.push_back(key);
  }
  return steps_awaited;
}

void EndpointTrackers::AdvanceCompletedSteps(const Uuid& incarnation, uint64_t completed_steps,
                                             SteadyClock::time_point now,
                                             PipelineEffects& effects) {
  for (auto& [key, tracker] : trackers_) {
    if (key.first != incarnation) continue;
    AddProgress(tracker.AdvanceCompletedSteps(completed_steps, now), effects);
  }
}

void EndpointTrackers::EndAllButCurrent(const std::string& pipeline,
                                        const IncarnationHistory& history,
                                        PipelineEffects& effects) {
  const Incarnation* current = history.Current();
  bool dropped = false;
  for (auto it = trackers_.begin(); it != trackers_.end();) {
    if (current && current->uuid == it->first.first) {
      ++it;
      continue;
    }
    const Incarnation* ended = history.Find(it->first.first);
    Append(effects.answers, it->second.FailWaiters(
                                PipelineRestartedError(pipeline, it->first.first, ended, current)));
    effects.abandoned_ended += it->second.tracked();
    dropped = dropped || it->second.tracked() > 0;
    it = trackers_.erase(it);
  }
  if (dropped) NoteTracked(effects);
}

Resolved EndpointTrackers::ReleaseWaiters(const ApiError& no_answer) {
  Resolved answers;
  for (auto& [key, tracker] : trackers_) Append(answers, tracker.ReleaseWaiters(no_answer));
  return answers;
}

uint64_t EndpointTrackers::tracked() const {
  uint64_t tracked = 0;
  for (const auto& [key, tracker] : trackers_) tracked += tracker.tracked();
  return tracked;
}

}  // namespace sidecar
