// StatusClients: the chaos test's client load. Each thread, in a loop until stopped, either
// ingests a few records through the service (keeping the token it gets) or sends a random
// completion_status request (status_asks.h), and checks every answer at once against the
// invariants that need no waiting: a documented code and body, the answer the request deserves,
// and no 200/202 for a token whose incarnation's end Kubernetes showed and the service took in
// (those sent between delivery and uptake are counted for the summary). Answers 200 go to the
// CompletionVerifier, which settles them against the simulator's counts.
//
// Thread-safe: Start() and Stop() from one controlling thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "chaos/completion_verifier.h"
#include "chaos/simulator_truth.h"
#include "chaos/status_asks.h"
#include "chaos/violations.h"

namespace sidecar::testing::chaos {

struct ClientOptions {
  std::string service_url;  // "http://127.0.0.1:PORT"
  std::string pipeline;
  std::string table = "numbers";
  uint64_t seed = 1;
  int threads = 6;
  int max_wait_ms = 2000;  // the longest long-poll a client asks for
  SimulatorTruth::Clock::time_point run_started;
};

class StatusClients {
 public:
  StatusClients(ClientOptions options, const SimulatorTruth& truth, CompletionVerifier& verifier,
                Violations& violations);
  ~StatusClients();
  StatusClients(const StatusClients&) = delete;
  StatusClients& operator=(const StatusClients&) = delete;

  void Start();
  // Stops the threads once their current request is answered, and joins them.
  void Stop();

  // Requests by answer code, ingests, and the answers between an end's delivery and uptake.
  std::string Summary() const;

 private:
  void Run(uint64_t seed);
  void Ingest(std::mt19937_64& random);
  void AskStatus(std::mt19937_64& random);
  std::vector<CompletionToken> KnownTokens() const;
  void CountAliveDuringUptake(const std::string& incarnation,
                              SimulatorTruth::Clock::time_point sent_at);
  std::string Since(SimulatorTruth::Clock::time_point at) const;

  const ClientOptions options_;
  const SimulatorTruth& truth_;
  CompletionVerifier& verifier_;
  Violations& violations_;

  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
  mutable std::mutex tokens_mutex_;
  std::vector<CompletionToken> tokens_;  // the newest real tokens, bounded
  std::array<std::atomic<uint64_t>, 600> answers_by_status_{};
  std::atomic<uint64_t> ingests_{0};
  std::atomic<uint64_t> alive_during_uptake_{0};
  std::atomic<int64_t> longest_uptake_lag_ms_{0};
};

}  // namespace sidecar::testing::chaos
