// TokenBudget: the service-wide cap on how many completion tokens are tracked at once
// (tracker.max_tokens), shared by every pipeline and endpoint so that no client can grow the
// tracked set without bound.
//
// Thread-safe (one atomic counter).
#pragma once

#include <atomic>
#include <cstddef>

namespace sidecar {

class TokenBudget {
 public:
  explicit TokenBudget(size_t max_tokens) : max_(max_tokens) {}
  TokenBudget(const TokenBudget&) = delete;
  TokenBudget& operator=(const TokenBudget&) = delete;

  // Takes one place; false when all are taken.
  bool TryAcquire() {
    size_t used = used_.load(std::memory_order_relaxed);
    do {
      if (used >= max_) return false;
    } while (!used_.compare_exchange_weak(used, used + 1, std::memory_order_relaxed));
    return true;
  }
  void Release(size_t n) { used_.fetch_sub(n, std::memory_order_relaxed); }

  size_t used() const { return used_.load(std::memory_order_relaxed); }
  size_t max() const { return max_; }

 private:
  const size_t max_;
  std::atomic<size_t> used_{0};
};

}  // namespace sidecar
