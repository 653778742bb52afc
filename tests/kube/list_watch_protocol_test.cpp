#include "kube/list_watch_protocol.h"

#include <gtest/gtest.h>

#include "kube/watch_line_splitter.h"
#include "kube_test_data.h"

namespace sidecar::kube {
namespace {

using std::chrono::seconds;

TEST(ListWatchProtocol, RequestTargetsCarryPagingSelectorsAndWatchParameters) {
  ListWatchQuery query{"/api/v1/namespaces/feldera/pods", "app=feldera,tier in (a,b)",
                       "metadata.name=pipeline-x-0"};
  EXPECT_EQ(ListRequestTarget(query, 500, ""),
            "/api/v1/namespaces/feldera/pods?limit=500"
            "&labelSelector=app%3Dfeldera%2Ctier%20in%20%28a%2Cb%29"
            "&fieldSelector=metadata.name%3Dpipeline-x-0");
  EXPECT_EQ(ListRequestTarget({"/api/v1/pods", "", ""}, 2, "eyJ2Ijo+/="),
            "/api/v1/pods?limit=2&continue=eyJ2Ijo%2B%2F%3D");
  EXPECT_EQ(ListRequestTarget({"/api/v1/pods", "", ""}, 0, ""), "/api/v1/pods");
  EXPECT_EQ(WatchRequestTarget({"/api/v1/pods", "a=b", ""}, "562", seconds(300)),
            "/api/v1/pods?watch=true&resourceVersion=562&allowWatchBookmarks=true"
            "&timeoutSeconds=300&labelSelector=a%3Db");
}

TEST(ListWatchProtocol, ParsesARecordedPodList) {
  auto page = ParseListPage(testing::LoadJson("podlist-kube-system.v1.35.json"));
  ASSERT_TRUE(page.ok()) << page.error();
  EXPECT_EQ(page->items.size(), 8u);
  EXPECT_EQ(page->resource_version, "570");
  EXPECT_EQ(page->continue_token, "");
}

TEST(ListWatchProtocol, ListPagesNeedItemsNamesAndAVersion) {
  auto parse = [](const std::string& text) { return ParseListPage(web::json::value::parse(text)); };
  auto empty = parse(R"({"metadata":{"resourceVersion":"7","continue":"c"},"items":null})");
  ASSERT_TRUE(empty.ok()) << empty.error();
  EXPECT_TRUE(empty->items.empty());
  EXPECT_EQ(empty->continue_token, "c");
  // The kubelet's pod list has no resourceVersion: a watch could not continue from it.
  EXPECT_FALSE(ParseListPage(testing::LoadJson("podlist-kubelet-with-evicted-pod.json")).ok());
  EXPECT_FALSE(parse(R"({"metadata":{"resourceVersion":"7"}})").ok());
  EXPECT_FALSE(parse(R"({"metadata":{"resourceVersion":"7"},"items":{}})").ok());
  EXPECT_FALSE(parse(R"({"metadata":{"resourceVersion":"7"},"items":[{"metadata":{}}]})").ok());
  EXPECT_FALSE(parse(R"({"metadata":{"resourceVersion":7},"items":[]})").ok());
  EXPECT_FALSE(parse(R"([1,2])").ok());
}

TEST(ListWatchProtocol, ParsesARecordedWatchStream) {
  WatchLineSplitter splitter;
  auto lines = splitter.Feed(testing::LoadText("watch-pods-initial-events-bookmark.v1.35.jsonl"));
  ASSERT_EQ(lines.complete.size(), 9u);
  for (size_t i = 0; i < 8; ++i) {
    auto event = ParseWatchEvent(lines.complete[i]);
    ASSERT_TRUE(event.ok()) << event.error();
    EXPECT_EQ(event->type, WatchEventType::kAdded);
    EXPECT_FALSE(event->resource_version.empty());
    EXPECT_EQ(event->object.at("metadata").at("namespace").as_string(), "kube-system");
  }
  auto bookmark = ParseWatchEvent(lines.complete[8]);
  ASSERT_TRUE(bookmark.ok()) << bookmark.error();
  EXPECT_EQ(bookmark->type, WatchEventType::kBookmark);
  EXPECT_EQ(bookmark->resource_version, "562");
}

TEST(ListWatchProtocol, ErrorEventsCarryAStatus) {
  const std::string status = testing::LoadText("status-410-expired.json");
  auto event = ParseWatchEvent(R"({"type":"ERROR","object":)" + status + "}");
  ASSERT_TRUE(event.ok()) << event.error();
  EXPECT_EQ(event->type, WatchEventType::kError);
  auto parsed = ParseApiStatus(event->object);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->code, 410);
  EXPECT_EQ(parsed->reason, "Expired");
  EXPECT_NE(parsed->message.find("too old"), std::string::npos);

  EXPECT_EQ(ParseApiStatus(web::json::value::parse(R"({"code":500})"))->code, 500);
  EXPECT_FALSE(ParseApiStatus(web::json::value::parse(R"({"kind":"Pod","code":410})")));
  EXPECT_EQ(ParseApiStatus(web::json::value::parse(R"({"kind":"Status","code":1e99})"))->code, 0);
}

TEST(ListWatchProtocol, BadWatchLinesAreErrorsNeverExceptions) {
  for (const char* line :
       {"", "{", "null", "[]", R"({"type":"ADDED"})", R"({"type":"ADDED","object":[]})",
        R"({"type":7,"object":{}})", R"({"type":"RENAMED","object":{}})",
        R"({"type":"ADDED","object":{"metadata":{"name":"a"}}})",
        R"({"type":"MODIFIED","object":{"metadata":{"resourceVersion":"1"}}})",
        R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":""}}})",
        R"({"type":"DELETED","object":{"metadata":{"name":"a","resourceVersion":1}}})"}) {
    Result<WatchEvent> event = Result<WatchEvent>::Error("");
    EXPECT_NO_THROW(event = ParseWatchEvent(line));
    EXPECT_FALSE(event.ok()) << line;
  }
  std::string deep(100000, '[');
  EXPECT_NO_THROW(ParseWatchEvent(deep));
  EXPECT_FALSE(ParseWatchEvent(deep).ok());
}

}  // namespace
}  // namespace sidecar::kube
