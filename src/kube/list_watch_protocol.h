// The Kubernetes list and watch wire protocol, as pure functions: request targets, list pages,
// watch event lines and Status objects.
//
// Everything here reads untrusted JSON without throwing. Safe from any thread.
#pragma once

#include <cpprest/json.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sidecar::kube {

// Which objects a reflector lists and watches.
struct ListWatchQuery {
  std::string resource_path;   // "/api/v1/pods", "/api/v1/namespaces/NS/pods"
  std::string label_selector;  // e.g. "app=feldera"; empty: none
  std::string field_selector;  // e.g. "metadata.name=pipeline-x-0"; empty: none
};

// `resource_path?limit=..[&continue=..]` with the selectors. `limit` 0: unpaginated.
std::string ListRequestTarget(const ListWatchQuery& query, int limit,
                              const std::string& continue_token);
// `resource_path?watch=true&resourceVersion=..&allowWatchBookmarks=true&timeoutSeconds=..` with
// the selectors.
std::string WatchRequestTarget(const ListWatchQuery& query, const std::string& resource_version,
                               std::chrono::seconds timeout);

// One page of a list response.
struct ListPage {
  std::vector<web::json::value> items;
  std::string resource_version;  // the list's revision: where a watch continues
  std::string continue_token;    // empty on the last page
};

// Reads a `*List` object. Items must be objects with a string metadata.name; the list must carry
// metadata.resourceVersion.
Result<ListPage> ParseListPage(const web::json::value& body);

enum class WatchEventType { kAdded, kModified, kDeleted, kBookmark, kError };
std::string_view ToString(WatchEventType type);

struct WatchEvent {
  WatchEventType type = WatchEventType::kAdded;
  web::json::value object;
  std::string resource_version;  // object.metadata.resourceVersion; empty for kError
};

// Parses one watch line `{"type":"ADDED","object":{...}}`. ADDED, MODIFIED and DELETED objects
// need a string metadata.name and resourceVersion, a BOOKMARK a resourceVersion; an ERROR
// carries a Status. Anything else is an error naming what is wrong.
Result<WatchEvent> ParseWatchEvent(std::string_view line);

// The API server's error object (kind: Status).
struct ApiStatus {
  int code = 0;        // HTTP status it stands for, e.g. 410
  std::string reason;  // e.g. Expired, Gone, Conflict, AlreadyExists, NotFound
  std::string message;
};

// Reads a Status object (kind Status, or no kind and a numeric code); nullopt otherwise.
std::optional<ApiStatus> ParseApiStatus(const web::json::value& body);

}  // namespace sidecar::kube
