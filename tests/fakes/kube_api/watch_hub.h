// WatchHub: the open watches of one server. It fans stored writes out to them (each through its
// own filter), sends periodic bookmarks, ends streams whose timeoutSeconds has passed, and applies
// the watch faults (stall, cut).
//
// Thread-safe. One background thread sends bookmarks and ends timed-out streams. The owner calls
// Add() and Publish() in revision order (under the lock that orders its writes), so every watch
// sees events, and bookmarks, in revision order.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fakes/kube_api/object_store.h"
#include "fakes/kube_api/resource_types.h"
#include "fakes/kube_api/selectors.h"
#include "fakes/kube_api/watch_stream.h"

namespace sidecar::testing::kubefake {

// What one watch asked for.
struct WatchSpec {
  const ResourceType* type = nullptr;
  ObjectFilter filter;
  bool bookmarks = false;
  std::optional<std::chrono::steady_clock::time_point> deadline;  // from timeoutSeconds
  // The stream ends after its initial lines (a watch answered with an ERROR event).
  bool ends_after_initial_lines = false;
};

struct WatchHubStats {
  int64_t open_streams = 0;
  int64_t streams_opened = 0;  // streams that went live (not those ended at once)
  int64_t streams_cut = 0;     // by CutAll()
  int64_t events_sent = 0;  // ADDED/MODIFIED/DELETED lines written or held, initial ones included
  int64_t bookmarks_sent = 0;
  int64_t bookmark_rounds = 0;  // bookmark ticks, counted even while every stream is stalled
  int64_t held_lines = 0;       // lines waiting in stalled streams
};

class WatchHub {
 public:
  explicit WatchHub(std::chrono::milliseconds bookmark_interval);
  // Finishes every stream cleanly and stops the background thread.
  ~WatchHub();
  WatchHub(const WatchHub&) = delete;
  WatchHub& operator=(const WatchHub&) = delete;

  // Registers `stream` (stalled if the hub is), after sending it `initial_lines`. `version` is
  // the store revision the stream is up to date with. While closed, sends the lines and ends
  // the stream.
  void Add(std::shared_ptr<WatchStream> stream, WatchSpec spec,
           const std::vector<std::string>& initial_lines, int64_t version);
  // Sends `event` to every watch that sees it.
  void Publish(const StoredEvent& event);

  // Zero or less: no periodic bookmarks.
  void SetBookmarkInterval(std::chrono::milliseconds interval);
  // Stalls (or releases) every open stream and those opened while stalled.
  void SetStalled(bool stalled);
  // Ends every open stream abruptly; with `mid_event`, after writing half of an event line.
  void CutAll(bool mid_event);
  // Ends every open stream cleanly, and every stream added until Reopen() as soon as it is
  // added: for a server that stops while watch requests are still being set up.
  void Close();
  void Reopen();
  // Waits until every stream has ended and its response is fully written (or failed); false on
  // timeout.
  bool WaitUntilDrained(std::chrono::milliseconds timeout);

  WatchHubStats Stats() const;

 private:
  struct Watch {
    std::shared_ptr<WatchStream> stream;
    WatchSpec spec;
  };

  void RunTimers();
  void SendBookmarksLocked();
  void EndExpiredLocked(std::chrono::steady_clock::time_point now);
  void ReapLocked();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Watch> watches_;
  std::vector<std::shared_ptr<WatchStream>> ending_;  // ended, response still being written
  std::chrono::milliseconds bookmark_interval_;
  std::chrono::steady_clock::time_point last_bookmark_round_;
  int64_t version_ = 0;
  bool stalled_ = false;
  bool closed_ = false;
  bool stopping_ = false;
  WatchHubStats stats_;
  std::thread timer_thread_;
};

}  // namespace sidecar::testing::kubefake
