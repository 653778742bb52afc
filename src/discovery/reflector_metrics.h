// ReflectorMetrics: counts a reflector's list and watch requests, watch restarts and events in
// the service's metrics. Thread-safe (Metrics is).
#pragma once

#include "kube/reflector_observer.h"
#include "metrics/metrics.h"

namespace sidecar {

class ReflectorMetrics : public kube::ReflectorObserver {
 public:
  explicit ReflectorMetrics(Metrics& metrics) : metrics_(metrics) {}

  void OnListRequest(kube::RequestOutcome outcome) override {
    metrics_.CountKubeRequest("list", kube::ToString(outcome));
  }
  void OnWatchRequest(kube::RequestOutcome outcome) override {
    metrics_.CountKubeRequest("watch", kube::ToString(outcome));
  }
  void OnWatchRestart(kube::WatchRestartReason reason) override {
    metrics_.CountWatchRestart(kube::ToString(reason));
  }
  void OnWatchEvent(kube::WatchEventType type) override {
    metrics_.CountWatchEvent(kube::ToString(type));
  }

 private:
  Metrics& metrics_;
};

}  // namespace sidecar
