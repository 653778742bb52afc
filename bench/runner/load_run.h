// One wrk run against a server, with the server's memory read right after: the unit of the
// throughput and latency rows. Blocking; safe from any thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "runner/process_stats.h"
#include "runner/servers.h"
#include "runner/wrk.h"

namespace sidecar::bench {

struct LoadRun {
  WrkResult load;
  ProcessMemory memory;    // of the server, right after the load
  double cpu_seconds = 0;  // the server's CPU time during the load

  double cpu_us_per_request() const {
    return load.requests > 0 ? cpu_seconds * 1e6 / static_cast<double>(load.requests) : 0;
  }
};

// Drives `url` (the same request again and again) with `connections` for `duration`. Throws
// std::runtime_error if wrk fails.
LoadRun DriveUrl(const Launcher& launcher, const std::string& url, pid_t server, int connections,
                 std::chrono::seconds duration);

// Drives the request targets listed in `targets_file` (see bench/lua/targets.lua for `mode`)
// for `duration`, or until `finished` returns true.
LoadRun DriveTargets(
    const Launcher& launcher, const std::string& base_url, const std::string& targets_file,
    const std::string& mode, pid_t server, int connections, std::chrono::seconds duration,
    const std::function<bool()>& finished = [] { return false; });

// "21,300 req/s · p50 1.20 ms · p99 3.90 ms · 41.2 µs CPU/req · RSS 11.2 MB", with errors when
// there were any.
std::string Describe(const LoadRun& run);

}  // namespace sidecar::bench
