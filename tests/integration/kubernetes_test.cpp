// The service in cluster and sidecar mode: pipeline pods and their restarts come from the fake
// Kubernetes API server, the pipeline itself is the simulator, and the service is the real binary.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "fakes/feldera_api/fake_feldera_api.h"
#include "fakes/kube_api/fake_kube_api.h"
#include "fakes/kube_api/pod_mutations.h"
#include "integration/service_harness.h"
#include "token/completion_token.h"

namespace sidecar::testing {
namespace {

constexpr char kNamespace[] = "feldera";
constexpr char kPipelineId[] = "0196b120-6203-7b90-b6bd-16890df15e28";
const std::string kPodName = std::string("pipeline-") + kPipelineId + "-0";

// A fake API server with one pipeline pod whose container is the simulator, and the service
// watching it.
class KubernetesMode : public ::testing::Test {
 protected:
  explicit KubernetesMode(const std::string& mode = "cluster") : api_(FreePort()) {
    api_.Start();
    HarnessOptions options;
    options.sim_port = sim_port_;
    options.kubernetes_yaml = "mode: " + mode + "\nkubernetes:\n  api_url: " + api_.Url() +
                              "\n  namespace: " + kNamespace + "\n  pod_name: " + kPodName +
                              "\n  pod_namespace: " + kNamespace +
                              "\npipelines:\n  probe_interval_ms: 200\n";
    // The pod must exist before the service starts, so that it is ready with its pipeline.
    harness_options_ = options;
  }

  void SetUp() override {
    PipelinePodOptions pod_options;
    pod_options.container_port = sim_port_;
    api_.CreatePod(MakePipelinePod(kNamespace, kPodName, {{"feldera.com/pipeline-name", "demo"}},
                                   "127.0.0.1", pod_options));
    h_ = std::make_unique<ServiceHarness>(harness_options_);
    ASSERT_TRUE(WaitRunning());
    // Tests that cut the watch need it open: one still on its way in would outlive the cut.
    ASSERT_TRUE(WaitUntil([&] { return api_.Counters().watches_open >= 1; }));
  }

  // Waits until the service knows a running incarnation of the pipeline, bound to its UUID.
  bool WaitRunning() { return WaitRunning(*h_); }
  static bool WaitRunning(ServiceHarness& h) {
    return WaitUntil([&] {
      const web::json::value list = HttpGet(h.ServiceUrl("/v0/pipelines")).Json();
      if (!list.is_array() || list.size() == 0) return false;
      const web::json::value& p = list.at(0);
      return p.at("state").as_string() == "running" &&
             p.at("current_incarnation").has_string_field("incarnation_uuid");
    });
  }

  void Mutate(const std::function<void(web::json::value&)>& change) {
    api_.MutatePod(kNamespace, kPodName, change);
  }

  // Waits for `token` to be answered 410; `patience` covers the watch's backoff after faults.
  web::json::value GoneDetails(const std::string& token,
                               std::chrono::milliseconds patience = std::chrono::seconds(10)) {
    HttpResult r;
    const bool gone = WaitUntil(
        [&] {
          r = h_->Status(token);
          return r.status == 410;
        },
        patience);
    EXPECT_TRUE(gone) << r.status << " " << r.body;
    return gone ? r.Json().at("details") : web::json::value::object();
  }

  const int sim_port_ = FreePort();
  FakeKubeApiServer api_;
  HarnessOptions harness_options_;
  std::unique_ptr<ServiceHarness> h_;
};

TEST_F(KubernetesMode, OomKilledWhileThePipelineIsDownIsGoneAtOnce) {
  h_->Sim("/sim/pause");
  const std::string token = h_->Ingest();
  h_->KillSim();  // nothing but Kubernetes can now say what happened
  Mutate([](web::json::value& pod) { TerminateContainer(pod, "pipeline", "OOMKilled", 137); });
  web::json::value d = GoneDetails(token);
  EXPECT_EQ(d.at("reason").as_string(), "OOMKilled");
  EXPECT_EQ(d.at("exit_code").as_integer(), 137);
  EXPECT_TRUE(d.at("ended_at").is_string());
}

TEST_F(KubernetesMode, ContainerRestartIsGoneWithLastState) {
  const std::string token = h_->Ingest();
  // In Kubernetes' order: the process dies, the container restarts, then the new process starts
  // (so that its start time is not before the container's).
  h_->KillSim();
  Mutate([](web::json::value& pod) { RestartContainer(pod, "pipeline", "Error", 1); });
  h_->StartSim();
  const web::json::value d = GoneDetails(token);
  EXPECT_EQ(d.at("reason").as_string(), "Error");
  // The new process answers for new tokens.
  ASSERT_TRUE(WaitRunning());
  EXPECT_EQ(h_->Status(h_->Ingest()).status / 100, 2);
}

TEST_F(KubernetesMode, PodRecreatedWithANewUidIsGone) {
  h_->Sim("/sim/pause");
  const std::string token = h_->Ingest();
  web::json::value pod = *api_.GetPod(kNamespace, kPodName);
  api_.DeletePod(kNamespace, kPodName);
  const web::json::value d = GoneDetails(token);
  EXPECT_EQ(d.at("reason").as_string(), "Deleted");
  pod["metadata"].erase("uid");
  pod["metadata"].erase("resourceVersion");
  api_.CreatePod(pod);
  h_->Sim("/sim/restart");
  ASSERT_TRUE(WaitRunning());
  EXPECT_EQ(h_->Status(h_->Ingest()).status / 100, 2);
  EXPECT_EQ(h_->Status(token).status, 410);
}

// A probe sent to the pod's address and answered after the pod is gone must not count: once it
// made the service read the client it had just dropped, and crash.
TEST_F(KubernetesMode, AProbeAnsweredAfterThePodIsGoneIsIgnored) {
  const std::string token = h_->Ingest();
  const std::string probes_answered =
      "completion_sidecar_upstream_requests_total{outcome=\"ok\",pipeline=\"pipeline-" +
      std::string(kPipelineId) + "\",pipeline_name=\"demo\",request=\"stats\"}";
  // The next probe is answered late (within the upstream timeout, so it is an answer).
  h_->Sim("/sim/stall?ms=1500");
  const int probes_sent = h_->SimRequests("stats");
  const double answered = h_->ServiceMetric(probes_answered).value_or(0);
  ASSERT_TRUE(WaitUntil([&] { return h_->SimRequests("stats") > probes_sent; }));
  api_.DeletePod(kNamespace, kPodName);
  EXPECT_EQ(GoneDetails(token).at("reason").as_string(), "Deleted");
  ASSERT_TRUE(WaitUntil([&] { return h_->ServiceMetric(probes_answered).value_or(0) > answered; }));
  const web::json::value list = HttpGet(h_->ServiceUrl("/v0/pipelines")).Json();
  ASSERT_TRUE(h_->service().Running());
  EXPECT_TRUE(list.at(0).at("url").is_null()) << list.serialize();
  EXPECT_NE(list.at(0).at("state").as_string(), "running") << list.serialize();
}

TEST_F(KubernetesMode, EvictionIsGoneWithReasonEvicted) {
  h_->Sim("/sim/pause");
  const std::string token = h_->Ingest();
  Mutate([](web::json::value& pod) { EvictPod(pod); });
  EXPECT_EQ(GoneDetails(token, std::chrono::seconds(45)).at("reason").as_string(), "Evicted");
}

TEST_F(KubernetesMode, NewIncarnationInStatsWithoutPodChangeIsGone) {
  h_->Sim("/sim/pause");
  const std::string token = h_->Ingest();
  h_->ResumeSimFromCheckpoint();
  GoneDetails(token);  // the pipeline itself may say so first; the probe then records it
  web::json::value history;
  ASSERT_TRUE(WaitUntil([&] {
    history = HttpGet(h_->ServiceUrl("/v0/pipelines/demo/incarnations")).Json();
    return history.at("incarnations").size() == 2;
  }));
  EXPECT_TRUE(history.at("incarnations").at(0).at("resumed_from_checkpoint").as_bool());
  EXPECT_EQ(history.at("incarnations").at(1).at("end").at("reason").as_string(), "Restarted");
}

TEST_F(KubernetesMode, PipelineIdWorksInThePathToo) {
  const std::string token = h_->Ingest();
  HttpResult r = HttpGet(h_->ServiceUrl(std::string("/v0/pipelines/") + kPipelineId +
                                        "/completion_status?token=" + token));
  EXPECT_EQ(r.status / 100, 2) << r.body;
  auto list = HttpGet(h_->ServiceUrl("/v0/pipelines")).Json();
  EXPECT_EQ(list.at(0).at("name").as_string(), "demo");
}

// Requests for pods the fake API server received since its log was cleared.
int PodRequests(const FakeKubeApiServer& api) {
  int n = 0;
  for (const auto& r : api.RequestLog()) n += r.resource == "pods";
  return n;
}

TEST_F(KubernetesMode, StreamCutMidEventLosesNoTransition) {
  h_->Sim("/sim/pause");
  const std::string token = h_->Ingest();
  h_->KillSim();
  api_.DropWatchStreams(/*mid_event=*/true);
  Mutate([](web::json::value& pod) { TerminateContainer(pod, "pipeline", "OOMKilled", 137); });
  EXPECT_EQ(GoneDetails(token).at("reason").as_string(), "OOMKilled");
}

TEST_F(KubernetesMode, ChangesDuringAnOutageAndACompactionAreSeenAfterIt) {
  h_->Sim("/sim/pause");
  const std::string token = h_->Ingest();
  h_->KillSim();
  api_.ClearRequestLog();
  // The API server answers 500 for a while; meanwhile the pod changes and history is compacted,
  // so the watch cannot resume where it was (410) and must list again.
  api_.FailRequests(500, -1, std::chrono::seconds(3));
  api_.DropWatchStreams(false);
  Mutate([](web::json::value& pod) { TerminateContainer(pod, "pipeline", "OOMKilled", 137); });
  api_.Compact();
  // The backoff after the outage (800 ms doubling, with jitter) may take a while to list again.
  EXPECT_EQ(GoneDetails(token, std::chrono::seconds(45)).at("reason").as_string(), "OOMKilled");
  // Backoff, not a busy loop: a handful of requests over the outage.
  EXPECT_LE(PodRequests(api_), 15);
}

TEST_F(KubernetesMode, PipelinesAreMarkedUnconfirmedWhileTheApiServerFails) {
  auto confirmed = [&] {
    const web::json::value list = HttpGet(h_->ServiceUrl("/v0/pipelines")).Json();
    return list.at(0).at("state_confirmed").as_bool();
  };
  ASSERT_TRUE(confirmed());
  EXPECT_TRUE(
      HttpGet(h_->ServiceUrl("/v0/pipelines")).Json().at(0).at("unconfirmed_since").is_null());
  const std::string token = h_->Ingest();
  api_.FailRequests(500, -1, std::chrono::seconds(3));
  api_.DropWatchStreams(false);
  ASSERT_TRUE(WaitUntil([&] { return !confirmed(); }));
  const web::json::value entry = HttpGet(h_->ServiceUrl("/v0/pipelines")).Json().at(0);
  EXPECT_TRUE(entry.at("unconfirmed_since").is_string()) << entry.serialize();
  // What is known is still served meanwhile.
  const int status = h_->Status(token).status;
  EXPECT_TRUE(status == 200 || status == 202) << status;
  // Once the API server answers again, the watch resumes and the state is confirmed again.
  EXPECT_TRUE(WaitUntil([&] { return confirmed(); }, std::chrono::seconds(45)));
}

TEST_F(KubernetesMode, A429StormIsWaitedOutWithRetryAfter) {
  h_->Sim("/sim/pause");
  const std::string token = h_->Ingest();
  h_->KillSim();
  api_.ClearRequestLog();
  api_.FailRequests(429, -1, std::chrono::seconds(3), /*retry_after_seconds=*/1);
  api_.DropWatchStreams(false);
  Mutate([](web::json::value& pod) { EvictPod(pod); });
  EXPECT_EQ(GoneDetails(token, std::chrono::seconds(45)).at("reason").as_string(), "Evicted");
  EXPECT_LE(PodRequests(api_), 8) << "Retry-After: 1 over 3 s allows a few tries, not a storm";
}

// The history as comparable text: each incarnation's UUID, end reason and checkpoint flag.
std::string HistorySummary(ServiceHarness& h) {
  const web::json::value doc = HttpGet(h.ServiceUrl("/v0/pipelines/demo/incarnations")).Json();
  if (!doc.is_object() || !doc.has_array_field("incarnations")) return "<none>";
  std::string summary;
  for (const auto& i : doc.at("incarnations").as_array()) {
    summary += i.at("incarnation_uuid").is_string() ? i.at("incarnation_uuid").as_string() : "?";
    summary += i.at("end").is_object() ? " " + i.at("end").at("reason").as_string() : " running";
    summary += i.at("resumed_from_checkpoint").as_bool() ? " resumed\n" : "\n";
  }
  return summary;
}

TEST_F(KubernetesMode, ReplicasAgreeOnHistoryAndARestartedServiceAnswersAsBefore) {
  HarnessOptions second_options = harness_options_;
  second_options.start_sim = false;
  ServiceHarness second(second_options);

  std::vector<std::string> tokens;
  auto restart_container = [&](const std::string& reason, int exit_code) {
    tokens.push_back(h_->Ingest());
    h_->Sim("/sim/restart");
    Mutate([&](web::json::value& pod) { RestartContainer(pod, "pipeline", reason, exit_code); });
    // Restarts come seconds apart in life: each replica probes the new process before the next.
    ASSERT_TRUE(WaitUntil([&] {
      return WaitRunning(*h_) && WaitRunning(second) &&
             HistorySummary(*h_).find('?') == std::string::npos &&
             HistorySummary(second).find('?') == std::string::npos;
    }));
  };
  restart_container("OOMKilled", 137);
  restart_container("Error", 1);
  tokens.push_back(h_->Ingest());
  h_->ResumeSimFromCheckpoint();  // in-process: no pod change
  const auto four_known = [&](ServiceHarness& h) {
    const std::string summary = HistorySummary(h);
    return std::count(summary.begin(), summary.end(), '\n') == 4 &&
           summary.find('?') == std::string::npos;
  };
  ASSERT_TRUE(WaitUntil([&] { return four_known(*h_) && four_known(second); }))
      << HistorySummary(*h_) << "---\n"
      << HistorySummary(second);
  ASSERT_TRUE(WaitUntil([&] { return HistorySummary(*h_) == HistorySummary(second); }))
      << HistorySummary(*h_) << "---\n"
      << HistorySummary(second);
  const std::string summary = HistorySummary(*h_);
  EXPECT_NE(summary.find("OOMKilled"), std::string::npos) << summary;
  EXPECT_NE(summary.find("Error"), std::string::npos) << summary;
  EXPECT_NE(summary.find("resumed"), std::string::npos) << summary;

  std::vector<std::string> answers;
  for (const auto& token : tokens) answers.push_back(h_->Status(token).body);
  h_->RestartService();
  EXPECT_EQ(HistorySummary(*h_), summary);
  for (size_t i = 0; i < tokens.size(); ++i) {
    HttpResult r = h_->Status(tokens[i]);
    EXPECT_EQ(r.status, 410);
    EXPECT_EQ(r.Json().at("details").at("reason"),
              web::json::value::parse(answers[i]).at("details").at("reason"));
  }
}

// The product's main promise survives the service's own restart: with the pipeline down (its
// pod gone), a restarted service knows the pipeline from its history ConfigMap alone.
TEST_F(KubernetesMode, ADownPipelineIsStillKnownAfterTheServiceRestarts) {
  h_->Sim("/sim/pause");
  const std::string token = h_->Ingest();
  api_.DeletePod(kNamespace, kPodName);
  EXPECT_EQ(GoneDetails(token).at("reason").as_string(), "Deleted");

  h_->RestartService();
  HttpResult r = h_->Status(token);
  EXPECT_EQ(r.status, 410) << r.body;
  EXPECT_EQ(r.Json().at("details").at("reason").as_string(), "Deleted");
  // Anything else about the pipeline: Feldera's answer for one that exists but does not run.
  const std::string unseen =
      EncodeCompletionToken({Uuid::NewV7(std::chrono::system_clock::now()), 0, 1});
  r = h_->Status(unseen);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.Json().at("error_code").as_string(), "PipelineInteractionNotDeployed");
  EXPECT_EQ(r.Json().at("details").at("status").as_string(), "Stopped");
  EXPECT_FALSE(r.Header("retry-after").empty());
  r = HttpPost(h_->ServiceUrl("/v0/pipelines/demo/ingress/numbers?format=json"), "{}");
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.Json().at("error_code").as_string(), "PipelineInteractionNotDeployed");
  // The histories were read with one listing by label per start of the service.
  int lists = 0;
  for (const auto& request : api_.RequestLog()) {
    if (request.resource != "configmaps" || request.verb != "list") continue;
    EXPECT_NE(request.query.find("labelSelector="), std::string::npos) << request.query;
    ++lists;
  }
  EXPECT_EQ(lists, 2);
}

// An incarnation the stored history shows running, whose pod went away while the service was
// down, ended then: its tokens are gone once the pods are listed.
TEST_F(KubernetesMode, AnIncarnationWhosePodWentAwayWhileTheServiceWasDownIsGone) {
  h_->Sim("/sim/pause");
  const std::string token = h_->Ingest();
  h_->RestartService([&] { api_.DeletePod(kNamespace, kPodName); });
  const HttpResult r = h_->Status(token);
  EXPECT_EQ(r.status, 410) << r.body;
  EXPECT_EQ(r.Json().at("details").at("reason").as_string(), "Deleted");
}

// A pipeline with pods of more hosts than its API host is multi-host: its coordinator decides
// completion across hosts, so one process's /stats must never complete a token. The pipeline's
// completion_status is made to fail, so that /stats is the only way a token could complete.
class StatsCompletion : public KubernetesMode {
 protected:
  // Ingests with step completion held, waits until the token carries a step label, lets the
  // step complete while every completion_status fails, and waits until the service has read
  // /stats twice since. Returns the token.
  std::string CompleteWhileStatusFails() {
    h_->Sim("/sim/pause");
    const std::string token = h_->Ingest();
    EXPECT_TRUE(WaitUntil([&] { return h_->Status(token).Json().at("step").is_number(); }));
    h_->Sim("/sim/fault?status=500&kind=error&path=completion_status");
    h_->Sim("/sim/resume");
    EXPECT_TRUE(WaitUntil([&] {
      const auto state = HttpGet(h_->SimUrl("/sim/state")).Json();
      return state.at("endpoints").at(0).at("highest_complete_count").is_number();
    }));
    const int probes = h_->SimRequests("stats");
    EXPECT_TRUE(WaitUntil([&] { return h_->SimRequests("stats") >= probes + 2; }));
    return token;
  }
};

TEST_F(StatsCompletion, OneHostsStatsCompleteTokens) {
  const HttpResult r = h_->Status(CompleteWhileStatusFails());
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(StatsCompletion, ASecondHostStopsCompletionFromStats) {
  PipelinePodOptions pod_options;
  pod_options.container_port = sim_port_;
  api_.CreatePod(MakePipelinePod(kNamespace, std::string("pipeline-") + kPipelineId + "-1",
                                 {{"feldera.com/pipeline-name", "demo"}}, "127.0.0.2",
                                 pod_options));
  ASSERT_TRUE(WaitUntil([&] {
    return HttpGet(h_->ServiceUrl("/v0/pipelines")).Json().at(0).at("multi_host").as_bool();
  }));
  const std::string token = CompleteWhileStatusFails();
  HttpResult r = h_->Status(token);
  EXPECT_EQ(r.status, 500) << r.body;  // the pipeline's own answer, not 200 from /stats
  // The token completes once the pipeline itself says so.
  h_->Sim("/sim/fault?status=0&path=completion_status");
  EXPECT_TRUE(WaitUntil([&] { return (r = h_->Status(token)).status == 200; })) << r.body;
  // The second host gone, the pipeline is single-host again.
  api_.DeletePod(kNamespace, std::string("pipeline-") + kPipelineId + "-1");
  EXPECT_TRUE(WaitUntil([&] {
    return !HttpGet(h_->ServiceUrl("/v0/pipelines")).Json().at(0).at("multi_host").as_bool();
  }));
}

// With Feldera's API server configured, every pipeline it lists is known, even one no pod runs:
// 503 PipelineInteractionNotDeployed, as Feldera's manager answers, not 404.
TEST(KubernetesNames, PipelinesFelderaListsWithoutAPodAreNotDeployed) {
  constexpr char kIdleId[] = "0196b120-6203-7b90-b6bd-000000000001";
  FakeFelderaApi feldera;
  feldera.SetPipelines({{kPipelineId, "demo"}, {kIdleId, "idle"}});
  const int sim_port = FreePort();
  const auto api =
      StartWithPipelinePod(FreePort(), kNamespace, kPodName, {}, "127.0.0.1", sim_port);
  HarnessOptions options;
  options.sim_port = sim_port;
  options.kubernetes_yaml = "mode: cluster\nkubernetes:\n  api_url: " + api->Url() +
                            "\n  namespace: " + kNamespace +
                            "\nfeldera:\n  api_url: " + feldera.Url() + "\n";
  ServiceHarness h(options);
  const std::string token =
      EncodeCompletionToken({Uuid::NewV7(std::chrono::system_clock::now()), 0, 1});
  for (const std::string& name : {std::string("idle"), std::string(kIdleId)}) {
    const HttpResult r =
        HttpGet(h.ServiceUrl("/v0/pipelines/" + name + "/completion_status?token=" + token));
    EXPECT_EQ(r.status, 503) << name << ": " << r.body;
    EXPECT_EQ(r.Json().at("error_code").as_string(), "PipelineInteractionNotDeployed") << name;
    EXPECT_FALSE(r.Header("retry-after").empty()) << name;
  }
  EXPECT_EQ(HttpGet(h.ServiceUrl("/v0/pipelines/nobody/completion_status?token=" + token)).status,
            404);
  EXPECT_EQ(h.Status(h.Ingest()).status / 100, 2);
}

TEST(KubernetesNames, PodsWithoutANameLabelAreNamedByFelderasApiServer) {
  FakeFelderaApi feldera;
  feldera.SetPipelines({{kPipelineId, "orders"}});
  feldera.RequireApiKey("apikey:secret");
  const std::string key_file = ::testing::TempDir() + "/feldera-key-" + std::to_string(FreePort());
  std::ofstream(key_file) << "apikey:secret\n";

  const int sim_port = FreePort();
  const auto api =
      StartWithPipelinePod(FreePort(), kNamespace, kPodName, {}, "127.0.0.1", sim_port);
  HarnessOptions options;
  options.sim_port = sim_port;
  options.pipeline = "orders";
  options.kubernetes_yaml =
      "mode: cluster\nkubernetes:\n  api_url: " + api->Url() + "\n  namespace: " + kNamespace +
      "\nfeldera:\n  api_url: " + feldera.Url() + "\n  api_key_file: " + key_file + "\n";
  ServiceHarness h(options);
  HttpResult r = h.Status(h.Ingest());
  EXPECT_EQ(r.status / 100, 2) << r.body;
  EXPECT_EQ(HttpGet(h.ServiceUrl("/v0/pipelines")).Json().at(0).at("name").as_string(), "orders");
  EXPECT_EQ(feldera.LastAuthorization(), "Bearer apikey:secret");
  std::remove(key_file.c_str());
}

class SidecarMode : public KubernetesMode {
 protected:
  SidecarMode() : KubernetesMode("sidecar") {}
};

TEST_F(SidecarMode, WatchesOnlyItsOwnPodByFieldSelector) {
  // Another pipeline's pod in the namespace must not be listed or watched.
  api_.CreatePod(MakePipelinePod(kNamespace, "pipeline-0196b120-0000-7000-8000-000000000000-0", {},
                                 "127.0.0.2"));
  const std::string token = h_->Ingest();
  EXPECT_EQ(h_->Status(token).status / 100, 2);
  int pod_requests = 0;
  for (const auto& r : api_.RequestLog()) {
    if (r.resource != "pods") continue;
    ++pod_requests;
    EXPECT_EQ(r.namespace_name, kNamespace);
    EXPECT_NE(r.query.find("fieldSelector=metadata.name%3D" + kPodName), std::string::npos)
        << r.verb << " " << r.query;
  }
  EXPECT_GE(pod_requests, 2);  // a list and a watch
  EXPECT_EQ(HttpGet(h_->ServiceUrl("/v0/pipelines")).Json().size(), 1u);
}

}  // namespace
}  // namespace sidecar::testing
