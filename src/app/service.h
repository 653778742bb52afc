// Service: one running completion-sidecar for one configuration. main() parses the flags, sets up
// logging and waits for signals; everything else is here, so that a test can start the whole
// service in process.
//
// Create() makes the parts the mode needs, each from the ones below it: API keys and TLS for the
// pipelines, the Kubernetes connection, the history store and its writer, the pipelines known from
// stored history (and Feldera's API server), the configured pipelines, the pod watch, the HTTP
// listeners. Start() opens the listeners and starts the ticker and the config reloader. Stop()
// takes it down so that no answer is lost: long-polls are no longer held, the pod watch stops,
// every held request is answered, the service's own upstream requests are cancelled (proxied ones
// finish), every reply is written, the listeners close, and the history is flushed.
// docs/architecture.md lists the threads.
//
// Stop() cancels the service's upstream requests process-wide (PipelineClient::CancelAll): one
// service per process. Create, Start and Stop are called from one thread; Reload from any.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/api_keys.h"
#include "api/http_server.h"
#include "app/pod_discovery.h"
#include "app/reloader.h"
#include "app/ticker.h"
#include "common/result.h"
#include "config/config.h"
#include "discovery/feldera_names.h"
#include "discovery/known_pipelines.h"
#include "history/history_store.h"
#include "kube/bearer_token.h"
#include "kube/connection.h"
#include "metrics/metrics.h"
#include "pipeline/registry.h"

namespace sidecar {

class Service {
 public:
  // `args` is the command line `config` came from (the reloader reads it again). An error names
  // the setting that cannot be used.
  static Result<std::unique_ptr<Service>> Create(Config config, std::vector<std::string> args);
  ~Service();  // stops it, if it runs
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Opens the listeners and starts the ticker and the reloader; the error when a listener cannot
  // be bound.
  std::optional<std::string> Start();
  // Reads the configuration again and applies what can change (see Reloader).
  void Reload(const std::string& why);
  // Stops as the class comment says; waits at most shutdown_grace_ms at each wait.
  void Stop();

  PipelineRegistry& pipelines() { return pipelines_; }

 private:
  Service(Config config, std::vector<std::string> args);
  // Builds the parts Create() describes; an error names the setting.
  std::optional<std::string> Build();
  // A pipeline named `name` at `url` (empty: no pod runs it yet), with the history stored for it.
  std::shared_ptr<Pipeline> MakePipeline(const std::string& name, const std::string& url);
  bool Ready() const;

  const Config config_;
  const std::vector<std::string> args_;
  Metrics metrics_;
  PipelineRegistry pipelines_;
  PipelineOptions options_;
  std::shared_ptr<kube::BearerTokenSource> feldera_key_;
  std::optional<kube::KubeConnection> kube_;
  std::shared_ptr<HistoryStore> store_;
  std::unique_ptr<HistoryWriter> writer_;
  // Standalone: the history file's contents, read at start for the configured pipelines.
  StoredHistories standalone_histories_;
  // Kubernetes modes: set once the first complete list of pods has been applied.
  const std::shared_ptr<std::atomic<bool>> pods_listed_ = std::make_shared<std::atomic<bool>>();
  std::shared_ptr<FelderaPipelineNames> names_;
  std::unique_ptr<KnownPipelines> known_;
  PodDiscovery discovery_;
  std::shared_ptr<ApiKeys> api_keys_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<HttpServer> operations_;  // the metrics_listen listener, if configured
  std::unique_ptr<Ticker> ticker_;
  std::unique_ptr<Reloader> reloader_;
  bool running_ = false;
};

}  // namespace sidecar
