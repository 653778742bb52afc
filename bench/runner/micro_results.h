// Reading Google Benchmark's JSON output (--benchmark_out_format=json). Pure function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sidecar::bench {

struct MicroResult {
  std::string name;   // e.g. "BM_DecodeToken"
  double cpu_ns = 0;  // CPU time per iteration, in nanoseconds
};

// The per-iteration results (aggregates such as means are skipped).
Result<std::vector<MicroResult>> ParseBenchmarkJson(std::string_view json);

}  // namespace sidecar::bench
