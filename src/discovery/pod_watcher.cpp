#include "discovery/pod_watcher.h"

#include "common/free_memory.h"

#include <spdlog/spdlog.h>

namespace sidecar {

PodWatcher::PodWatcher(PipelineRegistry& registry, PipelineFactory make_pipeline,
                       PodObservationOptions options, bool loopback,
                       std::shared_ptr<std::atomic<bool>> synced, NameResolver name_for_id)
    : registry_(registry),
      make_pipeline_(std::move(make_pipeline)),
      options_(std::move(options)),
      loopback_(loopback),
      name_for_id_(std::move(name_for_id)),
      synced_(std::move(synced)) {}

void PodWatcher::OnSynced() {
  *synced_ = true;
  // A pipeline no listed pod runs has no running incarnation.
  for (const auto& pipeline : registry_.All()) pipeline->OnPodsListed();
  // The list's pages, parsed and dropped, are the largest transient the service has.
  ReturnFreedMemory();
}

void PodWatcher::Observe(const web::json::value& object, bool deleted) {
  std::optional<PodObservation> pod = ObservePod(object, options_);
  if (!pod) return;
  if (loopback_ && !pod->pod_ip.empty()) pod->pod_ip = "127.0.0.1";
  std::string name = pod->pipeline_name;
  if (name.empty() && name_for_id_) name = name_for_id_(pod->pipeline_id).value_or("");
  if (name.empty()) name = pod->pipeline_id;
  auto pipeline = registry_.FindOrAdd(name, [&] {
    spdlog::info("pipeline '{}' (id {}) found in pod {}/{}", name, pod->pipeline_id,
                 pod->namespace_name, pod->pod_name);
    return make_pipeline_(name);
  });
  registry_.AddAlias(pod->pipeline_id, name);
  pipeline->SetPipelineId(pod->pipeline_id);
  if (pod->ordinal == 0) {
    pipeline->ObservePod(*pod, deleted);
  } else {
    pipeline->ObserveOtherHostPod(pod->namespace_name + "/" + pod->pod_name, deleted);
  }
}

}  // namespace sidecar
