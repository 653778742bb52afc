// What a Reflector reports for metrics: requests with their outcome, watch restarts with their
// reason, and events by type. The default methods do nothing; override the ones you count.
//
// Called on the reflector's thread, one call at a time; an observer shared by several reflectors
// must be thread-safe itself.
#pragma once

#include <string_view>

#include "kube/list_watch_protocol.h"

namespace sidecar::kube {

enum class RequestOutcome {
  kOk,
  kGone,            // 410: the resourceVersion or continue token is too old
  kThrottled,       // 429
  kServerError,     // 5xx
  kClientError,     // another 4xx (403 forbidden, 404 ...)
  kTransportError,  // no HTTP answer: refused, reset, timed out
  kMalformed,       // an answer that is not what the API promises
};

enum class WatchRestartReason {
  kClosed,      // the server ended the stream (its timeout, or a restart)
  kDropped,     // the connection broke mid-stream
  kStalled,     // nothing arrived, bookmarks included, for the stall timeout
  kGone,        // an ERROR event with code 410: the watch must start from a new list
  kErrorEvent,  // an ERROR event with another code
  kMalformed,   // a line that is not a watch event, or one over the size limit
};

std::string_view ToString(RequestOutcome outcome);
std::string_view ToString(WatchRestartReason reason);

class ReflectorObserver {
 public:
  virtual ~ReflectorObserver() = default;
  // One per list page request.
  virtual void OnListRequest(RequestOutcome) {}
  // One per watch request, for its response headers (kOk: the stream opened).
  virtual void OnWatchRequest(RequestOutcome) {}
  // One per opened watch stream that ended other than by Stop().
  virtual void OnWatchRestart(WatchRestartReason) {}
  // One per watch event received (before it is applied).
  virtual void OnWatchEvent(WatchEventType) {}
};

}  // namespace sidecar::kube
