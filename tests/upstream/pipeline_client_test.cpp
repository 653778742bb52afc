#include "upstream/pipeline_client.h"

#include <gtest/gtest.h>

namespace sidecar {
namespace {

TEST(ConnectableUri, AnIpv6LiteralLosesItsBracketsForTheResolver) {
  const web::uri v6 = ConnectableUri("http://[fd00:10:244::9]:8080/v0/pipelines/p");
  EXPECT_EQ(v6.host(), "fd00:10:244::9");
  EXPECT_EQ(v6.port(), 8080);
  EXPECT_EQ(v6.path(), "/v0/pipelines/p");
  EXPECT_EQ(ConnectableUri("https://10.244.0.9:8443").host(), "10.244.0.9");
  EXPECT_EQ(ConnectableUri("http://feldera:8080").host(), "feldera");
}

}  // namespace
}  // namespace sidecar
