// PodWatcher: turns the pipeline pods a Reflector reports into pipelines in the registry and
// pod observations for them.
//
// A pipeline's API host (StatefulSet ordinal 0) runs its incarnations; pods of its other hosts
// make it multi-host. A pod's pipeline is named by its name label when present, else by Feldera's
// API server for its id, else by the id from the pod name; the id always finds it too, and labels
// its metrics (`pipeline`). In sidecar mode the pipeline is reached on loopback.
//
// Called on the reflector's thread; what it touches (registry, pipelines) is thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "feldera/pod_observation.h"
#include "kube/reflector.h"
#include "pipeline/registry.h"

namespace sidecar {

class PodWatcher : public kube::ReflectorHandler {
 public:
  using PipelineFactory = std::function<std::shared_ptr<Pipeline>(const std::string& name)>;
  // The pipeline's name for its id (Feldera's API server), if known; may be empty.
  using NameResolver = std::function<std::optional<std::string>(const std::string& pipeline_id)>;

  // `synced` is set once the first complete list has been applied; others may read it.
  PodWatcher(PipelineRegistry& registry, PipelineFactory make_pipeline,
             PodObservationOptions options, bool loopback,
             std::shared_ptr<std::atomic<bool>> synced, NameResolver name_for_id = {});

  void OnAdded(const web::json::value& pod) override { Observe(pod, false); }
  void OnModified(const web::json::value& pod) override { Observe(pod, false); }
  void OnDeleted(const web::json::value& pod) override { Observe(pod, true); }
  void OnSynced() override;

  // True once the first complete list has been applied.
  bool synced() const { return synced_->load(); }

 private:
  void Observe(const web::json::value& pod, bool deleted);

  PipelineRegistry& registry_;
  const PipelineFactory make_pipeline_;
  const PodObservationOptions options_;
  const bool loopback_;
  const NameResolver name_for_id_;
  const std::shared_ptr<std::atomic<bool>> synced_;
};

}  // namespace sidecar
