// The running binary's /metrics, checked by real Prometheus tools: promtool on a live scrape, the
// dashboard's and rules' metric names against what the binary declares, and a real Prometheus
// server scraping it while tokens flow through the simulator and the simulator restarts.
#include <gtest/gtest.h>

#include <cmath>

#include "integration/service_harness.h"
#include "metrics/deploy_artefacts.h"
#include "metrics/prometheus_server.h"
#include "metrics/promtool.h"

namespace sidecar::testing {
namespace {

using namespace std::chrono_literals;

// The simulator completes a step this long after initiating it; token latencies cannot be less
// (but for the moment between the simulator making a token and the service reading it).
constexpr int kStepDelayMs = 300;

HarnessOptions WithStepDelay() {
  HarnessOptions options;
  options.step_delay_ms = kStepDelayMs;
  return options;
}

// Traffic that gives every kind of series the standalone service has a sample: statuses 200,
// 202, 404, a tracked and completed token, a restart.
void ExerciseEveryPath(ServiceHarness& h) {
  const std::string token = h.Ingest();
  EXPECT_EQ(h.Status(token).status, 202);
  EXPECT_EQ(h.Status(token, "&wait_ms=5000").status, 200);
  EXPECT_EQ(HttpGet(h.ServiceUrl("/v0/pipelines/nope/completion_status?token=x")).status, 404);
  h.Sim("/sim/restart?checkpoint=true");
  EXPECT_TRUE(WaitUntil([&] { return h.Status(token).status == 410; }));
}

TEST(LiveScrape, PromtoolAcceptsTheBinarysExposition) {
  ASSERT_FALSE(PromtoolPath().empty())
      << "promtool not found: install the Debian package prometheus";
  ServiceHarness h(WithStepDelay());
  ExerciseEveryPath(h);
  const HttpResult scrape = HttpGet(h.ServiceUrl("/metrics"));
  ASSERT_EQ(scrape.status, 200);
  EXPECT_NE(scrape.body.find("feldera_completion_token_latency_seconds_bucket{"),
            std::string::npos);
  const PromtoolRun run = RunPromtoolOnInput({"check", "metrics"}, scrape.body);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output, "") << "lint findings:\n" << run.output;
}

TEST(LiveScrape, DashboardAndRulesUseOnlyFamiliesTheBinaryDeclares) {
  ServiceHarness h;
  const HttpResult scrape = HttpGet(h.ServiceUrl("/metrics"));
  ASSERT_EQ(scrape.status, 200);
  const ExportedFamilies exported = FamiliesInExposition(scrape.body);
  EXPECT_TRUE(exported.histograms.contains("feldera_completion_token_latency_seconds"));
  EXPECT_EQ(UnknownMetricNames(DashboardPromQL(LoadDashboard()), WithFelderaFamilies(exported)),
            std::set<std::string>{});
  EXPECT_EQ(UnknownMetricNames(LoadRules().exprs, exported), std::set<std::string>{});
}

class RealPrometheus : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(PrometheusPath().empty())
        << "prometheus not found when the build was configured: install the Debian package";
    prometheus_ = std::make_unique<PrometheusServer>(
        std::vector<std::string>{h_.ServiceUrl("").substr(std::string("http://").size())}, 200ms);
    ASSERT_TRUE(prometheus_->WaitReady()) << prometheus_->Output();
  }

  // Waits until Prometheus's value of `promql` is `expected`.
  ::testing::AssertionResult Reaches(const std::string& promql, double expected) {
    std::optional<double> seen;
    if (WaitUntil([&] { return (seen = prometheus_->QueryValue(promql)) == expected; }, 30s))
      return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << promql << " = " << (seen ? std::to_string(*seen) : "no sample") << ", expected "
           << expected << "\n"
           << prometheus_->Output();
  }

  ServiceHarness h_{WithStepDelay()};
  std::unique_ptr<PrometheusServer> prometheus_;
};

TEST_F(RealPrometheus, TokenLatencyAndIncarnationsAsPrometheusSeesThem) {
  ASSERT_TRUE(Reaches("up{job=\"completion-sidecar\"}", 1));
  ASSERT_TRUE(Reaches("sum(feldera_pipeline_incarnations_total{pipeline_name=\"demo\"})", 1));
  // Standalone, the service does not know Feldera's id for the pipeline: `pipeline` is empty,
  // which Prometheus stores as no label at all.
  EXPECT_TRUE(Reaches("count(feldera_pipeline_up{pipeline_name=\"demo\",pipeline=\"\"})", 1));

  // One token first, so the histogram's series exist before the main batch: rate() over them
  // then sees the batch as an increase.
  ASSERT_FALSE(h_.Ingest().empty());
  const std::string count =
      "sum(feldera_completion_token_latency_seconds_count{pipeline_name=\"demo\","
      "source=\"ingress\"})";
  ASSERT_TRUE(Reaches(count, 1));
  for (int i = 0; i < 20; ++i) ASSERT_FALSE(h_.Ingest().empty());
  ASSERT_TRUE(Reaches(count, 21));

  // Latencies consistent with the simulator's delay: never below it (the service never reports a
  // token complete before the pipeline completed it), and within a few buckets above it.
  const std::optional<double> p50 = prometheus_->QueryValue(
      "histogram_quantile(0.5, sum by (le) "
      "(feldera_completion_token_latency_seconds_bucket{pipeline_name=\"demo\"}))");
  ASSERT_TRUE(p50.has_value());
  EXPECT_GE(*p50, 0.25);
  EXPECT_LE(*p50, 2.5);
  // The recording rule of deploy/prometheus/rules.yaml, evaluated by Prometheus itself.
  std::optional<double> recorded;
  ASSERT_TRUE(WaitUntil(
      [&] {
        recorded = prometheus_->QueryValue(
            "pipeline_quantile:feldera_completion_token_latency_seconds:histogram_quantile_5m{"
            "pipeline_name=\"demo\",quantile=\"0.5\"}");
        return recorded.has_value() && !std::isnan(*recorded);
      },
      30s));
  EXPECT_GE(*recorded, 0.25);
  EXPECT_LE(*recorded, 2.5);

  // A restart from a checkpoint is a new incarnation, counted with why the old one ended.
  h_.ResumeSimFromCheckpoint();
  EXPECT_TRUE(Reaches("sum(feldera_pipeline_incarnations_total{pipeline_name=\"demo\"})", 2));
  EXPECT_TRUE(Reaches(
      "feldera_pipeline_incarnations_total{pipeline_name=\"demo\",reason=\"Restarted\"}", 1));
  EXPECT_TRUE(Reaches("feldera_pipeline_resumed_from_checkpoint{pipeline_name=\"demo\"}", 1));

  for (const auto& [rule, health] : prometheus_->RuleHealth())
    EXPECT_EQ(health, "ok") << rule << "\n" << prometheus_->Output();
  EXPECT_GE(prometheus_->RuleHealth().size(), 5u);
}

}  // namespace
}  // namespace sidecar::testing
