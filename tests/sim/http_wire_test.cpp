#include "sim/http_wire.h"

#include <gtest/gtest.h>

#include "sim/error_response.h"

namespace sidecar::sim {
namespace {

TEST(HttpWireTest, ParsesTheRequestLineAndContentLength) {
  const Result<RequestHead> head = ParseRequestHead(
      "POST /sim/start?checkpoint=true HTTP/1.1\r\nHost: x\r\ncontent-length:  12 \r\n");
  ASSERT_TRUE(head.ok()) << head.error();
  EXPECT_EQ(head->method, "POST");
  EXPECT_EQ(head->target, "/sim/start?checkpoint=true");
  EXPECT_EQ(head->content_length, 12u);
  EXPECT_EQ(ParseRequestHead("GET /sim/state HTTP/1.0")->content_length, 0u);
}

TEST(HttpWireTest, RefusesWhatItCannotRead) {
  for (const char* bad :
       {"", "GET", "GET /x", "GET x HTTP/1.1", "GET /x SPDY/3", "GET /x HTTP/1.1\r\nno colon",
        "GET /x HTTP/1.1\r\nContent-Length: -1", "GET /x HTTP/1.1\r\nContent-Length: 1x",
        "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked"}) {
    EXPECT_FALSE(ParseRequestHead(bad).ok()) << bad;
  }
}

TEST(HttpWireTest, SerializesJsonAnswersWithTheirHeaders) {
  ApiResponse answer{409, web::json::value::object()};
  answer.body["a"] = web::json::value::number(1);
  answer.headers["Retry-After"] = "5";
  EXPECT_EQ(SerializeResponse(answer),
            "HTTP/1.1 409 Conflict\r\nRetry-After: 5\r\nContent-Type: application/json\r\n"
            "Content-Length: 7\r\nConnection: close\r\n\r\n{\"a\":1}");
}

TEST(HttpWireTest, SerializesABare404WithoutContentType) {
  EXPECT_EQ(SerializeResponse(NoRouteResponse()),
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

}  // namespace
}  // namespace sidecar::sim
