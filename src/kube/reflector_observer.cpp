#include "kube/reflector_observer.h"

namespace sidecar::kube {

std::string_view ToString(RequestOutcome outcome) {
  switch (outcome) {
    case RequestOutcome::kOk:
      return "ok";
    case RequestOutcome::kGone:
      return "gone";
    case RequestOutcome::kThrottled:
      return "throttled";
    case RequestOutcome::kServerError:
      return "server_error";
    case RequestOutcome::kClientError:
      return "client_error";
    case RequestOutcome::kTransportError:
      return "transport_error";
    case RequestOutcome::kMalformed:
      return "malformed";
  }
  return "unknown";
}

std::string_view ToString(WatchRestartReason reason) {
  switch (reason) {
    case WatchRestartReason::kClosed:
      return "closed";
    case WatchRestartReason::kDropped:
      return "dropped";
    case WatchRestartReason::kStalled:
      return "stalled";
    case WatchRestartReason::kGone:
      return "gone";
    case WatchRestartReason::kErrorEvent:
      return "error_event";
    case WatchRestartReason::kMalformed:
      return "malformed";
  }
  return "unknown";
}

}  // namespace sidecar::kube
