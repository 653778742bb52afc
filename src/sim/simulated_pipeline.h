// SimulatedPipeline: the state of one Feldera pipeline process as far as completion tokens go —
// input endpoints with record counts and token queues, steps initiated and completed, and the
// incarnation. See docs/feldera.md, "How a pipeline decides completion".
//
// Time is passed in, never read: the owner calls Tick(now) regularly (at least every step
// interval) and unit tests drive it with made-up times.
//
// The pipeline can be stopped (by its user, as Feldera's `/stop` does): nothing runs until it is
// started again, which always begins a new incarnation.
//
// Thread-safe: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/token_queue.h"
#include "token/completion_token.h"
#include "token/uuid.h"

namespace sidecar::sim {

using SimClock = std::chrono::system_clock;
using SimTime = SimClock::time_point;

struct StepTiming {
  // A step is initiated at most this often, and only when some endpoint has new records.
  std::chrono::milliseconds interval{20};
  // A step completes (its outputs are delivered) this long after it was initiated.
  std::chrono::milliseconds delay{200};
};

// How a token resolves against the current process.
struct CompletionLookup {
  enum class Outcome { kComplete, kInProgress, kPipelineRestarted, kUnknownEndpoint };
  Outcome outcome;
  std::optional<uint64_t> step;  // the token's step label, when it has one
  Uuid current_incarnation;
};

struct EndpointSnapshot {
  uint64_t id;
  std::string name;          // "table.connector"
  uint64_t total_records;    // records received
  uint64_t circuit_records;  // records taken in by initiated steps
  uint64_t total_bytes;      // bytes of the records received
  uint64_t circuit_bytes;    // bytes of the records taken in by initiated steps
  uint64_t queued_tokens;
  std::optional<uint64_t> highest_complete_count;  // every count <= this is complete
};

struct PipelineSnapshot {
  Uuid incarnation;
  SimTime start_time;          // with millisecond precision
  SimTime initial_start_time;  // earlier than start_time after a resume from checkpoint
  bool running;                // false once stopped, until started again
  bool paused;
  uint64_t total_initiated_steps;
  uint64_t total_completed_steps;
  uint64_t total_input_records;
  uint64_t total_input_bytes;
  uint64_t total_processed_records;  // records taken in by initiated steps
  uint64_t total_processed_bytes;
  uint64_t total_completed_records;         // records of completed steps
  std::vector<EndpointSnapshot> endpoints;  // by id
};

class SimulatedPipeline {
 public:
  // `endpoint_names` ("table.connector") get ids 0, 1, ... in order, for the object's lifetime.
  SimulatedPipeline(std::vector<std::string> endpoint_names, StepTiming timing, SimTime now,
                    size_t max_tokens_per_endpoint = kFelderaMaxTokensPerEndpoint);

  std::optional<uint64_t> FindEndpoint(std::string_view name) const;

  // Counts `records` (of `bytes` bytes) more on the endpoint, then makes a token for its new
  // count. Nullopt for an unknown endpoint id.
  std::optional<CompletionToken> Ingest(uint64_t endpoint, uint64_t records, uint64_t bytes = 0);

  // A token for the endpoint's current count. Nullopt for an unknown endpoint id.
  std::optional<CompletionToken> MakeToken(uint64_t endpoint);

  CompletionLookup Lookup(const CompletionToken& token) const;

  // Initiates a step if one is due and records are waiting, and completes the steps whose delay
  // has passed (unless paused).
  void Tick(SimTime now);

  // While paused no step completes; initiation and labelling go on.
  void SetPaused(bool paused);

  // Starts a new incarnation, whether it runs or was stopped: counts, token queues and steps
  // start from zero, the pipeline runs (unpaused). `initial_start_time` survives only a resume
  // from checkpoint. Returns the new incarnation UUID.
  Uuid Restart(bool from_checkpoint, SimTime now);

  // Stops the pipeline: it runs no more steps until Restart. Its state stays readable.
  void Stop();
  bool running() const;

  PipelineSnapshot Snapshot() const;

 private:
  struct Endpoint {
    std::string name;
    uint64_t total_records = 0;
    uint64_t circuit_records = 0;
    uint64_t total_bytes = 0;
    uint64_t circuit_bytes = 0;
    TokenQueue tokens;
  };
  struct StepInFlight {
    SimTime completes_at;
    uint64_t records;
  };

  void StartIncarnation(SimTime now);
  bool HasBufferedRecords() const;
  void InitiateStep(SimTime now);
  void CompleteDueSteps(SimTime now);
  void UpdateTokenQueues();
  CompletionToken TokenFor(uint64_t endpoint);

  const StepTiming timing_;
  const size_t max_tokens_per_endpoint_;

  mutable std::mutex mutex_;
  std::vector<Endpoint> endpoints_;
  Uuid incarnation_;
  SimTime start_time_;
  SimTime initial_start_time_;
  bool running_ = true;
  bool paused_ = false;
  uint64_t initiated_steps_ = 0;
  uint64_t completed_steps_ = 0;
  uint64_t completed_records_ = 0;
  std::optional<SimTime> last_initiation_;
  std::deque<StepInFlight> in_flight_;
};

}  // namespace sidecar::sim
