#include "sim/api_message.h"

#include <gtest/gtest.h>

namespace sidecar::sim {
namespace {

TEST(ApiMessageTest, SplitsAndDecodesPathAndQuery) {
  const std::string query = "token=ab%3D%3D&x&y=1&y=2";
  const ApiRequest request =
      ParseRequestTarget("GET", "/input_endpoints/numbers%2Ekafka//completion_token?" + query);
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.path,
            (std::vector<std::string>{"input_endpoints", "numbers.kafka", "completion_token"}));
  EXPECT_EQ(request.Param("token"), "ab==");
  EXPECT_EQ(request.Param("x"), "");
  EXPECT_EQ(request.Param("y"), "1");
  EXPECT_EQ(request.Param("z"), std::nullopt);
  EXPECT_EQ(request.query_string, query);
}

TEST(ApiMessageTest, KeepsPaddingInUnencodedTokens) {
  EXPECT_EQ(ParseRequestTarget("GET", "/completion_status?token=abc=").Param("token"), "abc=");
}

TEST(ApiMessageTest, RootHasNoSegments) {
  EXPECT_TRUE(ParseRequestTarget("GET", "/").path.empty());
  EXPECT_TRUE(ParseRequestTarget("GET", "").path.empty());
}

// As actix-web decodes (form_urlencoded in the query): malformed escapes stay as they are.
TEST(ApiMessageTest, KeepsMalformedPercentEncodingAsItIs) {
  EXPECT_EQ(ParseRequestTarget("GET", "/stats%zz").path, std::vector<std::string>{"stats%zz"});
  EXPECT_EQ(ParseRequestTarget("GET", "/completion_status?token=%").Param("token"), "%");
  EXPECT_EQ(ParseRequestTarget("GET", "/completion_status?%4=1").Param("%4"), "1");
  EXPECT_EQ(ParseRequestTarget("GET", "/x?a=%4g%41").Param("a"), "%4gA");
  EXPECT_EQ(PercentDecode("100%"), "100%");
}

TEST(ApiMessageTest, PlusIsASpaceInTheQueryOnly) {
  const ApiRequest request = ParseRequestTarget("GET", "/a+b?c+d=e+f%2B");
  EXPECT_EQ(request.path, std::vector<std::string>{"a+b"});
  EXPECT_EQ(request.Param("c d"), "e f+");
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
