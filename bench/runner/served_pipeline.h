// A simulated Feldera pipeline with the service in front of it (standalone mode), and the calls
// the sections make on the pair: the setting most measurements share. The pipeline is named
// "bench"; the tracker runs at its default interval.
//
// Not thread-safe to construct; the calls are (each is one blocking HTTP request).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runner/servers.h"
#include "token/uuid.h"

namespace sidecar::bench {

// The service's default tracker.interval_ms, written into its configuration so that the bounds
// and targets computed here agree with what runs.
inline constexpr int kTrackerIntervalMs = 50;

struct ServedPipelineOptions {
  std::vector<std::string> sim_flags;  // e.g. --tables, --step-delay-ms
  int service_threads = 2;             // the service's `threads`
  int max_tracked_tokens = 100000;     // tracker.max_tokens
};

class ServedPipeline {
 public:
  static constexpr char kName[] = "bench";

  // Starts the simulator and the service and waits until the service is ready.
  ServedPipeline(Launcher& launcher, const ServedPipelineOptions& options);

  Server& sim() { return *sim_; }
  Server& service() { return *service_; }

  // Pushes one record into `table` through the service's ingress proxy; returns its token.
  std::string Ingest(const std::string& table = "numbers");
  // The service's completion_status request target for `token`.
  static std::string StatusTarget(const std::string& token, std::optional<int> wait_ms = {});
  // Waits until the service answers 200 for `token`; returns the body it answers.
  std::string WaitComplete(const std::string& token);
  // The simulator's current incarnation.
  Uuid Incarnation();
  // The service's /metrics text.
  std::string Metrics();
  // POSTs to the simulator's control API (e.g. "/sim/pause"); throws unless it answers 200.
  std::string SimControl(const std::string& target);

 private:
  std::unique_ptr<Server> sim_;
  std::unique_ptr<Server> service_;
};

// Throws std::runtime_error naming `what` unless `status` is `expected`.
void Expect(int status, int expected, const std::string& what, const std::string& detail = "");

}  // namespace sidecar::bench
