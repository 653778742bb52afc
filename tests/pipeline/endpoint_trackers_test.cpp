#include "pipeline/endpoint_trackers.h"

#include <gtest/gtest.h>

#include <map>

namespace sidecar {
namespace {

using namespace std::chrono_literals;

const SteadyClock::time_point t0 = SteadyClock::time_point{} + 1h;
const Uuid kOld = *Uuid::Parse("0196b120-6203-7b90-b6bd-16890df15e28");
const Uuid kCurrent = *Uuid::Parse("0196b120-7000-7b90-b6bd-16890df15e29");

class EndpointTrackersTest : public ::testing::Test {
 protected:
  EndpointTrackersTest() {
    Incarnation old;
    old.uuid = kOld;
    history.Begin(old, {});
    Incarnation current;
    current.uuid = kCurrent;
    history.Begin(current, IncarnationEnd{WallClock::now(), "OOMKilled", 137, "", ""});
  }

  // A client whose answer lands in answers[id] once the effects' answers are run.
  ReplyFn Client(int id) {
    return [this, id](const StatusAnswer& a) { answers[id] = a; };
  }
  void RunAnswers() {
    for (auto& [reply, answer] : effects.answers) reply(answer);
    effects.answers.clear();
  }

  std::shared_ptr<TokenBudget> budget = std::make_shared<TokenBudget>(3);
  EndpointTrackers trackers{budget};
  IncarnationHistory history;
  PipelineEffects effects;
  std::map<int, StatusAnswer> answers;
};

TEST_F(EndpointTrackersTest, TokensPastTheBudgetAreCountedAsAbandoned) {
  for (uint64_t count = 1; count <= 5; ++count) {
    trackers.Track({kCurrent, 0}, count, TokenSource::kIngress, t0, effects);
  }
  trackers.Track({kCurrent, 0}, 2, TokenSource::kStatusRequest, t0, effects);  // already followed
  EXPECT_EQ(trackers.tracked(), 3u);
  EXPECT_EQ(effects.tracked, 3u);
  EXPECT_EQ(effects.abandoned_overflow, 2u);
  EXPECT_EQ(budget->used(), 3u);
}

TEST_F(EndpointTrackersTest, AnEndedIncarnationsWaitersGet410AndItsTokensAreDropped) {
  trackers.At({kOld, 0}).AddWaiter(4, std::nullopt, Client(1));
  trackers.Track({kOld, 0}, 4, TokenSource::kStatusRequest, t0, effects);
  trackers.Track({kOld, 1}, 9, TokenSource::kIngress, t0, effects);
  trackers.At({kCurrent, 0}).AddWaiter(2, std::nullopt, Client(2));
  trackers.Track({kCurrent, 0}, 2, TokenSource::kStatusRequest, t0, effects);
  effects = {};

  trackers.EndAllButCurrent("orders", history, effects);
  RunAnswers();
  ASSERT_EQ(answers.count(1), 1u);
  EXPECT_EQ(answers[1].http_status, 410);
  EXPECT_EQ(answers.count(2), 0u);  // the current incarnation's client still waits
  EXPECT_EQ(effects.abandoned_ended, 2u);
  EXPECT_EQ(effects.tracked, 1u);
  EXPECT_EQ(trackers.Find({kOld, 0}), nullptr);
  EXPECT_NE(trackers.Find({kCurrent, 0}), nullptr);
  EXPECT_EQ(budget->used(), 1u);
}

TEST_F(EndpointTrackersTest, AnIntervalExpiresLongPollsAndQueuesAQueryCheckPerEndpoint) {
  trackers.At({kCurrent, 0}).AddWaiter(3, t0 + 1s, Client(1));
  trackers.At({kCurrent, 1}).AddWaiter(3, t0 + 5s, Client(2));

  EXPECT_FALSE(trackers.BeginInterval(t0 + 2s, history.Current(), true, effects));
  RunAnswers();
  ASSERT_EQ(answers.count(1), 1u);
  EXPECT_EQ(answers[1].http_status, 202);  // its deadline passed: answered as it stands
  EXPECT_EQ(answers.count(2), 0u);
  const std::vector<EndpointKey> both{{kCurrent, 0}, {kCurrent, 1}};
  EXPECT_EQ(effects.queries, both);
}

// A token labelled by its connector completes from /stats' completed steps, which only the current
// incarnation's /stats reports, and never for a multi-host pipeline.
TEST_F(EndpointTrackersTest, StepsAreAwaitedOnlyForTheCurrentIncarnationsLabelledTokens) {
  const EndpointKey current{kCurrent, 0};
  trackers.Track(current, 7, TokenSource::kIngress, t0, effects);
  ASSERT_EQ(trackers.At(current).StartQuery(), 7u);
  RunAnswers();
  trackers.AddProgress(trackers.At(current).OnOutcome(7, UpstreamOutcome::InProgress(3), t0 + 10ms),
                       effects);
  ASSERT_TRUE(trackers.At(current).WantsCompletedSteps());

  EXPECT_TRUE(trackers.BeginInterval(t0 + 1s, history.Current(), true, effects));
  EXPECT_FALSE(trackers.BeginInterval(t0 + 2s, history.Current(), false, effects));
  EXPECT_FALSE(trackers.BeginInterval(t0 + 3s, nullptr, true, effects));

  effects = {};
  trackers.AdvanceCompletedSteps(kOld, 10, t0 + 4s, effects);  // another incarnation's steps
  EXPECT_TRUE(effects.completed.empty());
  trackers.AdvanceCompletedSteps(kCurrent, 3, t0 + 4s, effects);
  ASSERT_EQ(effects.completed.size(), 1u);
  EXPECT_EQ(effects.completed[0].latency, 4s);
  EXPECT_EQ(effects.tracked, 0u);
}

TEST_F(EndpointTrackersTest, ARemovedEndpointsTokensAreAbandoned) {
  trackers.Track({kCurrent, 4}, 1, TokenSource::kIngress, t0, effects);
  trackers.Track({kCurrent, 4}, 2, TokenSource::kIngress, t0, effects);
  effects = {};
  trackers.RemoveEndpoint({kCurrent, 4}, effects);
  EXPECT_EQ(effects.abandoned_endpoint, 2u);
  EXPECT_EQ(effects.tracked, 0u);
  EXPECT_EQ(trackers.Find({kCurrent, 4}), nullptr);
  EXPECT_EQ(budget->used(), 0u);
}

// At shutdown nobody is left waiting: a long-poll gets its in-progress answer, a request waiting
// for upstream's answer (none is coming) the error it is given.
TEST_F(EndpointTrackersTest, ReleasingAnswersEveryHeldRequest) {
  trackers.At({kOld, 0}).AddWaiter(1, t0 + 30s, Client(1));
  trackers.At({kCurrent, 2}).AddWaiter(1, std::nullopt, Client(2));
  effects.answers = trackers.ReleaseWaiters(
      ApiError::Unreachable("orders", "GET /completion_status", "the service is stopping", 1));
  RunAnswers();
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[1].http_status, 202);
  EXPECT_EQ(answers[2].http_status, 503);
}

}  // namespace
}  // namespace sidecar
