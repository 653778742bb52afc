// SimHttpServer: the simulator's HTTP edge. It owns the pipeline's listener (the pipeline API
// and the control API) and, optionally, a control listener serving only the control API
// (control_server.h), which stays open when the pipeline's closes. For
// each request it lets the Frontend decide whether the pipeline API answers it (process or
// manager mode, frontend.h), counts pipeline-API calls, holds their answer for the configured
// stall (on the timer queue, no thread held), routes to ControlApi or PipelineApi, carries out
// /sim/down outages and stopped processes by closing and later reopening the pipeline's
// listener, and carries out reset faults by resetting every connection open to its port
// (connection_reset.h; control_api.h says why all of them).
//
// Thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <optional>

#include "sim/control_api.h"
#include "sim/control_server.h"
#include "sim/fault_plan.h"
#include "sim/frontend.h"
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
  struct Listeners {
    ListenAddress pipeline;
    std::optional<ListenAddress> control;    // plain http, whatever `tls`
    std::shared_ptr<const TlsIdentity> tls;  // null: http
  };

  // The parts must outlive the server.
  SimHttpServer(Listeners listeners, Frontend frontend, Parts parts);
  ~SimHttpServer();
  SimHttpServer(const SimHttpServer&) = delete;
  SimHttpServer& operator=(const SimHttpServer&) = delete;

  // Starts listening; throws std::exception if an address cannot be bound.
  void Open();
  // Stops listening (connections are refused). Idempotent.
  void Close();
  // Opens or closes the pipeline's listener to match the pipeline: closed during a /sim/down
  // outage, and while stopped in process mode (its process is gone). Call after starting or
  // restarting the pipeline from outside the server (a signal).
  void Sync();

  std::string pipeline_url() const { return pipeline_listener_.url(); }
  std::optional<std::string> control_url() const;

 private:
  void Receive(const web::http::http_request& request);
  ControlServer::Reply ReceiveOnControlListener(const ApiRequest& request);
  void CountPipelineRequest(const ApiRequest& request);
  // Reads the body, routes, replies.
  void Answer(web::http::http_request request, ApiRequest parsed);
  // Replies to a control request once the pipeline's listener is open if it should be (so that a
  // start's caller can connect at once), then closes it or starts an outage if that is due.
  void AnswerControl(const web::http::http_request& request, const ControlOutcome& outcome);
  bool PipelineListenerWanted() const;
  // After a control request's answer is out: an outage, or closing the listener if due.
  void AfterControlAnswer(const std::optional<DownPlan>& down);
  void ResetConnections(const web::http::http_request& request);
  void GoDown(const DownPlan& plan);
  void ComeBack(const DownPlan& plan);

  const Frontend frontend_;
  const Parts parts_;
  std::atomic<bool> down_{false};
  SimListener pipeline_listener_;
  std::unique_ptr<ControlServer> control_listener_;
};

}  // namespace sidecar::sim
