// The service's metrics in cluster mode, labelled as Feldera labels its own pipeline metrics:
// `pipeline_name` the pipeline's name, `pipeline` Feldera's id for it as `pipeline-<uuid>`, which
// the pod's name gives (or Feldera's API server, for a pipeline without a pod). Pods come from
// the fake Kubernetes API server, the pipeline is the simulator, the service the real binary.
#include <gtest/gtest.h>

#include "fakes/feldera_api/fake_feldera_api.h"
#include "fakes/kube_api/fake_kube_api.h"
#include "fakes/kube_api/pod_mutations.h"
#include "integration/service_harness.h"

namespace sidecar::testing {
namespace {

constexpr char kNamespace[] = "feldera";
constexpr char kPipelineId[] = "0196b120-6203-7b90-b6bd-16890df15e28";
const std::string kPodName = std::string("pipeline-") + kPipelineId + "-0";

// feldera_pipeline_up of the pipeline named `name` with `pipeline` label `id_label`, as the text
// format writes it.
std::string Up(const std::string& id_label, const std::string& name) {
  return "feldera_pipeline_up{pipeline=\"" + id_label + "\",pipeline_name=\"" + name + "\"}";
}

std::string Metrics(ServiceHarness& h) {
  return HttpGet(h.ServiceUrl("/metrics")).body;
}

// A fake API server holding the pipeline's pod (its container: the simulator on `sim_port`).
class ClusterMetrics : public ::testing::Test {
 protected:
  void SetUp() override { api_.Start(); }

  void CreatePod(const std::map<std::string, std::string>& labels) {
    PipelinePodOptions pod_options;
    pod_options.container_port = sim_port_;
    api_.CreatePod(MakePipelinePod(kNamespace, kPodName, labels, "127.0.0.1", pod_options));
  }

  HarnessOptions Options(const std::string& extra_yaml = "") const {
    HarnessOptions options;
    options.sim_port = sim_port_;
    options.kubernetes_yaml = "mode: cluster\nkubernetes:\n  api_url: " + api_.Url() +
                              "\n  namespace: " + kNamespace +
                              "\npipelines:\n  probe_interval_ms: 200\n" + extra_yaml;
    return options;
  }

  const int sim_port_ = FreePort();
  FakeKubeApiServer api_{FreePort()};
};

TEST_F(ClusterMetrics, ThePodGivesPipelineItsLabelGivesPipelineName) {
  CreatePod({{"feldera.com/pipeline-name", "demo"}});
  ServiceHarness h(Options());
  const std::string up = Up(std::string("pipeline-") + kPipelineId, "demo");
  ASSERT_TRUE(WaitUntil([&] { return h.ServiceMetric(up) == 1.0; })) << Metrics(h);

  // A request naming the pipeline by its id is counted under the pipeline's name.
  const HttpResult r = HttpGet(h.ServiceUrl(std::string("/v0/pipelines/") + kPipelineId +
                                            "/completion_status?token=" + h.Ingest()));
  ASSERT_EQ(r.status / 100, 2) << r.body;
  const std::string metrics = Metrics(h);
  EXPECT_NE(
      metrics.find("feldera_completion_status_requests_total{code=\"" + std::to_string(r.status) +
                   "\",pipeline=\"pipeline-" + kPipelineId + "\",pipeline_name=\"demo\"} 1"),
      std::string::npos)
      << metrics;
  EXPECT_EQ(metrics.find(std::string("pipeline_name=\"") + kPipelineId), std::string::npos)
      << metrics;
  // No series of the pipeline lacks its id.
  EXPECT_EQ(metrics.find("pipeline=\"\",pipeline_name=\"demo\""), std::string::npos) << metrics;
}

TEST_F(ClusterMetrics, FelderasApiServerGivesNamesAndIdsAlsoOfPipelinesWithoutAPod) {
  constexpr char kIdleId[] = "0196b120-6203-7b90-b6bd-000000000001";
  FakeFelderaApi feldera;
  feldera.SetPipelines({{kPipelineId, "orders"}, {kIdleId, "idle"}});
  CreatePod({});  // no name label: Feldera's API server names it
  ServiceHarness h(Options("feldera:\n  api_url: " + feldera.Url() + "\n"));
  EXPECT_TRUE(WaitUntil([&] {
    return h.ServiceMetric(Up(std::string("pipeline-") + kPipelineId, "orders")) == 1.0;
  })) << Metrics(h);
  EXPECT_TRUE(WaitUntil([&] {
    return h.ServiceMetric(Up(std::string("pipeline-") + kIdleId, "idle")) == 0.0;
  })) << Metrics(h);
}

// A restarted service knows the pipeline from its stored history before it sees the pod, so
// without Feldera's API server it does not know the id at first; once the pod shows it, every
// series of the pipeline carries it, and none is left without.
TEST_F(ClusterMetrics, APipelineKnownFromItsHistoryIsRelabelledWhenItsPodAppears) {
  CreatePod({{"feldera.com/pipeline-name", "demo"}});
  ServiceHarness h(Options());
  const std::string with_id = Up(std::string("pipeline-") + kPipelineId, "demo");
  ASSERT_TRUE(WaitUntil([&] { return h.ServiceMetric(with_id) == 1.0; })) << Metrics(h);

  h.RestartService([&] { api_.DeletePod(kNamespace, kPodName); });
  ASSERT_TRUE(WaitUntil([&] { return h.ServiceMetric(Up("", "demo")) == 0.0; })) << Metrics(h);

  CreatePod({{"feldera.com/pipeline-name", "demo"}});
  ASSERT_TRUE(WaitUntil([&] { return h.ServiceMetric(with_id) == 1.0; })) << Metrics(h);
  const std::string metrics = Metrics(h);
  EXPECT_EQ(metrics.find("pipeline=\"\",pipeline_name=\"demo\""), std::string::npos) << metrics;
}

}  // namespace
}  // namespace sidecar::testing
