#include "status/frontier.h"

namespace sidecar {

void Frontier::RecordComplete(uint64_t count, std::optional<uint64_t> step) {
  auto [it, inserted] = complete_.try_emplace(count, step);
  if (!inserted && step) it->second = step;
  // Labels at or below a complete count are no longer needed.
  labels_.erase(labels_.begin(), labels_.upper_bound(count));
  while (complete_.size() > max_points_) complete_.erase(complete_.begin());
}

void Frontier::RecordInProgress(uint64_t count, std::optional<uint64_t> step) {
  if (!step || Lookup(count)) return;
  labels_[count] = *step;
  while (labels_.size() > max_points_) labels_.erase(std::prev(labels_.end()));
}

void Frontier::AdvanceCompletedSteps(uint64_t completed_steps) {
  // Labels grow with count; every label up to the first one beyond completed_steps is complete.
  std::optional<std::pair<uint64_t, uint64_t>> highest;
  for (const auto& [count, step] : labels_) {
    if (step > completed_steps) break;
    highest = {count, step};
  }
  if (highest) RecordComplete(highest->first, highest->second);
}

std::optional<Frontier::Completed> Frontier::Lookup(uint64_t count) const {
  auto it = complete_.lower_bound(count);
  if (it == complete_.end()) return std::nullopt;
  return Completed{it->second};
}

std::optional<uint64_t> Frontier::LabelOf(uint64_t count) const {
  auto it = labels_.find(count);
  if (it == labels_.end()) return std::nullopt;
  return it->second;
}

std::optional<uint64_t> Frontier::HighestComplete() const {
  if (complete_.empty()) return std::nullopt;
  return complete_.rbegin()->first;
}

}  // namespace sidecar
