// Simulated times on a fixed wall-clock origin (2025-05-08 18:20:11.651 UTC), so that the
// simulator's tests produce the same timestamps on every run.
#pragma once

#include <chrono>
#include <cstdint>

#include "sim/simulated_pipeline.h"

namespace sidecar::sim {

// The origin plus `ms` milliseconds.
inline SimTime At(int64_t ms) {
  return SimTime(std::chrono::milliseconds(1746728411651 + ms));
}

}  // namespace sidecar::sim
