#include "status/status_answer.h"

namespace sidecar {

std::string StatusAnswer::Body() const {
  if (error) return error->Body();
  // Hand-built: this is the hot path, and the shape is fixed.
  std::string body =
      http_status == 200 ? R"({"status":"complete","step":)" : R"({"status":"inprogress","step":)";
  body += step ? std::to_string(*step) : "null";
  body += '}';
  return body;
}

}  // namespace sidecar
