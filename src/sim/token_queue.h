// TokenQueue: the completion tokens of one input endpoint, kept as Feldera's controller keeps them
// (crates/adapters/src/controller/stats.rs, TokenList).
//
// A token is a record count. Once the circuit has taken in the endpoint's records up to that
// count, the token is labelled with the pipeline's `total_initiated_steps` at that moment; it is
// complete once `total_completed_steps` reaches the label. A lookup takes the first queued token
// whose count is >= the requested count, so completion is monotone in the count.
//
// Not thread-safe: its owner serialises access.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

namespace sidecar::sim {

// Feldera's bound on the tokens it tracks per input endpoint.
inline constexpr size_t kFelderaMaxTokensPerEndpoint = 1'000'000;

class TokenQueue {
 public:
  explicit TokenQueue(size_t capacity = kFelderaMaxTokensPerEndpoint);

  // Queues a token for `count` (a count never below any queued one). A count equal to the newest
  // queued token's is not queued twice.
  void Add(uint64_t count);

  // Labels the tokens whose records the circuit has taken in, forgets all complete tokens but the
  // newest (lookups of smaller counts resolve to it), and drops the newest tokens beyond capacity.
  // Dropping the newest can only delay a completion, never report one early.
  void Update(uint64_t circuit_records, uint64_t initiated_steps, uint64_t completed_steps);

  // The step label of the first queued token whose count is >= `count`: nullopt when that token
  // is not labelled yet or when no queued token reaches `count`.
  std::optional<uint64_t> StepFor(uint64_t count) const;

  // The largest queued count whose token is complete at `completed_steps`, if any.
  std::optional<uint64_t> HighestCompleteCount(uint64_t completed_steps) const;

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    uint64_t count;
    std::optional<uint64_t> step;
  };

  // Index of the first entry that is not complete at `completed_steps`. Labels grow along the
  // queue, so complete entries form a prefix.
  size_t FirstIncomplete(uint64_t completed_steps) const;

  size_t capacity_;
  std::deque<Entry> entries_;
};

}  // namespace sidecar::sim
