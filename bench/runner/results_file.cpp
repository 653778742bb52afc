#include "runner/results_file.h"

#include <cstdio>

namespace sidecar::bench {

std::string RenderResultsFile(const RunHeader& header, const std::vector<ResultRow>& rows,
                              const std::vector<std::string>& notes) {
  char facts[160];
  std::snprintf(facts, sizeof facts, "%.0f s; 1-minute load average at the start: %.2f",
                header.seconds, header.machine.load_average);
  std::string text = "# Benchmark results\n\n";
  text += std::string(header.smoke ? "Smoke run" : "Full run") + " of `bench/run`, " + header.date +
          ", revision " + (header.revision.empty() ? "unknown" : header.revision) + ", took " +
          facts + ".\n\n";
  text += "Machine: " + Summary(header.machine) + ".";
  if (!header.note.empty()) text += " " + header.note;
  text +=
      "\n\nEverything ran on loopback on this machine, load generator included: absolute figures "
      "say little, so each row compares with a reference measured in the same run.\n\n";
  text += RenderTable(rows);
  const std::vector<ResultRow> missed = Missed(rows);
  if (!missed.empty()) {
    text += "\nTargets missed (bench/README.md says what limits each):\n\n";
    for (const ResultRow& row : missed) {
      text += "- " + row.section + ": " + row.measurement + " — " + row.result + " (target " +
              row.target + ")\n";
    }
  }
  if (!notes.empty()) {
    text += "\nHow the rows were measured:\n\n";
    for (const std::string& note : notes) text += "- " + note + "\n";
  }
  return text;
}

}  // namespace sidecar::bench
