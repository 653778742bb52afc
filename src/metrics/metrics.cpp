#include "metrics/metrics.h"

#include <prometheus/text_serializer.h>

namespace sidecar {

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      status_requests_(prometheus::BuildCounter()
                           .Name("feldera_completion_status_requests_total")
                           .Help("completion_status requests answered, by pipeline and HTTP code")
                           .Register(*registry_)),
      status_duration_(prometheus::BuildHistogram()
                           .Name("feldera_completion_status_request_duration_seconds")
                           .Help("Time to answer a completion_status request (long-polls "
                                 "included), by pipeline")
                           .Register(*registry_)),
      http_requests_(prometheus::BuildCounter()
                         .Name("completion_sidecar_http_requests_total")
                         .Help("HTTP requests other than completion_status, by route and code")
                         .Register(*registry_)) {}

void Metrics::ObserveStatusRequest(const std::string& pipeline, int code, double seconds) {
  status_requests_.Add({{"pipeline", pipeline}, {"code", std::to_string(code)}}).Increment();
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  status_duration_.Add({{"pipeline", pipeline}}, kBuckets).Observe(seconds);
}

void Metrics::CountHttpRequest(const std::string& route, int code) {
  http_requests_.Add({{"route", route}, {"code", std::to_string(code)}}).Increment();
}

std::string Metrics::Scrape() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace sidecar
