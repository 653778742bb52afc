// TimerQueue: runs tasks after a delay on one background thread, so that nothing in the
// simulator sleeps on a request thread (stalled answers, outages, the step clock).
//
// Thread-safe. Tasks run one at a time and must not block; a task may schedule further tasks.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

namespace sidecar::sim {

class TimerQueue {
 public:
  TimerQueue();
  ~TimerQueue();  // Stop()s
  TimerQueue(const TimerQueue&) = delete;
  TimerQueue& operator=(const TimerQueue&) = delete;

  // Runs `task` once `delay` has passed. Ignored after Stop().
  void Schedule(std::chrono::steady_clock::duration delay, std::function<void()> task);

  // Drops the tasks not yet run and joins the thread. Must not be called from a task.
  void Stop();

 private:
  struct Entry {
    std::chrono::steady_clock::time_point due;
    uint64_t sequence;  // keeps tasks due at the same time in scheduling order
    std::function<void()> task;
  };
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.due != b.due ? a.due > b.due : a.sequence > b.sequence;
    }
  };

  void Run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::priority_queue<Entry, std::vector<Entry>, Later> entries_;
  uint64_t next_sequence_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sidecar::sim
