// The fake-kube-api executable and its /fake/ control API, driven over HTTP as a script would.
#include <gtest/gtest.h>
#include <signal.h>

#include "fakes/kube_api/test_helpers.h"
#include "fakes/kube_api/watch_reader.h"

namespace sidecar::testing {
namespace {

using web::json::value;

class ControlApi : public ::testing::Test {
 protected:
  ControlApi()
      : port_(FreePort()),
        process_({BuiltBinary("fake-kube-api"), "--listen", "127.0.0.1:" + std::to_string(port_),
                  "--bookmark-interval-ms", "50"}) {}

  void SetUp() override {
    ASSERT_TRUE(WaitUntil([&] { return HttpGet(Url("/version")).status == 200; }))
        << process_.Output();
  }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  HttpResult Post(const std::string& path, const std::string& body = "{}") {
    return HttpCall("POST", Url(path), body, kJsonBody);
  }

  int port_;
  ChildProcess process_;
};

TEST_F(ControlApi, DrivesPodsThroughTheirLife) {
  const HttpResult created = Post("/fake/pipeline-pods", R"({"namespace":"feldera",
      "name":"pipeline-a-0","labels":{"app":"feldera"},"podIP":"10.1.2.3"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string uid = created.Json().at("metadata").at("uid").as_string();
  const value listed = HttpGet(Url("/api/v1/namespaces/feldera/pods")).Json();
  EXPECT_EQ(ItemNames(listed), (std::vector<std::string>{"pipeline-a-0"}));
  EXPECT_EQ(listed.at("items").at(0).at("status").at("podIP").as_string(), "10.1.2.3");

  const HttpResult restarted =
      Post("/fake/pods/feldera/pipeline-a-0/restart", R"({"reason":"Error","exitCode":3})");
  ASSERT_EQ(restarted.status, 200) << restarted.body;
  const value container = restarted.Json().at("status").at("containerStatuses").at(0);
  EXPECT_EQ(container.at("restartCount").as_integer(), 1);
  EXPECT_EQ(container.at("lastState").at("terminated").at("exitCode").as_integer(), 3);

  const HttpResult evicted = Post("/fake/pods/feldera/pipeline-a-0/evict");
  ASSERT_EQ(evicted.status, 200) << evicted.body;
  EXPECT_EQ(evicted.Json().at("status").at("reason").as_string(), "Evicted");
  ExpectStatus(Post("/fake/pods/feldera/pipeline-a-0/restart", R"({"container":"nope"})"), 400,
               "BadRequest");

  EXPECT_EQ(HttpCall("DELETE", Url("/fake/pods/feldera/pipeline-a-0")).status, 200);
  ExpectStatus(HttpGet(Url("/fake/pods/feldera/pipeline-a-0")), 404, "NotFound");
  value pod = created.Json();
  pod["metadata"].erase("uid");
  pod["metadata"].erase("resourceVersion");
  const HttpResult recreated = Post("/fake/pods", pod.serialize());
  ASSERT_EQ(recreated.status, 201) << recreated.body;
  EXPECT_NE(recreated.Json().at("metadata").at("uid").as_string(), uid);
}

TEST_F(ControlApi, InjectsFaultsAndReportsRequests) {
  ASSERT_EQ(Post("/fake/faults/fail", R"({"status":503,"count":1,"retryAfterSeconds":1})").status,
            200);
  const HttpResult failed = HttpGet(Url("/api/v1/pods"));
  ExpectStatus(failed, 503, "ServiceUnavailable");
  EXPECT_EQ(failed.Header("retry-after"), "1");
  EXPECT_EQ(HttpGet(Url("/api/v1/pods")).status, 200);

  const value requests = HttpGet(Url("/fake/requests")).Json();
  ASSERT_TRUE(requests.is_array());
  const value& last = requests.at(requests.size() - 1);
  EXPECT_EQ(last.at("verb").as_string(), "list");
  EXPECT_EQ(last.at("resource").as_string(), "pods");
  EXPECT_EQ(requests.at(requests.size() - 2).at("injectedStatus").as_integer(), 503);
  const value counters = HttpGet(Url("/fake/counters")).Json();
  EXPECT_EQ(counters.at("injectedFailures").as_integer(), 1);
  EXPECT_GE(counters.at("requestsByVerb").at("list").as_integer(), 2);

  EXPECT_EQ(HttpCall("DELETE", Url("/fake/requests")).status, 200);
  EXPECT_EQ(HttpGet(Url("/fake/counters")).Json().at("requests").as_integer(), 0);
  ExpectStatus(HttpGet(Url("/fake/no-such-route")), 404, "NotFound");
  ExpectStatus(Post("/fake/pods", "not json"), 400, "BadRequest");
}

TEST_F(ControlApi, ControlsWatchStreamsAndHistory) {
  Post("/fake/pipeline-pods", R"({"namespace":"ns","name":"p-0"})");
  const std::string old =
      HttpGet(Url("/api/v1/pods")).Json().at("metadata").at("resourceVersion").as_string();
  WatchReader watch(Url("/api/v1/pods?watch=true&allowWatchBookmarks=true"));
  ASSERT_TRUE(watch.WaitForLines(2));  // ADDED and a bookmark (every 50 ms)

  ASSERT_EQ(Post("/fake/watches/drop", R"({"midEvent":true})").status, 200);
  EXPECT_EQ(watch.WaitForEnd(), WatchReader::End::kCut);
  EXPECT_FALSE(watch.PartialLine().empty());

  Post("/fake/pods/ns/p-0/terminate", R"({"reason":"Completed","exitCode":0})");
  const HttpResult compacted = Post("/fake/compact");
  ASSERT_EQ(compacted.status, 200);
  WatchReader expired(Url("/api/v1/pods?watch=true&resourceVersion=" + old));
  EXPECT_EQ(expired.WaitForEnd(), WatchReader::End::kClean);
  ASSERT_EQ(expired.Events().size(), 1u);
  EXPECT_EQ(expired.Events()[0].at("object").at("code").as_integer(), 410);

  ASSERT_EQ(Post("/fake/watches/stall", R"({"stalled":true})").status, 200);
  ASSERT_EQ(Post("/fake/watches/bookmark-interval", R"({"ms":0})").status, 200);
  EXPECT_EQ(HttpCall("DELETE", Url("/fake/faults")).status, 200);  // also releases the stall
}

TEST_F(ControlApi, ExitsCleanlyOnSigterm) {
  process_.Signal(SIGTERM);
  EXPECT_EQ(process_.Wait(std::chrono::seconds(10)), 0);
}

TEST(FakeKubeApiBinary, RefusesAnythingButLoopback) {
  ChildProcess process({BuiltBinary("fake-kube-api"), "--listen", "0.0.0.0:8080"});
  EXPECT_EQ(process.Wait(), 2);
  ChildProcess no_flags({BuiltBinary("fake-kube-api")});
  EXPECT_EQ(no_flags.Wait(), 2);
}

}  // namespace
}  // namespace sidecar::testing
