#include "chaos/fault_driver.h"

#include <gtest/gtest.h>

#include <thread>

#include "common/time.h"
#include "fakes/kube_api/pod_mutations.h"
#include "support/http.h"
#include "support/process.h"

namespace sidecar::testing::chaos {
namespace {

using std::chrono::milliseconds;

// Generous bounds for what must happen eventually, not timings: the service seeing a new
// incarnation (through error bursts and watch backoff), the simulator answering again.
constexpr std::chrono::seconds kEventually{30};
// ... and the service taking in an end the fake API server has delivered. An event written to a
// watch stream that is being cut is lost with it, and the service gets it again only from its next
// watch, which its reflector paces as client-go does: after repeated failures (the error bursts,
// stream cuts within a second of opening) the backoff ceiling reaches 30 s.
constexpr std::chrono::seconds kTakeIn{40};

// Whether the service's incarnation history shows `incarnation` with an end.
bool HistoryShowsEnd(const web::json::value& history, const std::string& incarnation) {
  if (!history.has_array_field("incarnations")) return false;
  for (const web::json::value& entry : history.at("incarnations").as_array()) {
    if (entry.has_string_field("incarnation_uuid") &&
        entry.at("incarnation_uuid").as_string() == incarnation) {
      return entry.has_object_field("end");
    }
  }
  return false;
}

// The kubelet brought the container back: ready again after a termination.
void MarkContainersReady(web::json::value& pod) {
  web::json::value& conditions = pod["status"]["conditions"];
  for (size_t i = 0; i < conditions.size(); ++i) {
    const std::string type = conditions[i]["type"].as_string();
    if (type == "Ready" || type == "ContainersReady")
      conditions[i]["status"] = web::json::value::string("True");
  }
}

}  // namespace

FaultAction PickFaultAction(std::mt19937_64& random) {
  struct Weighted {
    FaultAction action;
    int weight;
  };
  constexpr Weighted kWeights[] = {
      {FaultAction::kRestartInProcess, 14},    {FaultAction::kRestartContainer, 12},
      {FaultAction::kTerminateThenRestart, 8}, {FaultAction::kRecreatePod, 6},
      {FaultAction::kOutageWithRestart, 8},    {FaultAction::kOutage, 6},
      {FaultAction::kCutWatches, 14},          {FaultAction::kApiErrorBurst, 12},
      {FaultAction::kSlowPipeline, 10},        {FaultAction::kQuiet, 10},
  };
  int total = 0;
  for (const Weighted& w : kWeights) total += w.weight;
  int roll = std::uniform_int_distribution<int>(0, total - 1)(random);
  for (const Weighted& w : kWeights) {
    if (roll < w.weight) return w.action;
    roll -= w.weight;
  }
  return FaultAction::kQuiet;
}

const char* FaultActionName(FaultAction action) {
  switch (action) {
    case FaultAction::kRestartInProcess:
      return "restart in process";
    case FaultAction::kRestartContainer:
      return "restart container";
    case FaultAction::kTerminateThenRestart:
      return "terminate, then restart";
    case FaultAction::kRecreatePod:
      return "recreate pod";
    case FaultAction::kOutageWithRestart:
      return "outage with restart";
    case FaultAction::kOutage:
      return "outage";
    case FaultAction::kCutWatches:
      return "cut watch streams";
    case FaultAction::kApiErrorBurst:
      return "API error burst";
    case FaultAction::kSlowPipeline:
      return "slow pipeline";
    case FaultAction::kQuiet:
      return "quiet";
  }
  return "?";
}

FaultDriver::FaultDriver(ChaosCluster cluster, uint64_t seed, SimulatorTruth& truth,
                         Violations& violations)
    : cluster_(std::move(cluster)), random_(seed), truth_(truth), violations_(violations) {}

bool FaultDriver::Begin() {
  const std::optional<SimState> state = ReadSimState();
  if (!state) return false;
  Adopt(state->incarnation);
  return true;
}

void FaultDriver::Run(Clock::time_point deadline) {
  while (Clock::now() < deadline) Do(PickFaultAction(random_));
}

void FaultDriver::Do(FaultAction action) {
  Note(FaultActionName(action));
  switch (action) {
    case FaultAction::kRestartInProcess:
      return RestartInProcess();
    case FaultAction::kRestartContainer:
      return RestartContainer();
    case FaultAction::kTerminateThenRestart:
      return TerminateThenRestart();
    case FaultAction::kRecreatePod:
      return RecreatePod();
    case FaultAction::kOutageWithRestart:
      return OutageWithRestart();
    case FaultAction::kOutage:
      return Outage();
    case FaultAction::kCutWatches:
      return cluster_.api.DropWatchStreams(/*mid_event=*/Pick(0, 1) == 1);
    case FaultAction::kApiErrorBurst: {
      const int statuses[] = {500, 503, 429};
      const int status = statuses[Pick(0, 2)];
      cluster_.api.FailRequests(status, -1, milliseconds(Pick(500, 3000)),
                                /*retry_after_seconds=*/status == 429 ? 1 : 0);
      return;
    }
    case FaultAction::kSlowPipeline:
      return SlowPipeline();
    case FaultAction::kQuiet:
      return Sleep(milliseconds(Pick(200, 1500)));
  }
}

void FaultDriver::RestartInProcess() {
  const bool checkpoint = Pick(0, 1) == 1;
  EndCurrentIncarnation();
  const HttpResult restart = HttpPost(cluster_.harness.SimUrl(
      std::string("/sim/restart?checkpoint=") + (checkpoint ? "true" : "false")));
  if (restart.status != 200 || !restart.Json().has_string_field("incarnation_uuid")) {
    ADD_FAILURE() << "the simulator refused a restart: " << restart.status << " " << restart.body;
    return;
  }
  Adopt(restart.Json().at("incarnation_uuid").as_string());
}

void FaultDriver::WaitPastProcessStartSecond() {
  const HttpResult stats = HttpGet(cluster_.harness.SimUrl("/stats"));
  const web::json::value doc = stats.Json();
  if (!doc.is_object() || !doc.has_object_field("global_metrics")) return;  // it is down
  // Feldera gives the start in whole Unix seconds (chrono::serde::ts_seconds).
  const web::json::value& started = doc.at("global_metrics").at("start_time");
  if (!started.is_integer()) return;
  const WallClock::time_point next_second(std::chrono::seconds(started.as_number().to_int64() + 1));
  WaitUntil([&] { return WallClock::now() >= next_second; }, kEventually);
}

void FaultDriver::RestartContainer() {
  const std::pair<const char*, int> ends[] = {{"OOMKilled", 137}, {"Error", 1}, {"Error", 143}};
  const auto& end = ends[Pick(0, 2)];
  WaitPastProcessStartSecond();
  EndCurrentIncarnation();
  cluster_.harness.KillSim();
  MutatePodAsEnd([&](web::json::value& pod) {
    sidecar::testing::RestartContainer(pod, cluster_.container, end.first, end.second);
  });
  StartSimulator();
}

void FaultDriver::TerminateThenRestart() {
  WaitPastProcessStartSecond();
  EndCurrentIncarnation();
  cluster_.harness.KillSim();
  MutatePodAsEnd([&](web::json::value& pod) {
    TerminateContainer(pod, cluster_.container, "OOMKilled", 137);
  });
  Sleep(milliseconds(Pick(300, 2000)));  // down for a while: only Kubernetes knows why
  cluster_.api.MutatePod(cluster_.namespace_name, cluster_.pod_name, [&](web::json::value& pod) {
    sidecar::testing::RestartContainer(pod, cluster_.container, "OOMKilled", 137);
    MarkContainersReady(pod);
  });
  StartSimulator();
}

void FaultDriver::RecreatePod() {
  EndCurrentIncarnation();
  cluster_.harness.KillSim();
  DeletePodAsEnd();
  Sleep(milliseconds(Pick(0, 1000)));
  PipelinePodOptions options;
  options.container = cluster_.container;
  options.container_port = cluster_.harness.sim_port();
  web::json::value pod =
      MakePipelinePod(cluster_.namespace_name, cluster_.pod_name,
                      {{"feldera.com/pipeline-name", cluster_.pipeline}}, "127.0.0.1", options);
  cluster_.api.CreatePod(pod);  // a new uid: the StatefulSet recreated it
  StartSimulator();
}

void FaultDriver::OutageWithRestart() {
  const bool checkpoint = Pick(0, 1) == 1;
  EndCurrentIncarnation();
  if (!SimPost("/sim/down?ms=" + std::to_string(Pick(200, 2000)) +
               "&restart=true&checkpoint=" + (checkpoint ? "true" : "false"))) {
    return;
  }
  AdoptNextIncarnation();
}

void FaultDriver::Outage() {
  if (!SimPost("/sim/down?ms=" + std::to_string(Pick(200, 2000)))) return;
  if (!WaitUntil([&] { return ReadSimState().has_value(); }, kEventually))
    ADD_FAILURE() << "the simulator did not come back from an outage";
}

void FaultDriver::SlowPipeline() {
  SimPost("/sim/stall?ms=" + std::to_string(Pick(200, 2500)));
  Sleep(milliseconds(Pick(1000, 4000)));
  SimPost("/sim/stall?ms=0");
}

void FaultDriver::Finish() {
  cluster_.api.ClearFaults();
  SimPost("/sim/stall?ms=0");
  ExpectServiceSees(current_);
  EndCurrentIncarnation();
}

void FaultDriver::EndCurrentIncarnation() {
  if (!SimPost("/sim/pause")) return;
  const std::optional<SimState> state = ReadSimState();
  if (!state || state->incarnation != current_ || !state->paused) {
    ADD_FAILURE() << "cannot read the simulator's final counts for " << current_;
    return;
  }
  truth_.Ended(current_, state->highest_complete);
}

void FaultDriver::MutatePodAsEnd(const std::function<void(web::json::value&)>& change) {
  const int64_t events_before = cluster_.api.Counters().watch_events_sent;
  const size_t requests_before = cluster_.api.RequestLog().size();
  cluster_.api.MutatePod(cluster_.namespace_name, cluster_.pod_name, change);
  FollowEnd(events_before, requests_before);
}

void FaultDriver::DeletePodAsEnd() {
  const int64_t events_before = cluster_.api.Counters().watch_events_sent;
  const size_t requests_before = cluster_.api.RequestLog().size();
  cluster_.api.DeletePod(cluster_.namespace_name, cluster_.pod_name);
  FollowEnd(events_before, requests_before);
}

// Delivered: the fake API server has sent the end to the service, as a watch event (only the pod
// is watched) or in a pod list served after the change. Taken in: the service's history shows it.
void FaultDriver::FollowEnd(int64_t events_before, size_t requests_before) {
  const std::string ended = current_;
  const bool delivered = WaitUntil(
      [&] {
        if (cluster_.api.Counters().watch_events_sent > events_before) return true;
        const std::vector<KubeRequestRecord> log = cluster_.api.RequestLog();
        for (size_t i = requests_before; i < log.size(); ++i) {
          if (log[i].resource == "pods" && log[i].verb == "list" && log[i].injected_status == 0)
            return true;
        }
        return false;
      },
      kEventually);
  if (!delivered) {
    violations_.Add({"the service recovers from Kubernetes API faults without a restart",
                     "the service's pod list and watch", "nothing delivered in 30 s",
                     "the end of incarnation " + ended + " waits in the fake API server"});
    return;
  }
  const Clock::time_point delivered_at = Clock::now();
  truth_.EndDelivered(ended, delivered_at);

  const std::string path = "/v0/pipelines/" + cluster_.pipeline + "/incarnations";
  HttpResult history;
  Clock::time_point answered_at;
  const bool taken_in = WaitUntil(
      [&] {
        history = HttpGet(cluster_.harness.ServiceUrl(path));
        answered_at = Clock::now();
        return HistoryShowsEnd(history.Json(), ended);
      },
      kTakeIn);
  if (!taken_in) {
    violations_.Add({"an end Kubernetes shows is taken in", "GET " + path,
                     "HTTP " + std::to_string(history.status) + ": " + history.body.substr(0, 600),
                     "the fake API server delivered the end of incarnation " + ended + " at " +
                         Since(delivered_at)});
    return;
  }
  truth_.EndTakenIn(ended, answered_at);
  Note(
      "end of " + ended + " delivered, taken in " +
      std::to_string(std::chrono::duration_cast<milliseconds>(answered_at - delivered_at).count()) +
      " ms later");
}

void FaultDriver::StartSimulator() {
  cluster_.harness.StartSim();
  const std::optional<SimState> state = ReadSimState();
  if (!state) {
    ADD_FAILURE() << "the restarted simulator does not answer";
    return;
  }
  Adopt(state->incarnation);
}

void FaultDriver::AdoptNextIncarnation() {
  const std::string previous = current_;
  std::string next;
  const bool changed = WaitUntil(
      [&] {
        const std::optional<SimState> state = ReadSimState();
        if (state) next = state->incarnation;
        return state && next != previous;
      },
      kEventually);
  if (!changed) {
    ADD_FAILURE() << "the simulator never came back as a new incarnation";
    return;
  }
  Adopt(next);
}

void FaultDriver::Adopt(const std::string& incarnation) {
  current_ = incarnation;
  truth_.Began(incarnation);
  Note("incarnation " + incarnation);
  ExpectServiceSees(incarnation);
}

void FaultDriver::ExpectServiceSees(const std::string& incarnation) {
  const std::string path = "/v0/pipelines/" + cluster_.pipeline + "/incarnations";
  HttpResult history;
  const bool seen = WaitUntil(
      [&] {
        history = HttpGet(cluster_.harness.ServiceUrl(path));
        return history.body.find("\"" + incarnation + "\"") != std::string::npos;
      },
      kEventually);
  if (!seen) {
    violations_.Add({"every incarnation change is seen", "GET " + path,
                     "HTTP " + std::to_string(history.status) + ": " + history.body.substr(0, 600),
                     "the simulator has run incarnation " + incarnation + " for 30 s"});
  }
}

bool FaultDriver::SimPost(const std::string& path_and_query) {
  HttpResult result;
  const bool done = WaitUntil(
      [&] {
        result = HttpPost(cluster_.harness.SimUrl(path_and_query));
        return result.status != 0;
      },
      kEventually);
  if (!done || result.status != 200) {
    ADD_FAILURE() << "simulator control " << path_and_query << ": " << result.status << " "
                  << result.body << result.error;
    return false;
  }
  return true;
}

std::optional<SimState> FaultDriver::ReadSimState() {
  const HttpResult result = HttpGet(cluster_.harness.SimUrl("/sim/state"));
  if (result.status != 200) return std::nullopt;
  return ParseSimState(result.Json());
}

void FaultDriver::Sleep(milliseconds duration) {
  std::this_thread::sleep_for(duration);
}

int FaultDriver::Pick(int from, int to) {
  return std::uniform_int_distribution<int>(from, to)(random_);
}

void FaultDriver::Note(const std::string& what) {
  log_ += Since(Clock::now()) + " " + what + "\n";
}

std::string FaultDriver::Since(Clock::time_point at) const {
  return "+" +
         std::to_string(
             std::chrono::duration_cast<milliseconds>(at - cluster_.run_started).count()) +
         " ms";
}

}  // namespace sidecar::testing::chaos
