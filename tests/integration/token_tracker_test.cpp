// The token tracker, end to end: tokens the service hands out or is asked about are followed to
// completion with nobody polling, measured in /metrics, dropped when their incarnation ends, and
// bounded; and the pipeline's load stays within the documented ration whatever clients do.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>
#include <vector>

#include "service_harness.h"
#include "support/process.h"

namespace sidecar::testing {
namespace {

using namespace std::chrono_literals;

const std::string kIngressLatency =
    "feldera_completion_token_latency_seconds_count{pipeline=\"\",pipeline_name=\"demo\","
    "source=\"ingress\"}";
const std::string kTracked =
    "feldera_completion_tokens_tracked{pipeline=\"\",pipeline_name=\"demo\"}";

std::string Abandoned(const std::string& reason) {
  const std::string series =
      "feldera_completion_tokens_abandoned_total{pipeline=\"\",pipeline_name=\"demo\",";
  return series + "reason=\"" + reason + "\"}";
}

// Waits until the service's metric `series` has exactly `value`.
::testing::AssertionResult MetricReaches(ServiceHarness& h, const std::string& series,
                                         double value) {
  std::optional<double> seen;
  if (WaitUntil([&] { return (seen = h.ServiceMetric(series)) == value; })) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << series << " is " << (seen ? std::to_string(*seen) : "absent") << ", not " << value;
}

TEST(TokenTracker, IngestedTokensAreTimedWithNobodyPolling) {
  HarnessOptions options;
  options.step_delay_ms = 300;
  ServiceHarness h(options);
  for (int i = 0; i < 10; ++i) ASSERT_FALSE(h.Ingest().empty());
  ASSERT_TRUE(MetricReaches(h, kIngressLatency, 10));
  EXPECT_TRUE(MetricReaches(h, kTracked, 0));
  EXPECT_GE(h.SimRequests("completion_status"), 1);  // the tracker asked: no client did
  // Never reported before the pipeline completed the step: at least the simulator's delay, less
  // the moment between the simulator making the token and the service reading it.
  const double sum =
      h.ServiceMetric(
           "feldera_completion_token_latency_seconds_sum{pipeline=\"\",pipeline_name=\"demo\","
           "source=\"ingress\"}")
          .value_or(0);
  EXPECT_GE(sum / 10, 0.25);
  EXPECT_LE(sum / 10, 0.3 + 2.0);  // consistent with the delay (a loose bound: a shared machine)
}

TEST(TokenTracker, EachSourceIsCountedUnderItsOwnLabel) {
  ServiceHarness h;
  HttpResult proxied = HttpGet(
      h.ServiceUrl("/v0/pipelines/demo/tables/numbers/connectors/api-ingress/completion_token"));
  ASSERT_EQ(proxied.status, 200) << proxied.body;
  // A token the service did not hand out is tracked from the first time it is asked about.
  HttpResult direct = HttpPost(h.SimUrl("/ingress/numbers?format=json"), "{\"n\":1}\n");
  ASSERT_EQ(direct.status, 200) << direct.body;
  const std::string token = direct.Json().at("token").as_string();
  HttpResult first = h.Status(token);
  ASSERT_TRUE(first.status == 200 || first.status == 202) << first.body;
  const std::string count =
      "feldera_completion_token_latency_seconds_count{pipeline=\"\",pipeline_name=\"demo\",";
  if (first.status == 202) {
    EXPECT_TRUE(MetricReaches(h, count + "source=\"status_request\"}", 1));
  }
  EXPECT_TRUE(MetricReaches(h, count + "source=\"completion_token\"}", 1));
  EXPECT_TRUE(MetricReaches(h, kTracked, 0));
}

TEST(TokenTracker, TokensOfAnEndedIncarnationAreAbandoned) {
  ServiceHarness h;
  h.Sim("/sim/pause");  // steps stop completing: the tokens stay in progress
  for (int i = 0; i < 5; ++i) ASSERT_FALSE(h.Ingest().empty());
  ASSERT_TRUE(MetricReaches(h, kTracked, 5));
  h.Sim("/sim/restart");
  EXPECT_TRUE(MetricReaches(h, Abandoned("incarnation_ended"), 5));
  EXPECT_TRUE(MetricReaches(h, kTracked, 0));
  EXPECT_EQ(h.ServiceMetric(kIngressLatency).value_or(0), 0);
}

TEST(TokenTracker, OverflowBeyondMaxTokensIsCountedNotKept) {
  HarnessOptions options;
  options.extra_yaml = "tracker:\n  max_tokens: 3\n";
  ServiceHarness h(options);
  h.Sim("/sim/pause");
  for (int i = 0; i < 5; ++i) ASSERT_FALSE(h.Ingest().empty());
  EXPECT_TRUE(MetricReaches(h, kTracked, 3));
  EXPECT_TRUE(MetricReaches(h, Abandoned("overflow"), 2));
  // Completion gives the places back; the tracked ones are timed.
  h.Sim("/sim/resume");
  EXPECT_TRUE(MetricReaches(h, kTracked, 0));
  EXPECT_TRUE(MetricReaches(h, kIngressLatency, 3));
}

// The documented bound (README, "Token tracker"): per tracker interval, at most two
// completion_status queries per endpoint and one /stats per pipeline. The ticker cannot tick more
// often than its interval, so a window of W spans at most W / interval + 2 rations, and the
// pipeline sees at most 2 * (W / interval + 2) queries and W / interval + 2 probes (plus one of
// each that may have been in flight when the simulator's counters were reset), whatever the
// number of tokens and clients.
TEST(TokenTracker, UpstreamLoadStaysWithinTheRationWhateverTheClients) {
  HarnessOptions options;
  options.step_delay_ms = 60000;  // every token stays in progress: the tracker's worst case
  ServiceHarness h(options);
  constexpr int kTokens = 2000;
  constexpr int kPollers = 32;
  std::vector<std::string> tokens;
  for (int i = 0; i < kTokens; ++i) tokens.push_back(h.Ingest());
  ASSERT_TRUE(MetricReaches(h, kTracked, kTokens));

  h.Sim("/sim/requests/reset");
  const auto start = std::chrono::steady_clock::now();
  std::atomic<int> answered{0};
  std::atomic<int> wrong{0};
  std::vector<std::thread> pollers;
  for (int p = 0; p < kPollers; ++p) {
    pollers.emplace_back([&, p] {
      std::mt19937 random(p);
      while (std::chrono::steady_clock::now() - start < 2s) {
        const HttpResult r = h.Status(tokens[random() % tokens.size()]);
        (r.status == 202 ? answered : wrong)++;
      }
    });
  }
  for (auto& t : pollers) t.join();
  const int queries = h.SimRequests("completion_status");
  const int probes = h.SimRequests("stats");
  const double intervals = std::chrono::duration<double>(std::chrono::steady_clock::now() - start) /
                           std::chrono::milliseconds(50);

  EXPECT_EQ(wrong, 0);
  EXPECT_GT(answered, kPollers);
  EXPECT_LE(queries, 2 * (intervals + 2) + 1) << answered << " client requests";
  EXPECT_LE(probes, intervals + 2 + 1);
  EXPECT_EQ(h.ServiceMetric(kTracked), kTokens);
}

}  // namespace
}  // namespace sidecar::testing
