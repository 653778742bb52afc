// HttpServer: the service's HTTP API on one listener (cpprestsdk). It parses requests, asks the
// pipelines, and writes answers; every error it writes is a Feldera ErrorResponse.
//
// Handlers never block: completion_status answers arrive through callbacks, so a held long-poll
// holds no thread. Thread-safe.
#pragma once

#include <cpprest/http_client.h>
#include <cpprest/http_listener.h>

#include <functional>
#include <memory>
#include <string>

#include "config/config.h"
#include "metrics/metrics.h"
#include "pipeline/registry.h"

namespace sidecar {

class HttpServer {
 public:
  // `ready` says whether the service has what it needs to answer (see /readyz).
  HttpServer(const Config& config, PipelineRegistry& pipelines, Metrics& metrics,
             std::function<bool()> ready);

  // Starts listening; throws if the address cannot be bound.
  void Open();
  void Close();

 private:
  void Handle(const web::http::http_request& request);
  void HandleCompletionStatus(const web::http::http_request& request, const std::string& pipeline);
  void HandleProxy(const web::http::http_request& request, const std::string& pipeline,
                   const std::string& upstream_target, const std::string& route_name);
  void HandleConfig(const web::http::http_request& request);
  void HandleReadyz(const web::http::http_request& request);

  const Config config_;
  PipelineRegistry& pipelines_;
  Metrics& metrics_;
  const std::function<bool()> ready_;
  web::http::experimental::listener::http_listener listener_;
  std::unique_ptr<web::http::client::http_client> feldera_api_;
};

}  // namespace sidecar
