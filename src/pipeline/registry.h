// PipelineRegistry: the pipelines the service serves, by name. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "pipeline/pipeline.h"

namespace sidecar {

class PipelineRegistry {
 public:
  void Add(std::shared_ptr<Pipeline> pipeline);
  // Makes `alias` (e.g. the pipeline id) find the pipeline named `name` too.
  void AddAlias(const std::string& alias, const std::string& name);
  // By name or alias.
  std::shared_ptr<Pipeline> Find(const std::string& name) const;
  // Finds the pipeline called `name`, or adds the one `make` returns.
  std::shared_ptr<Pipeline> FindOrAdd(const std::string& name,
                                      const std::function<std::shared_ptr<Pipeline>()>& make);
  std::vector<std::shared_ptr<Pipeline>> All() const;
  // True once every pipeline has been probed at least once.
  bool AllProbed() const;

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, std::shared_ptr<Pipeline>> pipelines_;
  std::map<std::string, std::string> aliases_;  // alias -> name
};

}  // namespace sidecar
