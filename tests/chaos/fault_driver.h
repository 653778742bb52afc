// FaultDriver: the chaos scenario's adversary. Until its deadline it picks, with a seeded random
// generator, one fault after another:
//   - the simulator restarting: in process (resumed from a checkpoint or not); its container
//     restarted, or terminated and restarted later, or its pod deleted and recreated, each as
//     Kubernetes shows it; an outage from which it comes back as a new incarnation;
//   - a plain outage, watch streams cut (mid-event or not), API-server error bursts (500, 503,
//     429 with Retry-After), a slow pipeline (answers up to 2.5 s late).
// Before ending an incarnation it pauses the simulator and records its final counts; after a
// Kubernetes-visible end it records when the fake API server delivered it to the service and
// when the service took it in (within 40 s); after every restart it checks that the service
// sees the new incarnation.
//
// Runs on the calling thread; not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "chaos/simulator_truth.h"
#include "chaos/violations.h"
#include "fakes/kube_api/fake_kube_api.h"
#include "integration/service_harness.h"

namespace sidecar::testing::chaos {

enum class FaultAction {
  kRestartInProcess,
  kRestartContainer,
  kTerminateThenRestart,
  kRecreatePod,
  kOutageWithRestart,
  kOutage,
  kCutWatches,
  kApiErrorBurst,
  kSlowPipeline,
  kQuiet,
};

// The next action: restarts of one kind or another about half of the time.
FaultAction PickFaultAction(std::mt19937_64& random);
const char* FaultActionName(FaultAction action);

struct ChaosCluster {
  FakeKubeApiServer& api;
  ServiceHarness& harness;
  std::string namespace_name;
  std::string pod_name;
  std::string container;
  std::string pipeline;
  SimulatorTruth::Clock::time_point run_started;
};

class FaultDriver {
 public:
  FaultDriver(ChaosCluster cluster, uint64_t seed, SimulatorTruth& truth, Violations& violations);

  // Records the incarnation running now; false if the simulator does not answer.
  bool Begin();
  // Injects faults until `deadline`.
  void Run(SimulatorTruth::Clock::time_point deadline);
  // Clears every fault, checks that the service sees the last incarnation, then pauses the
  // simulator and records that incarnation's counts, so every answer can be settled.
  void Finish();

  // One line per action taken, with its time.
  std::string Log() const { return log_; }

 private:
  using Clock = SimulatorTruth::Clock;

  void Do(FaultAction action);
  void RestartInProcess();
  void RestartContainer();
  void TerminateThenRestart();
  void RecreatePod();
  void OutageWithRestart();
  void Outage();
  void SlowPipeline();

  // Pauses the simulator and records the current incarnation's final counts.
  void EndCurrentIncarnation();
  // Changes (or deletes) the pod, ending the current incarnation as Kubernetes shows it, then
  // follows the end (FollowEnd).
  void MutatePodAsEnd(const std::function<void(web::json::value&)>& change);
  void DeletePodAsEnd();
  // Records when the fake API server delivered the end to the service (counters and request log
  // from before the change tell), and when the service's history then showed it.
  void FollowEnd(int64_t events_before, size_t requests_before);
  // (Re)starts the simulator process and adopts its incarnation.
  void StartSimulator();
  // Waits for a new incarnation other than the current one to run, and adopts it.
  void AdoptNextIncarnation();
  void Adopt(const std::string& incarnation);
  void ExpectServiceSees(const std::string& incarnation);

  // The simulator's control API, retried while it does not answer (it may be restarting).
  bool SimPost(const std::string& path_and_query);
  std::optional<SimState> ReadSimState();
  void Sleep(std::chrono::milliseconds duration);
  // Waits until the clock is in a later whole second than the running process's start. Kubernetes'
  // container times have whole seconds: a container restart within the same second as an
  // in-process restart cannot be told apart from the new process starting in the new container,
  // by the service or by anyone, so the chaos schedule does not produce one.
  void WaitPastProcessStartSecond();
  int Pick(int from, int to);
  void Note(const std::string& what);
  std::string Since(Clock::time_point at) const;

  ChaosCluster cluster_;
  std::mt19937_64 random_;
  SimulatorTruth& truth_;
  Violations& violations_;
  std::string current_;  // the simulator's incarnation
  std::string log_;
};

}  // namespace sidecar::testing::chaos
