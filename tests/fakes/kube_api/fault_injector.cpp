#include "fakes/kube_api/fault_injector.h"

namespace sidecar::testing::kubefake {

void FaultInjector::FailRequests(int status, int count, std::chrono::milliseconds duration,
                                 int retry_after_seconds, const std::string& only_verb,
                                 Clock::time_point now) {
  Rule rule;
  rule.failure = {status, retry_after_seconds};
  rule.remaining = count;
  if (duration.count() > 0) rule.until = now + duration;
  rule.only_verb = only_verb;
  std::lock_guard lock(mutex_);
  rule_ = rule;
}

void FaultInjector::Clear() {
  std::lock_guard lock(mutex_);
  rule_.reset();
}

std::optional<InjectedFailure> FaultInjector::Take(const std::string& verb, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (!rule_) return std::nullopt;
  if ((rule_->until && now >= *rule_->until) || rule_->remaining == 0) {
    rule_.reset();
    return std::nullopt;
  }
  if (!rule_->only_verb.empty() && rule_->only_verb != verb) return std::nullopt;
  if (rule_->remaining > 0) --rule_->remaining;
  return rule_->failure;
}

}  // namespace sidecar::testing::kubefake
