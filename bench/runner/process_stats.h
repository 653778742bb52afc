// Resident memory and CPU time of a process, from /proc/PID/status and /proc/PID/stat.
// CPU time per request is the figure least disturbed by other work on a shared machine.
// Safe from any thread.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace sidecar::bench {

struct ProcessMemory {
  uint64_t rss_kib = 0;       // VmRSS: resident now
  uint64_t peak_rss_kib = 0;  // VmHWM: the most it was ever resident

  double rss_mib() const { return rss_kib / 1024.0; }
  double peak_rss_mib() const { return peak_rss_kib / 1024.0; }
};

// Reads VmRSS and VmHWM out of the text of /proc/PID/status; nullopt if either is missing.
std::optional<ProcessMemory> ParseProcStatus(std::string_view status);

// The memory of a running process; nullopt if it is gone.
std::optional<ProcessMemory> ReadProcessMemory(pid_t pid);

// User plus system CPU seconds out of the text of /proc/PID/stat (utime and stime, in clock
// ticks of `ticks_per_second`); nullopt if malformed.
std::optional<double> ParseProcStatCpuSeconds(std::string_view stat, long ticks_per_second);

// The CPU seconds a running process has used; nullopt if it is gone.
std::optional<double> ReadProcessCpuSeconds(pid_t pid);

}  // namespace sidecar::bench
