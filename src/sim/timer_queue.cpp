#include "sim/timer_queue.h"

namespace sidecar::sim {

TimerQueue::TimerQueue() : thread_([this] { Run(); }) {}

TimerQueue::~TimerQueue() {
  Stop();
}

void TimerQueue::Schedule(std::chrono::steady_clock::duration delay, std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    entries_.push(
        Entry{std::chrono::steady_clock::now() + delay, next_sequence_++, std::move(task)});
  }
  wake_.notify_one();
}

void TimerQueue::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    entries_ = {};
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void TimerQueue::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (entries_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const auto due = entries_.top().due;
    if (std::chrono::steady_clock::now() < due) {
      wake_.wait_until(lock, due);
      continue;
    }
    std::function<void()> task = entries_.top().task;
    entries_.pop();
    lock.unlock();
    task();
    lock.lock();
  }
}

}  // namespace sidecar::sim
