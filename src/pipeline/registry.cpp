#include "pipeline/registry.h"

namespace sidecar {

void PipelineRegistry::Add(std::shared_ptr<Pipeline> pipeline) {
  WriterLock lock(&mu_);
  pipelines_[pipeline->name()] = std::move(pipeline);
}

void PipelineRegistry::AddAlias(const std::string& alias, const std::string& name) {
  WriterLock lock(&mu_);
  if (alias != name) aliases_[alias] = name;
}

std::shared_ptr<Pipeline> PipelineRegistry::Find(const std::string& name) const {
  ReaderLock lock(&mu_);
  auto it = pipelines_.find(name);
  if (it != pipelines_.end()) return it->second;
  auto alias = aliases_.find(name);
  if (alias == aliases_.end()) return nullptr;
  it = pipelines_.find(alias->second);
  return it == pipelines_.end() ? nullptr : it->second;
}

std::shared_ptr<Pipeline> PipelineRegistry::FindOrAdd(
    const std::string& name, const std::function<std::shared_ptr<Pipeline>()>& make) {
  {
    ReaderLock lock(&mu_);
    auto it = pipelines_.find(name);
    if (it != pipelines_.end()) return it->second;
  }
  auto made = make();
  WriterLock lock(&mu_);
  return pipelines_.try_emplace(name, std::move(made)).first->second;
}

std::vector<std::shared_ptr<Pipeline>> PipelineRegistry::All() const {
  ReaderLock lock(&mu_);
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
