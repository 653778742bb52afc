#include "upstream/http_client_pool.h"

#include <gtest/gtest.h>

#include "upstream/pipeline_client.h"

namespace sidecar {
namespace {

web::http::client::http_client_config Config() {
  web::http::client::http_client_config config;
  config.set_timeout(std::chrono::seconds(3));
  return config;
}

TEST(HttpClientPool, PipelinesOnOneOriginShareItsClient) {
  HttpClientPool pool(Config());
  auto a = pool.ClientFor(ConnectableUri("http://feldera:8080/v0/pipelines/a"));
  auto b = pool.ClientFor(ConnectableUri("http://feldera:8080/v0/pipelines/b"));
  auto other_port = pool.ClientFor(ConnectableUri("http://feldera:8081/v0/pipelines/a"));
  auto other_scheme = pool.ClientFor(ConnectableUri("https://feldera:8080/v0/pipelines/a"));
  auto v6 = pool.ClientFor(ConnectableUri("http://[fd00::5]:8080"));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, other_port);
  EXPECT_NE(a, other_scheme);
  EXPECT_EQ(a->base_uri().to_string(), "http://feldera:8080/");
  EXPECT_EQ(v6->base_uri().host(), "fd00::5");
  EXPECT_EQ(pool.size(), 4u);
}

TEST(HttpClientPool, AClientNoPipelineUsesIsReleased) {
  HttpClientPool pool(Config());
  std::weak_ptr<OriginClient> released;
  {
    auto client = pool.ClientFor(ConnectableUri("http://10.244.0.9:8080"));
    released = client;
    EXPECT_EQ(pool.size(), 1u);
  }
  EXPECT_TRUE(released.expired());
  EXPECT_EQ(pool.size(), 0u);
  // Pods come and go: the pool's map does not keep an entry for every address it ever saw.
  for (int i = 0; i < 10000; ++i) {
    pool.ClientFor(ConnectableUri("http://10.0." + std::to_string(i / 250) + "." +
                                  std::to_string(i % 250) + ":8080"));
  }
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_LT(pool.entries(), 200u);
}

}  // namespace
}  // namespace sidecar
