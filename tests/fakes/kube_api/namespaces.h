// Namespaces, read-only. The fake does not store them: every namespace exists and is Active, so
// that objects can be created in any namespace and kubectl's checks that a namespace exists pass.
// A list shows "default" and every namespace holding an object.
//
// Pure functions, safe from any thread.
#pragma once

#include <cpprest/json.h>

#include <cstdint>
#include <set>
#include <string>

namespace sidecar::testing::kubefake {

web::json::value NamespaceObject(const std::string& name);

// A NamespaceList of `names` as of `version`.
web::json::value NamespaceList(const std::set<std::string>& names, int64_t version);

}  // namespace sidecar::testing::kubefake
