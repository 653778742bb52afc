// SimulatorTruth: what the simulator really did, as the chaos test's fault driver caused and saw
// it — every incarnation in order; for each ended one, the highest complete count of every
// endpoint at its end; and, for those whose end Kubernetes showed, when the fake API server had
// delivered that end to the service and when the service was seen to have taken it in.
//
// The driver pauses the simulator before ending an incarnation, so the counts it records then
// are final: no step completes while paused.
//
// Thread-safe.
#pragma once

#include <cpprest/json.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sidecar::testing::chaos {

// Highest complete count by endpoint id; nullopt where nothing is complete yet.
using HighestComplete = std::vector<std::optional<uint64_t>>;

// The simulator's GET /sim/state, as far as the invariants go.
struct SimState {
  std::string incarnation;
  bool paused = false;
  HighestComplete highest_complete;
};

// Nullopt for a document that is not /sim/state's.
std::optional<SimState> ParseSimState(const web::json::value& doc);

class SimulatorTruth {
 public:
  using Clock = std::chrono::steady_clock;

  void Began(const std::string& incarnation);
  // `final_counts` was read while the simulator was paused, just before the end.
  void Ended(const std::string& incarnation, HighestComplete final_counts);
  // The fake API server delivered the end (a watch event, or a list) at `at`.
  void EndDelivered(const std::string& incarnation, Clock::time_point at);
  // The service's history showed the end in an answer received at `at`.
  void EndTakenIn(const std::string& incarnation, Clock::time_point at);

  bool Ran(const std::string& incarnation) const;
  // Nullopt until the incarnation has ended.
  std::optional<HighestComplete> FinalCounts(const std::string& incarnation) const;
  std::optional<Clock::time_point> EndDeliveredAt(const std::string& incarnation) const;
  std::optional<Clock::time_point> EndTakenInAt(const std::string& incarnation) const;
  // Every incarnation, oldest first, and those that ended.
  std::vector<std::string> Incarnations() const;
  bool HasEnded(const std::string& incarnation) const;

 private:
  struct Record {
    std::optional<HighestComplete> final_counts;
    std::optional<Clock::time_point> end_delivered_at;
    std::optional<Clock::time_point> end_taken_in_at;
  };

  mutable std::mutex mutex_;
  std::vector<std::string> order_;
  std::map<std::string, Record> records_;
};

}  // namespace sidecar::testing::chaos
