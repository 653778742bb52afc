// FakeUpstream: an UpstreamClient whose answers the test gives. Requests are recorded and held;
// the test answers them (from its own thread, or from several) with AnswerStats/AnswerQueries.
// Thread-safe.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "common/mutex.h"
#include "pipeline/upstream_client.h"

namespace sidecar::testing {

// A /stats answer of a pipeline whose running incarnation is `incarnation`.
inline ProbeOutcome RunningStats(const Uuid& incarnation) {
  StatsSnapshot stats;
  stats.incarnation = incarnation;
  stats.start_time = "2026-12-03T10:00:00Z";
  stats.initial_start_time = stats.start_time;
  return ProbeOutcome{Result<StatsSnapshot>::Ok(stats), std::nullopt};
}

class FakeUpstream : public UpstreamClient {
 public:
  explicit FakeUpstream(std::string url) : url_(std::move(url)) {}

  const std::string& base_url() const override { return url_; }
  PipelineBase base() const override { return PipelineBase::kProcess; }

  void FetchStats(ProbeDone done) override {
    MutexLock lock(&mu_);
    probes_.push_back(std::move(done));
    ++probes_sent_;
  }
  void FetchCompletionStatus(const std::string& token, QueryDone done) override {
    MutexLock lock(&mu_);
    queries_.push_back({token, std::move(done)});
    ++queries_sent_;
  }
  pplx::task<web::http::http_response> Forward(web::http::http_request, const char*) override {
    return pplx::task_from_result(
        web::http::http_response(web::http::status_codes::NotImplemented));
  }

  // Answers every held probe with `outcome`; returns how many there were.
  int AnswerStats(const ProbeOutcome& outcome) {
    std::deque<ProbeDone> held;
    {
      MutexLock lock(&mu_);
      held.swap(probes_);
    }
    for (auto& done : held) done(outcome);
    return static_cast<int>(held.size());
  }
  // Answers every held completion_status query with what `answer` says for its token.
  template <typename AnswerFn>
  int AnswerQueries(AnswerFn answer) {
    std::deque<std::pair<std::string, QueryDone>> held;
    {
      MutexLock lock(&mu_);
      held.swap(queries_);
    }
    for (auto& [token, done] : held) done(answer(token));
    return static_cast<int>(held.size());
  }

  // Drops the requests still held, unanswered. A held callback owns its Pipeline, which owns
  // this client: a test ends with this, or the cycle outlives it (and LeakSanitizer says so).
  void DropHeld() {
    std::deque<ProbeDone> probes;
    std::deque<std::pair<std::string, QueryDone>> queries;
    {
      MutexLock lock(&mu_);
      probes.swap(probes_);
      queries.swap(queries_);
    }
  }

  int probes_sent() const {
    MutexLock lock(&mu_);
    return probes_sent_;
  }
  int queries_sent() const {
    MutexLock lock(&mu_);
    return queries_sent_;
  }

 private:
  const std::string url_;
  mutable Mutex mu_;
  std::deque<ProbeDone> probes_ GUARDED_BY(mu_);
  std::deque<std::pair<std::string, QueryDone>> queries_ GUARDED_BY(mu_);
  int probes_sent_ GUARDED_BY(mu_) = 0;
  int queries_sent_ GUARDED_BY(mu_) = 0;
};

}  // namespace sidecar::testing
