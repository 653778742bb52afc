#include "metrics/prometheus_server.h"

#include <cpprest/base_uri.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "metrics/deploy_artefacts.h"
#include "support/http.h"

namespace sidecar::testing {
namespace {

std::string Duration(std::chrono::milliseconds d) {
  return std::to_string(d.count()) + "ms";
}

std::string Config(const std::vector<std::string>& targets, std::chrono::milliseconds interval) {
  std::string yaml = "global:\n  scrape_interval: " + Duration(interval) +
                     "\n  scrape_timeout: " + Duration(interval) +
                     "\n  evaluation_interval: " + Duration(interval) + "\nrule_files:\n  - " +
                     DeployDir() + "/prometheus/rules.yaml\n" +
                     "scrape_configs:\n  - job_name: completion-sidecar\n    static_configs:\n" +
                     "      - targets:\n";
  for (const auto& target : targets) yaml += "          - \"" + target + "\"\n";
  return yaml;
}

}  // namespace

std::string PrometheusPath() {
  return PROMETHEUS_PATH;
}

PrometheusServer::PrometheusServer(const std::vector<std::string>& targets,
                                   std::chrono::milliseconds interval) {
  char dir[] = "/tmp/prometheus-test-XXXXXX";
  dir_ = mkdtemp(dir) ? dir : "";
  std::ofstream(dir_ + "/prometheus.yml") << Config(targets, interval);
  const int port = FreePort();
  url_ = "http://127.0.0.1:" + std::to_string(port);
  process_ = std::make_unique<ChildProcess>(std::vector<std::string>{
      PrometheusPath(), "--config.file=" + dir_ + "/prometheus.yml",
      "--storage.tsdb.path=" + dir_ + "/data",
      "--web.listen-address=127.0.0.1:" + std::to_string(port), "--log.level=warn"});
}

PrometheusServer::~PrometheusServer() {
  process_.reset();  // killed before its files go
  std::error_code ignored;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
}

bool PrometheusServer::WaitReady() {
  return WaitUntil([&] { return HttpGet(url_ + "/-/ready").status == 200; },
                   std::chrono::seconds(30));
}

Result<std::vector<PrometheusServer::Sample>> PrometheusServer::Query(const std::string& promql) {
  using R = Result<std::vector<Sample>>;
  const HttpResult r =
      HttpGet(url_ + "/api/v1/query?query=" + web::uri::encode_data_string(promql));
  const web::json::value doc = r.Json();
  if (r.status != 200 || !doc.is_object() || !doc.has_object_field("data")) {
    return R::Error("HTTP " + std::to_string(r.status) + ": " + r.body + r.error);
  }
  std::vector<Sample> samples;
  const web::json::value& data = doc.at("data");
  if (data.at("resultType").as_string() != "vector") return R::Error("not a vector: " + r.body);
  for (const auto& entry : data.at("result").as_array()) {
    Sample sample;
    for (const auto& [name, value] : entry.at("metric").as_object())
      sample.labels[name] = value.as_string();
    sample.value = std::stod(entry.at("value").at(1).as_string());
    samples.push_back(std::move(sample));
  }
  return R::Ok(std::move(samples));
}

std::optional<double> PrometheusServer::QueryValue(const std::string& promql) {
  auto samples = Query(promql);
  if (!samples.ok() || samples.value().size() != 1) return std::nullopt;
  return samples.value().front().value;
}

std::map<std::string, std::string> PrometheusServer::RuleHealth() {
  std::map<std::string, std::string> health;
  const web::json::value doc = HttpGet(url_ + "/api/v1/rules").Json();
  if (!doc.is_object() || !doc.has_object_field("data")) return health;
  for (const auto& group : doc.at("data").at("groups").as_array()) {
    for (const auto& rule : group.at("rules").as_array()) {
      // Recording rules may share a name; keep the worst health.
      std::string& kept = health[rule.at("name").as_string()];
      if (kept.empty() || kept == "ok") kept = rule.at("health").as_string();
    }
  }
  return health;
}

}  // namespace sidecar::testing
