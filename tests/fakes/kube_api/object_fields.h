// Non-throwing reads and writes of the fields the fake needs in Kubernetes objects.
//
// Objects come from tests and from HTTP clients, so any field may be missing or of the wrong
// type: reads answer "absent" ("" or an empty map) instead of throwing. Pure functions, safe from
// any thread.
#pragma once

#include <cpprest/json.h>

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

namespace sidecar::testing::kubefake {

// The value at `path` (object keys, outermost first), or nullptr when a step is missing or not an
// object.
const web::json::value* FindField(const web::json::value& root,
                                  std::initializer_list<std::string_view> path);

// The string at `path`; "" when missing or not a string.
std::string StringField(const web::json::value& root, std::initializer_list<std::string_view> path);

std::string ObjectName(const web::json::value& object);
std::string ObjectNamespace(const web::json::value& object);
std::string ObjectResourceVersion(const web::json::value& object);
// metadata.labels, keeping only string values.
std::map<std::string, std::string> ObjectLabels(const web::json::value& object);

// `object[key]` made an object (replacing any non-object value) and returned; `object` must be
// an object.
web::json::value& ObjectMember(web::json::value& object, const std::string& key);

}  // namespace sidecar::testing::kubefake
