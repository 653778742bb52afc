#include "kube/backoff.h"

#include <algorithm>
#include <charconv>
#include <memory>
#include <random>

namespace sidecar::kube {
namespace {

// Keeps a misbehaving random source inside [0, 1).
double Unit(const UniformRandom& random) {
  const double value = random();
  return value >= 0.0 && value < 1.0 ? value : 0.0;
}

}  // namespace

UniformRandom SeededUniformRandom() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

Backoff::Backoff(BackoffPolicy policy, UniformRandom random)
    : policy_(policy), random_(std::move(random)), ceiling_(policy.initial) {}

std::chrono::milliseconds Backoff::NextDelay(Clock::time_point now,
                                             std::optional<std::chrono::seconds> retry_after) {
  if (last_failure_ && now - *last_failure_ >= policy_.reset_after) {
    ceiling_ = policy_.initial;
  }
  last_failure_ = now;
  const auto jittered = std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(
      Unit(random_) * static_cast<double>(ceiling_.count())));
  ceiling_ = std::min(ceiling_ * 2, policy_.cap);
  if (!retry_after) {
    return jittered;
  }
  const auto asked = std::min<std::chrono::milliseconds>(*retry_after, policy_.max_retry_after);
  return std::max(jittered, asked);
}

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view header) {
  while (!header.empty() && (header.front() == ' ' || header.front() == '\t')) {
    header.remove_prefix(1);
  }
  while (!header.empty() && (header.back() == ' ' || header.back() == '\t')) {
    header.remove_suffix(1);
  }
  if (header.empty() || header.front() < '0' || header.front() > '9') {
    return std::nullopt;
  }
  uint32_t seconds = 0;
  auto [end, error] = std::from_chars(header.data(), header.data() + header.size(), seconds);
  if (end != header.data() + header.size()) {
    return std::nullopt;
  }
  if (error == std::errc::result_out_of_range) {
    return std::chrono::seconds(UINT32_MAX);  // absurdly long; the policy clamps it
  }
  if (error != std::errc()) {
    return std::nullopt;
  }
  return std::chrono::seconds(seconds);
}

std::chrono::seconds RandomWatchTimeout(const UniformRandom& random) {
  constexpr int kMinSeconds = 5 * 60;
  return std::chrono::seconds(kMinSeconds + static_cast<int>(Unit(random) * kMinSeconds));
}

}  // namespace sidecar::kube
