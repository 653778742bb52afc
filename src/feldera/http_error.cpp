#include "feldera/http_error.h"

#include <string>

namespace sidecar {

web::http::http_response ToHttpResponse(const ApiError& error) {
  web::http::http_response response(static_cast<web::http::status_code>(error.http_status));
  response.set_body(error.Body(), "application/json");
  if (error.retry_after_seconds) {
    response.headers().add("Retry-After", std::to_string(*error.retry_after_seconds));
  }
  return response;
}

}  // namespace sidecar
