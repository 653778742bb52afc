// What the rendered chart must say, read off helm's output without running anything.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "deploy/rbac_rules.h"
#include "deploy/rendered_chart.h"

namespace sidecar::testing {
namespace {

constexpr char kNamespace[] = "feldera";

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

std::string Text(const YAML::Node& node) {
  return node && node.IsScalar() ? node.Scalar() : "";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The chart rendered with an image repository and `values`; a failed rendering fails the test.
std::vector<YAML::Node> Render(std::vector<std::string> values) {
  values.insert(values.begin(), kImageValue);
  RenderedChart chart = RenderChart(kNamespace, values);
  EXPECT_TRUE(chart.ok) << chart.error;
  return chart.objects;
}

// helm's error when the chart refuses `values`; empty when it renders them.
std::string RenderError(std::vector<std::string> values,
                        const std::vector<std::string>& extra_args = {}) {
  values.insert(values.begin(), kImageValue);
  const RenderedChart chart = RenderChart(kNamespace, values, extra_args);
  return chart.ok ? "" : chart.error;
}

std::string ConfigChecksum(const std::vector<std::string>& values) {
  const auto objects = Render(values);
  const YAML::Node deployment = FindObject(objects, "Deployment", kRelease);
  return deployment["spec"]["template"]["metadata"]["annotations"]["checksum/config"]
      .as<std::string>("");
}

bool HasKind(const std::vector<YAML::Node>& objects, const std::string& kind) {
  for (const YAML::Node& o : objects) {
    if (Text(o["kind"]) == kind) return true;
  }
  return false;
}

TEST(ChartRender, PrometheusRuleCarriesTheDeployRulesUnchanged) {
  const auto objects =
      Render({"metrics.serviceMonitor.enabled=true", "metrics.prometheusRule.enabled=true"});
  const YAML::Node rule = FindObject(objects, "PrometheusRule", kRelease);
  ASSERT_TRUE(rule);
  const YAML::Node rules = YAML::LoadFile(std::string(DEPLOY_DIR) + "/prometheus/rules.yaml");
  EXPECT_TRUE(SameYaml(rule["spec"]["groups"], rules["groups"]));
  EXPECT_TRUE(FindObject(objects, "ServiceMonitor", kRelease));
  // Monitored, the pods need no scrape annotations.
  const YAML::Node deployment = FindObject(objects, "Deployment", kRelease);
  EXPECT_FALSE(deployment["spec"]["template"]["metadata"]["annotations"]["prometheus.io/scrape"]);
}

// The rules work with any scrape config that sets the job, so they do not wait for the monitor;
// and neither is rendered by default, as both need the Prometheus Operator's CRDs.
TEST(ChartRender, PrometheusRuleAndMonitorAreIndependentAndOffByDefault) {
  const auto rule_only = Render({"metrics.prometheusRule.enabled=true"});
  EXPECT_TRUE(FindObject(rule_only, "PrometheusRule", kRelease));
  EXPECT_FALSE(HasKind(rule_only, "ServiceMonitor"));
  const auto monitor_only = Render({"metrics.serviceMonitor.enabled=true"});
  EXPECT_TRUE(FindObject(monitor_only, "ServiceMonitor", kRelease));
  EXPECT_FALSE(HasKind(monitor_only, "PrometheusRule"));
  for (const char* mode : {"mode=cluster", "mode=sidecar"}) {
    const auto defaults = Render({mode});
    for (const char* kind : {"PrometheusRule", "ServiceMonitor", "PodMonitor"}) {
      EXPECT_FALSE(HasKind(defaults, kind)) << mode << " " << kind;
    }
  }
}

constexpr char kDashboardOn[] = "metrics.grafanaDashboard.enabled=true";

YAML::Node DashboardConfigMap(const std::vector<YAML::Node>& objects) {
  return FindObject(objects, "ConfigMap", std::string(kRelease) + "-dashboard");
}

// The dashboard ConfigMap holds deploy/grafana/dashboard.json byte for byte, in the release
// namespace, under the label Grafana's dashboard sidecar selects by by default (the grafana
// chart's sidecar.dashboards.label and labelValue), in either mode.
TEST(ChartRender, GrafanaDashboardConfigMapCarriesTheDeployDashboardUnchanged) {
  const std::string dashboard = ReadFile(std::string(DEPLOY_DIR) + "/grafana/dashboard.json");
  ASSERT_FALSE(dashboard.empty());
  for (const char* mode : {"mode=cluster", "mode=sidecar"}) {
    const YAML::Node map = DashboardConfigMap(Render({mode, kDashboardOn}));
    ASSERT_TRUE(map) << mode;
    EXPECT_EQ(Text(map["metadata"]["namespace"]), kNamespace) << mode;
    const YAML::Node label = map["metadata"]["labels"]["grafana_dashboard"];
    EXPECT_EQ(Text(label), "1") << mode;
    EXPECT_EQ(label.Tag(), "!") << mode << ": the label value must be a quoted string";
    EXPECT_FALSE(map["metadata"]["annotations"]) << mode;
    ASSERT_EQ(map["data"].size(), 1u) << mode;
    EXPECT_EQ(Text(map["data"]["completion-sidecar.json"]), dashboard)
        << mode << ": files/dashboard.json is not deploy/grafana/dashboard.json "
        << "(scripts/render-manifests), or the template changes it";
  }
}

TEST(ChartRender, GrafanaDashboardIsOffByDefault) {
  for (const char* mode : {"mode=cluster", "mode=sidecar"}) {
    const auto objects = Render({mode});
    EXPECT_FALSE(DashboardConfigMap(objects)) << mode;
    for (const YAML::Node& o : objects) {
      EXPECT_FALSE(o["metadata"]["labels"]["grafana_dashboard"]) << mode << " " << Text(o["kind"]);
    }
  }
}

// The label and its value follow whatever the grafana chart's sidecar is set to select; the
// ConfigMap may go to Grafana's namespace (the sidecar searches only its own unless told
// otherwise) and carry annotations such as the sidecar's folder annotation.
TEST(ChartRender, GrafanaDashboardLabelNamespaceAndAnnotationsAreConfigurable) {
  const YAML::Node map = DashboardConfigMap(
      Render({kDashboardOn, "metrics.grafanaDashboard.label=example.com/dashboards",
              "metrics.grafanaDashboard.labelValue=feldera",
              "metrics.grafanaDashboard.namespace=monitoring",
              "metrics.grafanaDashboard.annotations.grafana_folder=Feldera"}));
  ASSERT_TRUE(map);
  EXPECT_EQ(Text(map["metadata"]["namespace"]), "monitoring");
  EXPECT_EQ(Text(map["metadata"]["labels"]["example.com/dashboards"]), "feldera");
  EXPECT_FALSE(map["metadata"]["labels"]["grafana_dashboard"]);
  EXPECT_EQ(Text(map["metadata"]["annotations"]["grafana_folder"]), "Feldera");

  // `--set ...labelValue=1` gives helm a number; the label value is still the string "1".
  const YAML::Node numbered =
      DashboardConfigMap(Render({kDashboardOn, "metrics.grafanaDashboard.labelValue=1"}));
  const YAML::Node number = numbered["metadata"]["labels"]["grafana_dashboard"];
  EXPECT_EQ(Text(number), "1");
  EXPECT_EQ(number.Tag(), "!");

  // One of the chart's own labels would be a duplicate key.
  EXPECT_NE(RenderError({kDashboardOn, "metrics.grafanaDashboard.label=app.kubernetes.io/name"})
                .find("is one of the chart's own labels"),
            std::string::npos);
  EXPECT_NE(RenderError({kDashboardOn, "metrics.grafanaDashboard.namespace=Monitoring"}), "");
  EXPECT_NE(RenderError({kDashboardOn, "metrics.grafanaDashboard.labelValue=two words"}), "");
}

TEST(ChartRender, SidecarModeMonitorsPodsAndRendersNoWorkload) {
  const auto objects = Render({"mode=sidecar", "metrics.serviceMonitor.enabled=true"});
  EXPECT_TRUE(FindObject(objects, "PodMonitor", kRelease));
  for (const char* kind :
       {"Deployment", "Service", "PodDisruptionBudget", "ServiceMonitor", "NetworkPolicy", "Pod"}) {
    EXPECT_FALSE(HasKind(objects, kind)) << kind;
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
  for (const auto& values : std::vector<std::vector<std::string>>{
           {"mode=cluster"}, {"mode=sidecar"}, {"mode=sidecar", "sidecar.route=template"}}) {
    const std::string mode = values.back();
    const YAML::Node c = ServiceContainer(Render(values));
    ASSERT_TRUE(c.IsMap()) << mode;
    const YAML::Node sc = c["securityContext"];
    EXPECT_TRUE(sc["runAsNonRoot"].as<bool>(false)) << mode;
    EXPECT_TRUE(sc["readOnlyRootFilesystem"].as<bool>(false)) << mode;
    EXPECT_FALSE(sc["allowPrivilegeEscalation"].as<bool>(true)) << mode;
    EXPECT_EQ(sc["capabilities"]["drop"][0].as<std::string>(""), "ALL") << mode;
    EXPECT_EQ(sc["seccompProfile"]["type"].as<std::string>(""), "RuntimeDefault") << mode;
    EXPECT_TRUE(c["resources"]["requests"]["memory"]) << mode;
    EXPECT_TRUE(c["resources"]["limits"]["memory"]) << mode;
    EXPECT_EQ(Text(c["startupProbe"]["httpGet"]["path"]), "/healthz") << mode;
    EXPECT_EQ(Text(c["livenessProbe"]["httpGet"]["path"]), "/healthz") << mode;
  }
}

// A sidecar's readiness is its pod's: an unready sidecar would take the pipeline out of the
// headless Service Feldera reaches it through. So only the Deployment has a readiness probe.
TEST(ChartRender, OnlyTheDeploymentHasAReadinessProbe) {
  EXPECT_EQ(Text(ServiceContainer(Render({}))["readinessProbe"]["httpGet"]["path"]), "/readyz");
  EXPECT_FALSE(ServiceContainer(Render({"mode=sidecar"}))["readinessProbe"]);
  EXPECT_FALSE(
      ServiceContainer(Render({"mode=sidecar", "sidecar.route=template"}))["readinessProbe"]);
}

// No registry publishes the image: without a repository the chart says where to get one,
// rather than pointing at docker.io/library/completion-sidecar.
TEST(ChartRender, TheImageRepositoryIsRequiredAndMayComeWithADigest) {
  for (const char* mode : {"mode=cluster", "mode=sidecar"}) {
    const RenderedChart chart = RenderChart(kNamespace, {mode});
    EXPECT_FALSE(chart.ok) << mode;
    EXPECT_NE(chart.error.find("image.repository is required"), std::string::npos) << mode;
    EXPECT_NE(chart.error.find("scripts/build-image"), std::string::npos) << mode;
  }
  EXPECT_EQ(Text(ServiceContainer(Render({}))["image"]),
            "registry.example.com/feldera/completion-sidecar:0.1.0");
  const std::string digest =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  EXPECT_EQ(Text(ServiceContainer(Render({"image.tag=1.2.3", "image.digest=" + digest}))["image"]),
            "registry.example.com/feldera/completion-sidecar:1.2.3@" + digest);
  EXPECT_NE(RenderError({"image.digest=latest"}), "");
}

TEST(ChartRender, ExtraArgsEnvAndVolumesReachTheContainer) {
  const auto objects =
      Render({"extraArgs={--log-level,debug}", "extraEnv[0].name=TZ", "extraEnv[0].value=UTC",
              "extraVolumes[0].name=ca", "extraVolumes[0].configMap.name=pipelines-ca",
              "extraVolumeMounts[0].name=ca", "extraVolumeMounts[0].mountPath=/etc/ca"});
  const YAML::Node container = ServiceContainer(objects);
  const YAML::Node args = container["args"];
  ASSERT_EQ(args.size(), 4u);
  EXPECT_EQ(Text(args[2]), "--log-level");
  EXPECT_EQ(Text(args[3]), "debug");
  EXPECT_EQ(Text(container["env"][0]["name"]), "TZ");
  EXPECT_EQ(Text(container["volumeMounts"][1]["mountPath"]), "/etc/ca");
  const YAML::Node pod = FindObject(objects, "Deployment", kRelease)["spec"]["template"]["spec"];
  EXPECT_EQ(Text(pod["volumes"][1]["configMap"]["name"]), "pipelines-ca");

  // Through init_containers there are no volumes to add; flags and environment go through.
  const YAML::Node sidecar =
      ServiceContainer(Render({"mode=sidecar", "extraArgs={--log-level,debug}",
                               "extraEnv[0].name=TZ", "extraEnv[0].value=UTC"}));
  EXPECT_EQ(Text(sidecar["args"][sidecar["args"].size() - 1]), "debug");
  EXPECT_EQ(Text(sidecar["env"][2]["name"]), "TZ");
  EXPECT_NE(RenderError({"mode=sidecar", "extraVolumes[0].name=ca",
                         "extraVolumes[0].configMap.name=pipelines-ca"})
                .find("no flag for: extraVolumes"),
            std::string::npos);
}

TEST(ChartRender, NetworkPolicyAdmitsTheTwoPortsFromTheirPeersAndTheHelmTest) {
  EXPECT_FALSE(HasKind(Render({}), "NetworkPolicy"));
  const auto objects = Render({"networkPolicy.enabled=true",
                               "networkPolicy.apiFrom[0].podSelector.matchLabels.role=client"});
  const YAML::Node policy = FindObject(objects, "NetworkPolicy", kRelease);
  ASSERT_TRUE(policy);
  const YAML::Node ingress = policy["spec"]["ingress"];
  ASSERT_EQ(ingress.size(), 2u);
  EXPECT_EQ(Text(ingress[0]["ports"][0]["port"]), "http");
  EXPECT_EQ(Text(ingress[0]["from"][0]["podSelector"]["matchLabels"]["role"]), "client");
  // The helm test pod is admitted where peers are listed; an empty list admits everyone.
  const YAML::Node test_pod = FindObject(objects, "Pod", std::string(kRelease) + "-test");
  ASSERT_TRUE(test_pod);
  for (const auto& label : ingress[0]["from"][1]["podSelector"]["matchLabels"]) {
    EXPECT_EQ(Text(test_pod["metadata"]["labels"][label.first.Scalar()]), Text(label.second));
  }
  EXPECT_EQ(Text(ingress[1]["ports"][0]["port"]), "metrics");
  EXPECT_FALSE(ingress[1]["from"]);
  EXPECT_NE(RenderError({"mode=sidecar", "networkPolicy.enabled=true"}), "");
}

// The helm test pod never carries the Deployment's selector labels: the Service would send it
// traffic.
TEST(ChartRender, TheHelmTestPodIsAHookOutsideTheServicesSelector) {
  const auto objects = Render({});
  const YAML::Node pod = FindObject(objects, "Pod", std::string(kRelease) + "-test");
  ASSERT_TRUE(pod);
  EXPECT_EQ(Text(pod["metadata"]["annotations"]["helm.sh/hook"]), "test");
  const YAML::Node selector = FindObject(objects, "Service", kRelease)["spec"]["selector"];
  bool selected = true;
  for (const auto& label : selector) {
    selected &= Text(pod["metadata"]["labels"][label.first.Scalar()]) == Text(label.second);
  }
  EXPECT_FALSE(selected);
  EXPECT_FALSE(HasKind(Render({"helmTest.enabled=false"}), "Pod"));
}

// ---- Sidecar mode: the routes into Feldera's pipeline pods ----

TEST(ChartRender, InitContainersRouteIsANativeSidecarWithFlagsAndNoVolumes) {
  const auto objects = Render({"mode=sidecar"});
  const YAML::Node runtime_config = SidecarRuntimeConfig(objects);
  ASSERT_TRUE(runtime_config.IsMap());
  // Exactly the two parts of a runtime_config, so a merge touches nothing else.
  EXPECT_EQ(runtime_config.size(), 2u);
  EXPECT_EQ(runtime_config["init_containers"].size(), 1u);
  EXPECT_EQ(Text(runtime_config["resources"]["service_account_name"]), kRelease);
  EXPECT_EQ(runtime_config["resources"].size(), 1u);
  const YAML::Node c = runtime_config["init_containers"][0];
  EXPECT_EQ(Text(c["restartPolicy"]), "Always");
  EXPECT_FALSE(c["volumeMounts"]);
  EXPECT_FALSE(runtime_config["volumes"]);
  std::vector<std::string> args;
  for (const YAML::Node& arg : c["args"]) args.push_back(Text(arg));
  EXPECT_EQ(args, (std::vector<std::string>{"--mode", "sidecar", "--listen", "127.0.0.1:8081",
                                            "--metrics-listen", "0.0.0.0:9091", "--log-level",
                                            "info", "--log-format", "json", "--set",
                                            "kubernetes.history_namespace=feldera-completion-"
                                            "history"}));
  EXPECT_EQ(ConfigFile(objects), "") << "a config file nothing mounts";
}

TEST(ChartRender, TemplateRouteAddsTheContainerItsVolumesAndAnnotations) {
  const auto objects = Render({"mode=sidecar", "sidecar.route=template"});
  EXPECT_FALSE(SidecarRuntimeConfig(objects));
  const YAML::Node c = ServiceContainer(objects);
  EXPECT_EQ(Text(c["args"][0]), "--config");
  EXPECT_EQ(Text(c["volumeMounts"][0]["mountPath"]), "/etc/completion-sidecar/config");
  EXPECT_NE(ConfigFile(objects), "");
  EXPECT_EQ(ServiceAccountName(objects), kRelease);
}

// Native sidecars need Kubernetes 1.29; the chart says so rather than rendering a pod whose
// never-ending init container would keep the pipeline from starting.
TEST(ChartRender, NativeSidecarsNeedKubernetes129) {
  for (const auto& route : {"sidecar.route=initContainers", "sidecar.route=template"}) {
    EXPECT_NE(RenderError({"mode=sidecar", route}, {"--kube-version", "1.28.9"})
                  .find("need Kubernetes 1.29 or later, and this cluster is v1.28.9"),
              std::string::npos)
        << route;
    EXPECT_EQ(RenderError({"mode=sidecar", route}, {"--kube-version", "1.29.0"}), "") << route;
  }
  // An ordinary container works on older clusters, through the template only.
  EXPECT_EQ(RenderError({"mode=sidecar", "sidecar.route=template", "sidecar.native=false"},
                        {"--kube-version", "1.25.0"}),
            "");
  EXPECT_NE(RenderError({"mode=sidecar", "sidecar.native=false"}), "");
  EXPECT_EQ(RenderError({"mode=cluster"}, {"--kube-version", "1.25.0"}), "");
}

// ---- RBAC: the pipeline pods' ServiceAccount is shared with user code ----

// In sidecar mode the ServiceAccount is the pipeline pods', which the pipelines' user code (UDFs)
// runs as too. It must not be able to change anything in the pipelines' namespace: there lie
// Feldera's pipeline template and every other ConfigMap that decides what pipeline pods run.
TEST(ChartRender, SidecarModeGrantsNoWriteInThePipelinesNamespace) {
  const std::vector<std::vector<std::string>> renderings = {
      {"mode=sidecar"},
      {"mode=sidecar", "sidecar.route=template"},
      {"mode=sidecar", "sidecar.route=template", "sidecar.native=false", "auth.enabled=true",
       "auth.apiKeys={k}", "metrics.serviceMonitor.enabled=true"},
      {"mode=sidecar", "serviceAccount.create=false", "serviceAccount.name=feldera-pipeline"},
      {"mode=sidecar", "kubernetes.historyNamespace=feldera-history",
       "kubernetes.createHistoryNamespace=false"},
  };
  for (const auto& values : renderings) {
    std::string name;
    for (const auto& v : values) name += v + " ";
    const auto objects = Render(values);
    const std::string account = ServiceAccountName(objects);
    ASSERT_FALSE(account.empty()) << name;
    const std::vector<RbacGrant> grants = GrantsTo(objects, kNamespace, account);
    for (const RbacGrant& g : WriteGrantsIn(grants, kNamespace)) {
      ADD_FAILURE() << name << ": the pipeline pods' ServiceAccount may " << ToString(g);
    }
    // History is written elsewhere, in a namespace of its own.
    bool history_elsewhere = false;
    for (const RbacGrant& g : grants) {
      history_elsewhere |= g.resource == "configmaps" && g.verb == "create" &&
                           !g.namespace_name.empty() && g.namespace_name != kNamespace;
    }
    EXPECT_TRUE(history_elsewhere) << name;
  }
  EXPECT_NE(RenderError({"mode=sidecar", "kubernetes.historyNamespace=feldera"})
                .find("cannot live in the pipelines' namespace feldera"),
            std::string::npos);
}

TEST(ChartRender, SidecarHistoryNamespaceIsMadeAndKeptUnlessItExists) {
  const auto objects = Render({"mode=sidecar"});
  const YAML::Node ns = FindObject(objects, "Namespace", "feldera-completion-history");
  ASSERT_TRUE(ns);
  EXPECT_EQ(Text(ns["metadata"]["annotations"]["helm.sh/resource-policy"]), "keep");
  EXPECT_TRUE(FindObject(objects, "Role", std::string(kRelease) + "-history"));
  EXPECT_FALSE(
      HasKind(Render({"mode=sidecar", "kubernetes.createHistoryNamespace=false"}), "Namespace"));
  EXPECT_FALSE(HasKind(Render({"mode=cluster"}), "Namespace"));  // the release namespace
}

// ---- The configuration reference and the values ----

// A row of the README's "Configuration reference": its keys and its default column.
struct ReferenceRow {
  std::vector<std::string> keys;
  std::string default_text;
};

std::vector<ReferenceRow> ConfigurationReference() {
  const std::string readme = ReadFile(std::string(REPO_DIR) + "/README.md");
  const size_t start = readme.find("\n## Configuration reference\n");
  EXPECT_NE(start, std::string::npos);
  const size_t end = readme.find("\n## ", start + 1);
  std::istringstream section(readme.substr(start, end - start));
  std::vector<ReferenceRow> rows;
  const std::regex code("`([^`]+)`");
  for (std::string line; std::getline(section, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    const size_t first = line.find('|', 1);
    const size_t second = line.find('|', first + 1);
    ReferenceRow row;
    const std::string keys = line.substr(1, first - 1);
    for (std::sregex_iterator m(keys.begin(), keys.end(), code), e; m != e; ++m) {
      row.keys.push_back((*m)[1]);
    }
    row.default_text = line.substr(first + 1, second - first - 1);
    rows.push_back(row);
  }
  return rows;
}

// A config key set from values: the values that give it a value other than its default, and
// the value the rendered config file must then hold.
struct FromValues {
  std::string key;
  std::vector<std::string> set;
  std::string rendered;
};

const std::vector<FromValues>& ConfigKeysFromValues() {
  static const std::vector<FromValues> keys = {
      {"mode", {"mode=sidecar", "sidecar.route=template"}, "sidecar"},
      {"listen", {"api.bindAddress=10.1.2.3", "api.port=1234"}, "10.1.2.3:1234"},
      {"metrics_listen", {"metrics.bindAddress=10.1.2.3", "metrics.port=2345"}, "10.1.2.3:2345"},
      {"auth.api_keys_file",
       {"auth.enabled=true", "auth.existingSecret=keys", "auth.existingSecretKey=k"},
       "/etc/completion-sidecar/auth/k"},
      {"threads", {"service.threads=7"}, "7"},
      {"pipelines.api_key_file",
       {"pipelines.apiKeySecret.name=s", "pipelines.apiKeySecret.key=k"},
       "/etc/completion-sidecar/pipelines/k"},
      {"pipelines.probe_interval_ms", {"pipelines.probeIntervalMs=777"}, "777"},
      {"pipelines.name_label", {"pipelines.nameLabel=example.com/name"}, "example.com/name"},
      {"pipelines.pod_name_pattern",
       {"pipelines.podNamePattern=p-(.*)-([0-9]+)"},
       "p-(.*)-([0-9]+)"},
      {"pipelines.container", {"pipelines.container=engine"}, "engine"},
      {"pipelines.port_name", {"pipelines.portName=web"}, "web"},
      {"pipelines.port", {"pipelines.port=9999"}, "9999"},
      {"pipelines.scheme", {"pipelines.scheme=https"}, "https"},
      {"kubernetes.api_url", {"kubernetes.apiUrl=http://127.0.0.1:8001"}, "http://127.0.0.1:8001"},
      {"kubernetes.namespace", {"kubernetes.watchNamespace=pipelines"}, "pipelines"},
      {"kubernetes.pod_selector", {"kubernetes.podSelector=app=pipeline"}, "app=pipeline"},
      {"kubernetes.history_namespace", {"kubernetes.historyNamespace=history"}, "history"},
      {"kubernetes.history_size", {"kubernetes.historySize=64"}, "64"},
      {"upstream.timeout_ms", {"service.upstreamTimeoutMs=6000"}, "6000"},
      {"upstream.ca_file", {"service.upstreamCaFile=/etc/ca/ca.pem"}, "/etc/ca/ca.pem"},
      {"upstream.tls_server_name",
       {"service.upstreamTlsServerName=pipelines.example"},
       "pipelines.example"},
      {"tracker.interval_ms", {"service.trackerIntervalMs=60"}, "60"},
      {"tracker.max_wait_ms", {"service.trackerMaxWaitMs=40000"}, "40000"},
      {"tracker.max_tokens", {"service.trackerMaxTokens=5000"}, "5000"},
      {"feldera.api_url", {"feldera.apiUrl=http://feldera:8080"}, "http://feldera:8080"},
      {"feldera.api_key_file",
       {"feldera.apiKeySecret.name=s", "feldera.apiKeySecret.key=k"},
       "/etc/completion-sidecar/feldera/k"},
      {"limits.max_url_bytes", {"service.limits.maxUrlBytes=4096"}, "4096"},
      {"limits.max_headers", {"service.limits.maxHeaders=50"}, "50"},
      {"limits.max_header_bytes", {"service.limits.maxHeaderBytes=16384"}, "16384"},
      {"limits.max_body_bytes", {"service.limits.maxBodyBytes=2048"}, "2048"},
      {"limits.max_held_long_polls", {"service.limits.maxHeldLongPolls=5"}, "5"},
      {"shutdown_grace_ms", {"service.shutdownGraceMs=20000"}, "20000"},
      {"log.level", {"service.logLevel=debug"}, "debug"},
      {"log.format", {"service.logFormat=text"}, "text"},
  };
  return keys;
}

// Config keys no value sets, and why.
const std::map<std::string, std::string>& ConfigKeysNotFromValues() {
  static const std::map<std::string, std::string> keys = {
      {"pipelines.static", "standalone mode only; the chart runs cluster or sidecar mode"},
      {"history.path", "standalone mode only; in Kubernetes history is kept in ConfigMaps"},
      {"kubernetes.kubeconfig",
       "the chart's pods use their ServiceAccount; kubernetes.apiUrl names another API server"},
      {"kubernetes.pod_name", "sidecar mode: the downward API's POD_NAME, set by the chart"},
      {"kubernetes.pod_namespace", "sidecar mode: the downward API's POD_NAMESPACE"},
  };
  return keys;
}

// The node at a dotted `key` of `root`; undefined when absent.
YAML::Node At(const YAML::Node& root, const std::string& key) {
  YAML::Node node;
  node.reset(root);  // reset rebinds; operator= would overwrite what the node refers to
  std::istringstream parts(key);
  for (std::string part; std::getline(parts, part, '.');) {
    if (!node.IsMap() || !node[part]) return YAML::Node(YAML::NodeType::Undefined);
    node.reset(node[part]);
  }
  return node;
}

// Whether the values schema declares the dotted values `path`.
bool SchemaHas(const YAML::Node& schema, const std::string& path) {
  YAML::Node node;
  node.reset(schema);
  std::istringstream parts(path);
  for (std::string part; std::getline(parts, part, '.');) {
    const size_t bracket = part.find('[');
    if (bracket != std::string::npos) part = part.substr(0, bracket);
    YAML::Node next;
    next.reset(node["properties"][part]);
    if (!next) return false;
    if (next["$ref"]) {
      const std::string ref = Text(next["$ref"]);  // #/definitions/NAME
      next.reset(schema["definitions"][ref.substr(ref.rfind('/') + 1)]);
    }
    node.reset(next);
  }
  return true;
}

// Every key of the configuration reference is set from a value or named with the reason it is
// not; each value is in the values schema; each, set, reaches the config file.
TEST(ChartConfigReference, EveryKeyIsReachableFromValuesOrSaysWhyNot) {
  std::set<std::string> reference;
  for (const ReferenceRow& row : ConfigurationReference()) {
    reference.insert(row.keys.begin(), row.keys.end());
  }
  ASSERT_GT(reference.size(), 30u) << "README's configuration reference not found";
  std::set<std::string> covered;
  for (const FromValues& k : ConfigKeysFromValues()) covered.insert(k.key);
  for (const auto& [key, reason] : ConfigKeysNotFromValues()) covered.insert(key);
  for (const std::string& key : reference) {
    EXPECT_TRUE(covered.count(key)) << key << " (README) cannot be set from the chart's values";
  }
  for (const std::string& key : covered) {
    EXPECT_TRUE(reference.count(key)) << key << " is not in the README's configuration reference";
  }

  const YAML::Node schema = YAML::LoadFile(std::string(CHART_DIR) + "/values.schema.json");
  for (const FromValues& k : ConfigKeysFromValues()) {
    for (const std::string& value : k.set) {
      const std::string path = value.substr(0, value.find('='));
      EXPECT_TRUE(SchemaHas(schema, path)) << path << " (for " << k.key << ") is not in the schema";
    }
    const std::string config = ConfigFile(Render(k.set));
    const YAML::Node rendered = At(YAML::Load(config), k.key);
    EXPECT_EQ(Text(rendered), k.rendered) << k.key << " in\n" << config;
  }
}

// The chart's defaults are the binary's (README's default column), but where the chart chooses
// otherwise on purpose. sidecar.route initContainers relies on it: there the binary runs on its
// own defaults.
TEST(ChartConfigReference, TheChartsDefaultsAreTheBinarysOwn) {
  const std::map<std::string, std::string> chosen = {
      {"mode", "cluster is the chart's default mode"},
      {"listen", "0.0.0.0 in cluster mode, for the Service"},
      {"log.format", "json, for log collectors"},
  };
  const YAML::Node config = YAML::Load(ConfigFile(Render({})));
  const std::regex single_code("^\\s*`([^`]*)`\\s*$");
  int compared = 0;
  for (const ReferenceRow& row : ConfigurationReference()) {
    std::smatch m;
    if (row.keys.size() != 1 || !std::regex_match(row.default_text, m, single_code)) continue;
    const std::string& key = row.keys[0];
    const YAML::Node rendered = At(config, key);
    if (chosen.count(key) || !rendered || !rendered.IsScalar()) continue;
    EXPECT_EQ(rendered.Scalar(), m[1].str()) << key << ": the chart's default is not the binary's";
    ++compared;
  }
  EXPECT_GE(compared, 15);
}

// Through init_containers the container has flags only: each setting the binary has no flag for
// must keep its default, and changing one stops the rendering, naming it.
TEST(ChartConfigReference, InitContainersRouteRefusesWhatOnlyAConfigFileCarries) {
  const std::set<std::string> by_flag_or_not_in_sidecar_mode = {
      "mode", "listen", "metrics_listen", "log.level", "log.format", "kubernetes.namespace",
      "kubernetes.pod_selector",
      // No flag either, yet refused nowhere: README, "Sidecar mode".
      "kubernetes.history_namespace"};
  EXPECT_EQ(RenderError({"mode=sidecar"}), "");
  for (const FromValues& k : ConfigKeysFromValues()) {
    if (by_flag_or_not_in_sidecar_mode.count(k.key)) continue;
    std::vector<std::string> values = {"mode=sidecar"};
    values.insert(values.end(), k.set.begin(), k.set.end());
    const std::string error = RenderError(values);
    const std::string path = k.set.front().substr(0, k.set.front().find('='));
    EXPECT_NE(error.find("no flag for: "), std::string::npos) << k.key << ": " << error;
    // A group compared whole (service.limits) is named by the group.
    const std::string named = path.rfind("service.limits.", 0) == 0 ? "service.limits" : path;
    EXPECT_NE(error.find(named), std::string::npos) << k.key << ": " << error;
  }
  // What flags carry goes through.
  const YAML::Node c =
      ServiceContainer(Render({"mode=sidecar", "api.port=1234", "metrics.port=2345",
                               "service.logLevel=debug", "service.logFormat=text"}));
  std::string args;
  for (const YAML::Node& arg : c["args"]) args += Text(arg) + " ";
  EXPECT_EQ(
      args,
      "--mode sidecar --listen 127.0.0.1:1234 --metrics-listen 0.0.0.0:2345 --log-level "
      "debug --log-format text --set kubernetes.history_namespace=feldera-completion-history ");
}

}  // namespace
}  // namespace sidecar::testing
