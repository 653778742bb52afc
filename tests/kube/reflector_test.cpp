// The reflector against the fake Kubernetes API server, over real sockets on 127.0.0.1.
#include "kube/reflector.h"

#include <cpprest/uri.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "fakes/kube_api/fake_kube_api.h"
#include "fakes/kube_api/pod_mutations.h"
#include "kube/json_fields.h"
#include "support/process.h"

namespace sidecar::kube {
namespace {

using sidecar::testing::FakeKubeApiServer;
using sidecar::testing::FreePort;
using sidecar::testing::WaitUntil;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kNamespace[] = "feldera";
constexpr char kPodsPath[] = "/api/v1/namespaces/feldera/pods";
// Generous: a loaded machine must not fail a test that is merely slow.
constexpr milliseconds kPatience = seconds(30);

std::string PodName(int index) {
  char name[80];
  std::snprintf(name, sizeof(name), "pipeline-0196b120-6203-7b90-b6bd-16890df15e%02d-0", index);
  return name;
}

// One change the handler received.
struct Change {
  char sign;  // '+' added, '~' modified, '-' deleted
  std::string name;
  std::string uid;
  std::string resource_version;
  std::string Short() const { return sign + name; }
};

class RecordingHandler : public ReflectorHandler {
 public:
  void OnAdded(const web::json::value& object) override { Record('+', object); }
  void OnModified(const web::json::value& object) override { Record('~', object); }
  void OnDeleted(const web::json::value& object) override { Record('-', object); }
  void OnSynced() override {
    std::lock_guard<std::mutex> lock(mutex_);
    sync_marks_.push_back(changes_.size());
  }

  std::vector<Change> Changes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return changes_;
  }
  int Syncs() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<int>(sync_marks_.size());
  }
  // The changes received between the (n-1)-th sync (or the start) and the n-th (1-based).
  std::vector<std::string> ChangesBeforeSync(int n) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return ShortChanges(n >= 2 ? sync_marks_.at(n - 2) : 0, sync_marks_.at(n - 1));
  }
  // The changes received since the n-th sync (1-based), up to the next one.
  std::vector<std::string> ChangesAfterSync(int n) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const size_t next =
        static_cast<size_t>(n) < sync_marks_.size() ? sync_marks_[n] : changes_.size();
    return ShortChanges(sync_marks_.at(n - 1), next);
  }
  // Whether a change with this sign and name arrived.
  bool Saw(char sign, const std::string& name) const {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const Change& change : changes_) {
      if (change.sign == sign && change.name == name) {
        return true;
      }
    }
    return false;
  }

 private:
  std::vector<std::string> ShortChanges(size_t begin, size_t end) const {
    std::vector<std::string> out;
    for (size_t i = begin; i < end; ++i) {
      out.push_back(changes_[i].Short());
    }
    return out;
  }

  void Record(char sign, const web::json::value& object) {
    std::lock_guard<std::mutex> lock(mutex_);
    changes_.push_back(
        {sign, ObjectName(object), ObjectUid(object), ObjectResourceVersion(object)});
  }

  mutable std::mutex mutex_;
  std::vector<Change> changes_;
  std::vector<size_t> sync_marks_;  // changes_.size() at each OnSynced
};

class CountingObserver : public ReflectorObserver {
 public:
  void OnListRequest(RequestOutcome outcome) override { Add("list:", ToString(outcome)); }
  void OnWatchRequest(RequestOutcome outcome) override { Add("watch:", ToString(outcome)); }
  void OnWatchRestart(WatchRestartReason reason) override { Add("restart:", ToString(reason)); }
  void OnWatchEvent(WatchEventType type) override { Add("event:", ToString(type)); }

  // e.g. Count("restart:stalled"), Count("event:BOOKMARK")
  int Count(const std::string& key) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = counts_.find(key);
    return it == counts_.end() ? 0 : it->second;
  }

 private:
  void Add(const char* prefix, std::string_view name) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++counts_[prefix + std::string(name)];
  }

  mutable std::mutex mutex_;
  std::map<std::string, int> counts_;
};

// A query parameter of a logged request, decoded; empty when absent.
std::string QueryParameter(const sidecar::testing::KubeRequestRecord& record,
                           const std::string& name) {
  auto parameters = web::uri::split_query(record.query);
  auto it = parameters.find(name);
  return it == parameters.end() ? "" : web::uri::decode(it->second);
}

class ReflectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<FakeKubeApiServer>(FreePort());
    server_->Start();
  }

  void TearDown() override {
    if (reflector_) {
      reflector_->Stop();
    }
  }

  // Short timeouts, and a fixed jitter draw (half the ceiling) so that backoff is predictable.
  ReflectorOptions FastOptions() const {
    ReflectorOptions options;
    options.query.resource_path = kPodsPath;
    options.watch_timeout = seconds(60);
    options.stall_timeout = seconds(5);
    options.request_timeout = seconds(5);
    options.backoff.initial = milliseconds(200);
    options.backoff.cap = seconds(1);
    options.random = [] { return 0.5; };
    return options;
  }

  void StartReflector(ReflectorOptions options) {
    reflector_ = std::make_unique<Reflector>(KubeConnection::ForUrl(server_->Url()).value(),
                                             std::move(options), handler_, &observer_);
    reflector_->Start();
  }

  web::json::value CreatePod(int index, const std::string& name_space = kNamespace) {
    return server_->CreatePod(sidecar::testing::MakePipelinePod(
        name_space, PodName(index), {{"app", "feldera"}}, "10.244.0." + std::to_string(index)));
  }

  // The API requests of `verb` ("list", "watch") for pods in the log.
  std::vector<sidecar::testing::KubeRequestRecord> Requests(const std::string& verb) const {
    std::vector<sidecar::testing::KubeRequestRecord> matching;
    for (const auto& record : server_->RequestLog()) {
      if (record.verb == verb && record.resource == "pods") {
        matching.push_back(record);
      }
    }
    return matching;
  }
  int InjectedFailures(int status) const {
    int count = 0;
    for (const auto& record : server_->RequestLog()) {
      count += record.injected_status == status ? 1 : 0;
    }
    return count;
  }

  bool WaitForSyncs(int syncs) {
    return WaitUntil([&] { return handler_.Syncs() >= syncs; }, kPatience);
  }

  std::unique_ptr<FakeKubeApiServer> server_;
  RecordingHandler handler_;
  CountingObserver observer_;
  std::unique_ptr<Reflector> reflector_;
};

TEST_F(ReflectorTest, InitialListIsPaginatedThenWatchedFromItsVersion) {
  for (int i = 0; i < 7; ++i) {
    CreatePod(i);
  }
  CreatePod(50, "elsewhere");  // another namespace: not listed
  const std::string list_version = std::to_string(server_->CurrentResourceVersion());
  ReflectorOptions options = FastOptions();
  options.page_size = 3;
  StartReflector(options);
  ASSERT_TRUE(WaitForSyncs(1));
  ASSERT_TRUE(reflector_->HasSynced());

  auto changes = handler_.Changes();
  ASSERT_EQ(changes.size(), 7u);
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(changes[i].Short(), "+" + PodName(i));
  }
  auto lists = Requests("list");
  ASSERT_EQ(lists.size(), 3u);
  EXPECT_EQ(QueryParameter(lists[0], "limit"), "3");
  EXPECT_EQ(QueryParameter(lists[0], "continue"), "");
  EXPECT_NE(QueryParameter(lists[1], "continue"), "");
  EXPECT_NE(QueryParameter(lists[2], "continue"), "");
  ASSERT_TRUE(WaitUntil([&] { return !Requests("watch").empty(); }, kPatience));
  auto watch = Requests("watch").front();
  EXPECT_EQ(QueryParameter(watch, "resourceVersion"), list_version);
  EXPECT_EQ(QueryParameter(watch, "allowWatchBookmarks"), "true");
  EXPECT_EQ(QueryParameter(watch, "timeoutSeconds"), "60");
}

// A transform projects each object as it arrives and drops some for good: the handler sees only
// projections, and nothing of a dropped object, from list pages and watch events alike.
TEST_F(ReflectorTest, ATransformProjectsAndDropsObjectsFromListsAndWatches) {
  for (int i = 0; i < 6; ++i) CreatePod(i);
  const std::set<std::string> dropped = {PodName(1), PodName(3), PodName(5)};
  std::atomic<int> whole_objects_seen{0};
  ReflectorOptions options = FastOptions();
  options.page_size = 2;
  options.transform = [&dropped](const web::json::value& pod) -> std::optional<web::json::value> {
    if (dropped.count(ObjectName(pod))) return std::nullopt;
    web::json::value projected = web::json::value::object();
    projected["metadata"] = pod.at("metadata");
    return projected;
  };
  class ProjectionHandler : public RecordingHandler {
   public:
    explicit ProjectionHandler(std::atomic<int>& whole) : whole_(whole) {}
    void OnAdded(const web::json::value& o) override {
      Check(o);
      RecordingHandler::OnAdded(o);
    }
    void OnModified(const web::json::value& o) override {
      Check(o);
      RecordingHandler::OnModified(o);
    }
    void OnDeleted(const web::json::value& o) override {
      Check(o);
      RecordingHandler::OnDeleted(o);
    }

   private:
    void Check(const web::json::value& o) { whole_ += o.has_field("spec") ? 1 : 0; }
    std::atomic<int>& whole_;
  } handler(whole_objects_seen);
  // Declared after the handler, so destroyed (and stopped) before it.
  Reflector reflector(KubeConnection::ForUrl(server_->Url()).value(), options, handler);
  reflector.Start();
  ASSERT_TRUE(WaitUntil([&] { return handler.Syncs() >= 1; }, kPatience));
  EXPECT_EQ(handler.ChangesBeforeSync(1),
            (std::vector<std::string>{"+" + PodName(0), "+" + PodName(2), "+" + PodName(4)}));

  for (int i : {1, 2}) {
    server_->MutatePod(kNamespace, PodName(i), [](web::json::value& pod) {
      sidecar::testing::RestartContainer(pod, "pipeline");
    });
  }
  server_->DeletePod(kNamespace, PodName(3));
  server_->DeletePod(kNamespace, PodName(4));
  ASSERT_TRUE(WaitUntil([&] { return handler.Saw('-', PodName(4)); }, kPatience));
  EXPECT_EQ(handler.ChangesAfterSync(1),
            (std::vector<std::string>{"~" + PodName(2), "-" + PodName(4)}));
  EXPECT_EQ(whole_objects_seen.load(), 0);
}

TEST_F(ReflectorTest, WatchEventsReachTheHandlerInOrder) {
  CreatePod(1);
  StartReflector(FastOptions());
  ASSERT_TRUE(WaitForSyncs(1));

  const std::string uid = ObjectUid(CreatePod(2));
  server_->MutatePod(kNamespace, PodName(2), [](web::json::value& pod) {
    sidecar::testing::RestartContainer(pod, "pipeline");
  });
  server_->DeletePod(kNamespace, PodName(1));
  ASSERT_TRUE(WaitUntil([&] { return handler_.Saw('-', PodName(1)); }, kPatience));

  EXPECT_EQ(handler_.ChangesAfterSync(1),
            (std::vector<std::string>{"+" + PodName(2), "~" + PodName(2), "-" + PodName(1)}));
  EXPECT_EQ(handler_.Changes()[1].uid, uid);
  EXPECT_EQ(Requests("list").size(), 1u);
  EXPECT_EQ(observer_.Count("event:ADDED"), 1);
  EXPECT_EQ(observer_.Count("event:MODIFIED"), 1);
  EXPECT_EQ(observer_.Count("event:DELETED"), 1);
}

TEST_F(ReflectorTest, StreamsCutMidEventLoseAndRepeatNothing) {
  server_->SetBookmarkInterval(milliseconds(50));
  StartReflector(FastOptions());
  ASSERT_TRUE(WaitForSyncs(1));
  constexpr int kPods = 40;
  for (int i = 0; i < kPods; ++i) {
    CreatePod(i);
    if (i % 8 == 7) {
      server_->DropWatchStreams(/*mid_event=*/true);
    }
  }
  ASSERT_TRUE(WaitUntil([&] { return handler_.Changes().size() >= kPods; }, kPatience));
  // Every pod exactly once, in creation order, without a relist.
  auto changes = handler_.ChangesAfterSync(1);
  ASSERT_EQ(changes.size(), static_cast<size_t>(kPods));
  for (int i = 0; i < kPods; ++i) {
    EXPECT_EQ(changes[i], "+" + PodName(i));
  }
  EXPECT_EQ(handler_.Syncs(), 1);
  EXPECT_EQ(Requests("list").size(), 1u);
  EXPECT_GE(observer_.Count("restart:dropped"), 1);
  EXPECT_EQ(observer_.Count("restart:malformed"), 0);
}

TEST_F(ReflectorTest, WatchResumesFromTheLastBookmark) {
  server_->SetBookmarkInterval(milliseconds(50));
  StartReflector(FastOptions());
  ASSERT_TRUE(WaitForSyncs(1));
  // Writes elsewhere move the revision on; the watch sees them only as bookmarks.
  CreatePod(1, "elsewhere");
  CreatePod(2, "elsewhere");
  const int bookmarks = observer_.Count("event:BOOKMARK");
  ASSERT_TRUE(
      WaitUntil([&] { return observer_.Count("event:BOOKMARK") >= bookmarks + 2; }, kPatience));
  const std::string version = std::to_string(server_->CurrentResourceVersion());
  server_->DropWatchStreams(false);
  ASSERT_TRUE(WaitUntil([&] { return Requests("watch").size() >= 2; }, kPatience));
  EXPECT_EQ(QueryParameter(Requests("watch")[1], "resourceVersion"), version);
  EXPECT_TRUE(handler_.ChangesAfterSync(1).empty());
}

TEST_F(ReflectorTest, WatchEndedByTheServersTimeoutIsResumedWithoutRelist) {
  server_->SetBookmarkInterval(milliseconds(0));
  ReflectorOptions options = FastOptions();
  options.watch_timeout = seconds(1);
  StartReflector(options);
  ASSERT_TRUE(WaitForSyncs(1));
  ASSERT_TRUE(WaitUntil([&] { return observer_.Count("restart:closed") >= 2; }, kPatience));
  CreatePod(1);
  ASSERT_TRUE(WaitUntil([&] { return handler_.Saw('+', PodName(1)); }, kPatience));
  EXPECT_EQ(Requests("list").size(), 1u);
  for (const auto& watch : Requests("watch")) {
    EXPECT_EQ(QueryParameter(watch, "timeoutSeconds"), "1");
  }
}

TEST_F(ReflectorTest, ExpiredVersionRelistsAndReportsEverythingMissed) {
  const std::string old_c = ObjectUid(CreatePod(3));
  CreatePod(1);
  CreatePod(2);
  StartReflector(FastOptions());
  ASSERT_TRUE(WaitForSyncs(1));
  // The watch must be open for the cut below to reach it: one still on its way in would be
  // admitted before the fault and registered after the cut, and live on.
  ASSERT_TRUE(WaitUntil([&] { return server_->Counters().watches_open == 1; }, kPatience));

  // Keep the reflector from watching while the cluster changes, then forget the history.
  server_->FailRequests(503, -1, milliseconds(0), 0, "watch");
  server_->DropWatchStreams(false);
  ASSERT_TRUE(WaitUntil([&] { return InjectedFailures(503) >= 1; }, kPatience));
  server_->MutatePod(kNamespace, PodName(1), [](web::json::value& pod) {
    sidecar::testing::RestartContainer(pod, "pipeline");
  });
  server_->DeletePod(kNamespace, PodName(2));
  server_->DeletePod(kNamespace, PodName(3));
  const std::string new_c = ObjectUid(CreatePod(3));
  CreatePod(4);
  server_->Compact();
  server_->ClearFaults();

  ASSERT_TRUE(WaitForSyncs(2));
  EXPECT_EQ(handler_.ChangesBeforeSync(2),
            (std::vector<std::string>{"~" + PodName(1), "-" + PodName(2), "-" + PodName(3),
                                      "+" + PodName(3), "+" + PodName(4)}));
  auto changes = handler_.Changes();
  EXPECT_EQ(changes[changes.size() - 3].uid, old_c);  // the deletion names the old pod
  EXPECT_EQ(changes[changes.size() - 2].uid, new_c);
  // The server said so with an ERROR event carrying a 410 Status.
  EXPECT_GE(observer_.Count("event:ERROR"), 1);
  EXPECT_GE(observer_.Count("restart:gone"), 1);
  EXPECT_EQ(Requests("list").size(), 2u);
}

TEST_F(ReflectorTest, GoneAsAnHttpStatusRelistsToo) {
  CreatePod(1);
  StartReflector(FastOptions());
  ASSERT_TRUE(WaitForSyncs(1));
  ASSERT_TRUE(WaitUntil([&] { return server_->Counters().watches_open == 1; }, kPatience));
  server_->FailRequests(410, 1, milliseconds(0), 0, "watch");
  server_->DropWatchStreams(false);
  ASSERT_TRUE(WaitForSyncs(2));
  EXPECT_EQ(observer_.Count("watch:gone"), 1);
  EXPECT_TRUE(handler_.ChangesBeforeSync(2).empty());  // nothing changed meanwhile
  // And it watches again from the new list: the dropped watch, the refused one, a new one.
  ASSERT_TRUE(WaitUntil([&] { return Requests("watch").size() >= 3; }, kPatience));
}

// The observer runs on the reflector's thread between two pages: the test plays a cluster that
// compacts its history right then, so the continue token is expired when it is used.
class CompactAfterFirstPage : public CountingObserver {
 public:
  explicit CompactAfterFirstPage(FakeKubeApiServer& server) : server_(server) {}
  void OnListRequest(RequestOutcome outcome) override {
    CountingObserver::OnListRequest(outcome);
    if (!done_.exchange(true)) {
      server_.CreatePod(sidecar::testing::MakePipelinePod(kNamespace, PodName(9), {}, "10.0.0.9"));
      server_.Compact();
    }
  }

 private:
  FakeKubeApiServer& server_;
  std::atomic<bool> done_{false};
};

TEST_F(ReflectorTest, ExpiredContinueTokenFallsBackToOneFullList) {
  for (int i = 0; i < 5; ++i) {
    CreatePod(i);
  }
  CompactAfterFirstPage observer(*server_);
  ReflectorOptions options = FastOptions();
  options.page_size = 2;
  reflector_ = std::make_unique<Reflector>(KubeConnection::ForUrl(server_->Url()).value(), options,
                                           handler_, &observer);
  reflector_->Start();
  ASSERT_TRUE(WaitForSyncs(1));
  EXPECT_EQ(handler_.ChangesBeforeSync(1).size(), 6u);  // a consistent list: pod 9 included
  EXPECT_TRUE(handler_.Saw('+', PodName(9)));
  auto lists = Requests("list");
  ASSERT_EQ(lists.size(), 3u);
  EXPECT_NE(QueryParameter(lists[1], "continue"), "");
  EXPECT_EQ(QueryParameter(lists[2], "limit"), "");
  EXPECT_EQ(QueryParameter(lists[2], "continue"), "");
  EXPECT_EQ(observer.Count("list:gone"), 1);
  reflector_->Stop();
}

TEST_F(ReflectorTest, ServerErrorsAreRetriedWithBackoff) {
  CreatePod(1);
  server_->FailRequests(500, -1, seconds(2));
  StartReflector(FastOptions());
  ASSERT_TRUE(WaitForSyncs(1));
  // Delays of 100, 200, 400, 500, 500 ms... (half of each ceiling): about six tries in the two
  // seconds; a loop without backoff would make thousands.
  const int failures = InjectedFailures(500);
  EXPECT_GE(failures, 2);
  EXPECT_LE(failures, 12);
  EXPECT_GE(observer_.Count("list:server_error"), 2);
}

TEST_F(ReflectorTest, ThrottlingHonoursRetryAfter) {
  CreatePod(1);
  server_->FailRequests(429, -1, seconds(3), /*retry_after_seconds=*/1);
  StartReflector(FastOptions());
  ASSERT_TRUE(WaitForSyncs(1));
  // At least a second between tries: at most four in the three seconds.
  const int throttled = InjectedFailures(429);
  EXPECT_GE(throttled, 2);
  EXPECT_LE(throttled, 4);
  EXPECT_EQ(observer_.Count("list:throttled"), throttled);
}

TEST_F(ReflectorTest, WatchesThatEndAtOnceAreRateLimited) {
  server_->SetBookmarkInterval(milliseconds(0));
  StartReflector(FastOptions());
  ASSERT_TRUE(WaitForSyncs(1));
  // Cut every stream as soon as it opens, for two seconds.
  std::atomic<bool> cutting{true};
  std::thread cutter([&] {
    const auto until = std::chrono::steady_clock::now() + seconds(2);
    while (std::chrono::steady_clock::now() < until) {
      server_->DropWatchStreams(false);
      std::this_thread::sleep_for(milliseconds(5));  // the cut cadence, not a wait for a result
    }
    cutting = false;
  });
  cutter.join();
  const size_t watches = Requests("watch").size();
  EXPECT_GE(watches, 3u);
  EXPECT_LE(watches, 15u);  // backoff; without it, one per cut: hundreds
  // Once the cutting stops, events flow again.
  CreatePod(5);
  EXPECT_TRUE(WaitUntil([&] { return handler_.Saw('+', PodName(5)); }, kPatience));
}

TEST_F(ReflectorTest, StalledStreamIsCancelledAndRestarted) {
  server_->SetBookmarkInterval(milliseconds(100));
  ReflectorOptions options = FastOptions();
  options.stall_timeout = seconds(1);
  StartReflector(options);
  ASSERT_TRUE(WaitForSyncs(1));
  // Bookmarks keep an idle stream alive: many stall timeouts pass without a restart.
  ASSERT_TRUE(WaitUntil([&] { return observer_.Count("event:BOOKMARK") >= 25; }, kPatience));
  EXPECT_EQ(observer_.Count("restart:stalled"), 0);

  server_->StallWatches(true);
  ASSERT_TRUE(WaitUntil([&] { return observer_.Count("restart:stalled") >= 1; }, kPatience));
  server_->StallWatches(false);
  EXPECT_TRUE(WaitUntil([&] { return Requests("watch").size() >= 2; }, kPatience));
  CreatePod(7);
  EXPECT_TRUE(WaitUntil([&] { return handler_.Saw('+', PodName(7)); }, kPatience));
  EXPECT_EQ(Requests("list").size(), 1u);
}

TEST_F(ReflectorTest, FieldSelectedWatchSeesOnlyThatPod) {
  for (int i = 0; i < 4; ++i) {
    CreatePod(i);
  }
  ReflectorOptions options = FastOptions();
  options.query.field_selector = "metadata.name=" + PodName(1);
  StartReflector(options);
  ASSERT_TRUE(WaitForSyncs(1));
  EXPECT_EQ(handler_.ChangesBeforeSync(1), std::vector<std::string>{"+" + PodName(1)});

  auto restart = [](web::json::value& pod) { sidecar::testing::RestartContainer(pod, "pipeline"); };
  server_->MutatePod(kNamespace, PodName(2), restart);
  server_->MutatePod(kNamespace, PodName(1), restart);
  ASSERT_TRUE(WaitUntil([&] { return handler_.Saw('~', PodName(1)); }, kPatience));
  EXPECT_EQ(handler_.ChangesAfterSync(1), std::vector<std::string>{"~" + PodName(1)});
  for (const auto& record : server_->RequestLog()) {
    EXPECT_EQ(QueryParameter(record, "fieldSelector"), "metadata.name=" + PodName(1))
        << record.verb << " " << record.query;
  }
}

TEST_F(ReflectorTest, StopCancelsALongRetryAfterPause) {
  server_->FailRequests(429, -1, milliseconds(0), /*retry_after_seconds=*/3600);
  StartReflector(FastOptions());
  ASSERT_TRUE(WaitUntil([&] { return InjectedFailures(429) >= 1; }, kPatience));
  reflector_->Stop();  // would take an hour without cancellation
  EXPECT_EQ(InjectedFailures(429), 1);
  EXPECT_FALSE(reflector_->HasSynced());
}

TEST_F(ReflectorTest, StopCancelsAnOpenWatch) {
  // The server notices a client that left when it next writes to it: bookmarks make it write.
  server_->SetBookmarkInterval(milliseconds(50));
  StartReflector(FastOptions());
  ASSERT_TRUE(WaitForSyncs(1));
  ASSERT_TRUE(WaitUntil([&] { return server_->Counters().watches_open == 1; }, kPatience));
  reflector_->Stop();
  EXPECT_TRUE(WaitUntil([&] { return server_->Counters().watches_open == 0; }, kPatience));
  const size_t requests = server_->RequestLog().size();
  CreatePod(1);
  EXPECT_EQ(server_->RequestLog().size(), requests);
  EXPECT_FALSE(handler_.Saw('+', PodName(1)));
}

// A handler that throws does not stop the reflector.
class ThrowingHandler : public RecordingHandler {
 public:
  void OnAdded(const web::json::value& object) override {
    RecordingHandler::OnAdded(object);
    throw std::runtime_error("handler bug");
  }
};

TEST_F(ReflectorTest, AThrowingHandlerDoesNotStopTheReflector) {
  ThrowingHandler handler;
  reflector_ = std::make_unique<Reflector>(KubeConnection::ForUrl(server_->Url()).value(),
                                           FastOptions(), handler, nullptr);
  CreatePod(1);
  reflector_->Start();
  ASSERT_TRUE(WaitUntil([&] { return handler.Syncs() == 1; }, kPatience));
  CreatePod(2);
  EXPECT_TRUE(WaitUntil([&] { return handler.Saw('+', PodName(2)); }, kPatience));
  reflector_->Stop();
}

}  // namespace
}  // namespace sidecar::kube
