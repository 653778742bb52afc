#include "runner/process_stats.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

namespace sidecar::bench {
namespace {

// The kB figure of a "Name:   1234 kB" line.
std::optional<uint64_t> FieldKib(std::string_view status, std::string_view name) {
  size_t at = 0;
  while (at < status.size()) {
    const size_t end = std::min(status.find('\n', at), status.size());
    std::string_view line = status.substr(at, end - at);
    at = end + 1;
    if (!line.starts_with(name) || line.size() <= name.size() || line[name.size()] != ':') continue;
    line.remove_prefix(name.size() + 1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    uint64_t kib = 0;
    const auto [rest, error] = std::from_chars(line.data(), line.data() + line.size(), kib);
    if (error != std::errc() || std::string_view(rest, line.data() + line.size()) != " kB") {
      return std::nullopt;
    }
    return kib;
  }
  return std::nullopt;
}

std::optional<std::string> ReadProcFile(pid_t pid, const char* name) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + name);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::optional<ProcessMemory> ParseProcStatus(std::string_view status) {
  const auto rss = FieldKib(status, "VmRSS");
  const auto peak = FieldKib(status, "VmHWM");
  if (!rss || !peak) return std::nullopt;
  return ProcessMemory{*rss, *peak};
}

std::optional<ProcessMemory> ReadProcessMemory(pid_t pid) {
  const std::optional<std::string> status = ReadProcFile(pid, "status");
  return status ? ParseProcStatus(*status) : std::nullopt;
}

std::optional<double> ParseProcStatCpuSeconds(std::string_view stat, long ticks_per_second) {
  // "pid (comm) state ppid ...": comm may hold blanks and parentheses, so count after the last
  // ')'. utime and stime are fields 14 and 15 of the line, the 12th and 13th after it.
  const size_t comm_end = stat.rfind(')');
  if (comm_end == std::string_view::npos || ticks_per_second <= 0) return std::nullopt;
  std::string_view rest = stat.substr(comm_end + 1);
  uint64_t ticks = 0;
  for (int field = 1; field <= 13; ++field) {
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    const size_t end = std::min(rest.find(' '), rest.size());
    if (end == 0) return std::nullopt;
    if (field >= 12) {
      uint64_t value = 0;
      const auto [stop, error] = std::from_chars(rest.data(), rest.data() + end, value);
      if (error != std::errc() || stop != rest.data() + end) return std::nullopt;
      ticks += value;
    }
    rest.remove_prefix(end);
  }
  return static_cast<double>(ticks) / static_cast<double>(ticks_per_second);
}

std::optional<double> ReadProcessCpuSeconds(pid_t pid) {
  const std::optional<std::string> stat = ReadProcFile(pid, "stat");
  return stat ? ParseProcStatCpuSeconds(*stat, sysconf(_SC_CLK_TCK)) : std::nullopt;
}

}  // namespace sidecar::bench
