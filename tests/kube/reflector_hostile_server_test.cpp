// The reflector against an API server that answers garbage: it must keep going, paced by backoff.
#include <cpprest/http_listener.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "kube/reflector.h"
#include "support/process.h"

namespace sidecar::kube {
namespace {

using sidecar::testing::WaitUntil;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kValidList[] =
    R"({"kind":"PodList","metadata":{"resourceVersion":"10"},"items":[]})";

// Answers the n-th list request with lists[n] and the n-th watch with watches[n] (the last entry
// once they run out). Thread-safe.
class ScriptedApiServer {
 public:
  ScriptedApiServer(std::vector<std::string> lists, std::vector<std::string> watches)
      : lists_(std::move(lists)), watches_(std::move(watches)) {
    listener_ = std::make_unique<web::http::experimental::listener::http_listener>(Url());
    listener_->support([this](web::http::http_request request) {
      const bool watch = request.request_uri().query().find("watch=true") != std::string::npos;
      std::string body;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        auto& script = watch ? watches_ : lists_;
        int& served = watch ? watches_served_ : lists_served_;
        body = script[std::min<size_t>(served, script.size() - 1)];
        ++served;
      }
      request.reply(web::http::status_codes::OK, body, "application/json");
    });
    listener_->open().wait();
  }
  ~ScriptedApiServer() { listener_->close().wait(); }

  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int lists_served() {
    std::lock_guard<std::mutex> lock(mutex_);
    return lists_served_;
  }
  int watches_served() {
    std::lock_guard<std::mutex> lock(mutex_);
    return watches_served_;
  }

 private:
  const int port_ = sidecar::testing::FreePort();
  std::unique_ptr<web::http::experimental::listener::http_listener> listener_;
  std::mutex mutex_;
  std::vector<std::string> lists_;
  std::vector<std::string> watches_;
  int lists_served_ = 0;
  int watches_served_ = 0;
};

class CountingHandler : public ReflectorHandler {
 public:
  void OnAdded(const web::json::value&) override { ++added; }
  void OnModified(const web::json::value&) override {}
  void OnDeleted(const web::json::value&) override {}
  void OnSynced() override { ++synced; }
  std::atomic<int> added{0};
  std::atomic<int> synced{0};
};

class OutcomeObserver : public ReflectorObserver {
 public:
  void OnListRequest(RequestOutcome outcome) override {
    list_malformed += outcome == RequestOutcome::kMalformed ? 1 : 0;
  }
  void OnWatchRestart(WatchRestartReason reason) override {
    watch_malformed += reason == WatchRestartReason::kMalformed ? 1 : 0;
  }
  std::atomic<int> list_malformed{0};
  std::atomic<int> watch_malformed{0};
};

ReflectorOptions Options() {
  ReflectorOptions options;
  options.query.resource_path = "/api/v1/pods";
  options.watch_timeout = seconds(60);
  options.backoff.initial = milliseconds(100);
  options.backoff.cap = milliseconds(400);
  options.max_line_bytes = 1024;
  options.random = [] { return 0.5; };
  return options;
}

std::string Event(const std::string& type, const std::string& name, int version) {
  return R"({"type":")" + type + R"(","object":{"metadata":{"name":")" + name +
         R"(","namespace":"ns","uid":"u-)" + name + R"(","resourceVersion":")" +
         std::to_string(version) + R"("}}})" + "\n";
}

TEST(ReflectorAgainstAHostileServer, KeepsGoingThroughGarbageAnswers) {
  ScriptedApiServer server(
      {"not json", R"({"items":[]})", R"({"metadata":{"resourceVersion":"1"},"items":[{"x":1}]})",
       kValidList},
      {"garbage line\n",
       R"({"type":"ADDED","object":{"metadata":{"resourceVersion":"11"}}})"
       "\n",
       std::string(5000, 'x') + "\n",
       R"({"type":"UNKNOWN","object":{}})"
       "\n",
       std::string("\xff\xfe\x00\x01", 4) + "\n",
       Event("ADDED", "survivor", 12) + R"({"type":"ADDED","object":{"meta)"});
  CountingHandler handler;
  OutcomeObserver observer;
  Reflector reflector(KubeConnection::ForUrl(server.Url()).value(), Options(), handler, &observer);
  reflector.Start();
  ASSERT_TRUE(WaitUntil([&] { return handler.added == 1; }, seconds(30)));
  EXPECT_EQ(handler.synced, 1);
  EXPECT_EQ(observer.list_malformed, 3);
  EXPECT_EQ(observer.watch_malformed, 5);
  reflector.Stop();
  // Garbage was answered by backing off, not by a tight loop.
  EXPECT_LT(server.lists_served() + server.watches_served(), 20);
}

}  // namespace
}  // namespace sidecar::kube
