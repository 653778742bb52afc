// Section 5: resident memory — idle in sidecar mode, with the tracker's full load of tokens, and
// what is left after a burst of connections (the library keeps its peak).
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "fakes/kube_api/pod_mutations.h"
#include "runner/http_session.h"
#include "runner/load_run.h"
#include "runner/process_stats.h"
#include "runner/prometheus_text.h"
#include "runner/sections.h"
#include "runner/served_pipeline.h"
#include "support/http.h"
#include "token/completion_token.h"

namespace sidecar::bench {
namespace {

constexpr char kMemorySection[] = "5 memory";
constexpr char kNamespace[] = "feldera";
constexpr char kPodName[] = "pipeline-0196b120-6203-7b90-b6bd-16890df15e28-0";
constexpr double kIdleTargetMib = 12;
constexpr double kTrackedTargetMib = 64;
// How often filling the tracker checks whether it is full, and how long it may take at most.
constexpr auto kFillCheckInterval = std::chrono::milliseconds(100);
constexpr auto kFillDeadline = std::chrono::seconds(120);
// Counts far beyond anything pushed: such tokens stay in progress for good.
constexpr uint64_t kFarCount = 1'000'000'000'000;

ProcessMemory MemoryOf(Server& server) {
  const auto memory = ReadProcessMemory(server.pid());
  if (!memory) throw std::runtime_error("cannot read the memory of " + server.url());
  return *memory;
}

std::string SidecarConfig(const std::string& api_url) {
  std::string config;
  config += "mode: sidecar\n";
  config += "kubernetes:\n";
  config += "  api_url: \"" + api_url + "\"\n";
  return config;
}

void AddIdleRow(BenchContext& context, SectionResult& result) {
  Launcher& launcher = context.launcher;
  auto api = launcher.FakeKubeApi();
  auto sim = launcher.Sim();
  testing::PipelinePodOptions pod_options;
  pod_options.container_port = sim->port();
  const web::json::value pod =
      testing::MakePipelinePod(kNamespace, kPodName, {}, "127.0.0.1", pod_options);
  const testing::HttpResult created = testing::HttpPost(api->url() + "/fake/pods", pod.serialize());
  Expect(created.status, 201, "creating the pipeline pod", created.body);

  auto service = launcher.Sidecar(
      SidecarConfig(api->url()),
      {"POD_NAME=" + std::string(kPodName), "POD_NAMESPACE=" + std::string(kNamespace)});
  auto bare = launcher.BareListener(2, R"({"status":"complete","step":1})");
  const bool ready = testing::WaitUntil(
      [&] { return testing::HttpGet(service->url() + "/readyz").status == 200; });
  if (!ready) throw std::runtime_error("the sidecar never became ready: " + service->Output());
  std::this_thread::sleep_for(context.plan.memory_settle);
  const double service_mib = MemoryOf(*service).rss_mib();
  const double bare_mib = MemoryOf(*bare).rss_mib();
  result.rows.push_back(
      {kMemorySection, "idle RSS, sidecar mode (one pipeline, watching its own pod)",
       FormatMib(service_mib),
       FormatRatio(service_mib / bare_mib) + " bare listener idle (" + FormatMib(bare_mib) + ")",
       "≤ 12 MB", AtMost(service_mib, kIdleTargetMib)});
}

void AddTrackedRow(BenchContext& context, SectionResult& result) {
  const int tokens = context.plan.tracked_tokens;
  ServedPipelineOptions options;
  options.max_tracked_tokens = tokens;
  ServedPipeline served(context.launcher, options);
  std::this_thread::sleep_for(context.plan.memory_settle);
  const double idle_mib = MemoryOf(served.service()).rss_mib();

  const Uuid incarnation = served.Incarnation();
  std::string targets;
  for (int i = 0; i < tokens; ++i) {
    const std::string token =
        EncodeCompletionToken({incarnation, 0, kFarCount + static_cast<uint64_t>(i)});
    targets += ServedPipeline::StatusTarget(token) + "\n";
  }
  const std::string file = context.launcher.WriteFile("far-token-targets", targets);
  auto all_tracked = [&] {
    return SumSamples(served.Metrics(), "feldera_completion_tokens_tracked",
                      {{"pipeline_name", ServedPipeline::kName}}) >= tokens;
  };
  // Scraping /metrics costs the service too: ask a few times a second only.
  auto last_asked = std::chrono::steady_clock::now();
  auto full_yet = [&] {
    if (std::chrono::steady_clock::now() - last_asked < kFillCheckInterval) return false;
    last_asked = std::chrono::steady_clock::now();
    return all_tracked();
  };
  const auto began = std::chrono::steady_clock::now();
  DriveTargets(context.launcher, served.service().url(), file, "once", served.service().pid(),
               context.plan.burst_connections, kFillDeadline, full_yet);
  if (!testing::WaitUntil(all_tracked)) {
    throw std::runtime_error("the service never tracked every token");
  }
  const double fill_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  const double tracked_mib = MemoryOf(served.service()).rss_mib();
  const double bytes_per_token = (tracked_mib - idle_mib) * 1024 * 1024 / tokens;
  result.rows.push_back(
      {kMemorySection, "RSS with " + FormatCount(tokens) + " tracked in-progress tokens",
       FormatMib(tracked_mib) + " (filled in " + FormatMillis(fill_seconds * 1000) + ")",
       "+" + FormatMib(tracked_mib - idle_mib) + " over idle standalone (" +
           FormatCount(bytes_per_token) + " bytes per token)",
       "≤ 64 MB", AtMost(tracked_mib, kTrackedTargetMib)});
}

// RSS before a burst, at its end, and after a pause: "a · b · c MB".
std::string BurstFigures(BenchContext& context, Server& server, const std::string& url) {
  const ProcessMemory before = MemoryOf(server);
  DriveUrl(context.launcher, url, server.pid(), context.plan.burst_connections,
           context.plan.burst_duration);
  const ProcessMemory peak = MemoryOf(server);
  std::this_thread::sleep_for(2 * context.plan.memory_settle);
  const ProcessMemory after = MemoryOf(server);
  return "before " + FormatMib(before.rss_mib()) + " · peak " + FormatMib(peak.peak_rss_mib()) +
         " · " + FormatMillis(2.0 * context.plan.memory_settle.count()) + " after " +
         FormatMib(after.rss_mib());
}

void AddBurstRow(BenchContext& context, SectionResult& result) {
  ServedPipeline served(context.launcher, {});
  const std::string token = served.Ingest();
  const std::string body = served.WaitComplete(token);
  auto bare = context.launcher.BareListener(2, body);
  std::this_thread::sleep_for(context.plan.memory_settle);
  const std::string target = ServedPipeline::StatusTarget(token);
  const std::string service =
      BurstFigures(context, served.service(), served.service().url() + target);
  const std::string library = BurstFigures(context, *bare, bare->url() + target);
  result.rows.push_back({kMemorySection,
                         "RSS around a " + FormatCount(context.plan.burst_connections) +
                             "-connection burst (" +
                             std::to_string(context.plan.burst_duration.count()) + " s)",
                         service, "bare listener: " + library, "report", Verdict::kNoTarget});
}

}  // namespace

SectionResult RunMemorySection(BenchContext& context) {
  SectionResult result;
  AddIdleRow(context, result);
  AddTrackedRow(context, result);
  AddBurstRow(context, result);
  result.notes.push_back(
      "Section 5: tracked tokens are first seen in completion_status requests (one per token, " +
      FormatCount(context.plan.burst_connections) +
      " connections); their counts lie beyond anything pushed, so they stay in progress. RSS is "
      "VmRSS from /proc; peak is VmHWM.");
  return result;
}

}  // namespace sidecar::bench
