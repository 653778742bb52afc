#include "status/history_merge.h"

#include <gtest/gtest.h>

namespace sidecar {
namespace {

WallClock::time_point At(int64_t ms) {
  return WallClock::time_point(std::chrono::milliseconds(ms));
}

Incarnation Process(int64_t first_seen_ms, const std::string& container) {
  Incarnation i;
  i.first_seen = At(first_seen_ms);
  i.pod_uid = "uid-1";
  i.container_id = container;
  i.restart_count = 0;
  return i;
}

IncarnationHistory Of(std::vector<Incarnation> newest_first) {
  web::json::value list = web::json::value::array();
  for (size_t i = 0; i < newest_first.size(); ++i) list[i] = newest_first[i].ToJson();
  return IncarnationHistory::FromJson(list, 32);
}

TEST(MergeHistories, SameProcessSeenByTwoReplicasIsOneEntry) {
  Incarnation a = Process(1000, "c1");
  Incarnation b = Process(1005, "c1");
  b.uuid = Uuid::NewV7(At(990));
  b.end = IncarnationEnd{At(2000), "OOMKilled", 137, "2026-01-01T00:00:00Z", ""};
  IncarnationHistory merged = MergeHistories(Of({a}), Of({b}), 32);
  ASSERT_EQ(merged.entries().size(), 1u);
  const Incarnation& m = merged.entries()[0];
  EXPECT_EQ(m.uuid, b.uuid);
  EXPECT_EQ(m.first_seen, At(1000));
  ASSERT_TRUE(m.end);
  EXPECT_EQ(m.end->reason, "OOMKilled");
}

TEST(MergeHistories, KubernetesDetailsWinOverARestartSeenInStats) {
  Incarnation a = Process(1000, "c1");
  a.end = IncarnationEnd{At(1500), "Restarted", std::nullopt, "", ""};
  Incarnation b = Process(1000, "c1");
  b.end = IncarnationEnd{At(1600), "Error", 1, "2026-01-01T00:00:00Z", ""};
  EXPECT_EQ(MergeHistories(Of({a}), Of({b}), 32).entries()[0].end->reason, "Error");
  EXPECT_EQ(MergeHistories(Of({b}), Of({a}), 32).entries()[0].end->reason, "Error");
}

TEST(MergeHistories, UnionIsNewestFirstBoundedAndOnlyTheNewestRuns) {
  Incarnation old = Process(1000, "c1");
  Incarnation mid = Process(2000, "c2");
  Incarnation now = Process(3000, "c3");
  IncarnationHistory merged = MergeHistories(Of({now, old}), Of({mid}), 32);
  ASSERT_EQ(merged.entries().size(), 3u);
  EXPECT_EQ(merged.entries()[0].container_id, "c3");
  EXPECT_EQ(merged.entries()[1].container_id, "c2");
  EXPECT_FALSE(merged.entries()[0].ended());
  EXPECT_TRUE(merged.entries()[1].ended());
  EXPECT_TRUE(merged.entries()[2].ended());
  EXPECT_EQ(MergeHistories(Of({now, old}), Of({mid}), 2).entries().size(), 2u);
}

}  // namespace
}  // namespace sidecar
