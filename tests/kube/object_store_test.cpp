#include "kube/object_store.h"

#include <gtest/gtest.h>

namespace sidecar::kube {
namespace {

web::json::value Pod(const std::string& name, const std::string& uid, const std::string& version,
                     const std::string& name_space = "ns") {
  web::json::value pod;
  pod["metadata"]["name"] = web::json::value::string(name);
  if (!name_space.empty()) {
    pod["metadata"]["namespace"] = web::json::value::string(name_space);
  }
  pod["metadata"]["uid"] = web::json::value::string(uid);
  pod["metadata"]["resourceVersion"] = web::json::value::string(version);
  return pod;
}

WatchEvent Event(WatchEventType type, const web::json::value& object) {
  return {type, object, object.at("metadata").at("resourceVersion").as_string()};
}

// "+ns/a@uid:rv" added, "~" modified, "-" deleted.
std::vector<std::string> Describe(const std::vector<StoreChange>& changes) {
  std::vector<std::string> out;
  for (const auto& change : changes) {
    // Appended to, not built by `const char* + std::string`: GCC 12 at -O3 reports a false
    // -Wrestrict inside the inlined insert at position 0.
    std::string line = change.type == StoreChange::Type::kAdded      ? "+"
                       : change.type == StoreChange::Type::kModified ? "~"
                                                                     : "-";
    line += ObjectKey(change.object) + "@" + change.object.at("metadata").at("uid").as_string() +
            ":" + change.object.at("metadata").at("resourceVersion").as_string();
    out.push_back(std::move(line));
  }
  return out;
}

using Changes = std::vector<std::string>;

TEST(ObjectKey, NamespaceSlashNameOrJustName) {
  EXPECT_EQ(ObjectKey(Pod("a", "u", "1", "ns")), "ns/a");
  EXPECT_EQ(ObjectKey(Pod("node-1", "u", "1", "")), "node-1");
}

TEST(ObjectStore, WatchEventsAreReportedAgainstTheStore) {
  ObjectStore store;
  EXPECT_EQ(Describe(store.Apply(Event(WatchEventType::kAdded, Pod("a", "u1", "1")))),
            Changes{"+ns/a@u1:1"});
  EXPECT_EQ(Describe(store.Apply(Event(WatchEventType::kModified, Pod("a", "u1", "2")))),
            Changes{"~ns/a@u1:2"});
  // The same version again is a duplicate.
  EXPECT_TRUE(store.Apply(Event(WatchEventType::kModified, Pod("a", "u1", "2"))).empty());
  EXPECT_TRUE(store.Apply(Event(WatchEventType::kAdded, Pod("a", "u1", "2"))).empty());
  // ADDED for a known object with a new version is a modification.
  EXPECT_EQ(Describe(store.Apply(Event(WatchEventType::kAdded, Pod("a", "u1", "3")))),
            Changes{"~ns/a@u1:3"});
  // MODIFIED for an unknown object is an addition.
  EXPECT_EQ(Describe(store.Apply(Event(WatchEventType::kModified, Pod("b", "u2", "4")))),
            Changes{"+ns/b@u2:4"});
  // A namesake with a new uid: the old one is gone.
  EXPECT_EQ(Describe(store.Apply(Event(WatchEventType::kModified, Pod("a", "u3", "5")))),
            (Changes{"-ns/a@u1:3", "+ns/a@u3:5"}));
  EXPECT_EQ(Describe(store.Apply(Event(WatchEventType::kDeleted, Pod("a", "u3", "6")))),
            Changes{"-ns/a@u3:6"});
  EXPECT_EQ(store.Find("ns/a"), nullptr);
  // Deleting what is not there changes nothing.
  EXPECT_TRUE(store.Apply(Event(WatchEventType::kDeleted, Pod("a", "u3", "7"))).empty());
  // Deleting a namesake reports the deletion of the object the handler knows.
  EXPECT_EQ(Describe(store.Apply(Event(WatchEventType::kDeleted, Pod("b", "u9", "8")))),
            Changes{"-ns/b@u2:4"});
  EXPECT_EQ(store.size(), 0u);
  EXPECT_TRUE(store.Apply(Event(WatchEventType::kBookmark, Pod("x", "u", "9"))).empty());
  EXPECT_EQ(store.size(), 0u);
}

TEST(ObjectStore, RelistReportsEverythingMissedInTheGap) {
  ObjectStore store;
  EXPECT_EQ(
      Describe(store.Replace({Pod("same", "u1", "1"), Pod("changed", "u2", "2"),
                              Pod("deleted", "u3", "3"), Pod("recreated", "u4", "4")})),
      (Changes{"+ns/changed@u2:2", "+ns/deleted@u3:3", "+ns/recreated@u4:4", "+ns/same@u1:1"}));
  EXPECT_EQ(Describe(store.Replace({Pod("same", "u1", "1"), Pod("changed", "u2", "9"),
                                    Pod("recreated", "u5", "10"), Pod("new", "u6", "11")})),
            (Changes{"~ns/changed@u2:9", "-ns/deleted@u3:3", "+ns/new@u6:11", "-ns/recreated@u4:4",
                     "+ns/recreated@u5:10"}));
  EXPECT_EQ(store.size(), 4u);
  ASSERT_NE(store.Find("ns/recreated"), nullptr);
  EXPECT_EQ(store.Find("ns/recreated")->at("metadata").at("uid").as_string(), "u5");
  EXPECT_EQ(Describe(store.Replace({})),
            (Changes{"-ns/changed@u2:9", "-ns/new@u6:11", "-ns/recreated@u5:10", "-ns/same@u1:1"}));
  EXPECT_TRUE(store.Replace({}).empty());
}

TEST(ObjectStore, ObjectsWithoutUidOrVersionStillWork) {
  ObjectStore store;
  web::json::value bare;
  bare["metadata"]["name"] = web::json::value::string("bare");
  EXPECT_EQ(store.Replace({bare}).size(), 1u);
  EXPECT_TRUE(store.Replace({bare}).empty());
}

}  // namespace
}  // namespace sidecar::kube
