// PodDiscovery: the list+watch of pipeline pods in the cluster and sidecar modes — the reflector,
// the PodWatcher that turns its events into pipelines, and the watch's health and metrics — made
// from the configuration. The reflector runs on a thread of its own from Start() until Stop().
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "config/config.h"
#include "discovery/feldera_names.h"
#include "discovery/pod_watcher.h"
#include "discovery/reflector_metrics.h"
#include "discovery/watch_health.h"
#include "kube/connection.h"
#include "kube/reflector.h"
#include "metrics/metrics.h"
#include "pipeline/registry.h"

namespace sidecar {

struct PodDiscovery {
  std::unique_ptr<ReflectorMetrics> observer;
  std::unique_ptr<WatchHealth> health;  // passes reports on to `observer`
  std::unique_ptr<PodWatcher> watcher;
  std::unique_ptr<kube::Reflector> reflector;
};

// Starts watching the pods `config` names: this pod only in sidecar mode, else the namespace's
// (or all namespaces') pods matching `kubernetes.pod_selector`. `names` (may be null) names
// pipelines whose pods have no name label; `pods_listed` is set once the first list is applied.
// An error names the setting that cannot be used.
Result<PodDiscovery> StartPodDiscovery(
    const Config& config, const kube::KubeConnection& connection, PipelineRegistry& pipelines,
    Metrics& metrics, const std::shared_ptr<FelderaPipelineNames>& names,
    const std::shared_ptr<std::atomic<bool>>& pods_listed,
    const std::function<std::shared_ptr<Pipeline>(const std::string&)>& make_pipeline);

}  // namespace sidecar
