#include "pipeline/pipeline.h"

#include <spdlog/spdlog.h>

namespace sidecar {
namespace {

void RunAll(Resolved& resolved) {
  for (auto& [reply, answer] : resolved) reply(answer);
  resolved.clear();
}

}  // namespace

Pipeline::Pipeline(std::string name, std::unique_ptr<PipelineClient> client,
                   PipelineOptions options)
    : name_(std::move(name)),
      client_(std::move(client)),
      options_(options),
      history_(options.history_size) {}

int Pipeline::RetryAfterSeconds() const {
  const auto ms = options_.probe_interval.count();
  return static_cast<int>(std::max<int64_t>(1, (ms + 999) / 1000));
}

PipelineView Pipeline::ViewFor(const CompletionToken& token, bool reprobed) const {
  PipelineView view;
  view.name = name_;
  view.history = &history_;
  auto it = endpoints_.find({token.incarnation, token.endpoint});
  view.frontier = it == endpoints_.end() ? nullptr : &it->second.frontier;
  view.reachable = reachable_;
  view.reprobed = reprobed;
  view.unreachable_reason = unreachable_reason_;
  view.retry_after_seconds = RetryAfterSeconds();
  return view;
}

void Pipeline::QueryStatus(const CompletionToken& token,
                           std::optional<SteadyClock::time_point> deadline, ReplyFn reply) {
  Resolved answers;
  std::vector<EndpointKey> queries;
  {
    std::lock_guard lock(mu_);
    Handle(token, deadline, std::move(reply), /*reprobed=*/false, answers, queries);
  }
  RunAll(answers);
  SendDueQueries(queries);
}

void Pipeline::Handle(const CompletionToken& token, std::optional<SteadyClock::time_point> deadline,
                      ReplyFn reply, bool reprobed, Resolved& out,
                      std::vector<EndpointKey>& queries) {
  const Decision decision = DecideStatus(token, ViewFor(token, reprobed));
  switch (decision.kind) {
    case Decision::Kind::kComplete:
      out.emplace_back(std::move(reply), StatusAnswer::Complete(decision.step));
      return;
    case Decision::Kind::kError:
      out.emplace_back(std::move(reply), StatusAnswer::Failed(decision.error));
      return;
    case Decision::Kind::kReprobe:
      reprobe_waiters_.push_back({token, deadline, std::move(reply)});
      StartProbeLocked();
      return;
    case Decision::Kind::kAskUpstream: {
      const EndpointKey key{token.incarnation, token.endpoint};
      endpoints_[key].waiters.Add(token.count, deadline, std::move(reply));
      queries.push_back(key);
      return;
    }
  }
}

void Pipeline::SendDueQueries(const std::vector<EndpointKey>& keys) {
  for (const auto& key : keys) {
    std::optional<uint64_t> count;
    {
      std::lock_guard lock(mu_);
      auto it = endpoints_.find(key);
      if (it != endpoints_.end()) count = it->second.waiters.StartQuery(/*tick=*/false);
    }
    if (count) SendQuery(key, *count);
  }
}

void Pipeline::SendQuery(const EndpointKey& key, uint64_t count) {
  const std::string token = EncodeCompletionToken({key.first, key.second, count});
  auto self = shared_from_this();
  client_->FetchCompletionStatus(token).then([self, key, count](const UpstreamOutcome& outcome) {
    self->OnQueryOutcome(key, count, outcome);
  });
}

void Pipeline::OnQueryOutcome(const EndpointKey& key, uint64_t count,
                              const UpstreamOutcome& outcome) {
  Resolved answers;
  std::optional<uint64_t> next;
  {
    std::lock_guard lock(mu_);
    auto it = endpoints_.find(key);
    if (it == endpoints_.end())
      return;  // the incarnation ended meanwhile; its waiters were answered
    answers = it->second.waiters.OnOutcome(count, outcome, it->second.frontier);
    if (outcome.kind == UpstreamOutcome::Kind::kError) {
      // A restart or an outage shows up here first: refresh the view at once.
      const std::string& code = outcome.error.error_code;
      if (code == "PipelineRestarted" || code == "PipelineInteractionUnreachable") {
        if (code == "PipelineInteractionUnreachable" && reachable_) {
          reachable_ = false;
          unreachable_reason_ = outcome.error.message;
          spdlog::warn("pipeline '{}' unreachable: {}", name_, outcome.error.message);
        }
        StartProbeLocked();
      }
    }
    next = it->second.waiters.StartQuery(false);
  }
  RunAll(answers);
  if (next) SendQuery(key, *next);
}

void Pipeline::Tick(SteadyClock::time_point now) {
  Resolved answers;
  std::vector<std::pair<EndpointKey, uint64_t>> queries;
  {
    std::lock_guard lock(mu_);
    if (now >= next_probe_) {
      next_probe_ = now + options_.probe_interval;
      StartProbeLocked();
    }
    for (auto& [key, state] : endpoints_) {
      auto expired = state.waiters.Expire(now, state.frontier);
      std::move(expired.begin(), expired.end(), std::back_inserter(answers));
      if (auto count = state.waiters.StartQuery(/*tick=*/true)) queries.emplace_back(key, *count);
    }
  }
  RunAll(answers);
  for (const auto& [key, count] : queries) SendQuery(key, count);
}

void Pipeline::ProbeNow() {
  std::lock_guard lock(mu_);
  StartProbeLocked();
}

void Pipeline::StartProbeLocked() {
  if (probe_in_flight_) return;
  probe_in_flight_ = true;
  auto self = shared_from_this();
  client_->FetchStats().then(
      [self](const Result<StatsSnapshot>& result) { self->OnProbe(result); });
}

void Pipeline::OnProbe(const Result<StatsSnapshot>& result) {
  Resolved answers;
  std::vector<EndpointKey> queries;
  {
    std::lock_guard lock(mu_);
    probe_in_flight_ = false;
    probed_once_ = true;
    if (!result.ok()) {
      if (reachable_ || unreachable_reason_ != result.error()) {
        spdlog::warn("pipeline '{}' unreachable: {}", name_, result.error());
      }
      reachable_ = false;
      unreachable_reason_ = result.error();
    } else {
      const StatsSnapshot& stats = result.value();
      if (!reachable_) spdlog::info("pipeline '{}' reachable at {}", name_, client_->base_url());
      reachable_ = true;
      unreachable_reason_.clear();
      const Incarnation* current = history_.Current();
      if (!current || current->uuid != stats.incarnation) {
        const std::string previous =
            current && current->uuid ? current->uuid->ToString() : std::string("none");
        Incarnation next;
        next.uuid = stats.incarnation;
        next.start_time = stats.start_time;
        next.initial_start_time = stats.initial_start_time;
        next.resumed_from_checkpoint = stats.resumed_from_checkpoint;
        next.first_seen = WallClock::now();
        history_.Begin(next, IncarnationEnd{WallClock::now(), "Restarted", std::nullopt, "",
                                            "a new incarnation answered /stats"});
        spdlog::info(
            "pipeline '{}' incarnation {} began (previous: {}, resumed from checkpoint: {})", name_,
            stats.incarnation.ToString(), previous, stats.resumed_from_checkpoint);
        // Everyone waiting on an older incarnation learns that it is over.
        for (auto it = endpoints_.begin(); it != endpoints_.end();) {
          if (it->first.first == stats.incarnation) {
            ++it;
            continue;
          }
          const Incarnation* ended = history_.Find(it->first.first);
          auto failed = it->second.waiters.FailAll(
              PipelineRestartedError(name_, it->first.first, ended, history_.Current()));
          std::move(failed.begin(), failed.end(), std::back_inserter(answers));
          it = endpoints_.erase(it);
        }
      }
      if (stats.total_completed_steps) {
        for (auto& [key, state] : endpoints_) {
          if (key.first != stats.incarnation) continue;
          state.frontier.AdvanceCompletedSteps(*stats.total_completed_steps);
          auto done = state.waiters.ResolveFromFrontier(state.frontier);
          std::move(done.begin(), done.end(), std::back_inserter(answers));
        }
      }
    }
    // Requests that waited for a fresh view are decided again, once.
    auto waiting = std::move(reprobe_waiters_);
    reprobe_waiters_.clear();
    for (auto& w : waiting) Handle(w.token, w.deadline, std::move(w.reply), true, answers, queries);
  }
  RunAll(answers);
  SendDueQueries(queries);
}

void Pipeline::ReleaseWaiters() {
  Resolved answers;
  {
    std::lock_guard lock(mu_);
    const auto end_of_time = SteadyClock::time_point::max();
    for (auto& [key, state] : endpoints_) {
      auto expired = state.waiters.Expire(end_of_time, state.frontier);
      std::move(expired.begin(), expired.end(), std::back_inserter(answers));
    }
  }
  RunAll(answers);
}

bool Pipeline::probed_once() const {
  std::lock_guard lock(mu_);
  return probed_once_;
}

web::json::value Pipeline::Describe() const {
  std::lock_guard lock(mu_);
  web::json::value v = web::json::value::object();
  v["name"] = web::json::value::string(name_);
  v["url"] = web::json::value::string(client_->base_url());
  const Incarnation* current = history_.Current();
  std::string state = !probed_once_ ? "unknown" : (reachable_ && current ? "running" : "down");
  v["state"] = web::json::value::string(state);
  v["current_incarnation"] = current ? current->ToJson() : web::json::value::null();
  return v;
}

web::json::value Pipeline::HistoryJson() const {
  std::lock_guard lock(mu_);
  return history_.ToJson();
}

}  // namespace sidecar
