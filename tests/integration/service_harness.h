// ServiceHarness: the real completion-sidecar in front of the real feldera-sim, each a child
// process on its own loopback port, plus the calls tests make against them.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "support/http.h"
#include "support/process.h"

namespace sidecar::testing {

struct HarnessOptions {
  int probe_interval_ms = 200;
  int upstream_timeout_ms = 2000;
  int step_delay_ms = 50;
  std::string pipeline = "demo";
  int sim_port = 0;        // 0: any free port
  bool start_sim = true;   // false: another harness runs the simulator on sim_port
  std::string extra_yaml;  // appended to the service's config file
  // More keys of the static configuration's `pipelines:` section, each line indented two spaces.
  std::string pipelines_yaml;
  // More keys of the `upstream:` section, each line indented two spaces.
  std::string upstream_yaml;
  // The static pipeline's URL; `{SIM_PORT}` is replaced by the simulator's port. Empty:
  // http://127.0.0.1:{SIM_PORT}.
  std::string pipeline_url;
  // When set, the service finds its pipelines in Kubernetes: this YAML (mode, kubernetes.*,
  // pipelines.* pod rules) replaces the static pipeline list. `{SIM_PORT}` is replaced by the
  // simulator's port.
  std::string kubernetes_yaml;
};

class ServiceHarness {
 public:
  explicit ServiceHarness(HarnessOptions options = {});
  ~ServiceHarness();

  // Starts (or restarts) the simulator on its port; waits until it answers.
  void StartSim();
  // SIGKILLs the simulator.
  void KillSim();
  // Stops the service (SIGTERM, expecting exit 0) and starts it again with the same config;
  // `while_stopped` runs in between.
  void RestartService(const std::function<void()>& while_stopped = {});

  std::string ServiceUrl(const std::string& path_and_query) const;
  std::string SimUrl(const std::string& path_and_query) const;

  // POSTs `records` records through the service's ingress proxy; returns the token.
  std::string Ingest(int records = 1);
  // GET completion_status for `token` (already URL-safe), with optional extra query text.
  HttpResult Status(const std::string& token, const std::string& extra_query = "",
                    std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // POSTs a control command to the simulator, e.g. "/sim/pause".
  void Sim(const std::string& path_and_query);
  // Restarts the simulated pipeline as resumed from a checkpoint. Feldera's /stats times are
  // whole seconds, so a resume within the start second of the process it resumes from reads as
  // not resumed: this first waits for the next second after the running process's start.
  void ResumeSimFromCheckpoint();
  // The simulator's count of requests to one of its paths ("completion_status", "stats", ...).
  int SimRequests(const std::string& path);
  // The simulator's current incarnation.
  std::string SimIncarnation();
  // The value of one series in the service's /metrics, named exactly as the text format writes
  // it (e.g. `feldera_completion_tokens_tracked{pipeline="",pipeline_name="demo"}`); nullopt when
  // absent.
  std::optional<double> ServiceMetric(const std::string& series);

  const HarnessOptions& options() const { return options_; }
  // The service's config file (tests may rewrite it to exercise reloading).
  const std::string& config_path() const { return config_path_; }
  int sim_port() const { return sim_port_; }
  ChildProcess& service() { return *service_; }

 private:
  HarnessOptions options_;
  int sim_port_;
  int service_port_;
  std::string config_path_;
  std::unique_ptr<ChildProcess> sim_;
  std::unique_ptr<ChildProcess> service_;

  void StartService();
};

}  // namespace sidecar::testing
