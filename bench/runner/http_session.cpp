#include "runner/http_session.h"

#include <algorithm>

namespace sidecar::bench {
namespace {

web::http::client::http_client_config WithTimeout(std::chrono::milliseconds timeout) {
  web::http::client::http_client_config config;
  config.set_timeout(timeout);
  return config;
}

}  // namespace

HttpSession::HttpSession(const std::string& base_url, std::chrono::milliseconds timeout)
    : client_(base_url, WithTimeout(timeout)) {}

testing::HttpResult HttpSession::Call(const std::string& method, const std::string& target,
                                      const std::string& body) {
  testing::HttpResult result;
  try {
    web::http::http_request request(method);
    request.set_request_uri(target);
    if (!body.empty()) request.set_body(body, "application/json");
    web::http::http_response response = client_.request(request).get();
    result.status = response.status_code();
    result.body = response.extract_utf8string(true).get();
    for (const auto& [name, value] : response.headers()) {
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
      result.headers[lower] = value;
    }
  } catch (const std::exception& e) {
    result.status = 0;
    result.error = e.what();
  }
  return result;
}

}  // namespace sidecar::bench
