// The whole Service started in process (standalone mode), served over loopback, and stopped.
#include "app/service.h"

#include <gtest/gtest.h>

#include "support/http.h"
#include "support/process.h"
#include "token/completion_token.h"

namespace sidecar::testing {
namespace {

TEST(Service, StartsServesAndStopsInProcess) {
  const int port = FreePort();
  const int nothing_listens = FreePort();  // the pipeline's address: no pipeline runs there
  auto config = ParseConfigYaml("listen: 127.0.0.1:" + std::to_string(port) +
                                "\n"
                                "pipelines:\n"
                                "  probe_interval_ms: 200\n"
                                "  static:\n"
                                "    - {name: demo, url: \"http://127.0.0.1:" +
                                std::to_string(nothing_listens) + "\"}\n");
  ASSERT_TRUE(config.ok()) << config.error();
  auto created = Service::Create(config.value(), {});
  ASSERT_TRUE(created.ok()) << created.error();
  const std::unique_ptr<Service> service = std::move(created).value();
  ASSERT_EQ(service->Start(), std::nullopt);
  const std::string base = "http://127.0.0.1:" + std::to_string(port);

  EXPECT_EQ(HttpGet(base + "/healthz").status, 200);
  ASSERT_NE(service->pipelines().Find("demo"), nullptr);
  const HttpResult list = HttpGet(base + "/v0/pipelines");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.Json().at(0).at("name").as_string(), "demo");

  // The configured pipeline is wired to its upstream: down, so the answer is Feldera's 503.
  const std::string token = EncodeCompletionToken({Uuid::NewV7(), 0, 1});
  const HttpResult status =
      HttpGet(base + "/v0/pipelines/demo/completion_status?token=" + token);
  EXPECT_EQ(status.status, 503) << status.body;
  EXPECT_EQ(status.Json().at("error_code").as_string(), "PipelineInteractionUnreachable");

  service->Reload("a test");
  service->Stop();
  EXPECT_EQ(HttpGet(base + "/healthz").status, 0) << "the listener is closed";
  service->Stop();  // a second Stop does nothing
}

TEST(Service, ASettingThatCannotBeUsedIsNamed) {
  auto config = ParseConfigYaml("upstream:\n  ca_file: /nonexistent/ca.pem\n");
  ASSERT_TRUE(config.ok()) << config.error();
  auto created = Service::Create(config.value(), {});
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.error().find("upstream.ca_file"), std::string::npos) << created.error();
}

}  // namespace
}  // namespace sidecar::testing
