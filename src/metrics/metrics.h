// Metrics: every metric the service exports, declared in one place (the README's metric table
// mirrors this file and metrics.cpp's family table), with one recording method per family.
//
// A family about pipelines labels each series as Feldera labels its own pipeline metrics, so that
// the two join: `pipeline_name` is the name the caller passes (the name the service serves the
// pipeline under, which Feldera's `pipeline_name` also is), and `pipeline` is Feldera's id for the
// pipeline as Feldera writes it, `pipeline-<uuid>`, once SetPipelineId() has told it, else empty.
//
// Label values stay bounded: each label other than those two takes values from its set in
// metrics/label_values.h (anything else is recorded as "other"); `pipeline_name` is whatever the
// caller passes, so callers pass only the pipelines they serve (kUnknownPipeline for any other
// name) and call ForgetPipeline() when one goes away; `pipeline` takes one value per name at a
// time. Durations are in seconds; a negative or NaN duration is observed as 0. Every family is
// listed in a scrape, with its HELP and TYPE, even before it has a series.
//
// Thread-safe: every method may be called from any thread.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/label_values.h"
#include "metrics/pipeline_series.h"
#include "metrics/process_metrics.h"

namespace sidecar {

class Metrics {
 public:
  // The `pipeline_name` label value for names the service does not serve.
  static constexpr const char* kUnknownPipeline = "_unknown";

  Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Every family name a scrape lists, the process_* families included.
  static const std::vector<std::string>& FamilyNames();

  // --- The service's own API ---
  // feldera_completion_status_requests_total and
  // feldera_completion_status_request_duration_seconds: one completion_status answer, its HTTP code
  // and the time to answer it.
  void ObserveStatusRequest(std::string_view pipeline, int code, double seconds);
  // completion_sidecar_http_requests_total: any other API request, by route name and HTTP code.
  // `route` is one of the service's fixed route names.
  void CountHttpRequest(std::string_view route, int code);

  // --- Completion tokens ---
  // feldera_completion_token_latency_seconds: a tracked token was seen complete, `seconds` after
  // the service first saw it from `source` (kTokenSources).
  void ObserveTokenLatency(std::string_view pipeline, std::string_view source, double seconds);
  // feldera_completion_tokens_tracked: how many tokens of the pipeline are being tracked now.
  void SetTokensTracked(std::string_view pipeline, uint64_t count);
  // feldera_completion_tokens_abandoned_total: `count` tracked tokens dropped before completing,
  // for `reason` (kAbandonReasons).
  void CountTokenAbandoned(std::string_view pipeline, std::string_view reason, uint64_t count = 1);

  // --- Pipelines and their incarnations ---
  // feldera_pipeline_up: whether the pipeline answered its last probe.
  void SetPipelineUp(std::string_view pipeline, bool up);
  // feldera_pipeline_incarnations_total: a new incarnation was seen; `reason` is how the previous
  // one ended (kIncarnationReasons; "FirstSeen" for the first the service sees).
  void CountIncarnation(std::string_view pipeline, std::string_view reason);
  // feldera_pipeline_incarnation_start_time_seconds: the current incarnation's start time.
  void SetIncarnationStart(std::string_view pipeline, double unix_seconds);
  // feldera_pipeline_resumed_from_checkpoint: whether the current incarnation resumed from a
  // checkpoint.
  void SetResumedFromCheckpoint(std::string_view pipeline, bool resumed);
  // The `pipeline` label of the pipeline named `pipeline` from now on: FelderaPipelineLabel() of
  // `pipeline_id`, empty when that is empty or no UUID. Series it already has under another label
  // are removed (the series under the new label start afresh, as a new pipeline's do), so the
  // caller sets its gauges again when this returns true: the label changed.
  bool SetPipelineId(std::string_view pipeline, std::string_view pipeline_id);
  // Removes every series of the pipeline named `pipeline`, in every family, and its id: for a
  // pipeline that is no longer served. Harmless for a pipeline without series.
  void ForgetPipeline(std::string_view pipeline);

  // --- Requests to pipelines ---
  // completion_sidecar_upstream_requests_total and
  // completion_sidecar_upstream_request_duration_seconds: one request to a pipeline of kind
  // `request` (kUpstreamRequests) with its `outcome` (kUpstreamOutcomes) and duration.
  void ObserveUpstreamRequest(std::string_view pipeline, std::string_view request,
                              std::string_view outcome, double seconds);

  // --- Kubernetes ---
  // completion_sidecar_kube_requests_total: one request to the Kubernetes API, by `verb`
  // (kKubeVerbs) and `outcome` (kKubeOutcomes).
  void CountKubeRequest(std::string_view verb, std::string_view outcome);
  // completion_sidecar_kube_watch_restarts_total: a watch stream ended and is restarted, for
  // `reason` (kWatchRestartReasons).
  void CountWatchRestart(std::string_view reason);
  // completion_sidecar_kube_watch_events_total: one watch event of `type` (kWatchEventTypes).
  void CountWatchEvent(std::string_view type);

  // --- Exposition ---
  // Every family, in FamilyNames() order; families without series carry only HELP and TYPE.
  std::vector<prometheus::MetricFamily> Collect() const;
  // Collect() in the Prometheus text format.
  std::string Scrape() const;

 private:
  using HistogramSeries =
      PipelineSeries<prometheus::Histogram, prometheus::Histogram::BucketBoundaries>;

  // Calls `fn` with each family labelled by pipeline.
  template <typename Fn>
  void ForEachPipelineFamily(Fn&& fn);

  prometheus::Registry registry_;
  const ProcessCollector process_;
  PipelineIdLabels pipeline_ids_;  // before the series that read it

  PipelineSeries<prometheus::Counter> status_requests_;
  HistogramSeries status_duration_;
  prometheus::Family<prometheus::Counter>& http_requests_;
  HistogramSeries token_latency_;
  PipelineSeries<prometheus::Gauge> tokens_tracked_;
  PipelineSeries<prometheus::Counter> tokens_abandoned_;
  PipelineSeries<prometheus::Gauge> pipeline_up_;
  PipelineSeries<prometheus::Counter> incarnations_;
  PipelineSeries<prometheus::Gauge> incarnation_start_;
  PipelineSeries<prometheus::Gauge> resumed_from_checkpoint_;
  PipelineSeries<prometheus::Counter> upstream_requests_;
  HistogramSeries upstream_duration_;
  prometheus::Family<prometheus::Counter>& kube_requests_;
  prometheus::Family<prometheus::Counter>& watch_restarts_;
  prometheus::Family<prometheus::Counter>& watch_events_;
};

}  // namespace sidecar
