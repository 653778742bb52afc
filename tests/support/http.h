// Blocking HTTP calls for tests (cpprestsdk client underneath).
#pragma once

#include <cpprest/json.h>

#include <chrono>
#include <map>
#include <string>

namespace sidecar::testing {

struct HttpResult {
  int status = 0;  // 0: no HTTP answer (connection refused, reset, timeout)
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string error;                           // what went wrong when status == 0

  // The body parsed as JSON; null if it is not JSON.
  web::json::value Json() const;
  std::string Header(const std::string& lower_case_name) const;
};

// An https server's certificate is verified, host name included, against the system's trust
// store plus `ca_file` (a PEM file; none if empty).
HttpResult HttpCall(const std::string& method, const std::string& url, const std::string& body = "",
                    const std::map<std::string, std::string>& headers = {},
                    std::chrono::milliseconds timeout = std::chrono::seconds(10),
                    const std::string& ca_file = "");

inline HttpResult HttpGet(const std::string& url,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  return HttpCall("GET", url, "", {}, timeout);
}

inline HttpResult HttpPost(const std::string& url, const std::string& body = "") {
  return HttpCall("POST", url, body);
}

}  // namespace sidecar::testing
