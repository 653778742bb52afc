#include "fakes/kube_api/cluster.h"

#include "fakes/kube_api/api_error.h"
#include "fakes/kube_api/list_pages.h"
#include "fakes/kube_api/merge_patch.h"
#include "fakes/kube_api/object_fields.h"
#include "fakes/kube_api/random_ids.h"
#include "fakes/kube_api/watch_events.h"

namespace sidecar::testing::kubefake {
namespace {

using web::json::value;

// Checks what every written object must satisfy and sets its kind and apiVersion.
void CheckAndStampType(const ResourceType& type, value& object) {
  if (!object.is_object()) throw ApiError::BadRequest("the request body is not a JSON object");
  const std::string kind = StringField(object, {"kind"});
  if (!kind.empty() && kind != type.kind) {
    throw ApiError::BadRequest("the kind of the provided object (" + kind +
                               ") does not match the resource (" + type.resource + ")");
  }
  const std::string api_version = StringField(object, {"apiVersion"});
  if (!api_version.empty() && api_version != "v1") {
    throw ApiError::BadRequest("the API version of the provided object (" + api_version +
                               ") is not v1");
  }
  object["kind"] = value::string(type.kind);
  object["apiVersion"] = value::string("v1");
  if (const value* metadata = FindField(object, {"metadata"});
      metadata != nullptr && !metadata->is_object()) {
    throw ApiError::BadRequest("metadata of the provided object is not an object");
  }
}

void CheckNamespace(const value& object, const std::string& namespace_name) {
  const std::string own = ObjectNamespace(object);
  if (!own.empty() && own != namespace_name) {
    throw ApiError::BadRequest(
        "the namespace of the provided object does not match the namespace sent on the request");
  }
}

value WithoutResourceVersion(value object) {
  value& metadata = ObjectMember(object, "metadata");
  if (metadata.has_field("resourceVersion")) metadata.erase("resourceVersion");
  return object;
}

}  // namespace

Cluster::Cluster(std::chrono::milliseconds bookmark_interval) : watches_(bookmark_interval) {}

value Cluster::Create(const ResourceType& type, const std::string& namespace_name, value object) {
  CheckAndStampType(type, object);
  value& metadata = ObjectMember(object, "metadata");
  std::string ns = namespace_name;
  if (ns.empty()) ns = ObjectNamespace(object).empty() ? "default" : ObjectNamespace(object);
  CheckNamespace(object, ns);

  std::string name = ObjectName(object);
  const std::string generate_name = StringField(object, {"metadata", "generateName"});
  if (name.empty() && generate_name.empty()) {
    throw ApiError::Invalid(type.kind, "",
                            "metadata.name: Required value: name or generateName is required");
  }
  std::lock_guard lock(mutex_);
  if (name.empty()) {
    do {
      name = generate_name + RandomNameSuffix();
    } while (store_.Get(type.resource, ObjectKey(ns, name)) != nullptr);
  }
  const std::string key = ObjectKey(ns, name);
  if (store_.Get(type.resource, key) != nullptr) throw ApiError::AlreadyExists(type.resource, name);

  metadata["name"] = value::string(name);
  metadata["namespace"] = value::string(ns);
  metadata["uid"] = value::string(NewUid());
  metadata["creationTimestamp"] = value::string(Rfc3339());
  return WriteLocked(type, key, std::move(object));
}

value Cluster::Update(const ResourceType& type, const std::string& namespace_name,
                      const std::string& name, value object, StatusSource status) {
  std::lock_guard lock(mutex_);
  return UpdateLocked(type, namespace_name, name, std::move(object), status);
}

value Cluster::MergePatch(const ResourceType& type, const std::string& namespace_name,
                          const std::string& name, const value& patch, StatusSource status) {
  if (!patch.is_object()) throw ApiError::BadRequest("the merge patch is not a JSON object");
  std::lock_guard lock(mutex_);
  const value* stored = store_.Get(type.resource, ObjectKey(namespace_name, name));
  if (stored == nullptr) throw ApiError::NotFound(type.resource, name);
  // A resourceVersion in the patch is a precondition, checked by the update.
  return UpdateLocked(type, namespace_name, name, ApplyMergePatch(*stored, patch), status);
}

value Cluster::Mutate(const ResourceType& type, const std::string& namespace_name,
                      const std::string& name, const std::function<void(value&)>& mutate) {
  std::lock_guard lock(mutex_);
  const value* stored = store_.Get(type.resource, ObjectKey(namespace_name, name));
  if (stored == nullptr) throw ApiError::NotFound(type.resource, name);
  value object = *stored;
  mutate(object);
  // The mutation applies to the stored state: no resourceVersion precondition.
  return UpdateLocked(type, namespace_name, name, WithoutResourceVersion(std::move(object)),
                      StatusSource::kRequest);
}

value Cluster::UpdateLocked(const ResourceType& type, const std::string& namespace_name,
                            const std::string& name, value object, StatusSource status) {
  CheckAndStampType(type, object);
  const std::string key = ObjectKey(namespace_name, name);
  const value* stored = store_.Get(type.resource, key);
  if (stored == nullptr) throw ApiError::NotFound(type.resource, name);
  CheckNamespace(object, namespace_name);
  const std::string body_name = ObjectName(object);
  if (!body_name.empty() && body_name != name) {
    throw ApiError::BadRequest("the name of the object (" + body_name +
                               ") does not match the name on the URL (" + name + ")");
  }
  const std::string body_version = ObjectResourceVersion(object);
  if (!body_version.empty() && body_version != ObjectResourceVersion(*stored)) {
    throw ApiError::Conflict(type.resource, name);
  }
  const std::string body_uid = StringField(object, {"metadata", "uid"});
  const std::string stored_uid = StringField(*stored, {"metadata", "uid"});
  if (!body_uid.empty() && body_uid != stored_uid) {
    throw ApiError(409, "Conflict",
                   "Precondition failed: UID in precondition: " + body_uid +
                       ", UID in object meta: " + stored_uid);
  }

  value& metadata = ObjectMember(object, "metadata");
  metadata["name"] = value::string(name);
  metadata["namespace"] = value::string(namespace_name);
  metadata["uid"] = value::string(stored_uid);
  metadata["creationTimestamp"] = stored->at("metadata").has_field("creationTimestamp")
                                      ? stored->at("metadata").at("creationTimestamp")
                                      : value::string(Rfc3339());
  if (status == StatusSource::kKeepStored) {
    if (stored->has_field("status")) {
      object["status"] = stored->at("status");
    } else if (object.has_field("status")) {
      object.erase("status");
    }
  }
  return WriteLocked(type, key, std::move(object));
}

value Cluster::Delete(const ResourceType& type, const std::string& namespace_name,
                      const std::string& name, const DeletePreconditions& preconditions) {
  std::lock_guard lock(mutex_);
  const std::string key = ObjectKey(namespace_name, name);
  const value* stored = store_.Get(type.resource, key);
  if (stored == nullptr) throw ApiError::NotFound(type.resource, name);
  const std::string stored_uid = StringField(*stored, {"metadata", "uid"});
  if (!preconditions.uid.empty() && preconditions.uid != stored_uid) {
    throw ApiError(409, "Conflict",
                   "Precondition failed: UID in precondition: " + preconditions.uid +
                       ", UID in object meta: " + stored_uid);
  }
  const std::string stored_version = ObjectResourceVersion(*stored);
  if (!preconditions.resource_version.empty() && preconditions.resource_version != stored_version) {
    throw ApiError(
        409, "Conflict",
        "Precondition failed: ResourceVersion in precondition: " + preconditions.resource_version +
            ", ResourceVersion in object meta: " + stored_version);
  }
  const StoredEvent& event = store_.Remove(type.resource, key);
  watches_.Publish(event);
  return event.object;
}

value Cluster::WriteLocked(const ResourceType& type, const std::string& key, value object) {
  // The real server does not write an update that changes nothing: no new revision, no event.
  if (const value* stored = store_.Get(type.resource, key); stored != nullptr) {
    ObjectMember(object, "metadata")["resourceVersion"] =
        value::string(ObjectResourceVersion(*stored));
    if (object == *stored) return object;
  }
  const StoredEvent& event = store_.Put(type.resource, key, std::move(object));
  watches_.Publish(event);
  return event.object;
}

std::optional<value> Cluster::Get(const ResourceType& type, const std::string& namespace_name,
                                  const std::string& name) const {
  std::lock_guard lock(mutex_);
  const value* stored = store_.Get(type.resource, ObjectKey(namespace_name, name));
  if (stored == nullptr) return std::nullopt;
  return *stored;
}

value Cluster::List(const ResourceType& type, const ListOptions& options) {
  std::lock_guard lock(mutex_);
  const int64_t current = store_.CurrentVersion();
  int64_t version = current;
  std::string start_key;
  std::optional<int64_t> limit = options.limit;
  std::shared_ptr<const ObjectMap> kept;  // set for a continue page
  std::optional<ObjectMap> past;          // set when listing an older revision

  if (!options.continue_token.empty()) {
    const auto token = DecodeContinueToken(options.continue_token);
    if (!token.ok()) throw ApiError::BadRequest(token.error());
    start_key = token->start_key;
    if (token->resource_version > current) {
      throw ApiError::TooLargeResourceVersion(token->resource_version, current);
    }
    // A negative revision (from an expiry answer) continues at the current state.
    if (token->resource_version > 0) {
      version = token->resource_version;
      kept = snapshots_.Find(type.resource, version);
      if (!kept || version < store_.OldestAvailableVersion()) {
        throw ApiError::ContinueExpired(EncodeContinueToken({-1, start_key}));
      }
    }
  } else if (options.resource_version == 0) {
    limit.reset();  // served from the watch cache, which ignores limit for "any" lists
  } else if (options.resource_version) {
    const int64_t requested = *options.resource_version;
    if (requested > current) throw ApiError::TooLargeResourceVersion(requested, current);
    if (options.resource_version_match == "Exact") {
      if (requested < store_.OldestAvailableVersion()) {
        throw ApiError::Expired("The resourceVersion for the provided list is too old.");
      }
      version = requested;
      past = store_.SnapshotAt(type.resource, version);
    }
  }

  const ObjectMap& objects = kept ? *kept : past ? *past : store_.Current(type.resource);
  ListPage page = CutPage(objects, type.resource, options.filter, start_key, limit, version);
  // The next pages are cut from these same objects, whatever is written meanwhile.
  if (!page.continue_token.empty()) snapshots_.Keep(type.resource, version, objects);

  value list = value::object();
  list["kind"] = value::string(type.list_kind);
  list["apiVersion"] = value::string("v1");
  value& metadata = list["metadata"] = value::object();
  metadata["resourceVersion"] = value::string(std::to_string(version));
  if (!page.continue_token.empty()) metadata["continue"] = value::string(page.continue_token);
  if (page.remaining_item_count) {
    metadata["remainingItemCount"] = value::number(*page.remaining_item_count);
  }
  list["items"] = value::array(std::move(page.items));
  return list;
}

void Cluster::Watch(const ResourceType& type, const ListOptions& options,
                    const std::function<std::shared_ptr<WatchStream>()>& open) {
  std::lock_guard lock(mutex_);
  const int64_t current = store_.CurrentVersion();
  const int64_t oldest = store_.OldestAvailableVersion();
  const std::optional<int64_t> from = options.resource_version;
  if (from && *from > current) throw ApiError::TooLargeResourceVersion(*from, current);

  WatchSpec spec;
  spec.type = &type;
  spec.filter = options.filter;
  spec.bookmarks = options.allow_watch_bookmarks;
  if (options.timeout_seconds && *options.timeout_seconds > 0) {
    spec.deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(*options.timeout_seconds);
  }

  std::vector<std::string> lines;
  if (from && *from != 0 && *from < oldest) {
    const ApiError expired = ApiError::Expired(
        "too old resource version: " + std::to_string(*from) + " (" + std::to_string(oldest) + ")");
    spec.ends_after_initial_lines = true;
    watches_.Add(open(), std::move(spec), {WatchEventLine(ErrorEvent(expired))}, current);
    return;
  }

  // Without a revision to start from, a watch begins with the current state as ADDED events.
  const bool initial_state = options.send_initial_events.value_or(!from || *from == 0);
  if (initial_state) {
    for (const auto& [key, object] : store_.Current(type.resource)) {
      if (options.filter.Matches(type.resource, *object)) {
        lines.push_back(WatchEventLine({"ADDED", *object}));
      }
    }
    if (options.send_initial_events == true && options.allow_watch_bookmarks) {
      lines.push_back(WatchEventLine(BookmarkEvent(type, current, true)));
    }
  } else if (from && *from != 0) {
    for (const StoredEvent* event : store_.EventsAfter(*from)) {
      if (auto seen = EventForWatch(*event, type.resource, options.filter)) {
        lines.push_back(WatchEventLine(*seen));
      }
    }
  }

  // Opened last, under the lock: no write can slip between the first lines and registration.
  watches_.Add(open(), std::move(spec), lines, current);
}

std::set<std::string> Cluster::NamespacesInUse() const {
  std::lock_guard lock(mutex_);
  std::set<std::string> names = {"default"};
  for (const ResourceType& type : ServedResourceTypes()) {
    for (const auto& [key, object] : store_.Current(type.resource)) {
      names.insert(ObjectNamespace(*object));
    }
  }
  return names;
}

void Cluster::Compact() {
  std::lock_guard lock(mutex_);
  store_.Compact();
  snapshots_.Clear();
}

int64_t Cluster::CurrentVersion() const {
  std::lock_guard lock(mutex_);
  return store_.CurrentVersion();
}

}  // namespace sidecar::testing::kubefake
