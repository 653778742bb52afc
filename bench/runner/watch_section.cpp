// Section 4: cluster mode at scale. The fake Kubernetes API server holds many pipeline pods
// (all pointing at one simulator on loopback); the service lists and watches them, and then
// containers restart at a steady rate. One restart in `lag_sample_every` is followed until the
// service shows its new incarnation.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "fakes/kube_api/pod_mutations.h"
#include "runner/http_session.h"
#include "runner/latency_samples.h"
#include "runner/process_stats.h"
#include "runner/prometheus_text.h"
#include "runner/sections.h"
#include "runner/served_pipeline.h"
#include "support/http.h"

namespace sidecar::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kWatchSection[] = "4 watch";
constexpr char kNamespace[] = "feldera";
constexpr int kCreatorThreads = 4;
constexpr int kSamplerThreads = 4;
constexpr int kPageSize = 500;  // the service's list page size
constexpr auto kVisibleDeadline = std::chrono::seconds(10);
constexpr double kReadySecondsTarget = 2;
constexpr double kLagP99TargetMs = 100;
constexpr double kRssTargetMib = 64;

std::string PodName(int i) {
  char id[40];
  std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012x", i);
  return "pipeline-" + std::string(id) + "-0";
}

std::string PipelineName(int i) {
  return "p" + std::to_string(i);
}

void CreatePods(const std::string& api_url, int pods, int pipeline_port) {
  testing::PipelinePodOptions pod_options;
  pod_options.container_port = pipeline_port;
  std::vector<std::thread> creators;
  std::mutex failure_mutex;
  std::string failure;
  for (int t = 0; t < kCreatorThreads; ++t) {
    creators.emplace_back([&, t] {
      HttpSession api(api_url);
      for (int i = t; i < pods; i += kCreatorThreads) {
        const web::json::value pod = testing::MakePipelinePod(
            kNamespace, PodName(i),
            {{"app", "feldera"}, {"feldera.com/pipeline-name", PipelineName(i)}}, "127.0.0.1",
            pod_options);
        const testing::HttpResult created = api.Call("POST", "/fake/pods", pod.serialize());
        if (created.status != 201) {
          std::lock_guard lock(failure_mutex);
          failure = "creating pod " + PodName(i) + ": " + std::to_string(created.status) + " " +
                    created.body + created.error;
          return;
        }
      }
    });
  }
  for (std::thread& creator : creators) creator.join();
  if (!failure.empty()) throw std::runtime_error(failure);
}

// How long the fake API server alone takes to serve the list the service starts with: the
// reflector's query, in its pages of 500.
double PagedListSeconds(const std::string& api_url) {
  HttpSession api(api_url);
  const std::string query = "/api/v1/namespaces/" + std::string(kNamespace) +
                            "/pods?labelSelector=app%3Dfeldera&limit=" + std::to_string(kPageSize);
  std::string continue_token;
  const auto began = Clock::now();
  do {
    const testing::HttpResult page =
        api.Get(continue_token.empty()
                    ? query
                    : query + "&continue=" + web::uri::encode_data_string(continue_token));
    Expect(page.status, 200, "listing the pods", page.error);
    const web::json::value metadata = page.Json().at("metadata");
    continue_token =
        metadata.has_string_field("continue") ? metadata.at("continue").as_string() : "";
  } while (!continue_token.empty());
  return std::chrono::duration<double>(Clock::now() - began).count();
}

std::string ClusterConfig(const std::string& api_url) {
  std::string config;
  config += "mode: cluster\n";
  config += "kubernetes:\n";
  config += "  api_url: \"" + api_url + "\"\n";
  config += "  namespace: " + std::string(kNamespace) + "\n";
  config += "  pod_selector: app=feldera\n";
  config += "  history_namespace: " + std::string(kNamespace) + "\n";
  // One probe per pipeline at start (readiness needs it), then none during the measurement.
  config += "pipelines:\n";
  config += "  probe_interval_ms: 600000\n";
  config += "tracker:\n";
  config += "  interval_ms: " + std::to_string(kTrackerIntervalMs) + "\n";
  return config;
}

// A restart whose new incarnation the samplers wait to see in the service.
struct LagSample {
  std::string pipeline;
  int64_t restart_count = 0;
  Clock::time_point sent;
};

// Restarts waiting to be followed, handed from the restarting thread to the samplers.
class SampleQueue {
 public:
  void Push(LagSample sample) {
    std::lock_guard lock(mutex_);
    samples_.push_back(std::move(sample));
    ready_.notify_one();
  }
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    ready_.notify_all();
  }
  // The next sample; nullopt once closed and empty.
  std::optional<LagSample> Pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return closed_ || !samples_.empty(); });
    if (samples_.empty()) return std::nullopt;
    LagSample sample = std::move(samples_.front());
    samples_.pop_front();
    return sample;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<LagSample> samples_;
  bool closed_ = false;
};

// The restart count of the service's newest incarnation of `pipeline`, or -1.
int64_t VisibleRestartCount(HttpSession& service, const std::string& pipeline) {
  const testing::HttpResult answer = service.Get("/v0/pipelines/" + pipeline + "/incarnations");
  if (answer.status != 200) return -1;
  const web::json::value json = answer.Json();
  if (!json.has_array_field("incarnations") || json.at("incarnations").size() == 0) return -1;
  const web::json::value& newest = json.at("incarnations").at(0);
  if (!newest.has_object_field("pod")) return -1;
  const web::json::value& pod = newest.at("pod");
  return pod.has_number_field("restart_count") ? pod.at("restart_count").as_number().to_int64()
                                               : -1;
}

struct LagResults {
  std::mutex mutex;
  std::vector<double> lag_ms;
  int lost = 0;
};

void FollowSamples(const std::string& service_url, SampleQueue& queue, LagResults& results) {
  HttpSession service(service_url);
  while (std::optional<LagSample> sample = queue.Pop()) {
    std::optional<double> lag;
    while (Clock::now() < sample->sent + kVisibleDeadline) {
      if (VisibleRestartCount(service, sample->pipeline) >= sample->restart_count) {
        lag = std::chrono::duration<double, std::milli>(Clock::now() - sample->sent).count();
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::lock_guard lock(results.mutex);
    if (lag) {
      results.lag_ms.push_back(*lag);
    } else {
      ++results.lost;
    }
  }
}

int64_t RestartCountOf(const testing::HttpResult& restarted) {
  const web::json::value pod = restarted.Json();
  return pod.at("status").at("containerStatuses").at(0).at("restartCount").as_number().to_int64();
}

double WatchEvents(const std::string& service_url, const char* type) {
  const testing::HttpResult metrics = testing::HttpGet(service_url + "/metrics");
  Expect(metrics.status, 200, "the service's /metrics");
  return SumSamples(metrics.body, "completion_sidecar_kube_watch_events_total", {{"type", type}});
}

}  // namespace

SectionResult RunWatchSection(BenchContext& context) {
  const Plan& plan = context.plan;
  Launcher& launcher = context.launcher;
  auto api = launcher.FakeKubeApi();
  auto sim = launcher.Sim();
  CreatePods(api->url(), plan.watch_pods, sim->port());
  const double list_seconds = PagedListSeconds(api->url());

  const auto spawned = Clock::now();
  auto service = launcher.Sidecar(ClusterConfig(api->url()));
  const bool ready =
      testing::WaitUntil([&] { return testing::HttpGet(service->url() + "/readyz").status == 200; },
                         std::chrono::seconds(120));
  if (!ready) throw std::runtime_error("the service never became ready: " + service->Output());
  const double ready_seconds = std::chrono::duration<double>(Clock::now() - spawned).count();
  const ProcessMemory at_ready = ReadProcessMemory(service->pid()).value_or(ProcessMemory{});

  const double events_before = WatchEvents(service->url(), "MODIFIED");
  SampleQueue queue;
  LagResults lags;
  std::vector<std::thread> samplers;
  for (int i = 0; i < kSamplerThreads; ++i) {
    samplers.emplace_back(FollowSamples, service->url(), std::ref(queue), std::ref(lags));
  }
  HttpSession control(api->url());
  const int restarts = plan.restarts_per_second * static_cast<int>(plan.restart_duration.count());
  const auto period = std::chrono::duration<double>(1.0 / plan.restarts_per_second);
  const auto began = Clock::now();
  for (int k = 0; k < restarts; ++k) {
    std::this_thread::sleep_until(began + std::chrono::duration_cast<Clock::duration>(period * k));
    const int pod = k % plan.watch_pods;
    const auto sent = Clock::now();
    const testing::HttpResult restarted = control.Call(
        "POST", "/fake/pods/" + std::string(kNamespace) + "/" + PodName(pod) + "/restart",
        R"({"container":"pipeline"})");
    Expect(restarted.status, 200, "restarting a container", restarted.body + restarted.error);
    if (k % plan.lag_sample_every == 0)
      queue.Push({PipelineName(pod), RestartCountOf(restarted), sent});
  }
  const double window_seconds = std::chrono::duration<double>(Clock::now() - began).count();
  const double applied_in_window = WatchEvents(service->url(), "MODIFIED") - events_before;
  queue.Close();
  for (std::thread& sampler : samplers) sampler.join();
  const double applied = WatchEvents(service->url(), "MODIFIED") - events_before;
  const ProcessMemory at_end = ReadProcessMemory(service->pid()).value_or(ProcessMemory{});

  const double lag_p99 = Percentile(lags.lag_ms, 99).value_or(0);
  const double offered = restarts / window_seconds;
  const double applied_rate = applied_in_window / window_seconds;
  const std::string pods = FormatCount(plan.watch_pods) + " pipeline pods";
  SectionResult result;
  result.rows.push_back(
      {kWatchSection,
       pods + ": service start → /readyz 200 (list, watch, first probe of every pipeline)",
       FormatMillis(ready_seconds * 1000),
       "the fake API server's paged list alone: " + FormatMillis(list_seconds * 1000), "≤ 2 s",
       AtMost(ready_seconds, kReadySecondsTarget)});
  result.rows.push_back(
      {kWatchSection,
       pods + ", " + std::to_string(plan.restarts_per_second) + " container restarts/s for " +
           std::to_string(plan.restart_duration.count()) + " s: events applied/s",
       FormatCount(applied_rate) + "/s; " + FormatCount(applied) + " of " + FormatCount(restarts) +
           " applied in the end",
       FormatRatio(applied_rate / offered) + " offered (" + FormatCount(offered) + "/s)", "",
       Verdict::kNoTarget});
  result.rows.push_back(
      {kWatchSection,
       "watch lag: restart served → incarnation visible in /v0/pipelines/{name}/incarnations",
       "p50 " + FormatMillis(Percentile(lags.lag_ms, 50).value_or(0)) + " · p99 " +
           FormatMillis(lag_p99) + " (" + std::to_string(lags.lag_ms.size()) + " samples, " +
           std::to_string(lags.lost) + " never seen)",
       "", "p99 ≤ 100 ms", lags.lost == 0 ? AtMost(lag_p99, kLagP99TargetMs) : Verdict::kMissed});
  result.rows.push_back({kWatchSection, "RSS, " + pods,
                         "at ready " + FormatMib(at_ready.rss_mib()) + " · after restarts " +
                             FormatMib(at_end.rss_mib()) + " · peak " +
                             FormatMib(at_end.peak_rss_mib()),
                         "", "≤ 64 MB", AtMost(at_end.peak_rss_mib(), kRssTargetMib)});
  result.notes.push_back(
      "Section 4: every pod points at one simulator on loopback; restarts go through the fake API "
      "server's control API, and a restart's lag runs from the moment its request was sent (an "
      "upper bound of \"event served\"). History goes to ConfigMaps in the fake API server, as in "
      "a cluster.");
  return result;
}

}  // namespace sidecar::bench
