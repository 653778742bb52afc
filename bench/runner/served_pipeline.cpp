#include "runner/served_pipeline.h"

#include <cpprest/base_uri.h>

#include <stdexcept>

#include "support/http.h"

namespace sidecar::bench {
namespace {

constexpr auto kWait = std::chrono::seconds(20);

std::string StandaloneConfig(const std::string& sim_url, const ServedPipelineOptions& options) {
  std::string config;
  config += "threads: " + std::to_string(options.service_threads) + "\n";
  config += "pipelines:\n";
  config += "  static:\n";
  config += "    - {name: " + std::string(ServedPipeline::kName) + ", url: \"" + sim_url + "\"}\n";
  config += "tracker:\n";
  config += "  interval_ms: " + std::to_string(kTrackerIntervalMs) + "\n";
  config += "  max_tokens: " + std::to_string(options.max_tracked_tokens) + "\n";
  return config;
}

}  // namespace

void Expect(int status, int expected, const std::string& what, const std::string& detail) {
  if (status != expected) {
    throw std::runtime_error(what + ": expected HTTP " + std::to_string(expected) + ", got " +
                             std::to_string(status) + (detail.empty() ? "" : " (" + detail + ")"));
  }
}

ServedPipeline::ServedPipeline(Launcher& launcher, const ServedPipelineOptions& options) {
  sim_ = launcher.Sim(options.sim_flags);
  service_ = launcher.Sidecar(StandaloneConfig(sim_->url(), options));
  const bool ready = testing::WaitUntil(
      [&] { return testing::HttpGet(service_->url() + "/readyz").status == 200; }, kWait);
  if (!ready) throw std::runtime_error("the service never became ready: " + service_->Output());
}

std::string ServedPipeline::Ingest(const std::string& table) {
  const testing::HttpResult answer = testing::HttpPost(
      service_->url() + "/v0/pipelines/" + kName + "/ingress/" + table + "?format=json",
      "{\"n\":1}\n");
  Expect(answer.status, 200, "ingress through the service", answer.body + answer.error);
  const web::json::value json = answer.Json();
  if (!json.has_string_field("token")) throw std::runtime_error("no token in " + answer.body);
  return json.at("token").as_string();
}

std::string ServedPipeline::StatusTarget(const std::string& token, std::optional<int> wait_ms) {
  std::string target = std::string("/v0/pipelines/") + kName +
                       "/completion_status?token=" + web::uri::encode_data_string(token);
  if (wait_ms) target += "&wait_ms=" + std::to_string(*wait_ms);
  return target;
}

std::string ServedPipeline::WaitComplete(const std::string& token) {
  std::string body;
  const bool complete = testing::WaitUntil(
      [&] {
        const testing::HttpResult answer = testing::HttpGet(service_->url() + StatusTarget(token));
        body = answer.body;
        return answer.status == 200;
      },
      kWait);
  if (!complete) throw std::runtime_error("the token never completed: " + body);
  return body;
}

Uuid ServedPipeline::Incarnation() {
  const testing::HttpResult stats = testing::HttpGet(sim_->url() + "/stats");
  Expect(stats.status, 200, "the simulator's /stats");
  const auto uuid =
      Uuid::Parse(stats.Json().at("global_metrics").at("incarnation_uuid").as_string());
  if (!uuid) throw std::runtime_error("no incarnation_uuid in the simulator's /stats");
  return *uuid;
}

std::string ServedPipeline::Metrics() {
  const testing::HttpResult metrics = testing::HttpGet(service_->url() + "/metrics");
  Expect(metrics.status, 200, "the service's /metrics");
  return metrics.body;
}

std::string ServedPipeline::SimControl(const std::string& target) {
  const testing::HttpResult answer = testing::HttpPost(sim_->url() + target);
  Expect(answer.status, 200, "the simulator's " + target, answer.body);
  return answer.body;
}

}  // namespace sidecar::bench
