// Pipeline: everything the service knows and does for one Feldera pipeline — its incarnation
// history, per-(incarnation, endpoint) trackers (frontier, waiting clients, tracked tokens), and
// the probes and queries it sends upstream.
//
// Upstream load is bounded per tracker interval: at most one /stats probe per pipeline, and at
// most EndpointTracker::kQueriesPerInterval completion_status queries per endpoint, whatever the
// clients do. A probe wanted sooner (a client's token names an unknown incarnation, the pipeline
// reported a restart) waits for the next interval.
//
// Thread-safe: one mutex guards the state (checked by clang's thread-safety analysis); answers to
// clients, upstream requests, logs and history reports are issued after it is released, from the
// Effects an operation collected under it. Owned through shared_ptr, since upstream callbacks hold
// it.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/common.h>

#include "common/mutex.h"
#include "feldera/pod_observation.h"
#include "metrics/metrics.h"
#include "pipeline/endpoint_trackers.h"
#include "pipeline/pipeline_effects.h"
#include "pipeline/pod_transition.h"
#include "pipeline/probe_schedule.h"
#include "pipeline/stats_transition.h"
#include "pipeline/upstream_client.h"
#include "status/decision.h"
#include "status/incarnation.h"
#include "token/completion_token.h"

namespace sidecar {

struct PipelineOptions {
  std::chrono::milliseconds probe_interval{1000};
  // The scheme of the URL a pipeline is reached at in its pod (http or https).
  std::string pod_url_scheme = "http";
  // The service-wide cap on tracked tokens; null: the pipeline gets a default one of its own.
  std::shared_ptr<TokenBudget> token_budget;
  size_t history_size = 32;
  // Makes the client for a pipeline's URL (a new one whenever the pipeline moves to a new pod).
  std::function<std::shared_ptr<UpstreamClient>(const std::string& pipeline,
                                                const std::string& url)>
      make_client;
  // Where pipeline-up and incarnation metrics go; optional.
  Metrics* metrics = nullptr;
  // Called (outside the lock) with a copy of the history after every change, to persist it.
  std::function<void(const std::string& pipeline, const IncarnationHistory&)> on_history_change;
  // Kubernetes modes: whether the first complete list of pods has been applied. Once it has, a
  // pipeline with no pod runs no incarnation. Null: pipelines are not found in Kubernetes.
  std::function<bool()> pods_listed;
  // The clocks the pipeline reads; tests set their own.
  std::function<SteadyClock::time_point()> steady_now = [] { return SteadyClock::now(); };
  std::function<WallClock::time_point()> wall_now = [] { return WallClock::now(); };
};

// The Retry-After (seconds) for a pipeline probed every `probe_interval`: by then the service's
// view is fresh.
int RetryAfterFor(std::chrono::milliseconds probe_interval);

class Pipeline : public std::enable_shared_from_this<Pipeline> {
 public:
  // `url` may be empty: a pipeline known from Kubernetes whose pod does not run yet. `history`
  // is what an earlier run of the service (or another replica) recorded.
  Pipeline(std::string name, const std::string& url, PipelineOptions options,
           IncarnationHistory history);

  const std::string& name() const { return name_; }
  // Feldera's id for the pipeline (a UUID), as Kubernetes or Feldera's API server tell it: the
  // `pipeline` label of its metrics. Harmless to repeat.
  void SetPipelineId(const std::string& pipeline_id) EXCLUDES(mu_);
  // The client for the pipeline's current URL; null while no pod runs it.
  std::shared_ptr<UpstreamClient> client() const EXCLUDES(mu_);

  // Kubernetes reported a change of the pipeline's pod (or its deletion).
  void ObservePod(const PodObservation& pod, bool deleted) EXCLUDES(mu_);
  // Kubernetes reported a pod of another host of this pipeline (StatefulSet ordinal above 0), or
  // its deletion. While it has one, the pipeline is multi-host: its completion is decided by its
  // coordinator across hosts, so one process's /stats never completes a token (docs/feldera.md).
  void ObserveOtherHostPod(const std::string& pod_name, bool deleted) EXCLUDES(mu_);
  // The first complete list of pods has been applied (see PipelineOptions::pods_listed).
  void OnPodsListed() EXCLUDES(mu_);
  // Merges a history the store held (an earlier run of the service, another replica) into the
  // pipeline's own.
  void MergeStoredHistory(const IncarnationHistory& stored) EXCLUDES(mu_);

  // Answers a completion_status request through `reply`, now or later. With a deadline the
  // request is a long-poll: held until the token completes or the deadline passes.
  void QueryStatus(const CompletionToken& token, std::optional<SteadyClock::time_point> deadline,
                   ReplyFn reply) EXCLUDES(mu_);

  // Follows `token` to completion in the background; `born` is when the service first saw it.
  // Only tokens of the current incarnation (or of one not known yet) are tracked.
  void TrackToken(const CompletionToken& token, TokenSource source, SteadyClock::time_point born)
      EXCLUDES(mu_);

  // Periodic work, once per tracker interval: renews the query ration, probes when due (every
  // interval while a tracked token waits for a step to complete), asks upstream for tracked
  // tokens and held long-polls, expires long-polls.
  void Tick(SteadyClock::time_point now) EXCLUDES(mu_);

  // Answers everything still held (service shutdown): a long-poll with its current state, a
  // request that waits for a fresh view of the pipeline or for upstream's answer with 503 and
  // Retry-After.
  void ReleaseWaiters() EXCLUDES(mu_);

  // The 503 for a request that needs the pipeline while nothing runs it.
  ApiError NotDeployedError() const EXCLUDES(mu_);
  bool probed_once() const EXCLUDES(mu_);
  web::json::value Describe() const EXCLUDES(mu_);
  web::json::value HistoryJson() const EXCLUDES(mu_);

 private:
  struct ReprobeWaiter {
    CompletionToken token;
    std::optional<SteadyClock::time_point> deadline;
    ReplyFn reply;
  };

  // What an operation decided under the lock, carried out by Finish() once it is released.
  using Effects = PipelineEffects;

  // The decision inputs for `token`, read under the lock.
  PipelineView ViewFor(const CompletionToken& token, bool reprobed) const REQUIRES(mu_);
  // Decides and acts on one request.
  void Handle(const CompletionToken& token, std::optional<SteadyClock::time_point> deadline,
              ReplyFn reply, bool reprobed, Effects& effects) REQUIRES(mu_);
  // Has Finish() send a /stats probe, or (if one already started this interval) has the next
  // tick start it.
  void StartProbeLocked(Effects& effects) REQUIRES(mu_);
  // A line for the log, written by Finish() once the lock is released.
  template <typename... Args>
  void LogLater(Effects& effects, spdlog::level::level_enum level,
                spdlog::format_string_t<Args...> format, Args&&... args) const {
    effects.logs.emplace_back(level, fmt::format(format, std::forward<Args>(args)...));
  }
  // Applies a pod transition to the history and the client (under the lock).
  void ApplyPodTransitionLocked(const PodTransition& t, Effects& effects) REQUIRES(mu_);
  // Answers 410 to everyone waiting on an incarnation that is no longer the current one, and
  // drops what was tracked for it.
  void FailWaitersOfEndedLocked(Effects& effects) REQUIRES(mu_);
  // Runs the answers, records the metrics, sends the due queries and reports a history change.
  void Finish(Effects& effects) EXCLUDES(mu_);
  void OnProbe(const std::shared_ptr<UpstreamClient>& client, const ProbeOutcome& outcome)
      EXCLUDES(mu_);
  // After the pods were listed, a pipeline without a pod has no running incarnation: one the
  // history still shows running ended while nobody watched.
  void EndIfNoPodLocked(Effects& effects) REQUIRES(mu_);
  // Whether a probe's total_completed_steps may complete tokens: not for a multi-host pipeline.
  bool StatsCompleteTokensLocked() const REQUIRES(mu_) { return other_hosts_.empty(); }
  void OnQueryOutcome(const EndpointKey& key, uint64_t count, const UpstreamOutcome& outcome)
      EXCLUDES(mu_);
  void SendQuery(const EndpointKey& key, uint64_t count) EXCLUDES(mu_);
  int RetryAfterSeconds() const;
  // Reports the reachability and the newest incarnation to the metrics (under the lock).
  void UpdateMetricsLocked(bool incarnation_began) REQUIRES(mu_);

  const std::string name_;
  const PipelineOptions options_;

  mutable Mutex mu_;
  std::shared_ptr<UpstreamClient> client_ GUARDED_BY(mu_);
  IncarnationHistory history_ GUARDED_BY(mu_);
  EndpointTrackers endpoints_ GUARDED_BY(mu_);
  std::vector<ReprobeWaiter> reprobe_waiters_ GUARDED_BY(mu_);
  bool probed_once_ GUARDED_BY(mu_) = false;
  ProbeSchedule probe_schedule_ GUARDED_BY(mu_);
  bool reachable_ GUARDED_BY(mu_) = false;
  std::string unreachable_reason_ GUARDED_BY(mu_) = "not probed yet";
  // The 503 ErrorResponse upstream answered last, while it stays unreachable.
  std::optional<ApiError> upstream_error_ GUARDED_BY(mu_);
  // Kubernetes modes: whether the pipeline's pod exists, and Feldera's word for the deployment's
  // state while it does not run the pipeline.
  bool pod_present_ GUARDED_BY(mu_) = false;
  std::string deployment_status_ GUARDED_BY(mu_) = "Stopped";
  std::set<std::string> other_hosts_ GUARDED_BY(mu_);  // pods of hosts other than the API host
};

}  // namespace sidecar
