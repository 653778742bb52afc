#include "fakes/kube_api/pod_mutations.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "fakes/kube_api/object_fields.h"

namespace sidecar::testing {
namespace {

using kubefake::FindField;
using kubefake::StringField;
using web::json::value;

value Fixture(const std::string& name) {
  std::ifstream in(std::string(KUBE_FIXTURES_DIR) + "/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return value::parse(text.str());
}

std::set<std::string> Keys(const value& object) {
  std::set<std::string> keys;
  for (const auto& [key, member] : object.as_object()) keys.insert(key);
  return keys;
}

const value& ContainerStatus(const value& pod) {
  return pod.at("status").at("containerStatuses").at(0);
}

TEST(MakePipelinePod, IsShapedLikeARealStatefulSetPod) {
  const value pod = MakePipelinePod("feldera", "pipeline-7-0", {{"app", "feldera"}}, "10.244.0.9");
  const value real = Fixture("pod-statefulset-web-0.json");
  // Server-set metadata fields are left to the server.
  std::set<std::string> real_metadata = Keys(real.at("metadata"));
  for (const char* server_set : {"uid", "resourceVersion", "creationTimestamp"}) {
    real_metadata.erase(server_set);
  }
  EXPECT_EQ(Keys(pod.at("metadata")), real_metadata);
  EXPECT_EQ(Keys(pod.at("status")), Keys(real.at("status")));
  std::set<std::string> real_container = Keys(ContainerStatus(real));
  real_container.erase("volumeMounts");  // the pipeline pod mounts no volumes
  EXPECT_EQ(Keys(ContainerStatus(pod)), real_container);

  EXPECT_EQ(StringField(pod, {"metadata", "labels", "statefulset.kubernetes.io/pod-name"}),
            "pipeline-7-0");
  EXPECT_EQ(StringField(pod, {"metadata", "labels", "apps.kubernetes.io/pod-index"}), "0");
  EXPECT_EQ(StringField(pod, {"metadata", "labels", "app"}), "feldera");
  EXPECT_EQ(pod.at("metadata").at("ownerReferences").at(0).at("name").as_string(), "pipeline-7");
  EXPECT_EQ(StringField(pod, {"status", "podIP"}), "10.244.0.9");
  EXPECT_EQ(StringField(pod, {"status", "phase"}), "Running");
  EXPECT_EQ(StringField(ContainerStatus(pod), {"containerID"}).rfind("containerd://", 0), 0u);
}

TEST(RestartContainer, RecordsTheOldProcessAndStartsANewOne) {
  value pod = MakePipelinePod("ns", "p-0", {}, "10.0.0.1");
  const std::string old_id = StringField(ContainerStatus(pod), {"containerID"});
  const std::string old_start =
      StringField(ContainerStatus(pod), {"state", "running", "startedAt"});

  RestartContainer(pod, "pipeline");
  const value& status = ContainerStatus(pod);
  EXPECT_EQ(status.at("restartCount").as_integer(), 1);
  const value& terminated = status.at("lastState").at("terminated");
  EXPECT_EQ(terminated.at("reason").as_string(), "OOMKilled");
  EXPECT_EQ(terminated.at("exitCode").as_integer(), 137);
  EXPECT_EQ(terminated.at("containerID").as_string(), old_id);
  EXPECT_EQ(terminated.at("startedAt").as_string(), old_start);
  EXPECT_TRUE(terminated.has_string_field("finishedAt"));
  EXPECT_NE(StringField(status, {"containerID"}), old_id);
  EXPECT_TRUE(FindField(status, {"state", "running", "startedAt"}) != nullptr);

  RestartContainer(pod, "pipeline", "Error", 2);
  EXPECT_EQ(ContainerStatus(pod).at("restartCount").as_integer(), 2);
  EXPECT_EQ(ContainerStatus(pod).at("lastState").at("terminated").at("exitCode").as_integer(), 2);
}

TEST(TerminateContainer, LeavesItTerminatedAndThePodNotReady) {
  value pod = MakePipelinePod("ns", "p-0", {}, "10.0.0.1");
  TerminateContainer(pod, "pipeline", "Completed", 0);
  const value& status = ContainerStatus(pod);
  EXPECT_EQ(status.at("state").at("terminated").at("reason").as_string(), "Completed");
  EXPECT_EQ(status.at("state").at("terminated").at("exitCode").as_integer(), 0);
  EXPECT_FALSE(status.at("ready").as_bool());
  for (const auto& condition : pod.at("status").at("conditions").as_array()) {
    const std::string type = condition.at("type").as_string();
    if (type == "Ready" || type == "ContainersReady") {
      EXPECT_EQ(condition.at("status").as_string(), "False") << type;
    }
  }
}

TEST(EvictPod, LooksLikeAKubeletEviction) {
  value pod = MakePipelinePod("ns", "p-0", {}, "10.0.0.1");
  EvictPod(pod);
  EXPECT_EQ(StringField(pod, {"status", "phase"}), "Failed");
  EXPECT_EQ(StringField(pod, {"status", "reason"}), "Evicted");
  EXPECT_EQ(StringField(pod, {"status", "message"}).rfind("The node was low on resource", 0), 0u);
  EXPECT_EQ(ContainerStatus(pod).at("state").at("terminated").at("exitCode").as_integer(), 137);
  bool disruption = false;
  for (const auto& condition : pod.at("status").at("conditions").as_array()) {
    disruption |= condition.at("type").as_string() == "DisruptionTarget";
  }
  EXPECT_TRUE(disruption);
}

TEST(PodMutations, AnUnknownContainerChangesNothing) {
  value pod = MakePipelinePod("ns", "p-0", {}, "10.0.0.1");
  const value before = pod;
  EXPECT_THROW(RestartContainer(pod, "sidecar"), std::invalid_argument);
  EXPECT_THROW(TerminateContainer(pod, "sidecar", "Error", 1), std::invalid_argument);
  EXPECT_EQ(pod, before);
  value bare = value::object();
  EXPECT_THROW(RestartContainer(bare, "pipeline"), std::invalid_argument);
}

}  // namespace
}  // namespace sidecar::testing
