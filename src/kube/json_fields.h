// Non-throwing reads of Kubernetes API JSON.
//
// web::json throws on a field of the wrong type; the API server's objects are trusted no more than
// any other input, so every read here answers "absent" instead: a missing field, a field of another
// type, a number that is not an integer or does not fit. Pure functions, safe from any thread.
#pragma once

#include <cpprest/json.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace sidecar::kube {

using JsonPath = std::initializer_list<std::string_view>;

// The value at `path` (object keys, outermost first), or nullptr when any step is missing or is
// not an object.
const web::json::value* FindAt(const web::json::value& root, JsonPath path);

std::optional<std::string> StringAt(const web::json::value& root, JsonPath path);
std::optional<int64_t> IntegerAt(const web::json::value& root, JsonPath path);
std::optional<bool> BoolAt(const web::json::value& root, JsonPath path);
// The array at `path`, or nullptr.
const web::json::array* ArrayAt(const web::json::value& root, JsonPath path);

// Shorthands for the metadata every Kubernetes object carries; empty when absent.
std::string ObjectNamespace(const web::json::value& object);
std::string ObjectName(const web::json::value& object);
std::string ObjectUid(const web::json::value& object);
std::string ObjectResourceVersion(const web::json::value& object);

}  // namespace sidecar::kube
