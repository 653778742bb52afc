// HttpServer: one of the service's HTTP listeners (cpprestsdk). It parses requests, asks the
// pipelines, and writes answers; every error it writes is a Feldera ErrorResponse.
//
// The API surface (`listen`) serves everything; the operations surface (`metrics_listen`) only
// /metrics, /healthz and /readyz. With API keys, every /v0/ request must carry one.
//
// Handlers never block: completion_status answers arrive through callbacks, so a held long-poll
// holds no thread. Thread-safe.
#pragma once

#include <cpprest/http_client.h>
#include <cpprest/http_listener.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/api_keys.h"
#include "api/request_target.h"
#include "config/config.h"
#include "kube/bearer_token.h"
#include "metrics/metrics.h"
#include "pipeline/registry.h"

namespace sidecar {

enum class Surface { kApi, kOperations };

// What the server is told of the rest of the service's state.
struct ServiceState {
  // Whether the service has what it needs to answer (see /readyz).
  std::function<bool()> ready;
  // Since when its view of the pipeline pods is not current (the Kubernetes watch is failing);
  // nullopt while it is, or without Kubernetes. Optional.
  std::function<std::optional<std::chrono::system_clock::time_point>()> pods_stale_since;
};

class HttpServer {
 public:
  // `api_keys` may be null: no authentication. `feldera_api_key` (null: none) is the key sent to
  // Feldera's API server (`feldera.api_url`) when /v0/config is forwarded there; a client's own
  // Authorization never is.
  HttpServer(const Config& config, Surface surface, PipelineRegistry& pipelines, Metrics& metrics,
             ServiceState state, std::shared_ptr<ApiKeys> api_keys,
             std::shared_ptr<kube::BearerTokenSource> feldera_api_key = nullptr);

  // Starts listening; throws if the address cannot be bound.
  void Open();
  void Close();
  // From now on, completion_status requests are answered at once, even with wait_ms: the
  // service is stopping and will not hold new long-polls.
  void StopHolding() { holding_ = false; }
  // Waits until every reply given so far (on any listener) has been written, or `timeout`
  // passes; returns whether they all were.
  static bool WaitForReplies(std::chrono::milliseconds timeout);

  // The listener's entry point: routes `request` and replies to it (now, or later from an answer
  // callback). Tests call it directly, with a request built in process: with no connection
  // behind it, cpprestsdk keeps the reply for `request.get_response()`. Needs no Open(). An
  // exception it throws is the caller's to answer (the listener answers 500 InternalError).
  void Handle(const web::http::http_request& request);

 private:
  void HandleCompletionStatus(const web::http::http_request& request, const std::string& query,
                              const std::string& pipeline);
  // Ingress and completion_token: forwarded to the pipeline's own path for them.
  void HandleProxy(const web::http::http_request& request, const Route& route);
  void HandleConfig(const web::http::http_request& request);
  void HandleReadyz(const web::http::http_request& request);

  const Config config_;
  const Surface surface_;
  // Long-polls held now; shared with their answer callbacks, which may outlive a request handler.
  std::atomic<bool> holding_{true};
  const std::shared_ptr<std::atomic<size_t>> held_long_polls_ =
      std::make_shared<std::atomic<size_t>>(0);
  const std::shared_ptr<ApiKeys> api_keys_;
  PipelineRegistry& pipelines_;
  Metrics& metrics_;
  const ServiceState state_;
  web::http::experimental::listener::http_listener listener_;
  std::unique_ptr<web::http::client::http_client> feldera_api_;
  const std::shared_ptr<kube::BearerTokenSource> feldera_api_key_;
};

}  // namespace sidecar
