// What the chaos test found, each reduced to the few steps that show it, so that a fix can be
// checked without a minute of faults.
#include <gtest/gtest.h>

#include "common/time.h"
#include "fakes/kube_api/fake_kube_api.h"
#include "fakes/kube_api/pod_mutations.h"
#include "integration/service_harness.h"

namespace sidecar::testing {
namespace {

constexpr char kNamespace[] = "feldera";
const std::string kPodName = "pipeline-0196b120-6203-7b90-b6bd-16890df15e28-0";

// The service's history of "demo" shows `incarnation` with an end.
bool HistoryShowsEnd(ServiceHarness& h, const std::string& incarnation) {
  const web::json::value doc = HttpGet(h.ServiceUrl("/v0/pipelines/demo/incarnations")).Json();
  if (!doc.has_array_field("incarnations")) return false;
  for (const web::json::value& entry : doc.at("incarnations").as_array()) {
    if (entry.has_string_field("incarnation_uuid") &&
        entry.at("incarnation_uuid").as_string() == incarnation) {
      return entry.has_object_field("end");
    }
  }
  return false;
}

// An incarnation the service learnt of from /stats alone (a restart inside the running
// container, as a suspend and resume is) runs in the container Kubernetes already reported. When
// that container then restarts, the incarnation is over: Kubernetes says so, and its tokens are
// gone, even while the next process has not answered yet.
TEST(ChaosFindings, AContainerRestartEndsAnIncarnationBegunInProcess) {
  const int sim_port = FreePort();
  const auto api =
      StartWithPipelinePod(FreePort(), kNamespace, kPodName,
                           {{"feldera.com/pipeline-name", "demo"}}, "127.0.0.1", sim_port);
  HarnessOptions options;
  options.sim_port = sim_port;
  options.kubernetes_yaml = "mode: cluster\nkubernetes:\n  api_url: " + api->Url() +
                            "\n  namespace: " + kNamespace +
                            "\npipelines:\n  probe_interval_ms: 200\n";
  ServiceHarness h(options);

  h.Sim("/sim/restart?checkpoint=true");  // in process: the pod does not change
  const std::string in_process = h.SimIncarnation();
  const std::string token = h.Ingest();
  ASSERT_TRUE(WaitUntil([&] { return h.Status(token).status == 200; }));
  // Kubernetes' times have whole seconds: the container restart must fall in a later second than
  // the in-process start for anyone, the service included, to tell the two apart.
  // The start, from /stats, is in whole Unix seconds too.
  const web::json::value started =
      HttpGet(h.SimUrl("/stats")).Json().at("global_metrics").at("start_time");
  ASSERT_TRUE(started.is_integer()) << started.serialize();
  const WallClock::time_point next_second(std::chrono::seconds(started.as_number().to_int64() + 1));
  ASSERT_TRUE(WaitUntil([&] { return WallClock::now() >= next_second; }));

  h.KillSim();
  api->MutatePod(kNamespace, kPodName, [](web::json::value& pod) {
    RestartContainer(pod, "pipeline", "OOMKilled", 137);
  });
  EXPECT_TRUE(WaitUntil([&] { return HistoryShowsEnd(h, in_process); }))
      << HttpGet(h.ServiceUrl("/v0/pipelines/demo/incarnations")).body;
  const HttpResult answer = h.Status(token);
  EXPECT_EQ(answer.status, 410) << answer.body;
}

}  // namespace
}  // namespace sidecar::testing
