#include "sim/simulated_pipeline.h"

#include <algorithm>

namespace sidecar::sim {

SimulatedPipeline::SimulatedPipeline(std::vector<std::string> endpoint_names, StepTiming timing,
                                     SimTime now, size_t max_tokens_per_endpoint)
    : timing_(timing), max_tokens_per_endpoint_(max_tokens_per_endpoint) {
  for (std::string& name : endpoint_names) {
    endpoints_.push_back(
        Endpoint{std::move(name), 0, 0, 0, 0, TokenQueue(max_tokens_per_endpoint_)});
  }
  StartIncarnation(now);
  initial_start_time_ = start_time_;
}

std::optional<uint64_t> SimulatedPipeline::FindEndpoint(std::string_view name) const {
  // Names and ids never change, so no lock is needed.
  for (size_t id = 0; id < endpoints_.size(); ++id) {
    if (endpoints_[id].name == name) return id;
  }
  return std::nullopt;
}

std::optional<CompletionToken> SimulatedPipeline::Ingest(uint64_t endpoint, uint64_t records,
                                                         uint64_t bytes) {
  std::lock_guard lock(mutex_);
  if (endpoint >= endpoints_.size()) return std::nullopt;
  endpoints_[endpoint].total_records += records;
  endpoints_[endpoint].total_bytes += bytes;
  return TokenFor(endpoint);
}

std::optional<CompletionToken> SimulatedPipeline::MakeToken(uint64_t endpoint) {
  std::lock_guard lock(mutex_);
  if (endpoint >= endpoints_.size()) return std::nullopt;
  return TokenFor(endpoint);
}

CompletionToken SimulatedPipeline::TokenFor(uint64_t endpoint) {
  Endpoint& e = endpoints_[endpoint];
  e.tokens.Add(e.total_records);
  // As in Feldera, a token whose records the circuit already holds is labelled at once.
  e.tokens.Update(e.circuit_records, initiated_steps_, completed_steps_);
  return CompletionToken{incarnation_, endpoint, e.total_records};
}

CompletionLookup SimulatedPipeline::Lookup(const CompletionToken& token) const {
  std::lock_guard lock(mutex_);
  CompletionLookup lookup{CompletionLookup::Outcome::kInProgress, std::nullopt, incarnation_};
  if (token.incarnation != incarnation_) {
    lookup.outcome = CompletionLookup::Outcome::kPipelineRestarted;
    return lookup;
  }
  if (token.endpoint >= endpoints_.size()) {
    lookup.outcome = CompletionLookup::Outcome::kUnknownEndpoint;
    return lookup;
  }
  lookup.step = endpoints_[token.endpoint].tokens.StepFor(token.count);
  if (lookup.step && completed_steps_ >= *lookup.step) {
    lookup.outcome = CompletionLookup::Outcome::kComplete;
  }
  return lookup;
}

void SimulatedPipeline::Tick(SimTime now) {
  std::lock_guard lock(mutex_);
  if (!running_) return;
  const bool step_due = !last_initiation_ || now - *last_initiation_ >= timing_.interval;
  if (step_due && HasBufferedRecords()) InitiateStep(now);
  CompleteDueSteps(now);
  UpdateTokenQueues();
}

void SimulatedPipeline::SetPaused(bool paused) {
  std::lock_guard lock(mutex_);
  paused_ = paused;
}

Uuid SimulatedPipeline::Restart(bool from_checkpoint, SimTime now) {
  std::lock_guard lock(mutex_);
  // Keep incarnations in start order even when restarts come within one millisecond: the UUIDv7
  // of a later incarnation must carry a later time.
  const SimTime start = std::max(now, start_time_ + std::chrono::milliseconds(1));
  StartIncarnation(start);
  if (!from_checkpoint) initial_start_time_ = start_time_;
  for (Endpoint& e : endpoints_) {
    e.total_records = 0;
    e.circuit_records = 0;
    e.total_bytes = 0;
    e.circuit_bytes = 0;
    e.tokens = TokenQueue(max_tokens_per_endpoint_);
  }
  running_ = true;
  paused_ = false;
  initiated_steps_ = 0;
  completed_steps_ = 0;
  completed_records_ = 0;
  last_initiation_.reset();
  in_flight_.clear();
  return incarnation_;
}

void SimulatedPipeline::Stop() {
  std::lock_guard lock(mutex_);
  running_ = false;
}

bool SimulatedPipeline::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

PipelineSnapshot SimulatedPipeline::Snapshot() const {
  std::lock_guard lock(mutex_);
  PipelineSnapshot snapshot{.incarnation = incarnation_,
                            .start_time = start_time_,
                            .initial_start_time = initial_start_time_,
                            .running = running_,
                            .paused = paused_,
                            .total_initiated_steps = initiated_steps_,
                            .total_completed_steps = completed_steps_,
                            .total_input_records = 0,
                            .total_input_bytes = 0,
                            .total_processed_records = 0,
                            .total_processed_bytes = 0,
                            .total_completed_records = completed_records_,
                            .endpoints = {}};
  for (size_t id = 0; id < endpoints_.size(); ++id) {
    const Endpoint& e = endpoints_[id];
    snapshot.total_input_records += e.total_records;
    snapshot.total_input_bytes += e.total_bytes;
    snapshot.total_processed_records += e.circuit_records;
    snapshot.total_processed_bytes += e.circuit_bytes;
    snapshot.endpoints.push_back(EndpointSnapshot{
        .id = id,
        .name = e.name,
        .total_records = e.total_records,
        .circuit_records = e.circuit_records,
        .total_bytes = e.total_bytes,
        .circuit_bytes = e.circuit_bytes,
        .queued_tokens = e.tokens.size(),
        .highest_complete_count = e.tokens.HighestCompleteCount(completed_steps_)});
  }
  return snapshot;
}

void SimulatedPipeline::StartIncarnation(SimTime now) {
  start_time_ = std::chrono::time_point_cast<std::chrono::milliseconds>(now);
  incarnation_ = Uuid::NewV7(start_time_);
}

bool SimulatedPipeline::HasBufferedRecords() const {
  return std::any_of(endpoints_.begin(), endpoints_.end(),
                     [](const Endpoint& e) { return e.total_records > e.circuit_records; });
}

void SimulatedPipeline::InitiateStep(SimTime now) {
  ++initiated_steps_;
  uint64_t records = 0;
  for (Endpoint& e : endpoints_) {
    records += e.total_records - e.circuit_records;
    e.circuit_records = e.total_records;
    e.circuit_bytes = e.total_bytes;
  }
  in_flight_.push_back(StepInFlight{now + timing_.delay, records});
  last_initiation_ = now;
}

void SimulatedPipeline::CompleteDueSteps(SimTime now) {
  if (paused_) return;
  // Steps complete in order; equal delays make their deadlines ordered too.
  while (!in_flight_.empty() && in_flight_.front().completes_at <= now) {
    ++completed_steps_;
    completed_records_ += in_flight_.front().records;
    in_flight_.pop_front();
  }
}

void SimulatedPipeline::UpdateTokenQueues() {
  for (Endpoint& e : endpoints_) {
    e.tokens.Update(e.circuit_records, initiated_steps_, completed_steps_);
  }
}

}  // namespace sidecar::sim
