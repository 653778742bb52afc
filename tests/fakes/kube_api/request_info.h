// What an HTTP request addresses in the Kubernetes API, derived from its method, path and query
// the way the API server's RequestInfoFactory derives it (the verb in audit logs and RBAC).
//
// Pure functions over plain structs, safe from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace sidecar::testing::kubefake {

// Decoded query parameters; for a repeated key, the first value (as Go's url.Values.Get).
using QueryParams = std::map<std::string, std::string>;

// Splits and percent-decodes a raw query string; '+' is a space, as in Go's url.ParseQuery.
// Malformed escapes are kept literally.
QueryParams ParseQuery(std::string_view raw_query);

// Go's strconv.ParseBool: true for 1, t, T, TRUE, true, True.
bool IsTrue(std::string_view text);

struct RequestInfo {
  // True for /api/v1/... and /apis/{group}/{version}/... paths that name a resource.
  bool is_resource_request = false;
  // get, list, watch, create, update, patch, delete, deletecollection; for any other request
  // the lower-case HTTP method.
  std::string verb;
  std::string api_group;  // "" for the core group
  std::string api_version;
  std::string resource;
  std::string subresource;
  std::string namespace_name;
  std::string name;
};

RequestInfo ResolveRequest(std::string_view method, std::string_view path,
                           const QueryParams& query);

}  // namespace sidecar::testing::kubefake
