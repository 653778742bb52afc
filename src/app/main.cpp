// completion-sidecar: serves Feldera's completion_status API for the pipelines it is given
// (standalone) or finds in Kubernetes (cluster, sidecar). main() reads the flags, sets up the
// process (logging, descriptors, thread pool, signals) and runs one Service until a termination
// signal.
#include <utility>  // boost::asio (under pplx/threadpool.h) uses std::exchange without it

#include <pplx/threadpool.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <iostream>
#include <thread>

#include "app/service.h"
#include "config/config.h"
#include "log/logging.h"

namespace {

// Held long-polls and watches use a descriptor each; the default soft limit (1024) is too low.
void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

sigset_t TerminationSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  return signals;
}

}  // namespace

int main(int argc, char** argv) {
  // Termination signals are blocked in every thread; the main thread waits for them.
  const sigset_t signals = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  const std::vector<std::string> args(argv + 1, argv + argc);
  auto config = sidecar::ConfigFromArgs(args);
  if (!config.ok()) {
    std::cerr << config.error() << std::endl;
    return 2;
  }
  const sidecar::Config& cfg = config.value();
  sidecar::SetUpLogging(cfg.log_level, cfg.log_format);
  RaiseFileLimit();
  crossplat::threadpool::initialize_with_threads(static_cast<size_t>(cfg.threads));

  auto created = sidecar::Service::Create(cfg, args);
  if (!created.ok()) {
    std::cerr << created.error() << std::endl;
    return 2;
  }
  const std::unique_ptr<sidecar::Service> service = std::move(created).value();
  if (auto error = service->Start()) {
    spdlog::critical("cannot listen: {}", *error);
    return 1;
  }

  int received = 0;
  while (sigwait(&signals, &received) == 0 && received == SIGHUP) service->Reload("SIGHUP");
  spdlog::info("signal {} received: stopping", received);
  // Whatever happens below, the process is gone after the grace period.
  std::thread([grace = std::chrono::milliseconds(cfg.shutdown_grace_ms)] {
    std::this_thread::sleep_for(grace);
    spdlog::error("stopping took longer than shutdown_grace_ms ({} ms): exiting now",
                  grace.count());
    std::_Exit(1);
  }).detach();
  service->Stop();
  spdlog::info("stopped");
  return 0;
}
