// completion-sidecar: serves Feldera's completion_status API for the pipelines it is given.
#include <utility>  // boost::asio (under pplx/threadpool.h) uses std::exchange without it

#include <pplx/threadpool.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <condition_variable>
#include <iostream>
#include <thread>

#include "api/http_server.h"
#include "config/config.h"
#include "log/logging.h"
#include "metrics/metrics.h"
#include "pipeline/registry.h"

namespace {

using sidecar::Config;

// Held long-polls and watches use a descriptor each; the default soft limit (1024) is too low.
void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// Runs the periodic work of every pipeline (probes, long-poll re-checks) until stopped.
class Ticker {
 public:
  Ticker(sidecar::PipelineRegistry& pipelines, std::chrono::milliseconds interval)
      : pipelines_(pipelines), interval_(interval), thread_([this] { Run(); }) {}
  ~Ticker() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  void Run() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      const auto now = std::chrono::steady_clock::now();
      for (const auto& p : pipelines_.All()) p->Tick(now);
      lock.lock();
      cv_.wait_until(lock, now + interval_, [this] { return stop_; });
    }
  }

  sidecar::PipelineRegistry& pipelines_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

int WaitForTerminationSignal() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  int received = 0;
  sigwait(&signals, &received);
  return received;
}

}  // namespace

int main(int argc, char** argv) {
  // Block termination signals in every thread; the main thread waits for them with sigwait.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto config = sidecar::ConfigFromArgs(std::vector<std::string>(argv + 1, argv + argc));
  if (!config.ok()) {
    std::cerr << config.error() << std::endl;
    return 2;
  }
  const Config& cfg = config.value();
  sidecar::SetUpLogging(cfg.log_level, cfg.log_format);
  RaiseFileLimit();
  crossplat::threadpool::initialize_with_threads(static_cast<size_t>(cfg.threads));

  sidecar::Metrics metrics;
  sidecar::PipelineRegistry pipelines;
  sidecar::PipelineOptions options;
  options.probe_interval = std::chrono::milliseconds(cfg.probe_interval_ms);
  const int retry_after = std::max(1, (cfg.probe_interval_ms + 999) / 1000);
  for (const auto& p : cfg.static_pipelines) {
    auto client = std::make_unique<sidecar::PipelineClient>(
        p.name, p.url, std::chrono::milliseconds(cfg.upstream_timeout_ms), retry_after);
    pipelines.Add(std::make_shared<sidecar::Pipeline>(p.name, std::move(client), options));
    spdlog::info("serving pipeline '{}' at {}", p.name, p.url);
  }

  sidecar::HttpServer server(cfg, pipelines, metrics);
  try {
    server.Open();
  } catch (const std::exception& e) {
    spdlog::critical("cannot listen on {}:{}: {}", cfg.listen_host, cfg.listen_port, e.what());
    return 1;
  }
  spdlog::info("listening on http://{}:{}", cfg.listen_host, cfg.listen_port);

  int received = 0;
  {
    Ticker ticker(pipelines, std::chrono::milliseconds(cfg.tracker_interval_ms));
    received = WaitForTerminationSignal();
  }
  spdlog::info("signal {} received: stopping", received);
  for (const auto& p : pipelines.All()) p->ReleaseWaiters();
  server.Close();
  return 0;
}
