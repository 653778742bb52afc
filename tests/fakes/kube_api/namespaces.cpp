#include "fakes/kube_api/namespaces.h"

namespace sidecar::testing::kubefake {

using web::json::value;

value NamespaceObject(const std::string& name) {
  value object = value::object();
  object["kind"] = value::string("Namespace");
  object["apiVersion"] = value::string("v1");
  value& metadata = object["metadata"] = value::object();
  metadata["name"] = value::string(name);
  metadata["labels"] = value::object();
  metadata["labels"]["kubernetes.io/metadata.name"] = value::string(name);
  object["spec"] = value::object();
  object["spec"]["finalizers"] = value::array({value::string("kubernetes")});
  object["status"] = value::object();
  object["status"]["phase"] = value::string("Active");
  return object;
}

value NamespaceList(const std::set<std::string>& names, int64_t version) {
  value items = value::array();
  for (const std::string& name : names) {
    value item = NamespaceObject(name);
    item.erase("kind");
    item.erase("apiVersion");
    items[items.size()] = item;
  }
  value list = value::object();
  list["kind"] = value::string("NamespaceList");
  list["apiVersion"] = value::string("v1");
  list["metadata"] = value::object();
  list["metadata"]["resourceVersion"] = value::string(std::to_string(version));
  list["items"] = items;
  return list;
}

}  // namespace sidecar::testing::kubefake
