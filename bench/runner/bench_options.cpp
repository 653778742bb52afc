#include "runner/bench_options.h"

#include <algorithm>
#include <sstream>

namespace sidecar::bench {
namespace {

Result<std::vector<std::string>> ParseSections(const std::string& list) {
  std::vector<std::string> sections;
  std::stringstream in(list);
  std::string name;
  while (std::getline(in, name, ',')) {
    if (std::find(kSections.begin(), kSections.end(), name) == kSections.end()) {
      return Result<std::vector<std::string>>::Error("--only: unknown section '" + name + "'");
    }
    sections.push_back(name);
  }
  if (sections.empty()) return Result<std::vector<std::string>>::Error("--only: no section");
  // Sections run in their usual order whatever the order given.
  std::vector<std::string> ordered;
  for (const std::string& known : kSections) {
    if (std::find(sections.begin(), sections.end(), known) != sections.end()) {
      ordered.push_back(known);
    }
  }
  return Result<std::vector<std::string>>::Ok(ordered);
}

}  // namespace

Result<BenchOptions> ParseBenchOptions(const std::vector<std::string>& args) {
  using R = Result<BenchOptions>;
  BenchOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--smoke") {
      options.smoke = true;
      continue;
    }
    if (i + 1 >= args.size()) return R::Error(flag + ": a value is missing");
    const std::string& value = args[++i];
    if (flag == "--build-dir") {
      options.build_dir = value;
    } else if (flag == "--bench-dir") {
      options.bench_dir = value;
    } else if (flag == "--output") {
      options.output = value;
    } else if (flag == "--only") {
      auto sections = ParseSections(value);
      if (!sections.ok()) return R::Error(sections.error());
      options.sections = sections.value();
    } else if (flag == "--revision") {
      options.revision = value;
    } else if (flag == "--note") {
      options.note = value;
    } else {
      return R::Error("unknown argument '" + flag + "'");
    }
  }
  if (options.build_dir.empty()) return R::Error("--build-dir is required");
  if (options.bench_dir.empty()) return R::Error("--bench-dir is required");
  return R::Ok(options);
}

Plan FullPlan() {
  return Plan{};
}

Plan SmokePlan() {
  Plan plan;
  plan.status_connections = {32};
  plan.main_load = std::chrono::seconds(1);
  plan.other_load = std::chrono::seconds(1);
  plan.tune_threads = false;
  plan.amplification_clients = {100};
  plan.amplification_tokens = 100;
  plan.amplification_load = std::chrono::seconds(1);
  plan.notification_cycles = 1;
  plan.notification_tokens_per_cycle = 4;
  plan.notification_window = std::chrono::milliseconds(300);
  plan.watch_pods = 100;
  plan.restarts_per_second = 100;
  plan.restart_duration = std::chrono::seconds(1);
  plan.lag_sample_every = 5;
  plan.memory_settle = std::chrono::milliseconds(200);
  plan.tracked_tokens = 2000;
  plan.burst_connections = 200;
  plan.burst_duration = std::chrono::seconds(1);
  plan.micro_min_time = 0.01;
  return plan;
}

}  // namespace sidecar::bench
