// The /metrics text passes the real `promtool check metrics` (parser and linter).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "metrics/metrics.h"
#include "metrics/promtool.h"

namespace sidecar::testing {
namespace {

class ExpositionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(PromtoolPath().empty())
        << "promtool was not found when the build was configured; install the Debian package "
           "`prometheus` and configure again";
  }

  void ExpectPromtoolAccepts(const std::string& text) {
    const PromtoolRun run = RunPromtoolOnInput({"check", "metrics"}, text);
    EXPECT_EQ(run.exit_code, 0) << run.output << "\n--- exposition ---\n" << text;
    EXPECT_EQ(run.output, "") << "lint findings\n--- exposition ---\n" << text;
  }
};

TEST_F(ExpositionTest, FreshServiceExpositionPasses) {
  const Metrics metrics;
  ExpectPromtoolAccepts(metrics.Scrape());
}

TEST_F(ExpositionTest, ExpositionWithEveryFamilyAndAwkwardValuesPasses) {
  Metrics metrics;
  for (const char* pipeline : {"orders", "billing", Metrics::kUnknownPipeline}) {
    for (int code : {200, 202, 400, 404, 410, 500, 503})
      metrics.ObserveStatusRequest(pipeline, code, 0.0004 * code);
    for (std::string_view source : kTokenSources)
      metrics.ObserveTokenLatency(pipeline, source, 0.25);
    metrics.SetTokensTracked(pipeline, 1'000'000);
    metrics.CountTokenAbandoned(pipeline, "overflow", 17);
    metrics.SetPipelineUp(pipeline, false);
    metrics.CountIncarnation(pipeline, "Evicted");
    metrics.SetIncarnationStart(pipeline, 1746728411.651);
    metrics.SetResumedFromCheckpoint(pipeline, true);
    for (std::string_view request : kUpstreamRequests)
      metrics.ObserveUpstreamRequest(pipeline, request, "unreachable", 5.0);
  }
  // Values a careless caller might pass: they must still give a valid exposition.
  metrics.ObserveStatusRequest("we\"ird\\name\n", -1, std::numeric_limits<double>::infinity());
  metrics.ObserveTokenLatency("orders", "ingress", std::nan(""));
  metrics.SetIncarnationStart("orders", -1e300);
  metrics.ObserveUpstreamRequest("\xff\xfe", "stats\"", "ok\n", 0);
  metrics.CountHttpRequest("metrics", 200);
  for (std::string_view verb : kKubeVerbs) metrics.CountKubeRequest(verb, "transport_error");
  for (std::string_view reason : kWatchRestartReasons) metrics.CountWatchRestart(reason);
  for (std::string_view type : kWatchEventTypes) metrics.CountWatchEvent(type);
  ExpectPromtoolAccepts(metrics.Scrape());
}

// The check above can fail: promtool rejects what breaks the format or the conventions.
TEST_F(ExpositionTest, PromtoolRejectsABrokenExposition) {
  const PromtoolRun broken = RunPromtoolOnInput({"check", "metrics"}, "a{b=\"c} 1\n");
  EXPECT_NE(broken.exit_code, 0) << broken.output;
  const PromtoolRun unconventional = RunPromtoolOnInput(
      {"check", "metrics"}, "# HELP requests Requests.\n# TYPE requests counter\nrequests 1\n");
  EXPECT_NE(unconventional.exit_code, 0);
  EXPECT_NE(unconventional.output.find("_total"), std::string::npos) << unconventional.output;
}

}  // namespace
}  // namespace sidecar::testing
