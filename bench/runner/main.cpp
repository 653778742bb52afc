// bench-runner: runs the benchmark sections, prints the table, and writes the results file.
// bench/run builds what it needs and calls it; see bench/README.md.
//
// Exit status: 0 when every section ran (missed targets included), 1 when a section could not
// run, 2 on a bad command line.
#include <signal.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>

#include "runner/bench_options.h"
#include "runner/machine.h"
#include "runner/results_file.h"
#include "runner/sections.h"
#include "runner/servers.h"

namespace {

using namespace sidecar::bench;

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = ParseBenchOptions(std::vector<std::string>(argv + 1, argv + argc));
  if (!options.ok()) {
    std::cerr << "bench-runner: " << options.error() << "\n";
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  const Plan plan = options->smoke ? SmokePlan() : FullPlan();
  RunHeader header{UtcNow(), options->revision, options->smoke,
                   0,        DescribeMachine(), options->note};
  const auto began = std::chrono::steady_clock::now();

  Launcher launcher(options->build_dir, options->bench_dir);
  BenchContext context{options.value(), plan, launcher};
  std::vector<ResultRow> rows;
  std::vector<std::string> notes;
  bool all_ran = true;
  for (const std::string& section : options->sections) {
    std::cerr << "bench: " << section << "..." << std::endl;
    const auto section_began = std::chrono::steady_clock::now();
    try {
      SectionResult result = RunSection(section, context);
      rows.insert(rows.end(), result.rows.begin(), result.rows.end());
      notes.insert(notes.end(), result.notes.begin(), result.notes.end());
      std::cerr
          << "bench: " << section << " took "
          << std::chrono::duration<double>(std::chrono::steady_clock::now() - section_began).count()
          << " s" << std::endl;
    } catch (const std::exception& e) {
      all_ran = false;
      rows.push_back({SectionLabel(section), "could not run", e.what(), "", "", Verdict::kMissed});
      std::cerr << "bench: " << section << " failed: " << e.what() << std::endl;
    }
  }
  header.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();

  std::cout << RenderTable(rows);
  if (!options->output.empty()) {
    std::ofstream out(options->output, std::ios::trunc);
    out << RenderResultsFile(header, rows, notes);
    if (!out) {
      std::cerr << "bench-runner: cannot write " << options->output << "\n";
      return 1;
    }
  }
  return all_ran ? 0 : 1;
}
