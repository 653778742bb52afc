// A description of the machine a run measured, for the results file: figures from one
// machine are only comparable as ratios, and only with the machine named. Safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace sidecar::bench {

struct MachineDescription {
  std::string cpu_model;
  int cpus = 0;
  double memory_gib = 0;
  std::string kernel;
  std::string os;
  double load_average = 0;  // 1-minute load when the run began: others' work on the machine
};

// The "model name" of /proc/cpuinfo's first processor; empty if absent.
std::string CpuModel(std::string_view cpuinfo);
// PRETTY_NAME of an os-release file; empty if absent.
std::string OsName(std::string_view os_release);

MachineDescription DescribeMachine();

// One line, e.g. "2 × Intel(R) Xeon(R) Processor, 23.6 GiB, Debian GNU/Linux 12, Linux 6.1".
std::string Summary(const MachineDescription& machine);

}  // namespace sidecar::bench
