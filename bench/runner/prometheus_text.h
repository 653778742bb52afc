// Reading figures out of a Prometheus text exposition (the service's /metrics).
// Pure functions, safe from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace sidecar::bench {

// The sum of the samples of metric `name` whose labels include every pair of `labels`
// (0 when there is none). Comment lines and other metrics are skipped.
double SumSamples(std::string_view exposition, std::string_view name,
                  const std::map<std::string, std::string>& labels = {});

}  // namespace sidecar::bench
