// feldera-sim: one simulated Feldera pipeline process on a loopback port, or Feldera's API server
// in front of that one pipeline (--manager). See sim_options.h for the command line,
// pipeline_api.h, frontend.h and control_api.h for what it serves.
//
// Signals: SIGHUP restarts (or starts, when stopped) as a new incarnation, SIGUSR1 restarts
// resumed from a checkpoint, SIGTERM and SIGINT exit cleanly with status 0.

// Boost.Asio, under pplx/threadpool.h, uses std::exchange without including <utility>.
#include <utility>

#include <pplx/threadpool.h>
#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/control_api.h"
#include "sim/fault_plan.h"
#include "sim/frontend.h"
#include "sim/pipeline_api.h"
#include "sim/request_counters.h"
#include "sim/sim_http_server.h"
#include "sim/sim_options.h"
#include "sim/simulated_pipeline.h"
#include "sim/step_clock.h"
#include "sim/timer_queue.h"
#include "sim/tls_identity.h"

namespace sidecar::sim {
namespace {

sigset_t HandledSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  for (int signal : {SIGHUP, SIGUSR1, SIGTERM, SIGINT}) sigaddset(&signals, signal);
  return signals;
}

// Serves signals on the calling thread until SIGTERM or SIGINT.
void HandleSignalsUntilExit(const sigset_t& signals, SimulatedPipeline& pipeline,
                            SimHttpServer& server) {
  while (true) {
    int signal = 0;
    if (sigwait(&signals, &signal) != 0) continue;
    if (signal == SIGTERM || signal == SIGINT) return;
    const bool from_checkpoint = signal == SIGUSR1;
    const Uuid incarnation = pipeline.Restart(from_checkpoint, SimClock::now());
    server.Sync();  // a stopped process listens again
    spdlog::info("restarted as incarnation {} (from checkpoint: {})", incarnation.ToString(),
                 from_checkpoint);
  }
}

// One line: where it listens, as what, and the incarnation.
std::string Banner(const SimOptions& options, const SimHttpServer& server,
                   const SimulatedPipeline& pipeline) {
  std::string banner = "feldera-sim listening on " + server.pipeline_url() + " incarnation " +
                       pipeline.Snapshot().incarnation.ToString();
  if (!options.manager_pipeline.empty()) banner += " manager " + options.manager_pipeline;
  if (std::optional<std::string> control = server.control_url()) banner += " control " + *control;
  return banner;
}

int Run(const std::vector<std::string>& args) {
  Result<SimOptions> parsed = ParseSimOptions(args);
  if (!parsed.ok()) {
    std::cerr << "feldera-sim: " << parsed.error() << "\n";
    return 2;
  }
  const SimOptions& options = parsed.value();
  spdlog::set_default_logger(spdlog::stderr_logger_mt("feldera-sim"));
  std::shared_ptr<const TlsIdentity> tls;
  if (options.tls()) {
    Result<TlsIdentity> identity = LoadTlsIdentity(options.tls_cert_file, options.tls_key_file);
    if (!identity.ok()) {
      std::cerr << "feldera-sim: " << identity.error() << "\n";
      return 2;
    }
    tls = std::make_shared<const TlsIdentity>(std::move(identity).value());
  }

  // Blocked before any thread starts, so that every thread inherits the mask and the signals
  // reach sigwait below.
  const sigset_t signals = HandledSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // Handlers never block, so a small pool serves everything (see the toolchain notes on latency).
  crossplat::threadpool::initialize_with_threads(2);

  const StepTiming timing{options.step_interval, options.step_delay};
  SimulatedPipeline pipeline(InputEndpointNames(options), timing, SimClock::now());
  FaultPlan faults;
  RequestCounters counters;
  PipelineApi pipeline_api(pipeline, faults);
  ControlApi control_api(pipeline, faults, counters);
  TimerQueue timers;
  StartStepClock(timers, pipeline, timing);

  const Frontend frontend = options.manager_pipeline.empty()
                                ? Frontend::Process()
                                : Frontend::Manager(options.manager_pipeline);
  SimHttpServer server({options.listen, options.control_listen, tls}, frontend,
                       {pipeline, pipeline_api, control_api, faults, counters, timers});
  try {
    server.Open();
  } catch (const std::exception& e) {
    std::cerr << "feldera-sim: cannot listen on " << server.pipeline_url()
              << (server.control_url() ? " and " + *server.control_url() : "") << ": " << e.what()
              << "\n";
    return 1;
  }
  std::cout << Banner(options, server, pipeline) << std::endl;

  HandleSignalsUntilExit(signals, pipeline, server);
  timers.Stop();
  server.Close();
  return 0;
}

}  // namespace
}  // namespace sidecar::sim

int main(int argc, char** argv) {
  return sidecar::sim::Run(std::vector<std::string>(argv + 1, argv + argc));
}
