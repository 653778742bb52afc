// Wall-clock time as RFC 3339 text, the form Feldera and Kubernetes use.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace sidecar {

using WallClock = std::chrono::system_clock;

// 2025-05-08T18:20:11.651Z (UTC, milliseconds).
std::string FormatTime(WallClock::time_point t);

// Parses YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM); nullopt for anything else.
std::optional<WallClock::time_point> ParseTime(std::string_view text);

}  // namespace sidecar
