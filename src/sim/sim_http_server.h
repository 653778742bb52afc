// SimHttpServer: the simulator's HTTP edge (a SimListener, http or https). For each request it
// counts pipeline-API calls, holds their answer for the configured stall (on the timer queue, no
// thread held), routes to ControlApi or PipelineApi, carries out /sim/down outages by closing and
// later reopening the listener, and carries out reset faults by resetting every connection open
// to its port (connection_reset.h; control_api.h says why all of them).
//
// Thread-safe.
#pragma once

#include <memory>

#include "sim/control_api.h"
#include "sim/fault_plan.h"
#include "sim/pipeline_api.h"
#include "sim/request_counters.h"
#include "sim/sim_listener.h"
#include "sim/simulated_pipeline.h"
#include "sim/timer_queue.h"

namespace sidecar::sim {

// Request bodies above this size are refused with 413.
inline constexpr uint64_t kMaxRequestBodyBytes = 64ull << 20;

class SimHttpServer {
 public:
  struct Parts {
    SimulatedPipeline& pipeline;
    PipelineApi& pipeline_api;
    ControlApi& control_api;
    FaultPlan& faults;
    RequestCounters& counters;
    TimerQueue& timers;
  };

  // `tls` null: http. The parts must outlive the server.
  SimHttpServer(ListenAddress address, std::shared_ptr<const TlsIdentity> tls, Parts parts);
  ~SimHttpServer();
  SimHttpServer(const SimHttpServer&) = delete;
  SimHttpServer& operator=(const SimHttpServer&) = delete;

  // Starts listening; throws std::exception if the address cannot be bound.
  void Open();
  // Stops listening (connections are refused). Idempotent.
  void Close();

  std::string url() const { return listener_.url(); }

 private:
  void Receive(const web::http::http_request& request);
  void CountPipelineRequest(const ApiRequest& request);
  // Reads the body, routes, replies; then starts an outage if the control API asked for one.
  void Answer(web::http::http_request request, ApiRequest parsed);
  void ResetConnections(const web::http::http_request& request);
  void GoDown(const DownPlan& plan);
  void ComeBack(const DownPlan& plan);

  const Parts parts_;
  SimListener listener_;
};

}  // namespace sidecar::sim
