#include "fakes/kube_api/discovery.h"

#include "fakes/kube_api/resource_types.h"

namespace sidecar::testing::kubefake {
namespace {

using web::json::value;

value Strings(const std::vector<std::string>& strings) {
  value array = value::array();
  for (size_t i = 0; i < strings.size(); ++i) array[i] = value::string(strings[i]);
  return array;
}

value ApiVersions(const std::string& server_address) {
  value cidr = value::object();
  cidr["clientCIDR"] = value::string("0.0.0.0/0");
  cidr["serverAddress"] = value::string(server_address);
  value doc = value::object();
  doc["kind"] = value::string("APIVersions");
  doc["versions"] = Strings({"v1"});
  doc["serverAddressByClientCIDRs"] = value::array({cidr});
  return doc;
}

value ApiGroupList() {
  value doc = value::object();
  doc["kind"] = value::string("APIGroupList");
  doc["apiVersion"] = value::string("v1");
  doc["groups"] = value::array();
  return doc;
}

value CoreResourceList() {
  value resources = value::array();
  for (const ResourceType& type : ServedResourceTypes()) {
    value resource = value::object();
    resource["name"] = value::string(type.resource);
    resource["singularName"] = value::string(type.singular);
    resource["namespaced"] = value::boolean(true);
    resource["kind"] = value::string(type.kind);
    resource["verbs"] = Strings({"create", "delete", "get", "list", "patch", "update", "watch"});
    resource["shortNames"] = Strings(type.short_names);
    if (type.resource == "pods") resource["categories"] = Strings({"all"});
    resources[resources.size()] = resource;
  }
  value namespaces = value::object();
  namespaces["name"] = value::string("namespaces");
  namespaces["singularName"] = value::string("namespace");
  namespaces["namespaced"] = value::boolean(false);
  namespaces["kind"] = value::string("Namespace");
  namespaces["verbs"] = Strings({"get", "list"});
  namespaces["shortNames"] = Strings({"ns"});
  resources[resources.size()] = namespaces;
  value doc = value::object();
  doc["kind"] = value::string("APIResourceList");
  doc["groupVersion"] = value::string("v1");
  doc["resources"] = resources;
  return doc;
}

value Version() {
  value doc = value::object();
  doc["major"] = value::string("1");
  doc["minor"] = value::string("32");
  doc["gitVersion"] = value::string("v1.32.0");
  doc["gitCommit"] = value::string("0000000000000000000000000000000000000000");
  doc["gitTreeState"] = value::string("clean");
  doc["buildDate"] = value::string("2024-12-11T00:00:00Z");
  doc["goVersion"] = value::string("go1.23.3");
  doc["compiler"] = value::string("gc");
  doc["platform"] = value::string("linux/amd64");
  return doc;
}

}  // namespace

std::optional<value> DiscoveryDocument(const std::string& path, const std::string& server_address) {
  if (path == "/api" || path == "/api/") return ApiVersions(server_address);
  if (path == "/apis" || path == "/apis/") return ApiGroupList();
  if (path == "/api/v1" || path == "/api/v1/") return CoreResourceList();
  if (path == "/version" || path == "/version/") return Version();
  return std::nullopt;
}

}  // namespace sidecar::testing::kubefake
