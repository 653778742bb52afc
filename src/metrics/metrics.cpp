#include "metrics/metrics.h"

#include <prometheus/text_serializer.h>

#include <array>
#include <map>
#include <type_traits>
#include <utility>

#include "metrics/family_spec.h"
#include "metrics/label_values.h"

namespace sidecar {
namespace {

using prometheus::MetricType;

// Every family the service registers; kProcessFamilies adds the process_* ones.
constexpr FamilySpec kStatusRequestsFamily{
    "feldera_completion_status_requests_total",
    "completion_status requests answered, by pipeline and HTTP code", MetricType::Counter};
constexpr FamilySpec kStatusDurationFamily{
    "feldera_completion_status_request_duration_seconds",
    "Time to answer a completion_status request (long-polls included), by pipeline",
    MetricType::Histogram};
constexpr FamilySpec kHttpRequestsFamily{
    "completion_sidecar_http_requests_total",
    "HTTP requests other than completion_status, by route and code", MetricType::Counter};
constexpr FamilySpec kTokenLatencyFamily{
    "feldera_completion_token_latency_seconds",
    "Time from the service first seeing a completion token (source: the ingress or "
    "completion_token answer that carried it, or the first completion_status request about it) "
    "to seeing it complete, by pipeline",
    MetricType::Histogram};
constexpr FamilySpec kTokensTrackedFamily{
    "feldera_completion_tokens_tracked",
    "Completion tokens the service is waiting to see complete, by pipeline", MetricType::Gauge};
constexpr FamilySpec kTokensAbandonedFamily{
    "feldera_completion_tokens_abandoned_total",
    "Tracked completion tokens dropped before completing, by pipeline and reason "
    "(incarnation_ended: their incarnation ended; overflow: the tracking limit was reached; "
    "endpoint_removed: the pipeline no longer has their input endpoint)",
    MetricType::Counter};
constexpr FamilySpec kPipelineUpFamily{
    "feldera_pipeline_up", "1 if the pipeline answered its last probe, 0 if not, by pipeline",
    MetricType::Gauge};
constexpr FamilySpec kIncarnationsFamily{
    "feldera_pipeline_incarnations_total",
    "New incarnations (pipeline processes) seen, by pipeline and how the previous one ended",
    MetricType::Counter};
constexpr FamilySpec kIncarnationStartFamily{
    "feldera_pipeline_incarnation_start_time_seconds",
    "Start time of the pipeline's current incarnation, in seconds since the Unix epoch",
    MetricType::Gauge};
constexpr FamilySpec kResumedFromCheckpointFamily{
    "feldera_pipeline_resumed_from_checkpoint",
    "1 if the pipeline's current incarnation resumed from a checkpoint, 0 if it started afresh",
    MetricType::Gauge};
constexpr FamilySpec kUpstreamRequestsFamily{
    "completion_sidecar_upstream_requests_total",
    "Requests to pipelines, by pipeline, request and outcome", MetricType::Counter};
constexpr FamilySpec kUpstreamDurationFamily{
    "completion_sidecar_upstream_request_duration_seconds",
    "Duration of requests to pipelines, by pipeline and request", MetricType::Histogram};
constexpr FamilySpec kKubeRequestsFamily{"completion_sidecar_kube_requests_total",
                                         "Requests to the Kubernetes API, by verb and outcome",
                                         MetricType::Counter};
constexpr FamilySpec kWatchRestartsFamily{
    "completion_sidecar_kube_watch_restarts_total",
    "Kubernetes watch streams restarted, by the reason they ended", MetricType::Counter};
constexpr FamilySpec kWatchEventsFamily{"completion_sidecar_kube_watch_events_total",
                                        "Kubernetes watch events received, by type",
                                        MetricType::Counter};

constexpr std::array<FamilySpec, 15> kServiceFamilies = {
    kStatusRequestsFamily,   kStatusDurationFamily,
    kHttpRequestsFamily,     kTokenLatencyFamily,
    kTokensTrackedFamily,    kTokensAbandonedFamily,
    kPipelineUpFamily,       kIncarnationsFamily,
    kIncarnationStartFamily, kResumedFromCheckpointFamily,
    kUpstreamRequestsFamily, kUpstreamDurationFamily,
    kKubeRequestsFamily,     kWatchRestartsFamily,
    kWatchEventsFamily};

// Requests answered from memory take well under a millisecond; upstream timeouts and long-polls
// are seconds to tens of seconds.
const prometheus::Histogram::BucketBoundaries kRequestBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
// A token completes within milliseconds on an idle pipeline, and may take up to an hour behind a
// backlog or a stalled sink.
const prometheus::Histogram::BucketBoundaries kTokenLatencyBuckets = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,  1,
    2.5,   5,      10,    30,   60,    120,  300, 600,  1800, 3600};

// A duration to observe: a clock step can make a measured duration negative, and a negative
// observation would make the histogram's _sum fall; NaN would poison it for good.
double DurationToObserve(double seconds) {
  return seconds >= 0 ? seconds : 0;
}

template <typename T>
prometheus::Family<T>& Register(const FamilySpec& spec, prometheus::Registry& registry) {
  auto build = [&] {
    if constexpr (std::is_same_v<T, prometheus::Counter>)
      return prometheus::BuildCounter();
    else if constexpr (std::is_same_v<T, prometheus::Gauge>)
      return prometheus::BuildGauge();
    else
      return prometheus::BuildHistogram();
  };
  return build().Name(std::string(spec.name)).Help(std::string(spec.help)).Register(registry);
}

}  // namespace

Metrics::Metrics()
    : status_requests_(Register<prometheus::Counter>(kStatusRequestsFamily, registry_),
                       pipeline_ids_),
      status_duration_(Register<prometheus::Histogram>(kStatusDurationFamily, registry_),
                       pipeline_ids_, kRequestBuckets),
      http_requests_(Register<prometheus::Counter>(kHttpRequestsFamily, registry_)),
      token_latency_(Register<prometheus::Histogram>(kTokenLatencyFamily, registry_), pipeline_ids_,
                     kTokenLatencyBuckets),
      tokens_tracked_(Register<prometheus::Gauge>(kTokensTrackedFamily, registry_), pipeline_ids_),
      tokens_abandoned_(Register<prometheus::Counter>(kTokensAbandonedFamily, registry_),
                        pipeline_ids_),
      pipeline_up_(Register<prometheus::Gauge>(kPipelineUpFamily, registry_), pipeline_ids_),
      incarnations_(Register<prometheus::Counter>(kIncarnationsFamily, registry_), pipeline_ids_),
      incarnation_start_(Register<prometheus::Gauge>(kIncarnationStartFamily, registry_),
                         pipeline_ids_),
      resumed_from_checkpoint_(Register<prometheus::Gauge>(kResumedFromCheckpointFamily, registry_),
                               pipeline_ids_),
      upstream_requests_(Register<prometheus::Counter>(kUpstreamRequestsFamily, registry_),
                         pipeline_ids_),
      upstream_duration_(Register<prometheus::Histogram>(kUpstreamDurationFamily, registry_),
                         pipeline_ids_, kRequestBuckets),
      kube_requests_(Register<prometheus::Counter>(kKubeRequestsFamily, registry_)),
      watch_restarts_(Register<prometheus::Counter>(kWatchRestartsFamily, registry_)),
      watch_events_(Register<prometheus::Counter>(kWatchEventsFamily, registry_)) {}

const std::vector<std::string>& Metrics::FamilyNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all;
    all.reserve(kServiceFamilies.size() + kProcessFamilies.size());
    for (const FamilySpec& spec : kServiceFamilies) all.emplace_back(spec.name);
    for (const FamilySpec& spec : kProcessFamilies) all.emplace_back(spec.name);
    return all;
  }();
  return names;
}

void Metrics::ObserveStatusRequest(std::string_view pipeline, int code, double seconds) {
  const std::string label = PipelineLabel(pipeline);
  status_requests_.Update(label, {{"code", CodeLabel(code)}},
                          [](prometheus::Counter& c) { c.Increment(); });
  status_duration_.Update(label, {},
                          [&](prometheus::Histogram& h) { h.Observe(DurationToObserve(seconds)); });
}

void Metrics::CountHttpRequest(std::string_view route, int code) {
  http_requests_.Add({{"route", std::string(route)}, {"code", CodeLabel(code)}}).Increment();
}

void Metrics::ObserveTokenLatency(std::string_view pipeline, std::string_view source,
                                  double seconds) {
  token_latency_.Update(PipelineLabel(pipeline), {{"source", BoundedLabel(source, kTokenSources)}},
                        [&](prometheus::Histogram& h) { h.Observe(DurationToObserve(seconds)); });
}

void Metrics::SetTokensTracked(std::string_view pipeline, uint64_t count) {
  tokens_tracked_.Update(PipelineLabel(pipeline), {},
                         [&](prometheus::Gauge& g) { g.Set(static_cast<double>(count)); });
}

void Metrics::CountTokenAbandoned(std::string_view pipeline, std::string_view reason,
                                  uint64_t count) {
  tokens_abandoned_.Update(
      PipelineLabel(pipeline), {{"reason", BoundedLabel(reason, kAbandonReasons)}},
      [&](prometheus::Counter& c) { c.Increment(static_cast<double>(count)); });
}

void Metrics::SetPipelineUp(std::string_view pipeline, bool up) {
  pipeline_up_.Update(PipelineLabel(pipeline), {},
                      [&](prometheus::Gauge& g) { g.Set(up ? 1 : 0); });
}

void Metrics::CountIncarnation(std::string_view pipeline, std::string_view reason) {
  incarnations_.Update(PipelineLabel(pipeline),
                       {{"reason", BoundedLabel(reason, kIncarnationReasons)}},
                       [](prometheus::Counter& c) { c.Increment(); });
}

void Metrics::SetIncarnationStart(std::string_view pipeline, double unix_seconds) {
  incarnation_start_.Update(PipelineLabel(pipeline), {},
                            [&](prometheus::Gauge& g) { g.Set(unix_seconds); });
}

void Metrics::SetResumedFromCheckpoint(std::string_view pipeline, bool resumed) {
  resumed_from_checkpoint_.Update(PipelineLabel(pipeline), {},
                                  [&](prometheus::Gauge& g) { g.Set(resumed ? 1 : 0); });
}

template <typename Fn>
void Metrics::ForEachPipelineFamily(Fn&& fn) {
  fn(status_requests_);
  fn(status_duration_);
  fn(token_latency_);
  fn(tokens_tracked_);
  fn(tokens_abandoned_);
  fn(pipeline_up_);
  fn(incarnations_);
  fn(incarnation_start_);
  fn(resumed_from_checkpoint_);
  fn(upstream_requests_);
  fn(upstream_duration_);
}

bool Metrics::SetPipelineId(std::string_view pipeline, std::string_view pipeline_id) {
  const std::string name = PipelineLabel(pipeline);
  if (!pipeline_ids_.Set(name, FelderaPipelineLabel(pipeline_id))) return false;
  ForEachPipelineFamily([&](auto& series) { series.ForgetIfRelabelled(name); });
  return true;
}

void Metrics::ForgetPipeline(std::string_view pipeline) {
  const std::string name = PipelineLabel(pipeline);
  pipeline_ids_.Set(name, "");
  ForEachPipelineFamily([&](auto& series) { series.Forget(name); });
}

void Metrics::ObserveUpstreamRequest(std::string_view pipeline, std::string_view request,
                                     std::string_view outcome, double seconds) {
  const std::string label = PipelineLabel(pipeline);
  const std::string request_label = BoundedLabel(request, kUpstreamRequests);
  upstream_requests_.Update(
      label, {{"request", request_label}, {"outcome", BoundedLabel(outcome, kUpstreamOutcomes)}},
      [](prometheus::Counter& c) { c.Increment(); });
  upstream_duration_.Update(label, {{"request", request_label}}, [&](prometheus::Histogram& h) {
    h.Observe(DurationToObserve(seconds));
  });
}

void Metrics::CountKubeRequest(std::string_view verb, std::string_view outcome) {
  kube_requests_
      .Add({{"verb", BoundedLabel(verb, kKubeVerbs)},
            {"outcome", BoundedLabel(outcome, kKubeOutcomes)}})
      .Increment();
}

void Metrics::CountWatchRestart(std::string_view reason) {
  watch_restarts_.Add({{"reason", BoundedLabel(reason, kWatchRestartReasons)}}).Increment();
}

void Metrics::CountWatchEvent(std::string_view type) {
  watch_events_.Add({{"type", BoundedLabel(type, kWatchEventTypes)}}).Increment();
}

std::vector<prometheus::MetricFamily> Metrics::Collect() const {
  std::map<std::string, prometheus::MetricFamily> collected;
  for (auto& family : registry_.Collect()) collected.emplace(family.name, std::move(family));
  for (auto& family : process_.Collect()) collected.emplace(family.name, std::move(family));

  std::vector<prometheus::MetricFamily> families;
  auto add = [&](const FamilySpec& spec) {
    auto found = collected.find(std::string(spec.name));
    if (found != collected.end())
      families.push_back(std::move(found->second));
    else
      families.push_back({std::string(spec.name), std::string(spec.help), spec.type, {}});
  };
  for (const FamilySpec& spec : kServiceFamilies) add(spec);
  for (const FamilySpec& spec : kProcessFamilies) add(spec);
  return families;
}

std::string Metrics::Scrape() const {
  return prometheus::TextSerializer().Serialize(Collect());
}

}  // namespace sidecar
