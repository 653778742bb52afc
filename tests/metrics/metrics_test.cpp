#include "metrics/metrics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace sidecar {
namespace {

using Labels = std::map<std::string, std::string>;

const prometheus::MetricFamily* FindFamily(const std::vector<prometheus::MetricFamily>& families,
                                           const std::string& name) {
  for (const auto& family : families) {
    if (family.name == name) return &family;
  }
  return nullptr;
}

// The series of family `name` with exactly `labels`, from a fresh Collect().
std::optional<prometheus::ClientMetric> Series(const Metrics& metrics, const std::string& name,
                                               const Labels& labels) {
  const auto families = metrics.Collect();
  const auto* family = FindFamily(families, name);
  if (family == nullptr) return std::nullopt;
  for (const auto& metric : family->metric) {
    Labels found;
    for (const auto& label : metric.label) found[label.name] = label.value;
    if (found == labels) return metric;
  }
  return std::nullopt;
}

// The labels of a series of the pipeline named `name`, whose id the metrics were not told, plus
// `more`.
Labels OfPipeline(const std::string& name, Labels more = {}) {
  more["pipeline_name"] = name;
  more["pipeline"] = "";
  return more;
}

size_t SeriesCount(const Metrics& metrics, const std::string& name) {
  const auto families = metrics.Collect();
  const auto* family = FindFamily(families, name);
  return family == nullptr ? 0 : family->metric.size();
}

double CounterValue(const Metrics& metrics, const std::string& name, const Labels& labels) {
  const auto series = Series(metrics, name, labels);
  return series ? series->counter.value : -1;
}

double GaugeValue(const Metrics& metrics, const std::string& name, const Labels& labels) {
  const auto series = Series(metrics, name, labels);
  return series ? series->gauge.value : -1;
}

uint64_t HistogramCount(const Metrics& metrics, const std::string& name, const Labels& labels) {
  const auto series = Series(metrics, name, labels);
  return series ? series->histogram.sample_count : 0;
}

// One call of every recording method.
void RecordOneOfEach(Metrics& metrics) {
  metrics.ObserveStatusRequest("orders", 200, 0.002);
  metrics.CountHttpRequest("ingress", 200);
  metrics.ObserveTokenLatency("orders", "ingress", 0.5);
  metrics.SetTokensTracked("orders", 12);
  metrics.CountTokenAbandoned("orders", "incarnation_ended", 3);
  metrics.SetPipelineUp("orders", true);
  metrics.CountIncarnation("orders", "OOMKilled");
  metrics.SetIncarnationStart("orders", 1746728411.651);
  metrics.SetResumedFromCheckpoint("orders", true);
  metrics.ObserveUpstreamRequest("orders", "completion_status", "ok", 0.003);
  metrics.CountKubeRequest("watch", "ok");
  metrics.CountWatchRestart("closed");
  metrics.CountWatchEvent("MODIFIED");
}

TEST(MetricsFamiliesTest, FamilyNamesAreTheIssuesNamesEachOnce) {
  const std::set<std::string> expected = {
      "feldera_completion_token_latency_seconds",
      "feldera_completion_tokens_tracked",
      "feldera_completion_tokens_abandoned_total",
      "feldera_completion_status_requests_total",
      "feldera_completion_status_request_duration_seconds",
      "completion_sidecar_http_requests_total",
      "feldera_pipeline_up",
      "feldera_pipeline_incarnations_total",
      "feldera_pipeline_incarnation_start_time_seconds",
      "feldera_pipeline_resumed_from_checkpoint",
      "completion_sidecar_upstream_requests_total",
      "completion_sidecar_upstream_request_duration_seconds",
      "completion_sidecar_kube_requests_total",
      "completion_sidecar_kube_watch_restarts_total",
      "completion_sidecar_kube_watch_events_total",
      "process_cpu_seconds_total",
      "process_resident_memory_bytes",
      "process_virtual_memory_bytes",
      "process_open_fds",
      "process_max_fds",
      "process_start_time_seconds",
  };
  const auto& names = Metrics::FamilyNames();
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), expected);
  EXPECT_EQ(names.size(), expected.size()) << "a family is listed twice";
}

TEST(MetricsFamiliesTest, EveryFamilyIsListedWithHelpBeforeAnyValue) {
  const Metrics metrics;
  const auto families = metrics.Collect();
  const auto& names = Metrics::FamilyNames();
  ASSERT_EQ(families.size(), names.size());
  for (size_t i = 0; i < families.size(); ++i) {
    EXPECT_EQ(families[i].name, names[i]);
    EXPECT_FALSE(families[i].help.empty()) << families[i].name;
    const bool process = families[i].name.starts_with("process_");
    EXPECT_EQ(families[i].metric.empty(), !process) << families[i].name;
  }
  const std::string text = metrics.Scrape();
  for (const auto& name : names)
    EXPECT_NE(text.find("# HELP " + name + " "), std::string::npos) << name;
}

TEST(MetricsFamiliesTest, TypesFollowTheNamingConventions) {
  Metrics metrics;
  const auto before = metrics.Collect();
  RecordOneOfEach(metrics);
  const auto after = metrics.Collect();
  ASSERT_EQ(before.size(), after.size());
  const std::regex valid_name("[a-z_][a-z0-9_]*");
  for (size_t i = 0; i < after.size(); ++i) {
    const auto& family = after[i];
    SCOPED_TRACE(family.name);
    // The type listed before any value is the type of the registered family.
    EXPECT_EQ(before[i].type, family.type);
    EXPECT_FALSE(family.metric.empty());
    EXPECT_TRUE(std::regex_match(family.name, valid_name));
    EXPECT_EQ(family.name.ends_with("_total"), family.type == prometheus::MetricType::Counter);
    if (family.type == prometheus::MetricType::Histogram) {
      EXPECT_TRUE(family.name.ends_with("_seconds"));
    }
  }
}

TEST(MetricsRecordingTest, EachMethodRecordsInItsFamilyWithItsLabels) {
  Metrics metrics;
  RecordOneOfEach(metrics);
  EXPECT_EQ(CounterValue(metrics, "feldera_completion_status_requests_total",
                         OfPipeline("orders", {{"code", "200"}})),
            1);
  EXPECT_EQ(HistogramCount(metrics, "feldera_completion_status_request_duration_seconds",
                           OfPipeline("orders")),
            1u);
  EXPECT_EQ(CounterValue(metrics, "completion_sidecar_http_requests_total",
                         {{"route", "ingress"}, {"code", "200"}}),
            1);
  EXPECT_EQ(HistogramCount(metrics, "feldera_completion_token_latency_seconds",
                           OfPipeline("orders", {{"source", "ingress"}})),
            1u);
  EXPECT_EQ(GaugeValue(metrics, "feldera_completion_tokens_tracked", OfPipeline("orders")), 12);
  EXPECT_EQ(CounterValue(metrics, "feldera_completion_tokens_abandoned_total",
                         OfPipeline("orders", {{"reason", "incarnation_ended"}})),
            3);
  EXPECT_EQ(GaugeValue(metrics, "feldera_pipeline_up", OfPipeline("orders")), 1);
  EXPECT_EQ(CounterValue(metrics, "feldera_pipeline_incarnations_total",
                         OfPipeline("orders", {{"reason", "OOMKilled"}})),
            1);
  EXPECT_EQ(
      GaugeValue(metrics, "feldera_pipeline_incarnation_start_time_seconds", OfPipeline("orders")),
      1746728411.651);
  EXPECT_EQ(GaugeValue(metrics, "feldera_pipeline_resumed_from_checkpoint", OfPipeline("orders")),
            1);
  EXPECT_EQ(
      CounterValue(metrics, "completion_sidecar_upstream_requests_total",
                   OfPipeline("orders", {{"request", "completion_status"}, {"outcome", "ok"}})),
      1);
  EXPECT_EQ(HistogramCount(metrics, "completion_sidecar_upstream_request_duration_seconds",
                           OfPipeline("orders", {{"request", "completion_status"}})),
            1u);
  EXPECT_EQ(CounterValue(metrics, "completion_sidecar_kube_requests_total",
                         {{"verb", "watch"}, {"outcome", "ok"}}),
            1);
  EXPECT_EQ(
      CounterValue(metrics, "completion_sidecar_kube_watch_restarts_total", {{"reason", "closed"}}),
      1);
  EXPECT_EQ(
      CounterValue(metrics, "completion_sidecar_kube_watch_events_total", {{"type", "MODIFIED"}}),
      1);
}

TEST(MetricsRecordingTest, RepeatedCallsAccumulateOrOverwrite) {
  Metrics metrics;
  for (int i = 0; i < 5; ++i) {
    metrics.ObserveStatusRequest("orders", 202, 0.001);
    metrics.SetTokensTracked("orders", i);
  }
  metrics.SetPipelineUp("orders", true);
  metrics.SetPipelineUp("orders", false);
  metrics.SetResumedFromCheckpoint("orders", false);
  EXPECT_EQ(CounterValue(metrics, "feldera_completion_status_requests_total",
                         OfPipeline("orders", {{"code", "202"}})),
            5);
  EXPECT_EQ(HistogramCount(metrics, "feldera_completion_status_request_duration_seconds",
                           OfPipeline("orders")),
            5u);
  EXPECT_EQ(GaugeValue(metrics, "feldera_completion_tokens_tracked", OfPipeline("orders")), 4);
  EXPECT_EQ(GaugeValue(metrics, "feldera_pipeline_up", OfPipeline("orders")), 0);
  EXPECT_EQ(GaugeValue(metrics, "feldera_pipeline_resumed_from_checkpoint", OfPipeline("orders")),
            0);
}

TEST(MetricsRecordingTest, TokenLatencyBucketsSpanOneMillisecondToOneHour) {
  Metrics metrics;
  metrics.ObserveTokenLatency("orders", "status_request", 4000);
  const auto series = Series(metrics, "feldera_completion_token_latency_seconds",
                             OfPipeline("orders", {{"source", "status_request"}}));
  ASSERT_TRUE(series.has_value());
  const auto& buckets = series->histogram.bucket;
  ASSERT_GE(buckets.size(), 3u);
  EXPECT_EQ(buckets.front().upper_bound, 0.001);
  EXPECT_EQ(buckets[buckets.size() - 2].upper_bound, 3600);
  EXPECT_TRUE(std::isinf(buckets.back().upper_bound));
  EXPECT_TRUE(std::is_sorted(buckets.begin(), buckets.end(), [](const auto& a, const auto& b) {
    return a.upper_bound < b.upper_bound;
  }));
  // 4000 s is above every finite bucket.
  EXPECT_EQ(buckets[buckets.size() - 2].cumulative_count, 0u);
  EXPECT_EQ(buckets.back().cumulative_count, 1u);
}

TEST(MetricsRecordingTest, NegativeOrNaNDurationsAreObservedAsZero) {
  Metrics metrics;
  metrics.ObserveStatusRequest("orders", 200, -3);
  metrics.ObserveTokenLatency("orders", "ingress", std::nan(""));
  metrics.ObserveUpstreamRequest("orders", "stats", "ok", -0.5);
  const auto status =
      Series(metrics, "feldera_completion_status_request_duration_seconds", OfPipeline("orders"));
  const auto token = Series(metrics, "feldera_completion_token_latency_seconds",
                            OfPipeline("orders", {{"source", "ingress"}}));
  const auto upstream = Series(metrics, "completion_sidecar_upstream_request_duration_seconds",
                               OfPipeline("orders", {{"request", "stats"}}));
  ASSERT_TRUE(status && token && upstream);
  for (const auto* series : {&*status, &*token, &*upstream}) {
    EXPECT_EQ(series->histogram.sample_count, 1u);
    EXPECT_EQ(series->histogram.sample_sum, 0);
    EXPECT_EQ(series->histogram.bucket.front().cumulative_count, 1u);
  }
}

TEST(MetricsLabelsTest, UnknownLabelValuesBecomeOther) {
  Metrics metrics;
  metrics.ObserveTokenLatency("orders", "carrier-pigeon", 1);
  metrics.CountTokenAbandoned("orders", "boredom");
  metrics.CountIncarnation("orders", "CosmicRay");
  metrics.ObserveUpstreamRequest("orders", "/v0/secret/path?token=abc", "teapot", 1);
  metrics.CountKubeRequest("delete", "exploded");
  metrics.CountWatchRestart("eclipse");
  metrics.CountWatchEvent("added");  // the protocol spells it ADDED
  metrics.ObserveStatusRequest("orders", 1000, 1);

  EXPECT_EQ(HistogramCount(metrics, "feldera_completion_token_latency_seconds",
                           OfPipeline("orders", {{"source", "other"}})),
            1u);
  EXPECT_EQ(CounterValue(metrics, "feldera_completion_tokens_abandoned_total",
                         OfPipeline("orders", {{"reason", "other"}})),
            1);
  EXPECT_EQ(CounterValue(metrics, "feldera_pipeline_incarnations_total",
                         OfPipeline("orders", {{"reason", "other"}})),
            1);
  EXPECT_EQ(CounterValue(metrics, "completion_sidecar_upstream_requests_total",
                         OfPipeline("orders", {{"request", "other"}, {"outcome", "other"}})),
            1);
  EXPECT_EQ(CounterValue(metrics, "completion_sidecar_kube_requests_total",
                         {{"verb", "other"}, {"outcome", "other"}}),
            1);
  EXPECT_EQ(
      CounterValue(metrics, "completion_sidecar_kube_watch_restarts_total", {{"reason", "other"}}),
      1);
  EXPECT_EQ(
      CounterValue(metrics, "completion_sidecar_kube_watch_events_total", {{"type", "other"}}), 1);
  EXPECT_EQ(CounterValue(metrics, "feldera_completion_status_requests_total",
                         OfPipeline("orders", {{"code", "other"}})),
            1);
}

TEST(MetricsLabelsTest, ManyDistinctBadValuesMakeOneSeries) {
  Metrics metrics;
  for (int i = 0; i < 1000; ++i) {
    metrics.CountWatchRestart("reason-" + std::to_string(i));
    metrics.ObserveStatusRequest("bad name " + std::to_string(i), 200, 0.001);
  }
  EXPECT_EQ(SeriesCount(metrics, "completion_sidecar_kube_watch_restarts_total"), 1u);
  EXPECT_EQ(SeriesCount(metrics, "feldera_completion_status_requests_total"), 1u);
  EXPECT_EQ(CounterValue(metrics, "feldera_completion_status_requests_total",
                         OfPipeline("_invalid", {{"code", "200"}})),
            1000);
}

TEST(MetricsForgetTest, ForgetPipelineRemovesEveryOneOfItsSeriesAndNothingElse) {
  Metrics metrics;
  RecordOneOfEach(metrics);
  metrics.SetPipelineUp("billing", true);
  metrics.ObserveStatusRequest("billing", 404, 0.001);

  metrics.ForgetPipeline("orders");
  for (const auto& family : metrics.Collect()) {
    for (const auto& metric : family.metric) {
      for (const auto& label : metric.label)
        EXPECT_FALSE(label.name == "pipeline_name" && label.value == "orders") << family.name;
    }
  }
  EXPECT_EQ(GaugeValue(metrics, "feldera_pipeline_up", OfPipeline("billing")), 1);
  EXPECT_EQ(CounterValue(metrics, "feldera_completion_status_requests_total",
                         OfPipeline("billing", {{"code", "404"}})),
            1);
  EXPECT_EQ(
      CounterValue(metrics, "completion_sidecar_kube_watch_events_total", {{"type", "MODIFIED"}}),
      1);
  EXPECT_EQ(CounterValue(metrics, "completion_sidecar_http_requests_total",
                         {{"route", "ingress"}, {"code", "200"}}),
            1);

  // A pipeline that comes back starts from zero.
  metrics.CountIncarnation("orders", "FirstSeen");
  EXPECT_EQ(CounterValue(metrics, "feldera_pipeline_incarnations_total",
                         OfPipeline("orders", {{"reason", "FirstSeen"}})),
            1);
  EXPECT_EQ(SeriesCount(metrics, "feldera_pipeline_incarnations_total"), 1u);

  metrics.ForgetPipeline("never-seen");
  metrics.ForgetPipeline("");
}

TEST(MetricsForgetTest, ForgettingWhileOthersRecordIsSafe) {
  Metrics metrics;
  std::atomic<bool> stop{false};
  std::vector<std::thread> recorders;
  for (int t = 0; t < 3; ++t) {
    recorders.emplace_back([&] {
      while (!stop.load()) {
        metrics.ObserveStatusRequest("orders", 200, 0.001);
        metrics.ObserveTokenLatency("orders", "ingress", 0.01);
        metrics.SetTokensTracked("orders", 5);
        metrics.ObserveUpstreamRequest("orders", "stats", "ok", 0.001);
      }
    });
  }
  for (int i = 0; i < 2000; ++i) {
    metrics.ForgetPipeline("orders");
    metrics.Scrape();
  }
  stop.store(true);
  for (auto& thread : recorders) thread.join();

  metrics.ForgetPipeline("orders");
  metrics.ObserveStatusRequest("orders", 200, 0.001);
  EXPECT_EQ(CounterValue(metrics, "feldera_completion_status_requests_total",
                         OfPipeline("orders", {{"code", "200"}})),
            1);
}

constexpr char kOrdersId[] = "0196b120-6203-7b90-b6bd-16890df15e28";
constexpr char kOrdersLabel[] = "pipeline-0196b120-6203-7b90-b6bd-16890df15e28";

// Every label set of the family `name` that has pipeline_name=`pipeline`.
std::set<Labels> LabelSetsOf(const Metrics& metrics, const std::string& name,
                             const std::string& pipeline) {
  std::set<Labels> sets;
  const auto families = metrics.Collect();
  const auto* family = FindFamily(families, name);
  for (const auto& metric : family->metric) {
    Labels labels;
    for (const auto& label : metric.label) labels[label.name] = label.value;
    if (labels["pipeline_name"] == pipeline) sets.insert(labels);
  }
  return sets;
}

TEST(MetricsPipelineIdTest, EveryPipelineSeriesCarriesFelderasPipelineLabel) {
  Metrics metrics;
  EXPECT_TRUE(metrics.SetPipelineId("orders", kOrdersId));
  RecordOneOfEach(metrics);
  std::set<std::string> pipeline_families;
  for (const auto& family : metrics.Collect()) {
    SCOPED_TRACE(family.name);
    for (const auto& metric : family.metric) {
      Labels labels;
      for (const auto& label : metric.label) labels[label.name] = label.value;
      // A family about pipelines has both labels on every series; no other family has either.
      EXPECT_EQ(labels.contains("pipeline"), labels.contains("pipeline_name"));
      if (!labels.contains("pipeline_name")) continue;
      pipeline_families.insert(family.name);
      EXPECT_EQ(labels["pipeline_name"], "orders");
      EXPECT_EQ(labels["pipeline"], kOrdersLabel);
    }
  }
  EXPECT_EQ(pipeline_families.size(), 11u);
  EXPECT_EQ(GaugeValue(metrics, "feldera_pipeline_up",
                       {{"pipeline_name", "orders"}, {"pipeline", kOrdersLabel}}),
            1);
}

TEST(MetricsPipelineIdTest, TheLabelIsFelderasSpellingOfAUuidAndEmptyOtherwise) {
  Metrics metrics;
  metrics.SetPipelineId("upper", "0196B120-6203-7B90-B6BD-16890DF15E28");
  metrics.SetPipelineId("not-a-uuid", "orders");
  metrics.SetPipelineId("empty", "");
  for (const char* name : {"upper", "not-a-uuid", "empty", "never-told"})
    metrics.SetPipelineUp(name, true);
  EXPECT_EQ(GaugeValue(metrics, "feldera_pipeline_up",
                       {{"pipeline_name", "upper"}, {"pipeline", kOrdersLabel}}),
            1);
  for (const char* name : {"not-a-uuid", "empty", "never-told"})
    EXPECT_EQ(GaugeValue(metrics, "feldera_pipeline_up", OfPipeline(name)), 1) << name;
}

TEST(MetricsPipelineIdTest, ANewIdRelabelsThePipelineAndNothingElse) {
  Metrics metrics;
  metrics.CountIncarnation("orders", "FirstSeen");
  metrics.SetPipelineUp("orders", true);
  metrics.CountIncarnation("billing", "FirstSeen");
  EXPECT_FALSE(metrics.SetPipelineId("orders", ""));  // no change: it had no id

  EXPECT_TRUE(metrics.SetPipelineId("orders", kOrdersId));
  EXPECT_FALSE(metrics.SetPipelineId("orders", kOrdersId));
  // The series under the old label are gone; those under the new one start afresh.
  EXPECT_EQ(LabelSetsOf(metrics, "feldera_pipeline_incarnations_total", "orders"),
            std::set<Labels>{});
  EXPECT_EQ(LabelSetsOf(metrics, "feldera_pipeline_up", "orders"), std::set<Labels>{});
  metrics.CountIncarnation("orders", "OOMKilled");
  EXPECT_EQ(
      LabelSetsOf(metrics, "feldera_pipeline_incarnations_total", "orders"),
      (std::set<Labels>{
          {{"pipeline_name", "orders"}, {"pipeline", kOrdersLabel}, {"reason", "OOMKilled"}}}));
  // Another pipeline keeps its series.
  EXPECT_EQ(CounterValue(metrics, "feldera_pipeline_incarnations_total",
                         OfPipeline("billing", {{"reason", "FirstSeen"}})),
            1);

  // Forgotten, the pipeline loses its id too.
  metrics.ForgetPipeline("orders");
  metrics.SetPipelineUp("orders", false);
  EXPECT_EQ(GaugeValue(metrics, "feldera_pipeline_up", OfPipeline("orders")), 0);
}

TEST(MetricsPipelineIdTest, RelabellingWhileOthersRecordLeavesOnlyTheNewLabel) {
  Metrics metrics;
  std::atomic<bool> stop{false};
  std::vector<std::thread> recorders;
  for (int t = 0; t < 3; ++t) {
    recorders.emplace_back([&] {
      while (!stop.load()) {
        metrics.ObserveStatusRequest("orders", 200, 0.001);
        metrics.SetTokensTracked("orders", 5);
        metrics.ObserveUpstreamRequest("orders", "stats", "ok", 0.001);
      }
    });
  }
  for (int i = 0; i < 2000; ++i) {
    metrics.SetPipelineId("orders", i % 2 == 0 ? kOrdersId : "");
    metrics.Scrape();
  }
  metrics.SetPipelineId("orders", kOrdersId);
  // Recorders still running create series under the final label only.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  stop.store(true);
  for (auto& thread : recorders) thread.join();

  for (const char* family :
       {"feldera_completion_status_requests_total", "feldera_completion_tokens_tracked",
        "completion_sidecar_upstream_requests_total"}) {
    const auto sets = LabelSetsOf(metrics, family, "orders");
    EXPECT_EQ(sets.size(), 1u) << family;
    for (const auto& labels : sets) EXPECT_EQ(labels.at("pipeline"), kOrdersLabel) << family;
  }
}

}  // namespace
}  // namespace sidecar
