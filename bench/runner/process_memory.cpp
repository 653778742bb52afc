#include "runner/process_memory.h"

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

}  // namespace

std::optional<ProcessMemory> ParseProcStatus(std::string_view status) {
  const auto rss = FieldKib(status, "VmRSS");
  const auto peak = FieldKib(status, "VmHWM");
  if (!rss || !peak) return std::nullopt;
  return ProcessMemory{*rss, *peak};
}

std::optional<ProcessMemory> ReadProcessMemory(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return ParseProcStatus(text.str());
}

}  // namespace sidecar::bench
