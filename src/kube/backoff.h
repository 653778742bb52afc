// Retry pacing for the Kubernetes client, as client-go's reflector paces itself.
//
// Backoff: after each failure, wait a random time in [0, ceiling) ("full jitter", so that many
// clients that failed together do not retry together). The ceiling starts at 800 ms, doubles per
// failure up to 30 s, and drops back to 800 ms once no failure happened for 2 minutes. A server's
// Retry-After raises the wait to at least what it asks. The random source is injected, so tests are
// deterministic. A Backoff is not thread-safe; the free functions are pure.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

namespace sidecar::kube {

// Returns numbers uniformly distributed in [0, 1).
using UniformRandom = std::function<double()>;

// A generator seeded from std::random_device. Each returned function owns its engine; call one
// function from one thread at a time.
UniformRandom SeededUniformRandom();

struct BackoffPolicy {
  std::chrono::milliseconds initial{800};
  std::chrono::milliseconds cap{30'000};
  std::chrono::milliseconds reset_after{120'000};
  // A larger Retry-After is taken as this much: a hostile or broken header cannot park the client.
  std::chrono::milliseconds max_retry_after{300'000};
};

class Backoff {
 public:
  using Clock = std::chrono::steady_clock;

  Backoff(BackoffPolicy policy, UniformRandom random);

  // Records a failure at `now` and returns how long to wait before the next attempt.
  std::chrono::milliseconds NextDelay(Clock::time_point now,
                                      std::optional<std::chrono::seconds> retry_after = {});

 private:
  BackoffPolicy policy_;
  UniformRandom random_;
  std::chrono::milliseconds ceiling_;
  std::optional<Clock::time_point> last_failure_;
};

// The delay-seconds form of an HTTP Retry-After header ("120"); nullopt for the HTTP-date form and
// for anything malformed.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view header);

// A server-side timeout for one watch request, uniform in [5, 10) minutes like client-go's, so
// that the watches of many clients do not all end at once.
std::chrono::seconds RandomWatchTimeout(const UniformRandom& random);

}  // namespace sidecar::kube
