#include "chaos/violations.h"

namespace sidecar::testing::chaos {

void Violations::Add(Violation violation) {
  std::lock_guard lock(mutex_);
  seen_.push_back(std::move(violation));
}

size_t Violations::size() const {
  std::lock_guard lock(mutex_);
  return seen_.size();
}

std::string Violations::Report(size_t limit) const {
  std::lock_guard lock(mutex_);
  std::string report;
  for (size_t i = 0; i < seen_.size() && i < limit; ++i) {
    const Violation& v = seen_[i];
    report += "- " + v.invariant + "\n    request: " + v.request + "\n    answer:  " + v.answer +
              "\n    truth:   " + v.truth + "\n";
  }
  if (seen_.size() > limit) report += "... and " + std::to_string(seen_.size() - limit) + " more\n";
  return report;
}

}  // namespace sidecar::testing::chaos
