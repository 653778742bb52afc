// Ticker: a thread that runs every pipeline's periodic work (probes, long-poll re-checks) at a
// fixed interval until destroyed. Its mutex guards only the stop flag; the ticks run without it.
#pragma once

#include <chrono>
#include <thread>

#include "common/mutex.h"
#include "pipeline/registry.h"

namespace sidecar {

class Ticker {
 public:
  Ticker(PipelineRegistry& pipelines, std::chrono::milliseconds interval)
      : pipelines_(pipelines), interval_(interval), thread_([this] { Run(); }) {}
  ~Ticker() EXCLUDES(mu_) {
    {
      MutexLock lock(&mu_);
      stop_ = true;
    }
    cv_.SignalAll();
    thread_.join();
  }

 private:
  void Run() EXCLUDES(mu_) {
    while (true) {
      {
        MutexLock lock(&mu_);
        if (stop_) return;
      }
      const auto now = std::chrono::steady_clock::now();
      for (const auto& p : pipelines_.All()) p->Tick(now);
      MutexLock lock(&mu_);
      while (!stop_ && cv_.WaitUntil(&mu_, now + interval_)) {
      }
    }
  }

  PipelineRegistry& pipelines_;
  const std::chrono::milliseconds interval_;
  Mutex mu_;
  CondVar cv_;  // signalled when `stop_` is set
  bool stop_ GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace sidecar
