#include "runner/bench_options.h"

#include <gtest/gtest.h>

namespace sidecar::bench {
namespace {

TEST(BenchOptions, ReadsEveryFlag) {
  const auto options = ParseBenchOptions({"--build-dir", "/b", "--bench-dir", "/s", "--output",
                                          "/o.md", "--smoke", "--revision", "abc", "--note", "n"});
  ASSERT_TRUE(options.ok()) << options.error();
  EXPECT_EQ(options->build_dir, "/b");
  EXPECT_EQ(options->bench_dir, "/s");
  EXPECT_EQ(options->output, "/o.md");
  EXPECT_TRUE(options->smoke);
  EXPECT_EQ(options->revision, "abc");
  EXPECT_EQ(options->note, "n");
  EXPECT_EQ(options->sections, kSections);
}

TEST(BenchOptions, OnlyKeepsTheUsualOrder) {
  const auto options =
      ParseBenchOptions({"--build-dir", "/b", "--bench-dir", "/s", "--only", "micro,status"});
  ASSERT_TRUE(options.ok()) << options.error();
  EXPECT_EQ(options->sections, (std::vector<std::string>{"status", "micro"}));
}

TEST(BenchOptions, RejectsWhatItCannotUse) {
  EXPECT_FALSE(ParseBenchOptions({"--bench-dir", "/s"}).ok());
  EXPECT_FALSE(ParseBenchOptions({"--build-dir", "/b"}).ok());
  EXPECT_FALSE(ParseBenchOptions({"--build-dir"}).ok());
  EXPECT_FALSE(ParseBenchOptions({"--build-dir", "/b", "--bench-dir", "/s", "--fast"}).ok());
  const auto unknown =
      ParseBenchOptions({"--build-dir", "/b", "--bench-dir", "/s", "--only", "status,speed"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().find("speed"), std::string::npos);
}

// The issue's sizes, and a smoke plan that stays small.
TEST(Plan, FullRunMeasuresWhatTheIssueAsks) {
  const Plan full = FullPlan();
  EXPECT_EQ(full.status_connections, (std::vector<int>{32, 256}));
  EXPECT_EQ(full.main_load, std::chrono::seconds(10));
  EXPECT_EQ(full.amplification_clients, (std::vector<int>{10, 100, 1000}));
  EXPECT_EQ(full.amplification_tokens, 1000);
  EXPECT_EQ(full.watch_pods, 10000);
  EXPECT_EQ(full.restarts_per_second * full.restart_duration.count(), 200 * 30);
  EXPECT_EQ(full.tracked_tokens, 100000);
  EXPECT_EQ(full.burst_connections, 1000);
}

TEST(Plan, SmokeRunIsShort) {
  const Plan smoke = SmokePlan();
  const auto wrk_seconds = smoke.status_connections.size() *
                               (3 * smoke.main_load.count() + 2 * smoke.other_load.count()) +
                           smoke.amplification_clients.size() * smoke.amplification_load.count() +
                           smoke.restart_duration.count() + 2 * smoke.burst_duration.count();
  EXPECT_LE(wrk_seconds, 10);
  EXPECT_FALSE(smoke.tune_threads);
}

}  // namespace
}  // namespace sidecar::bench
