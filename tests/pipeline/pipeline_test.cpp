// Pipeline driven in process: a FakeUpstream answers its probes and queries, and a test clock
// sets the time. No sockets.
#include "pipeline/pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "fake_upstream.h"

namespace sidecar::testing {
namespace {

using namespace std::chrono_literals;

// The answers a Pipeline gave, as they arrive (from any thread).
class Replies {
 public:
  ReplyFn Collector() {
    return [this](const StatusAnswer& answer) {
      MutexLock lock(&mu_);
      answers_.push_back(answer);
    };
  }
  std::vector<StatusAnswer> answers() const {
    MutexLock lock(&mu_);
    return answers_;
  }

 private:
  mutable Mutex mu_;
  std::vector<StatusAnswer> answers_ GUARDED_BY(mu_);
};

class PipelineInProcess : public ::testing::Test {
 protected:
  void TearDown() override { upstream_->DropHeld(); }

  std::shared_ptr<Pipeline> Make(PipelineOptions options = {}) {
    options.make_client = [upstream = upstream_](const std::string&, const std::string&) {
      return upstream;
    };
    return std::make_shared<Pipeline>("demo", upstream_->base_url(), options, IncarnationHistory());
  }

  // A pipeline whose steady clock reads now_, which only the test moves.
  std::shared_ptr<Pipeline> MakeOnTestClock() {
    PipelineOptions options;
    options.steady_now = [this] { return now_; };
    return Make(options);
  }

  // Has `pipeline` learn, from a probe, that `incarnation` runs.
  void Run(Pipeline& pipeline, const Uuid& incarnation, SteadyClock::time_point now) {
    pipeline.Tick(now);
    ASSERT_EQ(upstream_->AnswerStats(RunningStats(incarnation)), 1);
  }

  std::shared_ptr<FakeUpstream> upstream_ = std::make_shared<FakeUpstream>("http://pipeline:8080");
  SteadyClock::time_point now_ = SteadyClock::now();
  const Uuid first_ = Uuid::NewV7(std::chrono::system_clock::now() - 1h);
  const Uuid second_ = Uuid::NewV7(std::chrono::system_clock::now());
};

TEST_F(PipelineInProcess, AsksUpstreamOnceThenAnswersFromMemory) {
  auto pipeline = Make();
  Replies replies;
  const CompletionToken token{first_, 1, 10};

  // An incarnation the pipeline has not seen yet: it probes first, then asks.
  pipeline->QueryStatus(token, std::nullopt, replies.Collector());
  EXPECT_EQ(upstream_->probes_sent(), 1);
  EXPECT_EQ(upstream_->AnswerStats(RunningStats(first_)), 1);
  EXPECT_EQ(upstream_->queries_sent(), 1);
  EXPECT_TRUE(replies.answers().empty());
  EXPECT_EQ(
      upstream_->AnswerQueries([](const std::string&) { return UpstreamOutcome::Complete(7); }), 1);
  ASSERT_EQ(replies.answers().size(), 1u);
  EXPECT_EQ(replies.answers()[0].http_status, 200);
  EXPECT_EQ(replies.answers()[0].step, 7u);

  // Known complete: answered from memory, upstream not asked again.
  pipeline->QueryStatus(token, std::nullopt, replies.Collector());
  ASSERT_EQ(replies.answers().size(), 2u);
  EXPECT_EQ(replies.answers()[1].http_status, 200);
  EXPECT_EQ(upstream_->queries_sent(), 1);
}

TEST_F(PipelineInProcess, ATokenOfAnEndedIncarnationIsGone) {
  auto pipeline = MakeOnTestClock();
  Run(*pipeline, first_, now_);
  now_ += 2s;
  Run(*pipeline, second_, now_);

  Replies replies;
  pipeline->QueryStatus({first_, 1, 10}, std::nullopt, replies.Collector());
  const std::vector<StatusAnswer> answers = replies.answers();
  ASSERT_EQ(answers.size(), 1u);
  const StatusAnswer& gone = answers[0];
  EXPECT_EQ(gone.http_status, 410);
  ASSERT_TRUE(gone.error);
  EXPECT_TRUE(gone.error->Is(ErrorKind::kPipelineRestarted));
  EXPECT_EQ(gone.error->details.at("current_incarnation").as_string(), second_.ToString());
  EXPECT_EQ(upstream_->queries_sent(), 0);
}

TEST_F(PipelineInProcess, AWaitingLongPollIsAnsweredWhenItsIncarnationEnds) {
  auto pipeline = MakeOnTestClock();
  Run(*pipeline, first_, now_);

  Replies replies;
  pipeline->QueryStatus({first_, 1, 10}, now_ + 30s, replies.Collector());
  upstream_->AnswerQueries([](const std::string&) { return UpstreamOutcome::InProgress(3); });
  EXPECT_TRUE(replies.answers().empty());  // held: in progress, and the deadline is far

  now_ += 2s;
  Run(*pipeline, second_, now_);
  ASSERT_EQ(replies.answers().size(), 1u);
  EXPECT_EQ(replies.answers()[0].http_status, 410);
}

// The one answer a request held at shutdown gets: 503 Unreachable, with Retry-After.
void ExpectOneStoppingAnswer(const std::vector<StatusAnswer>& answers) {
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].http_status, 503);
  ASSERT_TRUE(answers[0].error);
  EXPECT_TRUE(answers[0].error->Is(ErrorKind::kUnreachable));
  EXPECT_TRUE(answers[0].error->retry_after_seconds);
}

// At shutdown, a request waiting for the next interval's probe is not left without an answer.
TEST_F(PipelineInProcess, ShutdownAnswersARequestWaitingForAFreshView) {
  auto pipeline = MakeOnTestClock();
  Run(*pipeline, first_, now_);

  Replies replies;
  // An incarnation newer than the current one: it waits for a probe, and this interval's was sent.
  pipeline->QueryStatus({second_, 1, 10}, std::nullopt, replies.Collector());
  EXPECT_EQ(upstream_->probes_sent(), 1);
  EXPECT_TRUE(replies.answers().empty());

  pipeline->ReleaseWaiters();
  ExpectOneStoppingAnswer(replies.answers());
}

// At shutdown, a request waiting for upstream's answer is answered at once: the service's own
// upstream questions are cancelled next, and a query not sent yet never will be.
TEST_F(PipelineInProcess, ShutdownAnswersARequestWaitingForUpstream) {
  auto pipeline = MakeOnTestClock();
  Run(*pipeline, first_, now_);

  Replies replies;
  pipeline->QueryStatus({first_, 1, 10}, std::nullopt, replies.Collector());
  EXPECT_TRUE(replies.answers().empty());  // the fake upstream holds the query

  pipeline->ReleaseWaiters();
  ExpectOneStoppingAnswer(replies.answers());
}

// An upstream client that reads the pipeline while a probe is being sent: were the probe sent
// with the pipeline's lock held, Describe() would never return (and ctest's timeout fails it).
class ReentrantUpstream : public FakeUpstream {
 public:
  using FakeUpstream::FakeUpstream;
  void FetchStats(ProbeDone done) override {
    if (auto pipeline = pipeline_.lock()) described_ = pipeline->Describe().serialize();
    FakeUpstream::FetchStats(std::move(done));
  }
  std::weak_ptr<Pipeline> pipeline_;
  std::string described_;
};

TEST(PipelineLocking, ProbesAreSentWithTheLockReleased) {
  auto upstream = std::make_shared<ReentrantUpstream>("http://pipeline:8080");
  PipelineOptions options;
  options.make_client = [upstream](const std::string&, const std::string&) { return upstream; };
  auto pipeline =
      std::make_shared<Pipeline>("demo", upstream->base_url(), options, IncarnationHistory());
  upstream->pipeline_ = pipeline;
  pipeline->Tick(SteadyClock::now());
  EXPECT_EQ(upstream->probes_sent(), 1);
  EXPECT_NE(upstream->described_.find("\"demo\""), std::string::npos) << upstream->described_;
  upstream->DropHeld();
}

// Clients, the ticker and upstream answers on their own threads at once (ThreadSanitizer runs
// this): every request gets exactly one answer, and every answer is the right one.
TEST_F(PipelineInProcess, ConcurrentClientsTicksAndAnswersEachGetOneAnswer) {
  auto pipeline = Make();
  Run(*pipeline, first_, SteadyClock::now());

  constexpr int kClients = 4;
  constexpr int kRequestsEach = 200;
  std::atomic<int> answered{0};
  std::atomic<int> wrong{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 1; i <= kRequestsEach; ++i) {
        const CompletionToken token{first_, static_cast<uint64_t>(c), static_cast<uint64_t>(i)};
        pipeline->QueryStatus(token, std::nullopt, [&](const StatusAnswer& answer) {
          if (answer.http_status != 200 && answer.http_status != 202) ++wrong;
          ++answered;
        });
      }
    });
  }
  std::atomic<bool> stop{false};
  std::thread ticker([&] {
    while (!stop) {
      pipeline->Tick(SteadyClock::now());
      std::this_thread::yield();
    }
  });
  std::thread answerer([&] {
    while (!stop) {
      upstream_->AnswerStats(RunningStats(first_));
      upstream_->AnswerQueries([](const std::string&) { return UpstreamOutcome::Complete(1); });
      std::this_thread::yield();
    }
  });
  for (auto& client : clients) client.join();
  // Without wait_ms, a request is answered (complete or in progress) by the next upstream answer.
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (answered < kClients * kRequestsEach && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  stop = true;
  ticker.join();
  answerer.join();
  EXPECT_EQ(answered.load(), kClients * kRequestsEach);
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace sidecar::testing
