// PipelineRegistry from several threads: no lock is held while a pipeline is made.
#include "pipeline/registry.h"

#include <gtest/gtest.h>

#include <future>
#include <set>
#include <thread>
#include <vector>

namespace sidecar::testing {
namespace {

using namespace std::chrono_literals;

std::shared_ptr<Pipeline> Unplaced(const std::string& name) {
  return std::make_shared<Pipeline>(name, "", PipelineOptions{}, IncarnationHistory());
}

// A factory that is slow (it reads stored history from a slow API server) holds up nobody else.
TEST(PipelineRegistry, OthersAreServedWhileAPipelineIsMade) {
  PipelineRegistry registry;
  registry.Add(Unplaced("ready"));
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> making;
  auto slow = std::async(std::launch::async, [&] {
    return registry.FindOrAdd("slow", [&] {
      making.set_value();
      released.wait();
      return Unplaced("slow");
    });
  });
  making.get_future().wait();

  auto other = std::async(std::launch::async, [&] {
    return registry.Find("ready") != nullptr && registry.All().size() == 1;
  });
  const bool served = other.wait_for(10s) == std::future_status::ready;
  release.set_value();  // in every case, so that no thread is left waiting
  EXPECT_TRUE(served) << "Find() waited for another pipeline's factory";
  EXPECT_TRUE(other.get());
  EXPECT_EQ(slow.get()->name(), "slow");
  EXPECT_EQ(registry.All().size(), 2u);
}

TEST(PipelineRegistry, ConcurrentAddsOfOneNameAllGetTheSamePipeline) {
  PipelineRegistry registry;
  constexpr int kThreads = 8;
  std::vector<std::shared_ptr<Pipeline>> got(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      got[i] = registry.FindOrAdd("demo", [] { return Unplaced("demo"); });
      registry.AddAlias("id-" + std::to_string(i), "demo");
    });
  }
  for (auto& t : threads) t.join();
  const std::set<Pipeline*> distinct = [&] {
    std::set<Pipeline*> s;
    for (const auto& p : got) s.insert(p.get());
    return s;
  }();
  EXPECT_EQ(distinct.size(), 1u);
  EXPECT_EQ(registry.Find("id-3"), got[0]);
  EXPECT_EQ(registry.All().size(), 1u);
}

}  // namespace
}  // namespace sidecar::testing
