#include "fakes/kube_api/resource_types.h"

namespace sidecar::testing::kubefake {

const std::vector<ResourceType>& ServedResourceTypes() {
  static const std::vector<ResourceType> kTypes = {
      {"pods", "pod", "Pod", "PodList", {"po"}},
      {"configmaps", "configmap", "ConfigMap", "ConfigMapList", {"cm"}},
  };
  return kTypes;
}

const ResourceType* FindResourceType(const std::string& resource) {
  for (const ResourceType& type : ServedResourceTypes()) {
    if (type.resource == resource) return &type;
  }
  return nullptr;
}

web::json::value EmptyObject(const ResourceType& type) {
  web::json::value object = web::json::value::object();
  object["kind"] = web::json::value::string(type.kind);
  object["apiVersion"] = web::json::value::string("v1");
  object["metadata"] = web::json::value::object();
  if (type.kind == "Pod") {
    object["spec"] = web::json::value::object();
    object["spec"]["containers"] = web::json::value::null();
    object["status"] = web::json::value::object();
  }
  return object;
}

}  // namespace sidecar::testing::kubefake
