#include "kube/object_store.h"

#include "kube/json_fields.h"

namespace sidecar::kube {

std::string ObjectKey(const web::json::value& object) {
  const std::string name_space = ObjectNamespace(object);
  return name_space.empty() ? ObjectName(object) : name_space + "/" + ObjectName(object);
}

ObjectStore::Entry ObjectStore::MakeEntry(const web::json::value& object) {
  return Entry{ObjectUid(object), ObjectResourceVersion(object), object};
}

void ObjectStore::Diff(const Entry* old, const Entry* now, std::vector<StoreChange>& changes) {
  if (old != nullptr && (now == nullptr || now->uid != old->uid)) {
    changes.push_back({StoreChange::Type::kDeleted, old->object});
  }
  if (now == nullptr) {
    return;
  }
  if (old == nullptr || now->uid != old->uid) {
    changes.push_back({StoreChange::Type::kAdded, now->object});
  } else if (now->resource_version != old->resource_version) {
    changes.push_back({StoreChange::Type::kModified, now->object});
  }
}

std::vector<StoreChange> ObjectStore::Apply(const WatchEvent& event) {
  std::vector<StoreChange> changes;
  if (event.type != WatchEventType::kAdded && event.type != WatchEventType::kModified &&
      event.type != WatchEventType::kDeleted) {
    return changes;
  }
  const std::string key = ObjectKey(event.object);
  auto it = objects_.find(key);
  const Entry* old = it == objects_.end() ? nullptr : &it->second;

  if (event.type == WatchEventType::kDeleted) {
    if (old == nullptr) {
      return changes;
    }
    // A different uid means the object the handler knows was deleted unseen and a namesake came
    // and went: reporting the known one's deletion leaves the handler consistent.
    changes.push_back({StoreChange::Type::kDeleted,
                       old->uid == ObjectUid(event.object) ? event.object : old->object});
    objects_.erase(it);
    return changes;
  }
  Entry now = MakeEntry(event.object);
  Diff(old, &now, changes);
  objects_.insert_or_assign(key, std::move(now));
  return changes;
}

std::vector<StoreChange> ObjectStore::Replace(const std::vector<web::json::value>& listed) {
  std::map<std::string, Entry> fresh;
  for (const web::json::value& object : listed) {
    fresh.insert_or_assign(ObjectKey(object), MakeEntry(object));
  }
  std::vector<StoreChange> changes;
  auto old_it = objects_.begin();
  auto new_it = fresh.begin();
  // Both maps are in key order: walk them together.
  while (old_it != objects_.end() || new_it != fresh.end()) {
    if (new_it == fresh.end() || (old_it != objects_.end() && old_it->first < new_it->first)) {
      Diff(&old_it->second, nullptr, changes);
      ++old_it;
    } else if (old_it == objects_.end() || new_it->first < old_it->first) {
      Diff(nullptr, &new_it->second, changes);
      ++new_it;
    } else {
      Diff(&old_it->second, &new_it->second, changes);
      ++old_it;
      ++new_it;
    }
  }
  objects_ = std::move(fresh);
  return changes;
}

const web::json::value* ObjectStore::Find(const std::string& key) const {
  auto it = objects_.find(key);
  return it == objects_.end() ? nullptr : &it->second.object;
}

}  // namespace sidecar::kube
