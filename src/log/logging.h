// Logging set-up: spdlog to stderr, as text lines or one JSON object per line.
#pragma once

#include <string>

namespace sidecar {

// `level`: trace|debug|info|warn|error|off; `format`: text|json (both validated by the config).
void SetUpLogging(const std::string& level, const std::string& format);

}  // namespace sidecar
