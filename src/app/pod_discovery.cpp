#include "app/pod_discovery.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "feldera/pod_observation.h"

namespace sidecar {

Result<PodDiscovery> StartPodDiscovery(
    const Config& config, const kube::KubeConnection& connection, PipelineRegistry& pipelines,
    Metrics& metrics, const std::shared_ptr<FelderaPipelineNames>& names,
    const std::shared_ptr<std::atomic<bool>>& pods_listed,
    const std::function<std::shared_ptr<Pipeline>(const std::string&)>& make_pipeline) {
  using R = Result<PodDiscovery>;

  auto pod_options = CompilePodRules(config.pods);
  if (!pod_options.ok()) return R::Error("pipelines.pod_name_pattern: " + pod_options.error());

  kube::ReflectorOptions reflector_options;
  // The reflector keeps a projection of each pipeline pod and nothing of any other pod.
  reflector_options.transform = [rules = pod_options.value()](const web::json::value& pod) {
    return ProjectPod(pod, rules);
  };
  if (config.mode == Mode::kSidecar) {
    // Only this pod: a field-selected watch, never a namespace-wide one.
    reflector_options.query.resource_path =
        "/api/v1/namespaces/" + config.kubernetes.pod_namespace + "/pods";
    reflector_options.query.field_selector = "metadata.name=" + config.kubernetes.pod_name;
  } else {
    reflector_options.query.resource_path =
        config.kubernetes.namespace_name.empty()
            ? "/api/v1/pods"
            : "/api/v1/namespaces/" + config.kubernetes.namespace_name + "/pods";
    reflector_options.query.label_selector = config.kubernetes.pod_selector;
  }
  spdlog::info("watching pods at {}{} ({})", connection.server(),
               reflector_options.query.resource_path, connection.description());

  PodDiscovery discovery;
  PodWatcher::NameResolver name_for_id;
  if (names) {
    name_for_id = [names](const std::string& id) { return names->NameForId(id); };
  }
  discovery.watcher =
      std::make_unique<PodWatcher>(pipelines, make_pipeline, pod_options.value(),
                                   config.mode == Mode::kSidecar, pods_listed, name_for_id);
  discovery.observer = std::make_unique<ReflectorMetrics>(metrics);
  discovery.health = std::make_unique<WatchHealth>(discovery.observer.get());
  discovery.reflector = std::make_unique<kube::Reflector>(
      connection, reflector_options, *discovery.watcher, discovery.health.get());
  discovery.reflector->Start();
  return R::Ok(std::move(discovery));
}

}  // namespace sidecar
