#include "fakes/kube_api/watch_events.h"

#include <gtest/gtest.h>

#include <fstream>

#include "fakes/kube_api/object_fields.h"

namespace sidecar::testing::kubefake {
namespace {

web::json::value Pod(const std::string& phase, const std::string& version) {
  web::json::value pod = web::json::value::object();
  pod["metadata"]["namespace"] = web::json::value::string("ns");
  pod["metadata"]["name"] = web::json::value::string("p");
  pod["metadata"]["resourceVersion"] = web::json::value::string(version);
  pod["status"]["phase"] = web::json::value::string(phase);
  return pod;
}

StoredEvent Event(StoredEvent::Type type, int64_t version, web::json::value object,
                  web::json::value previous = web::json::value::null()) {
  return {type, version, "pods", "ns/p", std::move(object), std::move(previous)};
}

ObjectFilter Running() {
  ObjectFilter filter;
  filter.fields = ParseFieldSelector("status.phase=Running", "pods").value();
  return filter;
}

TEST(EventForWatch, FollowsTheWatchCacheRule) {
  using T = StoredEvent::Type;
  const auto pending = Pod("Pending", "2");
  const auto running = Pod("Running", "3");
  const auto failed = Pod("Failed", "4");

  EXPECT_FALSE(EventForWatch(Event(T::kAdded, 2, pending), "pods", Running()));
  // Starts matching: ADDED.
  auto seen = EventForWatch(Event(T::kModified, 3, running, pending), "pods", Running());
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->type, "ADDED");
  // Matches before and after: MODIFIED.
  auto still = running;
  still["metadata"]["labels"]["x"] = web::json::value::string("y");
  seen = EventForWatch(Event(T::kModified, 4, still, running), "pods", Running());
  EXPECT_EQ(seen->type, "MODIFIED");
  // Stops matching: DELETED with the previous state at the event's revision.
  seen = EventForWatch(Event(T::kModified, 4, failed, running), "pods", Running());
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->type, "DELETED");
  EXPECT_EQ(StringField(seen->object, {"status", "phase"}), "Running");
  EXPECT_EQ(ObjectResourceVersion(seen->object), "4");
  // Deleted while matching: DELETED; deleted while not matching: nothing.
  EXPECT_EQ(EventForWatch(Event(T::kDeleted, 5, running, running), "pods", Running())->type,
            "DELETED");
  EXPECT_FALSE(EventForWatch(Event(T::kDeleted, 5, failed, failed), "pods", Running()));
  // Another resource: nothing.
  EXPECT_FALSE(EventForWatch(Event(T::kAdded, 2, running), "configmaps", ObjectFilter{}));
}

TEST(BookmarkEvent, HasTheShapeTheRealServerSends) {
  // The last line of a recorded kube-apiserver v1.35 watch.
  std::ifstream fixture(std::string(KUBE_FIXTURES_DIR) +
                        "/watch-pods-initial-events-bookmark.v1.35.jsonl");
  std::string line, last;
  while (std::getline(fixture, line)) {
    if (!line.empty()) last = line;
  }
  ASSERT_FALSE(last.empty()) << "fixture not found";
  web::json::value recorded = web::json::value::parse(last);
  recorded["object"]["metadata"]["resourceVersion"] = web::json::value::string("77");

  const std::string ours =
      WatchEventLine(BookmarkEvent(*FindResourceType("pods"), 77, /*initial_events_end=*/true));
  ASSERT_EQ(ours.back(), '\n');
  EXPECT_EQ(web::json::value::parse(ours), recorded);
}

TEST(ErrorEvent, CarriesTheStatus) {
  const auto line =
      WatchEventLine(ErrorEvent(ApiError::Expired("too old resource version: 1 (5)")));
  const auto parsed = web::json::value::parse(line);
  EXPECT_EQ(parsed.at("type").as_string(), "ERROR");
  EXPECT_EQ(parsed.at("object").at("kind").as_string(), "Status");
  EXPECT_EQ(parsed.at("object").at("code").as_integer(), 410);
  EXPECT_EQ(parsed.at("object").at("reason").as_string(), "Expired");
}

}  // namespace
}  // namespace sidecar::testing::kubefake
