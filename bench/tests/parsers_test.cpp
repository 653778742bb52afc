// The runner's readers of other programs' output.
#include <gtest/gtest.h>

#include "runner/latency_samples.h"
#include "runner/machine.h"
#include "runner/micro_results.h"
#include "runner/process_stats.h"
#include "runner/prometheus_text.h"
#include "runner/wrk.h"

namespace sidecar::bench {
namespace {

TEST(Wrk, ReadsTheResultLineAmongWrksOwnText) {
  const auto result = ParseWrkOutput(
      "Running 10s test @ http://127.0.0.1:1/\n  1 threads and 32 connections\n"
      "WRK_RESULT {\"requests\":200000,\"duration_us\":10000000,\"connect_errors\":1,"
      "\"read_errors\":2,\"write_errors\":3,\"status_errors\":5,\"timeouts\":4,"
      "\"p50_us\":1250,\"p99_us\":3900,\"max_us\":12000}\n");
  ASSERT_TRUE(result.ok()) << result.error();
  EXPECT_EQ(result->requests, 200000u);
  EXPECT_DOUBLE_EQ(result->seconds, 10);
  EXPECT_DOUBLE_EQ(result->requests_per_second(), 20000);
  EXPECT_EQ(result->socket_errors, 10u);
  EXPECT_EQ(result->status_errors, 5u);
  EXPECT_DOUBLE_EQ(result->p50_ms, 1.25);
  EXPECT_DOUBLE_EQ(result->p99_ms, 3.9);
  EXPECT_DOUBLE_EQ(result->max_ms, 12);
}

TEST(Wrk, ReportsWhatIsMissing) {
  EXPECT_FALSE(ParseWrkOutput("unable to connect to 127.0.0.1:1 Connection refused").ok());
  EXPECT_FALSE(ParseWrkOutput("WRK_RESULT {\"requests\":1}").ok());
  EXPECT_FALSE(ParseWrkOutput("WRK_RESULT not json").ok());
}

TEST(Wrk, CommandPassesScriptArguments) {
  const std::vector<std::string> command = WrkCommand(
      {"http://127.0.0.1:1", 256, 2, std::chrono::seconds(5), "/t.lua", {"cycle", "/f"}});
  const std::vector<std::string> tail(command.end() - 4, command.end());
  EXPECT_EQ(tail, (std::vector<std::string>{"http://127.0.0.1:1", "--", "cycle", "/f"}));
  EXPECT_NE(std::find(command.begin(), command.end(), "5s"), command.end());
  EXPECT_NE(std::find(command.begin(), command.end(), "256"), command.end());
}

TEST(ProcessMemory, ReadsResidentAndPeak) {
  const auto memory = ParseProcStatus(
      "Name:\tcompletion-side\nVmPeak:\t  400000 kB\nVmHWM:\t   15360 kB\nVmRSS:\t   10240 kB\n");
  ASSERT_TRUE(memory.has_value());
  EXPECT_EQ(memory->rss_kib, 10240u);
  EXPECT_EQ(memory->peak_rss_kib, 15360u);
  EXPECT_DOUBLE_EQ(memory->rss_mib(), 10);
}

TEST(ProcessMemory, NeedsBothFigures) {
  EXPECT_FALSE(ParseProcStatus("VmRSS:\t 10240 kB\n").has_value());
  EXPECT_FALSE(ParseProcStatus("VmRSS:\t lots\nVmHWM:\t 1 kB\n").has_value());
  EXPECT_FALSE(ParseProcStatus("").has_value());
}

TEST(ProcessCpu, AddsUserAndSystemTicks) {
  // A command name with blanks and parentheses, as /proc shows it.
  const std::string stat =
      "4242 (completion (x) s) S 1 4242 4242 0 -1 4194560 1391 0 0 0 250 50 0 0 20 0 7 0 "
      "1234 100000 2000 18446744073709551615";
  EXPECT_EQ(ParseProcStatCpuSeconds(stat, 100), 3.0);
  EXPECT_FALSE(ParseProcStatCpuSeconds("4242 (x) S 1 2", 100).has_value());
  EXPECT_FALSE(ParseProcStatCpuSeconds("no parenthesis", 100).has_value());
  EXPECT_FALSE(ParseProcStatCpuSeconds(stat, 0).has_value());
}

TEST(PrometheusText, SumsTheSamplesThatMatch) {
  const std::string text =
      "# HELP completion_sidecar_kube_watch_events_total watch events received\n"
      "# TYPE completion_sidecar_kube_watch_events_total counter\n"
      "completion_sidecar_kube_watch_events_total{type=\"MODIFIED\"} 120\n"
      "completion_sidecar_kube_watch_events_total{type=\"ADDED\"} 3\n"
      "completion_sidecar_kube_watch_events_total_other{type=\"MODIFIED\"} 1000\n"
      "feldera_completion_tokens_tracked{pipeline=\"bench\"} 100000\n"
      "feldera_completion_tokens_tracked{pipeline=\"bench2\"} 7\n"
      "process_open_fds 12\n";
  EXPECT_EQ(SumSamples(text, "completion_sidecar_kube_watch_events_total"), 123);
  EXPECT_EQ(SumSamples(text, "completion_sidecar_kube_watch_events_total", {{"type", "MODIFIED"}}),
            120);
  EXPECT_EQ(SumSamples(text, "feldera_completion_tokens_tracked", {{"pipeline", "bench"}}), 100000);
  EXPECT_EQ(SumSamples(text, "process_open_fds"), 12);
  EXPECT_EQ(SumSamples(text, "feldera_completion_tokens_tracked", {{"pipeline", "nope"}}), 0);
  EXPECT_EQ(SumSamples(text, "absent"), 0);
}

TEST(MicroResults, ReadsIterationsInNanoseconds) {
  const auto results = ParseBenchmarkJson(R"({
    "context": {"num_cpus": 2},
    "benchmarks": [
      {"name": "BM_DecodeToken", "run_type": "iteration", "cpu_time": 181.5, "time_unit": "ns"},
      {"name": "BM_ObservePod", "run_type": "iteration", "cpu_time": 2.5, "time_unit": "us"},
      {"name": "BM_ObservePod_mean", "run_type": "aggregate", "cpu_time": 2.5, "time_unit": "us"}
    ]})");
  ASSERT_TRUE(results.ok()) << results.error();
  ASSERT_EQ(results->size(), 2u);
  EXPECT_EQ(results->at(0).name, "BM_DecodeToken");
  EXPECT_DOUBLE_EQ(results->at(0).cpu_ns, 181.5);
  EXPECT_DOUBLE_EQ(results->at(1).cpu_ns, 2500);
}

TEST(MicroResults, RejectsOtherDocuments) {
  EXPECT_FALSE(ParseBenchmarkJson("").ok());
  EXPECT_FALSE(ParseBenchmarkJson(
                   R"({"benchmarks": [{"name": "x", "cpu_time": 1, "time_unit": "fortnights"}]})")
                   .ok());
}

TEST(Percentile, IsNearestRank) {
  std::vector<double> values;
  for (int i = 100; i >= 1; --i) values.push_back(i);
  EXPECT_EQ(Percentile(values, 50), 50);
  EXPECT_EQ(Percentile(values, 99), 99);
  EXPECT_EQ(Percentile(values, 100), 100);
  EXPECT_EQ(Percentile({7}, 99), 7);
  EXPECT_FALSE(Percentile({}, 50).has_value());
  EXPECT_FALSE(Percentile({1, 2}, 0).has_value());
}

TEST(Machine, ReadsCpuModelAndOs) {
  EXPECT_EQ(CpuModel("processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Processor\nflags\t: fpu\n"
                     "processor\t: 1\nmodel name\t: Other\n"),
            "Intel(R) Xeon(R) Processor");
  EXPECT_EQ(CpuModel("processor\t: 0\n"), "");
  EXPECT_EQ(OsName("NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
            "Debian GNU/Linux 12 (bookworm)");
}

}  // namespace
}  // namespace sidecar::bench
