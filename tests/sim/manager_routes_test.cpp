#include "sim/manager_routes.h"

#include <gtest/gtest.h>

namespace sidecar::sim {
namespace {

using Path = std::vector<std::string>;

std::optional<ManagerRoute> Match(const std::string& method, const std::string& target) {
  ApiRequest request = ParseRequestTarget(method, target);
  request.body = "body";
  return MatchManagerRoute(request);
}

TEST(ManagerRoutesTest, StatsAndCompletionStatusForwardWithTheirQuery) {
  std::optional<ManagerRoute> route = Match("GET", "/v0/pipelines/p1/stats");
  ASSERT_TRUE(route.has_value());
  EXPECT_EQ(route->pipeline_name, "p1");
  EXPECT_EQ(route->forwarded.path, Path{"stats"});

  route = Match("GET", "/v0/pipelines/p1/completion_status?token=abc%3D");
  ASSERT_TRUE(route.has_value());
  EXPECT_EQ(route->forwarded.method, "GET");
  EXPECT_EQ(route->forwarded.path, Path{"completion_status"});
  EXPECT_EQ(route->forwarded.Param("token"), "abc=");
  EXPECT_EQ(route->forwarded.query_string, "token=abc%3D");
}

TEST(ManagerRoutesTest, IngressForwardsTheTableAsGivenWithQueryAndBody) {
  const std::optional<ManagerRoute> route =
      Match("POST", "/v0/pipelines/p1/ingress/%22Orders%22?format=json&array=true");
  ASSERT_TRUE(route.has_value());
  EXPECT_EQ(route->forwarded.method, "POST");
  EXPECT_EQ(route->forwarded.path, (Path{"ingress", "\"Orders\""}));
  EXPECT_EQ(route->forwarded.Param("array"), "true");
  EXPECT_EQ(route->forwarded.body, "body");
}

// pipeline_interaction.rs: SqlIdentifier::from(&table_name).name(), then "{table}.{connector}".
TEST(ManagerRoutesTest, CompletionTokenNormalisesTheTableThenNamesTheEndpoint) {
  auto endpoint = [](const std::string& table, const std::string& connector) {
    const std::optional<ManagerRoute> route =
        Match("GET", "/v0/pipelines/p1/tables/" + table + "/connectors/" + connector +
                         "/completion_token");
    EXPECT_TRUE(route.has_value());
    EXPECT_EQ(route->forwarded.path.size(), 3u);
    EXPECT_EQ(route->forwarded.path[0], "input_endpoints");
    EXPECT_EQ(route->forwarded.path[2], "completion_token");
    return route->forwarded.path[1];
  };
  EXPECT_EQ(endpoint("numbers", "api-ingress"), "numbers.api-ingress");
  EXPECT_EQ(endpoint("NUMBERS", "kafka"), "numbers.kafka");
  EXPECT_EQ(endpoint("%22Numbers%22", "kafka"), "Numbers.kafka");
  EXPECT_EQ(endpoint("numbers", "Kafka"), "numbers.Kafka");  // connectors keep their case
}

TEST(ManagerRoutesTest, OtherPathsAndWrongMethodsTakeNoRoute) {
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/stats"},
           {"GET", "/completion_status?token=x"},
           {"POST", "/ingress/numbers"},
           {"GET", "/input_endpoints/numbers.api-ingress/completion_token"},
           {"GET", "/v0/pipelines/p1"},
           {"GET", "/v0/pipelines/p1/input_endpoints/numbers.kafka/completion_token"},
           {"GET", "/v0/pipelines/p1/stats/more"},
           {"GET", "/v1/pipelines/p1/stats"},
           {"POST", "/v0/pipelines/p1/stats"},
           {"GET", "/v0/pipelines/p1/ingress/numbers"},
           {"POST", "/v0/pipelines/p1/tables/t/connectors/c/completion_token"},
           {"GET", "/v0/pipelines/p1/tables/t/connectors/c/stats"},
       }) {
    EXPECT_FALSE(Match(method, target).has_value()) << method << " " << target;
  }
}

}  // namespace
}  // namespace sidecar::sim
