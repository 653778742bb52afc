#include "pipeline/pod_transition.h"

#include <gtest/gtest.h>

namespace sidecar {
namespace {

const WallClock::time_point kNow = WallClock::now();

PodObservation Pod(const std::string& uid, const std::string& container_id, int64_t restarts) {
  PodObservation pod;
  pod.namespace_name = "feldera";
  pod.pod_name = "pipeline-0196b120-6203-7b90-b6bd-16890df15e28-0";
  pod.uid = uid;
  pod.phase = "Running";
  pod.pod_ip = "10.0.0.7";
  pod.port = 8080;
  ContainerObservation c;
  c.name = "pipeline";
  c.container_id = container_id;
  c.restart_count = restarts;
  c.state = RunningState{"2026-01-01T00:00:00Z"};
  pod.container = c;
  return pod;
}

void Apply(IncarnationHistory& h, const PodTransition& t) {
  ApplyToHistory(h, t, kNow);
}

TEST(PodTransition, FirstRunningPodBegins) {
  IncarnationHistory h;
  PodTransition t = ApplyPodChange(h, Pod("uid-1", "containerd://a", 0), kNow);
  EXPECT_TRUE(t.begin);
  EXPECT_FALSE(t.end);
  EXPECT_TRUE(t.running);
  EXPECT_EQ(t.pod_ip, "10.0.0.7");
}

TEST(PodTransition, PendingPodDoesNotBegin) {
  IncarnationHistory h;
  PodObservation pod = Pod("uid-1", "", 0);
  pod.container->state = WaitingState{"ContainerCreating"};
  PodTransition t = ApplyPodChange(h, pod, kNow);
  EXPECT_FALSE(t.begin);
  EXPECT_FALSE(t.running);
}

TEST(PodTransition, ContainerRestartEndsWithLastStateAndBegins) {
  IncarnationHistory h;
  Apply(h, ApplyPodChange(h, Pod("uid-1", "containerd://a", 0), kNow));
  PodObservation restarted = Pod("uid-1", "containerd://b", 1);
  restarted.container->last_terminated =
      TerminatedState{"OOMKilled", 137, "", "2026-01-01T00:05:00Z", "containerd://a"};
  PodTransition t = ApplyPodChange(h, restarted, kNow);
  ASSERT_TRUE(t.end);
  EXPECT_EQ(t.end->reason, "OOMKilled");
  EXPECT_EQ(t.end->exit_code, 137);
  EXPECT_EQ(t.end->finished_at, "2026-01-01T00:05:00Z");
  EXPECT_TRUE(t.begin);
}

TEST(PodTransition, TerminatedContainerEndsAtOnceWhileNothingRuns) {
  IncarnationHistory h;
  Apply(h, ApplyPodChange(h, Pod("uid-1", "containerd://a", 0), kNow));
  PodObservation dead = Pod("uid-1", "containerd://a", 0);
  dead.container->state = TerminatedState{"OOMKilled", 137, "", "2026-01-01T00:05:00Z", ""};
  PodTransition t = ApplyPodChange(h, dead, kNow);
  ASSERT_TRUE(t.end);
  EXPECT_EQ(t.end->reason, "OOMKilled");
  EXPECT_FALSE(t.begin);
  EXPECT_FALSE(t.running);
  Apply(h, t);
  // The restart that follows begins a new incarnation but ends nothing more.
  PodObservation back = Pod("uid-1", "containerd://b", 1);
  back.container->last_terminated = TerminatedState{"OOMKilled", 137, "", "", ""};
  PodTransition next = ApplyPodChange(h, back, kNow);
  EXPECT_TRUE(next.begin);
  EXPECT_FALSE(next.end);
}

TEST(PodTransition, RecreatedPodWithNewUidEndsAsDeleted) {
  IncarnationHistory h;
  Apply(h, ApplyPodChange(h, Pod("uid-1", "containerd://a", 0), kNow));
  PodTransition t = ApplyPodChange(h, Pod("uid-2", "containerd://c", 0), kNow);
  ASSERT_TRUE(t.end);
  EXPECT_EQ(t.end->reason, "Deleted");
  EXPECT_TRUE(t.begin);
}

TEST(PodTransition, EvictionEndsWithReasonEvicted) {
  IncarnationHistory h;
  Apply(h, ApplyPodChange(h, Pod("uid-1", "containerd://a", 0), kNow));
  PodObservation evicted = Pod("uid-1", "containerd://a", 0);
  evicted.phase = "Failed";
  evicted.reason = "Evicted";
  evicted.message = "The node was low on resource: memory.";
  evicted.container->state = TerminatedState{"ContainerStatusUnknown", 137, "", "", ""};
  PodTransition t = ApplyPodChange(h, evicted, kNow);
  ASSERT_TRUE(t.end);
  EXPECT_EQ(t.end->reason, "Evicted");
  EXPECT_EQ(t.end->message, "The node was low on resource: memory.");
  EXPECT_FALSE(t.running);
}

TEST(PodTransition, DeletionEnds) {
  IncarnationHistory h;
  Apply(h, ApplyPodChange(h, Pod("uid-1", "containerd://a", 0), kNow));
  PodTransition t = ApplyPodDeletion(h, Pod("uid-1", "containerd://a", 0), kNow);
  ASSERT_TRUE(t.end);
  EXPECT_EQ(t.end->reason, "Deleted");
  PodObservation terminating = Pod("uid-1", "containerd://a", 0);
  terminating.deleting = true;
  EXPECT_EQ(ApplyPodChange(h, terminating, kNow).end->reason, "Deleted");
}

TEST(PodTransition, NothingNewIsNoTransition) {
  IncarnationHistory h;
  Apply(h, ApplyPodChange(h, Pod("uid-1", "containerd://a", 0), kNow));
  PodTransition t = ApplyPodChange(h, Pod("uid-1", "containerd://a", 0), kNow);
  EXPECT_FALSE(t.end);
  EXPECT_FALSE(t.begin);
  EXPECT_TRUE(t.running);
}

TEST(PodTransition, AdoptsAnIncarnationBegunFromStats) {
  IncarnationHistory h;
  Apply(h, ApplyPodChange(h, Pod("uid-1", "containerd://a", 0), kNow));
  // /stats showed a new incarnation before Kubernetes showed the restart.
  Incarnation from_stats;
  from_stats.uuid = Uuid::NewV7();
  from_stats.first_seen = kNow;
  h.Begin(from_stats, IncarnationEnd{kNow, "Restarted", std::nullopt, "", ""});
  PodObservation restarted = Pod("uid-1", "containerd://b", 1);
  restarted.container->last_terminated = TerminatedState{"Error", 1, "", "", ""};
  PodTransition t = ApplyPodChange(h, restarted, kNow);
  EXPECT_TRUE(t.adopt);
  EXPECT_FALSE(t.begin);
  EXPECT_FALSE(t.end);
  ASSERT_TRUE(t.previous_end);
  EXPECT_EQ(t.previous_end->reason, "Error");
  Apply(h, t);
  ASSERT_EQ(h.entries().size(), 2u);
  EXPECT_EQ(h.entries()[0].container_id, "containerd://b");
  EXPECT_EQ(h.entries()[0].uuid, from_stats.uuid);
  EXPECT_EQ(h.entries()[1].end->reason, "Error");
}

// An incarnation begun from /stats that started before the old container finished ran in that
// container (an in-process restart, never seen by Kubernetes): the container's end is its end.
// One that started in the same second stays undecided and is adopted, since Kubernetes' times
// have whole seconds only.
TEST(PodTransition, AnIncarnationBegunInProcessEndsWithItsContainer) {
  for (const auto& [start, ends] :
       {std::pair{"2026-01-01T00:00:04.500Z", true}, std::pair{"2026-01-01T00:00:05.200Z", false},
        std::pair{"", false}}) {
    SCOPED_TRACE(start);
    IncarnationHistory h;
    Apply(h, ApplyPodChange(h, Pod("uid-1", "containerd://a", 0), kNow));
    Incarnation in_process;
    in_process.uuid = Uuid::NewV7();
    in_process.start_time = start;
    in_process.first_seen = kNow;
    h.Begin(in_process, IncarnationEnd{kNow, "Restarted", std::nullopt, "", ""});
    PodObservation restarted = Pod("uid-1", "containerd://b", 1);
    restarted.container->last_terminated =
        TerminatedState{"OOMKilled", 137, "2026-01-01T00:00:00Z", "2026-01-01T00:00:05Z", ""};
    const PodTransition t = ApplyPodChange(h, restarted, kNow);
    EXPECT_EQ(t.adopt, !ends);
    EXPECT_EQ(t.begin, ends);
    ASSERT_EQ(t.end.has_value(), ends);
    if (ends) {
      EXPECT_EQ(t.end->reason, "OOMKilled");
      EXPECT_EQ(t.end->exit_code, 137);
      Apply(h, t);
      ASSERT_EQ(h.entries().size(), 3u);
      EXPECT_EQ(h.entries()[1].uuid, in_process.uuid);
      EXPECT_EQ(h.entries()[1].end->reason, "OOMKilled");
    }
  }
}

// Two in-process restarts in a row: the container the newest ran in is the one the last bound
// incarnation ran in, even though the one in between was never bound to it.
TEST(PodTransition, AChainOfInProcessIncarnationsEndsWithTheirContainer) {
  IncarnationHistory h;
  Apply(h, ApplyPodChange(h, Pod("uid-1", "containerd://a", 0), kNow));
  for (const char* start : {"2026-01-01T00:00:03.000Z", "2026-01-01T00:00:04.000Z"}) {
    Incarnation in_process;
    in_process.uuid = Uuid::NewV7();
    in_process.start_time = start;
    in_process.first_seen = kNow;
    h.Begin(in_process, IncarnationEnd{kNow, "Restarted", std::nullopt, "", ""});
  }
  PodObservation restarted = Pod("uid-1", "containerd://b", 1);
  restarted.container->last_terminated =
      TerminatedState{"Error", 1, "2026-01-01T00:00:00Z", "2026-01-01T00:00:05Z", ""};
  const PodTransition t = ApplyPodChange(h, restarted, kNow);
  EXPECT_FALSE(t.adopt);
  ASSERT_TRUE(t.end.has_value());
  EXPECT_EQ(t.end->reason, "Error");
  EXPECT_TRUE(t.begin);
}

TEST(PodTransition, KubernetesTellsHowAnIncarnationThePipelineEndedEnded) {
  IncarnationHistory h;
  Apply(h, ApplyPodChange(h, Pod("uid-1", "containerd://a", 0), kNow));
  // The pipeline answered 410 first: the service ended the incarnation without details.
  h.EndCurrent(IncarnationEnd{kNow, "Restarted", std::nullopt, "", ""});
  PodObservation restarted = Pod("uid-1", "containerd://b", 1);
  restarted.container->last_terminated = TerminatedState{"OOMKilled", 137, "", "t", ""};
  PodTransition t = ApplyPodChange(h, restarted, kNow);
  EXPECT_TRUE(t.begin);
  EXPECT_FALSE(t.end);
  Apply(h, t);
  ASSERT_EQ(h.entries().size(), 2u);
  EXPECT_EQ(h.entries()[1].end->reason, "OOMKilled");
  EXPECT_EQ(h.entries()[1].end->exit_code, 137);
}

TEST(IncarnationHistory, JsonRoundTrip) {
  IncarnationHistory h(4);
  Incarnation a;
  a.uuid = Uuid::NewV7();
  a.first_seen = WallClock::time_point(std::chrono::milliseconds(1000));
  a.pod_uid = "uid-1";
  a.container_id = "containerd://a";
  a.restart_count = 2;
  h.Begin(a, {});
  h.EndCurrent(IncarnationEnd{WallClock::time_point(std::chrono::milliseconds(2000)), "OOMKilled",
                              137, "2026-01-01T00:00:00Z", "m"});
  IncarnationHistory back = IncarnationHistory::FromJson(h.ToJson(), 4);
  ASSERT_EQ(back.entries().size(), 1u);
  EXPECT_EQ(back.ToJson().serialize(), h.ToJson().serialize());
  EXPECT_EQ(back.entries()[0].restart_count, 2);
  EXPECT_TRUE(IncarnationHistory::FromJson(web::json::value::string("x"), 4).entries().empty());
}

}  // namespace
}  // namespace sidecar
