// Section 3: from the pipeline completing a step to the client seeing 200. Each cycle pauses
// the simulator, pushes tokens through the service, starts a long-polling client and a client
// polling on Feldera's Python schedule per token, each at a random moment of a window, and then
// resumes the simulator. The moment the step completes is found by polling the simulator itself
// every millisecond.
#include <algorithm>
#include <chrono>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "runner/http_session.h"
#include "runner/latency_samples.h"
#include "runner/sections.h"
#include "runner/served_pipeline.h"
#include "support/http.h"

namespace sidecar::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Seen = std::optional<Clock::time_point>;

constexpr char kNotificationSection[] = "3 notification";
constexpr int kLongPollWaitMs = 30000;
// A client that has not seen its token complete by then has failed.
constexpr auto kClientDeadline = std::chrono::seconds(60);
// Feldera's Python client (FelderaClient.wait_for_token): 0.1 s × 1.2^n, capped at 5 s.
constexpr double kPythonFirstDelaySeconds = 0.1;
constexpr double kPythonBackoff = 1.2;
constexpr double kPythonMaxDelaySeconds = 5.0;

void LongPoll(const std::string& url, Clock::time_point start, Seen* seen) {
  std::this_thread::sleep_until(start);
  while (Clock::now() < start + kClientDeadline) {
    const testing::HttpResult answer =
        testing::HttpGet(url, std::chrono::milliseconds(kLongPollWaitMs + 10000));
    if (answer.status == 200) {
      *seen = Clock::now();
      return;
    }
    if (answer.status != 202) return;
  }
}

void PollLikeFelderaPython(const std::string& url, Clock::time_point start, Seen* seen) {
  std::this_thread::sleep_until(start);
  double delay = kPythonFirstDelaySeconds;
  while (Clock::now() < start + kClientDeadline) {
    const testing::HttpResult answer = testing::HttpGet(url);
    if (answer.status == 200) {
      *seen = Clock::now();
      return;
    }
    if (answer.status != 202) return;
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    delay = std::min(delay * kPythonBackoff, kPythonMaxDelaySeconds);
  }
}

// Polls the simulator itself until `token` is complete; returns when it first was seen so.
Clock::time_point WatchCompletion(const std::string& sim_url, const std::string& token) {
  HttpSession sim(sim_url);
  const std::string target = "/completion_status?token=" + web::uri::encode_data_string(token);
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < deadline) {
    const testing::HttpResult answer = sim.Get(target);
    if (answer.status == 200 && answer.body.find("\"complete\"") != std::string::npos) {
      return Clock::now();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  throw std::runtime_error("the simulator never completed the step");
}

struct Latencies {
  std::vector<double> long_poll_ms;
  std::vector<double> python_ms;
  int failures = 0;
};

void Collect(const std::vector<Seen>& seen, Clock::time_point completed, std::vector<double>& into,
             int& failures) {
  for (const Seen& at : seen) {
    if (!at) {
      ++failures;
      continue;
    }
    // The simulator is polled every millisecond, so the service may see completion first.
    into.push_back(
        std::max(0.0, std::chrono::duration<double, std::milli>(*at - completed).count()));
  }
}

void RunCycle(ServedPipeline& served, const Plan& plan, std::mt19937& random, Latencies& out) {
  served.SimControl("/sim/pause");
  std::vector<std::string> tokens;
  for (int i = 0; i < plan.notification_tokens_per_cycle; ++i) tokens.push_back(served.Ingest());

  const auto start = Clock::now();
  std::uniform_int_distribution<int> offset_ms(0,
                                               static_cast<int>(plan.notification_window.count()));
  std::vector<Seen> long_poll_seen(tokens.size());
  std::vector<Seen> python_seen(tokens.size());
  std::vector<std::thread> clients;
  const std::string base = served.service().url();
  for (size_t i = 0; i < tokens.size(); ++i) {
    clients.emplace_back(LongPoll, base + ServedPipeline::StatusTarget(tokens[i], kLongPollWaitMs),
                         start + std::chrono::milliseconds(offset_ms(random)), &long_poll_seen[i]);
    clients.emplace_back(PollLikeFelderaPython, base + ServedPipeline::StatusTarget(tokens[i]),
                         start + std::chrono::milliseconds(offset_ms(random)), &python_seen[i]);
  }
  std::this_thread::sleep_until(start + plan.notification_window);
  served.SimControl("/sim/resume");
  const Clock::time_point completed = WatchCompletion(served.sim().url(), tokens.back());
  for (std::thread& client : clients) client.join();
  Collect(long_poll_seen, completed, out.long_poll_ms, out.failures);
  Collect(python_seen, completed, out.python_ms, out.failures);
}

std::string Summary(const std::vector<double>& ms) {
  return "p50 " + FormatMillis(Percentile(ms, 50).value_or(0)) + " · p99 " +
         FormatMillis(Percentile(ms, 99).value_or(0)) + " · max " +
         FormatMillis(Percentile(ms, 100).value_or(0)) + " (" + std::to_string(ms.size()) +
         " samples)";
}

}  // namespace

SectionResult RunNotificationSection(BenchContext& context) {
  const Plan& plan = context.plan;
  // Steps are initiated every 5 ms and are due 20 ms later: the pause decides when they complete.
  ServedPipelineOptions options;
  options.sim_flags = {"--step-interval-ms", "5", "--step-delay-ms", "20"};
  ServedPipeline served(context.launcher, options);
  std::mt19937 random(20250508);  // fixed: every run draws the same start moments
  Latencies latencies;
  for (int cycle = 0; cycle < plan.notification_cycles; ++cycle) {
    RunCycle(served, plan, random, latencies);
  }
  if (latencies.failures > 0 || latencies.long_poll_ms.empty() || latencies.python_ms.empty()) {
    throw std::runtime_error(std::to_string(latencies.failures) +
                             " clients never saw their token complete");
  }

  const double bound_ms = 2.0 * kTrackerIntervalMs;
  const double long_poll_p99 = *Percentile(latencies.long_poll_ms, 99);
  const double python_p99 = *Percentile(latencies.python_ms, 99);
  SectionResult result;
  result.rows.push_back(
      {kNotificationSection, "long-poll (wait_ms): step completed → client sees 200",
       Summary(latencies.long_poll_ms), FormatRatio(long_poll_p99 / bound_ms) + " bound (p99)",
       "p99 ≤ " + FormatMillis(bound_ms) + " (2 × tracker interval)",
       AtMost(long_poll_p99, bound_ms)});
  result.rows.push_back(
      {kNotificationSection,
       "Feldera Python client's polling (0.1 s × 1.2ⁿ, cap 5 s), through the service",
       Summary(latencies.python_ms),
       "long-poll p99 = " + FormatRatio(long_poll_p99 / std::max(python_p99, 0.001)) + " this",
       "report", Verdict::kNoTarget});
  result.notes.push_back(
      "Section 3: clients start 0–" + std::to_string(plan.notification_window.count()) +
      " ms before the step completes (uniformly at random, fixed seed); completion is timed by "
      "polling the simulator every 1 ms, so latencies may read up to ~1 ms short.");
  return result;
}

}  // namespace sidecar::bench
