// API keys and the operations listener, through the real binary: every /v0/ request needs a key
// from the keys file (re-read when it changes, never logged), the operations surface needs none,
// and metrics_listen serves /metrics, /healthz and /readyz but not the API.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "service_harness.h"

namespace sidecar::testing {
namespace {

using namespace std::chrono_literals;

const std::string kKey = "apikey:0123456789abcdefSECRET";
const std::string kRotatedKey = "apikey:rotated-key-SECRET";

class ApiKeysTest : public ::testing::Test {
 protected:
  static std::string KeysPath() {
    return ::testing::TempDir() + "/sidecar-keys-" + std::to_string(getpid());
  }
  static void WriteKeys(const std::string& text) {
    const std::string next = KeysPath() + ".next";
    std::ofstream(next) << text;
    ASSERT_EQ(std::rename(next.c_str(), KeysPath().c_str()), 0);
  }
  static HarnessOptions Options() {
    WriteKeys("# keys for the tests\n" + kKey + "\n");
    HarnessOptions options;
    options.extra_yaml = "auth:\n  api_keys_file: " + KeysPath() + "\n";
    return options;
  }
  void TearDown() override { std::remove(KeysPath().c_str()); }

  HttpResult Get(const std::string& path, const std::string& key) {
    std::map<std::string, std::string> headers;
    if (!key.empty()) headers["Authorization"] = "Bearer " + key;
    return HttpCall("GET", h_.ServiceUrl(path), "", headers);
  }

  ServiceHarness h_{Options()};
};

TEST_F(ApiKeysTest, EveryApiPathNeedsAKey) {
  for (const std::string path :
       {"/v0/pipelines", "/v0/pipelines/demo/completion_status?token=x", "/v0/config",
        "/v0/pipelines/demo/incarnations", "/v0/no/such/path"}) {
    SCOPED_TRACE(path);
    const HttpResult missing = Get(path, "");
    EXPECT_EQ(missing.status, 401);
    EXPECT_EQ(missing.Header("www-authenticate"), "Bearer realm=\"completion-sidecar\"");
    EXPECT_EQ(missing.Json().at("error_code").as_string(), "AuthenticationFailed");
    EXPECT_TRUE(missing.Json().at("details").is_object());
    const HttpResult wrong = Get(path, kKey + "x");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(wrong.Json().at("message").as_string(), "Unauthorized API key");
  }
  EXPECT_EQ(Get("/v0/pipelines", kKey).status, 200);
  EXPECT_EQ(Get("/v0/pipelines/demo/completion_status?token=x", kKey).status, 400);
  // The operations paths stay open: probes and Prometheus carry no key.
  for (const std::string path : {"/healthz", "/readyz", "/metrics"}) {
    EXPECT_EQ(Get(path, "").status, 200) << path;
  }
}

TEST_F(ApiKeysTest, ARotatedKeyFileTakesEffectWithoutARestart) {
  ASSERT_EQ(Get("/v0/pipelines", kKey).status, 200);
  WriteKeys(kRotatedKey + "\n");
  EXPECT_TRUE(WaitUntil([&] { return Get("/v0/pipelines", kRotatedKey).status == 200; }));
  EXPECT_EQ(Get("/v0/pipelines", kKey).status, 401);
  EXPECT_TRUE(h_.service().Running());
  // Keys are never written to the log, not even the wrong ones clients send.
  const std::string log = h_.service().Output();
  EXPECT_EQ(log.find("SECRET"), std::string::npos) << log;
}

TEST(MetricsListener, ServesOperationsPathsOnlyAndKeepsTheApiOnItsOwnPort) {
  const int metrics_port = FreePort();
  HarnessOptions options;
  options.extra_yaml = "metrics_listen: 127.0.0.1:" + std::to_string(metrics_port) + "\n";
  ServiceHarness h(options);
  const std::string ops = "http://127.0.0.1:" + std::to_string(metrics_port);
  EXPECT_EQ(HttpGet(ops + "/healthz").status, 200);
  EXPECT_EQ(HttpGet(ops + "/readyz").status, 200);
  const HttpResult metrics = HttpGet(ops + "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("feldera_pipeline_up{pipeline=\"\",pipeline_name=\"demo\"} 1"),
            std::string::npos);
  for (const std::string path : {"/v0/pipelines", "/v0/pipelines/demo/completion_status?token=x"}) {
    const HttpResult r = HttpGet(ops + path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.Json().at("error_code").as_string(), "NotFound") << path;
  }
  EXPECT_EQ(HttpGet(h.ServiceUrl("/v0/pipelines")).status, 200);
  EXPECT_EQ(HttpGet(h.ServiceUrl("/metrics")).status, 200);
}

}  // namespace
}  // namespace sidecar::testing
