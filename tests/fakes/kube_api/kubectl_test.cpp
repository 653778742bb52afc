// The real kubectl against the fake: what it lists, gets and watches must be what was stored.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fakes/kube_api/test_helpers.h"

namespace sidecar::testing {
namespace {

using web::json::value;

constexpr char kKubectl[] = "/usr/bin/kubectl";

class Kubectl : public FakeKubeApiTest {
 protected:
  void SetUp() override {
    if (::access(kKubectl, X_OK) != 0) GTEST_SKIP() << "kubectl is not installed";
    char dir[] = "/tmp/fake-kube-api-kubectl-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    work_dir_ = dir;
  }
  void TearDown() override {
    if (!work_dir_.empty()) std::filesystem::remove_all(work_dir_);
  }

  // kubectl with no user configuration: an empty kubeconfig and its own discovery cache.
  std::vector<std::string> Command(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {kKubectl, "--kubeconfig=/dev/null",
                                     "--cache-dir=" + work_dir_ + "/cache",
                                     "--server=" + server_.Url()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  // Runs kubectl to its end; the output is stdout and stderr together.
  std::string Run(const std::vector<std::string>& args, int expected_exit_code = 0) const {
    ChildProcess kubectl(Command(args));
    EXPECT_EQ(kubectl.Wait(std::chrono::seconds(30)), expected_exit_code) << kubectl.Output();
    return kubectl.Output();
  }

  value RunJson(const std::vector<std::string>& args) const {
    const std::string output = Run(args);
    try {
      return value::parse(output);
    } catch (const std::exception&) {
      ADD_FAILURE() << "not JSON: " << output;
      return value::null();
    }
  }

  std::string WriteFile(const std::string& name, const std::string& content) const {
    const std::string path = work_dir_ + "/" + name;
    std::ofstream(path) << content;
    return path;
  }

  std::string work_dir_;
};

// kubectl --watch -o json prints one compact JSON event per line.
std::vector<value> WatchEvents(const std::string& output) {
  std::vector<value> events;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("{\"type\"", 0) != 0) continue;
    try {
      events.push_back(value::parse(line));
    } catch (const std::exception&) {
      // a line still being written
    }
  }
  return events;
}

TEST_F(Kubectl, GetsPodsInAllNamespacesAsStored) {
  const value a = server_.CreatePod(TestPod("feldera", "pipeline-a-0", {{"app", "feldera"}}));
  const value b = server_.CreatePod(TestPod("other", "web-0", {{"app", "web"}}));
  const value list = RunJson({"get", "pods", "-A", "-o", "json"});
  ASSERT_TRUE(list.is_object());
  EXPECT_EQ(list.at("kind").as_string(), "List");
  ASSERT_EQ(list.at("items").size(), 2u);
  EXPECT_EQ(list.at("items").at(0), a);
  EXPECT_EQ(list.at("items").at(1), b);
}

TEST_F(Kubectl, SelectsByNamespaceAndLabel) {
  server_.CreatePod(TestPod("feldera", "pipeline-a-0", {{"app", "feldera"}, {"pipeline", "a"}}));
  server_.CreatePod(TestPod("feldera", "pipeline-b-0", {{"app", "feldera"}, {"pipeline", "b"}}));
  server_.CreatePod(TestPod("feldera", "web-0", {{"app", "web"}}));
  server_.CreatePod(TestPod("other", "pipeline-c-0", {{"app", "feldera"}}));
  EXPECT_EQ(ItemNames(RunJson({"get", "pods", "-n", "feldera", "-l", "app=feldera", "-o", "json"})),
            (std::vector<std::string>{"pipeline-a-0", "pipeline-b-0"}));
  EXPECT_EQ(ItemNames(RunJson(
                {"get", "pods", "-n", "feldera", "-l", "app=feldera,pipeline!=a", "-o", "json"})),
            (std::vector<std::string>{"pipeline-b-0"}));
  EXPECT_EQ(ItemNames(RunJson({"get", "pods", "-A", "--field-selector", "metadata.namespace=other",
                               "-o", "json"})),
            (std::vector<std::string>{"pipeline-c-0"}));
}

TEST_F(Kubectl, GetsOnePodByName) {
  server_.CreatePod(TestPod("feldera", "pipeline-a-0"));
  const value restarted = server_.MutatePod("feldera", "pipeline-a-0",
                                            [](value& pod) { RestartContainer(pod, "pipeline"); });
  EXPECT_EQ(RunJson({"get", "pod", "pipeline-a-0", "-n", "feldera", "-o", "json"}), restarted);
  const std::string missing = Run({"get", "pod", "nope", "-n", "feldera"}, 1);
  EXPECT_NE(missing.find("pods \"nope\" not found"), std::string::npos) << missing;
}

TEST_F(Kubectl, WatchPrintsEveryChangeToMatchingPods) {
  server_.CreatePod(TestPod("feldera", "pipeline-a-0", {{"app", "feldera"}}));
  ChildProcess watch(Command({"get", "pods", "-n", "feldera", "-l", "app=feldera", "--watch",
                              "--output-watch-events", "-o", "json"}));
  ASSERT_TRUE(
      WaitUntil([&] { return server_.Counters().watches_open == 1; }, std::chrono::seconds(20)))
      << watch.Output();

  server_.MutatePod("feldera", "pipeline-a-0",
                    [](value& pod) { RestartContainer(pod, "pipeline"); });
  server_.CreatePod(TestPod("feldera", "web-0", {{"app", "web"}}));  // not selected
  server_.CreatePod(TestPod("feldera", "pipeline-b-0", {{"app", "feldera"}}));
  server_.MutatePod("feldera", "pipeline-b-0", [](value& pod) { EvictPod(pod); });
  const value deleted = server_.DeletePod("feldera", "pipeline-a-0");

  ASSERT_TRUE(WaitUntil([&] { return WatchEvents(watch.Output()).size() >= 5; })) << watch.Output();
  const std::vector<value> events = WatchEvents(watch.Output());
  std::vector<std::string> seen;
  for (const value& event : events) {
    seen.push_back(event.at("type").as_string() + " " +
                   event.at("object").at("metadata").at("name").as_string());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"ADDED pipeline-a-0", "MODIFIED pipeline-a-0",
                                            "ADDED pipeline-b-0", "MODIFIED pipeline-b-0",
                                            "DELETED pipeline-a-0"}));
  EXPECT_EQ(events[1]
                .at("object")
                .at("status")
                .at("containerStatuses")
                .at(0)
                .at("restartCount")
                .as_integer(),
            1);
  EXPECT_EQ(events[3].at("object").at("status").at("reason").as_string(), "Evicted");
  EXPECT_EQ(events[4].at("object"), deleted);
  EXPECT_TRUE(watch.Running());
}

TEST_F(Kubectl, CreatesAndGetsAConfigMap) {
  // kubectl validates manifests against the server's OpenAPI documents, which the fake does not
  // serve, and `kubectl create configmap` sends protobuf; a JSON manifest without validation works.
  const std::string manifest = WriteFile("cm.json", R"({"apiVersion":"v1","kind":"ConfigMap",
      "metadata":{"name":"incarnations","namespace":"feldera"},"data":{"pipeline-a":"u1"}})");
  const std::string created = Run({"create", "-f", manifest, "--validate=false"});
  EXPECT_NE(created.find("configmap/incarnations created"), std::string::npos) << created;
  const auto stored = server_.GetConfigMap("feldera", "incarnations");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->at("data").at("pipeline-a").as_string(), "u1");
  EXPECT_EQ(RunJson({"get", "configmap", "incarnations", "-n", "feldera", "-o", "json"}), *stored);

  const std::string again = Run({"create", "-f", manifest, "--validate=false"}, 1);
  EXPECT_NE(again.find("AlreadyExists"), std::string::npos) << again;
}

}  // namespace
}  // namespace sidecar::testing
