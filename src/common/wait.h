// Waiting for in-flight work to drain at shutdown, where no condition variable is worth keeping
// on the hot path that counts it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

namespace sidecar {

// Polls `count` every 5 ms until it is zero (true) or `timeout` passed (false).
inline bool WaitUntilZero(const std::atomic<int64_t>& count, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (count > 0) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace sidecar
