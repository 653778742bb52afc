// wrk, the HTTP load generator: running it against a URL and reading its report.
//
// Every run uses bench/lua/report.lua or targets.lua, which print one "WRK_RESULT {json}" line
// with exact figures (wrk's own summary rounds them). Safe from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sidecar::bench {

struct WrkLoad {
  std::string url;
  int connections = 32;
  int threads = 1;
  std::chrono::seconds duration{10};
  std::string script;                    // a .lua file under bench/lua
  std::vector<std::string> script_args;  // given to the script after "--"
};

struct WrkResult {
  uint64_t requests = 0;
  double seconds = 0;
  uint64_t socket_errors = 0;  // connect, read, write errors and timeouts
  uint64_t status_errors = 0;  // answers outside 2xx and 3xx
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;

  double requests_per_second() const { return seconds > 0 ? requests / seconds : 0; }
};

// wrk's command line for `load`, starting with the program name.
std::vector<std::string> WrkCommand(const WrkLoad& load);

// Reads the WRK_RESULT line out of wrk's output.
Result<WrkResult> ParseWrkOutput(std::string_view output);

// Runs wrk to the end and reads its result; an error says why wrk failed.
Result<WrkResult> RunWrk(const WrkLoad& load);

// Runs wrk until `finished` returns true (asked every few milliseconds) or its duration is over,
// then stops it with SIGINT, on which wrk reports what it did so far. (wrk itself always runs for
// its whole duration, even when every thread of its script has stopped.)
Result<WrkResult> RunWrkUntil(const WrkLoad& load, const std::function<bool()>& finished);

}  // namespace sidecar::bench
