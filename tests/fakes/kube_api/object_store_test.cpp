#include "fakes/kube_api/object_store.h"

#include <gtest/gtest.h>

#include "fakes/kube_api/object_fields.h"

namespace sidecar::testing::kubefake {
namespace {

web::json::value Object(const std::string& name, const std::string& data) {
  web::json::value object = web::json::value::object();
  object["metadata"]["name"] = web::json::value::string(name);
  object["metadata"]["namespace"] = web::json::value::string("ns");
  object["data"] = web::json::value::string(data);
  return object;
}

TEST(ObjectStore, EveryWriteTakesTheNextGlobalRevision) {
  ObjectStore store;
  EXPECT_EQ(store.CurrentVersion(), ObjectStore::kInitialVersion);
  const auto& added = store.Put("pods", "ns/a", Object("a", "1"));
  EXPECT_EQ(added.type, StoredEvent::Type::kAdded);
  EXPECT_EQ(added.resource_version, 2);
  EXPECT_EQ(ObjectResourceVersion(added.object), "2");
  EXPECT_TRUE(added.previous.is_null());

  store.Put("configmaps", "ns/c", Object("c", "x"));  // another resource, same counter
  const auto& modified = store.Put("pods", "ns/a", Object("a", "2"));
  EXPECT_EQ(modified.type, StoredEvent::Type::kModified);
  EXPECT_EQ(modified.resource_version, 4);
  EXPECT_EQ(ObjectResourceVersion(modified.previous), "2");

  const auto& deleted = store.Remove("pods", "ns/a");
  EXPECT_EQ(deleted.type, StoredEvent::Type::kDeleted);
  // The DELETED event carries the last state at the deletion's revision.
  EXPECT_EQ(ObjectResourceVersion(deleted.object), "5");
  EXPECT_EQ(StringField(deleted.object, {"data"}), "2");
  EXPECT_EQ(store.Get("pods", "ns/a"), nullptr);
  EXPECT_EQ(store.CurrentVersion(), 5);
}

TEST(ObjectStore, RebuildsPastStatesFromHistory) {
  ObjectStore store;
  store.Put("pods", "ns/a", Object("a", "1"));  // 2
  store.Put("pods", "ns/b", Object("b", "1"));  // 3
  store.Put("pods", "ns/a", Object("a", "2"));  // 4
  store.Remove("pods", "ns/b");                 // 5

  const auto at3 = store.SnapshotAt("pods", 3);
  ASSERT_TRUE(at3);
  ASSERT_EQ(at3->size(), 2u);
  EXPECT_EQ(StringField(*at3->at("ns/a"), {"data"}), "1");
  EXPECT_EQ(ObjectResourceVersion(*at3->at("ns/b")), "3");
  EXPECT_EQ(store.SnapshotAt("pods", 1)->size(), 0u);
  EXPECT_EQ(store.SnapshotAt("pods", 5)->size(), 1u);
  EXPECT_FALSE(store.SnapshotAt("pods", 6));  // the future

  const auto events = store.EventsAfter(3);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]->resource_version, 4);
  EXPECT_EQ(events[1]->resource_version, 5);
}

TEST(ObjectStore, CompactionForgetsTheHistory) {
  ObjectStore store;
  store.Put("pods", "ns/a", Object("a", "1"));
  store.Put("pods", "ns/a", Object("a", "2"));
  store.Compact();
  EXPECT_EQ(store.OldestAvailableVersion(), 3);
  EXPECT_FALSE(store.SnapshotAt("pods", 2));
  EXPECT_TRUE(store.SnapshotAt("pods", 3));
  EXPECT_TRUE(store.EventsAfter(3).empty());
}

TEST(ObjectStore, HistoryIsBoundedLikeTheWatchCache) {
  ObjectStore store(/*history_limit=*/3);
  for (int i = 0; i < 5; ++i) store.Put("pods", "ns/a", Object("a", std::to_string(i)));
  // Revisions 2..6 were written; 4, 5 and 6 are kept, so 3 is the oldest state rebuildable.
  EXPECT_EQ(store.OldestAvailableVersion(), 3);
  EXPECT_EQ(StringField(*store.SnapshotAt("pods", 3)->at("ns/a"), {"data"}), "1");
  EXPECT_FALSE(store.SnapshotAt("pods", 2));
  EXPECT_EQ(store.EventsAfter(3).size(), 3u);
}

}  // namespace
}  // namespace sidecar::testing::kubefake
