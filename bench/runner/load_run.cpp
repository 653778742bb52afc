#include "runner/load_run.h"

#include <stdexcept>

#include "runner/results_table.h"

namespace sidecar::bench {
namespace {

// One wrk thread keeps up with a few hundred connections; more connections get two.
int WrkThreads(int connections) {
  return connections > 256 ? 2 : 1;
}

LoadRun Drive(
    const WrkLoad& load, pid_t server,
    const std::function<bool()>& finished = [] { return false; }) {
  const double cpu_before = ReadProcessCpuSeconds(server).value_or(0);
  const Result<WrkResult> result = RunWrkUntil(load, finished);
  if (!result.ok()) throw std::runtime_error(result.error());
  const double cpu_after = ReadProcessCpuSeconds(server).value_or(cpu_before);
  return LoadRun{result.value(), ReadProcessMemory(server).value_or(ProcessMemory{}),
                 cpu_after - cpu_before};
}

}  // namespace

LoadRun DriveUrl(const Launcher& launcher, const std::string& url, pid_t server, int connections,
                 std::chrono::seconds duration) {
  return Drive(
      {url, connections, WrkThreads(connections), duration, launcher.LuaScript("report.lua"), {}},
      server);
}

LoadRun DriveTargets(const Launcher& launcher, const std::string& base_url,
                     const std::string& targets_file, const std::string& mode, pid_t server,
                     int connections, std::chrono::seconds duration,
                     const std::function<bool()>& finished) {
  const int threads = WrkThreads(connections);
  return Drive({base_url,
                connections,
                threads,
                duration,
                launcher.LuaScript("targets.lua"),
                {mode, targets_file, std::to_string(threads)}},
               server, finished);
}

std::string Describe(const LoadRun& run) {
  std::string text = FormatCount(run.load.requests_per_second()) + " req/s · p50 " +
                     FormatMillis(run.load.p50_ms) + " · p99 " + FormatMillis(run.load.p99_ms) +
                     " · " + FormatNumber(run.cpu_us_per_request()) + " µs CPU/req · RSS " +
                     FormatMib(run.memory.rss_mib());
  const uint64_t errors = run.load.socket_errors + run.load.status_errors;
  if (errors > 0) text += " · " + FormatCount(static_cast<double>(errors)) + " errors";
  return text;
}

}  // namespace sidecar::bench
