// The chart and the binary together: the service started with exactly the config file, arguments
// and environment the chart renders answers on every port, path and probe the chart names, and
// the Kubernetes requests it makes (logged by the fake API server) are exactly what the rendered
// RBAC grants it.
//
// With SIDECAR_IMAGE_ROOTFS set to the root filesystem of the built image (scripts/test, stage
// image), the service is the image's own binary, run there under chroot as the image's user, with
// the config file where the chart mounts it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "deploy/rbac_rules.h"
#include "deploy/rendered_chart.h"
#include "fakes/kube_api/fake_kube_api.h"
#include "fakes/kube_api/pod_mutations.h"
#include "support/http.h"
#include "support/process.h"

namespace sidecar::testing {
namespace {

constexpr char kNamespace[] = "feldera";
constexpr char kPipeline[] = "demo";
const std::string kPodName = "pipeline-0196b120-6203-7b90-b6bd-16890df15e28-0";
constexpr auto kPatience = std::chrono::seconds(30);

std::string Url(int port, const std::string& path) {
  return "http://127.0.0.1:" + std::to_string(port) + path;
}

std::string Text(const YAML::Node& node) {
  return node ? node.as<std::string>("") : "";
}

// A fake API server holding one pipeline pod whose pipeline is the simulator, and the service
// started as the chart renders it, on the test's own loopback ports.
class ChartDeployment : public ::testing::Test {
 protected:
  ChartDeployment() : api_(FreePort()) {}

  void SetUp() override {
    api_.Start();
    sim_ = std::make_unique<ChildProcess>(std::vector<std::string>{
        BuiltBinary("feldera-sim"), "--listen", "127.0.0.1:" + std::to_string(sim_port_),
        "--step-interval-ms", "10", "--step-delay-ms", "20"});
    ASSERT_TRUE(WaitUntil([&] { return HttpGet(Url(sim_port_, "/sim/state")).status == 200; }))
        << sim_->Output();
    PipelinePodOptions pod;
    pod.container_port = sim_port_;
    api_.CreatePod(MakePipelinePod(kNamespace, kPodName, {{"feldera.com/pipeline-name", kPipeline}},
                                   "127.0.0.1", pod));
  }

  void TearDown() override {
    if (HasFailure() && service_) std::cerr << "---- service ----\n" << service_->Output();
    service_.reset();
    if (!config_dir_.empty()) std::filesystem::remove_all(config_dir_);
  }

  // Renders the chart in `mode` with `values` on top of the test's ports and API server, then
  // starts the binary with the rendered container's arguments, its config file where the
  // container mounts it, and the downward-API environment the kubelet would give it.
  void Start(const std::string& mode, std::vector<std::string> values) {
    values.insert(values.end(),
                  {"mode=" + mode, "api.port=" + std::to_string(api_port_),
                   "metrics.port=" + std::to_string(metrics_port_), "metrics.bindAddress=127.0.0.1",
                   "kubernetes.apiUrl=" + api_.Url(), "pipelines.probeIntervalMs=200"});
    chart_ = RenderChart(kNamespace, values);
    ASSERT_TRUE(chart_.ok) << chart_.error;
    container_ = ServiceContainer(chart_.objects);
    ASSERT_TRUE(container_.IsMap()) << "no completion-sidecar container rendered";

    // The config volume's mount path stands for a directory holding the rendered config.yaml.
    std::string mount_path;
    for (const YAML::Node& mount : container_["volumeMounts"]) {
      if (Text(mount["name"]) == "completion-sidecar-config") mount_path = Text(mount["mountPath"]);
    }
    ASSERT_FALSE(mount_path.empty());
    const char* image_root = std::getenv("SIDECAR_IMAGE_ROOTFS");
    std::vector<std::string> argv;
    if (image_root && *image_root) {
      // In the image, the file goes where the chart mounts it, and the binary runs as the user
      // the chart's securityContext names.
      config_dir_ = std::string(image_root) + mount_path;
      argv = {"/usr/sbin/chroot", "--userspec=" + RunAsUser(), image_root,
              "/usr/local/bin/completion-sidecar"};
    } else {
      config_dir_ = ::testing::TempDir() + "chart-config-" + std::to_string(::getpid()) + "-" +
                    std::to_string(api_port_);
      argv = {BuiltBinary("completion-sidecar")};
    }
    std::filesystem::create_directories(config_dir_);
    std::ofstream(config_dir_ + "/config.yaml") << ConfigFile(chart_.objects);
    for (const YAML::Node& arg : container_["args"]) {
      std::string text = Text(arg);
      if (!image_root && text.rfind(mount_path, 0) == 0) {
        text = config_dir_ + text.substr(mount_path.size());
      }
      argv.push_back(text);
    }
    std::vector<std::string> env;
    for (const YAML::Node& var : container_["env"]) {
      const std::string field = Text(var["valueFrom"]["fieldRef"]["fieldPath"]);
      if (field == "metadata.name") env.push_back(Text(var["name"]) + "=" + kPodName);
      if (field == "metadata.namespace") env.push_back(Text(var["name"]) + "=" + kNamespace);
    }
    service_ = std::make_unique<ChildProcess>(argv, env);
  }

  // "UID:GID" from the container's securityContext; the image's own USER where it names none.
  std::string RunAsUser() const {
    const auto field = [&](const char* name) {
      const std::string value = Text(container_["securityContext"][name]);
      return value.empty() ? std::string("65532") : value;
    };
    return field("runAsUser") + ":" + field("runAsGroup");
  }

  // GET on one of the container's probes: its path, on the port it names.
  HttpResult Probe(const std::string& probe) {
    const YAML::Node get = container_[probe]["httpGet"];
    const int port = ContainerPort(container_, Text(get["port"]));
    if (port == 0) return HttpResult{0, "", {}, probe + " names no port of the container"};
    return HttpGet(Url(port, Text(get["path"])));
  }

  bool WaitReady() {
    return WaitUntil([&] { return Probe("readinessProbe").status == 200; }, kPatience);
  }

  // The ServiceAccount the rendered RBAC is for.
  std::string ServiceAccount() const {
    if (const YAML::Node d = FindObject(chart_.objects, "Deployment", kRelease)) {
      return Text(d["spec"]["template"]["spec"]["serviceAccountName"]);
    }
    return Text(FindObject(chart_.objects, "ConfigMap",
                           std::string(kRelease) + "-sidecar")["data"]["serviceAccountName"]);
  }

  // Drives the service through everything it asks Kubernetes for: pods listed and watched, a
  // pipeline whose incarnation is stored in a new history ConfigMap, then a restart of the
  // pipeline stored over it. Returns whether the history ConfigMap came to hold both.
  bool ExerciseHistory() {
    std::string first;
    if (!WaitUntil([&] { return !(first = CurrentIncarnation()).empty(); }, kPatience))
      return false;
    if (!WaitUntil([&] { return HistoryHolds(first); }, kPatience)) return false;
    if (HttpPost(Url(sim_port_, "/sim/restart")).status != 200) return false;
    std::string second;
    return WaitUntil(
        [&] {
          second = CurrentIncarnation();
          return !second.empty() && second != first && HistoryHolds(second);
        },
        kPatience);
  }

  std::string CurrentIncarnation() {
    const web::json::value list = HttpGet(Url(api_port_, "/v0/pipelines")).Json();
    if (!list.is_array() || list.size() != 1) return "";
    const web::json::value& current = list.at(0).at("current_incarnation");
    return current.has_string_field("incarnation_uuid") ? current.at("incarnation_uuid").as_string()
                                                        : "";
  }

  // Whether a ConfigMap the service has asked for (its history) mentions `text`.
  bool HistoryHolds(const std::string& text) {
    for (const auto& r : api_.RequestLog()) {
      if (r.resource != "configmaps" || r.name.empty()) continue;
      const auto map = api_.GetConfigMap(r.namespace_name, r.name);
      if (map && map->serialize().find(text) != std::string::npos) return true;
    }
    return false;
  }

  // Every request to the fake API server, as the authorization question it asks.
  std::vector<KubeAccess> Accesses() const {
    std::vector<KubeAccess> accesses;
    for (const auto& r : api_.RequestLog()) {
      accesses.push_back({r.namespace_name, r.resource, r.verb});
    }
    return accesses;
  }

  void ExpectRbacIsExactlyWhatIsUsed() {
    ASSERT_TRUE(ExerciseHistory()) << "the pipeline's history never reached its ConfigMap";
    const std::vector<RbacGrant> grants = GrantsTo(chart_.objects, kNamespace, ServiceAccount());
    const std::vector<KubeAccess> accesses = Accesses();
    for (const KubeAccess& a : NotGranted(accesses, grants)) {
      ADD_FAILURE() << "used but not granted: " << ToString(a);
    }
    for (const RbacGrant& g : NotUsed(grants, accesses)) {
      ADD_FAILURE() << "granted but never used: " << ToString(g);
    }
  }

  const int sim_port_ = FreePort();
  const int api_port_ = FreePort();
  const int metrics_port_ = FreePort();
  FakeKubeApiServer api_;
  std::unique_ptr<ChildProcess> sim_;
  std::unique_ptr<ChildProcess> service_;
  RenderedChart chart_;
  YAML::Node container_;
  std::string config_dir_;
};

TEST_F(ChartDeployment, ClusterModeAnswersOnEveryPortPathAndProbeTheChartNames) {
  Start("cluster", {"api.bindAddress=127.0.0.1"});
  ASSERT_TRUE(WaitReady()) << Probe("readinessProbe").body;
  EXPECT_EQ(Probe("livenessProbe").status, 200);

  // Every Service port reaches a container port that answers for its purpose.
  const YAML::Node service = FindObject(chart_.objects, "Service", kRelease);
  ASSERT_TRUE(service);
  std::vector<std::string> names;
  for (const YAML::Node& port : service["spec"]["ports"]) {
    const std::string name = Text(port["name"]);
    names.push_back(name);
    const int target = ContainerPort(container_, Text(port["targetPort"]));
    ASSERT_NE(target, 0) << "Service port " << name << " targets no container port";
    EXPECT_EQ(port["port"].as<int>(), target);
    if (name == "http") {
      EXPECT_NE(HttpGet(Url(target, "/v0/pipelines")).body.find(kPipeline), std::string::npos);
    } else {
      EXPECT_NE(HttpGet(Url(target, "/metrics")).body.find("feldera_pipeline_up{"),
                std::string::npos);
    }
  }
  EXPECT_EQ(names, (std::vector<std::string>{"http", "metrics"}));

  // Where the prometheus.io annotations send a scraper.
  const YAML::Node annotations = FindObject(
      chart_.objects, "Deployment", kRelease)["spec"]["template"]["metadata"]["annotations"];
  const HttpResult scrape = HttpGet(Url(std::stoi(Text(annotations["prometheus.io/port"])),
                                        Text(annotations["prometheus.io/path"])));
  EXPECT_EQ(scrape.status, 200);
  EXPECT_NE(scrape.body.find("# TYPE feldera_pipeline_up gauge"), std::string::npos);
}

// A token through the deployed service: in progress (202), complete by long-poll (200), then gone
// (410) once the pipeline restarts.
TEST_F(ChartDeployment, ClusterModeAnswersATokensWholeLife) {
  Start("cluster", {"api.bindAddress=127.0.0.1"});
  ASSERT_TRUE(WaitReady()) << Probe("readinessProbe").body;
  ASSERT_EQ(HttpPost(Url(sim_port_, "/sim/pause")).status, 200);
  const HttpResult ingest = HttpPost(
      Url(api_port_, std::string("/v0/pipelines/") + kPipeline + "/ingress/numbers?format=json"),
      "{\"n\":1}");
  ASSERT_EQ(ingest.status, 200) << ingest.body;
  const std::string status =
      Url(api_port_, std::string("/v0/pipelines/") + kPipeline +
                         "/completion_status?token=" + ingest.Json().at("token").as_string());
  EXPECT_EQ(HttpGet(status).status, 202);
  ASSERT_EQ(HttpPost(Url(sim_port_, "/sim/resume")).status, 200);
  EXPECT_EQ(HttpGet(status + "&wait_ms=10000").status, 200);
  ASSERT_EQ(HttpPost(Url(sim_port_, "/sim/restart")).status, 200);
  EXPECT_TRUE(WaitUntil([&] { return HttpGet(status).status == 410; }, kPatience));
}

TEST_F(ChartDeployment, SidecarModeServesItsOwnPodOnLoopbackAndMetricsOnTheirPort) {
  Start("sidecar", {});
  ASSERT_TRUE(WaitReady()) << Probe("readinessProbe").body;
  EXPECT_EQ(Probe("livenessProbe").status, 200);
  // The API is no container port: only the pod's own containers reach it, on loopback.
  EXPECT_EQ(container_["ports"].size(), 1u);
  EXPECT_NE(ConfigFile(chart_.objects).find("listen: \"127.0.0.1:" + std::to_string(api_port_)),
            std::string::npos);
  EXPECT_NE(HttpGet(Url(api_port_, "/v0/pipelines")).body.find(kPipeline), std::string::npos);
  const int metrics = ContainerPort(container_, "sidecar-metrics");
  EXPECT_EQ(metrics, metrics_port_);
  EXPECT_EQ(HttpGet(Url(metrics, "/metrics")).status, 200);
}

TEST_F(ChartDeployment, ClusterModeInOneNamespaceUsesExactlyItsRbac) {
  Start("cluster", {"api.bindAddress=127.0.0.1"});
  ExpectRbacIsExactlyWhatIsUsed();
}

TEST_F(ChartDeployment, ClusterModeOverAllNamespacesUsesExactlyItsRbac) {
  Start("cluster", {"api.bindAddress=127.0.0.1", "kubernetes.watchAllNamespaces=true"});
  ExpectRbacIsExactlyWhatIsUsed();
}

TEST_F(ChartDeployment, SidecarModeUsesExactlyItsRbac) {
  Start("sidecar", {});
  ExpectRbacIsExactlyWhatIsUsed();
}

}  // namespace
}  // namespace sidecar::testing
