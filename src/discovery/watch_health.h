// WatchHealth: whether the service's view of the pipeline pods is current — its list+watch of the
// Kubernetes API is connected — and since when it is not. While it is not, the service keeps
// answering from what it knows, and marks its pipelines' state as unconfirmed.
//
// A ReflectorObserver that passes every report on to `next` (e.g. the metrics). Thread-safe:
// the reflector reports on its thread, readers ask from any. One mutex guards the state; `next` is
// called without it.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>

#include "common/mutex.h"
#include "kube/reflector_observer.h"

namespace sidecar {

class WatchHealth : public kube::ReflectorObserver {
 public:
  using Clock = std::chrono::system_clock;

  explicit WatchHealth(kube::ReflectorObserver* next = nullptr);

  void OnListRequest(kube::RequestOutcome outcome) override;
  void OnWatchRequest(kube::RequestOutcome outcome) override;
  void OnWatchRestart(kube::WatchRestartReason reason) override;
  void OnWatchEvent(kube::WatchEventType type) override;

  // Whether the last list or watch request succeeded and no stream has failed since.
  bool current() const EXCLUDES(mu_);
  // When the view stopped being current (the start, before the first successful request).
  std::optional<Clock::time_point> stale_since() const EXCLUDES(mu_);

 private:
  void Set(bool current) EXCLUDES(mu_);

  kube::ReflectorObserver* const next_;
  mutable Mutex mu_;
  bool current_ GUARDED_BY(mu_) = false;
  Clock::time_point stale_since_ GUARDED_BY(mu_) = Clock::now();
};

}  // namespace sidecar
