#include "api/request_limits.h"

#include <gtest/gtest.h>

namespace sidecar {
namespace {

RequestShape Within() {
  return {100, 10, 1000, 500};
}

TEST(CheckRequestShape, WithinEveryLimitPasses) {
  EXPECT_EQ(CheckRequestShape(Within(), RequestLimits{}), std::nullopt);
  RequestShape no_body = Within();
  no_body.content_length.reset();
  EXPECT_EQ(CheckRequestShape(no_body, RequestLimits{}), std::nullopt);
}

TEST(CheckRequestShape, EachLimitHasItsOwnStatusAndSaysWhichLimit) {
  RequestLimits limits;
  limits.max_target_bytes = 200;
  limits.max_headers = 20;
  limits.max_header_bytes = 2000;
  limits.max_body_bytes = 1000;
  struct Case {
    RequestShape shape;
    int status;
    std::string code;
    uint64_t limit;
  };
  RequestShape target = Within(), headers = Within(), header_bytes = Within(), body = Within();
  target.target_bytes = 201;
  headers.headers = 21;
  header_bytes.header_bytes = 2001;
  body.content_length = 1001;
  for (const Case& c :
       {Case{target, 414, "UriTooLong", 200}, Case{headers, 431, "RequestHeaderFieldsTooLarge", 20},
        Case{header_bytes, 431, "RequestHeaderFieldsTooLarge", 2000},
        Case{body, 413, "PayloadTooLarge", 1000}}) {
    const auto refusal = CheckRequestShape(c.shape, limits);
    ASSERT_TRUE(refusal.has_value()) << c.code;
    EXPECT_EQ(refusal->http_status, c.status);
    EXPECT_EQ(refusal->error_code, c.code);
    EXPECT_EQ(refusal->details.at("limit").as_number().to_uint64(), c.limit);
    EXPECT_NE(refusal->message.find(std::to_string(c.limit)), std::string::npos);
  }
}

TEST(TooManyLongPolls, Is503WithRetryAfter) {
  const ApiError e = TooManyLongPolls(RequestLimits{}, 2);
  EXPECT_EQ(e.http_status, 503);
  EXPECT_EQ(e.retry_after_seconds, 2);
  EXPECT_EQ(e.details.at("limit").as_integer(), 10000);
}

}  // namespace
}  // namespace sidecar
