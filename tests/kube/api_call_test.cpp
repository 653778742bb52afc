#include "kube/api_call.h"

#include <gtest/gtest.h>

namespace sidecar::kube {
namespace {

// A reflector being stopped can start a watch with its token already cancelled. That must be an
// ordinary error: once it threw from Send (a cancelled token closes the body buffer, and cpprestsdk
// refuses to make a stream over a closed buffer), ending the process.
TEST(StreamingRequest, AnAlreadyCancelledTokenIsAnErrorNotAThrow) {
  web::http::client::http_client client("http://127.0.0.1:9");
  pplx::cancellation_token_source stop;
  stop.cancel();
  web::http::http_request request(web::http::methods::GET);
  request.set_request_uri("/api/v1/pods?watch=true");

  Result<std::unique_ptr<StreamingRequest>> sent;
  ASSERT_NO_THROW(sent = StreamingRequest::Send(client, request, stop.get_token()));
  EXPECT_FALSE(sent.ok());
}

TEST(CallApi, AnAlreadyCancelledTokenIsAnError) {
  web::http::client::http_client client("http://127.0.0.1:9");
  pplx::cancellation_token_source stop;
  stop.cancel();
  web::http::http_request request(web::http::methods::GET);

  Result<ApiResponse> answer = CallApi(client, request, stop.get_token());
  EXPECT_FALSE(answer.ok());
}

}  // namespace
}  // namespace sidecar::kube
