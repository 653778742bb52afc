#include "sim/token_queue.h"

#include <algorithm>

namespace sidecar::sim {

TokenQueue::TokenQueue(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {}

void TokenQueue::Add(uint64_t count) {
  if (!entries_.empty() && entries_.back().count >= count) return;
  entries_.push_back(Entry{count, std::nullopt});
}

void TokenQueue::Update(uint64_t circuit_records, uint64_t initiated_steps,
                        uint64_t completed_steps) {
  for (Entry& entry : entries_) {
    if (entry.step) continue;
    if (entry.count > circuit_records) break;
    entry.step = initiated_steps;
  }
  const size_t first_incomplete = FirstIncomplete(completed_steps);
  if (first_incomplete > 1) {
    entries_.erase(entries_.begin(),
                   entries_.begin() + static_cast<ptrdiff_t>(first_incomplete - 1));
  }
  if (entries_.size() > capacity_) entries_.resize(capacity_);
}

std::optional<uint64_t> TokenQueue::StepFor(uint64_t count) const {
  const auto it = std::partition_point(entries_.begin(), entries_.end(),
                                       [count](const Entry& e) { return e.count < count; });
  if (it == entries_.end()) return std::nullopt;
  return it->step;
}

std::optional<uint64_t> TokenQueue::HighestCompleteCount(uint64_t completed_steps) const {
  const size_t first_incomplete = FirstIncomplete(completed_steps);
  if (first_incomplete == 0) return std::nullopt;
  return entries_[first_incomplete - 1].count;
}

size_t TokenQueue::FirstIncomplete(uint64_t completed_steps) const {
  const auto it =
      std::partition_point(entries_.begin(), entries_.end(), [completed_steps](const Entry& e) {
        return e.step.has_value() && *e.step <= completed_steps;
      });
  return static_cast<size_t>(it - entries_.begin());
}

}  // namespace sidecar::sim
