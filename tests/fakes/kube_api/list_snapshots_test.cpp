#include "fakes/kube_api/list_snapshots.h"

#include <gtest/gtest.h>

namespace sidecar::testing::kubefake {
namespace {

ObjectMap Objects(const std::vector<std::string>& keys) {
  ObjectMap objects;
  for (const std::string& key : keys) {
    objects[key] = std::make_shared<const web::json::value>(web::json::value::string(key));
  }
  return objects;
}

TEST(ListSnapshots, KeepsTheStateSharingItsObjects) {
  ListSnapshots snapshots;
  ObjectMap current = Objects({"ns/a", "ns/b"});
  snapshots.Keep("pods", 7, current);
  current.erase("ns/a");
  current["ns/c"] = std::make_shared<const web::json::value>(web::json::value::string("c"));

  const auto kept = snapshots.Find("pods", 7);
  ASSERT_TRUE(kept);
  ASSERT_EQ(kept->size(), 2u);
  EXPECT_EQ(kept->at("ns/b"), current.at("ns/b"));  // the same object, not a copy
  EXPECT_FALSE(snapshots.Find("pods", 8));
  EXPECT_FALSE(snapshots.Find("configmaps", 7));

  // A second list at the same revision reads the snapshot already kept.
  snapshots.Keep("pods", 7, current);
  EXPECT_EQ(snapshots.Find("pods", 7), kept);
  EXPECT_EQ(snapshots.size(), 1u);
}

TEST(ListSnapshots, ForgetsTheOldestPastItsCapacity) {
  ListSnapshots snapshots(/*capacity=*/2);
  snapshots.Keep("pods", 3, Objects({"ns/a"}));
  snapshots.Keep("configmaps", 4, Objects({"ns/b"}));
  snapshots.Keep("pods", 5, Objects({"ns/c"}));
  EXPECT_EQ(snapshots.size(), 2u);
  EXPECT_FALSE(snapshots.Find("pods", 3));
  EXPECT_TRUE(snapshots.Find("configmaps", 4));
  EXPECT_TRUE(snapshots.Find("pods", 5));

  snapshots.Clear();
  EXPECT_FALSE(snapshots.Find("pods", 5));
}

}  // namespace
}  // namespace sidecar::testing::kubefake
