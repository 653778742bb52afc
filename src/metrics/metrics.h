// Metrics: every metric the service exports, declared in one place (the README's metric table
// mirrors this file). Label values stay bounded: pipeline names only for configured pipelines,
// everything else under one fixed value.
//
// Thread-safe (prometheus-cpp metrics are).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

namespace sidecar {

class Metrics {
 public:
  // The `pipeline` label value for names the service does not serve.
  static constexpr const char* kUnknownPipeline = "_unknown";

  Metrics();

  // One completion_status answer: its pipeline label, HTTP code and time to answer.
  void ObserveStatusRequest(const std::string& pipeline, int code, double seconds);
  // Any other API request, by route name and code.
  void CountHttpRequest(const std::string& route, int code);

  // The Prometheus text exposition of everything registered.
  std::string Scrape() const;

  prometheus::Registry& registry() { return *registry_; }

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& status_requests_;
  prometheus::Family<prometheus::Histogram>& status_duration_;
  prometheus::Family<prometheus::Counter>& http_requests_;
};

}  // namespace sidecar
