// The query parameters of a list or watch request, parsed and checked as the API server checks
// them.
//
// Pure functions over plain structs, safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "fakes/kube_api/request_info.h"
#include "fakes/kube_api/selectors.h"

namespace sidecar::testing::kubefake {

struct ListOptions {
  // Namespace of the path, labelSelector, fieldSelector (plus the name, for a watch of one named
  // object).
  ObjectFilter filter;
  // resourceVersion: nullopt when absent or empty (the most recent state); 0 means "any".
  std::optional<int64_t> resource_version;
  // resourceVersionMatch: "", "NotOlderThan" or "Exact".
  std::string resource_version_match;
  std::optional<int64_t> limit;  // only when positive
  std::string continue_token;
  bool allow_watch_bookmarks = false;
  std::optional<bool> send_initial_events;
  std::optional<int64_t> timeout_seconds;
};

// The error is the message of a 400 BadRequest.
Result<ListOptions> ParseListOptions(const RequestInfo& request, const QueryParams& query);

}  // namespace sidecar::testing::kubefake
