// PipelineRegistry: the pipelines the service serves, by name. Thread-safe.
#pragma once

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
  std::shared_ptr<Pipeline> Find(const std::string& name) const;
  std::vector<std::shared_ptr<Pipeline>> All() const;
  // True once every pipeline has been probed at least once.
  bool AllProbed() const;

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, std::shared_ptr<Pipeline>> pipelines_;
};

}  // namespace sidecar
