// What the rendered RBAC grants a ServiceAccount, and how that compares with the Kubernetes
// requests the service actually made (as the fake API server logged them).
//
// Pure functions over parsed manifests. Resources of the core API group are named as they are
// ("pods"), those of other groups with their group ("apps/statefulsets"), so that a grant there
// never passes for a core one. Thread-safe.
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

// Whether `verb` changes anything (or, like escalate and impersonate, lends more rights): every
// verb but get, list and watch.
bool IsWriteVerb(const std::string& verb);

// The grants that let the account change something in namespace `namespace_name`: write verbs
// granted there or in every namespace, on any resource.
std::vector<RbacGrant> WriteGrantsIn(const std::vector<RbacGrant>& grants,
                                     const std::string& namespace_name);

// The accesses no grant allows.
std::vector<KubeAccess> NotGranted(const std::vector<KubeAccess>& accesses,
                                   const std::vector<RbacGrant>& grants);
// The grants no access needed.
std::vector<RbacGrant> NotUsed(const std::vector<RbacGrant>& grants,
                               const std::vector<KubeAccess>& accesses);

std::string ToString(const KubeAccess& access);
std::string ToString(const RbacGrant& grant);

}  // namespace sidecar::testing
