#include "runner/sections.h"

#include <algorithm>
#include <stdexcept>

namespace sidecar::bench {

SectionResult RunSection(const std::string& name, BenchContext& context) {
  if (name == "status") return RunStatusSection(context);
  if (name == "amplification") return RunAmplificationSection(context);
  if (name == "notification") return RunNotificationSection(context);
  if (name == "watch") return RunWatchSection(context);
  if (name == "memory") return RunMemorySection(context);
  if (name == "micro") return RunMicroSection(context);
  throw std::invalid_argument("unknown section " + name);
}

std::string SectionLabel(const std::string& name) {
  const auto at = std::find(kSections.begin(), kSections.end(), name);
  return std::to_string(at - kSections.begin() + 1) + " " + name;
}

}  // namespace sidecar::bench
