// The chart and the binary together: the service started with exactly the config file, arguments
// and environment the chart renders answers on every port, path and probe the chart names, and
// the Kubernetes requests it makes (logged by the fake API server) are exactly what the rendered
// RBAC grants it. The chart's `helm test` script passes against it, and fails where it must.
//
// The fake API server stands for the cluster: the chart's kubernetes.apiUrl points at it, or,
// where the chart renders no config file (sidecar.route initContainers: flags only), a kubeconfig
// in $KUBECONFIG does, in place of the in-cluster ServiceAccount, naming the pod's namespace as
// the ServiceAccount's namespace file would.
//
// With SIDECAR_IMAGE_ROOTFS set to the root filesystem of the built image (scripts/test, stage
// image), the service is the image's own binary, run there under chroot as the image's user, with
// the config file where the chart mounts it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "deploy/rbac_rules.h"
#include "deploy/rendered_chart.h"
#include "deploy/run_command.h"
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
    for (const std::string& dir : made_dirs_) std::filesystem::remove_all(dir);
  }

  // Renders the chart in `mode` with `values` on top of the test's ports, then starts the binary
  // with the rendered container's arguments, its config file (if it mounts one) where the
  // container mounts it, and the downward-API environment the kubelet would give it.
  void Start(const std::string& mode, std::vector<std::string> values) {
    values.insert(
        values.end(),
        {kImageValue, "mode=" + mode, "api.port=" + std::to_string(api_port_),
         "metrics.port=" + std::to_string(metrics_port_), "metrics.bindAddress=127.0.0.1"});
    // Through the template (and in cluster mode) the config file points the service at the
    // fake API server and speeds its probes up; through init_containers there is no file.
    const bool flags_only =
        mode == "sidecar" &&
        std::find(values.begin(), values.end(), "sidecar.route=template") == values.end();
    if (!flags_only) {
      values.insert(values.end(),
                    {"kubernetes.apiUrl=" + api_.Url(), "pipelines.probeIntervalMs=200"});
    }
    mounts_.clear();
    chart_ = RenderChart(kNamespace, values);
    ASSERT_TRUE(chart_.ok) << chart_.error;
    container_ = ServiceContainer(chart_.objects);
    ASSERT_TRUE(container_.IsMap()) << "no completion-sidecar container rendered";

    const char* image_root = std::getenv("SIDECAR_IMAGE_ROOTFS");
    const std::string root = image_root && *image_root ? image_root : "";
    std::vector<std::string> argv;
    if (!root.empty()) {
      // In the image, files go where the chart mounts them, and the binary runs as the user
      // the chart's securityContext names.
      argv = {"/usr/sbin/chroot", "--userspec=" + RunAsUser(), root,
              "/usr/local/bin/completion-sidecar"};
    } else {
      argv = {BuiltBinary("completion-sidecar")};
    }
    // Each mounted volume (the config, the chart's Secrets) becomes a directory holding its
    // files: where the container mounts it inside the image, else a directory of the test's,
    // which the paths in the config file and the arguments are rewritten to.
    const std::string scratch = ::testing::TempDir() + "chart-" + std::to_string(::getpid()) + "-" +
                                std::to_string(api_port_);
    bool config_mounted = false;
    for (const YAML::Node& mount : container_["volumeMounts"]) {
      const std::map<std::string, std::string> files = VolumeFiles(Text(mount["name"]));
      ASSERT_FALSE(files.empty()) << "volume " << Text(mount["name"]) << " holds nothing known";
      const std::string path = Text(mount["mountPath"]);
      const std::string dir = root.empty() ? scratch + path : root + path;
      if (root.empty()) mounts_[path] = dir;
      std::filesystem::create_directories(dir);
      made_dirs_.push_back(root.empty() ? scratch : dir);
      for (const auto& [name, text] : files) std::ofstream(dir + "/" + name) << text;
      config_mounted |= Text(mount["name"]) == "completion-sidecar-config";
    }
    ASSERT_EQ(config_mounted, !flags_only);
    if (config_mounted && root.empty()) {
      // The config file names the other mounts' files.
      const std::string config_dir = mounts_.at(ConfigMountPath());
      std::ofstream(config_dir + "/config.yaml") << Local(ConfigFile(chart_.objects));
    }
    for (const YAML::Node& arg : container_["args"]) argv.push_back(Local(Text(arg)));
    std::vector<std::string> env;
    for (const YAML::Node& var : container_["env"]) {
      const std::string field = Text(var["valueFrom"]["fieldRef"]["fieldPath"]);
      if (field == "metadata.name") env.push_back(Text(var["name"]) + "=" + kPodName);
      if (field == "metadata.namespace") env.push_back(Text(var["name"]) + "=" + kNamespace);
      if (var["value"]) env.push_back(Text(var["name"]) + "=" + Text(var["value"]));
    }
    if (flags_only) {
      // In place of the in-cluster ServiceAccount: the API server, and the namespace its
      // namespace file would hold.
      const std::string in_container = "/etc/completion-sidecar/test-kube";
      const std::string kube_dir = root.empty() ? scratch + in_container : root + in_container;
      std::filesystem::create_directories(kube_dir);
      made_dirs_.push_back(root.empty() ? scratch : kube_dir);
      std::ofstream(kube_dir + "/config")
          << "apiVersion: v1\nkind: Config\ncurrent-context: fake\n"
          << "clusters: [{name: fake, cluster: {server: \"" << api_.Url() << "\"}}]\n"
          << "contexts: [{name: fake, context: {cluster: fake, namespace: " << kNamespace
          << "}}]\n";
      env.push_back("KUBECONFIG=" + (root.empty() ? kube_dir : in_container) + "/config");
    }
    started_argv_ = argv;
    service_ = std::make_unique<ChildProcess>(argv, env);
  }

  // The pod's volumes, as the chart renders them for the Deployment or the template.
  YAML::Node PodVolumes() const {
    if (const YAML::Node d = FindObject(chart_.objects, "Deployment", kRelease)) {
      return d["spec"]["template"]["spec"]["volumes"];
    }
    const YAML::Node sidecar =
        FindObject(chart_.objects, "ConfigMap", std::string(kRelease) + "-sidecar");
    return sidecar ? YAML::Load(Text(sidecar["data"]["volumes.yaml"]))
                   : YAML::Node(YAML::NodeType::Undefined);
  }

  // The files of pod volume `name`: a ConfigMap's or a Secret's the chart renders.
  std::map<std::string, std::string> VolumeFiles(const std::string& name) const {
    std::map<std::string, std::string> files;
    for (const YAML::Node& volume : PodVolumes()) {
      if (Text(volume["name"]) != name) continue;
      const YAML::Node object =
          volume["configMap"]
              ? FindObject(chart_.objects, "ConfigMap", Text(volume["configMap"]["name"]))
              : FindObject(chart_.objects, "Secret", Text(volume["secret"]["secretName"]));
      if (!object) continue;
      for (const auto& entry : object[volume["configMap"] ? "data" : "stringData"]) {
        files[entry.first.Scalar()] = Text(entry.second);
      }
    }
    return files;
  }

  std::string ConfigMountPath() const {
    for (const YAML::Node& mount : container_["volumeMounts"]) {
      if (Text(mount["name"]) == "completion-sidecar-config") return Text(mount["mountPath"]);
    }
    return "";
  }

  // `text` with the container's mount paths replaced by this machine's directories.
  std::string Local(std::string text) const {
    for (const auto& [path, dir] : mounts_) {
      for (size_t at = text.find(path); at != std::string::npos;
           at = text.find(path, at + dir.size())) {
        text.replace(at, path.size(), dir);
      }
    }
    return text;
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

  // /readyz on the metrics port, which the Deployment's readiness probe asks (a sidecar has no
  // readiness probe: its readiness would be the pipeline pod's).
  HttpResult Readyz() {
    const int port =
        ContainerPort(container_, Text(container_["livenessProbe"]["httpGet"]["port"]));
    return HttpGet(Url(port, "/readyz"));
  }

  bool WaitReady() {
    return WaitUntil([&] { return Readyz().status == 200; }, kPatience);
  }

  // The ServiceAccount the rendered RBAC is for.
  std::string ServiceAccount() const { return ServiceAccountName(chart_.objects); }

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

  // A token through the deployed service: in progress (202), complete by long-poll (200), then
  // gone (410) once the pipeline restarts.
  void ExpectATokensWholeLife() {
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

  // Exercises the history, then compares the Kubernetes requests made with the rendered RBAC,
  // both ways: nothing used that is not granted, nothing granted that is not used.
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

  // Runs the chart's `helm test` pod's command with its environment: the Service's DNS name
  // stands for loopback, and the API keys file it mounts is the one the service reads (none
  // without `with_keys`). In the image (SIDECAR_IMAGE_ROOTFS), with the image's own bash, as the
  // image's user; else with this machine's.
  CommandResult RunHelmTest(bool with_keys = true) {
    const YAML::Node pod = FindObject(chart_.objects, "Pod", std::string(kRelease) + "-test");
    if (!pod) return {-1, "", "no helm test pod rendered"};
    const YAML::Node check = pod["spec"]["containers"][0];
    std::vector<std::string> argv = {"/usr/bin/env"};
    for (const YAML::Node& var : check["env"]) {
      std::string value = Text(var["value"]);
      if (Text(var["name"]) == "SERVICE_HOST") value = "127.0.0.1";
      if (Text(var["name"]) == "API_KEYS_FILE") value = with_keys ? Local(value) : "";
      argv.push_back(Text(var["name"]) + "=" + value);
    }
    const char* image_root = std::getenv("SIDECAR_IMAGE_ROOTFS");
    if (image_root && *image_root) {
      argv.insert(argv.end(), {"/usr/sbin/chroot", "--userspec=" + RunAsUser(), image_root});
    }
    for (const YAML::Node& part : check["command"]) argv.push_back(Text(part));
    for (const YAML::Node& part : check["args"]) argv.push_back(Text(part));
    return RunCommand(argv);
  }

  const int sim_port_ = FreePort();
  const int api_port_ = FreePort();
  const int metrics_port_ = FreePort();
  FakeKubeApiServer api_;
  std::unique_ptr<ChildProcess> sim_;
  std::unique_ptr<ChildProcess> service_;
  RenderedChart chart_;
  YAML::Node container_;
  std::map<std::string, std::string> mounts_;  // mount path -> this machine's directory
  std::vector<std::string> made_dirs_;
  std::vector<std::string> started_argv_;
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

TEST_F(ChartDeployment, ClusterModeAnswersATokensWholeLife) {
  Start("cluster", {"api.bindAddress=127.0.0.1"});
  ASSERT_TRUE(WaitReady()) << Probe("readinessProbe").body;
  ExpectATokensWholeLife();
}

// The pipeline pod's own containers reach the API on loopback, Prometheus the metrics on the
// pod IP, whichever way the sidecar joined the pod.
TEST_F(ChartDeployment, SidecarModeServesItsOwnPodOnLoopbackAndMetricsOnTheirPort) {
  for (const char* route : {"sidecar.route=initContainers", "sidecar.route=template"}) {
    SCOPED_TRACE(route);
    Start("sidecar", {route});
    ASSERT_TRUE(WaitReady()) << Readyz().body;
    EXPECT_EQ(Probe("startupProbe").status, 200);
    EXPECT_EQ(Probe("livenessProbe").status, 200);
    // The API is no container port: only the pod's own containers reach it, on loopback.
    EXPECT_EQ(container_["ports"].size(), 1u);
    EXPECT_NE(HttpGet(Url(api_port_, "/v0/pipelines")).body.find(kPipeline), std::string::npos);
    const int metrics = ContainerPort(container_, "sidecar-metrics");
    EXPECT_EQ(metrics, metrics_port_);
    EXPECT_EQ(HttpGet(Url(metrics, "/metrics")).status, 200);
    service_.reset();
  }
}

// Feldera's supported route: the runtime_config's init container, with its flags and the
// downward API only. The binary started with exactly those arguments (no config file) serves a
// token's whole life.
TEST_F(ChartDeployment, SidecarThroughInitContainersRunsOnTheRenderedFlagsAlone) {
  Start("sidecar", {});
  ASSERT_FALSE(container_["volumeMounts"]);
  std::vector<std::string> args;
  for (const YAML::Node& arg : container_["args"]) args.push_back(Text(arg));
  ASSERT_GE(started_argv_.size(), args.size());
  EXPECT_EQ(std::vector<std::string>(started_argv_.end() - static_cast<long>(args.size()),
                                     started_argv_.end()),
            args);
  EXPECT_EQ(std::find(args.begin(), args.end(), "--config"), args.end());
  ASSERT_TRUE(WaitReady()) << Readyz().body;
  EXPECT_EQ(ConfigFile(chart_.objects), "") << "a config file nothing mounts";

  ExpectATokensWholeLife();
}

TEST_F(ChartDeployment, ClusterModeInOneNamespaceUsesExactlyItsRbac) {
  Start("cluster", {"api.bindAddress=127.0.0.1"});
  ExpectRbacIsExactlyWhatIsUsed();
}

TEST_F(ChartDeployment, ClusterModeOverAllNamespacesUsesExactlyItsRbac) {
  Start("cluster", {"api.bindAddress=127.0.0.1", "kubernetes.watchAllNamespaces=true"});
  ExpectRbacIsExactlyWhatIsUsed();
}

// Through the template the config file names the history namespace, and the service keeps its
// history there and nowhere else.
TEST_F(ChartDeployment, SidecarThroughTheTemplateUsesExactlyItsRbac) {
  Start("sidecar", {"sidecar.route=template"});
  ExpectRbacIsExactlyWhatIsUsed();
}

// Through init_containers the binary is told the history namespace by flag (--set), and uses
// exactly the RBAC the chart grants there and in the pipelines' namespace.
TEST_F(ChartDeployment, SidecarThroughInitContainersUsesExactlyItsRbac) {
  Start("sidecar", {});
  ExpectRbacIsExactlyWhatIsUsed();
}

// `helm test` checks /readyz and the 404 of an unknown pipeline through the Service: against the
// service as the chart deploys it, with and without API keys, it passes; pointed at a port that
// is not the API, it fails.
TEST_F(ChartDeployment, TheHelmTestPassesAgainstTheServiceAndFailsWhereItMust) {
  Start("cluster", {"api.bindAddress=127.0.0.1"});
  ASSERT_TRUE(WaitReady()) << Readyz().body;
  CommandResult run = RunHelmTest();
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("ok: an unknown pipeline got 404 UnknownPipelineName"), std::string::npos)
      << run.out;

  // The API where the metrics are: no such route there.
  const YAML::Node pod = FindObject(chart_.objects, "Pod", std::string(kRelease) + "-test");
  const YAML::Node container = YAML::Clone(pod["spec"]["containers"][0]);
  for (YAML::Node var : container["env"]) {
    if (Text(var["name"]) == "API_PORT") var["value"] = std::to_string(metrics_port_);
  }
  for (YAML::Node object : chart_.objects) {
    if (Text(object["kind"]) == "Pod") object["spec"]["containers"][0] = container;
  }
  run = RunHelmTest();
  EXPECT_NE(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("FAIL: an unknown pipeline got 404"), std::string::npos) << run.out;
}

TEST_F(ChartDeployment, TheHelmTestPresentsAKeyWhenTheApiNeedsOne) {
  Start("cluster",
        {"api.bindAddress=127.0.0.1", "auth.enabled=true", "auth.apiKeys={first-key,second-key}"});
  ASSERT_TRUE(WaitReady()) << Readyz().body;
  const CommandResult without = RunHelmTest(false);
  EXPECT_NE(without.exit_code, 0) << without.out;
  EXPECT_NE(without.out.find("got 401"), std::string::npos) << without.out;
  const CommandResult with = RunHelmTest();
  EXPECT_EQ(with.exit_code, 0) << with.out << with.err;
}

}  // namespace
}  // namespace sidecar::testing
