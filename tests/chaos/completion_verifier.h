// CompletionVerifier: checks every 200 the service gave against what the simulator had really
// completed. An answer is settled by a /sim/state read that began after it (while its
// incarnation still runs: counts only grow) or by the counts recorded at its incarnation's end;
// until then it waits, so a restart between the answer and the read raises no false alarm.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "chaos/simulator_truth.h"
#include "chaos/violations.h"
#include "token/completion_token.h"

namespace sidecar::testing::chaos {

// One 200 answer, as the client saw it.
struct CompleteAnswer {
  CompletionToken token;
  std::string request;  // for the report
  std::string answer;   // for the report
  SimulatorTruth::Clock::time_point answered_at;
};

class CompletionVerifier {
 public:
  CompletionVerifier(const SimulatorTruth& truth, Violations& violations);

  void Add(CompleteAnswer answer);
  // Settles what `state`, read from `read_started` on, can settle.
  void Settle(const SimState& state, SimulatorTruth::Clock::time_point read_started);
  // Settles what the counts recorded at incarnations' ends can; returns the answers left.
  size_t SettleWithEnds();

  uint64_t settled() const;
  size_t pending() const;

 private:
  // Checks `answer` if the truth settles it; returns whether it did.
  bool TrySettle(const CompleteAnswer& answer, const SimState* state);

  const SimulatorTruth& truth_;
  Violations& violations_;
  mutable std::mutex mutex_;
  std::vector<CompleteAnswer> pending_;
  uint64_t settled_ = 0;
};

}  // namespace sidecar::testing::chaos
