#include "pipeline/stats_transition.h"

#include <gtest/gtest.h>

namespace sidecar::testing {
namespace {

using namespace std::chrono_literals;

StatsSnapshot Stats(const Uuid& incarnation, bool resumed = false) {
  StatsSnapshot stats;
  stats.incarnation = incarnation;
  stats.start_time = "2026-12-03T10:00:05Z";
  stats.initial_start_time = resumed ? "2026-12-03T09:00:00Z" : stats.start_time;
  stats.resumed_from_checkpoint = resumed;
  return stats;
}

class StatsTransitionTest : public ::testing::Test {
 protected:
  const WallClock::time_point now_ = WallClock::now();
  const Uuid first_ = Uuid::NewV7(now_ - 1h);
  const Uuid second_ = Uuid::NewV7(now_);
  IncarnationHistory history_;
};

TEST_F(StatsTransitionTest, TheFirstAnswerBeginsAnIncarnation) {
  const StatsTransition t = ApplyStats(history_, Stats(first_), now_);
  EXPECT_TRUE(t.began);
  EXPECT_FALSE(t.named);
  EXPECT_EQ(t.previous, "none");
  ASSERT_NE(history_.Current(), nullptr);
  EXPECT_EQ(history_.Current()->uuid, first_);
}

TEST_F(StatsTransitionTest, AnIncarnationKubernetesBeganGetsItsUuidAndTimes) {
  Incarnation from_pod;
  from_pod.pod_uid = "pod-1";
  from_pod.container_id = "containerd://a";
  history_.Begin(from_pod, {});
  const StatsTransition t = ApplyStats(history_, Stats(first_, /*resumed=*/true), now_);
  EXPECT_TRUE(t.named);
  EXPECT_FALSE(t.began);
  EXPECT_TRUE(t.history_changed());
  EXPECT_EQ(history_.Current()->uuid, first_);
  EXPECT_TRUE(history_.Current()->resumed_from_checkpoint);
  EXPECT_EQ(history_.entries().size(), 1u);
}

TEST_F(StatsTransitionTest, ANewUuidEndsTheCurrentOneAsRestarted) {
  ApplyStats(history_, Stats(first_), now_);
  const StatsTransition t = ApplyStats(history_, Stats(second_), now_ + 1s);
  EXPECT_TRUE(t.began);
  EXPECT_EQ(t.previous, first_.ToString());
  const Incarnation* ended = history_.Find(first_);
  ASSERT_NE(ended, nullptr);
  ASSERT_TRUE(ended->end);
  EXPECT_EQ(ended->end->reason, "Restarted");
  EXPECT_EQ(history_.Current()->uuid, second_);
}

TEST_F(StatsTransitionTest, KnownOrEndedIncarnationsChangeNothing) {
  ApplyStats(history_, Stats(first_), now_);
  ApplyStats(history_, Stats(second_), now_ + 1s);
  EXPECT_FALSE(ApplyStats(history_, Stats(second_), now_ + 2s).history_changed());
  // A late answer from the ended one.
  EXPECT_FALSE(ApplyStats(history_, Stats(first_), now_ + 3s).history_changed());
  EXPECT_EQ(history_.Current()->uuid, second_);
  EXPECT_EQ(history_.entries().size(), 2u);
}

}  // namespace
}  // namespace sidecar::testing
