// Watch events: what one stored write looks like to one watch, and the newline-delimited JSON
// lines of a watch stream.
//
// Pure functions over plain structs, safe from any thread.
#pragma once

#include <cpprest/json.h>

#include <cstdint>
#include <optional>
#include <string>

#include "fakes/kube_api/api_error.h"
#include "fakes/kube_api/object_store.h"
#include "fakes/kube_api/resource_types.h"
#include "fakes/kube_api/selectors.h"

namespace sidecar::testing::kubefake {

struct WatchEvent {
  std::string type;  // ADDED, MODIFIED, DELETED, BOOKMARK, ERROR
  web::json::value object;
};

// How `event` appears to a watch of `resource` through `filter`, by the real watch cache's rule:
// a write to an object that matches before and after is MODIFIED; one that starts matching is
// ADDED; one that stops matching (or is deleted) is DELETED, carrying the previous state with the
// event's resourceVersion; nullopt when the watch does not see it at all. For one stored event,
// the object depends only on the type.
std::optional<WatchEvent> EventForWatch(const StoredEvent& event, const std::string& resource,
                                        const ObjectFilter& filter);

// A BOOKMARK: an empty object of the resource's kind with only metadata.resourceVersion, plus the
// annotation "k8s.io/initial-events-end": "true" when it ends the initial events.
WatchEvent BookmarkEvent(const ResourceType& type, int64_t version, bool initial_events_end);

// An ERROR event carrying the error's Status (a 410 Expired for a too old resourceVersion).
WatchEvent ErrorEvent(const ApiError& error);

// {"type":"...","object":{...}} and a newline: one line of the stream.
std::string WatchEventLine(const WatchEvent& event);

}  // namespace sidecar::testing::kubefake
