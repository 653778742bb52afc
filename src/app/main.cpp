// completion-sidecar: serves Feldera's completion_status API for the pipelines it is given
// (standalone) or finds in Kubernetes (cluster, sidecar).
#include <utility>  // boost::asio (under pplx/threadpool.h) uses std::exchange without it

#include <pplx/threadpool.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <iostream>
#include <thread>

#include "api/http_server.h"
#include "app/reloader.h"
#include "app/ticker.h"
#include "config/config.h"
#include "discovery/feldera_names.h"
#include "discovery/known_pipelines.h"
#include "discovery/pod_watcher.h"
#include "discovery/reflector_metrics.h"
#include "discovery/watch_health.h"
#include "history/history_store.h"
#include "kube/bearer_token.h"
#include "kube/connection.h"
#include "kube/reflector.h"
#include "log/logging.h"
#include "metrics/metrics.h"
#include "pipeline/registry.h"
#include "upstream/pipeline_client.h"

namespace {

using sidecar::Config;
using sidecar::Mode;

// Held long-polls and watches use a descriptor each; the default soft limit (1024) is too low.
void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

sigset_t TerminationSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  return signals;
}

// The key in the file `path` names (none when empty) into `key`; false, having said why on
// stderr, when the file cannot be read.
bool LoadKeyFile(const std::string& path, const char* setting,
                 std::shared_ptr<sidecar::kube::BearerTokenSource>& key) {
  if (path.empty()) return true;
  auto loaded = sidecar::kube::BearerTokenSource::FromFile(path);
  if (!loaded.ok()) {
    std::cerr << setting << ": " << loaded.error() << std::endl;
    return false;
  }
  key = loaded.value();
  return true;
}

sidecar::PipelineOptions MakePipelineOptions(
    const Config& cfg, sidecar::Metrics& metrics,
    const std::shared_ptr<sidecar::kube::BearerTokenSource>& api_key,
    const sidecar::UpstreamTls& tls) {
  sidecar::PipelineOptions options;
  options.pod_url_scheme = cfg.pods.scheme;
  options.metrics = &metrics;
  options.probe_interval = std::chrono::milliseconds(cfg.probe_interval_ms);
  options.token_budget =
      std::make_shared<sidecar::TokenBudget>(static_cast<size_t>(cfg.max_tracked_tokens));
  options.history_size = static_cast<size_t>(cfg.kubernetes.history_size);
  const int retry_after = sidecar::RetryAfterFor(options.probe_interval);
  const auto timeout = std::chrono::milliseconds(cfg.upstream_timeout_ms);
  options.make_client = [timeout, retry_after, &metrics, api_key, tls](const std::string& name,
                                                                       const std::string& url) {
    return std::make_shared<sidecar::PipelineClient>(name, url, timeout, retry_after, &metrics,
                                                     api_key, tls);
  };
  return options;
}

// The list+watch of pipeline pods for cluster and sidecar modes.
struct PodDiscovery {
  std::unique_ptr<sidecar::ReflectorMetrics> observer;
  std::unique_ptr<sidecar::WatchHealth> health;  // passes reports on to `observer`
  std::unique_ptr<sidecar::PodWatcher> watcher;
  std::unique_ptr<sidecar::kube::Reflector> reflector;
};

// Where the history ConfigMaps live: as configured, else the service's own namespace.
std::string HistoryNamespace(const Config& cfg, const sidecar::kube::KubeConnection& connection) {
  for (const std::string& candidate :
       {cfg.kubernetes.history_namespace, connection.namespace_name(), cfg.kubernetes.pod_namespace,
        cfg.kubernetes.namespace_name}) {
    if (!candidate.empty()) return candidate;
  }
  return "default";
}

// Pipeline names from Feldera's API server, when it is configured.
std::shared_ptr<sidecar::FelderaPipelineNames> FelderaNames(const Config& cfg) {
  if (cfg.feldera_api_url.empty()) return nullptr;
  sidecar::FelderaNamesOptions names;
  names.api_url = cfg.feldera_api_url;
  names.api_key_file = cfg.feldera_api_key_file;
  return std::make_shared<sidecar::FelderaPipelineNames>(names);
}

sidecar::Result<PodDiscovery> StartPodDiscovery(
    const Config& cfg, const sidecar::kube::KubeConnection& connection,
    sidecar::PipelineRegistry& pipelines, sidecar::Metrics& metrics,
    const std::shared_ptr<sidecar::FelderaPipelineNames>& names,
    const std::shared_ptr<std::atomic<bool>>& pods_listed,
    const std::function<std::shared_ptr<sidecar::Pipeline>(const std::string&)>& make_pipeline) {
  using R = sidecar::Result<PodDiscovery>;

  sidecar::PodObservationOptions pod_options;
  pod_options.name_label = cfg.pods.name_label;
  if (!cfg.pods.pod_name_pattern.empty()) {
    auto pattern = sidecar::CompilePodNamePattern(cfg.pods.pod_name_pattern);
    if (!pattern.ok()) return R::Error("pipelines.pod_name_pattern: " + pattern.error());
    pod_options.pod_name_pattern = pattern.value();
  }
  pod_options.container = cfg.pods.container;
  pod_options.port_name = cfg.pods.port_name;
  pod_options.port = cfg.pods.port;

  sidecar::kube::ReflectorOptions reflector_options;
  if (cfg.mode == Mode::kSidecar) {
    // Only this pod: a field-selected watch, never a namespace-wide one.
    reflector_options.query.resource_path =
        "/api/v1/namespaces/" + cfg.kubernetes.pod_namespace + "/pods";
    reflector_options.query.field_selector = "metadata.name=" + cfg.kubernetes.pod_name;
  } else {
    reflector_options.query.resource_path =
        cfg.kubernetes.namespace_name.empty()
            ? "/api/v1/pods"
            : "/api/v1/namespaces/" + cfg.kubernetes.namespace_name + "/pods";
    reflector_options.query.label_selector = cfg.kubernetes.pod_selector;
  }
  spdlog::info("watching pods at {}{} ({})", connection.server(),
               reflector_options.query.resource_path, connection.description());

  PodDiscovery discovery;
  sidecar::PodWatcher::NameResolver name_for_id;
  if (names) {
    name_for_id = [names](const std::string& id) { return names->NameForId(id); };
  }
  discovery.watcher = std::make_unique<sidecar::PodWatcher>(
      pipelines, make_pipeline, pod_options, cfg.mode == Mode::kSidecar, pods_listed, name_for_id);
  discovery.observer = std::make_unique<sidecar::ReflectorMetrics>(metrics);
  discovery.health = std::make_unique<sidecar::WatchHealth>(discovery.observer.get());
  discovery.reflector = std::make_unique<sidecar::kube::Reflector>(
      connection, reflector_options, *discovery.watcher, discovery.health.get());
  discovery.reflector->Start();
  return R::Ok(std::move(discovery));
}

}  // namespace

int main(int argc, char** argv) {
  // Termination signals are blocked in every thread; the main thread waits for them.
  const sigset_t signals = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  const std::vector<std::string> args(argv + 1, argv + argc);
  auto config = sidecar::ConfigFromArgs(args);
  if (!config.ok()) {
    std::cerr << config.error() << std::endl;
    return 2;
  }
  const Config& cfg = config.value();
  sidecar::SetUpLogging(cfg.log_level, cfg.log_format);
  RaiseFileLimit();
  crossplat::threadpool::initialize_with_threads(static_cast<size_t>(cfg.threads));

  sidecar::Metrics metrics;
  sidecar::PipelineRegistry pipelines;
  std::shared_ptr<sidecar::kube::BearerTokenSource> pipelines_key;
  std::shared_ptr<sidecar::kube::BearerTokenSource> feldera_key;
  if (!LoadKeyFile(cfg.pipelines_api_key_file, "pipelines.api_key_file", pipelines_key) ||
      !LoadKeyFile(cfg.feldera_api_key_file, "feldera.api_key_file", feldera_key)) {
    return 2;
  }
  auto tls = sidecar::LoadUpstreamTls(cfg.upstream_ca_file, cfg.upstream_tls_server_name);
  if (!tls.ok()) {
    std::cerr << "upstream.ca_file: " << tls.error() << std::endl;
    return 2;
  }
  sidecar::PipelineOptions options = MakePipelineOptions(cfg, metrics, pipelines_key, tls.value());

  // Kubernetes, when the mode uses it: for pods and for the history ConfigMaps.
  std::optional<sidecar::kube::KubeConnection> kube;
  if (cfg.mode != Mode::kStandalone) {
    auto connection = sidecar::kube::KubeConnection::Resolve(
        {cfg.kubernetes.api_url, cfg.kubernetes.kubeconfig, ""});
    if (!connection.ok()) {
      std::cerr << "kubernetes: " << connection.error() << std::endl;
      return 2;
    }
    kube = connection.value();
  }

  // Incarnation history outlives the process: in ConfigMaps, or in a file when standalone.
  std::shared_ptr<sidecar::HistoryStore> store;
  if (kube) {
    const std::string ns = HistoryNamespace(cfg, *kube);
    store = std::make_shared<sidecar::ConfigMapHistoryStore>(*kube, ns, options.history_size);
    spdlog::info("incarnation history in ConfigMaps of namespace {}", ns);
  } else if (!cfg.history_path.empty()) {
    store = std::make_shared<sidecar::FileHistoryStore>(cfg.history_path, options.history_size);
    spdlog::info("incarnation history in {}", cfg.history_path);
  }
  std::unique_ptr<sidecar::HistoryWriter> writer;
  if (store) {
    writer = std::make_unique<sidecar::HistoryWriter>(store);
    options.on_history_change = [w = writer.get()](const std::string& name,
                                                   const sidecar::IncarnationHistory& history) {
      w->Enqueue(name, history);
    };
  }
  // Set once the first complete list of pods has been applied.
  const auto pods_listed = std::make_shared<std::atomic<bool>>(false);
  if (kube) options.pods_listed = [pods_listed] { return pods_listed->load(); };
  // Standalone: the history file, read now for the configured pipelines. Kubernetes: the
  // history ConfigMaps, read by `known` in the background.
  sidecar::StoredHistories standalone_histories;
  if (store && !kube) {
    auto loaded = store->LoadAll();
    if (loaded.ok()) standalone_histories = std::move(loaded).value();
  }
  const std::shared_ptr<sidecar::FelderaPipelineNames> names = kube ? FelderaNames(cfg) : nullptr;
  // Cluster mode serves every pipeline it knows of; a sidecar serves its own pod's only.
  const bool serve_all = cfg.mode == Mode::kCluster;
  sidecar::KnownPipelines known(pipelines, kube ? store : nullptr, serve_all ? names : nullptr,
                                {serve_all, std::chrono::seconds(30)});
  auto make_pipeline = [&](const std::string& name, const std::string& url) {
    std::optional<sidecar::IncarnationHistory> stored = known.StoredHistory(name);
    if (auto found = standalone_histories.find(name); found != standalone_histories.end()) {
      stored = found->second;
    }
    return std::make_shared<sidecar::Pipeline>(
        name, url, options, stored.value_or(sidecar::IncarnationHistory(options.history_size)));
  };

  for (const auto& p : cfg.static_pipelines) {
    pipelines.Add(make_pipeline(p.name, p.url));
    spdlog::info("serving pipeline '{}' at {}", p.name, p.url);
  }

  PodDiscovery discovery;
  if (kube) {
    known.Start([&](const std::string& name) { return make_pipeline(name, ""); });
    auto started =
        StartPodDiscovery(cfg, *kube, pipelines, metrics, names, pods_listed,
                          [&](const std::string& name) { return make_pipeline(name, ""); });
    if (!started.ok()) {
      std::cerr << started.error() << std::endl;
      return 2;
    }
    discovery = std::move(started).value();
  }
  sidecar::ServiceState state;
  state.ready = [&pipelines, &known, pods_listed, kubernetes = kube.has_value()] {
    return (!kubernetes || (known.loaded() && pods_listed->load())) && pipelines.AllProbed();
  };
  state.pods_stale_since = [&discovery]() -> std::optional<std::chrono::system_clock::time_point> {
    return discovery.health ? discovery.health->stale_since() : std::nullopt;
  };

  std::shared_ptr<sidecar::ApiKeys> api_keys;
  if (!cfg.api_keys_file.empty()) {
    auto loaded = sidecar::ApiKeys::Load(cfg.api_keys_file);
    if (!loaded.ok()) {
      std::cerr << loaded.error() << std::endl;
      return 2;
    }
    api_keys = loaded.value();
    spdlog::info("API keys required on /v0/: {} keys from {}", api_keys->size(), cfg.api_keys_file);
  }

  sidecar::HttpServer server(cfg, sidecar::Surface::kApi, pipelines, metrics, state, api_keys,
                             feldera_key);
  std::optional<sidecar::HttpServer> operations;
  if (cfg.metrics_listen) {
    operations.emplace(cfg, sidecar::Surface::kOperations, pipelines, metrics, state, nullptr);
  }
  try {
    server.Open();
    if (operations) operations->Open();
  } catch (const std::exception& e) {
    spdlog::critical("cannot listen: {}", e.what());
    return 1;
  }
  spdlog::info("{} mode, listening on http://{}:{}", sidecar::ModeName(cfg.mode), cfg.listen_host,
               cfg.listen_port);
  if (cfg.metrics_listen) {
    spdlog::info("/metrics, /healthz and /readyz also on http://{}:{}", cfg.metrics_listen->host,
                 cfg.metrics_listen->port);
  }

  int received = 0;
  {
    sidecar::Ticker ticker(pipelines, std::chrono::milliseconds(cfg.tracker_interval_ms));
    sidecar::Reloader reloader(args, cfg, api_keys);
    while (sigwait(&signals, &received) == 0 && received == SIGHUP) reloader.Reload("SIGHUP");
  }
  spdlog::info("signal {} received: stopping", received);
  // Whatever happens below, the process is gone after the grace period.
  std::thread([grace = std::chrono::milliseconds(cfg.shutdown_grace_ms)] {
    std::this_thread::sleep_for(grace);
    spdlog::error("stopping took longer than shutdown_grace_ms ({} ms): exiting now",
                  grace.count());
    std::_Exit(1);
  }).detach();
  server.StopHolding();
  if (discovery.reflector) discovery.reflector->Stop();
  for (const auto& p : pipelines.All()) p->ReleaseWaiters();
  // The service's own upstream questions are moot now; proxied requests finish, then every
  // reply is written.
  sidecar::PipelineClient::CancelAll();
  sidecar::PipelineClient::WaitForAll(std::chrono::milliseconds(cfg.shutdown_grace_ms));
  sidecar::HttpServer::WaitForReplies(std::chrono::milliseconds(cfg.shutdown_grace_ms));
  server.Close();
  if (operations) operations->Close();
  if (writer) writer->Flush();
  spdlog::info("stopped");
  return 0;
}
