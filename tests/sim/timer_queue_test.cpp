#include "sim/timer_queue.h"

#include <gtest/gtest.h>

#include <mutex>
#include <string>

#include "support/process.h"

namespace sidecar::sim {
namespace {

using sidecar::testing::WaitUntil;
using std::chrono::hours;
using std::chrono::milliseconds;

// The order tasks ran in, readable from the test thread.
class RunLog {
 public:
  void Add(const std::string& name) {
    std::lock_guard lock(mutex_);
    log_ += name;
  }
  std::string Read() {
    std::lock_guard lock(mutex_);
    return log_;
  }

 private:
  std::mutex mutex_;
  std::string log_;
};

TEST(TimerQueueTest, RunsTasksInDueOrder) {
  RunLog log;
  TimerQueue timers;
  timers.Schedule(milliseconds(60), [&] { log.Add("c"); });
  timers.Schedule(milliseconds(0), [&] { log.Add("a"); });
  timers.Schedule(milliseconds(30), [&] { log.Add("b"); });
  ASSERT_TRUE(WaitUntil([&] { return log.Read().size() == 3; }));
  EXPECT_EQ(log.Read(), "abc");
}

TEST(TimerQueueTest, TasksDueTogetherRunInSchedulingOrder) {
  RunLog log;
  TimerQueue timers;
  timers.Schedule(milliseconds(20), [&] {
    log.Add("1");
    timers.Schedule(milliseconds(0), [&] { log.Add("3"); });
  });
  timers.Schedule(milliseconds(20), [&] { log.Add("2"); });
  ASSERT_TRUE(WaitUntil([&] { return log.Read().size() == 3; }));
  EXPECT_EQ(log.Read(), "123");
}

TEST(TimerQueueTest, StopDropsPendingTasksAndIgnoresNewOnes) {
  RunLog log;
  TimerQueue timers;
  timers.Schedule(hours(1), [&] { log.Add("late"); });
  timers.Stop();
  timers.Schedule(milliseconds(0), [&] { log.Add("after"); });
  timers.Stop();
  EXPECT_EQ(log.Read(), "");
}

}  // namespace
}  // namespace sidecar::sim
