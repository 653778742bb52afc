#include "runner/micro_results.h"

#include <cpprest/json.h>

namespace sidecar::bench {
namespace {

// Nanoseconds in one `unit` of Google Benchmark's time_unit.
double NanosPer(const std::string& unit) {
  if (unit == "ns") return 1;
  if (unit == "us") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  return 0;
}

}  // namespace

Result<std::vector<MicroResult>> ParseBenchmarkJson(std::string_view json) {
  using R = Result<std::vector<MicroResult>>;
  try {
    const web::json::value document = web::json::value::parse(std::string(json));
    std::vector<MicroResult> results;
    for (const web::json::value& run : document.at("benchmarks").as_array()) {
      if (run.has_string_field("run_type") && run.at("run_type").as_string() != "iteration") {
        continue;
      }
      const double scale = NanosPer(run.at("time_unit").as_string());
      if (scale == 0) return R::Error("unknown time_unit in " + run.serialize());
      results.push_back({run.at("name").as_string(), run.at("cpu_time").as_double() * scale});
    }
    return R::Ok(results);
  } catch (const std::exception& e) {
    return R::Error(std::string("not Google Benchmark JSON: ") + e.what());
  }
}

}  // namespace sidecar::bench
