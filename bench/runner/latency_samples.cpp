#include "runner/latency_samples.h"

#include <algorithm>
#include <cmath>

namespace sidecar::bench {

std::optional<double> Percentile(std::vector<double> values, double q) {
  if (values.empty() || q <= 0 || q > 100) return std::nullopt;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<size_t>(std::ceil(q / 100.0 * static_cast<double>(values.size())));
  return values[std::max<size_t>(rank, 1) - 1];
}

}  // namespace sidecar::bench
