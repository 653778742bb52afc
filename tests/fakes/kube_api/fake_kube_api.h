// FakeKubeApiServer: a Kubernetes API server on 127.0.0.1 for tests and benchmarks, serving
// core/v1 pods and configmaps over the real REST API (what client-go style reflectors and kubectl
// use), with a C++ API for tests to play the cluster's part and to inject faults.
//
// Storage is etcd-like: one global revision; every write takes the next one and is kept in a
// history (the newest 10,000 writes, or since the last Compact()) from which watches replay and
// past lists are served. See README.md in this directory for the HTTP semantics.
//
// Thread-safe: every method may be called from any thread while the server runs.
#pragma once

#include <cpprest/http_listener.h>
#include <cpprest/json.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "fakes/kube_api/api_error.h"
#include "fakes/kube_api/fault_injector.h"
#include "fakes/kube_api/request_log.h"

namespace sidecar::testing {

namespace kubefake {
class Cluster;
}

// Thrown by the test-side calls when the API server would refuse the write (404 NotFound,
// 409 AlreadyExists or Conflict, 400 BadRequest, ...); code() and ToStatus() tell which.
using KubeApiError = kubefake::ApiError;
using KubeRequestRecord = kubefake::RequestRecord;

struct FakeKubeApiCounters {
  int64_t requests = 0;  // API requests received (the /fake/ control API is not counted)
  std::map<std::string, int64_t> requests_by_verb;
  int64_t injected_failures = 0;
  int64_t resource_version = 0;  // the current revision
  int64_t watches_open = 0;
  int64_t watches_opened = 0;  // streams registered since start (too-old 410 streams excluded)
  int64_t watch_streams_cut = 0;
  int64_t watch_events_sent = 0;  // ADDED/MODIFIED/DELETED lines, initial ones included
  int64_t bookmarks_sent = 0;
  int64_t bookmark_rounds = 0;   // bookmark ticks, counted even while watches are stalled
  int64_t watch_lines_held = 0;  // event lines waiting in stalled streams
};

class FakeKubeApiServer {
 public:
  static constexpr std::chrono::milliseconds kDefaultBookmarkInterval{1000};

  explicit FakeKubeApiServer(int port);
  ~FakeKubeApiServer();
  FakeKubeApiServer(const FakeKubeApiServer&) = delete;
  FakeKubeApiServer& operator=(const FakeKubeApiServer&) = delete;

  // Starts listening on 127.0.0.1:port; throws if it cannot. Start() after Stop() serves the
  // same objects again (an API server restart).
  void Start();
  // Ends every watch stream cleanly, then stops listening.
  void Stop();
  std::string Url() const;  // "http://127.0.0.1:PORT"
  int port() const { return port_; }

  // ---- Objects, written as the kubelet and controllers would (a pod's status included). ----
  // Create sets uid, creationTimestamp, resourceVersion and the namespace (the object's own, or
  // "default"); a name comes from metadata.name or metadata.generateName. Replace keeps uid and
  // creationTimestamp; a metadata.resourceVersion in the object must be the current one. Each
  // returns the stored object and throws KubeApiError on refusal. A write that changes nothing
  // stores nothing (no new revision, no event), as on the real server.
  web::json::value CreatePod(web::json::value pod);
  web::json::value ReplacePod(web::json::value pod);
  // Runs `mutate` on a copy of the stored pod and stores the result; `mutate` runs under the
  // server's lock and must not call the server. See pod_mutations.h.
  web::json::value MutatePod(const std::string& namespace_name, const std::string& name,
                             const std::function<void(web::json::value&)>& mutate);
  // Watches get a DELETED event carrying the last state. Returns that state.
  web::json::value DeletePod(const std::string& namespace_name, const std::string& name);
  std::optional<web::json::value> GetPod(const std::string& namespace_name,
                                         const std::string& name) const;

  web::json::value CreateConfigMap(web::json::value config_map);
  web::json::value ReplaceConfigMap(web::json::value config_map);
  web::json::value MutateConfigMap(const std::string& namespace_name, const std::string& name,
                                   const std::function<void(web::json::value&)>& mutate);
  web::json::value DeleteConfigMap(const std::string& namespace_name, const std::string& name);
  std::optional<web::json::value> GetConfigMap(const std::string& namespace_name,
                                               const std::string& name) const;

  // Forgets the history below the current revision: a watch, exact list or continue token from
  // an older revision then gets 410 Expired.
  void Compact();
  int64_t CurrentResourceVersion() const;

  // ---- Faults ----
  // The next `count` API requests (all of them when count is -1) within `duration` from now
  // (no time limit when zero) are answered with a Status of code `status`, and a Retry-After
  // header when `retry_after_seconds` > 0. With `only_verb` ("watch", "list", ...), only requests
  // with that verb fail. A new call replaces the previous rule.
  void FailRequests(int status, int count,
                    std::chrono::milliseconds duration = std::chrono::milliseconds(0),
                    int retry_after_seconds = 0, const std::string& only_verb = "");
  void ClearFaults();
  // Open watch streams, and those opened while stalled, send nothing (bookmarks and the end of
  // the stream included) without closing. Releasing sends the held events in order.
  void StallWatches(bool stalled);
  // Cuts every open watch stream abruptly (no final chunk); with `mid_event`, after writing the
  // first half of an event line.
  void DropWatchStreams(bool mid_event);
  // Period of BOOKMARK events on watches with allowWatchBookmarks=true; zero disables them.
  void SetBookmarkInterval(std::chrono::milliseconds interval);

  // ---- Observation ----
  // The newest 100,000 API requests, oldest first.
  std::vector<KubeRequestRecord> RequestLog() const;
  void ClearRequestLog();  // resets the request counts too
  FakeKubeApiCounters Counters() const;

 private:
  void Handle(const web::http::http_request& request);

  const int port_;
  std::shared_ptr<kubefake::Cluster> cluster_;
  kubefake::FaultInjector faults_;
  kubefake::RequestLog log_;
  std::mutex listener_mutex_;
  std::unique_ptr<web::http::experimental::listener::http_listener> listener_;
};

// A FakeKubeApiServer started on `api_port` holding one pipeline pod (MakePipelinePod) with
// `labels`, whose pipeline container listens on `pod_ip`:`port` (the simulator, in tests).
std::unique_ptr<FakeKubeApiServer> StartWithPipelinePod(
    int api_port, const std::string& namespace_name, const std::string& pod_name,
    const std::map<std::string, std::string>& labels, const std::string& pod_ip, int port);

}  // namespace sidecar::testing
