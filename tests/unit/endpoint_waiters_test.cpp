#include "status/endpoint_waiters.h"

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

TEST(EndpointWaiters, OneQueryInFlightForAllClients) {
  EndpointWaiters w;
  Frontier f;
  Clients c;
  for (int i = 0; i < 200; ++i) w.Add(50, std::nullopt, c.Client(i));
  EXPECT_EQ(w.StartQuery(false), 50u);
  EXPECT_EQ(w.StartQuery(false), std::nullopt);  // coalesced
  c.Run(w.OnOutcome(50, UpstreamOutcome::InProgress(7), f));
  EXPECT_EQ(c.answers.size(), 200u);
  EXPECT_EQ(c.answers[0].http_status, 202);
  EXPECT_EQ(c.answers[199].step, 7u);
  EXPECT_TRUE(w.empty());
}

TEST(EndpointWaiters, AsksAboutTheLowestCountFirst) {
  EndpointWaiters w;
  Frontier f;
  Clients c;
  w.Add(30, std::nullopt, c.Client(30));
  w.Add(10, std::nullopt, c.Client(10));
  w.Add(20, std::nullopt, c.Client(20));
  ASSERT_EQ(w.StartQuery(false), 10u);
  // In progress at 10: every higher count is in progress too, so everyone is answered.
  c.Run(w.OnOutcome(10, UpstreamOutcome::InProgress(std::nullopt), f));
  EXPECT_EQ(c.answers.size(), 3u);
  EXPECT_EQ(c.answers[30].http_status, 202);
  EXPECT_EQ(c.answers[30].step, std::nullopt);
}

TEST(EndpointWaiters, CompleteSettlesLowerCountsAndAsksOnForHigher) {
  EndpointWaiters w;
  Frontier f;
  Clients c;
  w.Add(10, std::nullopt, c.Client(10));
  w.Add(5, std::nullopt, c.Client(5));
  w.Add(30, std::nullopt, c.Client(30));
  ASSERT_EQ(w.StartQuery(false), 5u);
  w.Add(3, std::nullopt, c.Client(3));  // arrives while the query is in flight
  c.Run(w.OnOutcome(5, UpstreamOutcome::Complete(2), f));
  EXPECT_EQ(c.answers[5].http_status, 200);
  EXPECT_EQ(c.answers[3].http_status, 200);  // below a complete count
  EXPECT_EQ(c.answers[3].step, 2u);
  EXPECT_FALSE(c.answers.count(10));
  ASSERT_EQ(w.StartQuery(false), 10u);
  c.Run(w.OnOutcome(10, UpstreamOutcome::Complete(4), f));
  EXPECT_EQ(c.answers[10].step, 4u);
  ASSERT_EQ(w.StartQuery(false), 30u);
}

TEST(EndpointWaiters, LongPollsWaitForCompletionOrDeadline) {
  EndpointWaiters w;
  Frontier f;
  Clients c;
  const auto t0 = SteadyClock::time_point{} + 1h;
  w.Add(10, t0 + 100ms, c.Client(1));
  w.Add(20, t0 + 1s, c.Client(2));
  ASSERT_EQ(w.StartQuery(false), 10u);
  c.Run(w.OnOutcome(10, UpstreamOutcome::InProgress(3), f));
  EXPECT_TRUE(c.answers.empty());                // held
  EXPECT_EQ(w.StartQuery(false), std::nullopt);  // nothing new to ask outside ticks
  ASSERT_EQ(w.StartQuery(true), 10u);            // a tick asks again
  c.Run(w.OnOutcome(10, UpstreamOutcome::InProgress(3), f));
  c.Run(w.Expire(t0 + 200ms, f));
  ASSERT_EQ(c.answers.count(1), 1u);
  EXPECT_EQ(c.answers[1].http_status, 202);
  EXPECT_EQ(c.answers[1].step, 3u);  // the label it had
  ASSERT_EQ(w.StartQuery(true), 20u);
  c.Run(w.OnOutcome(20, UpstreamOutcome::Complete(5), f));
  EXPECT_EQ(c.answers[2].http_status, 200);
  EXPECT_TRUE(w.empty());
}

TEST(EndpointWaiters, FrontierAdvanceWakesLongPolls) {
  EndpointWaiters w;
  Frontier f;
  Clients c;
  w.Add(10, SteadyClock::now() + 1h, c.Client(1));
  ASSERT_EQ(w.StartQuery(false), 10u);
  c.Run(w.OnOutcome(10, UpstreamOutcome::InProgress(3), f));
  f.AdvanceCompletedSteps(3);
  c.Run(w.ResolveFromFrontier(f));
  EXPECT_EQ(c.answers[1].http_status, 200);
  EXPECT_EQ(c.answers[1].step, 3u);
}

TEST(EndpointWaiters, ErrorsReachEveryone) {
  EndpointWaiters w;
  Frontier f;
  Clients c;
  w.Add(10, std::nullopt, c.Client(1));
  w.Add(10, SteadyClock::now() + 1h, c.Client(2));
  ASSERT_EQ(w.StartQuery(false), 10u);
  c.Run(w.OnOutcome(10, UpstreamOutcome::Error(ApiError::Unreachable("p", "refused", 1)), f));
  EXPECT_EQ(c.answers[1].http_status, 503);
  EXPECT_EQ(c.answers[2].http_status, 503);
  EXPECT_FALSE(w.query_in_flight());
}

}  // namespace
}  // namespace sidecar
