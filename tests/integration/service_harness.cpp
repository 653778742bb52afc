#include "integration/service_harness.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <thread>

namespace sidecar::testing {
namespace {

// `text` with every `{SIM_PORT}` replaced by `port`.
std::string ReplacePort(std::string text, int port) {
  const std::string marker = "{SIM_PORT}";
  for (size_t at; (at = text.find(marker)) != std::string::npos;) {
    text.replace(at, marker.size(), std::to_string(port));
  }
  return text;
}

}  // namespace

ServiceHarness::ServiceHarness(HarnessOptions options)
    : options_(std::move(options)),
      sim_port_(options_.sim_port ? options_.sim_port : FreePort()),
      service_port_(FreePort()) {
  if (options_.start_sim) StartSim();
  config_path_ = ::testing::TempDir() + "/sidecar-" + std::to_string(::getpid()) + "-" +
                 std::to_string(service_port_) + ".yaml";
  {
    std::ofstream config(config_path_);
    config << "listen: 127.0.0.1:" << service_port_ << "\n"
           << "upstream:\n  timeout_ms: " << options_.upstream_timeout_ms << "\n"
           << options_.upstream_yaml << "log:\n  level: debug\n";
    if (options_.kubernetes_yaml.empty()) {
      config << "pipelines:\n"
             << "  probe_interval_ms: " << options_.probe_interval_ms << "\n"
             << options_.pipelines_yaml << "  static:\n"
             << "    - name: " << options_.pipeline << "\n"
             << "      url: "
             << ReplacePort(options_.pipeline_url.empty() ? "http://127.0.0.1:{SIM_PORT}"
                                                          : options_.pipeline_url,
                            sim_port_)
             << "\n";
    } else {
      config << ReplacePort(options_.kubernetes_yaml, sim_port_) << "\n";
    }
    config << options_.extra_yaml;
  }
  StartService();
}

void ServiceHarness::StartService() {
  service_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{BuiltBinary("completion-sidecar"), "--config", config_path_});
  const bool ready = WaitUntil([&] { return HttpGet(ServiceUrl("/readyz")).status == 200; });
  if (!ready) ADD_FAILURE() << "service never became ready:\n" << service_->Output();
}

void ServiceHarness::RestartService(const std::function<void()>& while_stopped) {
  service_->Signal(SIGTERM);
  EXPECT_EQ(service_->Wait(), 0) << service_->Output();
  if (while_stopped) while_stopped();
  StartService();
}

ServiceHarness::~ServiceHarness() {
  if (::testing::Test::HasFailure() && service_) {
    std::cerr << "---- service output ----\n" << service_->Output() << "------------------------\n";
  }
  service_.reset();
  sim_.reset();
  std::remove(config_path_.c_str());
}

void ServiceHarness::StartSim() {
  sim_ = std::make_unique<ChildProcess>(std::vector<std::string>{
      BuiltBinary("feldera-sim"), "--listen", "127.0.0.1:" + std::to_string(sim_port_),
      "--step-interval-ms", "10", "--step-delay-ms", std::to_string(options_.step_delay_ms)});
  const bool up = WaitUntil([&] { return HttpGet(SimUrl("/sim/state")).status == 200; });
  if (!up) ADD_FAILURE() << "simulator never answered:\n" << sim_->Output();
}

void ServiceHarness::KillSim() {
  sim_->Signal(SIGKILL);
  sim_->Wait();
}

std::string ServiceHarness::ServiceUrl(const std::string& path_and_query) const {
  return "http://127.0.0.1:" + std::to_string(service_port_) + path_and_query;
}

std::string ServiceHarness::SimUrl(const std::string& path_and_query) const {
  return "http://127.0.0.1:" + std::to_string(sim_port_) + path_and_query;
}

std::string ServiceHarness::Ingest(int records) {
  std::string body;
  for (int i = 0; i < records; ++i) body += "{\"n\":" + std::to_string(i) + "}\n";
  HttpResult r = HttpPost(
      ServiceUrl("/v0/pipelines/" + options_.pipeline + "/ingress/numbers?format=json"), body);
  EXPECT_EQ(r.status, 200) << r.body << r.error;
  const web::json::value doc = r.Json();
  if (!doc.is_object() || !doc.has_string_field("token")) return "";
  return doc.at("token").as_string();
}

HttpResult ServiceHarness::Status(const std::string& token, const std::string& extra_query,
                                  std::chrono::milliseconds timeout) {
  return HttpGet(ServiceUrl("/v0/pipelines/" + options_.pipeline +
                            "/completion_status?token=" + token + extra_query),
                 timeout);
}

void ServiceHarness::Sim(const std::string& path_and_query) {
  HttpResult r = HttpPost(SimUrl(path_and_query));
  ASSERT_EQ(r.status, 200) << path_and_query << ": " << r.body << r.error;
}

void ServiceHarness::ResumeSimFromCheckpoint() {
  // The running process's start, in Feldera's whole seconds: the simulator's own, or that of its
  // latest in-process restart.
  const web::json::value stats = HttpGet(SimUrl("/stats")).Json();
  ASSERT_TRUE(stats.is_object() && stats.at("global_metrics").has_number_field("start_time"))
      << stats.serialize();
  const std::chrono::seconds started(
      stats.at("global_metrics").at("start_time").as_number().to_int64());
  std::this_thread::sleep_until(
      std::chrono::system_clock::time_point(started + std::chrono::seconds(1)));
  Sim("/sim/restart?checkpoint=true");
}

int ServiceHarness::SimRequests(const std::string& path) {
  HttpResult r = HttpGet(SimUrl("/sim/requests"));
  const web::json::value doc = r.Json();
  if (!doc.is_object() || !doc.has_number_field(path)) {
    ADD_FAILURE() << "no counter " << path << " in " << r.body;
    return -1;
  }
  return doc.at(path).as_integer();
}

std::string ServiceHarness::SimIncarnation() {
  HttpResult r = HttpGet(SimUrl("/stats"));
  return r.Json().at("global_metrics").at("incarnation_uuid").as_string();
}

std::optional<double> ServiceHarness::ServiceMetric(const std::string& series) {
  const HttpResult r = HttpGet(ServiceUrl("/metrics"));
  const std::string prefix = series + " ";
  size_t line = 0;
  while (line < r.body.size()) {
    size_t end = r.body.find('\n', line);
    if (end == std::string::npos) end = r.body.size();
    if (r.body.compare(line, prefix.size(), prefix) == 0) {
      return std::stod(r.body.substr(line + prefix.size(), end - line - prefix.size()));
    }
    line = end + 1;
  }
  return std::nullopt;
}

}  // namespace sidecar::testing
