// What the rendered RBAC grants a ServiceAccount, and how that compares with the Kubernetes
// requests the service actually made (as the fake API server logged them).
//
// Pure functions over parsed manifests; only the core API group, which is all the service uses.
// Thread-safe.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace sidecar::testing {

// One request's authorization question: `verb` on `resource` in `namespace_name` (empty: a
// cluster-wide request, e.g. listing the pods of every namespace).
struct KubeAccess {
  std::string namespace_name;
  std::string resource;
  std::string verb;
  bool operator==(const KubeAccess&) const = default;
};

// One permission: `verb` on `resource` in `namespace_name` (empty: in every namespace and
// cluster-wide, from a ClusterRole bound by a ClusterRoleBinding).
struct RbacGrant {
  std::string namespace_name;
  std::string resource;
  std::string verb;
  bool operator==(const RbacGrant&) const = default;
};

// Every permission the Roles and ClusterRoles in `objects` give ServiceAccount
// `service_account` of namespace `service_account_namespace` through the bindings in `objects`.
// A rule with resourceNames is reported with resource "<resource>/<names...>" so that it never
// matches a whole-resource access silently.
std::vector<RbacGrant> GrantsTo(const std::vector<YAML::Node>& objects,
                                const std::string& service_account_namespace,
                                const std::string& service_account);

bool Allows(const RbacGrant& grant, const KubeAccess& access);

// The accesses no grant allows.
std::vector<KubeAccess> NotGranted(const std::vector<KubeAccess>& accesses,
                                   const std::vector<RbacGrant>& grants);
// The grants no access needed.
std::vector<RbacGrant> NotUsed(const std::vector<RbacGrant>& grants,
                               const std::vector<KubeAccess>& accesses);

std::string ToString(const KubeAccess& access);
std::string ToString(const RbacGrant& grant);

}  // namespace sidecar::testing
