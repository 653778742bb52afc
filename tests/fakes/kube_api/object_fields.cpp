#include "fakes/kube_api/object_fields.h"

namespace sidecar::testing::kubefake {

const web::json::value* FindField(const web::json::value& root,
                                  std::initializer_list<std::string_view> path) {
  const web::json::value* current = &root;
  for (std::string_view key : path) {
    if (!current->is_object()) return nullptr;
    const auto& object = current->as_object();
    auto it = object.find(std::string(key));
    if (it == object.end()) return nullptr;
    current = &it->second;
  }
  return current;
}

std::string StringField(const web::json::value& root,
                        std::initializer_list<std::string_view> path) {
  const web::json::value* field = FindField(root, path);
  return field != nullptr && field->is_string() ? field->as_string() : "";
}

std::string ObjectName(const web::json::value& object) {
  return StringField(object, {"metadata", "name"});
}

std::string ObjectNamespace(const web::json::value& object) {
  return StringField(object, {"metadata", "namespace"});
}

std::string ObjectResourceVersion(const web::json::value& object) {
  return StringField(object, {"metadata", "resourceVersion"});
}

std::map<std::string, std::string> ObjectLabels(const web::json::value& object) {
  std::map<std::string, std::string> labels;
  const web::json::value* field = FindField(object, {"metadata", "labels"});
  if (field == nullptr || !field->is_object()) return labels;
  for (const auto& [key, value] : field->as_object()) {
    if (value.is_string()) labels[key] = value.as_string();
  }
  return labels;
}

web::json::value& ObjectMember(web::json::value& object, const std::string& key) {
  web::json::value& member = object[key];
  if (!member.is_object()) member = web::json::value::object();
  return member;
}

}  // namespace sidecar::testing::kubefake
