// Ticker: a thread that runs every pipeline's periodic work (probes, long-poll re-checks) at a
// fixed interval until destroyed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "pipeline/registry.h"

namespace sidecar {

class Ticker {
 public:
  Ticker(PipelineRegistry& pipelines, std::chrono::milliseconds interval)
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

  PipelineRegistry& pipelines_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace sidecar
