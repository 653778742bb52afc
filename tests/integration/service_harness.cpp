#include "integration/service_harness.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <thread>

namespace sidecar::testing {

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
           << "log:\n  level: debug\n";
    if (options_.kubernetes_yaml.empty()) {
      config << "pipelines:\n"
             << "  probe_interval_ms: " << options_.probe_interval_ms << "\n"
             << options_.pipelines_yaml << "  static:\n"
             << "    - name: " << options_.pipeline << "\n"
             << "      url: http://127.0.0.1:" << sim_port_ << "\n";
    } else {
      std::string yaml = options_.kubernetes_yaml;
      const std::string marker = "{SIM_PORT}";
      for (size_t at; (at = yaml.find(marker)) != std::string::npos;) {
        yaml.replace(at, marker.size(), std::to_string(sim_port_));
      }
      config << yaml << "\n";
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
  sim_up_at_ = std::chrono::system_clock::now();
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
  std::this_thread::sleep_until(std::chrono::floor<std::chrono::seconds>(sim_up_at_) +
                                std::chrono::seconds(1));
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
