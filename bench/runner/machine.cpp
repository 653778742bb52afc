#include "runner/machine.h"

#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace sidecar::bench {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The value of the first "key<separator>value" line, trimmed of blanks and quotes.
std::string FirstValue(std::string_view text, std::string_view key, char separator) {
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = std::min(text.find('\n', at), text.size());
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    if (!line.starts_with(key)) continue;
    const size_t split = line.find(separator);
    if (split == std::string_view::npos) continue;
    std::string_view name = line.substr(0, split);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    if (name != key) continue;
    std::string_view value = line.substr(split + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '"')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '"')) value.remove_suffix(1);
    return std::string(value);
  }
  return "";
}

}  // namespace

std::string CpuModel(std::string_view cpuinfo) {
  return FirstValue(cpuinfo, "model name", ':');
}

std::string OsName(std::string_view os_release) {
  return FirstValue(os_release, "PRETTY_NAME", '=');
}

MachineDescription DescribeMachine() {
  MachineDescription machine;
  machine.cpu_model = CpuModel(ReadFile("/proc/cpuinfo"));
  machine.cpus = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  struct sysinfo info {};
  if (sysinfo(&info) == 0) {
    machine.memory_gib = static_cast<double>(info.totalram) * info.mem_unit / (1 << 30);
  }
  struct utsname name {};
  if (uname(&name) == 0) machine.kernel = std::string(name.sysname) + " " + name.release;
  machine.os = OsName(ReadFile("/etc/os-release"));
  double load[1] = {0};
  if (getloadavg(load, 1) == 1) machine.load_average = load[0];
  return machine;
}

std::string Summary(const MachineDescription& machine) {
  char memory[32];
  std::snprintf(memory, sizeof memory, "%.1f GiB", machine.memory_gib);
  return std::to_string(machine.cpus) + " × " + machine.cpu_model + ", " + memory + ", " +
         machine.os + ", " + machine.kernel;
}

}  // namespace sidecar::bench
