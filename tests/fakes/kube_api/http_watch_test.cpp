// Watches over real sockets: where they start, what they replay, selectors, bookmarks, timeouts,
// 410s, and the stream faults.
#include <gtest/gtest.h>

#include <thread>

#include "fakes/kube_api/test_helpers.h"
#include "fakes/kube_api/watch_reader.h"

namespace sidecar::testing {
namespace {

using web::json::value;

class Watches : public FakeKubeApiTest {
 protected:
  // "TYPE name" for each event, e.g. "ADDED p-0".
  static std::vector<std::string> Summary(const std::vector<value>& events) {
    std::vector<std::string> summary;
    for (const value& event : events) {
      const value& object = event.at("object");
      const std::string type = event.at("type").as_string();
      summary.push_back(
          type == "BOOKMARK" ? type : type + " " + object.at("metadata").at("name").as_string());
    }
    return summary;
  }

  std::vector<std::string> SummaryWithout(const std::vector<value>& events,
                                          const std::string& type) {
    std::vector<value> kept;
    for (const value& event : events) {
      if (event.at("type").as_string() != type) kept.push_back(event);
    }
    return Summary(kept);
  }
};

TEST_F(Watches, FromAResourceVersionReplaysTheHistoryThenStaysLive) {
  server_.CreatePod(TestPod("ns", "p-0"));
  const std::string from = std::to_string(server_.CurrentResourceVersion());
  server_.CreatePod(TestPod("ns", "p-1"));
  server_.MutatePod("ns", "p-0", [](value& pod) { RestartContainer(pod, "pipeline"); });

  WatchReader watch(Url("/api/v1/namespaces/ns/pods?watch=true&resourceVersion=" + from));
  ASSERT_EQ(watch.WaitForStatus(), 200);
  ASSERT_TRUE(watch.WaitForLines(2));
  const value deleted = server_.DeletePod("ns", "p-1");
  ASSERT_TRUE(watch.WaitForLines(3));

  const auto events = watch.Events();
  EXPECT_EQ(Summary(events),
            (std::vector<std::string>{"ADDED p-1", "MODIFIED p-0", "DELETED p-1"}));
  int64_t previous = std::stoll(from);
  for (const value& event : events) {
    const int64_t version = std::stoll(ResourceVersionOf(event.at("object")));
    EXPECT_GT(version, previous);
    previous = version;
  }
  EXPECT_EQ(events[1]
                .at("object")
                .at("status")
                .at("containerStatuses")
                .at(0)
                .at("restartCount")
                .as_integer(),
            1);
  // DELETED carries the last state, at the deletion's revision.
  EXPECT_EQ(events[2].at("object"), deleted);
  EXPECT_EQ(ResourceVersionOf(deleted), std::to_string(server_.CurrentResourceVersion()));
}

TEST_F(Watches, WithoutAResourceVersionStartWithTheCurrentState) {
  server_.CreatePod(TestPod("ns", "p-0"));
  server_.CreatePod(TestPod("other", "q-0"));
  for (const std::string query : {"watch=true", "watch=true&resourceVersion=0"}) {
    WatchReader watch(Url("/api/v1/pods?" + query));
    ASSERT_TRUE(watch.WaitForLines(2)) << query;
    EXPECT_EQ(Summary(watch.Events()), (std::vector<std::string>{"ADDED p-0", "ADDED q-0"}));
  }
  // Asked not to: only what happens from now on.
  WatchReader live(Url("/api/v1/pods?watch=true&sendInitialEvents=false"));
  ASSERT_EQ(live.WaitForStatus(), 200);
  server_.CreatePod(TestPod("ns", "p-1"));
  ASSERT_TRUE(live.WaitForLines(1));
  EXPECT_EQ(Summary(live.Events()), (std::vector<std::string>{"ADDED p-1"}));
}

TEST_F(Watches, SendInitialEventsEndsWithAnAnnotatedBookmark) {
  server_.CreatePod(TestPod("ns", "p-0"));
  WatchReader watch(
      Url("/api/v1/pods?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&"
          "resourceVersionMatch=NotOlderThan&resourceVersion=0"));
  ASSERT_TRUE(watch.WaitForLines(2));
  const auto events = watch.Events();
  EXPECT_EQ(events[0].at("type").as_string(), "ADDED");
  EXPECT_EQ(events[1].at("type").as_string(), "BOOKMARK");
  const value& metadata = events[1].at("object").at("metadata");
  EXPECT_EQ(metadata.at("annotations").at("k8s.io/initial-events-end").as_string(), "true");
  EXPECT_EQ(metadata.at("resourceVersion").as_string(),
            std::to_string(server_.CurrentResourceVersion()));
}

TEST_F(Watches, SelectorsTurnObjectsLeavingTheSelectionIntoDeletions) {
  WatchReader watch(Url("/api/v1/pods?watch=true&labelSelector=" + Encoded("app=web")));
  ASSERT_EQ(watch.WaitForStatus(), 200);
  server_.CreatePod(TestPod("ns", "p-0", {{"app", "web"}}));
  server_.CreatePod(TestPod("ns", "other", {{"app", "db"}}));
  server_.MutatePod("ns", "p-0",
                    [](value& pod) { pod["metadata"]["labels"]["app"] = value::string("db"); });
  server_.MutatePod("ns", "p-0",
                    [](value& pod) { pod["metadata"]["labels"]["app"] = value::string("web"); });
  server_.MutatePod("ns", "other",
                    [](value& pod) { pod["metadata"]["labels"]["tier"] = value::string("x"); });
  server_.CreatePod(TestPod("ns", "last", {{"app", "web"}}));
  ASSERT_TRUE(watch.WaitForLines(4));
  const auto events = watch.Events();
  EXPECT_EQ(Summary(events),
            (std::vector<std::string>{"ADDED p-0", "DELETED p-0", "ADDED p-0", "ADDED last"}));
  // The DELETED event shows the object as it was when it still matched.
  EXPECT_EQ(events[1].at("object").at("metadata").at("labels").at("app").as_string(), "web");
}

TEST_F(Watches, FieldSelectorAndNamedWatchesSeeOneObject) {
  server_.CreatePod(TestPod("ns", "p-0"));
  server_.CreatePod(TestPod("ns", "p-1"));
  WatchReader by_field(
      Url("/api/v1/namespaces/ns/pods?watch=true&fieldSelector=" + Encoded("metadata.name=p-1")));
  WatchReader by_path(Url("/api/v1/watch/namespaces/ns/pods/p-1"));
  ASSERT_TRUE(by_field.WaitForLines(1));
  ASSERT_TRUE(by_path.WaitForLines(1));
  server_.MutatePod("ns", "p-0", [](value& pod) { RestartContainer(pod, "pipeline"); });
  server_.MutatePod("ns", "p-1", [](value& pod) { EvictPod(pod); });
  ASSERT_TRUE(by_field.WaitForLines(2));
  ASSERT_TRUE(by_path.WaitForLines(2));
  EXPECT_EQ(Summary(by_field.Events()), (std::vector<std::string>{"ADDED p-1", "MODIFIED p-1"}));
  EXPECT_EQ(Summary(by_path.Events()), (std::vector<std::string>{"ADDED p-1", "MODIFIED p-1"}));
}

TEST_F(Watches, ATooOldResourceVersionGetsAnErrorEventWith410) {
  server_.CreatePod(TestPod("ns", "p-0"));
  const std::string old = std::to_string(server_.CurrentResourceVersion());
  server_.CreatePod(TestPod("ns", "p-1"));
  server_.Compact();

  WatchReader watch(Url("/api/v1/pods?watch=true&resourceVersion=" + old));
  EXPECT_EQ(watch.WaitForStatus(), 200);
  EXPECT_EQ(watch.WaitForEnd(), WatchReader::End::kClean);
  const auto events = watch.Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("type").as_string(), "ERROR");
  const value& status = events[0].at("object");
  EXPECT_EQ(status.at("kind").as_string(), "Status");
  EXPECT_EQ(status.at("code").as_integer(), 410);
  EXPECT_EQ(status.at("reason").as_string(), "Expired");

  // From the compaction point on, watching works again.
  const std::string current = std::to_string(server_.CurrentResourceVersion());
  WatchReader fresh(Url("/api/v1/pods?watch=true&resourceVersion=" + current));
  ASSERT_EQ(fresh.WaitForStatus(), 200);
  server_.DeletePod("ns", "p-0");
  ASSERT_TRUE(fresh.WaitForLines(1));
  EXPECT_EQ(Summary(fresh.Events()), (std::vector<std::string>{"DELETED p-0"}));
}

TEST_F(Watches, AResourceVersionFromTheFutureIsRefused) {
  const std::string future = std::to_string(server_.CurrentResourceVersion() + 5);
  ExpectStatus(HttpGet(Url("/api/v1/pods?watch=true&resourceVersion=" + future)), 504, "Timeout");
}

TEST_F(Watches, BookmarksCarryOnlyTheResourceVersion) {
  server_.SetBookmarkInterval(std::chrono::milliseconds(20));
  server_.CreatePod(TestPod("ns", "p-0"));
  WatchReader with(Url("/api/v1/pods?watch=true&allowWatchBookmarks=true"));
  WatchReader without(Url("/api/v1/pods?watch=true"));
  ASSERT_TRUE(with.WaitForLines(3));  // ADDED, then bookmarks
  ASSERT_TRUE(without.WaitForLines(1));

  const auto bookmarks = EventsOfType(with.Events(), "BOOKMARK");
  ASSERT_GE(bookmarks.size(), 2u);
  const value& object = bookmarks[0].at("object");
  EXPECT_EQ(object.at("kind").as_string(), "Pod");
  EXPECT_EQ(object.at("apiVersion").as_string(), "v1");
  EXPECT_EQ(object.at("metadata").size(), 1u);
  EXPECT_EQ(object.at("metadata").at("resourceVersion").as_string(),
            std::to_string(server_.CurrentResourceVersion()));

  // The watch that did not ask gets none: once bookmark rounds have passed and a later event
  // arrived, nothing came before that event.
  const int64_t rounds = server_.Counters().bookmark_rounds;
  ASSERT_TRUE(WaitUntil([&] { return server_.Counters().bookmark_rounds >= rounds + 2; }));
  server_.CreatePod(TestPod("ns", "p-1"));
  ASSERT_TRUE(without.WaitForLines(2));
  EXPECT_EQ(Summary(without.Events()), (std::vector<std::string>{"ADDED p-0", "ADDED p-1"}));
  // Bookmarks follow the revision.
  ASSERT_TRUE(WaitUntil([&] {
    const auto latest = EventsOfType(with.Events(), "BOOKMARK");
    return ResourceVersionOf(latest.back().at("object")) ==
           std::to_string(server_.CurrentResourceVersion());
  }));
}

TEST_F(Watches, TimeoutSecondsEndsTheStreamCleanly) {
  WatchReader watch(Url("/api/v1/pods?watch=true&timeoutSeconds=1"));
  EXPECT_EQ(watch.WaitForStatus(), 200);
  EXPECT_EQ(watch.WaitForEnd(std::chrono::seconds(10)), WatchReader::End::kClean);
  EXPECT_EQ(watch.PartialLine(), "");
  EXPECT_TRUE(WaitUntil([&] { return server_.Counters().watches_open == 0; }));
}

TEST_F(Watches, StalledStreamsStaySilentAndOpenThenCatchUp) {
  server_.SetBookmarkInterval(std::chrono::milliseconds(20));
  WatchReader watch(Url("/api/v1/pods?watch=true&allowWatchBookmarks=true"));
  ASSERT_TRUE(watch.WaitForLines(1));  // a first bookmark

  server_.StallWatches(true);
  const FakeKubeApiCounters stalled = server_.Counters();
  server_.CreatePod(TestPod("ns", "p-0"));
  ASSERT_TRUE(
      WaitUntil([&] { return server_.Counters().bookmark_rounds >= stalled.bookmark_rounds + 3; }));
  const FakeKubeApiCounters later = server_.Counters();
  EXPECT_EQ(later.bookmarks_sent, stalled.bookmarks_sent);  // none while stalled
  EXPECT_EQ(later.watch_lines_held, 1);                     // the ADDED waits
  EXPECT_EQ(later.watches_open, 1);
  EXPECT_TRUE(EventsOfType(watch.Events(), "ADDED").empty());
  // A watch opened while stalled is stalled too, its initial events included.
  WatchReader opened_while_stalled(Url("/api/v1/pods?watch=true"));
  EXPECT_EQ(opened_while_stalled.WaitForStatus(), 200);
  EXPECT_TRUE(WaitUntil([&] { return server_.Counters().watch_lines_held == 2; }));

  server_.StallWatches(false);
  ASSERT_TRUE(WaitUntil([&] { return !EventsOfType(watch.Events(), "ADDED").empty(); }));
  ASSERT_TRUE(opened_while_stalled.WaitForLines(1));
  EXPECT_EQ(Summary(opened_while_stalled.Events()), (std::vector<std::string>{"ADDED p-0"}));
  EXPECT_EQ(server_.Counters().watch_lines_held, 0);
}

TEST_F(Watches, DroppedStreamsEndWithoutTheFinalChunk) {
  server_.CreatePod(TestPod("ns", "p-0"));
  WatchReader clean_cut(Url("/api/v1/pods?watch=true"));
  ASSERT_TRUE(clean_cut.WaitForLines(1));
  server_.DropWatchStreams(/*mid_event=*/false);
  EXPECT_EQ(clean_cut.WaitForEnd(), WatchReader::End::kCut);
  EXPECT_EQ(clean_cut.PartialLine(), "");
  EXPECT_EQ(Summary(clean_cut.Events()), (std::vector<std::string>{"ADDED p-0"}));

  WatchReader mid_event(Url("/api/v1/pods?watch=true"));
  ASSERT_TRUE(mid_event.WaitForLines(1));
  server_.DropWatchStreams(/*mid_event=*/true);
  EXPECT_EQ(mid_event.WaitForEnd(), WatchReader::End::kCut);
  const std::string partial = mid_event.PartialLine();
  ASSERT_FALSE(partial.empty());
  EXPECT_EQ(partial.rfind("{\"", 0), 0u);
  EXPECT_THROW(value::parse(partial), web::json::json_exception);
  EXPECT_EQ(mid_event.Lines().size(), 1u);  // the complete line before the cut is kept

  EXPECT_EQ(server_.Counters().watch_streams_cut, 2);
  EXPECT_TRUE(WaitUntil([&] { return server_.Counters().watches_open == 0; }));
}

TEST_F(Watches, InjectedFailuresHitWatchesToo) {
  server_.FailRequests(503, 1, std::chrono::milliseconds(0), 2, "watch");
  EXPECT_EQ(HttpGet(Url("/api/v1/pods")).status, 200);
  const HttpResult refused = HttpGet(Url("/api/v1/pods?watch=true"));
  ExpectStatus(refused, 503, "ServiceUnavailable");
  EXPECT_EQ(refused.Header("retry-after"), "2");
  WatchReader watch(Url("/api/v1/pods?watch=true"));
  EXPECT_EQ(watch.WaitForStatus(), 200);
}

TEST_F(Watches, ManyConcurrentWatchesAllSeeEveryEvent) {
  constexpr int kWatches = 100;
  std::vector<std::unique_ptr<WatchReader>> watches;
  for (int i = 0; i < kWatches; ++i) {
    watches.push_back(std::make_unique<WatchReader>(Url("/api/v1/namespaces/ns/pods?watch=true")));
  }
  ASSERT_TRUE(WaitUntil([&] { return server_.Counters().watches_open == kWatches; }));
  server_.CreatePod(TestPod("ns", "p-0"));
  server_.DeletePod("ns", "p-0");
  for (auto& watch : watches) {
    ASSERT_TRUE(watch->WaitForLines(2));
    EXPECT_EQ(Summary(watch->Events()), (std::vector<std::string>{"ADDED p-0", "DELETED p-0"}));
  }
}

TEST_F(Watches, ConcurrentWritersStillYieldOrderedStreams) {
  WatchReader watch(Url("/api/v1/pods?watch=true&resourceVersion=" +
                        std::to_string(server_.CurrentResourceVersion())));
  ASSERT_EQ(watch.WaitForStatus(), 200);
  constexpr int kWriters = 4;
  constexpr int kWrites = 25;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      const std::string name = "p-" + std::to_string(w);
      server_.CreatePod(TestPod("ns", name));
      for (int i = 0; i < kWrites; ++i) {
        server_.MutatePod("ns", name, [i](value& pod) {
          pod["metadata"]["labels"]["step"] = value::string(std::to_string(i));
        });
      }
    });
  }
  for (auto& writer : writers) writer.join();
  ASSERT_TRUE(watch.WaitForLines(kWriters * (kWrites + 1)));
  int64_t previous = 0;
  for (const value& event : watch.Events()) {
    const int64_t version = std::stoll(ResourceVersionOf(event.at("object")));
    EXPECT_GT(version, previous);
    previous = version;
  }
  EXPECT_EQ(previous, server_.CurrentResourceVersion());
}

TEST_F(Watches, StopEndsStreamsCleanlyAndStartServesTheSameObjects) {
  server_.CreatePod(TestPod("ns", "p-0"));
  WatchReader watch(Url("/api/v1/pods?watch=true"));
  ASSERT_TRUE(watch.WaitForLines(1));
  server_.Stop();
  EXPECT_EQ(watch.WaitForEnd(), WatchReader::End::kClean);
  EXPECT_EQ(HttpGet(Url("/api/v1/pods"), std::chrono::seconds(2)).status, 0);
  server_.Start();
  EXPECT_EQ(ItemNames(HttpGet(Url("/api/v1/pods")).Json()), (std::vector<std::string>{"p-0"}));
}

TEST_F(Watches, StoppingJustAfterClientsLeftNeitherHangsNorCrashes) {
  // A client gone right after the headers leaves the final chunk to be written while the server
  // stops; the listener must not be closed under that write.
  for (int i = 0; i < 100; ++i) {
    {
      WatchReader watch(Url("/api/v1/pods?watch=true"));
      ASSERT_EQ(watch.WaitForStatus(), 200);
    }
    server_.Stop();
    server_.Start();
  }
}

}  // namespace
}  // namespace sidecar::testing
