// Section 2: how much of the clients' polling reaches the pipeline. Many clients poll tokens
// that stay in progress (the simulator is paused: steps are initiated and label the tokens, none
// completes), and the simulator counts the requests it gets.
#include <chrono>
#include <cmath>
#include <string>

#include "runner/load_run.h"
#include "runner/sections.h"
#include "runner/served_pipeline.h"
#include "support/http.h"

namespace sidecar::bench {
namespace {

constexpr char kAmplificationSection[] = "2 amplification";

// The tracker's documented bound per interval (README, "Token tracker").
constexpr int kStatusQueriesPerEndpoint = 2;
constexpr int kStatsPerPipeline = 1;

struct UpstreamCounts {
  double completion_status = 0;
  double stats = 0;
};

UpstreamCounts ReadCounts(ServedPipeline& served) {
  const testing::HttpResult counts = testing::HttpGet(served.sim().url() + "/sim/requests");
  Expect(counts.status, 200, "the simulator's request counts");
  const web::json::value json = counts.Json();
  return {json.at("completion_status").as_double(), json.at("stats").as_double()};
}

std::string Tables(int count) {
  std::string tables;
  for (int i = 0; i < count; ++i) tables += (i ? ",t" : "t") + std::to_string(i);
  return tables;
}

}  // namespace

SectionResult RunAmplificationSection(BenchContext& context) {
  const Plan& plan = context.plan;
  const int endpoints = plan.amplification_endpoints;
  SectionResult result;

  ServedPipelineOptions options;
  options.sim_flags = {"--tables", Tables(endpoints)};
  ServedPipeline served(context.launcher, options);
  served.SimControl("/sim/pause");
  std::string targets;
  for (int i = 0; i < plan.amplification_tokens; ++i) {
    targets += ServedPipeline::StatusTarget(served.Ingest("t" + std::to_string(i % endpoints)));
    targets += "\n";
  }
  const std::string targets_file = context.launcher.WriteFile("in-progress-targets", targets);

  const double per_second = 1000.0 / kTrackerIntervalMs;
  for (int clients : plan.amplification_clients) {
    served.SimControl("/sim/requests/reset");
    const auto began = std::chrono::steady_clock::now();
    const LoadRun polls =
        DriveTargets(context.launcher, served.service().url(), targets_file, "cycle",
                     served.service().pid(), clients, plan.amplification_load);
    const UpstreamCounts upstream = ReadCounts(served);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    // Intervals that began within the window, counting the one under way at its start.
    const double intervals = std::ceil(seconds * per_second) + 1;
    const double status_per_endpoint = upstream.completion_status / endpoints / seconds;
    const double stats_per_second = upstream.stats / seconds;
    const bool bounded =
        upstream.completion_status <= kStatusQueriesPerEndpoint * endpoints * intervals &&
        upstream.stats <= kStatsPerPipeline * intervals;
    const double upstream_total = (upstream.completion_status + upstream.stats) / seconds;
    result.rows.push_back(
        {kAmplificationSection,
         std::to_string(plan.amplification_tokens) + " in-progress tokens, " +
             std::to_string(endpoints) + " endpoints, " + std::to_string(clients) +
             " clients polling: upstream requests/s",
         FormatNumber(status_per_endpoint) + " completion_status/s per endpoint, " +
             FormatNumber(stats_per_second) + " /stats/s; clients got " +
             FormatCount(polls.load.requests_per_second()) + " answers/s",
         "clients' polls ÷ upstream requests = " +
             FormatRatio(polls.load.requests_per_second() / std::max(upstream_total, 1.0)),
         "≤ " + std::to_string(kStatusQueriesPerEndpoint) + " per endpoint and " +
             std::to_string(kStatsPerPipeline) + " /stats per " +
             std::to_string(kTrackerIntervalMs) + " ms interval (" +
             FormatCount(kStatusQueriesPerEndpoint * per_second) + "/s, " +
             FormatCount(kStatsPerPipeline * per_second) + "/s), whatever the clients",
         bounded ? Verdict::kMet : Verdict::kMissed});
  }
  result.notes.push_back(
      "Section 2: the simulator is paused, so every token stays in progress with a step label; "
      "wrk's connections are the clients, each polling without pause and cycling through the "
      "tokens. The bound is checked on the counts: at most 2 completion_status per endpoint and 1 "
      "/stats per tracker interval (" +
      std::to_string(kTrackerIntervalMs) + " ms) that began in the window.");
  return result;
}

}  // namespace sidecar::bench
