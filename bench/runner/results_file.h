// The results file (bench/results/latest.md): when, what and where the run measured, the
// table, the misses and the notes. Pure function, safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "runner/machine.h"
#include "runner/results_table.h"

namespace sidecar::bench {

struct RunHeader {
  std::string date;      // UTC, e.g. "2025-05-08 18:20 UTC"
  std::string revision;  // as given to the runner
  bool smoke = false;
  double seconds = 0;  // how long the run took
  MachineDescription machine;
  std::string note;  // e.g. that others used the machine meanwhile
};

std::string RenderResultsFile(const RunHeader& header, const std::vector<ResultRow>& rows,
                              const std::vector<std::string>& notes);

}  // namespace sidecar::bench
