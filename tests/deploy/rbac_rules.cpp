#include "deploy/rbac_rules.h"

#include <algorithm>

namespace sidecar::testing {
namespace {

std::string Text(const YAML::Node& node) {
  return node && node.IsScalar() ? node.Scalar() : "";
}

bool NamesServiceAccount(const YAML::Node& binding, const std::string& sa_namespace,
                         const std::string& sa_name) {
  for (const YAML::Node& subject : binding["subjects"]) {
    if (Text(subject["kind"]) == "ServiceAccount" && Text(subject["name"]) == sa_name &&
        Text(subject["namespace"]) == sa_namespace) {
      return true;
    }
  }
  return false;
}

// The role a binding refers to, or an undefined node.
YAML::Node FindRole(const std::vector<YAML::Node>& objects, const std::string& kind,
                    const std::string& name, const std::string& namespace_name) {
  for (const YAML::Node& o : objects) {
    if (Text(o["kind"]) != kind || Text(o["metadata"]["name"]) != name) continue;
    if (kind == "Role" && Text(o["metadata"]["namespace"]) != namespace_name) continue;
    return o;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

void AddRules(const YAML::Node& role, const std::string& namespace_name,
              std::vector<RbacGrant>& grants) {
  for (const YAML::Node& rule : role["rules"]) {
    std::string names;
    for (const YAML::Node& name : rule["resourceNames"]) names += "/" + Text(name);
    for (const YAML::Node& group : rule["apiGroups"]) {
      const std::string prefix = Text(group).empty() ? "" : Text(group) + "/";
      for (const YAML::Node& resource : rule["resources"]) {
        for (const YAML::Node& verb : rule["verbs"]) {
          RbacGrant grant{namespace_name, prefix + Text(resource) + names, Text(verb)};
          if (std::find(grants.begin(), grants.end(), grant) == grants.end()) {
            grants.push_back(grant);
          }
        }
      }
    }
  }
}

}  // namespace

std::vector<RbacGrant> GrantsTo(const std::vector<YAML::Node>& objects,
                                const std::string& service_account_namespace,
                                const std::string& service_account) {
  std::vector<RbacGrant> grants;
  for (const YAML::Node& binding : objects) {
    const std::string kind = Text(binding["kind"]);
    if (kind != "RoleBinding" && kind != "ClusterRoleBinding") continue;
    if (!NamesServiceAccount(binding, service_account_namespace, service_account)) continue;
    // A RoleBinding grants in its own namespace, whichever kind of role it names.
    const std::string scope = kind == "RoleBinding" ? Text(binding["metadata"]["namespace"]) : "";
    const YAML::Node role = FindRole(objects, Text(binding["roleRef"]["kind"]),
                                     Text(binding["roleRef"]["name"]), scope);
    if (role) AddRules(role, scope, grants);
  }
  return grants;
}

bool Allows(const RbacGrant& grant, const KubeAccess& access) {
  const bool in_scope =
      grant.namespace_name.empty() || grant.namespace_name == access.namespace_name;
  return in_scope && grant.resource == access.resource && grant.verb == access.verb;
}

bool IsWriteVerb(const std::string& verb) {
  return verb != "get" && verb != "list" && verb != "watch";
}

std::vector<RbacGrant> WriteGrantsIn(const std::vector<RbacGrant>& grants,
                                     const std::string& namespace_name) {
  std::vector<RbacGrant> writes;
  for (const RbacGrant& grant : grants) {
    const bool there = grant.namespace_name.empty() || grant.namespace_name == namespace_name;
    if (there && IsWriteVerb(grant.verb)) writes.push_back(grant);
  }
  return writes;
}

std::vector<KubeAccess> NotGranted(const std::vector<KubeAccess>& accesses,
                                   const std::vector<RbacGrant>& grants) {
  std::vector<KubeAccess> missing;
  for (const KubeAccess& access : accesses) {
    const bool allowed = std::any_of(grants.begin(), grants.end(),
                                     [&](const RbacGrant& g) { return Allows(g, access); });
    if (!allowed && std::find(missing.begin(), missing.end(), access) == missing.end()) {
      missing.push_back(access);
    }
  }
  return missing;
}

std::vector<RbacGrant> NotUsed(const std::vector<RbacGrant>& grants,
                               const std::vector<KubeAccess>& accesses) {
  std::vector<RbacGrant> unused;
  for (const RbacGrant& grant : grants) {
    const bool used = std::any_of(accesses.begin(), accesses.end(),
                                  [&](const KubeAccess& a) { return Allows(grant, a); });
    if (!used) unused.push_back(grant);
  }
  return unused;
}

std::string ToString(const KubeAccess& access) {
  return access.verb + " " + access.resource + " in " +
         (access.namespace_name.empty() ? "all namespaces" : "namespace " + access.namespace_name);
}

std::string ToString(const RbacGrant& grant) {
  return grant.verb + " " + grant.resource + " in " +
         (grant.namespace_name.empty() ? "every namespace" : "namespace " + grant.namespace_name);
}

}  // namespace sidecar::testing
