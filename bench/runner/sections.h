// The sections of a benchmark run (see bench/README.md for what each row means). Each section
// starts what it measures, measures it, stops it, and returns its rows of the table and its notes
// for the results file. A section that cannot run throws std::runtime_error.
//
// Sections run one after the other on the calling thread (some start threads of their own).
#pragma once

#include <string>
#include <vector>

#include "runner/bench_options.h"
#include "runner/results_table.h"
#include "runner/servers.h"

namespace sidecar::bench {

struct BenchContext {
  const BenchOptions& options;
  const Plan& plan;
  Launcher& launcher;
};

struct SectionResult {
  std::vector<ResultRow> rows;
  std::vector<std::string> notes;
};

// 1. completion_status of a complete token, beside the bare listener, nginx, the proxy path and
//    the simulator itself; and the effect of the worker thread count.
SectionResult RunStatusSection(BenchContext& context);
// 2. Upstream requests per endpoint while many clients poll in-progress tokens.
SectionResult RunAmplificationSection(BenchContext& context);
// 3. From a step completing to the client seeing 200: long-poll and Feldera's Python polling.
SectionResult RunNotificationSection(BenchContext& context);
// 4. Cluster mode over many pipeline pods and a stream of container restarts.
SectionResult RunWatchSection(BenchContext& context);
// 5. Resident memory: idle, with many tracked tokens, and after a connection burst.
SectionResult RunMemorySection(BenchContext& context);
// 6. Google Benchmark micro-benchmarks of the hot pure functions.
SectionResult RunMicroSection(BenchContext& context);

// Runs the section called `name` (one of kSections).
SectionResult RunSection(const std::string& name, BenchContext& context);

// How the table names a section: its number and name, e.g. "2 amplification".
std::string SectionLabel(const std::string& name);

}  // namespace sidecar::bench
