// Blocking HTTP calls over one cpprestsdk client, which reuses its connections: for the
// thousands of control calls a benchmark makes (creating pods, restarting containers), where a
// new connection per call would cost more than the call. Thread-safe.
#pragma once

#include <cpprest/http_client.h>

#include <chrono>
#include <string>

#include "support/http.h"

namespace sidecar::bench {

class HttpSession {
 public:
  explicit HttpSession(const std::string& base_url,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // `target` is a path with its query. Status 0 with `error` set when no answer came.
  testing::HttpResult Call(const std::string& method, const std::string& target,
                           const std::string& body = "");
  testing::HttpResult Get(const std::string& target) { return Call("GET", target); }

 private:
  web::http::client::http_client client_;
};

}  // namespace sidecar::bench
