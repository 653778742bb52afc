// ListSnapshots: the states that paged lists are served from, as kube-apiserver serves every page
// of one list from one snapshot at the list's resourceVersion. The first page of a list that has
// more to read keeps the state it was cut from, keyed by resource and revision (what its continue
// token carries); every later page of that list is cut from it, whatever is written meanwhile.
//
// Bounded: past `capacity` snapshots the oldest kept is forgotten, and continue tokens into it
// expire. A snapshot is a copy of the store's map of shared, immutable objects: one map entry per
// object, the objects themselves are not copied.
//
// Not thread-safe: its owner (Cluster) serializes every call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "fakes/kube_api/object_store.h"

namespace sidecar::testing::kubefake {

class ListSnapshots {
 public:
  static constexpr size_t kDefaultCapacity = 16;

  explicit ListSnapshots(size_t capacity = kDefaultCapacity);

  // The kept state of `resource` at `version`, or null.
  std::shared_ptr<const ObjectMap> Find(const std::string& resource, int64_t version) const;
  // Keeps a copy of `objects` as the state of `resource` at `version`, unless one is kept already.
  void Keep(const std::string& resource, int64_t version, const ObjectMap& objects);
  void Clear() { kept_.clear(); }
  size_t size() const { return kept_.size(); }

 private:
  struct Snapshot {
    std::string resource;
    int64_t version = 0;
    std::shared_ptr<const ObjectMap> objects;
  };

  size_t capacity_;
  std::deque<Snapshot> kept_;  // oldest first
};

}  // namespace sidecar::testing::kubefake
