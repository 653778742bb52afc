// The service's own key for the pipelines (pipelines.api_key_file) goes on every upstream
// request, forwarded ones included, in place of whatever the client sent; and a client's key for
// the service never reaches the pipeline.
#include <cpprest/http_listener.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <mutex>

#include "fakes/feldera_api/fake_feldera_api.h"
#include "service_harness.h"
#include "token/completion_token.h"

namespace sidecar::testing {
namespace {

constexpr const char* kIncarnation = "0195b8dc-0a56-7a23-9968-9c34a0c4b8a1";

// A pipeline API that answers just enough (/stats, /completion_status, /ingress/{table}) and
// records the Authorization header of every request, by path.
class RecordingPipeline {
 public:
  RecordingPipeline() : port_(FreePort()), listener_("http://127.0.0.1:" + std::to_string(port_)) {
    listener_.support([this](const web::http::http_request& request) { Handle(request); });
    listener_.open().wait();
  }
  ~RecordingPipeline() { listener_.close().wait(); }

  int port() const { return port_; }
  // Every Authorization header seen on `path` ("" for a request without one).
  std::vector<std::string> Seen(const std::string& path) {
    std::lock_guard lock(mu_);
    return seen_[path];
  }

 private:
  void Handle(const web::http::http_request& request) {
    const std::string path = request.relative_uri().path();
    {
      std::lock_guard lock(mu_);
      const auto header = request.headers().find("Authorization");
      seen_[path].push_back(header == request.headers().end() ? "" : header->second);
    }
    const std::string token = EncodeCompletionToken({*Uuid::Parse(kIncarnation), 0, 1});
    std::string body = R"({"status":"complete","step":1})";
    if (path == "/stats") {
      body = R"({"global_metrics":{"incarnation_uuid":")" + std::string(kIncarnation) +
             R"(","start_time":1767225600,"initial_start_time":1767225600,)"
             R"("total_completed_steps":1}})";
    } else if (path.starts_with("/ingress/")) {
      body = R"({"token":")" + token + R"("})";
    }
    request.reply(200, body, "application/json");
  }

  const int port_;
  web::http::experimental::listener::http_listener listener_;
  std::mutex mu_;
  std::map<std::string, std::vector<std::string>> seen_;
};

std::string WriteFile(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name + "-" + std::to_string(getpid());
  std::ofstream(path) << text;
  return path;
}

TEST(UpstreamKey, TheServicesKeyReplacesTheClientsOnEveryUpstreamRequest) {
  RecordingPipeline pipeline;
  const std::string pipeline_key = WriteFile("pipeline-key", "apikey:for-the-pipeline\n");
  const std::string service_keys = WriteFile("service-keys", "apikey:for-the-service\n");
  HarnessOptions options;
  options.start_sim = false;
  options.sim_port = pipeline.port();
  options.pipelines_yaml = "  api_key_file: " + pipeline_key + "\n";
  options.extra_yaml = "auth:\n  api_keys_file: " + service_keys + "\n";
  ServiceHarness h(options);

  const std::map<std::string, std::string> client = {
      {"Authorization", "Bearer apikey:for-the-service"}};
  const HttpResult ingest =
      HttpCall("POST", h.ServiceUrl("/v0/pipelines/demo/ingress/t?format=json"), "{}", client);
  ASSERT_EQ(ingest.status, 200) << ingest.body;
  const std::string token = ingest.Json().at("token").as_string();
  EXPECT_EQ(HttpCall("GET", h.ServiceUrl("/v0/pipelines/demo/completion_status?token=" + token), "",
                     client)
                .status,
            200);

  const std::string expected = "Bearer apikey:for-the-pipeline";
  for (const std::string path : {"/stats", "/ingress/t", "/completion_status"}) {
    const std::vector<std::string> seen = pipeline.Seen(path);
    ASSERT_FALSE(seen.empty()) << path;
    for (const auto& header : seen) EXPECT_EQ(header, expected) << path;
  }
  EXPECT_EQ(h.service().Output().find("for-the-"), std::string::npos) << "a key was logged";
  std::remove(pipeline_key.c_str());
  std::remove(service_keys.c_str());
}

TEST(UpstreamKey, AClientsKeyForTheServiceIsNotForwarded) {
  RecordingPipeline pipeline;
  const std::string service_keys = WriteFile("service-keys-only", "apikey:for-the-service\n");
  HarnessOptions options;
  options.start_sim = false;
  options.sim_port = pipeline.port();
  options.extra_yaml = "auth:\n  api_keys_file: " + service_keys + "\n";
  ServiceHarness h(options);
  const HttpResult ingest =
      HttpCall("POST", h.ServiceUrl("/v0/pipelines/demo/ingress/t?format=json"), "{}",
               {{"Authorization", "Bearer apikey:for-the-service"}});
  ASSERT_EQ(ingest.status, 200) << ingest.body;
  EXPECT_EQ(pipeline.Seen("/ingress/t"), std::vector<std::string>{""});
  std::remove(service_keys.c_str());
}

// /v0/config forwarded to Feldera's API server carries feldera.api_key_file's key: the client's
// key is for this service, and Feldera would refuse it.
TEST(UpstreamKey, ConfigIsForwardedWithTheFelderaKeyOnly) {
  FakeFelderaApi feldera;
  feldera.RequireApiKey("apikey:for-feldera");
  const std::string feldera_key = WriteFile("feldera-key", "apikey:for-feldera\n");
  const std::string service_keys = WriteFile("service-keys-config", "apikey:for-the-service\n");
  HarnessOptions options;
  options.extra_yaml = "auth:\n  api_keys_file: " + service_keys +
                       "\nfeldera:\n  api_url: " + feldera.Url() +
                       "\n  api_key_file: " + feldera_key + "\n";
  ServiceHarness h(options);

  const HttpResult config = HttpCall("GET", h.ServiceUrl("/v0/config"), "",
                                     {{"Authorization", "Bearer apikey:for-the-service"}});
  ASSERT_EQ(config.status, 200) << config.body;
  EXPECT_EQ(config.Json().at("edition").as_string(), "Enterprise");
  EXPECT_EQ(feldera.ConfigRequests(), 1);
  EXPECT_EQ(feldera.LastConfigAuthorization(), "Bearer apikey:for-feldera");
  std::remove(feldera_key.c_str());
  std::remove(service_keys.c_str());
}

TEST(UpstreamKey, ConfigIsForwardedWithoutAKeyWhenNoneIsConfigured) {
  FakeFelderaApi feldera;
  const std::string service_keys = WriteFile("service-keys-config2", "apikey:for-the-service\n");
  HarnessOptions options;
  options.extra_yaml =
      "auth:\n  api_keys_file: " + service_keys + "\nfeldera:\n  api_url: " + feldera.Url() + "\n";
  ServiceHarness h(options);
  const HttpResult config = HttpCall("GET", h.ServiceUrl("/v0/config"), "",
                                     {{"Authorization", "Bearer apikey:for-the-service"}});
  ASSERT_EQ(config.status, 200) << config.body;
  EXPECT_EQ(feldera.ConfigRequests(), 1);
  EXPECT_EQ(feldera.LastConfigAuthorization(), "");
  std::remove(service_keys.c_str());
}

}  // namespace
}  // namespace sidecar::testing
