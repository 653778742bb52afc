// ObjectStore: the fake's etcd. Objects of several resources under one global, monotonically
// increasing revision: every write takes the next revision, stamps it into the object's
// `metadata.resourceVersion` and appends an event to a bounded history, from which past states
// and watch replays are rebuilt. Stored objects are immutable and shared: a copy of the object
// map (a list snapshot) shares them instead of copying them.
//
// Not thread-safe: its owner (Cluster) serializes every call.
#pragma once

#include <cpprest/json.h>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sidecar::testing::kubefake {

// One write, as a watch replays it.
struct StoredEvent {
  enum class Type { kAdded, kModified, kDeleted };

  Type type = Type::kAdded;
  int64_t resource_version = 0;
  std::string resource;
  std::string key;
  // The state after the write. For kDeleted, the last state, stamped with this event's
  // resourceVersion (what the real server sends in a DELETED event).
  web::json::value object;
  // The state before the write; null for kAdded.
  web::json::value previous;
};

// A stored object: never changed once stored (a write stores a new one).
using ObjectPtr = std::shared_ptr<const web::json::value>;
// Objects of one resource by key ("namespace/name"), in key order as etcd lists them.
using ObjectMap = std::map<std::string, ObjectPtr>;

std::string ObjectKey(const std::string& namespace_name, const std::string& name);

class ObjectStore {
 public:
  // The revision of an empty store; the first write is at kInitialVersion + 1.
  static constexpr int64_t kInitialVersion = 1;
  static constexpr size_t kDefaultHistoryLimit = 10000;

  // Past `history_limit` events the oldest are forgotten, like the real server's watch cache
  // window.
  explicit ObjectStore(size_t history_limit = kDefaultHistoryLimit);

  int64_t CurrentVersion() const { return current_version_; }
  // The oldest revision that can still be listed exactly or watched from.
  int64_t OldestAvailableVersion() const { return oldest_available_version_; }

  const web::json::value* Get(const std::string& resource, const std::string& key) const;
  const ObjectMap& Current(const std::string& resource) const;

  // Stores `object` at the next revision: kAdded for a new key, kModified otherwise. The returned
  // event stays valid until the next write.
  const StoredEvent& Put(const std::string& resource, const std::string& key,
                         web::json::value object);
  // Removes an existing key (the caller checks that it exists) at the next revision.
  const StoredEvent& Remove(const std::string& resource, const std::string& key);

  // The objects of `resource` as they were at `version`; nullopt when that revision is older than
  // OldestAvailableVersion() or newer than CurrentVersion().
  std::optional<ObjectMap> SnapshotAt(const std::string& resource, int64_t version) const;
  // Every event after `version`, oldest first (all resources). Requires
  // version >= OldestAvailableVersion(); pointers stay valid until the next write.
  std::vector<const StoredEvent*> EventsAfter(int64_t version) const;

  // Forgets the whole history: only the current revision stays available.
  void Compact();

 private:
  const StoredEvent& Append(StoredEvent event);

  size_t history_limit_;
  int64_t current_version_ = kInitialVersion;
  int64_t oldest_available_version_ = kInitialVersion;
  std::map<std::string, ObjectMap> objects_;
  std::deque<StoredEvent> history_;
};

}  // namespace sidecar::testing::kubefake
