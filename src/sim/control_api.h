// ControlApi: the simulator's own endpoints under /sim/, for tests and demos.
//
//   POST /sim/restart?checkpoint=true|false    new incarnation (resumed from checkpoint or not);
//                                              starts a stopped pipeline too
//   POST /sim/stop                             the pipeline's user stops it: in process mode the
//                                              process is gone (its port refuses connections),
//                                              in manager mode the manager answers 503
//                                              PipelineInteractionNotDeployed (frontend.h)
//   POST /sim/start[?checkpoint=true|false]    starts a stopped pipeline as a new incarnation
//                                              (409 while it runs)
//   POST /sim/pause, POST /sim/resume          hold / release step completion
//   POST /sim/stall?ms=N                       answer every pipeline-API request N ms late (0: off)
//   POST /sim/fault?status=S[&kind=F][&path=P][&count=K]
//                                              the next K (default: all) requests of path P
//                                              (completion_status, the default; stats, ingress,
//                                              completion_token) get fault F instead of being
//                                              carried out; status=0 clears P's fault. F:
//                                                error        S (400-599, required) with an
//                                                             ErrorResponse (the default)
//                                                non_json     S (200-599, default 200) with an
//                                                             HTML page
//                                                wrong_shape  S (200-599, default 200) with JSON
//                                                             not of the answer's shape
//                                                reset        no answer: connections are reset
//   POST /sim/down?ms=N[&restart=true[&checkpoint=true]]
//                                              stop listening for N ms (then maybe restarted)
//   GET  /sim/requests, POST /sim/requests/reset   pipeline-API request counts
//   GET  /sim/state                            incarnation, running, steps, per-endpoint counts
//
// The HTTP layer opens and closes the pipeline's listener to match (sim_http_server.h); in
// process mode a stopped simulator is reached through its control listener or by signal.
//
// A reset is as close to "the pipeline resets this connection" as a cpprestsdk listener allows:
// it gives no handle on one request's socket, and it writes the status line before any body can
// fail, so it can neither close one connection nor close one without answering. The simulator
// therefore resets (TCP RST) every connection open to its port at that moment, the faulted
// request's own included, found by their local port (sim_http_server.h); other requests in
// flight then fail too, as they would behind a crashing proxy. Its listening socket stays open.
//
// Thread-safe: the parts it drives are.
#pragma once

#include <chrono>
#include <optional>

#include "sim/api_message.h"
#include "sim/fault_plan.h"
#include "sim/request_counters.h"
#include "sim/simulated_pipeline.h"

namespace sidecar::sim {

// An outage the HTTP layer carries out once it has answered /sim/down.
struct DownPlan {
  std::chrono::milliseconds duration;
  bool restart;          // come back as a new incarnation
  bool from_checkpoint;  // ... resumed from a checkpoint
};

struct ControlOutcome {
  ApiResponse response;
  std::optional<DownPlan> down;
};

class ControlApi {
 public:
  ControlApi(SimulatedPipeline& pipeline, FaultPlan& faults, RequestCounters& counters);

  // Whether the request is for the control API (its path starts with /sim).
  static bool Owns(const ApiRequest& request);

  ControlOutcome Handle(const ApiRequest& request, SimTime now) const;

 private:
  ApiResponse Restart(const ApiRequest& request, SimTime now) const;
  ApiResponse Stop() const;
  ApiResponse Start(const ApiRequest& request, SimTime now) const;
  ApiResponse SetPaused(bool paused) const;
  ApiResponse Stall(const ApiRequest& request) const;
  ApiResponse Fault(const ApiRequest& request) const;
  ControlOutcome Down(const ApiRequest& request) const;

  SimulatedPipeline& pipeline_;
  FaultPlan& faults_;
  RequestCounters& counters_;
};

}  // namespace sidecar::sim
