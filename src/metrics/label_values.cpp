#include "metrics/label_values.h"

#include <algorithm>
#include <optional>

#include "token/uuid.h"

namespace sidecar {

std::string BoundedLabel(std::string_view value, std::span<const std::string_view> allowed) {
  const bool known = std::find(allowed.begin(), allowed.end(), value) != allowed.end();
  return std::string(known ? value : kOtherLabelValue);
}

std::string CodeLabel(int code) {
  if (code < 100 || code > 599) return std::string(kOtherLabelValue);
  return std::to_string(code);
}

std::string PipelineLabel(std::string_view name) {
  constexpr size_t kMaxLength = 253;
  const auto plausible = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  };
  if (name.empty() || name.size() > kMaxLength || !std::all_of(name.begin(), name.end(), plausible))
    return std::string(kInvalidPipelineLabelValue);
  return std::string(name);
}

std::string FelderaPipelineLabel(std::string_view pipeline_id) {
  const std::optional<Uuid> id = Uuid::Parse(pipeline_id);
  return id ? "pipeline-" + id->ToString() : std::string();
}

}  // namespace sidecar
