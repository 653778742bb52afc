// The resources the fake serves (core/v1 pods and configmaps) and their names in the API.
//
// Constant data, safe from any thread.
#pragma once

#include <cpprest/json.h>

#include <string>
#include <vector>

namespace sidecar::testing::kubefake {

struct ResourceType {
  std::string resource;   // plural, as in paths: "pods"
  std::string singular;   // "pod"
  std::string kind;       // "Pod"
  std::string list_kind;  // "PodList"
  std::vector<std::string> short_names;
};

const std::vector<ResourceType>& ServedResourceTypes();

// nullptr when the fake does not serve `resource`.
const ResourceType* FindResourceType(const std::string& resource);

// An object of `type` with nothing set, serialized as the real server serializes an empty Go
// struct of that kind (a Pod's empty spec carries "containers": null). Bookmarks carry this.
web::json::value EmptyObject(const ResourceType& type);

}  // namespace sidecar::testing::kubefake
