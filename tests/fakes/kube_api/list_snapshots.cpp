#include "fakes/kube_api/list_snapshots.h"

#include <algorithm>

namespace sidecar::testing::kubefake {

ListSnapshots::ListSnapshots(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {}

std::shared_ptr<const ObjectMap> ListSnapshots::Find(const std::string& resource,
                                                     int64_t version) const {
  for (const Snapshot& snapshot : kept_) {
    if (snapshot.resource == resource && snapshot.version == version) return snapshot.objects;
  }
  return nullptr;
}

void ListSnapshots::Keep(const std::string& resource, int64_t version, const ObjectMap& objects) {
  if (Find(resource, version)) return;
  kept_.push_back({resource, version, std::make_shared<const ObjectMap>(objects)});
  if (kept_.size() > capacity_) kept_.pop_front();
}

}  // namespace sidecar::testing::kubefake
