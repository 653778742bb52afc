#include "discovery/known_pipelines.h"

#include <spdlog/spdlog.h>

#include "kube/backoff.h"

namespace sidecar {

KnownPipelines::KnownPipelines(PipelineRegistry& registry, std::shared_ptr<HistoryStore> store,
                               std::shared_ptr<FelderaPipelineNames> names, Options options)
    : registry_(registry), store_(std::move(store)), names_(std::move(names)), options_(options) {}

KnownPipelines::~KnownPipelines() {
  {
    MutexLock lock(&mu_);
    stop_ = true;
  }
  stop_cv_.SignalAll();
  if (thread_.joinable()) thread_.join();
}

void KnownPipelines::Start(PipelineFactory make) {
  thread_ = std::thread([this, make = std::move(make)] { Run(make); });
}

std::optional<IncarnationHistory> KnownPipelines::StoredHistory(const std::string& pipeline) const {
  MutexLock lock(&mu_);
  if (!histories_) return std::nullopt;
  const auto found = histories_->find(pipeline);
  if (found == histories_->end()) return std::nullopt;
  return found->second;
}

bool KnownPipelines::loaded() const {
  MutexLock lock(&mu_);
  return histories_.has_value() && (!names_ || names_asked_);
}

bool KnownPipelines::Wait(std::chrono::milliseconds delay) {
  const auto deadline = std::chrono::steady_clock::now() + delay;
  MutexLock lock(&mu_);
  while (!stop_ && stop_cv_.WaitUntil(&mu_, deadline)) {
  }
  return !stop_;
}

void KnownPipelines::Run(const PipelineFactory& make) {
  if (!LoadHistories(make)) return;
  if (!names_) return;
  do {
    ServeFelderaPipelines(make);
  } while (Wait(options_.names_interval));
}

bool KnownPipelines::LoadHistories(const PipelineFactory& make) {
  StoredHistories loaded;
  if (store_) {
    kube::Backoff backoff({}, kube::SeededUniformRandom());
    while (true) {
      Result<StoredHistories> read = store_->LoadAll();
      if (read.ok()) {
        loaded = std::move(read).value();
        break;
      }
      const auto delay = backoff.NextDelay(kube::Backoff::Clock::now());
      spdlog::warn("cannot read the incarnation histories (retrying in {} ms): {}", delay.count(),
                   read.error());
      if (!Wait(delay)) return false;
    }
    spdlog::info("incarnation histories of {} pipelines loaded", loaded.size());
  }
  {
    // Before any pipeline is looked up below: a pipeline made from now on finds its history
    // through StoredHistory, one made before is found and merged.
    MutexLock lock(&mu_);
    histories_ = loaded;
  }
  // Plain references, not structured bindings: clang 14 cannot capture those in a lambda.
  for (const auto& entry : loaded) {
    const std::string& name = entry.first;
    auto pipeline = options_.serve_all ? registry_.FindOrAdd(name, [&] { return make(name); })
                                       : registry_.Find(name);
    if (pipeline) pipeline->MergeStoredHistory(entry.second);
  }
  return true;
}

void KnownPipelines::ServeFelderaPipelines(const PipelineFactory& make) {
  const std::optional<PipelineNamesById> listed = names_->All();
  if (listed && options_.serve_all) {
    for (const auto& entry : *listed) {
      const std::string& id = entry.first;
      const std::string& name = entry.second;
      const auto pipeline = registry_.FindOrAdd(name, [&] {
        spdlog::info("pipeline '{}' (id {}) known to Feldera's API server", name, id);
        return make(name);
      });
      registry_.AddAlias(id, name);
      pipeline->SetPipelineId(id);
    }
  }
  MutexLock lock(&mu_);
  names_asked_ = true;
}

}  // namespace sidecar
