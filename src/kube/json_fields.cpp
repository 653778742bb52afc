#include "kube/json_fields.h"

namespace sidecar::kube {

const web::json::value* FindAt(const web::json::value& root, JsonPath path) {
  const web::json::value* current = &root;
  for (std::string_view key : path) {
    if (!current->is_object()) {
      return nullptr;
    }
    const web::json::object& object = current->as_object();
    auto it = object.find(std::string(key));
    if (it == object.end()) {
      return nullptr;
    }
    current = &it->second;
  }
  return current;
}

std::optional<std::string> StringAt(const web::json::value& root, JsonPath path) {
  const web::json::value* found = FindAt(root, path);
  if (found == nullptr || !found->is_string()) {
    return std::nullopt;
  }
  return found->as_string();
}

std::optional<int64_t> IntegerAt(const web::json::value& root, JsonPath path) {
  const web::json::value* found = FindAt(root, path);
  if (found == nullptr || !found->is_number()) {
    return std::nullopt;
  }
  const web::json::number& number = found->as_number();
  if (!number.is_int64()) {  // false for doubles and for unsigned values above INT64_MAX
    return std::nullopt;
  }
  return number.to_int64();
}

std::optional<bool> BoolAt(const web::json::value& root, JsonPath path) {
  const web::json::value* found = FindAt(root, path);
  if (found == nullptr || !found->is_boolean()) {
    return std::nullopt;
  }
  return found->as_bool();
}

const web::json::array* ArrayAt(const web::json::value& root, JsonPath path) {
  const web::json::value* found = FindAt(root, path);
  if (found == nullptr || !found->is_array()) {
    return nullptr;
  }
  return &found->as_array();
}

std::string ObjectNamespace(const web::json::value& object) {
  return StringAt(object, {"metadata", "namespace"}).value_or("");
}

std::string ObjectName(const web::json::value& object) {
  return StringAt(object, {"metadata", "name"}).value_or("");
}

std::string ObjectUid(const web::json::value& object) {
  return StringAt(object, {"metadata", "uid"}).value_or("");
}

std::string ObjectResourceVersion(const web::json::value& object) {
  return StringAt(object, {"metadata", "resourceVersion"}).value_or("");
}

}  // namespace sidecar::kube
