// PipelineRegistry: the pipelines the service serves, by name. Thread-safe: one reader/writer lock,
// held only to read or change the maps, never across a call into a Pipeline or a factory.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/mutex.h"
#include "pipeline/pipeline.h"

namespace sidecar {

class PipelineRegistry {
 public:
  void Add(std::shared_ptr<Pipeline> pipeline) EXCLUDES(mu_);
  // Makes `alias` (e.g. the pipeline id) find the pipeline named `name` too.
  void AddAlias(const std::string& alias, const std::string& name) EXCLUDES(mu_);
  // By name or alias.
  std::shared_ptr<Pipeline> Find(const std::string& name) const EXCLUDES(mu_);
  // Finds the pipeline called `name`, or adds the one `make` returns. `make` runs without the lock
  // (it may read stored history): when two threads add the same name at once, the first added
  // wins and both get it.
  std::shared_ptr<Pipeline> FindOrAdd(const std::string& name,
                                      const std::function<std::shared_ptr<Pipeline>()>& make)
      EXCLUDES(mu_);
  std::vector<std::shared_ptr<Pipeline>> All() const EXCLUDES(mu_);
  // True once every pipeline has been probed at least once.
  bool AllProbed() const EXCLUDES(mu_);

 private:
  mutable SharedMutex mu_;
  std::map<std::string, std::shared_ptr<Pipeline>> pipelines_ GUARDED_BY(mu_);
  std::map<std::string, std::string> aliases_ GUARDED_BY(mu_);  // alias -> name
};

}  // namespace sidecar
