// FaultInjector: decides which API requests fail on purpose, for FailRequests().
//
// One rule at a time: a new rule replaces the previous one. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

namespace sidecar::testing::kubefake {

struct InjectedFailure {
  int status = 0;
  int retry_after_seconds = 0;  // 0: no Retry-After header
};

class FaultInjector {
 public:
  using Clock = std::chrono::steady_clock;

  // The next `count` requests (every request when count < 0) fail with `status`, for `duration`
  // from `now` (forever when zero), only those with verb `only_verb` when it is not empty.
  void FailRequests(int status, int count, std::chrono::milliseconds duration,
                    int retry_after_seconds, const std::string& only_verb,
                    Clock::time_point now = Clock::now());
  void Clear();

  // The failure a request with `verb` arriving at `now` must get, if any; consumes one of the
  // rule's count.
  std::optional<InjectedFailure> Take(const std::string& verb,
                                      Clock::time_point now = Clock::now());

 private:
  struct Rule {
    InjectedFailure failure;
    int remaining = 0;  // < 0: unlimited
    std::optional<Clock::time_point> until;
    std::string only_verb;
  };

  std::mutex mutex_;
  std::optional<Rule> rule_;
};

}  // namespace sidecar::testing::kubefake
