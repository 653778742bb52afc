// What the rendered chart must say, read off helm's output without running anything.
#include <gtest/gtest.h>

#include "deploy/rendered_chart.h"

namespace sidecar::testing {
namespace {

// Same structure and scalars; map keys in any order.
bool SameYaml(const YAML::Node& a, const YAML::Node& b) {
  if (a.Type() != b.Type()) return false;
  switch (a.Type()) {
    case YAML::NodeType::Scalar:
      return a.Scalar() == b.Scalar();
    case YAML::NodeType::Sequence:
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (!SameYaml(a[i], b[i])) return false;
      }
      return true;
    case YAML::NodeType::Map:
      if (a.size() != b.size()) return false;
      for (const auto& entry : a) {
        const YAML::Node other = b[entry.first.Scalar()];
        if (!other || !SameYaml(entry.second, other)) return false;
      }
      return true;
    default:
      return true;
  }
}

std::vector<YAML::Node> Render(const std::vector<std::string>& values) {
  RenderedChart chart = RenderChart("feldera", values);
  EXPECT_TRUE(chart.ok) << chart.error;
  return chart.objects;
}

std::string ConfigChecksum(const std::vector<std::string>& values) {
  const auto objects = Render(values);
  const YAML::Node deployment = FindObject(objects, "Deployment", kRelease);
  return deployment["spec"]["template"]["metadata"]["annotations"]["checksum/config"]
      .as<std::string>("");
}

TEST(ChartRender, PrometheusRuleCarriesTheDeployRulesUnchanged) {
  const auto objects = Render({"metrics.serviceMonitor.enabled=true"});
  const YAML::Node rule = FindObject(objects, "PrometheusRule", kRelease);
  ASSERT_TRUE(rule);
  const YAML::Node rules = YAML::LoadFile(std::string(DEPLOY_DIR) + "/prometheus/rules.yaml");
  EXPECT_TRUE(SameYaml(rule["spec"]["groups"], rules["groups"]));
  EXPECT_TRUE(FindObject(objects, "ServiceMonitor", kRelease));
  // Monitored, the pods need no scrape annotations.
  const YAML::Node deployment = FindObject(objects, "Deployment", kRelease);
  EXPECT_FALSE(deployment["spec"]["template"]["metadata"]["annotations"]["prometheus.io/scrape"]);
}

TEST(ChartRender, SidecarModeMonitorsPodsAndRendersNoWorkload) {
  const auto objects = Render({"mode=sidecar", "metrics.serviceMonitor.enabled=true"});
  EXPECT_TRUE(FindObject(objects, "PodMonitor", kRelease));
  EXPECT_TRUE(FindObject(objects, "PrometheusRule", kRelease));
  for (const char* kind : {"Deployment", "Service", "PodDisruptionBudget", "ServiceMonitor"}) {
    EXPECT_FALSE(FindObject(objects, kind, kRelease)) << kind;
  }
}

TEST(ChartRender, AConfigChangeChangesThePodChecksumAndNothingElseDoes) {
  const std::string base = ConfigChecksum({});
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(ConfigChecksum({}), base);
  EXPECT_EQ(ConfigChecksum({"replicaCount=3"}), base);
  EXPECT_NE(ConfigChecksum({"service.logLevel=debug"}), base);
}

TEST(ChartRender, ApiKeysComeFromASecretFileOnlyWhenEnabled) {
  EXPECT_EQ(ConfigFile(Render({})).find("auth:"), std::string::npos);
  const auto objects = Render({"auth.enabled=true", "auth.apiKeys={one,two}"});
  EXPECT_NE(ConfigFile(objects).find("api_keys_file: \"/etc/completion-sidecar/auth/api-keys\""),
            std::string::npos);
  const YAML::Node secret = FindObject(objects, "Secret", std::string(kRelease) + "-api-keys");
  ASSERT_TRUE(secret);
  EXPECT_EQ(secret["stringData"]["api-keys"].as<std::string>(""), "one\ntwo\n");
  bool mounted = false;
  for (const YAML::Node& mount : ServiceContainer(objects)["volumeMounts"]) {
    mounted |= mount["mountPath"].as<std::string>("") == "/etc/completion-sidecar/auth";
  }
  EXPECT_TRUE(mounted);
}

TEST(ChartRender, ContainerIsLockedDown) {
  for (const char* mode : {"mode=cluster", "mode=sidecar"}) {
    const YAML::Node c = ServiceContainer(Render({mode}));
    ASSERT_TRUE(c.IsMap()) << mode;
    const YAML::Node sc = c["securityContext"];
    EXPECT_TRUE(sc["runAsNonRoot"].as<bool>(false)) << mode;
    EXPECT_TRUE(sc["readOnlyRootFilesystem"].as<bool>(false)) << mode;
    EXPECT_FALSE(sc["allowPrivilegeEscalation"].as<bool>(true)) << mode;
    EXPECT_EQ(sc["capabilities"]["drop"][0].as<std::string>(""), "ALL") << mode;
    EXPECT_EQ(sc["seccompProfile"]["type"].as<std::string>(""), "RuntimeDefault") << mode;
    EXPECT_TRUE(c["resources"]["requests"]["memory"]) << mode;
    EXPECT_TRUE(c["resources"]["limits"]["memory"]) << mode;
    EXPECT_EQ(c["livenessProbe"]["httpGet"]["path"].as<std::string>(""), "/healthz") << mode;
    EXPECT_EQ(c["readinessProbe"]["httpGet"]["path"].as<std::string>(""), "/readyz") << mode;
  }
}

}  // namespace
}  // namespace sidecar::testing
