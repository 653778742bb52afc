#include "fakes/kube_api/watch_events.h"

#include "fakes/kube_api/object_fields.h"

namespace sidecar::testing::kubefake {

std::optional<WatchEvent> EventForWatch(const StoredEvent& event, const std::string& resource,
                                        const ObjectFilter& filter) {
  if (event.resource != resource) return std::nullopt;
  const bool now_matches =
      event.type != StoredEvent::Type::kDeleted && filter.Matches(resource, event.object);
  const bool matched_before = !event.previous.is_null() && filter.Matches(resource, event.previous);
  if (now_matches && matched_before) return WatchEvent{"MODIFIED", event.object};
  if (now_matches) return WatchEvent{"ADDED", event.object};
  if (!matched_before) return std::nullopt;
  web::json::value last_state = event.previous;
  ObjectMember(last_state, "metadata")["resourceVersion"] =
      web::json::value::string(std::to_string(event.resource_version));
  return WatchEvent{"DELETED", last_state};
}

WatchEvent BookmarkEvent(const ResourceType& type, int64_t version, bool initial_events_end) {
  web::json::value object = EmptyObject(type);
  web::json::value& metadata = object["metadata"];
  metadata["resourceVersion"] = web::json::value::string(std::to_string(version));
  if (initial_events_end) {
    metadata["annotations"] = web::json::value::object();
    metadata["annotations"]["k8s.io/initial-events-end"] = web::json::value::string("true");
  }
  return WatchEvent{"BOOKMARK", object};
}

WatchEvent ErrorEvent(const ApiError& error) {
  return WatchEvent{"ERROR", error.ToStatus()};
}

std::string WatchEventLine(const WatchEvent& event) {
  web::json::value line = web::json::value::object();
  line["type"] = web::json::value::string(event.type);
  line["object"] = event.object;
  return line.serialize() + "\n";
}

}  // namespace sidecar::testing::kubefake
