// Section 6: the micro-benchmarks (bench/micro), run as a child process.
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include "runner/micro_results.h"
#include "runner/sections.h"
#include "support/process.h"

namespace sidecar::bench {
namespace {

constexpr char kMicroSection[] = "6 micro";
constexpr double kDecodeAndDecideTargetNs = 1000;

const std::map<std::string, std::string>& Descriptions() {
  static const std::map<std::string, std::string> descriptions = {
      {"BM_DecodeToken", "token decode (base64url, JSON, UUID)"},
      {"BM_DecideStatus", "status decision, token complete in a 1,024-point frontier"},
      {"BM_DecodeAndDecide", "token decode + status decision (per poll of a complete token)"},
      {"BM_FrontierLookup", "frontier lookup, 1,024 points"},
      {"BM_StatusAnswerBody", "answer body serialization"},
      {"BM_ObservePod", "pod JSON value → observation"},
      {"BM_ParseAndObservePod", "pod JSON text → parsed → observation"},
  };
  return descriptions;
}

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

SectionResult RunMicroSection(BenchContext& context) {
  const std::string out = context.launcher.WriteFile("micro.json", "");
  char min_time[32];
  std::snprintf(min_time, sizeof min_time, "%g", context.plan.micro_min_time);
  testing::ChildProcess micro({context.launcher.Binary("bench-micro"),
                               "--benchmark_min_time=" + std::string(min_time),
                               "--benchmark_out=" + out, "--benchmark_out_format=json"});
  if (micro.Wait(std::chrono::minutes(2)) != 0) {
    throw std::runtime_error("bench-micro failed: " + micro.Output());
  }
  const auto parsed = ParseBenchmarkJson(ReadWhole(out));
  if (!parsed.ok()) throw std::runtime_error(parsed.error());

  SectionResult result;
  for (const MicroResult& run : parsed.value()) {
    const auto description = Descriptions().find(run.name);
    ResultRow row{kMicroSection,
                  description == Descriptions().end() ? run.name : description->second,
                  FormatNanos(run.cpu_ns) + "/op",
                  "",
                  "",
                  Verdict::kNoTarget};
    if (run.name == "BM_DecodeAndDecide") {
      row.target = "< 1 µs";
      row.verdict = run.cpu_ns < kDecodeAndDecideTargetNs ? Verdict::kMet : Verdict::kMissed;
    }
    result.rows.push_back(row);
  }
  return result;
}

}  // namespace sidecar::bench
