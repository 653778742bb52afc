#include "discovery/watch_health.h"

namespace sidecar {

WatchHealth::WatchHealth(kube::ReflectorObserver* next) : next_(next) {}

void WatchHealth::Set(bool current) {
  MutexLock lock(&mu_);
  if (current_ && !current) stale_since_ = Clock::now();
  current_ = current;
}

void WatchHealth::OnListRequest(kube::RequestOutcome outcome) {
  Set(outcome == kube::RequestOutcome::kOk);
  if (next_) next_->OnListRequest(outcome);
}

void WatchHealth::OnWatchRequest(kube::RequestOutcome outcome) {
  Set(outcome == kube::RequestOutcome::kOk);
  if (next_) next_->OnWatchRequest(outcome);
}

void WatchHealth::OnWatchRestart(kube::WatchRestartReason reason) {
  // The server ending a stream at its timeout is routine: the watch resumes at once.
  if (reason != kube::WatchRestartReason::kClosed) Set(false);
  if (next_) next_->OnWatchRestart(reason);
}

void WatchHealth::OnWatchEvent(kube::WatchEventType type) {
  if (next_) next_->OnWatchEvent(type);
}

bool WatchHealth::current() const {
  MutexLock lock(&mu_);
  return current_;
}

std::optional<WatchHealth::Clock::time_point> WatchHealth::stale_since() const {
  MutexLock lock(&mu_);
  if (current_) return std::nullopt;
  return stale_since_;
}

}  // namespace sidecar
