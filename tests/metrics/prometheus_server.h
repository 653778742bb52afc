// PrometheusServer: the real Prometheus server (Debian package `prometheus`) as a child process
// on a loopback port, scraping given targets under job="completion-sidecar" with the project's
// rules (deploy/prometheus/rules.yaml) loaded, and queried over its HTTP API.
//
// Thread-compatible. Its storage lives in a temporary directory removed on destruction.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "support/process.h"

namespace sidecar::testing {

// The prometheus binary's path as found when the build was configured; empty when not found.
std::string PrometheusPath();

class PrometheusServer {
 public:
  // `targets` are HOST:PORT; scraped (and rules evaluated) every `interval`.
  PrometheusServer(const std::vector<std::string>& targets, std::chrono::milliseconds interval);
  ~PrometheusServer();
  PrometheusServer(const PrometheusServer&) = delete;
  PrometheusServer& operator=(const PrometheusServer&) = delete;

  // Waits until the server answers /-/ready.
  bool WaitReady();

  struct Sample {
    std::map<std::string, std::string> labels;
    double value = 0;
  };
  // An instant query (GET /api/v1/query); the error says what Prometheus answered.
  Result<std::vector<Sample>> Query(const std::string& promql);
  // The single value of `promql`, or nullopt when it has no sample (or more than one).
  std::optional<double> QueryValue(const std::string& promql);

  // GET /api/v1/rules: the rules' names with their health ("ok", "err", "unknown").
  std::map<std::string, std::string> RuleHealth();

  std::string Output() const { return process_->Output(); }

 private:
  std::string dir_;
  std::string url_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace sidecar::testing
