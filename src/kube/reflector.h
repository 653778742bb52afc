// Reflector: keeps a local copy of a set of Kubernetes objects with list+watch, as client-go's
// reflector does, and reports every change to a handler.
//
// It lists (paginated), then watches from the list's resourceVersion with bookmarks, resuming
// from the last resourceVersion seen whenever a stream ends, drops or stalls. When the server says
// that revision is gone (410, as an HTTP status or an ERROR event) it lists again and reports the
// difference from what it held, so changes made while it was not watching (an object modified,
// deleted, or deleted and recreated under the same name) still reach the handler. Failures and
// throttling are retried with jittered exponential backoff that honours Retry-After; a stream that
// ends at once without moving the resourceVersion on counts as a failure, so nothing can make it
// loop fast.
//
// Threading: Start() runs the loop on a thread of its own; the handler and observer are called on
// that thread, one call at a time. Stop() (from any thread, idempotent, also called by the
// destructor) cancels the request in flight and returns once the thread has ended; no callback
// runs after it returns. Stop() called from a callback ends the loop without waiting for it; the
// reflector must not be destroyed from its own callbacks. `lifecycle_mutex_` guards the thread
// handle; `pause_mutex_` guards nothing of its own (`stopping_` is atomic) but orders setting
// `stopping_` with a pause's wait, so that Stop() cannot slip between the pause's check and its
// wait. No request is made under either.
#pragma once

#include <cpprest/json.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/mutex.h"
#include "kube/backoff.h"
#include "kube/connection.h"
#include "kube/list_watch_protocol.h"
#include "kube/object_store.h"
#include "kube/reflector_observer.h"
#include "kube/watch_line_splitter.h"

namespace sidecar::kube {

// Receives the changes to the watched objects, on the reflector's thread.
class ReflectorHandler {
 public:
  virtual ~ReflectorHandler() = default;
  virtual void OnAdded(const web::json::value& object) = 0;
  virtual void OnModified(const web::json::value& object) = 0;
  // `object` is the last state known.
  virtual void OnDeleted(const web::json::value& object) = 0;
  // After each complete list has been applied: the handler now has the whole current state.
  virtual void OnSynced() = 0;
};

struct ReflectorOptions {
  ListWatchQuery query;
  int page_size = 500;
  // Server-side timeout of each watch; zero: random in [5, 10) minutes per watch.
  std::chrono::seconds watch_timeout{0};
  // A watch that receives nothing, bookmarks included, for this long is cancelled and restarted.
  // Keep it well above the server's bookmark interval (about a minute on kube-apiserver).
  std::chrono::milliseconds stall_timeout{90'000};
  // Silence allowed while waiting for a list page.
  std::chrono::milliseconds request_timeout{30'000};
  // A watch that ends sooner than this without a new resourceVersion counts as a failure.
  std::chrono::milliseconds min_healthy_watch{1'000};
  BackoffPolicy backoff;
  size_t max_line_bytes = kDefaultMaxLineBytes;
  // Jitter source; empty: seeded from std::random_device.
  UniformRandom random;
  // Applied to each object as it arrives (list page or watch event), as client-go's informer
  // transform is: what it returns is stored and reported in the object's place, so the store keeps
  // only what the handler reads; nullopt drops the object. It must keep the metadata the store
  // keys by (name, namespace, uid, resourceVersion), and drop an object on every version if on
  // one, as a name filter does. Empty: objects are kept whole.
  std::function<std::optional<web::json::value>(const web::json::value&)> transform;
};

class Reflector {
 public:
  // `handler` and `observer` (optional) must outlive the reflector.
  Reflector(KubeConnection connection, ReflectorOptions options, ReflectorHandler& handler,
            ReflectorObserver* observer = nullptr);
  ~Reflector();
  Reflector(const Reflector&) = delete;
  Reflector& operator=(const Reflector&) = delete;

  void Start() EXCLUDES(lifecycle_mutex_);
  void Stop() EXCLUDES(lifecycle_mutex_, pause_mutex_);

  // Whether a first list has been applied (OnSynced was called at least once).
  bool HasSynced() const { return synced_.load(); }

 private:
  // What one list or watch attempt leaves for the loop to do next.
  struct Attempt {
    bool healthy = true;  // false: wait out a backoff delay before the next request
    bool relist = false;  // the watch cannot resume: list again
    std::optional<std::chrono::seconds> retry_after;
  };

  // One list page, or (page empty) the failure; status 0 when no HTTP answer came.
  struct PageAnswer {
    int status = 0;
    std::optional<ListPage> page;
    std::optional<std::chrono::seconds> retry_after;
  };

  void Run();
  Attempt ListAll(web::http::client::http_client& client);
  PageAnswer FetchListPage(web::http::client::http_client& client, int limit,
                           const std::string& continue_token);
  // Replaces the store with a complete list, reports the difference, then OnSynced.
  void ApplyList(const std::vector<web::json::value>& items, const std::string& resource_version);
  Attempt Watch(web::http::client::http_client& client);
  // Applies one watch line; false when the stream must end, with `attempt` saying how.
  bool ApplyWatchLine(const std::string& line, Attempt& attempt,
                      std::optional<WatchRestartReason>& restart);
  void Emit(const std::vector<StoreChange>& changes);
  // Waits `delay` unless Stop() comes first.
  void Pause(std::chrono::milliseconds delay) EXCLUDES(pause_mutex_);
  bool stopping() const { return stopping_.load(); }

  const KubeConnection connection_;
  const ReflectorOptions options_;
  ReflectorHandler& handler_;
  ReflectorObserver default_observer_;
  ReflectorObserver& observer_;
  UniformRandom random_;

  // Touched by the loop thread only.
  ObjectStore store_;
  std::string resource_version_;  // where the next watch starts; empty: list first

  std::atomic<bool> synced_{false};
  std::atomic<bool> stopping_{false};
  pplx::cancellation_token_source stop_source_;
  Mutex pause_mutex_;      // with wake_: lets Stop() interrupt a backoff pause
  CondVar wake_;           // signalled when `stopping_` is set
  Mutex lifecycle_mutex_;  // serializes Start() and Stop()
  std::thread thread_ GUARDED_BY(lifecycle_mutex_);
};

}  // namespace sidecar::kube
