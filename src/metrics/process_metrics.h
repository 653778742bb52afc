// Process metrics: the standard process_* families, with the names, HELP texts, types and units
// Prometheus's own client libraries use on Linux, read from /proc at collection time.
//
// The parsers and the conversion to families are pure functions over the files' text, so tests
// feed them samples; ProcessCollector does the reading.
//
// Thread-safe: the functions are pure; ProcessCollector has no mutable state.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/family_spec.h"

namespace sidecar {

inline constexpr std::array<FamilySpec, 6> kProcessFamilies = {{
    {"process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
     prometheus::MetricType::Counter},
    {"process_resident_memory_bytes", "Resident memory size in bytes.",
     prometheus::MetricType::Gauge},
    {"process_virtual_memory_bytes", "Virtual memory size in bytes.",
     prometheus::MetricType::Gauge},
    {"process_open_fds", "Number of open file descriptors.", prometheus::MetricType::Gauge},
    {"process_max_fds", "Maximum number of open file descriptors.", prometheus::MetricType::Gauge},
    {"process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
     prometheus::MetricType::Gauge},
}};

// The fields of /proc/<pid>/stat used here, in the kernel's units.
struct ProcPidStat {
  uint64_t user_ticks = 0;      // utime, field 14
  uint64_t system_ticks = 0;    // stime, field 15
  uint64_t start_ticks = 0;     // starttime, field 22: clock ticks after boot
  uint64_t virtual_bytes = 0;   // vsize, field 23
  uint64_t resident_pages = 0;  // rss, field 24
};

// Parses /proc/<pid>/stat. The command name (field 2) may hold spaces and parentheses, so fields
// are counted from its last ')'. Empty when the text is not such a line.
std::optional<ProcPidStat> ParseProcPidStat(std::string_view text);

// The boot time (the `btime` line of /proc/stat), in Unix seconds.
std::optional<uint64_t> ParseBootTime(std::string_view proc_stat);

// The soft limit of "Max open files" in /proc/<pid>/limits. "unlimited" reads as the largest
// uint64, as Prometheus's Go client reads it.
std::optional<double> ParseMaxOpenFiles(std::string_view limits);

// What the process files said; an empty field is a file that could not be read.
struct ProcTexts {
  std::optional<std::string> pid_stat;  // /proc/self/stat
  std::optional<std::string> stat;      // /proc/stat
  std::optional<std::string> limits;    // /proc/self/limits
  std::optional<uint64_t> open_fds;     // entries of /proc/self/fd
};

// One reading of the process metrics, in base units; empty where the source was missing or bad.
struct ProcessSample {
  std::optional<double> cpu_seconds;
  std::optional<double> resident_memory_bytes;
  std::optional<double> virtual_memory_bytes;
  std::optional<double> open_fds;
  std::optional<double> max_fds;
  std::optional<double> start_time_seconds;
};

// Converts the files' text with the system's clock ticks per second and page size.
ProcessSample SampleFromProc(const ProcTexts& texts, uint64_t ticks_per_second, uint64_t page_size);

// One family per value present in `sample`, in kProcessFamilies' order.
std::vector<prometheus::MetricFamily> ProcessFamilies(const ProcessSample& sample);

// Reads /proc (or a directory laid out like it) at each Collect(). Files it cannot read leave
// their families out; it never throws.
class ProcessCollector : public prometheus::Collectable {
 public:
  explicit ProcessCollector(std::string proc_root = "/proc");

  std::vector<prometheus::MetricFamily> Collect() const override;

  // The raw reading Collect() converts.
  ProcTexts Read() const;

 private:
  const std::string proc_root_;
};

}  // namespace sidecar
