#include "app/service.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "upstream/pipeline_client.h"

namespace sidecar {
namespace {

// The key in the file at `path` (none when empty); the error names `setting`.
Result<std::shared_ptr<kube::BearerTokenSource>> LoadKeyFile(const std::string& path,
                                                             const char* setting) {
  using R = Result<std::shared_ptr<kube::BearerTokenSource>>;
  if (path.empty()) return R::Ok(nullptr);
  auto loaded = kube::BearerTokenSource::FromFile(path);
  if (!loaded.ok()) return R::Error(std::string(setting) + ": " + loaded.error());
  return R::Ok(loaded.value());
}

PipelineOptions MakePipelineOptions(const Config& config, Metrics& metrics,
                                    const std::shared_ptr<kube::BearerTokenSource>& api_key,
                                    const UpstreamTls& tls) {
  PipelineOptions options;
  options.pod_url_scheme = config.pods.scheme;
  options.metrics = &metrics;
  options.probe_interval = std::chrono::milliseconds(config.probe_interval_ms);
  options.token_budget =
      std::make_shared<TokenBudget>(static_cast<size_t>(config.max_tracked_tokens));
  options.history_size = static_cast<size_t>(config.kubernetes.history_size);
  const int retry_after = RetryAfterFor(options.probe_interval);
  // Pipelines on one origin (all of them, through Feldera's API server) share its client.
  auto pool = std::make_shared<HttpClientPool>(
      UpstreamClientConfig(std::chrono::milliseconds(config.upstream_timeout_ms), tls));
  options.make_client = [pool, retry_after, &metrics, api_key, server_name = tls.server_name](
                            const std::string& name, const std::string& url) {
    return std::make_shared<PipelineClient>(name, url, retry_after, *pool, &metrics, api_key,
                                            server_name);
  };
  return options;
}

// Where the history ConfigMaps live: as configured, else the service's own namespace.
std::string HistoryNamespace(const Config& config, const kube::KubeConnection& connection) {
  for (const std::string& candidate :
       {config.kubernetes.history_namespace, connection.namespace_name(),
        config.kubernetes.pod_namespace, config.kubernetes.namespace_name}) {
    if (!candidate.empty()) return candidate;
  }
  return "default";
}

// Pipeline names from Feldera's API server, when it is configured.
std::shared_ptr<FelderaPipelineNames> FelderaNames(const Config& config) {
  if (config.feldera_api_url.empty()) return nullptr;
  FelderaNamesOptions names;
  names.api_url = config.feldera_api_url;
  names.api_key_file = config.feldera_api_key_file;
  return std::make_shared<FelderaPipelineNames>(names);
}

}  // namespace

Result<std::unique_ptr<Service>> Service::Create(Config config, std::vector<std::string> args) {
  using R = Result<std::unique_ptr<Service>>;
  std::unique_ptr<Service> service(new Service(std::move(config), std::move(args)));
  if (auto error = service->Build()) return R::Error(*error);
  return R::Ok(std::move(service));
}

Service::Service(Config config, std::vector<std::string> args)
    : config_(std::move(config)), args_(std::move(args)) {}

Service::~Service() {
  Stop();
}

std::optional<std::string> Service::Build() {
  auto pipelines_key = LoadKeyFile(config_.pipelines_api_key_file, "pipelines.api_key_file");
  if (!pipelines_key.ok()) return pipelines_key.error();
  auto feldera_key = LoadKeyFile(config_.feldera_api_key_file, "feldera.api_key_file");
  if (!feldera_key.ok()) return feldera_key.error();
  feldera_key_ = feldera_key.value();
  auto tls = LoadUpstreamTls(config_.upstream_ca_file, config_.upstream_tls_server_name);
  if (!tls.ok()) return "upstream.ca_file: " + tls.error();
  options_ = MakePipelineOptions(config_, metrics_, pipelines_key.value(), tls.value());

  // Kubernetes, when the mode uses it: for pods and for the history ConfigMaps.
  if (config_.mode != Mode::kStandalone) {
    auto connection = kube::KubeConnection::Resolve(
        {config_.kubernetes.api_url, config_.kubernetes.kubeconfig, ""});
    if (!connection.ok()) return "kubernetes: " + connection.error();
    kube_ = connection.value();
  }

  // Incarnation history outlives the process: in ConfigMaps, or in a file when standalone.
  if (kube_) {
    const std::string ns = HistoryNamespace(config_, *kube_);
    store_ = std::make_shared<ConfigMapHistoryStore>(*kube_, ns, options_.history_size);
    spdlog::info("incarnation history in ConfigMaps of namespace {}", ns);
  } else if (!config_.history_path.empty()) {
    store_ = std::make_shared<FileHistoryStore>(config_.history_path, options_.history_size);
    spdlog::info("incarnation history in {}", config_.history_path);
  }
  if (store_) {
    writer_ = std::make_unique<HistoryWriter>(store_);
    options_.on_history_change = [writer = writer_.get()](const std::string& name,
                                                          const IncarnationHistory& history) {
      writer->Enqueue(name, history);
    };
  }
  if (kube_) options_.pods_listed = [pods_listed = pods_listed_] { return pods_listed->load(); };
  // Standalone: the history file, read now for the configured pipelines. Kubernetes: the
  // history ConfigMaps, read by `known_` in the background.
  if (store_ && !kube_) {
    auto loaded = store_->LoadAll();
    if (!loaded.ok()) return "history.path: " + loaded.error();
    standalone_histories_ = std::move(loaded).value();
  }
  names_ = kube_ ? FelderaNames(config_) : nullptr;
  // Cluster mode serves every pipeline it knows of; a sidecar serves its own pod's only.
  const bool serve_all = config_.mode == Mode::kCluster;
  known_ = std::make_unique<KnownPipelines>(
      pipelines_, kube_ ? store_ : nullptr, serve_all ? names_ : nullptr,
      KnownPipelines::Options{serve_all, std::chrono::seconds(30)});

  for (const auto& p : config_.static_pipelines) {
    pipelines_.Add(MakePipeline(p.name, p.url));
    spdlog::info("serving pipeline '{}' at {}", p.name, p.url);
  }
  if (kube_) {
    known_->Start([this](const std::string& name) { return MakePipeline(name, ""); });
    auto started =
        StartPodDiscovery(config_, *kube_, pipelines_, metrics_, names_, pods_listed_,
                          [this](const std::string& name) { return MakePipeline(name, ""); });
    if (!started.ok()) return started.error();
    discovery_ = std::move(started).value();
  }

  if (!config_.api_keys_file.empty()) {
    auto loaded = ApiKeys::Load(config_.api_keys_file);
    if (!loaded.ok()) return loaded.error();
    api_keys_ = loaded.value();
    spdlog::info("API keys required on /v0/: {} keys from {}", api_keys_->size(),
                 config_.api_keys_file);
  }
  ServiceState state;
  state.ready = [this] { return Ready(); };
  state.pods_stale_since = [this]() -> std::optional<std::chrono::system_clock::time_point> {
    return discovery_.health ? discovery_.health->stale_since() : std::nullopt;
  };
  server_ = std::make_unique<HttpServer>(config_, Surface::kApi, pipelines_, metrics_, state,
                                         api_keys_, feldera_key_);
  if (config_.metrics_listen) {
    operations_ = std::make_unique<HttpServer>(config_, Surface::kOperations, pipelines_, metrics_,
                                               state, nullptr);
  }
  return std::nullopt;
}

std::shared_ptr<Pipeline> Service::MakePipeline(const std::string& name, const std::string& url) {
  std::optional<IncarnationHistory> stored = known_->StoredHistory(name);
  if (auto found = standalone_histories_.find(name); found != standalone_histories_.end()) {
    stored = found->second;
  }
  return std::make_shared<Pipeline>(name, url, options_,
                                    stored.value_or(IncarnationHistory(options_.history_size)));
}

bool Service::Ready() const {
  return (!kube_ || (known_->loaded() && pods_listed_->load())) && pipelines_.AllProbed();
}

std::optional<std::string> Service::Start() {
  try {
    server_->Open();
    if (operations_) operations_->Open();
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
  running_ = true;
  spdlog::info("{} mode, listening on http://{}:{}", ModeName(config_.mode), config_.listen_host,
               config_.listen_port);
  if (config_.metrics_listen) {
    spdlog::info("/metrics, /healthz and /readyz also on http://{}:{}",
                 config_.metrics_listen->host, config_.metrics_listen->port);
  }
  ticker_ =
      std::make_unique<Ticker>(pipelines_, std::chrono::milliseconds(config_.tracker_interval_ms));
  reloader_ = std::make_unique<Reloader>(args_, config_, api_keys_);
  return std::nullopt;
}

void Service::Reload(const std::string& why) {
  if (reloader_) reloader_->Reload(why);
}

void Service::Stop() {
  if (!running_) return;
  running_ = false;
  ticker_.reset();
  reloader_.reset();
  const auto grace = std::chrono::milliseconds(config_.shutdown_grace_ms);
  server_->StopHolding();
  if (discovery_.reflector) discovery_.reflector->Stop();
  for (const auto& p : pipelines_.All()) p->ReleaseWaiters();
  // The service's own upstream questions are moot now; proxied requests finish, then every
  // reply is written.
  PipelineClient::CancelAll();
  PipelineClient::WaitForAll(grace);
  HttpServer::WaitForReplies(grace);
  server_->Close();
  if (operations_) operations_->Close();
  if (writer_) writer_->Flush();
}

}  // namespace sidecar
