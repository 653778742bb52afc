// The runner's command line, and the plan of a run: how long and how large each measurement
// is, for a full run or for the smoke run CI uses to keep the benchmarks working.
// Pure functions, safe from any thread.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/result.h"

namespace sidecar::bench {

// The sections of a run, in the order they run and are reported.
inline const std::vector<std::string> kSections = {"status", "amplification", "notification",
                                                   "watch",  "memory",        "micro"};

struct BenchOptions {
  std::string build_dir;  // holds completion-sidecar, feldera-sim, fake-kube-api, bench-*
  std::string bench_dir;  // the bench/ sources (lua scripts)
  std::string output;     // where the Markdown results go; empty: printed only
  bool smoke = false;
  std::vector<std::string> sections = kSections;
  std::string revision;  // the source revision measured, as given
  std::string note;      // free text for the results, e.g. "machine shared with two builds"
};

// --build-dir DIR --bench-dir DIR [--output FILE] [--smoke] [--only a,b] [--revision R]
// [--note TEXT]. The error names the bad argument.
Result<BenchOptions> ParseBenchOptions(const std::vector<std::string>& args);

struct Plan {
  // Section 1: each wrk run of the service and its ceilings, and of the other rows.
  std::vector<int> status_connections{32, 256};
  std::chrono::seconds main_load{10};
  std::chrono::seconds other_load{5};  // thread tuning, proxy path, direct
  bool tune_threads = true;
  // Section 2.
  std::vector<int> amplification_clients{10, 100, 1000};
  int amplification_tokens = 1000;
  int amplification_endpoints = 4;
  std::chrono::seconds amplification_load{10};
  // Section 3: each cycle completes one step that `tokens_per_cycle` clients of each kind wait
  // for; the clients start at random moments of the window before it.
  int notification_cycles = 12;
  int notification_tokens_per_cycle = 8;
  std::chrono::milliseconds notification_window{1500};
  // Section 4.
  int watch_pods = 10000;
  int restarts_per_second = 200;
  std::chrono::seconds restart_duration{30};
  int lag_sample_every = 10;  // one restart in this many is followed to visibility
  // Section 5: how long memory settles before an idle figure is read (twice that after a burst).
  std::chrono::milliseconds memory_settle{1000};
  int tracked_tokens = 100000;
  int burst_connections = 1000;
  std::chrono::seconds burst_duration{3};
  // Section 6: Google Benchmark's --benchmark_min_time, seconds.
  double micro_min_time = 0.5;
};

Plan FullPlan();
Plan SmokePlan();

}  // namespace sidecar::bench
