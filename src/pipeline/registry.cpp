#include "pipeline/registry.h"

#include <mutex>

namespace sidecar {

void PipelineRegistry::Add(std::shared_ptr<Pipeline> pipeline) {
  std::unique_lock lock(mu_);
  pipelines_[pipeline->name()] = std::move(pipeline);
}

std::shared_ptr<Pipeline> PipelineRegistry::Find(const std::string& name) const {
  std::shared_lock lock(mu_);
  auto it = pipelines_.find(name);
  return it == pipelines_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<Pipeline>> PipelineRegistry::All() const {
  std::shared_lock lock(mu_);
  std::vector<std::shared_ptr<Pipeline>> all;
  for (const auto& [name, p] : pipelines_) all.push_back(p);
  return all;
}

bool PipelineRegistry::AllProbed() const {
  for (const auto& p : All()) {
    if (!p->probed_once()) return false;
  }
  return true;
}

}  // namespace sidecar
