// The chaos test: for about a minute, on loopback only, the real service in cluster mode watches
// a fake Kubernetes API server whose one pipeline pod points at the real simulator, while a
// FaultDriver restarts the simulator every few seconds (some resumed from a checkpoint, some as
// Kubernetes shows them), cuts watch streams, injects API-server error bursts and slows the
// pipeline down, and StatusClients send random valid and invalid tokens and long-polls.
//
// Invariants, checked continuously and once more at the end:
//   - no token is answered complete unless the simulator had completed it (CompletionVerifier);
//   - no token of an ended incarnation is answered 200 or 202 once its end is visible: delivered
//     by the fake API server and taken in by the service, which must happen within 40 s (the
//     reflector's backoff ceiling after repeated failures is 30 s)
//     (StatusClients, FaultDriver);
//   - every incarnation change is seen (FaultDriver, and the history at the end);
//   - every answer is a documented code with a valid body (StatusClients);
//   - the service's RSS stays under 200 MB and the process never dies (here).
//
// The random seed (CHAOS_SEED overrides it) fixes what is done, not when; every violation is
// reported with the request, the answer and the ground truth, next to the seed.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "chaos/completion_verifier.h"
#include "chaos/fault_driver.h"
#include "chaos/simulator_truth.h"
#include "chaos/status_clients.h"
#include "chaos/violations.h"
#include "fakes/kube_api/fake_kube_api.h"
#include "fakes/kube_api/pod_mutations.h"
#include "integration/service_harness.h"

namespace sidecar::testing::chaos {
namespace {

using namespace std::chrono_literals;
using Clock = SimulatorTruth::Clock;

constexpr uint64_t kDefaultSeed = 20250508;
constexpr auto kChaosDuration = 60s;
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIDECAR_UNDER_ASAN 1
#endif
#endif
#ifdef SIDECAR_UNDER_ASAN
// The service is built with AddressSanitizer too, which keeps freed memory in its quarantine
// (256 MB by default) and adds redzones: the bound then allows for those.
constexpr uint64_t kMaxRssBytes = (200ull + 256 + 100) << 20;
#else
constexpr uint64_t kMaxRssBytes = 200ull << 20;
#endif

constexpr char kNamespace[] = "feldera";
constexpr char kPipeline[] = "demo";
constexpr char kContainer[] = "pipeline";
const std::string kPodName = "pipeline-0196b120-6203-7b90-b6bd-16890df15e28-0";

uint64_t Seed() {
  const char* text = std::getenv("CHAOS_SEED");
  return text != nullptr ? std::strtoull(text, nullptr, 10) : kDefaultSeed;
}

// VmRSS of process `pid` in bytes; nullopt once it is gone.
std::optional<uint64_t> ResidentBytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  }
  return std::nullopt;
}

// The service's incarnation history of the pipeline, oldest first, as UUIDs with whether each
// has an end; nullopt when it cannot be read.
std::optional<std::vector<std::pair<std::string, bool>>> ServiceHistory(ServiceHarness& h) {
  const HttpResult r =
      HttpGet(h.ServiceUrl(std::string("/v0/pipelines/") + kPipeline + "/incarnations"));
  const web::json::value doc = r.Json();
  if (r.status != 200 || !doc.has_array_field("incarnations")) return std::nullopt;
  std::vector<std::pair<std::string, bool>> history;
  for (const web::json::value& i : doc.at("incarnations").as_array()) {
    if (!i.has_string_field("incarnation_uuid")) continue;  // never bound: it issued no token
    history.insert(history.begin(),
                   {i.at("incarnation_uuid").as_string(), i.has_object_field("end")});
  }
  return history;
}

// Runs `body` every `period` on its own thread until stopped.
class Periodic {
 public:
  Periodic(std::chrono::milliseconds period, std::function<void()> body)
      : thread_([this, period, body = std::move(body)] {
          while (!stopping_) {
            body();
            std::this_thread::sleep_for(period);
          }
        }) {}
  ~Periodic() { Stop(); }
  void Stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

TEST(Chaos, ServiceKeepsItsInvariantsThroughAMinuteOfFaults) {
  const uint64_t seed = Seed();
  std::cout << "chaos seed " << seed << " (set CHAOS_SEED to repeat it)" << std::endl;
  SCOPED_TRACE("chaos seed " + std::to_string(seed));

  FakeKubeApiServer api(FreePort());
  api.Start();
  const int sim_port = FreePort();
  PipelinePodOptions pod_options;
  pod_options.container = kContainer;
  pod_options.container_port = sim_port;
  api.CreatePod(MakePipelinePod(kNamespace, kPodName, {{"feldera.com/pipeline-name", kPipeline}},
                                "127.0.0.1", pod_options));
  HarnessOptions options;
  options.sim_port = sim_port;
  options.pipeline = kPipeline;
  options.upstream_timeout_ms = 1000;  // some of the slow pipeline's answers come later
  options.kubernetes_yaml = "mode: cluster\nkubernetes:\n  api_url: " + api.Url() +
                            "\n  namespace: " + kNamespace +
                            "\n  history_size: 1000\npipelines:\n  probe_interval_ms: 200\n";
  ServiceHarness harness(options);
  const pid_t service_pid = harness.service().pid();

  const Clock::time_point started = Clock::now();
  SimulatorTruth truth;
  Violations violations;
  CompletionVerifier verifier(truth, violations);
  FaultDriver driver({api, harness, kNamespace, kPodName, kContainer, kPipeline, started}, seed,
                     truth, violations);
  ASSERT_TRUE(driver.Begin()) << "the simulator does not answer";

  // Settles 200s against the simulator's counts, read after them.
  Periodic settle(100ms, [&] {
    const Clock::time_point read_started = Clock::now();
    const HttpResult r = HttpGet(harness.SimUrl("/sim/state"), 5s);
    if (const std::optional<SimState> state = ParseSimState(r.Json()))
      verifier.Settle(*state, read_started);
  });
  std::atomic<uint64_t> peak_rss{0};
  std::atomic<bool> died{false};
  Periodic watch_process(500ms, [&] {
    const std::optional<uint64_t> rss = ResidentBytes(service_pid);
    if (!rss || !harness.service().Running()) {
      if (!died.exchange(true))
        violations.Add({"the process never dies", "-", "the service exited",
                        harness.service().Output().substr(0, 2000)});
      return;
    }
    if (*rss > peak_rss) peak_rss = *rss;
  });

  StatusClients clients({harness.ServiceUrl(""), kPipeline, "numbers", seed, 6, 2000, started},
                        truth, verifier, violations);
  clients.Start();
  driver.Run(started + kChaosDuration);
  clients.Stop();
  driver.Finish();
  settle.Stop();
  watch_process.Stop();

  const size_t unsettled = verifier.SettleWithEnds();
  EXPECT_EQ(unsettled, 0u) << "answers 200 the simulator's counts could not settle";
  EXPECT_TRUE(harness.service().Running());
  EXPECT_LE(peak_rss.load(), kMaxRssBytes) << "peak RSS " << (peak_rss >> 20) << " MB";

  // Every incarnation, in order, and every one but the last ended.
  const std::vector<std::string> ran = truth.Incarnations();
  const auto history = ServiceHistory(harness);
  ASSERT_TRUE(history.has_value()) << "the service's incarnation history cannot be read";
  std::vector<std::string> seen;
  for (size_t i = 0; i < history->size(); ++i) {
    seen.push_back((*history)[i].first);
    if (i + 1 < history->size() && !(*history)[i].second)
      violations.Add({"every incarnation change is seen", "GET /v0/pipelines/demo/incarnations",
                      (*history)[i].first + " has no end", "a later incarnation runs"});
  }
  EXPECT_EQ(seen, ran) << "the service's history (oldest first) against the simulator's";

  EXPECT_EQ(violations.size(), 0u) << violations.Report();
  std::cout << "chaos: " << ran.size() << " incarnations; " << clients.Summary() << "; "
            << verifier.settled() << " answers 200 settled; peak RSS " << (peak_rss >> 20)
            << " MB\n";
  if (::testing::Test::HasFailure()) std::cout << "actions:\n" << driver.Log();
}

}  // namespace
}  // namespace sidecar::testing::chaos
