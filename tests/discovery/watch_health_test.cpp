#include "discovery/watch_health.h"

#include <gtest/gtest.h>

namespace sidecar {
namespace {

using kube::RequestOutcome;
using kube::WatchRestartReason;

// Counts what reaches the next observer.
struct Counting : kube::ReflectorObserver {
  int lists = 0, watches = 0, restarts = 0, events = 0;
  void OnListRequest(RequestOutcome) override { ++lists; }
  void OnWatchRequest(RequestOutcome) override { ++watches; }
  void OnWatchRestart(WatchRestartReason) override { ++restarts; }
  void OnWatchEvent(kube::WatchEventType) override { ++events; }
};

TEST(WatchHealth, NotCurrentUntilTheFirstSuccessfulRequest) {
  WatchHealth health;
  EXPECT_FALSE(health.current());
  EXPECT_TRUE(health.stale_since().has_value());
  health.OnListRequest(RequestOutcome::kOk);
  EXPECT_TRUE(health.current());
  EXPECT_FALSE(health.stale_since().has_value());
}

TEST(WatchHealth, FailuresMakeItStaleUntilARequestSucceeds) {
  WatchHealth health;
  health.OnListRequest(RequestOutcome::kOk);
  health.OnWatchRequest(RequestOutcome::kOk);
  health.OnWatchRestart(WatchRestartReason::kClosed);  // the server's routine timeout
  EXPECT_TRUE(health.current());
  health.OnWatchRestart(WatchRestartReason::kDropped);
  EXPECT_FALSE(health.current());
  const auto since = health.stale_since();
  ASSERT_TRUE(since.has_value());
  health.OnWatchRequest(RequestOutcome::kServerError);
  health.OnListRequest(RequestOutcome::kThrottled);
  EXPECT_EQ(health.stale_since(), since);  // stale since the first failure, not the last
  health.OnWatchRequest(RequestOutcome::kOk);
  EXPECT_TRUE(health.current());
}

TEST(WatchHealth, PassesEveryReportOn) {
  Counting next;
  WatchHealth health(&next);
  health.OnListRequest(RequestOutcome::kOk);
  health.OnWatchRequest(RequestOutcome::kTransportError);
  health.OnWatchRestart(WatchRestartReason::kStalled);
  health.OnWatchEvent(kube::WatchEventType::kAdded);
  EXPECT_EQ(next.lists + next.watches + next.restarts + next.events, 4);
}

}  // namespace
}  // namespace sidecar
