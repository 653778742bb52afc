#include "fakes/kube_api/object_store.h"

#include "fakes/kube_api/object_fields.h"

namespace sidecar::testing::kubefake {
namespace {

void StampVersion(web::json::value& object, int64_t version) {
  ObjectMember(object, "metadata")["resourceVersion"] =
      web::json::value::string(std::to_string(version));
}

}  // namespace

std::string ObjectKey(const std::string& namespace_name, const std::string& name) {
  return namespace_name + "/" + name;
}

ObjectStore::ObjectStore(size_t history_limit)
    : history_limit_(std::max<size_t>(history_limit, 1)) {}

const web::json::value* ObjectStore::Get(const std::string& resource,
                                         const std::string& key) const {
  const ObjectMap& objects = Current(resource);
  const auto it = objects.find(key);
  return it == objects.end() ? nullptr : it->second.get();
}

const ObjectMap& ObjectStore::Current(const std::string& resource) const {
  static const ObjectMap kEmpty;
  const auto it = objects_.find(resource);
  return it == objects_.end() ? kEmpty : it->second;
}

const StoredEvent& ObjectStore::Put(const std::string& resource, const std::string& key,
                                    web::json::value object) {
  StoredEvent event;
  event.resource_version = current_version_ + 1;
  event.resource = resource;
  event.key = key;
  ObjectPtr& slot = objects_[resource][key];
  if (!slot) {
    event.type = StoredEvent::Type::kAdded;
  } else {
    event.type = StoredEvent::Type::kModified;
    event.previous = *slot;
  }
  StampVersion(object, event.resource_version);
  slot = std::make_shared<const web::json::value>(object);
  event.object = std::move(object);
  return Append(std::move(event));
}

const StoredEvent& ObjectStore::Remove(const std::string& resource, const std::string& key) {
  ObjectMap& objects = objects_[resource];
  StoredEvent event;
  event.type = StoredEvent::Type::kDeleted;
  event.resource_version = current_version_ + 1;
  event.resource = resource;
  event.key = key;
  event.previous = *objects.at(key);
  objects.erase(key);
  event.object = event.previous;
  StampVersion(event.object, event.resource_version);
  return Append(std::move(event));
}

const StoredEvent& ObjectStore::Append(StoredEvent event) {
  current_version_ = event.resource_version;
  history_.push_back(std::move(event));
  while (history_.size() > history_limit_) {
    oldest_available_version_ = history_.front().resource_version;
    history_.pop_front();
  }
  return history_.back();
}

std::optional<ObjectMap> ObjectStore::SnapshotAt(const std::string& resource,
                                                 int64_t version) const {
  if (version < oldest_available_version_ || version > current_version_) return std::nullopt;
  ObjectMap snapshot = Current(resource);
  // Undo, newest first, every write made after `version`.
  for (auto it = history_.rbegin(); it != history_.rend() && it->resource_version > version; ++it) {
    if (it->resource != resource) continue;
    if (it->type == StoredEvent::Type::kAdded) {
      snapshot.erase(it->key);
    } else {
      snapshot[it->key] = std::make_shared<const web::json::value>(it->previous);
    }
  }
  return snapshot;
}

std::vector<const StoredEvent*> ObjectStore::EventsAfter(int64_t version) const {
  std::vector<const StoredEvent*> events;
  for (const StoredEvent& event : history_) {
    if (event.resource_version > version) events.push_back(&event);
  }
  return events;
}

void ObjectStore::Compact() {
  oldest_available_version_ = current_version_;
  history_.clear();
}

}  // namespace sidecar::testing::kubefake
