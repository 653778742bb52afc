#include "feldera/pod_observation.h"

#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "kube/kube_test_data.h"

namespace sidecar::kube {
namespace {

using testing::AsPipelinePod;
using testing::kPipelineId;
using testing::LoadJson;
using testing::LoadListItem;

const std::string kPipelinePodName = "pipeline-" + std::string(kPipelineId) + "-0";

// Every pod in the fixtures, as captured: none is named like a pipeline pod.
std::vector<web::json::value> AllFixturePods() {
  std::vector<web::json::value> pods = {
      LoadJson("pod-statefulset-web-0.json"),
      LoadJson("pod-statefulset-prometheus-k8s-0.openshift.json")};
  for (const char* file :
       {"podlist-kube-system.v1.35.json", "podlist-kubelet-with-evicted-pod.json"}) {
    const web::json::value list = LoadJson(file);
    for (const auto& item : list.at("items").as_array()) {
      pods.push_back(item);
    }
  }
  return pods;
}

TEST(ObservePod, IgnoresPodsThatAreNotPipelinePods) {
  auto pods = AllFixturePods();
  ASSERT_EQ(pods.size(), 14u);
  for (const auto& pod : pods) {
    EXPECT_FALSE(ObservePod(pod).has_value()) << pod.at("metadata").at("name").as_string();
  }
}

struct ObservationCase {
  std::string description;
  std::function<web::json::value()> pod;
  PodObservationOptions options;
  std::function<void(const PodObservation&)> check;
};

PodObservationOptions WithPortName(std::string port_name) {
  PodObservationOptions options;
  options.port_name = std::move(port_name);
  return options;
}

std::vector<ObservationCase> ObservationCases() {
  std::vector<ObservationCase> cases;
  cases.push_back({"running StatefulSet pod (kind)",
                   [] { return AsPipelinePod(LoadJson("pod-statefulset-web-0.json"), "nginx"); },
                   WithPortName("web"),
                   [](const PodObservation& pod) {
                     EXPECT_EQ(pod.namespace_name, "default");
                     EXPECT_EQ(pod.pod_name, kPipelinePodName);
                     EXPECT_EQ(pod.uid, "58fd3633-e33d-4067-89aa-1ba99aa6e856");
                     EXPECT_EQ(pod.resource_version, "861503");
                     EXPECT_EQ(pod.phase, "Running");
                     EXPECT_EQ(pod.reason, "");
                     EXPECT_FALSE(pod.deleting);
                     EXPECT_EQ(pod.pod_ip, "10.244.0.83");
                     EXPECT_EQ(pod.pipeline_id, kPipelineId);
                     EXPECT_EQ(pod.ordinal, 0);
                     EXPECT_EQ(pod.pipeline_name, "");
                     EXPECT_EQ(pod.port, 80);  // the port named "web"
                     ASSERT_TRUE(pod.container.has_value());
                     EXPECT_EQ(pod.container->name, "pipeline");
                     EXPECT_EQ(pod.container->container_id,
                               "containerd://"
                               "8c4b5311ed9bc3fd8d1ffb8cf5e5c6937e16edbff198dad373863c6941bbfdc4");
                     EXPECT_EQ(pod.container->restart_count, 0);
                     EXPECT_TRUE(pod.container->ready);
                     EXPECT_EQ(pod.container->state,
                               ContainerState(RunningState{"2025-01-16T06:36:02Z"}));
                     EXPECT_FALSE(pod.container->last_terminated.has_value());
                   }});
  cases.push_back({"port not named as configured falls back to the default",
                   [] { return AsPipelinePod(LoadJson("pod-statefulset-web-0.json"), "nginx"); },
                   PodObservationOptions{},
                   [](const PodObservation& pod) { EXPECT_EQ(pod.port, 8080); }});
  cases.push_back({"restarted container with lastState.terminated (OpenShift, 7 containers)",
                   [] {
                     return AsPipelinePod(
                         LoadJson("pod-statefulset-prometheus-k8s-0.openshift.json"), "prometheus");
                   },
                   PodObservationOptions{},
                   [](const PodObservation& pod) {
                     EXPECT_EQ(pod.namespace_name, "openshift-monitoring");
                     ASSERT_TRUE(pod.container.has_value());
                     EXPECT_EQ(pod.container->restart_count, 1);
                     EXPECT_TRUE(std::holds_alternative<RunningState>(pod.container->state));
                     ASSERT_TRUE(pod.container->last_terminated.has_value());
                     EXPECT_EQ(pod.container->last_terminated->reason, "Error");
                     EXPECT_EQ(pod.container->last_terminated->exit_code, 2);
                     EXPECT_EQ(pod.container->last_terminated->started_at, "2021-07-07T16:15:21Z");
                     EXPECT_EQ(pod.container->last_terminated->finished_at, "2021-07-07T16:15:21Z");
                     EXPECT_EQ(pod.container->container_id.rfind("cri-o://", 0), 0u);
                   }});
  cases.push_back({"empty container option selects the first container",
                   [] {
                     return AsPipelinePod(
                         LoadJson("pod-statefulset-prometheus-k8s-0.openshift.json"), "none");
                   },
                   [] {
                     PodObservationOptions options;
                     options.container = "";
                     return options;
                   }(),
                   [](const PodObservation& pod) {
                     ASSERT_TRUE(pod.container.has_value());
                     EXPECT_EQ(pod.container->name, "prometheus");
                     EXPECT_EQ(pod.container->restart_count, 1);
                   }});
  cases.push_back(
      {"OOMKilled lastState (kubernetes.io documentation)",
       [] {
         auto pod = AsPipelinePod(LoadJson("pod-statefulset-web-0.json"), "nginx");
         auto& status = pod["status"]["containerStatuses"][0];
         status["lastState"] =
             LoadJson("containerstatus-laststate-oomkilled.k8s-docs.json").at("lastState");
         status["restartCount"] = web::json::value::number(2);
         return pod;
       },
       PodObservationOptions{},
       [](const PodObservation& pod) {
         ASSERT_TRUE(pod.container.has_value());
         EXPECT_EQ(pod.container->restart_count, 2);
         ASSERT_TRUE(pod.container->last_terminated.has_value());
         const TerminatedState& last = *pod.container->last_terminated;
         EXPECT_EQ(last.reason, "OOMKilled");
         EXPECT_EQ(last.exit_code, 137);
         EXPECT_EQ(last.started_at, "");  // null in the source
         EXPECT_EQ(last.finished_at, "2017-06-20T20:52:19Z");
         EXPECT_EQ(last.container_id.rfind("docker://65183c18", 0), 0u);
       }});
  cases.push_back(
      {"evicted pod (kubelet pod list)",
       [] { return AsPipelinePod(LoadListItem("podlist-kubelet-with-evicted-pod.json", 2), "sh"); },
       PodObservationOptions{},
       [](const PodObservation& pod) {
         EXPECT_EQ(pod.phase, "Failed");
         EXPECT_EQ(pod.reason, "Evicted");
         EXPECT_EQ(pod.message, "The node was low on resource: memory.");
         EXPECT_EQ(pod.resource_version, "36255");
         EXPECT_FALSE(pod.container.has_value());  // no containerStatuses
       }});
  cases.push_back({"pending pod without container statuses",
                   [] {
                     return AsPipelinePod(LoadListItem("podlist-kubelet-with-evicted-pod.json", 1),
                                          "kube-state-metrics");
                   },
                   WithPortName("http-metrics"),
                   [](const PodObservation& pod) {
                     EXPECT_EQ(pod.phase, "Pending");
                     EXPECT_FALSE(pod.container.has_value());
                     EXPECT_EQ(pod.port, 8080);
                   }});
  cases.push_back({"DaemonSet pod restarted six times, last run Completed",
                   [] {
                     return AsPipelinePod(LoadListItem("podlist-kubelet-with-evicted-pod.json", 0),
                                          "newrelic-infra", 3);
                   },
                   PodObservationOptions{},
                   [](const PodObservation& pod) {
                     EXPECT_EQ(pod.ordinal, 3);
                     ASSERT_TRUE(pod.container.has_value());
                     EXPECT_EQ(pod.container->restart_count, 6);
                     ASSERT_TRUE(pod.container->last_terminated.has_value());
                     EXPECT_EQ(pod.container->last_terminated->reason, "Completed");
                     EXPECT_EQ(pod.container->last_terminated->exit_code, 0);
                   }});
  cases.push_back({"static pod without resourceVersion",
                   [] {
                     return AsPipelinePod(LoadListItem("podlist-kubelet-with-evicted-pod.json", 3),
                                          "kube-controller-manager");
                   },
                   PodObservationOptions{},
                   [](const PodObservation& pod) {
                     EXPECT_EQ(pod.resource_version, "");
                     ASSERT_TRUE(pod.container.has_value());
                     EXPECT_EQ(pod.container->last_terminated->exit_code, 255);
                   }});
  cases.push_back(
      {"named metrics port (kube-system coredns)",
       [] { return AsPipelinePod(LoadListItem("podlist-kube-system.v1.35.json", 0), "coredns"); },
       WithPortName("metrics"),
       [](const PodObservation& pod) {
         EXPECT_EQ(pod.namespace_name, "kube-system");
         EXPECT_EQ(pod.port, 9153);
         EXPECT_EQ(pod.pod_ip, "10.244.0.2");
       }});
  cases.push_back({"pipeline name label and deletion in progress",
                   [] {
                     auto pod = AsPipelinePod(LoadJson("pod-statefulset-web-0.json"), "nginx");
                     pod["metadata"]["labels"]["feldera.com/pipeline-name"] =
                         web::json::value::string("orders");
                     pod["metadata"]["deletionTimestamp"] =
                         web::json::value::string("2025-01-16T07:00:00Z");
                     return pod;
                   },
                   PodObservationOptions{},
                   [](const PodObservation& pod) {
                     EXPECT_EQ(pod.pipeline_name, "orders");
                     EXPECT_TRUE(pod.deleting);
                   }});
  cases.push_back({"waiting container",
                   [] {
                     auto pod = AsPipelinePod(LoadJson("pod-statefulset-web-0.json"), "nginx");
                     auto state = web::json::value::object();
                     state["waiting"]["reason"] = web::json::value::string("CrashLoopBackOff");
                     pod["status"]["containerStatuses"][0]["state"] = state;
                     return pod;
                   },
                   PodObservationOptions{},
                   [](const PodObservation& pod) {
                     ASSERT_TRUE(pod.container.has_value());
                     EXPECT_EQ(pod.container->state,
                               ContainerState(WaitingState{"CrashLoopBackOff"}));
                   }});
  return cases;
}

TEST(ObservePod, ReadsRealPodsRenamedAsPipelinePods) {
  for (const ObservationCase& c : ObservationCases()) {
    SCOPED_TRACE(c.description);
    auto observation = ObservePod(c.pod(), c.options);
    ASSERT_TRUE(observation.has_value());
    c.check(*observation);
  }
}

TEST(ObservePod, EveryKubeSystemPodReadsAsRunningOnceRenamed) {
  auto list = LoadJson("podlist-kube-system.v1.35.json");
  for (const auto& item : list.at("items").as_array()) {
    std::string container = item.at("spec").at("containers").at(0).at("name").as_string();
    auto observation = ObservePod(AsPipelinePod(item, container));
    ASSERT_TRUE(observation.has_value()) << container;
    ASSERT_TRUE(observation->container.has_value()) << container;
    EXPECT_TRUE(std::holds_alternative<RunningState>(observation->container->state)) << container;
    EXPECT_FALSE(observation->uid.empty());
  }
}

TEST(ObservePod, CustomNamePatternCapturesIdAndOrdinal) {
  PodObservationOptions options;
  options.name_regex = CompilePodNamePattern("(web)-([0-9]+)").value();
  options.container = "nginx";
  auto observation = ObservePod(LoadJson("pod-statefulset-web-0.json"), options);
  ASSERT_TRUE(observation.has_value());
  EXPECT_EQ(observation->pipeline_id, "web");
  EXPECT_EQ(observation->ordinal, 0);
}

TEST(CompilePodNamePattern, RejectsInvalidPatternsWithAReason) {
  auto invalid = CompilePodNamePattern("pipeline-([a-z");
  ASSERT_FALSE(invalid.ok());
  EXPECT_NE(invalid.error().find("not a valid regular expression"), std::string::npos);
  auto one_group = CompilePodNamePattern("pipeline-(.*)");
  ASSERT_FALSE(one_group.ok());
  EXPECT_NE(one_group.error().find("exactly two capture groups"), std::string::npos);
  EXPECT_TRUE(CompilePodNamePattern(kDefaultPipelinePodNamePattern).ok());
}

TEST(ObservePod, NameMustMatchTheWholePattern) {
  auto pod = AsPipelinePod(LoadJson("pod-statefulset-web-0.json"), "nginx");
  const std::string id = kPipelineId;
  for (const std::string& name : std::vector<std::string>{
           "pipeline-" + id + "-x", "pipeline-" + id + "-0-extra", "xpipeline-" + id + "-0",
           "pipeline-0196b120-6203-7b90-b6bd-16890df15e2-0",
           "pipeline-" + id + "-99999999999999999999", ""}) {
    pod["metadata"]["name"] = web::json::value::string(name);
    EXPECT_FALSE(ObservePod(pod).has_value()) << name;
  }
  pod["metadata"]["name"] = web::json::value::string(std::string(100000, 'p'));
  EXPECT_FALSE(ObservePod(pod).has_value());
}

// Hostile input: wrong types and extreme values everywhere.
const std::vector<web::json::value>& HostileValues() {
  static const std::vector<web::json::value> values = {
      web::json::value::null(),
      web::json::value::boolean(true),
      web::json::value::number(-1),
      web::json::value::number(1e308),
      web::json::value::number(uint64_t{18446744073709551615u}),
      web::json::value::number(int64_t{-9223372036854775807 - 1}),
      web::json::value::string(""),
      web::json::value::string(std::string(1000, 'x')),
      web::json::value::array(),
      web::json::value::object(),
  };
  return values;
}

using JsonPathSteps = std::vector<std::variant<std::string, size_t>>;

void CollectPaths(const web::json::value& node, JsonPathSteps& prefix,
                  std::vector<JsonPathSteps>& out) {
  if (node.is_object()) {
    for (const auto& [key, child] : node.as_object()) {
      prefix.push_back(key);
      out.push_back(prefix);
      CollectPaths(child, prefix, out);
      prefix.pop_back();
    }
  } else if (node.is_array()) {
    for (size_t i = 0; i < node.size(); ++i) {
      prefix.push_back(i);
      out.push_back(prefix);
      CollectPaths(node.at(i), prefix, out);
      prefix.pop_back();
    }
  }
}

web::json::value& Navigate(web::json::value& root, const JsonPathSteps& path) {
  web::json::value* node = &root;
  for (const auto& step : path) {
    node = std::holds_alternative<std::string>(step) ? &(*node)[std::get<std::string>(step)]
                                                     : &(*node)[std::get<size_t>(step)];
  }
  return *node;
}

// Calls `check` with `pod` with each of its fields in turn replaced by each hostile value; returns
// the number of calls.
size_t ForEachHostileMutation(const web::json::value& pod,
                              const std::function<void(const web::json::value&)>& check) {
  std::vector<JsonPathSteps> paths;
  JsonPathSteps prefix;
  CollectPaths(pod, prefix, paths);
  size_t mutations = 0;
  for (const auto& path : paths) {
    for (const auto& hostile : HostileValues()) {
      web::json::value mutated = pod;
      Navigate(mutated, path) = hostile;
      check(mutated);
      ++mutations;
    }
  }
  return mutations;
}

TEST(ObservePod, SurvivesEveryFieldReplacedByAHostileValue) {
  const std::vector<web::json::value> pods = {
      AsPipelinePod(LoadJson("pod-statefulset-web-0.json"), "nginx"),
      AsPipelinePod(LoadListItem("podlist-kubelet-with-evicted-pod.json", 0), "newrelic-infra")};
  size_t mutations = 0;
  for (const auto& pod : pods) {
    mutations += ForEachHostileMutation(
        pod, [](const web::json::value& mutated) { EXPECT_NO_THROW(ObservePod(mutated)); });
  }
  EXPECT_GT(mutations, 1000u);
}

TEST(ObservePod, MalformedIdentityOrRestartCountIsRejected) {
  const auto pod = AsPipelinePod(LoadJson("pod-statefulset-web-0.json"), "nginx");
  for (const auto& hostile : HostileValues()) {
    auto no_name = pod;
    no_name["metadata"]["name"] = hostile;
    EXPECT_FALSE(ObservePod(no_name).has_value()) << hostile.serialize();
    if (!hostile.is_string() || hostile.as_string().empty()) {
      auto bad_uid = pod;
      bad_uid["metadata"]["uid"] = hostile;
      EXPECT_FALSE(ObservePod(bad_uid).has_value()) << hostile.serialize();
    }
    bool valid_count = hostile.is_number() && hostile.as_number().is_int64() &&
                       hostile.as_number().to_int64() >= 0;
    auto bad_count = pod;
    bad_count["status"]["containerStatuses"][0]["restartCount"] = hostile;
    EXPECT_EQ(ObservePod(bad_count).has_value(), valid_count) << hostile.serialize();
  }
}

TEST(ObservePod, WrongTypesElsewhereReadAsAbsent) {
  auto pod = AsPipelinePod(LoadJson("pod-statefulset-web-0.json"), "nginx");
  pod["metadata"]["labels"] = web::json::value::array();
  pod["status"]["phase"] = web::json::value::number(7);
  pod["status"]["podIP"] = web::json::value::object();
  pod["spec"]["containers"][0]["ports"][0]["containerPort"] = web::json::value::number(1e300);
  pod["status"]["containerStatuses"][0]["ready"] = web::json::value::string("true");
  pod["status"]["containerStatuses"][0]["state"] = web::json::value::array();
  PodObservationOptions options = WithPortName("web");
  auto observation = ObservePod(pod, options);
  ASSERT_TRUE(observation.has_value());
  EXPECT_EQ(observation->pipeline_name, "");
  EXPECT_EQ(observation->phase, "");
  EXPECT_EQ(observation->pod_ip, "");
  EXPECT_EQ(observation->port, 8080);
  EXPECT_FALSE(observation->container->ready);
  EXPECT_EQ(observation->container->state, ContainerState(std::monostate{}));
}

// What a projection keeps reads exactly as the whole pod does, and what it drops would never have
// been read as a pipeline pod.
void ExpectProjectionReadsAsThePod(const web::json::value& pod,
                                   const PodObservationOptions& options) {
  const std::optional<PodObservation> whole = ObservePod(pod, options);
  const std::optional<web::json::value> projected = ProjectPod(pod, options);
  if (!projected) {
    EXPECT_FALSE(whole.has_value()) << pod.serialize();
    return;
  }
  EXPECT_EQ(ObservePod(*projected, options), whole) << pod.serialize();
}

TEST(ProjectPod, ReadsAsTheWholePodForEveryRealPod) {
  for (const ObservationCase& c : ObservationCases()) {
    SCOPED_TRACE(c.description);
    const web::json::value pod = c.pod();
    ExpectProjectionReadsAsThePod(pod, c.options);
    PodObservationOptions first_container = c.options;
    first_container.container = "";
    ExpectProjectionReadsAsThePod(pod, first_container);
    // A few hundred bytes are kept of a pod of several kilobytes.
    EXPECT_LT(ProjectPod(pod, c.options)->serialize().size() * 3, pod.serialize().size());
  }
}

TEST(ProjectPod, DropsEveryPodThatIsNotAPipelinePod) {
  for (const auto& pod : AllFixturePods()) EXPECT_FALSE(ProjectPod(pod).has_value());
  for (const auto& hostile : HostileValues()) EXPECT_FALSE(ProjectPod(hostile).has_value());
}

TEST(ProjectPod, ReadsAsTheWholePodWithEveryFieldReplacedByAHostileValue) {
  const std::vector<std::pair<web::json::value, PodObservationOptions>> pods = {
      {AsPipelinePod(LoadJson("pod-statefulset-web-0.json"), "nginx"), WithPortName("web")},
      {AsPipelinePod(LoadListItem("podlist-kubelet-with-evicted-pod.json", 0), "newrelic-infra"),
       PodObservationOptions{}}};
  size_t mutations = 0;
  for (const auto& entry : pods) {
    const PodObservationOptions& options = entry.second;
    mutations += ForEachHostileMutation(entry.first, [&options](const web::json::value& mutated) {
      ExpectProjectionReadsAsThePod(mutated, options);
    });
  }
  EXPECT_GT(mutations, 1000u);
}

TEST(ObservePod, NonObjectsAreNotPods) {
  for (const auto& hostile : HostileValues()) {
    EXPECT_FALSE(ObservePod(hostile).has_value());
  }
}

}  // namespace
}  // namespace sidecar::kube
