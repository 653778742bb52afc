// Frontier: what the service knows of one (incarnation, endpoint)'s progress.
//
// Within one incarnation and endpoint, completion is monotone in the record count: if the token
// for count c1 is complete, so is every token for c <= c1, at a step no later than c1's. So the
// highest complete count answers every lower token without asking the pipeline. Steps labelled on
// in-progress tokens let a later `total_completed_steps` complete them without asking either.
//
// Memory is bounded: at most `max_points` complete points and as many labels are kept. Dropping
// the lowest complete points keeps every answer correct; a token below the lowest kept point is
// answered with that point's step, an upper bound of its own.
//
// Not thread-safe; the owning Pipeline locks.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

namespace sidecar {

class Frontier {
 public:
  explicit Frontier(size_t max_points = 1024) : max_points_(max_points) {}

  // The pipeline said the token for `count` is complete, at `step`.
  void RecordComplete(uint64_t count, std::optional<uint64_t> step);
  // The pipeline said the token for `count` is in progress, labelled with `step` (if any).
  void RecordInProgress(uint64_t count, std::optional<uint64_t> step);
  // The pipeline's total_completed_steps reached `completed_steps`: labelled tokens at or below
  // it are complete.
  void AdvanceCompletedSteps(uint64_t completed_steps);

  struct Completed {
    std::optional<uint64_t> step;
  };
  // Complete if `count` is at or below the highest complete count; the step is that of the
  // nearest known point at or above `count`.
  std::optional<Completed> Lookup(uint64_t count) const;
  // The step label known for exactly `count`, if it is in progress and labelled.
  std::optional<uint64_t> LabelOf(uint64_t count) const;

  std::optional<uint64_t> HighestComplete() const;
  // Whether some in-progress count carries a step label.
  bool has_labels() const { return !labels_.empty(); }

 private:
  size_t max_points_;
  std::map<uint64_t, std::optional<uint64_t>> complete_;  // count -> step
  std::map<uint64_t, uint64_t> labels_;                   // in-progress count -> step
};

}  // namespace sidecar
