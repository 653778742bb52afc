#include "fakes/kube_api/http_replies.h"

namespace sidecar::testing::kubefake {

void ReplyJson(const web::http::http_request& request, web::http::status_code status,
               const web::json::value& body) {
  web::http::http_response response(status);
  response.set_body(body.serialize(), "application/json");
  // A client that hangs up early makes the reply fail; nothing is left to do then.
  request.reply(response).then([](pplx::task<void> sent) {
    try {
      sent.get();
    } catch (const std::exception&) {
    }
  });
}

void ReplyError(const web::http::http_request& request, const ApiError& error,
                int retry_after_seconds) {
  web::http::http_response response(static_cast<web::http::status_code>(error.code()));
  response.set_body(error.ToStatus().serialize(), "application/json");
  if (retry_after_seconds > 0) {
    response.headers().add("Retry-After", std::to_string(retry_after_seconds));
  }
  request.reply(response).then([](pplx::task<void> sent) {
    try {
      sent.get();
    } catch (const std::exception&) {
    }
  });
}

}  // namespace sidecar::testing::kubefake
