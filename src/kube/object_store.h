// The reflector's copy of the watched objects, and the changes each list or watch event makes.
//
// Keyed by "namespace/name" (just "name" for cluster-scoped objects). The uid tells an object from
// a namesake created after it was deleted, and the resourceVersion tells a change from a
// duplicate. Every change is reported against what the store held, so a handler always sees an
// object added before it is modified or deleted, and exactly one deletion per addition. Pure (no
// I/O); not thread-safe.
#pragma once

#include <cpprest/json.h>

#include <map>
#include <string>
#include <vector>

#include "kube/list_watch_protocol.h"

namespace sidecar::kube {

struct StoreChange {
  enum class Type { kAdded, kModified, kDeleted };
  Type type = Type::kAdded;
  web::json::value object;  // the new state; for kDeleted, the last state known
};

// "namespace/name", or "name" when the object has no namespace.
std::string ObjectKey(const web::json::value& object);

class ObjectStore {
 public:
  // Applies an ADDED, MODIFIED or DELETED event (other types change nothing):
  // - an object not in the store is added, whatever the event says, unless it is deleted;
  // - an object whose uid differs from the stored one replaces it: deleted, then added;
  // - the same uid and resourceVersion again is a duplicate and changes nothing;
  // - a deletion of an object not in the store changes nothing.
  std::vector<StoreChange> Apply(const WatchEvent& event);

  // Replaces the whole content with a fresh list and returns the difference, in key order:
  // objects gone (deleted), replaced under the same name (deleted, then added), changed
  // (modified) and new (added). This is how changes missed while no watch ran are reported.
  std::vector<StoreChange> Replace(const std::vector<web::json::value>& listed);

  size_t size() const { return objects_.size(); }
  // The stored object for `key`, or nullptr.
  const web::json::value* Find(const std::string& key) const;

 private:
  struct Entry {
    std::string uid;
    std::string resource_version;
    web::json::value object;
  };
  static Entry MakeEntry(const web::json::value& object);
  // The changes from `old` (may be null) to `now` (may be null) for one key.
  static void Diff(const Entry* old, const Entry* now, std::vector<StoreChange>& changes);

  std::map<std::string, Entry> objects_;
};

}  // namespace sidecar::kube
