// Percentiles of measured latencies. Pure functions, safe from any thread.
#pragma once

#include <optional>
#include <vector>

namespace sidecar::bench {

// The nearest-rank percentile `q` (0 < q <= 100) of `values`; nullopt when there are none.
std::optional<double> Percentile(std::vector<double> values, double q);

}  // namespace sidecar::bench
