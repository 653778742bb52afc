#include "pipeline/pipeline.h"

#include <spdlog/spdlog.h>

#include "status/history_merge.h"

namespace sidecar {
namespace {

// The default cap on tracked tokens (tracker.max_tokens) for a pipeline given none.
constexpr size_t kDefaultMaxTrackedTokens = 100000;

void RunAll(Resolved& resolved) {
  for (auto& [reply, answer] : resolved) reply(answer);
  resolved.clear();
}

}  // namespace

Pipeline::Pipeline(std::string name, const std::string& url, PipelineOptions options,
                   IncarnationHistory history)
    : name_(std::move(name)),
      options_(std::move(options)),
      history_(std::move(history)),
      endpoints_(options_.token_budget ? options_.token_budget
                                       : std::make_shared<TokenBudget>(kDefaultMaxTrackedTokens)),
      probe_schedule_(options_.probe_interval) {
  if (!url.empty()) client_ = options_.make_client(name_, url);
  // With nothing to probe there is nothing to wait for before answering.
  if (!client_) {
    probed_once_ = true;
    unreachable_reason_ = "no pipeline pod is running";
  }
}

void Pipeline::SetPipelineId(const std::string& pipeline_id) {
  Metrics* metrics = options_.metrics;
  if (!metrics || !metrics->SetPipelineId(name_, pipeline_id)) return;
  // The series under the old label are gone: the gauges get their values again.
  MutexLock lock(&mu_);
  UpdateMetricsLocked(false);
  metrics->SetTokensTracked(name_, endpoints_.tracked());
}

std::shared_ptr<UpstreamClient> Pipeline::client() const {
  MutexLock lock(&mu_);
  return client_;
}

int RetryAfterFor(std::chrono::milliseconds probe_interval) {
  return static_cast<int>(std::max<int64_t>(1, (probe_interval.count() + 999) / 1000));
}

int Pipeline::RetryAfterSeconds() const {
  return RetryAfterFor(options_.probe_interval);
}

PipelineView Pipeline::ViewFor(const CompletionToken& token, bool reprobed) const {
  PipelineView view;
  view.name = name_;
  view.history = &history_;
  const EndpointTracker* endpoint = endpoints_.Find({token.incarnation, token.endpoint});
  view.frontier = endpoint ? &endpoint->frontier() : nullptr;
  view.reachable = reachable_ && client_ != nullptr;
  view.reprobed = reprobed;
  view.unreachable_reason = unreachable_reason_;
  if (!view.reachable) view.upstream_error = upstream_error_;
  view.retry_after_seconds = RetryAfterSeconds();
  view.deployed = client_ != nullptr;
  view.deployment_status = deployment_status_;
  return view;
}

void Pipeline::QueryStatus(const CompletionToken& token,
                           std::optional<SteadyClock::time_point> deadline, ReplyFn reply) {
  Effects effects;
  {
    MutexLock lock(&mu_);
    Handle(token, deadline, std::move(reply), /*reprobed=*/false, effects);
  }
  Finish(effects);
}

void Pipeline::Handle(const CompletionToken& token, std::optional<SteadyClock::time_point> deadline,
                      ReplyFn reply, bool reprobed, Effects& effects) {
  const Decision decision = DecideStatus(token, ViewFor(token, reprobed));
  switch (decision.kind) {
    case Decision::Kind::kComplete:
      effects.answers.emplace_back(std::move(reply), StatusAnswer::Complete(decision.step));
      return;
    case Decision::Kind::kError:
      effects.answers.emplace_back(std::move(reply), StatusAnswer::Failed(decision.error));
      return;
    case Decision::Kind::kReprobe:
      reprobe_waiters_.push_back({token, deadline, std::move(reply)});
      StartProbeLocked(effects);
      return;
    case Decision::Kind::kAskUpstream: {
      const EndpointKey key{token.incarnation, token.endpoint};
      endpoints_.At(key).AddWaiter(token.count, deadline, std::move(reply));
      endpoints_.Track(key, token.count, TokenSource::kStatusRequest, options_.steady_now(),
                       effects);
      effects.queries.push_back(key);
      return;
    }
  }
}

void Pipeline::TrackToken(const CompletionToken& token, TokenSource source,
                          SteadyClock::time_point born) {
  Effects effects;
  {
    MutexLock lock(&mu_);
    const Decision decision = DecideStatus(token, ViewFor(token, /*reprobed=*/false));
    if (decision.kind == Decision::Kind::kReprobe) StartProbeLocked(effects);
    // A token of an incarnation not known yet is tracked too: the probe will tell whether that
    // incarnation is the current one (the token is kept) or an old one (it is abandoned).
    if (decision.kind == Decision::Kind::kAskUpstream ||
        decision.kind == Decision::Kind::kReprobe) {
      endpoints_.Track({token.incarnation, token.endpoint}, token.count, source, born, effects);
    }
  }
  Finish(effects);
}

void Pipeline::Finish(Effects& effects) {
  for (const auto& [level, line] : effects.logs) spdlog::log(level, "{}", line);
  RunAll(effects.answers);
  if (effects.probe) {
    effects.probe->FetchStats([self = shared_from_this(), client = effects.probe](
                                  const ProbeOutcome& outcome) { self->OnProbe(client, outcome); });
  }
  if (Metrics* metrics = options_.metrics) {
    for (const TokenCompletion& c : effects.completed) {
      metrics->ObserveTokenLatency(name_, TokenSourceName(c.source),
                                   std::chrono::duration<double>(c.latency).count());
    }
    if (effects.abandoned_ended)
      metrics->CountTokenAbandoned(name_, "incarnation_ended", effects.abandoned_ended);
    if (effects.abandoned_overflow)
      metrics->CountTokenAbandoned(name_, "overflow", effects.abandoned_overflow);
    if (effects.abandoned_endpoint)
      metrics->CountTokenAbandoned(name_, "endpoint_removed", effects.abandoned_endpoint);
    if (effects.tracked) metrics->SetTokensTracked(name_, *effects.tracked);
  }
  for (const auto& key : effects.queries) {
    std::optional<uint64_t> count;
    {
      MutexLock lock(&mu_);
      if (EndpointTracker* endpoint = endpoints_.Find(key))
        count = endpoint->StartQuery(StatsCompleteTokensLocked());
    }
    if (count) SendQuery(key, *count);
  }
  if (effects.history_changed && options_.on_history_change) {
    IncarnationHistory copy;
    {
      MutexLock lock(&mu_);
      copy = history_;
    }
    options_.on_history_change(name_, copy);
  }
}

void Pipeline::SendQuery(const EndpointKey& key, uint64_t count) {
  std::shared_ptr<UpstreamClient> client;
  std::string deployment_status;
  {
    MutexLock lock(&mu_);
    client = client_;
    deployment_status = deployment_status_;
  }
  auto self = shared_from_this();
  if (!client) {
    OnQueryOutcome(key, count,
                   UpstreamOutcome::Error(
                       ApiError::NotDeployed(name_, deployment_status, RetryAfterSeconds())));
    return;
  }
  const std::string token = EncodeCompletionToken({key.first, key.second, count});
  client->FetchCompletionStatus(token, [self, key, count](const UpstreamOutcome& outcome) {
    self->OnQueryOutcome(key, count, outcome);
  });
}

void Pipeline::OnQueryOutcome(const EndpointKey& key, uint64_t count,
                              const UpstreamOutcome& outcome) {
  Effects effects;
  {
    MutexLock lock(&mu_);
    EndpointTracker* endpoint = endpoints_.Find(key);
    if (!endpoint) return;  // the incarnation ended meanwhile; its waiters were answered
    UpstreamOutcome effective = outcome;
    const bool failed = outcome.kind == UpstreamOutcome::Kind::kError;
    const bool restarted = failed && outcome.error.Is(ErrorKind::kPipelineRestarted);
    if (failed) {
      // Unreachable, or (through Feldera's API server) not deployed: later requests get this
      // very answer until a probe finds the pipeline again.
      if (outcome.error.Is(ErrorKind::kUnreachable) || outcome.error.Is(ErrorKind::kNotDeployed)) {
        if (reachable_) {
          LogLater(effects, spdlog::level::warn, "pipeline '{}' unreachable: {}", name_,
                   outcome.error.message);
        }
        reachable_ = false;
        unreachable_reason_ = outcome.error.message;
        upstream_error_ = outcome.error;
        UpdateMetricsLocked(false);
      }
      const Incarnation* current = history_.Current();
      if (restarted && current && current->uuid == key.first) {
        // The pipeline itself says this incarnation is over: record it, and answer with the
        // service's own 410, as for every other token of an ended incarnation.
        history_.EndCurrent(IncarnationEnd{options_.wall_now(), "Restarted", std::nullopt, "",
                                           "the pipeline reported a newer incarnation"});
        effects.history_changed = true;
        effective = UpstreamOutcome::Error(
            PipelineRestartedError(name_, key.first, history_.Find(key.first), nullptr));
      }
      // A restart or an outage shows up here first: refresh the view as soon as allowed.
      if (restarted || !reachable_) StartProbeLocked(effects);
    }
    endpoints_.AddProgress(endpoint->OnOutcome(count, effective, options_.steady_now()), effects);
    if (failed && outcome.error.Is(ErrorKind::kUnknownEndpoint)) {
      endpoints_.RemoveEndpoint(key, effects);
    } else {
      effects.queries.push_back(key);
    }
    if (effects.history_changed) FailWaitersOfEndedLocked(effects);
  }
  Finish(effects);
}

void Pipeline::Tick(SteadyClock::time_point now) {
  Effects effects;
  {
    MutexLock lock(&mu_);
    const bool steps_awaited =
        endpoints_.BeginInterval(now, history_.Current(), StatsCompleteTokensLocked(), effects);
    if (probe_schedule_.OnTick(now, steps_awaited, client_ != nullptr)) effects.probe = client_;
  }
  Finish(effects);
}

void Pipeline::StartProbeLocked(Effects& effects) {
  if (client_ && probe_schedule_.Want()) effects.probe = client_;
}

void Pipeline::FailWaitersOfEndedLocked(Effects& effects) {
  endpoints_.EndAllButCurrent(name_, history_, effects);
}

void Pipeline::OnProbe(const std::shared_ptr<UpstreamClient>& client, const ProbeOutcome& outcome) {
  const Result<StatsSnapshot>& result = outcome.stats;
  Effects effects;
  bool began = false;
  {
    MutexLock lock(&mu_);
    // The pod moved or went away while this probe was out: its answer, from the old address,
    // no longer counts (and client_ may now be null).
    if (client != client_) return;
    probe_schedule_.Answered();
    probed_once_ = true;
    if (!result.ok()) {
      if (reachable_ || unreachable_reason_ != result.error()) {
        LogLater(effects, spdlog::level::warn, "pipeline '{}' unreachable: {}", name_,
                 result.error());
      }
      reachable_ = false;
      unreachable_reason_ = result.error();
      upstream_error_ = outcome.upstream_error;
    } else {
      const StatsSnapshot& stats = result.value();
      if (!reachable_) {
        LogLater(effects, spdlog::level::info, "pipeline '{}' reachable at {}", name_,
                 client_->base_url());
      }
      reachable_ = true;
      unreachable_reason_.clear();
      upstream_error_.reset();
      const StatsTransition t = ApplyStats(history_, stats, options_.wall_now());
      effects.history_changed = effects.history_changed || t.history_changed();
      began = t.began;
      if (t.named) {
        LogLater(effects, spdlog::level::info,
                 "pipeline '{}' incarnation {} is running (resumed from checkpoint: {})", name_,
                 stats.incarnation.ToString(), stats.resumed_from_checkpoint);
      } else if (t.began) {
        LogLater(effects, spdlog::level::info,
                 "pipeline '{}' incarnation {} began (previous: {}, resumed from checkpoint: {})",
                 name_, stats.incarnation.ToString(), t.previous, stats.resumed_from_checkpoint);
      }
      FailWaitersOfEndedLocked(effects);
      if (stats.total_completed_steps && StatsCompleteTokensLocked()) {
        endpoints_.AdvanceCompletedSteps(stats.incarnation, *stats.total_completed_steps,
                                         options_.steady_now(), effects);
      }
    }
    UpdateMetricsLocked(began);
    // Requests that waited for a fresh view are decided again, once.
    auto waiting = std::move(reprobe_waiters_);
    reprobe_waiters_.clear();
    for (auto& w : waiting) Handle(w.token, w.deadline, std::move(w.reply), true, effects);
  }
  Finish(effects);
}

void Pipeline::ObservePod(const PodObservation& pod, bool deleted) {
  Effects effects;
  {
    MutexLock lock(&mu_);
    const auto now = options_.wall_now();
    const PodTransition t =
        deleted ? ApplyPodDeletion(history_, pod, now) : ApplyPodChange(history_, pod, now);
    effects.history_changed = t.end || t.begin || t.adopt;
    pod_present_ = !deleted;
    deployment_status_ = deleted ? "Stopped" : pod.deleting ? "Stopping" : "Provisioning";
    ApplyPodTransitionLocked(t, effects);
  }
  Finish(effects);
}

void Pipeline::ObserveOtherHostPod(const std::string& pod_name, bool deleted) {
  Effects effects;
  {
    MutexLock lock(&mu_);
    const bool was_multi_host = !other_hosts_.empty();
    if (deleted) {
      other_hosts_.erase(pod_name);
    } else {
      other_hosts_.insert(pod_name);
    }
    if (was_multi_host != !other_hosts_.empty()) {
      LogLater(effects, spdlog::level::info, "pipeline '{}' is {}: tokens {} complete from /stats",
               name_, other_hosts_.empty() ? "single-host" : "multi-host",
               other_hosts_.empty() ? "again" : "no longer");
    }
  }
  Finish(effects);
}

void Pipeline::OnPodsListed() {
  Effects effects;
  {
    MutexLock lock(&mu_);
    EndIfNoPodLocked(effects);
  }
  Finish(effects);
}

void Pipeline::MergeStoredHistory(const IncarnationHistory& stored) {
  Effects effects;
  {
    MutexLock lock(&mu_);
    history_ = MergeHistories(history_, stored, history_.capacity());
    EndIfNoPodLocked(effects);
    FailWaitersOfEndedLocked(effects);
    UpdateMetricsLocked(false);
  }
  Finish(effects);
}

void Pipeline::EndIfNoPodLocked(Effects& effects) {
  if (pod_present_ || !options_.pods_listed || !options_.pods_listed() || !history_.Current()) {
    return;
  }
  LogLater(effects, spdlog::level::info, "pipeline '{}' incarnation {} ended: no pod runs it",
           name_, IncarnationLabel(history_.Current()));
  history_.EndCurrent(IncarnationEnd{options_.wall_now(), "Deleted", std::nullopt, "",
                                     "no pod of the pipeline was found"});
  effects.history_changed = true;
  FailWaitersOfEndedLocked(effects);
  UpdateMetricsLocked(false);
}

void Pipeline::ApplyPodTransitionLocked(const PodTransition& t, Effects& effects) {
  if (t.end) {
    LogLater(effects, spdlog::level::info, "pipeline '{}' incarnation {} ended: {}{}", name_,
             IncarnationLabel(history_.Current()), t.end->reason,
             t.end->exit_code ? " (exit code " + std::to_string(*t.end->exit_code) + ")" : "");
  }
  ApplyToHistory(history_, t, options_.wall_now());
  if (t.begin) {
    LogLater(effects, spdlog::level::info,
             "pipeline '{}' new incarnation in pod {} container {} (restart count {})", name_,
             t.pod_uid, t.container_id, t.restart_count);
  }
  if (t.end || t.begin) FailWaitersOfEndedLocked(effects);
  UpdateMetricsLocked(t.begin);

  // Follow the pipeline to wherever its pod now runs.
  const std::string url =
      t.running ? PodPipelineUrl(options_.pod_url_scheme, t.pod_ip, t.port) : std::string();
  const std::string current_url = client_ ? client_->base_url() : std::string();
  if (url != current_url) {
    client_ = url.empty() ? nullptr : options_.make_client(name_, url);
    probe_schedule_.Answered();  // an answer from the old address no longer counts
    reachable_ = false;
    unreachable_reason_ = url.empty() ? "no pipeline pod is running" : "not probed yet";
    if (client_) StartProbeLocked(effects);
  }
}

void Pipeline::UpdateMetricsLocked(bool incarnation_began) {
  Metrics* metrics = options_.metrics;
  if (!metrics) return;
  metrics->SetPipelineUp(name_, reachable_ && client_ && history_.Current());
  const auto& entries = history_.entries();
  if (entries.empty()) return;
  if (incarnation_began) {
    // Labelled by why the one before ended; the very first is just seen.
    metrics->CountIncarnation(
        name_, entries.size() > 1 && entries[1].end ? entries[1].end->reason : "FirstSeen");
  }
  const Incarnation& newest = entries.front();
  const WallClock::time_point start = ParseTime(newest.start_time).value_or(newest.first_seen);
  metrics->SetIncarnationStart(name_,
                               std::chrono::duration<double>(start.time_since_epoch()).count());
  metrics->SetResumedFromCheckpoint(name_, newest.resumed_from_checkpoint);
}

void Pipeline::ReleaseWaiters() {
  Resolved answers;
  {
    // A request waiting for a fresh view or for upstream's answer will not get one: the service
    // is stopping. Neither complete nor gone can be said of its token, so it is told to ask again
    // (another replica, or this one once it is back).
    const ApiError stopping = ApiError::Unreachable(name_, "GET /completion_status",
                                                    "the service is stopping", RetryAfterSeconds());
    MutexLock lock(&mu_);
    answers = endpoints_.ReleaseWaiters(stopping);
    for (auto& w : reprobe_waiters_) {
      answers.emplace_back(std::move(w.reply), StatusAnswer::Failed(stopping));
    }
    reprobe_waiters_.clear();
  }
  RunAll(answers);
}

bool Pipeline::probed_once() const {
  MutexLock lock(&mu_);
  return probed_once_;
}

ApiError Pipeline::NotDeployedError() const {
  MutexLock lock(&mu_);
  return ApiError::NotDeployed(name_, deployment_status_, RetryAfterSeconds());
}

web::json::value Pipeline::Describe() const {
  MutexLock lock(&mu_);
  web::json::value v = web::json::value::object();
  v["name"] = web::json::value::string(name_);
  v["url"] = client_ ? web::json::value::string(client_->base_url()) : web::json::value::null();
  const Incarnation* current = history_.Current();
  std::string state = !probed_once_ ? "unknown" : (reachable_ && current ? "running" : "down");
  v["state"] = web::json::value::string(state);
  v["current_incarnation"] = current ? current->ToJson() : web::json::value::null();
  v["tracked_tokens"] = web::json::value::number(endpoints_.tracked());
  v["multi_host"] = web::json::value::boolean(!other_hosts_.empty());
  return v;
}

web::json::value Pipeline::HistoryJson() const {
  MutexLock lock(&mu_);
  return history_.ToJson();
}

}  // namespace sidecar
