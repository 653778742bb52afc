// The RBAC reading that the chart's RBAC test relies on, on small hand-made manifests.
#include <gtest/gtest.h>

#include "deploy/rbac_rules.h"

namespace sidecar::testing {
namespace {

std::vector<YAML::Node> Parse(const std::string& text) {
  return YAML::LoadAll(text);
}

constexpr char kNamespacedRoles[] = R"(
kind: Role
metadata: {name: pods, namespace: feldera}
rules:
  - {apiGroups: [""], resources: [pods], verbs: [list, watch]}
  - {apiGroups: [apps], resources: [deployments], verbs: [get]}
---
kind: RoleBinding
metadata: {name: pods, namespace: feldera}
roleRef: {kind: Role, name: pods}
subjects: [{kind: ServiceAccount, name: cs, namespace: tools}]
---
kind: Role
metadata: {name: pods, namespace: elsewhere}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
---
kind: RoleBinding
metadata: {name: other, namespace: feldera}
roleRef: {kind: Role, name: pods}
subjects: [{kind: ServiceAccount, name: someone-else, namespace: tools}]
)";

TEST(RbacRules, RoleGrantsItsRulesInTheBindingsNamespaceToTheNamedAccountOnly) {
  const auto grants = GrantsTo(Parse(kNamespacedRoles), "tools", "cs");
  const std::vector<RbacGrant> expected = {{"feldera", "pods", "list"},
                                           {"feldera", "pods", "watch"},
                                           {"feldera", "apps/deployments", "get"}};
  EXPECT_EQ(grants, expected);
  EXPECT_TRUE(GrantsTo(Parse(kNamespacedRoles), "feldera", "cs").empty());
}

TEST(RbacRules, ClusterRoleBindingGrantsEverywhereAndClusterWide) {
  const auto grants = GrantsTo(Parse(R"(
kind: ClusterRole
metadata: {name: pods}
rules: [{apiGroups: [""], resources: [pods], verbs: [list]}]
---
kind: ClusterRoleBinding
metadata: {name: pods}
roleRef: {kind: ClusterRole, name: pods}
subjects: [{kind: ServiceAccount, name: cs, namespace: tools}]
)"),
                               "tools", "cs");
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_TRUE(Allows(grants[0], {"", "pods", "list"}));
  EXPECT_TRUE(Allows(grants[0], {"any", "pods", "list"}));
  EXPECT_FALSE(Allows(grants[0], {"any", "pods", "watch"}));
}

TEST(RbacRules, ClusterRoleThroughARoleBindingStaysInThatNamespace) {
  const auto grants = GrantsTo(Parse(R"(
kind: ClusterRole
metadata: {name: reader}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
---
kind: RoleBinding
metadata: {name: reader, namespace: feldera}
roleRef: {kind: ClusterRole, name: reader}
subjects: [{kind: ServiceAccount, name: cs, namespace: tools}]
)"),
                               "tools", "cs");
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_TRUE(Allows(grants[0], {"feldera", "configmaps", "get"}));
  EXPECT_FALSE(Allows(grants[0], {"", "configmaps", "get"}));
  EXPECT_FALSE(Allows(grants[0], {"other", "configmaps", "get"}));
}

TEST(RbacRules, ResourceNamesNeverPassForTheWholeResource) {
  const auto grants = GrantsTo(Parse(R"(
kind: Role
metadata: {name: one, namespace: feldera}
rules: [{apiGroups: [""], resources: [configmaps], resourceNames: [a], verbs: [get]}]
---
kind: RoleBinding
metadata: {name: one, namespace: feldera}
roleRef: {kind: Role, name: one}
subjects: [{kind: ServiceAccount, name: cs, namespace: feldera}]
)"),
                               "feldera", "cs");
  EXPECT_EQ(NotGranted({{"feldera", "configmaps", "get"}}, grants).size(), 1u);
}

TEST(RbacRules, AGrantInAnotherGroupNeverPassesForACoreOne) {
  const auto grants = GrantsTo(Parse(kNamespacedRoles), "tools", "cs");
  EXPECT_FALSE(Allows(grants[2], {"feldera", "deployments", "get"}));
  EXPECT_TRUE(Allows(grants[2], {"feldera", "apps/deployments", "get"}));
}

TEST(RbacRules, FindsEveryWriteInANamespaceWhateverTheVerbOrGroup) {
  const auto grants = GrantsTo(Parse(R"(
kind: Role
metadata: {name: w, namespace: feldera}
rules:
  - {apiGroups: [""], resources: [configmaps], verbs: [get, list, watch, update]}
  - {apiGroups: [apps], resources: [statefulsets], verbs: ["*"]}
---
kind: RoleBinding
metadata: {name: w, namespace: feldera}
roleRef: {kind: Role, name: w}
subjects: [{kind: ServiceAccount, name: cs, namespace: feldera}]
---
kind: Role
metadata: {name: h, namespace: history}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [create]}]
---
kind: RoleBinding
metadata: {name: h, namespace: history}
roleRef: {kind: Role, name: h}
subjects: [{kind: ServiceAccount, name: cs, namespace: feldera}]
---
kind: ClusterRole
metadata: {name: c}
rules: [{apiGroups: [""], resources: [pods], verbs: [list, delete]}]
---
kind: ClusterRoleBinding
metadata: {name: c}
roleRef: {kind: ClusterRole, name: c}
subjects: [{kind: ServiceAccount, name: cs, namespace: feldera}]
)"),
                               "feldera", "cs");
  const std::vector<RbacGrant> expected = {{"feldera", "configmaps", "update"},
                                           {"feldera", "apps/statefulsets", "*"},
                                           {"", "pods", "delete"}};
  EXPECT_EQ(WriteGrantsIn(grants, "feldera"), expected);
  EXPECT_EQ(WriteGrantsIn(grants, "history").size(), 2u);  // create there, delete everywhere
  for (const char* verb : {"create", "update", "patch", "delete", "deletecollection", "*", "bind",
                           "escalate", "impersonate"}) {
    EXPECT_TRUE(IsWriteVerb(verb)) << verb;
  }
}

TEST(RbacRules, ComparesBothWays) {
  const std::vector<RbacGrant> grants = {{"feldera", "pods", "list"},
                                         {"feldera", "pods", "watch"},
                                         {"feldera", "configmaps", "delete"}};
  const std::vector<KubeAccess> accesses = {{"feldera", "pods", "list"},
                                            {"feldera", "pods", "watch"},
                                            {"feldera", "pods", "watch"},
                                            {"", "pods", "list"}};
  const std::vector<KubeAccess> missing = {{"", "pods", "list"}};
  EXPECT_EQ(NotGranted(accesses, grants), missing);
  const std::vector<RbacGrant> unused = {{"feldera", "configmaps", "delete"}};
  EXPECT_EQ(NotUsed(grants, accesses), unused);
  EXPECT_EQ(ToString(missing[0]), "list pods in all namespaces");
  EXPECT_EQ(ToString(unused[0]), "delete configmaps in namespace feldera");
}

}  // namespace
}  // namespace sidecar::testing
