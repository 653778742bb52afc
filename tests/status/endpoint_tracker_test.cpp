#include "status/endpoint_tracker.h"

#include <gtest/gtest.h>

#include <map>

namespace sidecar {
namespace {

using namespace std::chrono_literals;

// Collects the answers given to numbered clients.
struct Clients {
  std::map<int, StatusAnswer> answers;
  ReplyFn Client(int id) {
    return [this, id](const StatusAnswer& a) { answers[id] = a; };
  }
  void Run(Resolved resolved) {
    for (auto& [reply, answer] : resolved) reply(answer);
  }
};

const SteadyClock::time_point t0 = SteadyClock::time_point{} + 1h;

class EndpointTrackerTest : public ::testing::Test {
 protected:
  TokenBudget budget{1000};
  EndpointTracker e{budget};
  Clients c;
};

TEST_F(EndpointTrackerTest, OneQueryInFlightForAllClients) {
  for (int i = 0; i < 200; ++i) e.AddWaiter(50, std::nullopt, c.Client(i));
  EXPECT_EQ(e.StartQuery(), 50u);
  EXPECT_EQ(e.StartQuery(), std::nullopt);  // coalesced
  c.Run(e.OnOutcome(50, UpstreamOutcome::InProgress(7), t0).answers);
  EXPECT_EQ(c.answers.size(), 200u);
  EXPECT_EQ(c.answers[0].http_status, 202);
  EXPECT_EQ(c.answers[199].step, 7u);
  EXPECT_TRUE(e.idle());
}

TEST_F(EndpointTrackerTest, AsksAboutTheLowestCountFirst) {
  e.AddWaiter(30, std::nullopt, c.Client(30));
  e.AddWaiter(10, std::nullopt, c.Client(10));
  e.AddWaiter(20, std::nullopt, c.Client(20));
  ASSERT_EQ(e.StartQuery(), 10u);
  // In progress at 10: every higher count is in progress too, so everyone is answered.
  c.Run(e.OnOutcome(10, UpstreamOutcome::InProgress(std::nullopt), t0).answers);
  EXPECT_EQ(c.answers.size(), 3u);
  EXPECT_EQ(c.answers[30].http_status, 202);
  EXPECT_EQ(c.answers[30].step, std::nullopt);
}

TEST_F(EndpointTrackerTest, ClientsGetOneQueryPerInterval) {
  e.AddWaiter(10, std::nullopt, c.Client(10));
  e.AddWaiter(5, std::nullopt, c.Client(5));
  e.AddWaiter(30, std::nullopt, c.Client(30));
  ASSERT_EQ(e.StartQuery(), 5u);
  e.AddWaiter(3, std::nullopt, c.Client(3));  // arrives while the query is in flight
  c.Run(e.OnOutcome(5, UpstreamOutcome::Complete(2), t0).answers);
  EXPECT_EQ(c.answers[5].http_status, 200);
  EXPECT_EQ(c.answers[3].http_status, 200);  // below a complete count
  EXPECT_EQ(c.answers[3].step, 2u);
  EXPECT_FALSE(c.answers.count(10));
  EXPECT_EQ(e.StartQuery(), std::nullopt);  // this interval's client query is spent
  e.BeginInterval();
  ASSERT_EQ(e.StartQuery(), 10u);
  c.Run(e.OnOutcome(10, UpstreamOutcome::Complete(4), t0).answers);
  EXPECT_EQ(c.answers[10].step, 4u);
  e.BeginInterval();
  ASSERT_EQ(e.StartQuery(), 30u);
}

TEST_F(EndpointTrackerTest, TrackedTokensAskTheHighestFirstAndOneOutcomeSettlesAll) {
  for (uint64_t count = 1; count <= 1000; ++count) {
    ASSERT_EQ(e.Track(count, TokenSource::kIngress, t0), EndpointTracker::TrackResult::kTracked);
  }
  EXPECT_EQ(e.Track(7, TokenSource::kStatusRequest, t0),
            EndpointTracker::TrackResult::kAlreadyFollowed);
  EXPECT_EQ(budget.used(), 1000u);
  ASSERT_EQ(e.StartQuery(), 1000u);
  EXPECT_EQ(e.StartQuery(), std::nullopt);
  const EndpointProgress p = e.OnOutcome(1000, UpstreamOutcome::Complete(9), t0 + 250ms);
  ASSERT_EQ(p.completed.size(), 1000u);
  EXPECT_EQ(p.completed.front().latency, 250ms);
  EXPECT_EQ(p.completed.front().source, TokenSource::kIngress);
  EXPECT_EQ(e.tracked(), 0u);
  EXPECT_EQ(budget.used(), 0u);
  EXPECT_EQ(e.StartQuery(), std::nullopt);  // nothing left to ask
}

TEST_F(EndpointTrackerTest, LabelledTokensCompleteFromStepsWithoutQueries) {
  e.Track(10, TokenSource::kIngress, t0);
  e.Track(20, TokenSource::kCompletionToken, t0 + 10ms);
  e.Track(30, TokenSource::kIngress, t0 + 20ms);
  ASSERT_EQ(e.StartQuery(), 30u);  // the highest first
  c.Run(e.OnOutcome(30, UpstreamOutcome::InProgress(8), t0 + 30ms).answers);
  EXPECT_TRUE(e.WantsCompletedSteps());
  e.BeginInterval();
  ASSERT_EQ(e.StartQuery(), 10u);  // then the lowest unlabelled
  c.Run(e.OnOutcome(10, UpstreamOutcome::InProgress(5), t0 + 80ms).answers);
  e.BeginInterval();
  EXPECT_EQ(e.StartQuery(), 20u);
  c.Run(e.OnOutcome(20, UpstreamOutcome::InProgress(6), t0 + 130ms).answers);
  e.BeginInterval();
  EXPECT_EQ(e.StartQuery(), std::nullopt);  // all labelled: /stats does the rest

  EndpointProgress p = e.AdvanceCompletedSteps(5, t0 + 200ms);
  ASSERT_EQ(p.completed.size(), 1u);
  EXPECT_EQ(p.completed[0].latency, 200ms);
  p = e.AdvanceCompletedSteps(8, t0 + 300ms);
  ASSERT_EQ(p.completed.size(), 2u);
  EXPECT_EQ(p.completed[0].latency, 290ms);
  EXPECT_EQ(p.completed[0].source, TokenSource::kCompletionToken);
  EXPECT_EQ(p.completed[1].latency, 280ms);
  EXPECT_FALSE(e.WantsCompletedSteps());
}

// A multi-host pipeline: one host's /stats says nothing of the others, so labelled tokens are
// asked about (lowest first, it completes first) until the pipeline itself says complete.
TEST_F(EndpointTrackerTest, WithoutStatsLabelledTokensAreAskedAboutUntilComplete) {
  e.Track(10, TokenSource::kIngress, t0);
  e.Track(20, TokenSource::kIngress, t0);
  ASSERT_EQ(e.StartQuery(false), 20u);
  c.Run(e.OnOutcome(20, UpstreamOutcome::InProgress(6), t0).answers);
  e.BeginInterval();
  ASSERT_EQ(e.StartQuery(false), 10u);
  c.Run(e.OnOutcome(10, UpstreamOutcome::InProgress(5), t0).answers);
  e.BeginInterval();
  ASSERT_EQ(e.StartQuery(false), 10u);  // all labelled: the lowest, again
  EndpointProgress p = e.OnOutcome(10, UpstreamOutcome::Complete(5), t0 + 100ms);
  ASSERT_EQ(p.completed.size(), 1u);
  e.BeginInterval();
  ASSERT_EQ(e.StartQuery(false), 20u);
  p = e.OnOutcome(20, UpstreamOutcome::Complete(6), t0 + 200ms);
  ASSERT_EQ(p.completed.size(), 1u);
  e.BeginInterval();
  EXPECT_EQ(e.StartQuery(false), std::nullopt);
}

TEST_F(EndpointTrackerTest, ClientsAndTrackerEachHaveTheirQuery) {
  e.Track(100, TokenSource::kIngress, t0);
  e.AddWaiter(40, std::nullopt, c.Client(40));
  ASSERT_EQ(e.StartQuery(), 40u);  // a waiting client first
  c.Run(e.OnOutcome(40, UpstreamOutcome::InProgress(std::nullopt), t0).answers);
  e.AddWaiter(50, std::nullopt, c.Client(50));
  ASSERT_EQ(e.StartQuery(), 100u);  // the client's ration is spent; the tracker's is not
  c.Run(e.OnOutcome(100, UpstreamOutcome::InProgress(std::nullopt), t0).answers);
  EXPECT_FALSE(c.answers.count(50));        // 100 in progress says nothing of 50
  EXPECT_EQ(e.StartQuery(), std::nullopt);  // both rations are spent
  e.BeginInterval();
  EXPECT_EQ(e.StartQuery(), 50u);
}

TEST_F(EndpointTrackerTest, LongPollsAreWokenByTheFrontierOrExpire) {
  e.AddWaiter(10, t0 + 100ms, c.Client(1));
  e.AddWaiter(20, t0 + 1s, c.Client(2));
  e.Track(10, TokenSource::kStatusRequest, t0);
  e.Track(20, TokenSource::kStatusRequest, t0);
  ASSERT_EQ(e.StartQuery(), 10u);
  c.Run(e.OnOutcome(10, UpstreamOutcome::InProgress(3), t0).answers);
  EXPECT_TRUE(c.answers.empty());  // held
  ASSERT_EQ(e.StartQuery(), 20u);  // the tracker's query
  c.Run(e.OnOutcome(20, UpstreamOutcome::InProgress(4), t0).answers);
  EXPECT_TRUE(c.answers.empty());
  c.Run(e.Expire(t0 + 200ms));
  ASSERT_EQ(c.answers.count(1), 1u);
  EXPECT_EQ(c.answers[1].http_status, 202);
  EXPECT_EQ(c.answers[1].step, 3u);  // the label it had
  EndpointProgress p = e.AdvanceCompletedSteps(4, t0 + 300ms);
  c.Run(std::move(p.answers));
  EXPECT_EQ(c.answers[2].http_status, 200);
  EXPECT_EQ(c.answers[2].step, 4u);
  EXPECT_EQ(p.completed.size(), 2u);  // the tracked tokens completed with it
}

TEST_F(EndpointTrackerTest, AnUntrackedLongPollIsStillAskedAbout) {
  e.AddWaiter(10, t0 + 1s, c.Client(1));
  ASSERT_EQ(e.StartQuery(), 10u);
  c.Run(e.OnOutcome(10, UpstreamOutcome::InProgress(std::nullopt), t0).answers);
  ASSERT_EQ(e.StartQuery(), 10u);  // the tracker's query, for the long-poll
  c.Run(e.OnOutcome(10, UpstreamOutcome::Complete(2), t0).answers);
  EXPECT_EQ(c.answers[1].http_status, 200);
}

TEST_F(EndpointTrackerTest, ErrorsReachEveryClientButTrackedTokensStay) {
  e.AddWaiter(10, std::nullopt, c.Client(1));
  e.AddWaiter(10, t0 + 1h, c.Client(2));
  e.Track(10, TokenSource::kStatusRequest, t0);
  ASSERT_EQ(e.StartQuery(), 10u);
  c.Run(e.OnOutcome(10,
                    UpstreamOutcome::Error(
                        ApiError::Unreachable("p", "GET /completion_status", "refused", 1)),
                    t0)
            .answers);
  EXPECT_EQ(c.answers[1].http_status, 503);
  EXPECT_EQ(c.answers[2].http_status, 503);
  EXPECT_EQ(e.tracked(), 1u);
  EXPECT_EQ(e.StartQuery(), 10u);  // the tracker asks on
}

TEST_F(EndpointTrackerTest, ACompleteTokenIsNotTracked) {
  e.AddWaiter(10, std::nullopt, c.Client(1));
  ASSERT_EQ(e.StartQuery(), 10u);
  c.Run(e.OnOutcome(10, UpstreamOutcome::Complete(1), t0).answers);
  EXPECT_EQ(e.Track(9, TokenSource::kIngress, t0), EndpointTracker::TrackResult::kAlreadyFollowed);
  EXPECT_EQ(e.tracked(), 0u);
}

TEST(EndpointTrackerBudget, OverflowIsRefusedAndPlacesComeBack) {
  TokenBudget budget(2);
  {
    EndpointTracker a(budget);
    EndpointTracker b(budget);
    EXPECT_EQ(a.Track(1, TokenSource::kIngress, t0), EndpointTracker::TrackResult::kTracked);
    EXPECT_EQ(b.Track(1, TokenSource::kIngress, t0), EndpointTracker::TrackResult::kTracked);
    EXPECT_EQ(a.Track(2, TokenSource::kIngress, t0), EndpointTracker::TrackResult::kOverflow);
    EXPECT_EQ(budget.used(), 2u);
    b.OnOutcome(1, UpstreamOutcome::Complete(1), t0);  // a completion gives a place back
    EXPECT_EQ(a.Track(2, TokenSource::kIngress, t0), EndpointTracker::TrackResult::kTracked);
  }
  EXPECT_EQ(budget.used(), 0u);  // dropping a tracker (an ended incarnation) gives all back
}

}  // namespace
}  // namespace sidecar
