#include "sim/api_message.h"

#include <gtest/gtest.h>

namespace sidecar::sim {
namespace {

TEST(ApiMessageTest, SplitsAndDecodesPathAndQuery) {
  const Result<ApiRequest> request = ParseRequestTarget(
      "GET", "/input_endpoints/numbers%2Ekafka//completion_token?token=ab%3D%3D&x&y=1&y=2");
  ASSERT_TRUE(request.ok()) << request.error();
  EXPECT_EQ(request->method, "GET");
  EXPECT_EQ(request->path,
            (std::vector<std::string>{"input_endpoints", "numbers.kafka", "completion_token"}));
  EXPECT_EQ(request->Param("token"), "ab==");
  EXPECT_EQ(request->Param("x"), "");
  EXPECT_EQ(request->Param("y"), "1");
  EXPECT_EQ(request->Param("z"), std::nullopt);
}

TEST(ApiMessageTest, KeepsPaddingInUnencodedTokens) {
  const Result<ApiRequest> request = ParseRequestTarget("GET", "/completion_status?token=abc=");
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->Param("token"), "abc=");
}

TEST(ApiMessageTest, RootHasNoSegments) {
  EXPECT_TRUE(ParseRequestTarget("GET", "/").value().path.empty());
  EXPECT_TRUE(ParseRequestTarget("GET", "").value().path.empty());
}

TEST(ApiMessageTest, RejectsMalformedPercentEncoding) {
  EXPECT_FALSE(ParseRequestTarget("GET", "/stats%zz").ok());
  EXPECT_FALSE(ParseRequestTarget("GET", "/completion_status?token=%").ok());
  EXPECT_FALSE(ParseRequestTarget("GET", "/completion_status?%4=1").ok());
}

TEST(ApiMessageTest, ParsesBoolAndUintValues) {
  EXPECT_EQ(ParseBoolValue("true"), true);
  EXPECT_EQ(ParseBoolValue("false"), false);
  EXPECT_EQ(ParseBoolValue("TRUE"), std::nullopt);
  EXPECT_EQ(ParseBoolValue(""), std::nullopt);
  EXPECT_EQ(ParseUintValue("0"), 0u);
  EXPECT_EQ(ParseUintValue("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(ParseUintValue("18446744073709551616"), std::nullopt);
  EXPECT_EQ(ParseUintValue("-1"), std::nullopt);
  EXPECT_EQ(ParseUintValue("1x"), std::nullopt);
  EXPECT_EQ(ParseUintValue(""), std::nullopt);
}

}  // namespace
}  // namespace sidecar::sim
