#include "runner/wrk.h"

#include <signal.h>

#include <cpprest/json.h>

#include "support/process.h"

namespace sidecar::bench {
namespace {

constexpr std::string_view kResultMarker = "WRK_RESULT ";

uint64_t Count(const web::json::value& report, const char* field) {
  return report.at(field).as_number().to_uint64();
}

double Millis(const web::json::value& report, const char* field) {
  return report.at(field).as_double() / 1000.0;
}

}  // namespace

std::vector<std::string> WrkCommand(const WrkLoad& load) {
  std::vector<std::string> command = {"/usr/bin/wrk",
                                      "--threads",
                                      std::to_string(load.threads),
                                      "--connections",
                                      std::to_string(load.connections),
                                      "--duration",
                                      std::to_string(load.duration.count()) + "s",
                                      "--timeout",
                                      "10s",
                                      "--script",
                                      load.script,
                                      load.url};
  if (!load.script_args.empty()) {
    command.push_back("--");
    command.insert(command.end(), load.script_args.begin(), load.script_args.end());
  }
  return command;
}

Result<WrkResult> ParseWrkOutput(std::string_view output) {
  const size_t marker = output.find(kResultMarker);
  if (marker == std::string_view::npos) return Result<WrkResult>::Error("no WRK_RESULT line");
  std::string_view line = output.substr(marker + kResultMarker.size());
  line = line.substr(0, line.find('\n'));
  try {
    const web::json::value report = web::json::value::parse(std::string(line));
    WrkResult result;
    result.requests = Count(report, "requests");
    result.seconds = report.at("duration_us").as_double() / 1e6;
    result.socket_errors = Count(report, "connect_errors") + Count(report, "read_errors") +
                           Count(report, "write_errors") + Count(report, "timeouts");
    result.status_errors = Count(report, "status_errors");
    result.p50_ms = Millis(report, "p50_us");
    result.p99_ms = Millis(report, "p99_us");
    result.max_ms = Millis(report, "max_us");
    return Result<WrkResult>::Ok(result);
  } catch (const std::exception& e) {
    return Result<WrkResult>::Error(std::string("malformed WRK_RESULT line: ") + e.what());
  }
}

Result<WrkResult> RunWrk(const WrkLoad& load) {
  return RunWrkUntil(load, [] { return false; });
}

Result<WrkResult> RunWrkUntil(const WrkLoad& load, const std::function<bool()>& finished) {
  testing::ChildProcess wrk(WrkCommand(load));
  const auto allowance = std::chrono::duration_cast<std::chrono::milliseconds>(
      load.duration + std::chrono::seconds(30));
  testing::WaitUntil([&] { return !wrk.Running() || finished(); }, allowance);
  wrk.Signal(SIGINT);
  const int exit_code = wrk.Wait(std::chrono::seconds(30));
  if (exit_code != 0) {
    return Result<WrkResult>::Error("wrk exited with " + std::to_string(exit_code) + ": " +
                                    wrk.Output());
  }
  auto result = ParseWrkOutput(wrk.Output());
  if (!result.ok()) return Result<WrkResult>::Error(result.error() + ": " + wrk.Output());
  return result;
}

}  // namespace sidecar::bench
