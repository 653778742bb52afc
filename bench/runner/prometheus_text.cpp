#include "runner/prometheus_text.h"

#include <cstdlib>

namespace sidecar::bench {
namespace {

// Whether the label block `{a="x",b="y"}` (without the braces) holds label=value.
bool HasLabel(std::string_view block, const std::string& label, const std::string& value) {
  const std::string pair = label + "=\"" + value + "\"";
  size_t at = block.find(pair);
  while (at != std::string_view::npos) {
    const bool starts_label = at == 0 || block[at - 1] == ',';
    if (starts_label) return true;
    at = block.find(pair, at + 1);
  }
  return false;
}

}  // namespace

double SumSamples(std::string_view exposition, std::string_view name,
                  const std::map<std::string, std::string>& labels) {
  double sum = 0;
  size_t at = 0;
  while (at < exposition.size()) {
    const size_t end = std::min(exposition.find('\n', at), exposition.size());
    const std::string_view line = exposition.substr(at, end - at);
    at = end + 1;
    if (line.empty() || line.front() == '#' || !line.starts_with(name)) continue;
    std::string_view rest = line.substr(name.size());
    std::string_view block;
    if (!rest.empty() && rest.front() == '{') {
      const size_t close = rest.find('}');
      if (close == std::string_view::npos) continue;
      block = rest.substr(1, close - 1);
      rest.remove_prefix(close + 1);
    }
    if (rest.empty() || rest.front() != ' ') continue;  // another metric sharing the prefix
    bool matches = true;
    for (const auto& [label, value] : labels) matches = matches && HasLabel(block, label, value);
    if (matches) sum += std::strtod(std::string(rest).c_str(), nullptr);
  }
  return sum;
}

}  // namespace sidecar::bench
